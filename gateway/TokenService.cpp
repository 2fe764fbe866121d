#include "TokenService.h"

#include "SecretStore.h"
#include "TokenVerifier.h"

#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <array>

namespace portico {

namespace {

QString describe(const TokenRecord &record)
{
    return QStringLiteral("token \"%1\" (id %2)").arg(record.name, record.id);
}

} // namespace

TokenService::TokenService(SecretStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{}

void TokenService::createToken(const QString &name, const QObject *context, Callback done)
{
    TokenRecord record;
    record.id = generateId();
    record.name = name.trimmed();
    record.createdMs = QDateTime::currentMSecsSinceEpoch();
    const QString problem = nameProblem({}, record.name);
    if (!problem.isEmpty()) {
        failLater(context, std::move(done),
                  TokenResult{SecretJob::Error::Other, problem, record, {}, false});
        return;
    }
    const QByteArray secret = generateSecret();
    record.sha256Hex = TokenVerifier::sha256Hex(secret);
    if (!m_store) {
        failLater(context, std::move(done),
                  TokenResult{SecretJob::Error::NoBackend,
                              QStringLiteral("No secret store is available."),
                              record,
                              {},
                              false});
        return;
    }
    whenFinished(
        m_store->write(SecretStore::tokenKey(record.id), secret), context,
        [this, record, secret](SecretJob *job) {
            if (job->error() != SecretJob::Error::None)
                return failure(job, record, QStringLiteral("The new token could not be stored"));
            return TokenResult{SecretJob::Error::None, {}, record, secret, true};
        },
        std::move(done));
}

void TokenService::readToken(const TokenRecord &record, const QObject *context, Callback done)
{
    if (!m_store) {
        failLater(context, std::move(done),
                  TokenResult{SecretJob::Error::NoBackend,
                              QStringLiteral("No secret store is available."),
                              record,
                              {},
                              false});
        return;
    }
    whenFinished(
        m_store->read(SecretStore::tokenKey(record.id)), context,
        [this, record](SecretJob *job) {
            if (job->error() == SecretJob::Error::NotFound) {
                return TokenResult{
                    SecretJob::Error::NotFound,
                    QStringLiteral("The keychain holds no secret for %1. It was not replaced "
                                   "automatically: revoke this token and create a new one.")
                        .arg(describe(record)),
                    record,
                    {},
                    false};
            }
            if (job->error() != SecretJob::Error::None)
                return failure(
                    job, record,
                    QStringLiteral("The secret of %1 could not be read").arg(describe(record)));
            if (TokenVerifier::sha256Hex(job->data()) != record.sha256Hex) {
                return TokenResult{
                    SecretJob::Error::Other,
                    QStringLiteral("The keychain's secret for %1 does not match the digest in "
                                   "the configuration: revoke this token and create a new one.")
                        .arg(describe(record)),
                    record,
                    {},
                    false};
            }
            return TokenResult{SecretJob::Error::None, {}, record, job->data(), false};
        },
        std::move(done));
}

void TokenService::revoke(const QString &tokenId, const QObject *context, Callback done)
{
    TokenRecord record;
    record.id = tokenId;
    if (!m_store) {
        failLater(context, std::move(done),
                  TokenResult{SecretJob::Error::NoBackend,
                              QStringLiteral("No secret store is available."),
                              record,
                              {},
                              false});
        return;
    }
    whenFinished(
        m_store->remove(SecretStore::tokenKey(tokenId)), context,
        [this, record](SecretJob *job) {
            if (job->error() != SecretJob::Error::None)
                return failure(job, record,
                               QStringLiteral("The secret of token %1 could not be removed from "
                                              "the keychain")
                                   .arg(record.id));
            return TokenResult{SecretJob::Error::None, {}, record, {}, false};
        },
        std::move(done));
}

void TokenService::ensureDefaultToken(Config &config, const QObject *context, Callback done)
{
    const QList<TokenRecord> &tokens = config.gateway.tokens;
    if (!tokens.isEmpty()) {
        const TokenRecord *existing = findByName(tokens, defaultTokenName());
        readToken(existing ? *existing : tokens.first(), context, std::move(done));
        return;
    }
    createToken(defaultTokenName(), context,
                [&config, done = std::move(done)](const TokenResult &result) {
                    if (result.ok())
                        config.gateway.tokens.append(result.record);
                    done(result);
                });
}

QString TokenService::nameProblem(const QList<TokenRecord> &tokens, const QString &name,
                                  const QString &exceptId)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return QStringLiteral("A token needs a name.");
    if (trimmed.size() > 64)
        return QStringLiteral("A token's name has at most 64 characters.");
    if (std::any_of(trimmed.cbegin(), trimmed.cend(),
                    [](QChar c) { return c.category() == QChar::Other_Control; }))
        return QStringLiteral("A token's name cannot contain control characters.");
    for (const TokenRecord &token : tokens) {
        if (token.id != exceptId && token.name.compare(trimmed, Qt::CaseInsensitive) == 0)
            return QStringLiteral("There is already a token named \"%1\".").arg(token.name);
    }
    return {};
}

bool TokenService::rename(QList<TokenRecord> &tokens, const QString &tokenId,
                          const QString &newName, QString *error)
{
    const auto it = std::find_if(tokens.begin(), tokens.end(),
                                 [&](const TokenRecord &t) { return t.id == tokenId; });
    QString problem = it == tokens.end()
                          ? QStringLiteral("There is no token with id %1.").arg(tokenId)
                          : nameProblem(tokens, newName, tokenId);
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return false;
    }
    it->name = newName.trimmed();
    return true;
}

