#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace portico {

// How a CLI's standard output is read.
enum class CliOutputFormat {
    Text,             // plain text, streamed as content as it arrives
    ClaudeStreamJson, // `claude -p --output-format stream-json --verbose`
    CodexJson,        // `codex exec --json`
    GeminiStreamJson, // `gemini --output-format stream-json`
};

// A built-in way to run one agent CLI headless. The prompt always goes on stdin; the presets
// differ in their fixed arguments, the flag that names the model and their output format.
struct CliPreset
{
    QString name;          // "claude", "codex", "gemini"
    QString command;       // looked up on PATH
    QStringList args;      // fixed arguments, before the model flag
    QString modelFlag;     // "--model"; followed by the model as its own argument
    QStringList stdinArgs; // appended last when the prompt goes on stdin (codex: "-")
    CliOutputFormat format = CliOutputFormat::Text;
};

class CliPresets
{
public:
    static QStringList names(); // in a fixed order: claude, codex, gemini
    static std::optional<CliPreset> find(const QString &name);
};

// The presets whose command is found on the current PATH (QStandardPaths::findExecutable), in
// the order of CliPresets::names(). For the settings page's "detect installed CLIs".
QStringList detectInstalledCliPresets();

} // namespace portico
