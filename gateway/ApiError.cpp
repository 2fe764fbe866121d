#include "ApiError.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace portico {

QByteArray ApiError::toJson() const
{
    if (!rawBody.isEmpty())
        return rawBody;
    QJsonObject error{
        {QStringLiteral("message"), message},
        {QStringLiteral("type"), QString::fromLatin1(type)},
        {QStringLiteral("param"), param.isEmpty() ? QJsonValue() : QJsonValue(param)},
        {QStringLiteral("code"),
         code.isEmpty() ? QJsonValue() : QJsonValue(QString::fromLatin1(code))},
    };
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), error}})
        .toJson(QJsonDocument::Compact);
}

ApiError ApiError::invalidRequest(const QString &message, const QString &param,
                                  const QByteArray &code)
{
    return {400, "invalid_request_error", code, message, param, {}, {}};
}

ApiError ApiError::notFound(const QString &message, const QByteArray &code)
{
    return {404, "invalid_request_error", code, message, {}, {}, {}};
}

ApiError ApiError::unauthorized(const QString &message)
{
    return {401, "authentication_error", "invalid_api_key", message, {}, {}, {}};
}

ApiError ApiError::forbidden(const QString &message)
{
    return {403, "permission_error", "forbidden", message, {}, {}, {}};
}

ApiError ApiError::upstream(int status, const QString &message, const QByteArray &code)
{
    return {status, "upstream_error", code, message, {}, {}, {}};
}

} // namespace portico