const TokenRecord *TokenService::findByName(const QList<TokenRecord> &tokens, const QString &name)
{
    const auto it = std::find_if(tokens.cbegin(), tokens.cend(), [&](const TokenRecord &t) {
        return t.name.compare(name.trimmed(), Qt::CaseInsensitive) == 0;
    });
    return it == tokens.cend() ? nullptr : &*it;
}

const TokenRecord *TokenService::findById(const QList<TokenRecord> &tokens, const QString &id)
{
    const auto it = std::find_if(tokens.cbegin(), tokens.cend(),
                                 [&](const TokenRecord &t) { return t.id == id; });
    return it == tokens.cend() ? nullptr : &*it;
}

QByteArray TokenService::generateSecret()
{
    std::array<quint32, 8> words{}; // 32 bytes
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    const QByteArray raw(reinterpret_cast<const char *>(words.data()),
                         static_cast<qsizetype>(sizeof(words)));
    words.fill(0);
    return tokenPrefix() +
           raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString TokenService::generateId()
{
    const quint64 value = QRandomGenerator::system()->generate64();
    return QStringLiteral("%1").arg(value, 16, 16, QLatin1Char('0'));
}

void TokenService::noteUsed(const QString &name)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    bool first = false;
    {
        QMutexLocker lock(&m_usedMutex);
        const auto it = m_lastUsedMs.find(name);
        first = it == m_lastUsedMs.end();
        if (first)
            m_lastUsedMs.insert(name, now);
        else
            *it = now;
    }
    if (first)
        Q_EMIT tokenFirstUsed(name);
}

QDateTime TokenService::lastUsed(const QString &name) const
{
    QMutexLocker lock(&m_usedMutex);
    const auto it = m_lastUsedMs.constFind(name);
    return it == m_lastUsedMs.cend() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(*it);
}

void TokenService::whenFinished(SecretJob *job, const QObject *context, Handler handler,
                                Callback done)
{
    const QPointer<const QObject> guard(context);
    const bool hadContext = context != nullptr;
    connect(job, &SecretJob::finished, this,
            [guard, hadContext, handler = std::move(handler),
             done = std::move(done)](SecretJob *finishedJob) {
                const TokenResult result = handler(finishedJob);
                if (done && (!hadContext || guard))
                    done(result);
            });
}

void TokenService::failLater(const QObject *context, Callback done, TokenResult result)
{
    const QPointer<const QObject> guard(context);
    const bool hadContext = context != nullptr;
    QTimer::singleShot(0, this,
                       [guard, hadContext, done = std::move(done), result = std::move(result)] {
                           if (done && (!hadContext || guard))
                               done(result);
                       });
}

TokenResult TokenService::failure(const SecretJob *job, const TokenRecord &record,
                                  const QString &what)
{
    if (job->error() == SecretJob::Error::NoBackend ||
        job->error() == SecretJob::Error::AccessDenied)
        Q_EMIT storeUnavailable(job->error(), job->errorString());
    return TokenResult{
        job->error(), what + QStringLiteral(": ") + job->errorString(), record, {}, false};
}

} // namespace portico
