#include "AnthropicCall.h"

#include "AnthropicErrorMapper.h"
#include "AnthropicRequestTranslator.h"
#include "AnthropicResponseTranslator.h"

#include <QJsonDocument>
#include <QTimer>

namespace portico {

namespace {
constexpr qsizetype kMaxErrorBodyBytes = 64 * 1024;
// After message_stop the upstream normally ends the body at once; a straggler is not waited for.
constexpr int kEndGraceMs = 1000;
} // namespace

AnthropicCall::AnthropicCall(const AnthropicSettings &settings, const CallContext &context,
                             QObject *parent)
    : ProviderCall(parent)
    , m_settings(settings)
    , m_context(context)
    , m_stream(context.requestId, context.created, context.upstreamModel, context.includeUsage)
{}

AnthropicCall::~AnthropicCall()
{
    releaseReply();
}

void AnthropicCall::start()
{
    if (m_started || m_ended)
        return;
    m_started = true;

    QJsonObject body;
    ApiError error;
    const AnthropicRequestOptions options{m_context.upstreamModel, m_settings.defaultMaxTokens,
                                          m_context.stream};
    if (!AnthropicRequestTranslator::translate(m_context.body, options, &body, &error)) {
        // Signals never come from inside start(): the caller may still be wiring things up.
        QMetaObject::invokeMethod(
            this, [this, error] { fail(error); }, Qt::QueuedConnection);
        return;
    }

    UpstreamRequest request;
    request.url = m_settings.messagesUrl;
    request.method = "POST";
    request.headers = {
        {"x-api-key", m_settings.apiKey},
        {"anthropic-version", m_settings.version},
        {"content-type", "application/json"},
        {"accept",
         m_context.stream ? QByteArray("text/event-stream") : QByteArray("application/json")},
    };
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    request.timeouts = m_context.timeouts;

    m_reply = UpstreamClient::forCurrentThread()->send(request);
    if (!m_reply) {
        QMetaObject::invokeMethod(
            this,
            [this] {
                fail(ApiError::upstream(502,
                                        QStringLiteral("could not send the request to "
                                                       "Anthropic"),
                                        "upstream_unreachable"));
            },
            Qt::QueuedConnection);
        return;
    }
    connect(m_reply, &UpstreamReply::headersReceived, this, &AnthropicCall::onHeadersReceived);
    connect(m_reply, &UpstreamReply::dataReceived, this, &AnthropicCall::onDataReceived);
    connect(m_reply, &UpstreamReply::finished, this, &AnthropicCall::onFinished);
    connect(m_reply, &UpstreamReply::failed, this, &AnthropicCall::onFailed);
}

void AnthropicCall::abort()
{
    if (m_ended)
        return;
    m_ended = true;
    releaseReply();
}

void AnthropicCall::onHeadersReceived()
{
    const int status = m_reply ? m_reply->status() : 0;
    m_httpOk = status >= 200 && status < 300;
}

void AnthropicCall::onDataReceived(const QByteArray &data)
{
    if (m_ended)
        return;
    if (m_httpOk && m_context.stream) {
        if (m_stream.state() != AnthropicStreamTranslator::State::Streaming)
            return; // after message_stop: only the end of the body is awaited
        QList<QByteArray> chunks;
        m_stream.feed(data, &chunks);
        if (emitChunks(chunks))
            checkStreamState();
        return;
    }
    if (!m_httpOk) {
        m_body.append(data.left(qMax<qsizetype>(0, kMaxErrorBodyBytes - m_body.size())));
        return;
    }
    if (m_body.size() + data.size() > m_settings.maxResponseBytes) {
        fail(ApiError::upstream(
            502,
            QStringLiteral("Anthropic's answer exceeds %1 bytes").arg(m_settings.maxResponseBytes),
            "upstream_too_large"));
        return;
    }
    m_body.append(data);
}

void AnthropicCall::onFinished()
{
    if (m_ended || !m_reply)
        return;
    if (!m_httpOk) {
        fail(AnthropicErrorMapper::fromHttpResponse(m_reply->status(), m_body,
                                                    m_reply->header("retry-after")));
        return;
    }
    if (m_context.stream) {
        if (m_stream.state() == AnthropicStreamTranslator::State::Finished)
            succeed();
        else if (m_stream.state() == AnthropicStreamTranslator::State::Failed)
            fail(m_stream.error());
        else
            fail(ApiError::upstream(502,
                                    QStringLiteral("the Anthropic stream ended before "
                                                   "message_stop"),
                                    "upstream_closed"));
        return;
    }
    QByteArray completionJson;
    ApiError error;
    if (!AnthropicResponseTranslator::toCompletion(m_body, m_context.requestId, m_context.created,
                                                   m_context.upstreamModel, &completionJson,
                                                   &error)) {
        fail(error);
        return;
    }
    QPointer<AnthropicCall> self(this);
    deliverCompletion(completionJson);
    if (self && !m_ended)
        succeed();
}

void AnthropicCall::onFailed(UpstreamReply::Error error, const QString &message)
{
    if (m_ended || !m_reply)
        return;
    if (m_context.stream && m_stream.state() == AnthropicStreamTranslator::State::Finished) {
        succeed(); // the whole answer arrived; only the end of the body went wrong
        return;
    }
    const int status = m_reply->status();
    if (status != 0 && !m_httpOk) {
        fail(
            AnthropicErrorMapper::fromHttpResponse(status, m_body, m_reply->header("retry-after")));
        return;
    }
    fail(AnthropicErrorMapper::fromTransport(error, message, status != 0));
}

bool AnthropicCall::emitChunks(const QList<QByteArray> &chunks)
{
    QPointer<AnthropicCall> self(this);
    for (const QByteArray &json : chunks) {
        if (!self || m_ended)
            return false;
        deliverChunk(json);
    }
    return self && !m_ended;
}

void AnthropicCall::checkStreamState()
{
    switch (m_stream.state()) {
    case AnthropicStreamTranslator::State::Streaming:
        return;
    case AnthropicStreamTranslator::State::Failed:
        fail(m_stream.error());
        return;
    case AnthropicStreamTranslator::State::Finished:
        if (!m_reply || m_reply->isFinished())
            succeed();
        else
            QTimer::singleShot(kEndGraceMs, this, [this] {
                if (!m_ended)
                    succeed();
            });
        return;
    }
}

void AnthropicCall::succeed()
{
    if (m_ended)
        return;
    m_ended = true;
    releaseReply();
    deliverSucceeded();
}

void AnthropicCall::fail(const ApiError &error)
{
    if (m_ended)
        return;
    m_ended = true;
    releaseReply();
    deliverFailed(error);
}

void AnthropicCall::releaseReply()
{
    if (!m_reply)
        return;
    UpstreamReply *reply = m_reply;
    m_reply = nullptr;
    disconnect(reply, nullptr, this, nullptr);
    if (!reply->isFinished())
        reply->abort();
    // Never deleted directly: this may run inside one of the reply's own signals.
    reply->deleteLater();
}

} // namespace portico
