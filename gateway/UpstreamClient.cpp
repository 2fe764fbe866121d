#include "UpstreamClient.h"

#include "UpstreamClientPrivate.h"
#include "UpstreamConnection.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>
#include <QThreadStorage>

#include <charconv>
#include <cstring>

namespace portico {

namespace {

// Bodies up to this size are copied behind the head so the request leaves in one write.
constexpr qsizetype InlineBodyLimit = 16 * 1024;

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f || c == ':')
            return false;
    }
    return true;
}

bool hasLineBreak(QByteArrayView text)
{
    for (const char c : text) {
        if (c == '\r' || c == '\n' || c == '\0')
            return true;
    }
    return false;
}

// Host, Content-Length, Connection and Transfer-Encoding are the client's to set.
bool isManagedHeader(QByteArrayView name)
{
    auto is = [name](QByteArrayView managed) {
        return name.size() == managed.size() && name.compare(managed, Qt::CaseInsensitive) == 0;
    };
    return is("host") || is("content-length") || is("connection") || is("transfer-encoding");
}

bool sendsContentLength(QByteArrayView method, const QByteArray &body)
{
    return !body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH";
}

// Builds the request head (and inlines a small body) into `exchange`.
QString buildRequest(const UpstreamRequest &request, QByteArrayView target,
                     const UpstreamHostPool &pool, UpstreamExchange &exchange)
{
    const QByteArrayView method =
        request.method.isEmpty() ? QByteArrayView("GET") : QByteArrayView(request.method);
    if (!isToken(method))
        return QStringLiteral("invalid request method");

    const QByteArray &body = request.body;
    const bool withLength = sendsContentLength(method, body);
    char lengthDigits[24];
    const QByteArrayView length(
        lengthDigits,
        withLength
            ? std::to_chars(lengthDigits, lengthDigits + sizeof lengthDigits, body.size()).ptr -
                  lengthDigits
            : 0);
    const bool inlineBody = body.size() <= InlineBodyLimit;

    qsizetype size = method.size() + 1 + target.size() + 17 + pool.hostHeader.size() + 2 + 2;
    if (withLength)
        size += 16 + length.size() + 2;
    for (const auto &[name, value] : request.headers) {
        if (!isToken(name))
            return QStringLiteral("invalid request header name \"%1\"").arg(QLatin1String(name));
        if (hasLineBreak(value))
            return QStringLiteral("request header %1 contains a line break")
                .arg(QLatin1String(name));
        if (!isManagedHeader(name))
            size += name.size() + 2 + value.size() + 2;
    }
    if (inlineBody)
        size += body.size();

    // Sized first, then copied in: one allocation and no growth checks.
    QByteArray head(size, Qt::Uninitialized);
    char *p = head.data();
    const auto put = [&p](QByteArrayView v) {
        std::memcpy(p, v.data(), size_t(v.size()));
        p += v.size();
    };
    put(method);
    put(" ");
    put(target);
    put(" HTTP/1.1\r\nHost: ");
    put(pool.hostHeader);
    put("\r\n");
    if (withLength) {
        put("Content-Length: ");
        put(length);
        put("\r\n");
    }
    for (const auto &[name, value] : request.headers) {
        if (!isManagedHeader(name)) {
            put(name);
            put(": ");
            put(value);
            put("\r\n");
        }
    }
    put("\r\n");
    if (inlineBody)
        put(body);
    else
        exchange.body = body;
    if (p != head.data() + head.size())
        qFatal("UpstreamClient: request head size miscounted");
    exchange.head = std::move(head);
    exchange.headRequest = method == "HEAD";
    exchange.timeouts = request.timeouts;
    return {};
}

QThreadStorage<UpstreamClient *> &threadClients()
{
    static QThreadStorage<UpstreamClient *> storage;
    return storage;
}

void deleteMainThreadClient()
{
    threadClients().setLocalData(nullptr); // deletes the previous value
}

} // namespace

// ---- UpstreamReply ----

