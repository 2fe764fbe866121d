#include "CliPresets.h"

#include <QStandardPaths>

namespace portico {

// Sources for the flags and formats below (checked when this was written):
// - claude: Claude Code CLI reference and headless guide,
// https://code.claude.com/docs/en/cli-reference
//   and https://code.claude.com/docs/en/headless: `-p/--print` runs once and exits and reads the
//   prompt from stdin when none is given as an argument; `--output-format stream-json` writes one
//   JSON event per line (system, assistant, user, result) and requires `--verbose` in print mode
//   (github.com/anthropics/claude-code issue 733); `--model <name>`.
// - codex: github.com/openai/codex, codex-rs/exec/src/cli.rs (`codex exec [PROMPT]`: "If not
//   provided as an argument (or if `-` is used), instructions are read from stdin"; `--json`
//   prints JSONL events; `-m/--model`; `--skip-git-repo-check` allows running outside a Git
//   repository) and codex-rs/exec/src/exec_events.rs (thread.started, turn.started,
//   item.started/updated/completed with agent_message/reasoning items, turn.completed with
//   usage, turn.failed, error).
// - gemini: https://geminicli.com/docs/cli/headless/ ("Headless mode is triggered when the CLI is
//   run in a non-TTY environment"; `--output-format stream-json` events init, message, tool_use,
//   tool_result, error, result) and github.com/google-gemini/gemini-cli,
//   packages/core/src/output/types.ts; `-m/--model`. The prompt goes on stdin rather than after
//   `-p`, whose value a leading `--help` could turn into a flag.

QStringList CliPresets::names()
{
    return {QStringLiteral("claude"), QStringLiteral("codex"), QStringLiteral("gemini")};
}

std::optional<CliPreset> CliPresets::find(const QString &name)
{
    const QString model = QStringLiteral("--model");
    if (name == QLatin1String("claude")) {
        return CliPreset{name,
                         QStringLiteral("claude"),
                         {QStringLiteral("-p"), QStringLiteral("--output-format"),
                          QStringLiteral("stream-json"), QStringLiteral("--verbose")},
                         model,
                         {},
                         CliOutputFormat::ClaudeStreamJson};
    }
    if (name == QLatin1String("codex")) {
        return CliPreset{name,
                         QStringLiteral("codex"),
                         {QStringLiteral("exec"), QStringLiteral("--json"),
                          QStringLiteral("--skip-git-repo-check")},
                         model,
                         {QStringLiteral("-")},
                         CliOutputFormat::CodexJson};
    }
    if (name == QLatin1String("gemini")) {
        return CliPreset{name,
                         QStringLiteral("gemini"),
                         {QStringLiteral("--output-format"), QStringLiteral("stream-json")},
                         model,
                         {},
                         CliOutputFormat::GeminiStreamJson};
    }
    return std::nullopt;
}

QStringList detectInstalledCliPresets()
{
    QStringList found;
    for (const QString &name : CliPresets::names()) {
        const auto preset = CliPresets::find(name);
        if (preset && !QStandardPaths::findExecutable(preset->command).isEmpty())
            found.append(name);
    }
    return found;
}

} // namespace portico
