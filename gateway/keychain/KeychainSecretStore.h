#pragma once

#include "SecretStore.h"

namespace portico {

// The SecretStore in the operating system's keychain, through QtKeychain: the Secret Service
// (gnome-keyring, KWallet) on Linux, Keychain on macOS, Credential Manager on Windows.
// Entries use the service name "portico" and keys such as "token/<id>". Never falls back to
// plaintext storage. Each job ends within jobTimeoutMs() even when the keychain never answers.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    explicit KeychainSecretStore(QObject *parent = nullptr);

    SecretJob *read(const QString &key) override;
    SecretJob *write(const QString &key, const QByteArray &secret) override;
    SecretJob *remove(const QString &key) override;

    static QString serviceName() { return QStringLiteral("portico"); }

    // Bounds for every later job: the whole job (default 10 s) and the pause before the one
    // retry when no keychain service answers (default 3 s).
    void setTimeouts(int jobTimeoutMs, int retryDelayMs);
    int jobTimeoutMs() const { return m_jobTimeoutMs; }
    int retryDelayMs() const { return m_retryDelayMs; }

private:
    int m_jobTimeoutMs = 10'000;
    int m_retryDelayMs = 3'000;
};

} // namespace portico