UpstreamReply::UpstreamReply(QObject *parent)
    : QObject(parent)
{}

UpstreamReply::~UpstreamReply()
{
    abort();
}

void UpstreamReply::abort()
{
    m_done = true;
    if (UpstreamConnection *const connection = m_connection) {
        m_connection = nullptr;
        connection->abortExchange();
    }
}

// ---- UpstreamClient::Private ----

UpstreamHostPool *UpstreamClient::Private::poolFor(const QUrl &url, QByteArray *target)
{
    if (lastPool && const_cast<QUrl &>(url).data_ptr() == lastUrl.data_ptr()) {
        *target = lastTarget;
        return lastPool;
    }
    UpstreamHostPool *const pool = findPool(url);
    if (!pool)
        return nullptr;
    *target = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (!target->startsWith('/'))
        target->prepend('/');
    lastUrl = url;
    lastPool = pool;
    lastTarget = *target;
    return pool;
}

UpstreamHostPool *UpstreamClient::Private::findPool(const QUrl &url)
{
    bool tls = false;
    const QString scheme = url.scheme();
    if (scheme == QLatin1String("https"))
        tls = true;
    else if (scheme != QLatin1String("http"))
        return nullptr;
    UpstreamPoolKey key{url.host(QUrl::FullyEncoded), 0, tls};
    const int port = url.port(tls ? 443 : 80);
    if (key.host.isEmpty() || port <= 0 || port > 65535)
        return nullptr;
    key.port = quint16(port);
    if (const auto it = pools.constFind(key); it != pools.cend())
        return it->get();

    auto pool = std::make_shared<UpstreamHostPool>();
    pool->host = key.host;
    pool->port = key.port;
    pool->tls = tls;
    const QString hostPart = key.host.contains(u':') ? u'[' + key.host + u']' : key.host;
    pool->label = hostPart + u':' + QString::number(port);
    pool->hostHeader = (port == (tls ? 443 : 80) ? hostPart : pool->label).toLatin1();
    UpstreamHostPool *const result = pool.get();
    pools.insert(key, std::move(pool));
    return result;
}

void UpstreamClient::Private::start(UpstreamHostPool *pool, UpstreamReply *reply,
                                    UpstreamExchange &&exchange, bool mayReuse)
{
    UpstreamConnection *connection = nullptr;
    while (mayReuse && !pool->idle.empty()) {
        UpstreamConnection *const candidate = pool->idle.back();
        if (!candidate->isReusable()) {
            candidate->close(); // also leaves the pool
            continue;
        }
        removeIdle(candidate);
        connection = candidate;
        break;
    }
    // Concurrent demand beyond the connections that served before (another exchange is under
    // way, and this one found no idle connection, or took a spare): the next one should find a
    // connection open. A retry, or a lone client back after the pool timed out, opens no spare.
    const qsizetype othersBusy =
        pool->live - qsizetype(pool->idle.size()) - (pool->spare ? 1 : 0) - (connection ? 1 : 0);
    const bool wantSpare = mayReuse && (!connection || connection->isSpare()) && othersBusy > 0;
    if (!connection && pool->spare) {
        connection = pool->spare; // connecting already: sooner than a new one
        pool->spare = nullptr;
    }
    if (!connection)
        connection = new UpstreamConnection(q, pool);
    connection->start(reply, std::move(exchange));
    if (wantSpare)
        preconnect(pool);
}

void UpstreamClient::Private::preconnect(UpstreamHostPool *pool)
{
    if (!preconnectEnabled || shuttingDown || !pool->warm || pool->spare ||
        qsizetype(pool->idle.size()) >= maxIdlePerHost)
        return;
    pool->spare = new UpstreamConnection(q, pool);
    pool->spare->preconnect();
}

void UpstreamClient::Private::failLater(UpstreamReply *reply, UpstreamReply::Error error,
                                        const QString &message)
{
    QMetaObject::invokeMethod(
        reply,
        [reply, error, message] {
            if (reply->m_done)
                return; // aborted meanwhile
            reply->m_done = true;
            reply->notifyFailed(error, message);
        },
        Qt::QueuedConnection);
}

