#pragma once

#include "ApiError.h"
#include "UpstreamClient.h"

#include <QByteArrayList>
#include <QJsonObject>
#include <QObject>
#include <QString>

namespace portico {

// Everything a provider needs to make one call. The body is the client's request with `model`
// already rewritten to the upstream model and the agent's system prompt applied.
struct CallContext
{
    QJsonObject body;
    QByteArray rawBody; // the client's bytes, for providers that relay them (empty if rewritten)
    QString upstreamModel;
    bool stream = false;       // the client asked for a stream
    bool includeUsage = false; // stream_options.include_usage
    QString agentId;
    QString providerId;
    QString sessionKey;
    QString requestId;  // "chatcmpl-…", used as the `id` of generated chunks
    qint64 created = 0; // unix seconds, the `created` of generated chunks
    UpstreamTimeouts timeouts;
};

// One upstream call. Emits OpenAI-shaped output and ends exactly once, with succeeded() or
// failed(). A call lives in the thread that created it. abort() stops it at once (the upstream
// connection or process goes away) and no signal follows.
class ProviderCall : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual void start() = 0;
    virtual void abort() = 0;

signals:
    // One `chat.completion.chunk` object, compact JSON, as it will follow `data: `.
    void chunk(const QByteArray &json);
    // Several chunks that arrived together (one upstream read): the same as emitting chunk()
    // for each, but they reach the client in one write.
    void chunks(const QByteArrayList &jsons);
    // A whole `chat.completion` object (only for a non-streaming call whose provider has one;
    // others emit chunks and the gateway assembles them).
    void completion(const QByteArray &json);
    void succeeded();
    void failed(const portico::ApiError &error);
};

} // namespace portico
