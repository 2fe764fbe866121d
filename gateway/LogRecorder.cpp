#include "LogRecorder.h"

#include "SessionLog.h"

#include <QDateTime>

namespace portico {

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
        r.usage = LogRecord::Usage::fromJson(summary.streamed.usage());
    } else {
        // A relayed answer: the SessionLog reads its message and usage on its own thread.
        r.rawCompletion = summary.completionJson;
    }
    return r;
}

void LogRecorder::requestFinished(const RequestSummary &summary)
{
    // Only copies here (a stream arrives assembled as it went): the SessionLog reads a relayed
    // completion, serialises, redacts and writes on its own thread.
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
