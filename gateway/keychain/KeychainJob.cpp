#include "KeychainJob.h"

#include <QLoggingCategory>

#ifdef PORTICO_KEYCHAIN_SECRET_SERVICE
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#endif

#include <qt6keychain/keychain.h>

namespace portico {

namespace {

// Diagnostics only (callers report errors): QT_LOGGING_RULES="portico.keychain.info=true".
Q_LOGGING_CATEGORY(lcKeychain, "portico.keychain", QtWarningMsg)

// Where QtKeychain talks to the Secret Service (or KWallet) over D-Bus (see CMakeLists.txt).
#ifdef PORTICO_KEYCHAIN_SECRET_SERVICE
constexpr bool kSecretServicePlatform = true;
#else
constexpr bool kSecretServicePlatform = false;
#endif

// What to do when no keychain service answers.
QString remedy()
{
    if (kSecretServicePlatform)
        return QStringLiteral(
            "Install and start gnome-keyring or KWallet (for example \"apt install "
            "gnome-keyring\", then log in again), or set PORTICO_GATEWAY_TOKEN "
            "for headless use.");
    return QStringLiteral("Set PORTICO_GATEWAY_TOKEN for headless use.");
}

QString withDetail(const QString &message, const QString &detail)
{
    if (detail.isEmpty())
        return message;
    return message + QStringLiteral(" (keychain: ") + detail + QLatin1Char(')');
}

} // namespace

KeychainJob::KeychainJob(Kind kind, const QString &service, const QString &key,
                         const QByteArray &secret, int timeoutMs, int retryDelayMs, QObject *parent)
    : SecretJob(kind, key, parent)
    , m_service(service)
    , m_secret(secret)
    , m_timeoutMs(timeoutMs)
    , m_retryDelayMs(retryDelayMs)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &KeychainJob::onTimeout);
    m_deadline.start(timeoutMs);
    attempt(); // QtKeychain starts its jobs from the event loop, so this returns at once
}

QString KeychainJob::noBackendMessage()
{
    if (kSecretServicePlatform)
        return QStringLiteral("No Secret Service is running on D-Bus. ") + remedy();
    return QStringLiteral("No keychain service is available on this system. ") + remedy();
}

QString KeychainJob::accessDeniedMessage()
{
    return QStringLiteral("The keychain is locked or refused access. Unlock it and allow "
                          "Portico to use it, then try again.");
}

void KeychainJob::attempt()
{
    if (isFinished())
        return;
    QKeychain::Job *job = nullptr;
    switch (kind()) {
    case Kind::Read:
        job = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Kind::Write: {
        auto *write = new QKeychain::WritePasswordJob(m_service);
        write->setTextData(QString::fromUtf8(m_secret));
        job = write;
        break;
    }
    case Kind::Remove:
        job = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    // No parent, and it deletes itself once finished: its backend may call back into it after
    // this job gave up (timeout), so it must not be deleted before it finishes.
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key());
    connect(job, &QKeychain::Job::finished, this, &KeychainJob::onKeychainFinished);
    job->start();
}

void KeychainJob::onKeychainFinished(QKeychain::Job *job)
{
    const QString detail = job->errorString();
    switch (job->error()) {
    case QKeychain::NoError:
        if (kind() == Kind::Read)
            end(Error::None, {}, static_cast<QKeychain::ReadPasswordJob *>(job)->binaryData());
        else if (kind() == Kind::Remove)
            endUnlessLocked(Error::None, {}); // a locked keyring "removes" nothing, silently
        else
            end(Error::None, {});
        return;
    case QKeychain::EntryNotFound:
        if (kind() == Kind::Remove)
            endUnlessLocked(Error::None, {}); // already gone, or hidden by a locked keyring
        else
            endUnlessLocked(Error::NotFound,
                            QStringLiteral("The keychain holds no secret for \"%1\".").arg(key()));
        return;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        end(Error::AccessDenied, withDetail(accessDeniedMessage(), detail));
        return;
    case QKeychain::NoBackendAvailable:
    case QKeychain::OtherError:
        if (job->error() == QKeychain::NoBackendAvailable || kSecretServicePlatform) {
            // The Secret Service may still be starting with the session: try once more.
            if (!m_retried) {
                m_retried = true;
                qCInfo(lcKeychain, "keychain job for \"%s\" failed (%s); retrying in %d ms",
                       qUtf8Printable(key()), qUtf8Printable(detail), m_retryDelayMs);
                QTimer::singleShot(m_retryDelayMs, this, &KeychainJob::attempt);
                return;
            }
            end(Error::NoBackend, withDetail(noBackendMessage(), detail));
            return;
        }
        break;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::NotImplemented:
        break;
    }
    end(Error::Other, withDetail(QStringLiteral("The keychain failed."), detail));
}

void KeychainJob::endUnlessLocked(Error error, const QString &errorString)
{
#ifdef PORTICO_KEYCHAIN_SECRET_SERVICE
    // With the Secret Service, a locked collection whose unlock prompt fails or is dismissed
    // makes lookups come back empty and deletions do nothing, without an error. Ask whether the
    // default collection (where our entries live) is locked before believing that.
    QDBusMessage get = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.secrets"),
        QStringLiteral("/org/freedesktop/secrets/aliases/default"),
        QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
    get << QStringLiteral("org.freedesktop.Secret.Collection") << QStringLiteral("Locked");
    get.setAutoStartService(false);
    const QDBusPendingCall call = QDBusConnection::sessionBus().asyncCall(get, m_timeoutMs);
    auto *watcher = new QDBusPendingCallWatcher(call, this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher, error, errorString] {
        watcher->deleteLater();
        const QDBusPendingReply<QDBusVariant> reply = *watcher;
        if (reply.isValid() && reply.value().variant().toBool())
            end(Error::AccessDenied,
                withDetail(accessDeniedMessage(),
                           QStringLiteral("the default collection is locked")));
        else
            end(error, errorString);
    });
#else
    end(error, errorString);
#endif
}

void KeychainJob::onTimeout()
{
    end(Error::NoBackend,
        QStringLiteral("The keychain did not answer within %1 s: it may be waiting to be "
                       "unlocked, or no keychain service is running. ")
                .arg(m_timeoutMs / 1000.0) +
            remedy());
}

void KeychainJob::end(Error error, const QString &errorString, const QByteArray &data)
{
    if (isFinished())
        return;
    m_deadline.stop();
    m_secret.clear();
    if (error != Error::None && error != Error::NotFound)
        qCInfo(lcKeychain, "keychain job for \"%s\" failed: %s", qUtf8Printable(key()),
               qUtf8Printable(errorString));
    finish(error, errorString, data);
}

} // namespace portico
