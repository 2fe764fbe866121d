#pragma once

#include "SecretJob.h"

#include <QObject>

namespace portico {

// An asynchronous key/value store for secrets: client tokens ("token/<id>"), the gateway
// password ("password") and provider API keys ("provider/<id>/apiKey").
//
// Every call returns a job that is already started and emits SecretJob::finished exactly once,
// later, from the event loop; connect to it right away. Jobs do not depend on the store once
// started, so destroying the store does not cut them short. Removing a missing key succeeds.
// Implementations never fall back to storing secrets in plaintext.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual SecretJob *read(const QString &key) = 0;
    virtual SecretJob *write(const QString &key, const QByteArray &secret) = 0;
    virtual SecretJob *remove(const QString &key) = 0;

    static QString tokenKey(const QString &tokenId) { return QStringLiteral("token/") + tokenId; }
    static QString passwordKey() { return QStringLiteral("password"); }
    static QString providerApiKeyKey(const QString &providerId)
    {
        return QStringLiteral("provider/") + providerId + QStringLiteral("/apiKey");
    }
};

} // namespace portico
