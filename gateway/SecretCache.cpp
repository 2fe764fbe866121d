#include "SecretCache.h"

#include "SecretStore.h"

#include <QTimer>

#include <memory>

namespace portico {

namespace {

QString noStore()
{
    return QStringLiteral("No secret store is available.");
}

} // namespace

SecretCache::SecretCache(SecretStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{}

void SecretCache::finishLater(QObject *owner, const QObject *context, Callback done,
                              SecretJob::Error error, const QString &errorString)
{
    const QPointer<const QObject> guard(context);
    const bool hadContext = context != nullptr;
    QTimer::singleShot(0, owner, [guard, hadContext, done = std::move(done), error, errorString] {
        if (done && (!hadContext || guard))
            done(error, errorString);
    });
}

void SecretCache::report(SecretJob *job)
{
    if (job->error() == SecretJob::Error::NoBackend ||
        job->error() == SecretJob::Error::AccessDenied)
        emit storeUnavailable(job->error(), job->errorString());
}

void SecretCache::load(const QStringList &keys, const QObject *context, Callback done)
{
    if (!m_store || keys.isEmpty()) {
        finishLater(this, context, std::move(done),
                    m_store || keys.isEmpty() ? SecretJob::Error::None
                                              : SecretJob::Error::NoBackend,
                    m_store || keys.isEmpty() ? QString() : noStore());
        return;
    }
    struct Pending
    {
        qsizetype left = 0;
        SecretJob::Error error = SecretJob::Error::None;
        QString errorString;
        QPointer<const QObject> guard;
        bool hadContext = false;
        Callback done;
    };
    auto pending = std::make_shared<Pending>();
    pending->left = keys.size();
    pending->guard = context;
    pending->hadContext = context != nullptr;
    pending->done = std::move(done);
    for (const QString &key : keys) {
        SecretJob *job = m_store->read(key);
        connect(job, &SecretJob::finished, this, [this, pending](SecretJob *finished) {
            if (finished->error() == SecretJob::Error::None) {
                m_values.insert(finished->key(), finished->data());
                emit changed(finished->key());
            } else if (finished->error() == SecretJob::Error::NotFound) {
                if (m_values.remove(finished->key()) > 0)
                    emit changed(finished->key());
            } else {
                report(finished);
                if (pending->error == SecretJob::Error::None) {
                    pending->error = finished->error();
                    pending->errorString = finished->errorString();
                }
            }
            if (--pending->left == 0 && pending->done && (!pending->hadContext || pending->guard))
                pending->done(pending->error, pending->errorString);
        });
    }
}

void SecretCache::set(const QString &key, const QByteArray &value, const QObject *context,
                      Callback done)
{
    if (!m_store) {
        finishLater(this, context, std::move(done), SecretJob::Error::NoBackend, noStore());
        return;
    }
    const QPointer<const QObject> guard(context);
    const bool hadContext = context != nullptr;
    SecretJob *job = m_store->write(key, value);
    connect(job, &SecretJob::finished, this,
            [this, value, guard, hadContext, done = std::move(done)](SecretJob *finished) {
                if (finished->error() == SecretJob::Error::None) {
                    m_values.insert(finished->key(), value);
                    emit changed(finished->key());
                } else {
                    report(finished);
                }
                if (done && (!hadContext || guard))
                    done(finished->error(), finished->errorString());
            });
}

void SecretCache::remove(const QString &key, const QObject *context, Callback done)
{
    if (!m_store) {
        finishLater(this, context, std::move(done), SecretJob::Error::NoBackend, noStore());
        return;
    }
    const QPointer<const QObject> guard(context);
    const bool hadContext = context != nullptr;
    SecretJob *job = m_store->remove(key);
    connect(job, &SecretJob::finished, this,
            [this, guard, hadContext, done = std::move(done)](SecretJob *finished) {
                if (finished->error() == SecretJob::Error::None) {
                    if (m_values.remove(finished->key()) > 0)
                        emit changed(finished->key());
                } else {
                    report(finished);
                }
                if (done && (!hadContext || guard))
                    done(finished->error(), finished->errorString());
            });
}

QHash<QString, QByteArray> SecretCache::providerKeys() const
{
    static const QString prefix = QStringLiteral("provider/");
    static const QString suffix = QStringLiteral("/apiKey");
    QHash<QString, QByteArray> keys;
    for (auto it = m_values.cbegin(); it != m_values.cend(); ++it) {
        if (it.key().startsWith(prefix) && it.key().endsWith(suffix))
            keys.insert(
                it.key().mid(prefix.size(), it.key().size() - prefix.size() - suffix.size()),
                it.value());
    }
    return keys;
}

} // namespace portico
