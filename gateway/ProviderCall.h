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

    // Receives the call's output as direct calls, in the signals' order, instead of the
    // signals (the gateway's ChatExchange: no connections to make and remove per request).
    // While a sink is set the signals are not emitted. The sink must outlive the call or unset
    // itself.
    class Sink
    {
    public:
        virtual void callChunk(const QByteArray &json) = 0;
        virtual void callChunks(const QByteArrayList &jsons) = 0;
        virtual void callCompletion(const QByteArray &json) = 0;
        virtual void callSucceeded() = 0;
        virtual void callFailed(const portico::ApiError &error) = 0;

    protected:
        ~Sink() = default;
    };
    void setSink(Sink *sink) { m_sink = sink; }

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

protected:
    // What the providers call to deliver: to the sink if there is one, else as the signals.
    void deliverChunk(const QByteArray &json)
    {
        if (m_sink)
            m_sink->callChunk(json);
        else
            emit chunk(json);
    }
    void deliverChunks(const QByteArrayList &jsons)
    {
        if (m_sink)
            m_sink->callChunks(jsons);
        else
            emit chunks(jsons);
    }
    void deliverCompletion(const QByteArray &json)
    {
        if (m_sink)
            m_sink->callCompletion(json);
        else
            emit completion(json);
    }
    void deliverSucceeded()
    {
        if (m_sink)
            m_sink->callSucceeded();
        else
            emit succeeded();
    }
    void deliverFailed(const ApiError &error)
    {
        if (m_sink)
            m_sink->callFailed(error);
        else
            emit failed(error);
    }

private:
    Sink *m_sink = nullptr;
};

} // namespace portico