bool UpstreamClient::Private::release(UpstreamConnection *connection)
{
    UpstreamHostPool *const pool = connection->pool();
    if (shuttingDown || qsizetype(pool->idle.size()) >= maxIdlePerHost)
        return false;
    pool->idle.push_back(connection);
    ++idleConnections;
    connection->park(idleTimeoutMs);
    return true;
}

void UpstreamClient::Private::removeIdle(UpstreamConnection *connection)
{
    auto &idle = connection->pool()->idle;
    const auto it = std::find(idle.begin(), idle.end(), connection);
    if (it != idle.end()) {
        idle.erase(it);
        --idleConnections;
    }
}

void UpstreamClient::Private::connectionClosed(UpstreamConnection *)
{
    --liveConnections;
}

// ---- UpstreamClient ----

UpstreamClient::UpstreamClient(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
{}

UpstreamClient::~UpstreamClient()
{
    d->shuttingDown = true;
    const auto connections = findChildren<UpstreamConnection *>(Qt::FindDirectChildrenOnly);
    QList<QPointer<UpstreamReply>> orphans;
    for (UpstreamConnection *connection : connections) {
        if (UpstreamReply *const reply = connection->shutdown())
            orphans.append(reply);
    }
    qDeleteAll(connections);
    for (const QPointer<UpstreamReply> &reply : std::as_const(orphans)) {
        if (reply && !reply->m_done) {
            reply->m_done = true;
            reply->notifyFailed(UpstreamReply::Error::Network,
                                QStringLiteral("the upstream client was shut down"));
        }
    }
}

UpstreamReply *UpstreamClient::send(const UpstreamRequest &request)
{
    auto *reply = new UpstreamReply;
    if (d->shuttingDown) {
        d->failLater(reply, UpstreamReply::Error::Network,
                     QStringLiteral("the upstream client was shut down"));
        return reply;
    }
    QByteArray target;
    UpstreamHostPool *const pool = d->poolFor(request.url, &target);
    if (!pool) {
        d->failLater(reply, UpstreamReply::Error::Network,
                     QStringLiteral("unsupported upstream URL \"%1\"")
                         .arg(request.url.toDisplayString(QUrl::RemoveUserInfo)));
        return reply;
    }
    UpstreamExchange exchange;
    if (const QString error = buildRequest(request, target, *pool, exchange); !error.isEmpty()) {
        d->failLater(reply, UpstreamReply::Error::Protocol, error);
        return reply;
    }
    d->start(pool, reply, std::move(exchange), true);
    return reply;
}

void UpstreamClient::setMaxIdlePerHost(int count)
{
    d->maxIdlePerHost = qMax(0, count);
    for (const auto &pool : std::as_const(d->pools)) {
        while (qsizetype(pool->idle.size()) > d->maxIdlePerHost)
            pool->idle.front()->close(); // the least recently used first
    }
}

void UpstreamClient::setPreconnect(bool enabled)
{
    d->preconnectEnabled = enabled;
}

void UpstreamClient::setIdleTimeoutMs(int ms)
{
    d->idleTimeoutMs = ms;
}

int UpstreamClient::idleConnectionCount() const
{
    return d->idleConnections;
}

int UpstreamClient::activeConnectionCount() const
{
    return d->liveConnections - d->idleConnections;
}

UpstreamClient *UpstreamClient::forCurrentThread()
{
    QThreadStorage<UpstreamClient *> &storage = threadClients();
    if (!storage.hasLocalData()) {
        storage.setLocalData(new UpstreamClient);
        // The main thread's storage outlives QCoreApplication: delete its client before.
        const QCoreApplication *const app = QCoreApplication::instance();
        if (app && app->thread() == QThread::currentThread())
            qAddPostRoutine(deleteMainThreadClient);
    }
    return storage.localData();
}

} // namespace portico
