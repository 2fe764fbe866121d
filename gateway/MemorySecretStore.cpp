#include "MemorySecretStore.h"

#include <QTimer>

#include <algorithm>

namespace portico {

namespace {

// A job whose outcome is known when it starts; it is delivered later, from the event loop.
class PresetSecretJob : public SecretJob
{
public:
    PresetSecretJob(Kind kind, const QString &key, int delayMs, Error error,
                    const QString &errorString, const QByteArray &data)
        : SecretJob(kind, key)
    {
        QTimer::singleShot(delayMs, this,
                           [this, error, errorString, data] { finish(error, errorString, data); });
    }
};

} // namespace

MemorySecretStore::MemorySecretStore(QObject *parent)
    : SecretStore(parent)
{}

SecretJob *MemorySecretStore::read(const QString &key)
{
    return start(SecretJob::Kind::Read, key, {});
}

SecretJob *MemorySecretStore::write(const QString &key, const QByteArray &secret)
{
    return start(SecretJob::Kind::Write, key, secret);
}

SecretJob *MemorySecretStore::remove(const QString &key)
{
    return start(SecretJob::Kind::Remove, key, {});
}

void MemorySecretStore::setFailure(SecretJob::Error error, const QString &errorString,
                                   const QString &key)
{
    Failure failure{error, errorString};
    if (failure.errorString.isEmpty() && error != SecretJob::Error::None)
        failure.errorString = QStringLiteral("injected failure: ") + SecretJob::errorName(error);
    if (key.isEmpty())
        m_failAll = failure;
    else if (error == SecretJob::Error::None)
        m_failKey.remove(key);
    else
        m_failKey.insert(key, failure);
}

QStringList MemorySecretStore::keys() const
{
    QStringList list = m_values.keys();
    std::sort(list.begin(), list.end());
    return list;
}

SecretJob *MemorySecretStore::start(SecretJob::Kind kind, const QString &key,
                                    const QByteArray &secret)
{
    ++m_counts[kind];
    Failure failure = m_failKey.value(key, m_failAll); // a key's own failure wins
    QByteArray data;
    if (failure.error == SecretJob::Error::None) {
        switch (kind) {
        case SecretJob::Kind::Read:
            if (m_values.contains(key))
                data = m_values.value(key);
            else
                failure = {SecretJob::Error::NotFound,
                           QStringLiteral("no secret is stored under \"%1\"").arg(key)};
            break;
        case SecretJob::Kind::Write:
            m_values.insert(key, secret);
            break;
        case SecretJob::Kind::Remove:
            m_values.remove(key);
            break;
        }
    }
    return new PresetSecretJob(kind, key, m_delayMs, failure.error, failure.errorString, data);
}

} // namespace portico
