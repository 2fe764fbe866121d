#pragma once

// Internal to the upstream HTTP client: shared by UpstreamClient.cpp and UpstreamConnection.cpp.

#include "UpstreamClient.h"

#include <QHash>
#include <QString>

#include <memory>
#include <vector>

namespace portico {

// What a connection needs to send one request (and to send it again on a fresh connection).
struct UpstreamExchange
{
    QByteArray head; // request line and headers; small bodies are appended here
    QByteArray body; // a large body, written after the head without a copy
    bool headRequest = false;
    UpstreamTimeouts timeouts;
};

// The connections to one (scheme, host, port), with the strings every request needs computed
// once.
struct UpstreamHostPool
{
    QString host; // for connectToHost()
    quint16 port = 0;
    bool tls = false;
    QByteArray hostHeader;                  // "host[:port]", the Host header value
    QString label;                          // "host:port", for error messages
    std::vector<UpstreamConnection *> idle; // most recently used last
    UpstreamConnection *spare = nullptr;    // opened ahead of demand, still connecting
    int live = 0;                           // connections not closed: connecting, busy or idle
    bool warm = false; // answered with keep-alive and not refused since: spares may be opened
};

struct UpstreamPoolKey
{
    QString host;
    quint16 port = 0;
    bool tls = false;
    friend bool operator==(const UpstreamPoolKey &, const UpstreamPoolKey &) = default;
};

inline size_t qHash(const UpstreamPoolKey &key, size_t seed = 0)
{
    return qHashMulti(seed, key.host, key.port, int(key.tls));
}

struct UpstreamClient::Private
{
    explicit Private(UpstreamClient *client)
        : q(client)
    {}

    // The pool of `url`'s host and port, and the request target (path and query) to send.
    UpstreamHostPool *poolFor(const QUrl &url, QByteArray *target);
    UpstreamHostPool *findPool(const QUrl &url);
    // Starts `exchange` for `reply` on an idle connection of `pool` if there is one (and
    // `mayReuse`), else on a new one.
    void start(UpstreamHostPool *pool, UpstreamReply *reply, UpstreamExchange &&exchange,
               bool mayReuse);
    void failLater(UpstreamReply *reply, UpstreamReply::Error error, const QString &message);
    // Opens a spare connection to `pool` (see UpstreamClient::setPreconnect).
    void preconnect(UpstreamHostPool *pool);

    // Called by connections.
    bool release(UpstreamConnection *connection); // false: not pooled, the caller closes it
    void removeIdle(UpstreamConnection *connection);
    void connectionClosed(UpstreamConnection *connection);

    UpstreamClient *q;
    QHash<UpstreamPoolKey, std::shared_ptr<UpstreamHostPool>> pools;
    int maxIdlePerHost = 64;
    int idleTimeoutMs = 30'000;
    bool preconnectEnabled = true;
    int liveConnections = 0; // connecting, busy or idle
    int idleConnections = 0;
    bool shuttingDown = false;
    // The last URL sent to, its pool and its target. A provider's requests copy its one URL and
    // so share its data: the next request is recognised by that data's address, without parsing
    // the URL again. `lastUrl` holds a reference, so the address cannot be reused meanwhile.
    QUrl lastUrl;
    UpstreamHostPool *lastPool = nullptr;
    QByteArray lastTarget;
};

} // namespace portico
