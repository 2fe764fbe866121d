#pragma once

#include "ApiError.h"
#include "HttpResponder.h"
#include "HttpTypes.h"
#include "ProviderCall.h"
#include "RequestObserver.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QObject>

#include <atomic>
#include <memory>

namespace portico {

class HttpResponder;
class CompletionAssembler;

// One chat request in flight: connects a ProviderCall to the client's response. Streaming
// clients get SSE (status and headers sent with the first event, so an upstream error before
// it keeps its status); others get one JSON body. The client going away aborts the call; the
// call failing mid-stream ends the stream with one error event. Parented to the responder, so
// it never outlives the client's connection.
class ChatExchange : public QObject, private ProviderCall::Sink, public HttpResponder::Attachment
{
    Q_OBJECT
public:
    ChatExchange(HttpResponder *responder, ProviderCall *call, RequestInfo info,
                 HeaderList extraHeaders, int keepAliveCommentMs, RequestObserver *observer);
    ~ChatExchange() override;

    void start();
    // Decrements `counter` when the exchange is destroyed (the in-flight request cap).
    void holdSlot(std::shared_ptr<std::atomic<int>> counter) { m_slot = std::move(counter); }

    // Stops every exchange of the calling thread (shutdown).
    static void stopAllInCurrentThread(const QString &reason);

public slots:
    // Cancels the request (the Stop button, shutdown): the client gets an error, the upstream
    // call is aborted.
    void stop(const QString &reason = {});

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    // ProviderCall::Sink: the call's output.
    void callChunk(const QByteArray &json) override { onChunk(json); }
    void callChunks(const QByteArrayList &jsons) override { onChunks(jsons); }
    void callCompletion(const QByteArray &json) override { onCompletion(json); }
    void callSucceeded() override { onSucceeded(); }
    void callFailed(const ApiError &error) override { onFailed(error); }

    void onChunk(const QByteArray &json);
    void onChunks(const QByteArrayList &jsons);
    void recordChunk(const QByteArray &json); // the bookkeeping of one relayed chunk
    CompletionAssembler &assembler();         // made on first use
    void onCompletion(const QByteArray &json);
    void onSucceeded();
    void onFailed(const ApiError &error);
    void onClientGone();
    void beginStream();
    void writeEvent(const QByteArray &payload);
    void sendError(const ApiError &error);
    void finish(int status, const QString &error = {}, const QByteArray &code = {});

    void responderClientGone() override { onClientGone(); }

    HttpResponder *m_responder;
    ProviderCall *m_call;
    std::unique_ptr<ProviderCall> m_ownedCall; // m_call; deleted after the destructor's body
    RequestInfo m_info;
    HeaderList m_extraHeaders;
    int m_keepAliveMs;
    RequestObserver *m_observer;
    bool m_keepContent = false;
    bool m_liveChunks = false;
    bool m_streamStarted = false;
    bool m_finished = false;
    QByteArray m_completion;
    std::unique_ptr<CompletionAssembler> m_assembler; // non-streaming client, chunked provider
    RequestSummary m_summary;
    QElapsedTimer m_clock;
    qint64 m_lastWriteMs = 0;
    QBasicTimer m_keepAlive;
    std::shared_ptr<std::atomic<int>> m_slot;
};

} // namespace portico
