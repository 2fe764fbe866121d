#pragma once

#include <QByteArray>
#include <QString>

namespace portico {

// One error value for every failure the gateway reports to a client. It serialises to the
// OpenAI error envelope {"error":{"message","type","param","code"}}.
struct ApiError
{
    int status = 500;
    QByteArray type = QByteArrayLiteral("api_error");
    QByteArray code; // empty: JSON null
    QString message;
    QString param;         // empty: JSON null
    QByteArray retryAfter; // passed through from an upstream 429/503
    QByteArray rawBody;    // an upstream's own JSON error body, relayed instead of our envelope

    QByteArray toJson() const;
    bool isValid() const { return !message.isEmpty() || !rawBody.isEmpty(); }

    static ApiError invalidRequest(const QString &message, const QString &param = {},
                                   const QByteArray &code = {});
    static ApiError notFound(const QString &message, const QByteArray &code = "not_found");
    static ApiError unauthorized(const QString &message);
    static ApiError forbidden(const QString &message);
    static ApiError upstream(int status, const QString &message, const QByteArray &code);
};

} // namespace portico
