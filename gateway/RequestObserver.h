#pragma once

#include "CompletionAssembler.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QJsonArray>
#include <QObject>
#include <QString>

namespace portico {

// What is known about a chat request when it starts.
struct RequestInfo
{
    QString requestId;
    QString sessionKey;
    QString agentId;
    QString providerId;
    QString upstreamModel;
    QString requestedModel;
    QString clientName; // the token's name, never the token
    QString user;
    QString peer;
    bool stream = false;
    qint64 startedMs = 0;    // ms since epoch
    QJsonArray messages;     // the request's messages, only when the observer keeps content
    QByteArray messagesJson; // the same as the client sent them, when the body went up as is
    // Invoke its stop() slot (queued) to cancel the request; alive until requestFinished() of
    // this request has returned (a plain pointer: a QPointer costs an allocation per request).
    QObject *exchange = nullptr;
};

struct RequestSummary
{
    RequestInfo info;
    int status = 0;
    QString error; // empty on success
    QString errorCode;
    qint64 latencyMs = 0;
    qint64 ttftMs = -1; // time to the first chunk, -1 if none
    qint64 bytesOut = 0;
    int chunks = 0;
    QByteArray completionJson;    // non-streaming upstream answer (kept only with content)
    CompletionAssembler streamed; // what a stream said, assembled (kept only with content)
    bool clientGone = false;
    bool stopped = false; // cancelled through stop()
};

// Receives every chat request's life. Called from the gateway's worker threads, concurrently:
// implementations must be thread-safe and must not block.
class RequestObserver
{
public:
    virtual ~RequestObserver() = default;
    // Whether messages and responses should be captured (costs memory and a little CPU).
    virtual bool wantsContent() const { return false; }
    virtual void requestStarted(const RequestInfo &info) { Q_UNUSED(info) }
    // One streamed chunk as relayed (raw JSON). Only called while wantsLiveChunks() is true.
    virtual bool wantsLiveChunks() const { return false; }
    virtual void requestChunk(const QString &requestId, const QByteArray &chunkJson)
    {
        Q_UNUSED(requestId)
        Q_UNUSED(chunkJson)
    }
    virtual void requestFinished(const RequestSummary &summary) = 0;
    // A request answered by the gateway itself with an error (auth, validation, routing…).
    virtual void requestRejected(const QByteArray &method, const QByteArray &path, int status,
                                 const QString &message, const QString &peer)
    {
        Q_UNUSED(method)
        Q_UNUSED(path)
        Q_UNUSED(status)
        Q_UNUSED(message)
        Q_UNUSED(peer)
    }
};

} // namespace portico
