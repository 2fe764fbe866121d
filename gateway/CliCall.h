#pragma once

#include "ChunkBuilder.h"
#include "CliOptions.h"
#include "CliOutputParser.h"
#include "CliStderrTail.h"
#include "ProviderCall.h"

#include <QJsonObject>
#include <QProcess>

class QTimer;

namespace portico {

// One run of a CLI agent: renders the conversation into one prompt (CliPrompt), starts the
// command with an argument list (never a shell) in its own process group and with an
// allowlisted environment, writes the prompt to stdin (or passes it as one argument after
// "--"), and streams what the CLI prints back as OpenAI chunks while it runs.
//
// Errors: a model name outside the allowlist pattern → 400 (param "model") before anything
// runs; a command not found, a non-zero exit, a signal or an error the CLI reports → 502
// "upstream_error" with the exit code and the redacted tail of stderr; output beyond
// maxOutputBytes → 502; no exit within timeoutSeconds → 504. abort(), a failure, the timeout and
// even success end the whole process group (SIGTERM, then SIGKILL after 2 s).
class CliCall : public ProviderCall
{
    Q_OBJECT
public:
    CliCall(const CliOptions &options, const CallContext &context, QObject *parent = nullptr);
    ~CliCall() override;

    void start() override;
    void abort() override;

    // The model passed to the CLI: empty (the CLI's default) when the request names the preset
    // or the provider itself.
    static QString cliModel(const CliOptions &options, const QString &upstreamModel);

private:
    void readStdout();
    void readStderr();
    void processFinished(int exitCode, QProcess::ExitStatus status);
    void processError(QProcess::ProcessError error);
    bool countOutput(qint64 bytes);
    bool handle(const QList<CliOutputParser::Event> &events);
    bool emitChunk(const QByteArray &json);
    bool ensureRole();
    void succeed();
    void fail(const ApiError &error);
    void releaseProcess();
    QString displayName() const;
    QString withStderr(QString message) const;

    CliOptions m_options;
    CallContext m_context;
    ChunkBuilder m_chunks;
    CliOutputParser m_parser;
    CliStderrTail m_stderr;
    QProcess *m_process = nullptr;
    QTimer *m_timer = nullptr;
    qint64 m_group = 0;
    qint64 m_outputBytes = 0;
    QJsonObject m_usage;
    QString m_fatalError;
    QString m_lastError;
    bool m_started = false;
    bool m_inStart = false;
    bool m_ended = false;
    bool m_aborted = false;
    bool m_roleSent = false;
};

} // namespace portico
