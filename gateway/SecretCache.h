#pragma once

#include "SecretJob.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>

namespace portico {

class SecretStore;

// The secrets the running gateway needs in memory (provider API keys, the password), read from
// a SecretStore and kept in step with it when they are changed through this cache, so that no
// request ever waits on the keychain. Lives in the GUI thread.
//
// Every asynchronous call ends exactly once by calling `done` from the event loop, unless
// `context` was destroyed first.
class SecretCache : public QObject
{
    Q_OBJECT
public:
    // `error` is SecretJob::Error::None on success; `errorString` says what went wrong.
    using Callback = std::function<void(SecretJob::Error error, const QString &errorString)>;

    explicit SecretCache(SecretStore *store, QObject *parent = nullptr);

    // Reads `keys` into the cache. A key the store does not have is simply absent; any other
    // failure is reported (the first one) after every read ended.
    void load(const QStringList &keys, const QObject *context, Callback done);
    // Writes to the store, then to the cache. Nothing changes if the store fails.
    void set(const QString &key, const QByteArray &value, const QObject *context, Callback done);
    // Removes from the store, then from the cache.
    void remove(const QString &key, const QObject *context, Callback done);

    bool contains(const QString &key) const { return m_values.contains(key); }
    QByteArray value(const QString &key) const { return m_values.value(key); }
    // The API keys held for providers ("provider/<id>/apiKey"), by provider id.
    QHash<QString, QByteArray> providerKeys() const;

signals:
    // A key's value was loaded, set or removed.
    void changed(const QString &key);
    // The store said the keychain is missing, locked or refusing (NoBackend or AccessDenied).
    void storeUnavailable(portico::SecretJob::Error error, const QString &errorString);

private:
    void report(SecretJob *job);
    static void finishLater(QObject *owner, const QObject *context, Callback done,
                            SecretJob::Error error, const QString &errorString);

    QPointer<SecretStore> m_store;
    QHash<QString, QByteArray> m_values;
};

} // namespace portico
