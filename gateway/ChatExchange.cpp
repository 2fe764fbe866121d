#include "ChatExchange.h"

#include "CompletionAssembler.h"
#include "HttpResponder.h"
#include "ProviderCall.h"

#include <QDateTime>
#include <QSet>
#include <QTimerEvent>
#include <QVarLengthArray>

namespace portico {

namespace {
// The live exchanges of each worker thread, for a clean shutdown.
thread_local QSet<ChatExchange *> t_live;
} // namespace

void ChatExchange::stopAllInCurrentThread(const QString &reason)
{
    const QSet<ChatExchange *> live = t_live;
    for (ChatExchange *exchange : live)
        exchange->stop(reason);
}

ChatExchange::ChatExchange(HttpResponder *responder, ProviderCall *call, RequestInfo info,
                           HeaderList extraHeaders, int keepAliveCommentMs,
                           RequestObserver *observer)
    : QObject(nullptr)
    , m_responder(responder)
    , m_call(call)
    , m_ownedCall(call)
    , m_info(std::move(info))
    , m_extraHeaders(std::move(extraHeaders))
    , m_keepAliveMs(keepAliveCommentMs)
    , m_observer(observer)
{
    // Owned by the responder, and owning the call, without QObject parents: a parent costs a
    // child event and list work per object and request.
    m_call->setParent(nullptr);
    m_responder->attach(this);
    t_live.insert(this);
    m_info.exchange = this;
    m_keepContent = m_observer && m_observer->wantsContent();
    m_liveChunks = m_observer && m_observer->wantsLiveChunks();
    m_call->setSink(this); // unset first thing in the destructor
}

ChatExchange::~ChatExchange()
{
    // The call is deleted after this body (m_ownedCall): nothing it does then reaches us.
    m_call->setSink(nullptr);
    t_live.remove(this);
    if (m_slot)
        m_slot->fetch_sub(1, std::memory_order_relaxed);
    // Destroyed with the connection before ending (e.g. shutdown): the call must not outlive us.
    if (!m_finished) {
        m_call->abort();
        m_summary.clientGone = true;
        finish(499, QStringLiteral("connection closed"), "client_closed_request");
    }
}

void ChatExchange::start()
{
    m_clock.start();
    if (m_observer)
        m_observer->requestStarted(m_info);
    if (m_info.stream && m_keepAliveMs > 0)
        m_keepAlive.start(m_keepAliveMs, Qt::CoarseTimer, this);
    m_call->start();
}

void ChatExchange::beginStream()
{
    if (m_streamStarted)
        return;
    m_streamStarted = true;
    static const HeaderList headers{
        {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/event-stream")},
        {QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache")},
        {QByteArrayLiteral("X-Accel-Buffering"), QByteArrayLiteral("no")}};
    m_responder->beginChunked(200, headers, m_extraHeaders);
}

void ChatExchange::writeEvent(const QByteArray &payload)
{
    m_summary.bytesOut += payload.size() + 8;
    m_responder->writeChunk({"data: ", payload, "\n\n"});
    m_lastWriteMs = m_clock.elapsed();
}

void ChatExchange::recordChunk(const QByteArray &json)
{
    ++m_summary.chunks;
    if (m_summary.ttftMs < 0)
        m_summary.ttftMs = m_clock.elapsed();
    if (m_keepContent && m_info.stream)
        m_summary.streamed.add(json);
    if (m_liveChunks)
        m_observer->requestChunk(m_info.requestId, json);
    if (!m_info.stream) {
        // Only for providers that answer in chunks (CLI agents): a relayed completion comes whole.
        assembler().add(json);
    }
}

CompletionAssembler &ChatExchange::assembler()
{
    if (!m_assembler)
        m_assembler = std::make_unique<CompletionAssembler>();
    return *m_assembler;
}

void ChatExchange::onChunk(const QByteArray &json)
{
    if (m_finished)
        return;
    if (m_info.stream) {
        if (m_summary.ttftMs < 0)
            m_summary.ttftMs = m_clock.elapsed();
        beginStream();
        writeEvent(json);
    }
    // The bookkeeping once the client has the bytes.
    if (!m_finished)
        recordChunk(json);
}

void ChatExchange::onChunks(const QByteArrayList &jsons)
{
    if (m_finished || jsons.isEmpty())
        return;
    if (m_info.stream) {
        if (m_summary.ttftMs < 0)
            m_summary.ttftMs = m_clock.elapsed();
        // Every event in one chunk, framed where it is written.
        QVarLengthArray<QByteArrayView, 3 * 8> parts;
        for (const QByteArray &json : jsons) {
            parts.append("data: ");
            parts.append(json);
            parts.append("\n\n");
            m_summary.bytesOut += json.size() + 8;
        }
        beginStream();
        m_responder->writeChunk(parts.constData(), parts.size());
        m_lastWriteMs = m_clock.elapsed();
    }
    for (const QByteArray &json : jsons) {
        if (m_finished)
            return;
        recordChunk(json);
    }
}

void ChatExchange::onCompletion(const QByteArray &json)
{
    if (m_finished)
        return;
    if (m_summary.ttftMs < 0)
        m_summary.ttftMs = m_clock.elapsed();
    m_completion = json;
}

void ChatExchange::onSucceeded()
{
    if (m_finished)
        return;
    if (m_info.stream) {
        beginStream();
        writeEvent(QByteArrayLiteral("[DONE]"));
        m_responder->endChunked();
    } else {
        QByteArray body = m_completion;
        if (body.isEmpty()) // assembled from chunks, or an empty answer
            body = assembler().completionJson(m_info.requestId, m_info.upstreamModel,
                                              m_info.startedMs / 1000);
        if (m_keepContent)
            m_summary.completionJson = body;
        m_summary.bytesOut = body.size();
        static const HeaderList headers{
            {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}};
        m_responder->respond(200, headers, body, m_extraHeaders);
    }
    finish(200);
}

void ChatExchange::sendError(const ApiError &error)
{
    if (!m_streamStarted) {
        HeaderList headers{
            {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}};
        if (!error.retryAfter.isEmpty())
            headers.append({QByteArrayLiteral("Retry-After"), error.retryAfter});
        const QByteArray body = error.toJson();
        m_summary.bytesOut = body.size();
        m_responder->respond(error.status, headers, body, m_extraHeaders);
    } else {
        writeEvent(error.toJson());
        m_responder->endChunked();
    }
}

void ChatExchange::onFailed(const ApiError &error)
{
    if (m_finished)
        return;
    sendError(error);
    finish(error.status, error.message.isEmpty() ? QString::fromUtf8(error.rawBody) : error.message,
           error.code);
}

void ChatExchange::stop(const QString &reason)
{
    if (m_finished)
        return;
    m_call->abort();
    m_summary.stopped = true;
    ApiError error;
    error.status = 503;
    error.type = "api_error";
    error.code = "request_cancelled";
    error.message =
        reason.isEmpty() ? QStringLiteral("The request was stopped in Portico.") : reason;
    sendError(error);
    finish(error.status, error.message, error.code);
}

void ChatExchange::onClientGone()
{
    if (m_finished)
        return;
    m_call->abort();
    m_summary.clientGone = true;
    finish(499, QStringLiteral("the client closed the connection"), "client_closed_request");
}

void ChatExchange::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_keepAlive.timerId())
        return QObject::timerEvent(event);
    const qint64 silent = m_clock.elapsed() - m_lastWriteMs;
    if (silent + 5 >= m_keepAliveMs) {
        beginStream();
        m_responder->writeChunk(QByteArrayLiteral(": keep-alive\n\n"));
        m_lastWriteMs = m_clock.elapsed();
        m_keepAlive.start(m_keepAliveMs, Qt::CoarseTimer, this);
    } else {
        m_keepAlive.start(static_cast<int>(m_keepAliveMs - silent), Qt::CoarseTimer, this);
    }
}

void ChatExchange::finish(int status, const QString &error, const QByteArray &code)
{
    m_finished = true;
    t_live.remove(this);
    m_keepAlive.stop();
    if (!m_observer)
        return;
    m_summary.info = m_info;
    m_summary.status = status;
    m_summary.error = error;
    m_summary.errorCode = QString::fromLatin1(code);
    m_summary.latencyMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    if (!m_keepContent)
        m_summary.info.messages = QJsonArray();
    m_observer->requestFinished(m_summary);
}

} // namespace portico
