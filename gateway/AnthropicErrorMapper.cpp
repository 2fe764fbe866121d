#include "AnthropicErrorMapper.h"

#include <QJsonDocument>

namespace portico {

namespace {

QByteArray typeForStatus(int status)
{
    switch (status) {
    case 400:
        return "invalid_request_error";
    case 401:
        return "authentication_error";
    case 402:
        return "billing_error";
    case 403:
        return "permission_error";
    case 404:
        return "not_found_error";
    case 413:
        return "request_too_large";
    case 429:
        return "rate_limit_error";
    case 504:
        return "timeout_error";
    case 529:
        return "overloaded_error";
    default:
        return status >= 500 ? QByteArray("api_error") : QByteArray("invalid_request_error");
    }
}

// The inner {"type","message"} object of either an event or an HTTP body.
QJsonObject innerError(const QJsonObject &object)
{
    const QJsonValue inner = object.value(QLatin1String("error"));
    return inner.isObject() ? inner.toObject() : object;
}

QString printableSnippet(const QByteArray &body)
{
    QString text = QString::fromUtf8(body.left(200)).simplified();
    for (QChar &c : text) {
        if (!c.isPrint())
            c = QLatin1Char('?');
    }
    return text;
}

} // namespace

int AnthropicErrorMapper::streamStatus(const QByteArray &type)
{
    static const QList<QPair<QByteArray, int>> kStatuses{
        {"overloaded_error", 503},      {"rate_limit_error", 429},
        {"invalid_request_error", 400}, {"authentication_error", 401},
        {"permission_error", 403},      {"not_found_error", 404},
        {"request_too_large", 413},     {"billing_error", 402},
        {"timeout_error", 504},         {"api_error", 502},
    };
    for (const auto &entry : kStatuses) {
        if (entry.first == type)
            return entry.second;
    }
    return 502;
}

ApiError AnthropicErrorMapper::fromStreamEvent(const QJsonObject &event)
{
    const QJsonObject error = innerError(event);
    ApiError result;
    result.type = error.value(QLatin1String("type")).toString().toUtf8();
    if (result.type.isEmpty())
        result.type = "api_error";
    result.status = streamStatus(result.type);
    result.message = error.value(QLatin1String("message")).toString();
    if (result.message.isEmpty())
        result.message = QStringLiteral("Anthropic reported %1 during the stream")
                             .arg(QString::fromUtf8(result.type));
    return result;
}

ApiError AnthropicErrorMapper::fromHttpResponse(int status, const QByteArray &body,
                                                const QByteArray &retryAfter)
{
    ApiError result;
    result.retryAfter = retryAfter;
    if (status >= 300 && status < 400) {
        result.status = 502;
        result.type = "upstream_error";
        result.code = "upstream_redirect";
        result.message = QStringLiteral("Anthropic answered with a redirect (HTTP %1), which is "
                                        "not followed; check the provider's baseUrl")
                             .arg(status);
        return result;
    }
    result.status = (status >= 400 && status <= 599) ? status : 502;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject error = doc.isObject() ? innerError(doc.object()) : QJsonObject();
    result.type = error.value(QLatin1String("type")).toString().toUtf8();
    result.message = error.value(QLatin1String("message")).toString();
    if (result.type.isEmpty())
        result.type = typeForStatus(result.status);
    if (result.message.isEmpty()) {
        result.message = QStringLiteral("Anthropic returned HTTP %1").arg(status);
        const QString snippet = printableSnippet(body);
        if (!snippet.isEmpty())
            result.message += QStringLiteral(": ") + snippet;
    }
    return result;
}

ApiError AnthropicErrorMapper::fromTransport(UpstreamReply::Error error, const QString &message,
                                             bool responseStarted)
{
    using E = UpstreamReply::Error;
    switch (error) {
    case E::ConnectTimeout:
    case E::FirstByteTimeout:
    case E::IdleTimeout:
        return ApiError::upstream(504, QStringLiteral("Anthropic timed out: ") + message,
                                  "upstream_timeout");
    case E::ConnectionClosed:
        return ApiError::upstream(
            502,
            responseStarted ? QStringLiteral("the connection to Anthropic was lost "
                                             "mid-response: ") +
                                  message
                            : QStringLiteral("Anthropic closed the connection: ") + message,
            "upstream_closed");
    case E::Protocol:
        return ApiError::upstream(502,
                                  QStringLiteral("Anthropic sent a malformed response: ") + message,
                                  "upstream_protocol");
    default:
        return ApiError::upstream(502, QStringLiteral("could not reach Anthropic: ") + message,
                                  "upstream_unreachable");
    }
}

} // namespace portico
