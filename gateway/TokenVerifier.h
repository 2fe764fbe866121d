#pragma once

#include "Config.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <array>
#include <optional>

namespace portico {

// Checks a presented client credential against SHA-256 digests held in memory, so a request
// never waits on the keychain. An immutable snapshot: build a new one when the tokens change and
// swap it in. verify() is thread-safe, compares in constant time (every digest, every byte, no
// early exit) and does not allocate. Usable directly as a GatewayState CredentialCheck.
class TokenVerifier
{
public:
    static constexpr qsizetype kDigestSize = 32;
    using Digest = std::array<uchar, kDigestSize>;

    // A verifier that accepts nothing.
    TokenVerifier() = default;
    // Token mode: accepts every configured token (by digest) and, when not empty, the
    // headless `environmentToken` (see environmentToken()). Records whose digest is not 64 hex
    // digits are ignored.
    explicit TokenVerifier(const QList<TokenRecord> &tokens, QByteArrayView environmentToken = {});
    // Password mode: accepts the password (from the keychain) and, when not empty, the
    // headless `environmentPassword` (see environmentPassword()). Both verify as passwordName().
    static TokenVerifier forPassword(QByteArrayView password,
                                     QByteArrayView environmentPassword = {});
    // Password mode from a digest only (64 hex digits), when the plain password is not at hand.
    static TokenVerifier forPasswordDigest(QByteArrayView sha256Hex);

    // The client's name (the token's name, environmentTokenName() or passwordName()) when
    // SHA-256(presented) equals one of the digests; nothing otherwise, and for an empty input.
    std::optional<QString> verify(QByteArrayView presented) const;
    std::optional<QString> operator()(QByteArrayView presented) const { return verify(presented); }

    bool isEmpty() const { return m_entries.isEmpty(); }
    qsizetype size() const { return m_entries.size(); }

    static QByteArray environmentToken();    // $PORTICO_GATEWAY_TOKEN
    static QByteArray environmentPassword(); // $PORTICO_GATEWAY_PASSWORD
    static QString environmentTokenName() { return QStringLiteral("PORTICO_GATEWAY_TOKEN"); }
    static QString passwordName() { return QStringLiteral("password"); }

    // Lower-case hex SHA-256 of a secret: the form TokenRecord::sha256Hex holds.
    static QByteArray sha256Hex(QByteArrayView secret);

private:
    struct Entry
    {
        Digest digest;
        QString name;
    };

    void addSecret(QByteArrayView secret, const QString &name);
    void addHexDigest(QByteArrayView sha256Hex, const QString &name);

    QList<Entry> m_entries; // implicitly shared, never modified after construction
};

} // namespace portico
