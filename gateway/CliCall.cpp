#include "CliCall.h"

#include "CliProcessReaper.h"
#include "CliPrompt.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QPointer>
#include <QScopeGuard>
#include <QTimer>

#include <csignal>

#include <sys/prctl.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcCliProvider, "portico.gateway.cli")

namespace portico {

CliCall::CliCall(const CliOptions &options, const CallContext &context, QObject *parent)
    : ProviderCall(parent)
    , m_options(options)
    , m_context(context)
    , m_chunks(context.requestId, context.created,
               context.upstreamModel.isEmpty()
                   ? (options.preset.isEmpty() ? options.providerId : options.preset)
                   : context.upstreamModel)
    , m_parser(options.format)
{}

CliCall::~CliCall()
{
    releaseProcess();
}

QString CliCall::cliModel(const CliOptions &options, const QString &upstreamModel)
{
    if (upstreamModel.isEmpty() || upstreamModel == options.providerId ||
        (!options.preset.isEmpty() && upstreamModel == options.preset))
        return {};
    return upstreamModel;
}

QString CliCall::displayName() const
{
    return m_options.preset.isEmpty() ? QFileInfo(m_options.command).fileName() : m_options.preset;
}

QString CliCall::withStderr(QString message) const
{
    if (!m_stderr.isEmpty())
        message += QStringLiteral("; stderr: ") + m_stderr.text();
    return message;
}

void CliCall::start()
{
    if (m_started || m_ended)
        return;
    m_started = true;
    m_inStart = true;
    const auto leaveStart = qScopeGuard([this] { m_inStart = false; });

    const QString model = cliModel(m_options, m_context.upstreamModel);
    if (!model.isEmpty() && !CliOptions::isValidModelName(model)) {
        fail(ApiError::invalidRequest(
            QStringLiteral("The model name is not accepted by a CLI provider: use letters, "
                           "digits and ._:/- (at most 128, not starting with '-')."),
            QStringLiteral("model"), "invalid_model"));
        return;
    }
    const QString program = m_options.resolveProgram();
    if (program.isEmpty()) {
        fail(ApiError::upstream(502,
                                QStringLiteral("%1: command \"%2\" not found or not executable")
                                    .arg(displayName(), m_options.command),
                                "cli_not_found"));
        return;
    }
    const QString workingDirectory = m_options.effectiveWorkingDirectory();
    if (!QDir().mkpath(workingDirectory)) {
        fail(ApiError::upstream(502,
                                QStringLiteral("%1: cannot use working directory %2")
                                    .arg(displayName(), workingDirectory),
                                "cli_failed"));
        return;
    }

    const QString prompt =
        CliPrompt::render(m_context.body.value(QStringLiteral("messages")).toArray());

    m_process = new QProcess(this);
    m_process->setProgram(program);
    m_process->setArguments(m_options.arguments(model, prompt));
    m_process->setProcessEnvironment(
        m_options.environment(QProcessEnvironment::systemEnvironment()));
    m_process->setWorkingDirectory(workingDirectory);
    // In the child, between fork and exec: only async-signal-safe calls. Its own session and
    // process group, so one signal reaches everything it spawns; and killed should the thread
    // that started it go away without cleaning up.
    m_process->setChildProcessModifier([] {
        ::setsid();
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    });
    if (m_options.promptMode == CliOptions::PromptMode::Argument)
        m_process->setStandardInputFile(QProcess::nullDevice());

    connect(m_process, &QProcess::readyReadStandardOutput, this, &CliCall::readStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, &CliCall::readStderr);
    connect(m_process, &QProcess::finished, this, &CliCall::processFinished);
    connect(m_process, &QProcess::errorOccurred, this, &CliCall::processError);

    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        fail(ApiError::upstream(504,
                                QStringLiteral("%1 did not finish within %2 s (timeoutSeconds)")
                                    .arg(displayName())
                                    .arg(m_options.timeoutSeconds),
                                "timeout"));
    });
    m_timer->start(m_options.timeoutSeconds * 1000);

    qCDebug(lcCliProvider) << "starting" << program << "for provider" << m_options.providerId;
    m_process->start(QIODevice::ReadWrite);
    if (!m_process)
        return; // failed (and released) inside start()
    m_group = m_process->processId();
    CliProcessReaper::track(m_group);
    if (m_options.promptMode == CliOptions::PromptMode::Stdin) {
        m_process->write(prompt.toUtf8());
        m_process->closeWriteChannel();
    }
}

void CliCall::abort()
{
    m_aborted = true;
    if (m_ended)
        return;
    m_ended = true;
    if (m_timer)
        m_timer->stop();
    releaseProcess();
}

void CliCall::releaseProcess()
{
    if (!m_process)
        return;
    disconnect(m_process, nullptr, this, nullptr);
    QProcess *process = m_process;
    m_process = nullptr;
    CliProcessReaper::reap(process, m_group);
}

