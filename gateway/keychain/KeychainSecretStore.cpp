#include "KeychainSecretStore.h"

#include "KeychainJob.h"

namespace portico {

KeychainSecretStore::KeychainSecretStore(QObject *parent)
    : SecretStore(parent)
{}

SecretJob *KeychainSecretStore::read(const QString &key)
{
    return new KeychainJob(SecretJob::Kind::Read, serviceName(), key, {}, m_jobTimeoutMs,
                           m_retryDelayMs);
}

SecretJob *KeychainSecretStore::write(const QString &key, const QByteArray &secret)
{
    return new KeychainJob(SecretJob::Kind::Write, serviceName(), key, secret, m_jobTimeoutMs,
                           m_retryDelayMs);
}

SecretJob *KeychainSecretStore::remove(const QString &key)
{
    return new KeychainJob(SecretJob::Kind::Remove, serviceName(), key, {}, m_jobTimeoutMs,
                           m_retryDelayMs);
}

void KeychainSecretStore::setTimeouts(int jobTimeoutMs, int retryDelayMs)
{
    m_jobTimeoutMs = jobTimeoutMs;
    m_retryDelayMs = retryDelayMs;
}

} // namespace portico
