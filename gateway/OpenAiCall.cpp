#include "OpenAiCall.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace portico {

namespace {

constexpr qsizetype kMaxErrorBody = 64 * 1024;
constexpr qsizetype kMaxBody = 64 * 1024 * 1024;

} // namespace

OpenAiCall::OpenAiCall(const CallContext &context, const QUrl &url, const QByteArray &authorization,
                       QObject *parent)
    : ProviderCall(parent)
    , m_context(context)
    , m_url(url)
    , m_authorization(authorization)
{}

OpenAiCall::~OpenAiCall()
{
    delete m_reply; // deleting a running reply closes its connection
}

void OpenAiCall::start()
{
    UpstreamRequest request;
    request.url = m_url;
    request.timeouts = m_context.timeouts;
    request.headers = {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")},
                       {QByteArrayLiteral("Accept"), m_context.stream
                                                         ? QByteArrayLiteral("text/event-stream")
                                                         : QByteArrayLiteral("application/json")}};
    if (!m_authorization.isEmpty())
        request.headers.append({QByteArrayLiteral("Authorization"), m_authorization});
    request.body = m_context.rawBody.isEmpty()
                       ? QJsonDocument(m_context.body).toJson(QJsonDocument::Compact)
                       : m_context.rawBody;
    m_context.rawBody.clear();
    m_context.body = QJsonObject();

    m_reply = UpstreamClient::forCurrentThread()->send(request);
    m_reply->setListener(this); // unset in abort(); the destructor deletes the reply
}

void OpenAiCall::abort()
{
    m_done = true;
    if (m_reply) {
        m_reply->setListener(nullptr);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
}

void OpenAiCall::upstreamHeadersReceived()
{
    const int status = m_reply->status();
    m_ok = status >= 200 && status < 300;
    if (status >= 300 && status < 400) {
        const QString location = QString::fromUtf8(m_reply->header("location"));
        m_reply->abort();
        fail(ApiError::upstream(
            502,
            QStringLiteral("The upstream answered with a redirect (%1%2); Portico does not follow "
                           "redirects. Check the provider's baseUrl.")
                .arg(status)
                .arg(location.isEmpty() ? QString() : QStringLiteral(" to ") + location),
            "upstream_redirect"));
    }
}

void OpenAiCall::upstreamDataReceived(const QByteArray &data)
{
    if (m_done)
        return;
    if (!m_ok) {
        if (m_body.size() < kMaxErrorBody)
            m_body += data.left(kMaxErrorBody - m_body.size());
        return;
    }
    if (!m_context.stream) {
        if (m_body.size() + data.size() > kMaxBody) {
            fail(ApiError::upstream(502, QStringLiteral("The upstream response is too large."),
                                    "upstream_too_large"));
            return;
        }
        m_body += data;
        return;
    }
    m_events.clear();
    if (!m_sse.feed(data, &m_events)) {
        fail(ApiError::upstream(502, QStringLiteral("The upstream sent an oversized stream event."),
                                "upstream_protocol_error"));
        return;
    }
    const auto isDone = [](const SseEvent &event) { return event.data == "[DONE]"; };
    const qsizetype chunks =
        m_events.size() - std::count_if(m_events.cbegin(), m_events.cend(), isDone);
    if (chunks == 1) { // mostly: one event a read
        const QByteArray json = std::find_if_not(m_events.cbegin(), m_events.cend(), isDone)->data;
        deliverChunk(json);
    } else if (chunks > 1) {
        QByteArrayList batch;
        batch.reserve(chunks);
        for (const SseEvent &event : std::as_const(m_events)) {
            if (!isDone(event))
                batch.append(event.data);
        }
        deliverChunks(batch);
    }
}

ApiError OpenAiCall::httpError() const
{
    const int status = m_reply->status();
    ApiError error = ApiError::upstream(status, {}, "upstream_error");
    error.retryAfter = m_reply->header("retry-after");
    const QJsonDocument doc = QJsonDocument::fromJson(m_body);
    if (doc.isObject() && doc.object().value(QStringLiteral("error")).isObject()) {
        // The upstream's own OpenAI-shaped error: relay it as it is.
        error.rawBody = m_body;
        error.message = doc.object()
                            .value(QStringLiteral("error"))
                            .toObject()
                            .value(QStringLiteral("message"))
                            .toString();
    } else if (doc.isObject() && doc.object().value(QStringLiteral("error")).isString()) {
        error.message = doc.object().value(QStringLiteral("error")).toString(); // Ollama style
    } else {
        const QString text = QString::fromUtf8(m_body.left(512)).trimmed();
        error.message = QStringLiteral("The upstream answered HTTP %1%2")
                            .arg(status)
                            .arg(text.isEmpty() ? QString() : QStringLiteral(": ") + text);
    }
    return error;
}

void OpenAiCall::upstreamFinished()
{
    if (m_done)
        return;
    if (!m_ok) {
        fail(httpError());
        return;
    }
    m_done = true;
    if (!m_context.stream)
        deliverCompletion(m_body);
    deliverSucceeded();
}

void OpenAiCall::upstreamFailed(UpstreamReply::Error error, const QString &message)
{
    if (m_done)
        return;
    const QString host =
        m_url.host() + u':' + QString::number(m_url.port(m_url.scheme() == u"https" ? 443 : 80));
    switch (error) {
    case UpstreamReply::Error::ConnectTimeout:
    case UpstreamReply::Error::FirstByteTimeout:
    case UpstreamReply::Error::IdleTimeout:
        fail(ApiError::upstream(504, QStringLiteral("Upstream %1 timed out: %2").arg(host, message),
                                "upstream_timeout"));
        return;
    default:
        fail(ApiError::upstream(502, QStringLiteral("Upstream %1 failed: %2").arg(host, message),
                                error == UpstreamReply::Error::ConnectionRefused
                                    ? QByteArray("upstream_unavailable")
                                    : QByteArray("upstream_error")));
    }
}

void OpenAiCall::fail(const ApiError &error)
{
    if (m_done)
        return;
    m_done = true;
    if (m_reply) {
        m_reply->setListener(nullptr);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    deliverFailed(error);
}

} // namespace portico
