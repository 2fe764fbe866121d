#pragma once

#include "SecretJob.h"

#include <QTimer>

namespace QKeychain {
class Job;
}

namespace portico {

// One SecretJob carried out by QtKeychain. Maps QtKeychain's errors to SecretJob::Error with
// messages that say what to do, retries once (after retryDelayMs) when no Secret Service
// answers, and ends by itself after timeoutMs whatever the keychain does. Never enables
// QtKeychain's plaintext fallback.
class KeychainJob : public SecretJob
{
    Q_OBJECT
public:
    KeychainJob(Kind kind, const QString &service, const QString &key, const QByteArray &secret,
                int timeoutMs, int retryDelayMs, QObject *parent = nullptr);

    // What to tell a person when no keychain service answers, or when it refuses.
    static QString noBackendMessage();
    static QString accessDeniedMessage();

private:
    void attempt();
    void onKeychainFinished(QKeychain::Job *job);
    // Ends with `error`, unless the keyring turns out to be locked (then AccessDenied).
    void endUnlessLocked(Error error, const QString &errorString);
    void onTimeout();
    void end(Error error, const QString &errorString, const QByteArray &data = {});

    QString m_service;
    QByteArray m_secret;
    int m_timeoutMs;
    int m_retryDelayMs;
    bool m_retried = false;
    QTimer m_deadline;
};

} // namespace portico