bool CliCall::countOutput(qint64 bytes)
{
    m_outputBytes += bytes;
    if (m_outputBytes <= m_options.maxOutputBytes)
        return true;
    fail(ApiError::upstream(502,
                            QStringLiteral("%1 output exceeded maxOutputBytes (%2 bytes)")
                                .arg(displayName())
                                .arg(m_options.maxOutputBytes),
                            "cli_output_too_large"));
    return false;
}

void CliCall::readStdout()
{
    if (m_ended || !m_process)
        return;
    const QByteArray data = m_process->readAllStandardOutput();
    if (data.isEmpty() || !countOutput(data.size()))
        return;
    handle(m_parser.feed(data));
}

void CliCall::readStderr()
{
    if (m_ended || !m_process)
        return;
    const QByteArray data = m_process->readAllStandardError();
    if (data.isEmpty() || !countOutput(data.size()))
        return;
    m_stderr.append(data);
}

bool CliCall::emitChunk(const QByteArray &json)
{
    QPointer<CliCall> self(this);
    deliverChunk(json);
    return self && !m_aborted;
}

bool CliCall::ensureRole()
{
    if (m_roleSent)
        return true;
    m_roleSent = true;
    return emitChunk(m_chunks.role());
}

bool CliCall::handle(const QList<CliOutputParser::Event> &events)
{
    using Kind = CliOutputParser::Event::Kind;
    for (const CliOutputParser::Event &event : events) {
        if (m_ended)
            return false;
        switch (event.kind) {
        case Kind::Content:
            if (!ensureRole() || !emitChunk(m_chunks.content(event.text)))
                return false;
            break;
        case Kind::Reasoning:
            if (!ensureRole() || !emitChunk(m_chunks.reasoning(event.text)))
                return false;
            break;
        case Kind::Usage:
            m_usage = event.usage;
            break;
        case Kind::Error:
            if (!event.text.isEmpty())
                m_lastError = event.text;
            break;
        case Kind::FatalError:
            m_fatalError = event.text.isEmpty() ? QStringLiteral("unknown error") : event.text;
            break;
        }
    }
    return !m_ended;
}

void CliCall::processFinished(int exitCode, QProcess::ExitStatus status)
{
    if (m_ended)
        return;
    readStdout();
    readStderr();
    if (m_ended || !handle(m_parser.finish()))
        return;
    if (!m_fatalError.isEmpty()) {
        fail(ApiError::upstream(502,
                                withStderr(QStringLiteral("%1 reported an error (exit code %2): %3")
                                               .arg(displayName())
                                               .arg(status == QProcess::NormalExit ? exitCode : -1)
                                               .arg(CliStderrTail::redact(m_fatalError))),
                                "cli_error"));
    } else if (status != QProcess::NormalExit) {
        fail(ApiError::upstream(
            502, withStderr(QStringLiteral("%1 was terminated by a signal").arg(displayName())),
            "cli_failed"));
    } else if (exitCode != 0) {
        QString message = QStringLiteral("%1 exited with code %2").arg(displayName()).arg(exitCode);
        if (!m_lastError.isEmpty())
            message += QStringLiteral(": ") + CliStderrTail::redact(m_lastError);
        fail(ApiError::upstream(502, withStderr(message), "cli_failed"));
    } else {
        succeed();
    }
}

void CliCall::processError(QProcess::ProcessError error)
{
    if (m_ended || error != QProcess::FailedToStart || !m_process)
        return;
    fail(ApiError::upstream(
        502, QStringLiteral("could not start %1: %2").arg(displayName(), m_process->errorString()),
        "cli_failed"));
}

void CliCall::succeed()
{
    if (m_ended)
        return;
    m_ended = true;
    if (m_timer)
        m_timer->stop();
    releaseProcess(); // anything it left running in its group goes too
    if (!ensureRole() || !emitChunk(m_chunks.finish(QStringLiteral("stop"))))
        return;
    if (!m_usage.isEmpty() && (m_context.includeUsage || !m_context.stream) &&
        !emitChunk(m_chunks.usage(m_usage)))
        return;
    deliverSucceeded();
}

void CliCall::fail(const ApiError &error)
{
    if (m_ended)
        return;
    m_ended = true;
    if (m_timer)
        m_timer->stop();
    releaseProcess();
    qCInfo(lcCliProvider).noquote()
        << "provider" << m_options.providerId << "failed:" << error.message;
    if (m_inStart) {
        QMetaObject::invokeMethod(
            this,
            [this, error] {
                if (!m_aborted)
                    deliverFailed(error);
            },
            Qt::QueuedConnection);
        return;
    }
    deliverFailed(error);
}

} // namespace portico
