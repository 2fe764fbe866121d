#include "LogRecorder.h"

#include "CompletionAssembler.h"
#include "JsonSplice.h"
#include "SessionLog.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>

namespace portico {

Q_LOGGING_CATEGORY(lcLogRecorder, "portico.gateway.log.recorder")

namespace {

LogRecord::Usage usageOf(const QJsonObject &usage)
{
    LogRecord::Usage u;
    u.promptTokens = usage.value(QStringLiteral("prompt_tokens")).toInteger(-1);
    u.completionTokens = usage.value(QStringLiteral("completion_tokens")).toInteger(-1);
    u.totalTokens = usage.value(QStringLiteral("total_tokens")).toInteger(-1);
    return u;
}

// choices[0].message of a chat.completion, as raw JSON text.
std::optional<QByteArrayView> completionMessage(const QByteArray &completion)
{
    if (completion.isEmpty())
        return std::nullopt;
    const auto choices = JsonSplice::objectValue(completion, "choices");
    const auto first = choices ? JsonSplice::arrayElement(*choices, 0) : std::nullopt;
    const auto message = first ? JsonSplice::objectValue(*first, "message") : std::nullopt;
    if (!message || !message->startsWith('{'))
        return std::nullopt;
    return message;
}

} // namespace

LogRecorder::LogRecorder(SessionLog *log)
    : m_log(log)
{
    m_pool.setMaxThreadCount(1); // records reach the log in the order requests finished
    m_pool.setObjectName(QStringLiteral("portico-log-recorder"));
}

LogRecorder::~LogRecorder()
{
    m_pool.waitForDone();
}

LogRecord LogRecorder::toRecord(const RequestSummary &summary)
{
    const RequestInfo &info = summary.info;
    LogRecord r;
    r.time = info.startedMs;
    r.requestId = info.requestId;
    r.sessionKey = info.sessionKey;
    r.agent = info.agentId;
    r.provider = info.providerId;
    r.upstreamModel = info.upstreamModel;
    r.clientTokenName = info.clientName;
    r.status = summary.status;
    r.error = summary.error.isEmpty() ? summary.errorCode : summary.error;
    r.latencyMs = summary.latencyMs;
    r.ttftMs = info.stream ? summary.ttftMs : -1;
    r.stream = info.stream;
    // The client's own bytes when we have them: no serialising on the way to the file.
    if (!info.messagesJson.isEmpty())
        r.rawRequestMessages = info.messagesJson;
    else
        r.requestMessages = info.messages;

    if (!summary.chunkJsons.isEmpty()) {
        CompletionAssembler assembler;
        for (const QByteArray &chunk : summary.chunkJsons)
            assembler.add(chunk);
        r.response = assembler.message();
        r.usage = usageOf(assembler.usage());
    } else if (const auto message = completionMessage(summary.completionJson)) {
        // A relayed answer: its message as the upstream wrote it, and only its small usage
        // object parsed.
        r.rawResponse = message->toByteArray();
        if (const auto usage = JsonSplice::objectValue(summary.completionJson, "usage"))
            r.usage = usageOf(QJsonDocument::fromJson(usage->toByteArray()).object());
    } else if (!summary.completionJson.isEmpty()) {
        const QJsonObject completion = QJsonDocument::fromJson(summary.completionJson).object();
        const QJsonObject choice =
            completion.value(QStringLiteral("choices")).toArray().first().toObject();
        r.response = choice.value(QStringLiteral("message")).toObject();
        r.usage = usageOf(completion.value(QStringLiteral("usage")).toObject());
    }
    return r;
}

void LogRecorder::enqueue(std::function<LogRecord()> make)
{
    if (m_pending.fetch_add(1, std::memory_order_relaxed) >= MaxPending) {
        m_pending.fetch_sub(1, std::memory_order_relaxed);
        if (m_dropped.fetch_add(1) % 1000 == 0)
            qCWarning(lcLogRecorder) << "the session log recorder is behind; dropping records";
        return;
    }
    m_pool.start([this, make = std::move(make)] {
        m_log->append(make());
        m_pending.fetch_sub(1, std::memory_order_relaxed);
    });
}

void LogRecorder::requestFinished(const RequestSummary &summary)
{
    // A streamed answer is assembled from its chunks: that work goes to the pool, off the
    // worker thread. Anything else is a few microseconds of slicing, done here: a hand-off to
    // another thread would cost more than the work.
    if (!summary.chunkJsons.isEmpty()) {
        enqueue([summary] { return toRecord(summary); });
        return;
    }
    m_log->append(toRecord(summary));
}

void LogRecorder::requestRejected(const QByteArray &method, const QByteArray &path, int status,
                                  const QString &message, const QString &peer)
{
    Q_UNUSED(method)
    Q_UNUSED(peer)
    // Only the chat endpoint: a scan of unknown paths is not a conversation.
    if (path != "/v1/chat/completions")
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    enqueue([now, status, message] {
        LogRecord r;
        r.time = now;
        r.status = status;
        r.error = message;
        return r;
    });
}

bool LogRecorder::waitForIdle(int timeoutMs)
{
    return m_pool.waitForDone(timeoutMs);
}

} // namespace portico
