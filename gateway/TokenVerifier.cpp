#include "TokenVerifier.h"

#include <QCryptographicHash>

#include <cctype>
#include <cstring>

namespace portico {

namespace {

// SHA-256 without a heap allocation per call: one hasher per thread, reset each time.
TokenVerifier::Digest sha256(QByteArrayView data)
{
    thread_local QCryptographicHash hasher(QCryptographicHash::Sha256);
    hasher.reset();
    hasher.addData(data);
    const QByteArrayView result = hasher.resultView();
    TokenVerifier::Digest digest{};
    Q_ASSERT(result.size() == TokenVerifier::kDigestSize);
    std::memcpy(digest.data(), result.data(), digest.size());
    return digest;
}

} // namespace

TokenVerifier::TokenVerifier(const QList<TokenRecord> &tokens, QByteArrayView environmentToken)
{
    m_entries.reserve(tokens.size() + 1);
    for (const TokenRecord &token : tokens)
        addHexDigest(token.sha256Hex, token.name);
    if (!environmentToken.isEmpty())
        addSecret(environmentToken, environmentTokenName());
}

TokenVerifier TokenVerifier::forPassword(QByteArrayView password,
                                         QByteArrayView environmentPassword)
{
    TokenVerifier verifier;
    if (!password.isEmpty())
        verifier.addSecret(password, passwordName());
    if (!environmentPassword.isEmpty())
        verifier.addSecret(environmentPassword, passwordName());
    return verifier;
}

TokenVerifier TokenVerifier::forPasswordDigest(QByteArrayView sha256Hex)
{
    TokenVerifier verifier;
    verifier.addHexDigest(sha256Hex, passwordName());
    return verifier;
}

std::optional<QString> TokenVerifier::verify(QByteArrayView presented) const
{
    if (presented.isEmpty() || m_entries.isEmpty())
        return std::nullopt;
    const Digest digest = sha256(presented);

    // Every digest and every byte is examined whatever matches; the index of a match is picked
    // with a mask rather than a branch.
    qsizetype matched = -1;
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        const Digest &candidate = m_entries.at(i).digest;
        unsigned diff = 0;
        for (qsizetype b = 0; b < kDigestSize; ++b)
            diff |= static_cast<unsigned>(digest[b] ^ candidate[b]);
        const qsizetype mask = qsizetype(0) - static_cast<qsizetype>(diff == 0);
        matched = (matched & ~mask) | (i & mask);
    }
    if (matched < 0)
        return std::nullopt;
    return m_entries.at(matched).name;
}

QByteArray TokenVerifier::environmentToken()
{
    return qgetenv("PORTICO_GATEWAY_TOKEN");
}

QByteArray TokenVerifier::environmentPassword()
{
    return qgetenv("PORTICO_GATEWAY_PASSWORD");
}

QByteArray TokenVerifier::sha256Hex(QByteArrayView secret)
{
    return QCryptographicHash::hash(secret, QCryptographicHash::Sha256).toHex();
}

void TokenVerifier::addSecret(QByteArrayView secret, const QString &name)
{
    m_entries.append(Entry{sha256(secret), name});
}

void TokenVerifier::addHexDigest(QByteArrayView sha256Hex, const QString &name)
{
    if (sha256Hex.size() != 2 * kDigestSize)
        return;
    for (const char c : sha256Hex) {
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return;
    }
    const QByteArray raw = QByteArray::fromHex(sha256Hex.toByteArray());
    Entry entry{{}, name};
    std::memcpy(entry.digest.data(), raw.constData(), entry.digest.size());
    m_entries.append(entry);
}

} // namespace portico
