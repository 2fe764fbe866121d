#pragma once

#include "SecretStore.h"

#include <QHash>
#include <QStringList>

namespace portico {

// A SecretStore held in memory, for tests and for runs without a keychain that must not
// persist anything. Errors and delays can be injected to exercise every failure path.
class MemorySecretStore : public SecretStore
{
    Q_OBJECT
public:
    explicit MemorySecretStore(QObject *parent = nullptr);

    SecretJob *read(const QString &key) override;
    SecretJob *write(const QString &key, const QByteArray &secret) override;
    SecretJob *remove(const QString &key) override;

    // Every later job fails with `error` (SecretJob::Error::None stops that). With a non-empty
    // `key`, only jobs on that key fail. A failing job changes nothing.
    void setFailure(SecretJob::Error error, const QString &errorString = {},
                    const QString &key = {});
    // Jobs finish after `ms` milliseconds (default 0: on the next event-loop pass).
    void setDelay(int ms) { m_delayMs = ms; }

    // Direct, synchronous access for test set-up and checks.
    void insert(const QString &key, const QByteArray &secret) { m_values.insert(key, secret); }
    bool contains(const QString &key) const { return m_values.contains(key); }
    QByteArray value(const QString &key) const { return m_values.value(key); }
    QStringList keys() const;
    void clear() { m_values.clear(); }
    // How many jobs of this kind were started.
    int jobCount(SecretJob::Kind kind) const { return m_counts.value(kind); }

private:
    struct Failure
    {
        SecretJob::Error error = SecretJob::Error::None;
        QString errorString;
    };

    SecretJob *start(SecretJob::Kind kind, const QString &key, const QByteArray &secret);

    QHash<QString, QByteArray> m_values;
    QHash<SecretJob::Kind, int> m_counts;
    Failure m_failAll;
    QHash<QString, Failure> m_failKey;
    int m_delayMs = 0;
};

} // namespace portico
