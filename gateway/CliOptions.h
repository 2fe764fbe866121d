#pragma once

#include "CliPresets.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace portico {

struct ProviderConfig;

// The validated settings of one `type: "cli"` provider.
//
// Config keys (all optional except `command` when there is no preset):
//   preset            "claude" | "codex" | "gemini" | "none"; default: the provider id when it
//                     names a preset, else none (a custom command with plain-text output)
//   command           the executable: a name looked up on PATH, or an absolute path (a leading
//                     "~/" means the home directory); default: the preset's
//   args              array of strings; replaces the preset's fixed arguments
//   modelFlag         the flag that passes the model ("" = never pass it); default: the preset's
//                     ("--model"), none for a custom command
//   prompt            "stdin" (default) | "argument": the prompt goes on stdin, or as ONE argument
//                     after a `--` that ends the argument list
//   workingDirectory  an absolute path or "~/…"; default: <data dir>/portico/cli/<provider id>,
//                     a scratch directory created on first use
//   env               array of variable NAMES passed through from Portico's environment, on top
//                     of the base set (see baseEnvironmentNames()); PORTICO_* names are refused
//   timeoutSeconds    1 … 86400, default 600
//   maxOutputBytes    4096 … 1 GiB, default 16 MiB (stdout and stderr together)
//   models            model names to advertise
struct CliOptions
{
    enum class PromptMode { Stdin, Argument };

    QString providerId;
    QString preset; // empty: custom command
    QString command;
    QStringList args;
    QString modelFlag;
    QStringList stdinArgs;
    CliOutputFormat format = CliOutputFormat::Text;
    PromptMode promptMode = PromptMode::Stdin;
    QString workingDirectory; // empty: defaultWorkingDirectory()
    QStringList envAllowlist;
    int timeoutSeconds = 600;
    qint64 maxOutputBytes = 16LL * 1024 * 1024;
    QStringList models;

    // On a bad config returns false and sets `error` to "providers.<id>.<key>: <problem>".
    static bool fromConfig(const ProviderConfig &config, CliOptions *out, QString *error);

    // The model names the CLI accepts from us: letters, digits and `._:/-`, not starting with
    // a `-` (so it can never be read as a flag), at most 128 characters.
    static bool isValidModelName(const QString &model);

    // The argument list (without the program). `model` empty: no model flag. The prompt appears
    // only in Argument mode, as the last element, right after "--".
    QStringList arguments(const QString &model, const QString &prompt) const;

    // Starts empty and copies only the base names and the allowlist from `from`.
    QProcessEnvironment environment(const QProcessEnvironment &from) const;
    // PATH HOME USER LOGNAME SHELL LANG LANGUAGE TZ TERM TMPDIR, LC_* and XDG_* variables,
    // proxy settings (http_proxy, https_proxy, all_proxy, no_proxy in both cases) and CA bundle
    // locations (SSL_CERT_FILE, SSL_CERT_DIR, NODE_EXTRA_CA_CERTS).
    static bool isBaseEnvironmentName(const QString &name);

    QString effectiveWorkingDirectory() const;
    // The program to run: `command` looked up on the current PATH, or `command` itself when it
    // is a path. Empty when not found or not executable.
    QString resolveProgram() const;
};

} // namespace portico
