#include "LogRecorder.h"

#include "JsonSplice.h"
#include "SessionLog.h"

#include <QDateTime>
#include <QJsonDocument>

namespace portico {

namespace {

LogRecord::Usage usageOf(const QJsonObject &usage)
{
    LogRecord::Usage u;
    u.promptTokens = usage.value(QStringLiteral("prompt_tokens")).toInteger(-1);
    u.completionTokens = usage.value(QStringLiteral("completion_tokens")).toInteger(-1);
    u.totalTokens = usage.value(QStringLiteral("total_tokens")).toInteger(-1);
    return u;
}

// The same off the raw text of a usage object: a tiny object that is not worth a document.
qint64 integerOf(const std::optional<QByteArrayView> &raw)
{
    if (!raw)
        return -1;
    // Digits only, as every upstream writes a count: read by hand.
    if (!raw->isEmpty() && raw->size() <= 18) {
        qint64 n = 0;
        bool digits = true;
        for (const char c : *raw) {
            digits = digits && c >= '0' && c <= '9';
            n = n * 10 + (c - '0');
        }
        if (digits)
            return n;
    }
    bool ok = false;
    const qint64 n = raw->toLongLong(&ok);
    if (ok)
        return n;
    const double d = raw->toDouble(&ok); // 12.0, 1e3: integral doubles count, as in QJsonValue
    return ok && d == double(qint64(d)) ? qint64(d) : -1;
}

LogRecord::Usage usageOf(QByteArrayView usage)
{
    std::optional<QByteArrayView> v[3];
    JsonSplice::objectValues(usage, {"prompt_tokens", "completion_tokens", "total_tokens"}, v);
    return {integerOf(v[0]), integerOf(v[1]), integerOf(v[2])};
}

// choices[0].message and usage of a chat.completion, as raw JSON text, in one pass over it.
struct RawCompletion
{
    std::optional<QByteArrayView> message;
    std::optional<QByteArrayView> usage;
};

RawCompletion rawCompletion(const QByteArray &completion)
{
    if (completion.isEmpty())
        return {};
    std::optional<QByteArrayView> top[2]; // choices, usage
    JsonSplice::objectValues(completion, {"choices", "usage"}, top);
    const auto first = top[0] ? JsonSplice::firstElementOnwards(*top[0]) : std::nullopt;
    const auto message = first ? JsonSplice::objectValue(*first, "message") : std::nullopt;
    if (!message || !message->startsWith('{'))
        return {};
    return {message, top[1]};
}

} // namespace

LogRecorder::LogRecorder(SessionLog *log)
    : m_log(log)
{}

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

    if (!summary.streamed.isEmpty()) {
        r.response = summary.streamed.message();
        r.usage = usageOf(summary.streamed.usage());
    } else if (const RawCompletion raw = rawCompletion(summary.completionJson); raw.message) {
        // A relayed answer: its message as the upstream wrote it, and only its small usage
        // object read.
        r.rawResponse = raw.message->toByteArray();
        if (raw.usage)
            r.usage = usageOf(*raw.usage);
    } else if (!summary.completionJson.isEmpty()) {
        const QJsonObject completion = QJsonDocument::fromJson(summary.completionJson).object();
        const QJsonObject choice =
            completion.value(QStringLiteral("choices")).toArray().first().toObject();
        r.response = choice.value(QStringLiteral("message")).toObject();
        r.usage = usageOf(completion.value(QStringLiteral("usage")).toObject());
    }
    return r;
}

void LogRecorder::requestFinished(const RequestSummary &summary)
{
    // A few microseconds of slicing (a stream arrives assembled as it went): done here, as a
    // hand-off to another thread would cost more than the work. The SessionLog serialises,
    // redacts and writes on its own thread.
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
    LogRecord r;
    r.time = QDateTime::currentMSecsSinceEpoch();
    r.status = status;
    r.error = message;
    m_log->append(std::move(r));
}

} // namespace portico
