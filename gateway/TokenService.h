#pragma once

#include "Config.h"
#include "SecretJob.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QPointer>

#include <functional>

namespace portico {

class SecretStore;

// The outcome of one TokenService operation.
struct TokenResult
{
    SecretJob::Error error = SecretJob::Error::None;
    QString errorString;  // what went wrong and what to do; empty on success
    TokenRecord record;   // the token concerned
    QByteArray secret;    // the full token (createToken, readToken, ensureDefaultToken)
    bool created = false; // ensureDefaultToken: a new default token was made

    bool ok() const { return error == SecretJob::Error::None; }
};

// Named client tokens: creates them (a strong random secret kept in the SecretStore under
// "token/<id>", a digest for the config), reads them back for "Copy token", revokes them, and
// tracks when each was last used. The token list itself belongs to the Config: the caller adds
// and removes records (except ensureDefaultToken, which adds the default one).
//
// Every asynchronous call ends exactly once by calling `done` from the event loop, unless
// `context` was destroyed first. A token whose secret the store no longer has is reported as an
// error and never silently replaced by a new one.
class TokenService : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const TokenResult &result)>;

    explicit TokenService(SecretStore *store, QObject *parent = nullptr);

    // Generates a new token and stores its secret. On success `result.record` (id, name, digest,
    // created) goes into the config and `result.secret` may be shown to the user once.
    void createToken(const QString &name, const QObject *context, Callback done);
    // Reads a token's secret back from the store and checks it against the record's digest.
    void readToken(const TokenRecord &record, const QObject *context, Callback done);
    // Removes a token's secret from the store (the caller removes the record from the config).
    void revoke(const QString &tokenId, const QObject *context, Callback done);
    // First run: with no token in `config`, creates "default" and appends it to
    // config.gateway.tokens (the caller saves the config). Otherwise reads the existing default
    // token (named "default", else the first one) so that Copy token works; if the store has no
    // secret for it, that is an error. `config` must outlive the call.
    void ensureDefaultToken(Config &config, const QObject *context, Callback done);

    // Record-level helpers for the config's token list.
    // Empty when `name` may be used (not blank, at most 64 characters, no control characters,
    // not the name of another token, case-insensitively); otherwise why not.
    static QString nameProblem(const QList<TokenRecord> &tokens, const QString &name,
                               const QString &exceptId = {});
    static bool rename(QList<TokenRecord> &tokens, const QString &tokenId, const QString &newName,
                       QString *error);
    static const TokenRecord *findByName(const QList<TokenRecord> &tokens, const QString &name);
    static const TokenRecord *findById(const QList<TokenRecord> &tokens, const QString &id);

    static QString defaultTokenName() { return QStringLiteral("default"); }
    static QByteArray tokenPrefix() { return QByteArrayLiteral("pt_"); }
    // "pt_" + unpadded base64url of 32 bytes from the system's secure generator.
    static QByteArray generateSecret();
    static QString generateId(); // 16 hex digits

    // Thread-safe and cheap (no allocation after a token's first use); call it whenever a request
    // is accepted with token `name`.
    void noteUsed(const QString &name);
    QDateTime lastUsed(const QString &name) const; // invalid when not used in this run

Q_SIGNALS:
    // A token was used for the first time since the application started.
    void tokenFirstUsed(const QString &name);
    // The store said the keychain is missing, locked or refusing (NoBackend or AccessDenied).
    void storeUnavailable(portico::SecretJob::Error error, const QString &errorString);

private:
    using Handler = std::function<TokenResult(SecretJob *job)>;

    // Runs `handler` when `job` ends and passes its result to `done` (if `context` still lives).
    void whenFinished(SecretJob *job, const QObject *context, Handler handler, Callback done);
    // Ends an operation that failed before it reached the store, from the event loop.
    void failLater(const QObject *context, Callback done, TokenResult result);
    TokenResult failure(const SecretJob *job, const TokenRecord &record, const QString &what);

    QPointer<SecretStore> m_store;
    mutable QMutex m_usedMutex;
    QHash<QString, qint64> m_lastUsedMs;
};

} // namespace portico
