#include "HttpServer.h"

#include "DeferredDelete.h"
#ifdef Q_OS_LINUX
#include "EpollDispatcher.h"
#endif

#include <QSet>
#include <QTcpServer>
#include <QThread>

#include <unistd.h>

namespace portico {

class HttpAcceptor : public QTcpServer
{
public:
    explicit HttpAcceptor(HttpServer *server)
        : m_server(server)
    {}

protected:
    void incomingConnection(qintptr descriptor) override
    {
        m_server->dispatchConnection(descriptor);
    }

private:
    HttpServer *m_server;
};

// Owns the connections of one thread.
class HttpWorker : public QObject
{
public:
    HttpWorker(const HttpHandler &handler, const HttpLimits &limits, std::atomic<int> *count)
        : m_handler(handler)
        , m_limits(limits)
        , m_count(count)
    {}

    void addConnection(qintptr descriptor)
    {
        auto *connection = new HttpConnection(descriptor, m_limits, m_handler, this);
        if (!connection->isValid()) {
            delete connection;
            ::close(static_cast<int>(descriptor));
            m_count->fetch_sub(1, std::memory_order_relaxed);
            return;
        }
        m_connections.insert(connection);
        connect(connection, &HttpConnection::closed, this, [this, connection] {
            m_connections.remove(connection);
            m_count->fetch_sub(1, std::memory_order_relaxed);
        });
    }

    ~HttpWorker() override
    {
        DeferredDelete::flush(); // in the worker thread: deleted as the thread finishes
    }

    void closeAll()
    {
        const auto connections = m_connections;
        for (HttpConnection *connection : connections)
            connection->close();
    }

private:
    const HttpHandler &m_handler;
    HttpLimits m_limits;
    std::atomic<int> *m_count;
    QSet<HttpConnection *> m_connections;
};

HttpServer::HttpServer(HttpHandler handler, const HttpLimits &limits, int workerThreads,
                       int maxConnections, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
    , m_limits(limits)
    , m_maxConnections(maxConnections)
    , m_acceptor(std::make_unique<HttpAcceptor>(this))
{
    // Four threads per core. With Qt's dispatchers (which poll() every socket of a thread on
    // each wake-up) that kept a thousand streams cheap; with EpollDispatcher 2 to 8 threads
    // measure alike (benchmark (d): TTFB p99 1.1-1.5 ms for all), and more threads keep one
    // slow handler from holding up many connections.
    if (workerThreads <= 0)
        workerThreads = qBound(4, 4 * QThread::idealThreadCount(), 16);
    for (int i = 0; i < workerThreads; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("portico-http-%1").arg(i));
#ifdef Q_OS_LINUX
        if (EpollDispatcher::wanted()) {
            auto *dispatcher = new EpollDispatcher;
            if (dispatcher->isValid())
                thread->setEventDispatcher(dispatcher);
            else
                delete dispatcher;
        }
#endif
        auto *worker = new HttpWorker(m_handler, m_limits, &m_connections);
        worker->moveToThread(thread);
        // Workers never run nested event loops: per-request objects can go without an event.
        QObject::connect(thread, &QThread::started, worker, &DeferredDelete::install);
        QObject::connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        thread->start();
        m_threads.push_back(thread);
        m_workers.push_back(worker);
    }
    // The acceptor lives in the first worker thread too: accepting never waits for the thread
    // that owns the server (the GUI thread in the tray app).
    // A burst of connections (1,000 streams opened at once) must not overflow the kernel's
    // accept queue: Qt's default backlog of 50 drops SYNs, which clients retry only after 1 s.
    m_acceptor->setMaxPendingConnections(4096);
    m_acceptor->setListenBacklogSize(4096);
    m_acceptor->moveToThread(m_threads.front());
}

HttpServer::~HttpServer()
{
    HttpAcceptor *acceptor = m_acceptor.release();
    QMetaObject::invokeMethod(
        acceptor, [acceptor] { delete acceptor; }, Qt::BlockingQueuedConnection);
    closeAllConnections();
    for (QThread *thread : m_threads) {
        thread->quit();
        thread->wait();
        delete thread;
    }
}

bool HttpServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    bool ok = false;
    QString why;
    HttpAcceptor *acceptor = m_acceptor.get();
    QMetaObject::invokeMethod(
        acceptor,
        [&] {
            ok = acceptor->listen(address, port);
            if (!ok)
                why = acceptor->errorString();
            m_port = acceptor->serverPort();
        },
        Qt::BlockingQueuedConnection);
    if (!ok && error)
        *error = why;
    return ok;
}

quint16 HttpServer::serverPort() const
{
    return m_port;
}

bool HttpServer::isListening() const
{
    return m_port != 0;
}

void HttpServer::stopListening()
{
    HttpAcceptor *acceptor = m_acceptor.get();
    QMetaObject::invokeMethod(
        acceptor, [acceptor] { acceptor->close(); }, Qt::BlockingQueuedConnection);
    m_port = 0;
}

void HttpServer::dispatchConnection(qintptr descriptor)
{
    if (m_connections.fetch_add(1, std::memory_order_relaxed) >= m_maxConnections) {
        m_connections.fetch_sub(1, std::memory_order_relaxed);
        static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: "
                                   "application/json\r\nContent-Length: 92\r\nConnection: "
                                   "close\r\n\r\n{\"error\":{\"message\":\"Too many connections.\","
                                   "\"type\":\"server_error\",\"param\":null,\"code\":null}}";
        [[maybe_unused]] const auto written =
            ::write(static_cast<int>(descriptor), busy, sizeof busy - 1);
        ::close(static_cast<int>(descriptor));
        return;
    }
    HttpWorker *worker =
        m_workers[m_next.fetch_add(1, std::memory_order_relaxed) % m_workers.size()];
    QMetaObject::invokeMethod(
        worker, [worker, descriptor] { worker->addConnection(descriptor); }, Qt::QueuedConnection);
}

void HttpServer::forEachWorker(const std::function<void()> &fn)
{
    for (HttpWorker *worker : m_workers)
        QMetaObject::invokeMethod(worker, fn, Qt::BlockingQueuedConnection);
}

void HttpServer::closeAllConnections()
{
    for (HttpWorker *worker : m_workers)
        QMetaObject::invokeMethod(
            worker, [worker] { worker->closeAll(); }, Qt::BlockingQueuedConnection);
}

} // namespace portico
