#pragma once

#include "UpstreamClient.h"

#include <QAbstractSocket>
#include <QString>

namespace portico {

// Why an upstream exchange failed: the UpstreamReply::Error and the message that goes with it.
// `label` is the upstream's "host:port".
struct UpstreamFailure
{
    UpstreamReply::Error error = UpstreamReply::Error::Network;
    QString message;

    // The socket failed before the connection (and its TLS session) was ready.
    static UpstreamFailure connecting(QAbstractSocket::SocketError socketError, bool tls,
                                      const QString &label, const QString &host,
                                      const QString &detail);
    // The socket failed while the request was sent or the response read.
    static UpstreamFailure exchanging(QAbstractSocket::SocketError socketError,
                                      const QString &label, const QString &detail);
    // The upstream closed the connection before the response was complete.
    static UpstreamFailure closed(const QString &label, bool responded, bool headerComplete);
    static UpstreamFailure protocol(const QString &label, const QString &detail);
    static UpstreamFailure tlsUnavailable(const QString &label);
    static UpstreamFailure connectTimeout(const QString &label, int ms);
    static UpstreamFailure firstByteTimeout(const QString &label, int ms);
    static UpstreamFailure idleTimeout(const QString &label, int ms);
};

} // namespace portico
