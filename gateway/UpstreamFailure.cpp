#include "UpstreamFailure.h"

namespace portico {

namespace {

using Error = UpstreamReply::Error;

QString duration(int ms)
{
    return ms % 1000 == 0 ? QStringLiteral("%1 s").arg(ms / 1000) : QStringLiteral("%1 ms").arg(ms);
}

bool isTlsError(QAbstractSocket::SocketError error)
{
    return error == QAbstractSocket::SslHandshakeFailedError ||
           error == QAbstractSocket::SslInternalError ||
           error == QAbstractSocket::SslInvalidUserDataError;
}

} // namespace

UpstreamFailure UpstreamFailure::connecting(QAbstractSocket::SocketError socketError, bool tls,
                                            const QString &label, const QString &host,
                                            const QString &detail)
{
    switch (socketError) {
    case QAbstractSocket::ConnectionRefusedError:
        return {Error::ConnectionRefused, QStringLiteral("connection refused by %1").arg(label)};
    case QAbstractSocket::HostNotFoundError:
        return {Error::HostNotFound, QStringLiteral("host not found: %1").arg(host)};
    default:
        break;
    }
    if (tls || isTlsError(socketError))
        return {Error::Tls, QStringLiteral("TLS connection to %1 failed: %2").arg(label, detail)};
    if (socketError == QAbstractSocket::RemoteHostClosedError)
        return {Error::ConnectionClosed,
                QStringLiteral("%1 closed the connection while connecting").arg(label)};
    return {Error::Network, QStringLiteral("cannot connect to %1: %2").arg(label, detail)};
}

UpstreamFailure UpstreamFailure::exchanging(QAbstractSocket::SocketError socketError,
                                            const QString &label, const QString &detail)
{
    return {isTlsError(socketError) ? Error::Tls : Error::Network,
            QStringLiteral("connection to %1 failed: %2").arg(label, detail)};
}

UpstreamFailure UpstreamFailure::closed(const QString &label, bool responded, bool headerComplete)
{
    if (!responded)
        return {Error::ConnectionClosed,
                QStringLiteral("%1 closed the connection without responding").arg(label)};
    return {
        Error::ConnectionClosed,
        headerComplete
            ? QStringLiteral("%1 closed the connection before the response was complete").arg(label)
            : QStringLiteral("%1 closed the connection before the response header was complete")
                  .arg(label)};
}

UpstreamFailure UpstreamFailure::protocol(const QString &label, const QString &detail)
{
    return {Error::Protocol, QStringLiteral("invalid response from %1: %2").arg(label, detail)};
}

UpstreamFailure UpstreamFailure::tlsUnavailable(const QString &label)
{
    return {Error::Tls, QStringLiteral("TLS is not available to connect to %1").arg(label)};
}

UpstreamFailure UpstreamFailure::connectTimeout(const QString &label, int ms)
{
    return {Error::ConnectTimeout,
            QStringLiteral("connecting to %1 timed out after %2").arg(label, duration(ms))};
}

UpstreamFailure UpstreamFailure::firstByteTimeout(const QString &label, int ms)
{
    return {Error::FirstByteTimeout,
            QStringLiteral("no response header from %1 within %2").arg(label, duration(ms))};
}

UpstreamFailure UpstreamFailure::idleTimeout(const QString &label, int ms)
{
    return {Error::IdleTimeout, QStringLiteral("no data from %1 for %2").arg(label, duration(ms))};
}

} // namespace portico
