#include "HttpServer.h"

#include "DeferredDelete.h"
#include "DirectSocketNotifier.h"
#ifdef Q_OS_LINUX
#include "EpollDispatcher.h"
#endif

#include <QBasicTimer>
#include <QSet>
#include <QTcpServer>
#include <QThread>
#include <QTimerEvent>

#include <cerrno>
#include <cstring>
#include <utility>

#include <sys/socket.h>
#include <unistd.h>

namespace portico {

namespace {

// After accept() failed for want of descriptors or memory (the pending connection stays, so the
// listening socket stays ready): when to try again, and the warning, once until a connection is
// accepted again.
constexpr int AcceptRetryMs = 100;

void warnAcceptFailing(bool *failing, const QString &why)
{
    if (!std::exchange(*failing, true))
        qWarning("portico: cannot accept connections for now: %s", qPrintable(why));
}

} // namespace

class HttpAcceptor : public QTcpServer
{
public:
    explicit HttpAcceptor(HttpServer *server)
        : m_server(server)
    {
        // QTcpServer stops accepting for good when accept() fails for want of descriptors or
        // memory: try again shortly instead, as the workers do.
        connect(this, &QTcpServer::acceptError, this, [this](QAbstractSocket::SocketError) {
            warnAcceptFailing(&m_failing, errorString());
            m_retry.start(AcceptRetryMs, this);
        });
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        m_failing = false;
        m_server->dispatchConnection(descriptor);
    }

    void timerEvent(QTimerEvent *event) override
    {
        if (event->timerId() != m_retry.timerId())
            return QTcpServer::timerEvent(event);
        m_retry.stop();
        if (isListening())
            resumeAccepting();
    }

private:
    HttpServer *m_server;
    QBasicTimer m_retry;
    bool m_failing = false;
};

// Owns the connections of one thread.
class HttpWorker : public QObject
{
public:
    HttpWorker(HttpServer *server, const HttpHandler &handler, const HttpLimits &limits,
               std::atomic<int> *count)
        : m_server(server)
        , m_handler(handler)
        , m_limits(limits)
        , m_count(count)
    {}

    void addConnection(qintptr descriptor, const sockaddr *peer = nullptr)
    {
        auto *connection = new HttpConnection(descriptor, m_limits, m_handler, this, peer);
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
        if (peer)
            connection->readNow();
    }

    // Accepts from the listening socket shared by all workers (see HttpServer::listen).
    void startAccepting(int listenFd)
    {
        stopAccepting();
        m_listenFd = listenFd;
        m_acceptNotifier =
            new DirectSocketNotifier(listenFd, QSocketNotifier::Read, acceptReady, this, this,
                                     DirectSocketNotifier::WakeUp::OneWaiter);
    }

    void stopAccepting()
    {
        delete m_acceptNotifier;
        m_acceptNotifier = nullptr;
        m_listenFd = -1;
        m_acceptRetry.stop();
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
    static void acceptReady(void *self) { static_cast<HttpWorker *>(self)->acceptSome(); }

    void acceptSome()
    {
        // A few per wake-up: the listening socket wakes one waiting worker per connection
        // (EPOLLEXCLUSIVE), so connections spread over the workers that are free to take them,
        // and a burst is not all taken by the first worker to wake.
#ifdef Q_OS_LINUX // startAccepting() is only called with EpollDispatcher
        constexpr int AcceptsPerWakeUp = 4;
        for (int i = 0; i < AcceptsPerWakeUp && m_listenFd >= 0; ++i) {
            sockaddr_storage peer{};
            socklen_t length = sizeof peer;
            const int fd = ::accept4(m_listenFd, reinterpret_cast<sockaddr *>(&peer), &length,
                                     SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED)
                    continue;
                if (errno != EAGAIN && errno != EWOULDBLOCK)
                    pauseAccepting(errno);
                return;
            }
            m_acceptFailing = false;
            if (m_server->admitConnection(fd))
                addConnection(fd, reinterpret_cast<const sockaddr *>(&peer));
        }
#endif
    }

    // Out of descriptors or memory: watching the listening socket now would spin. Try again
    // shortly (existing connections are unaffected).
    void pauseAccepting(int error)
    {
        if (!m_acceptNotifier || m_acceptRetry.isActive())
            return;
        warnAcceptFailing(&m_acceptFailing, QString::fromLocal8Bit(strerror(error)));
        m_acceptNotifier->setEnabled(false);
        m_acceptRetry.start(AcceptRetryMs, this);
    }

    void timerEvent(QTimerEvent *event) override
    {
        if (event->timerId() != m_acceptRetry.timerId())
            return QObject::timerEvent(event);
        m_acceptRetry.stop();
        if (m_acceptNotifier)
            m_acceptNotifier->setEnabled(true);
    }

    HttpServer *m_server;
    const HttpHandler &m_handler;
    HttpLimits m_limits;
    std::atomic<int> *m_count;
    QSet<HttpConnection *> m_connections;
    int m_listenFd = -1;
    DirectSocketNotifier *m_acceptNotifier = nullptr;
    QBasicTimer m_acceptRetry;
    bool m_acceptFailing = false;
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
        bool epoll = false;
#ifdef Q_OS_LINUX
        if (EpollDispatcher::wanted()) {
            auto *dispatcher = new EpollDispatcher;
            epoll = dispatcher->isValid();
            if (epoll)
                thread->setEventDispatcher(dispatcher);
            else
                delete dispatcher;
        }
#endif
        m_workersAccept = m_workersAccept && epoll;
        auto *worker = new HttpWorker(this, m_handler, m_limits, &m_connections);
        worker->moveToThread(thread);
        // Workers never run nested event loops: per-request objects can go without an event.
        QObject::connect(thread, &QThread::started, worker, &DeferredDelete::install);
        QObject::connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        thread->start();
        m_threads.push_back(thread);
        m_workers.push_back(worker);
    }
    // Ready when constructed: a thread makes Qt's (GLib) dispatcher as it starts, and GLib ends
    // the process if that finds no descriptor free, so no thread is left to start under load.
    // A thread that could not be created (QThread::start() warns) is not waited for.
    for (size_t i = 0; i < m_workers.size(); ++i) {
        if (m_threads[i]->isRunning())
            QMetaObject::invokeMethod(
                m_workers[i], [] {}, Qt::BlockingQueuedConnection);
    }
    // The acceptor (QTcpServer: binding, its errors; accepting too when the workers do not) lives
    // in the first worker thread: it never waits for the thread that owns the server (the GUI
    // thread in the tray app).
    // A burst of connections (1,000 streams opened at once) must not overflow the kernel's
    // accept queue: Qt's default backlog of 50 drops SYNs, which clients retry only after 1 s.
    m_acceptor->setMaxPendingConnections(4096);
    m_acceptor->setListenBacklogSize(4096);
    m_acceptor->moveToThread(m_threads.front());
}

HttpServer::~HttpServer()
{
    stopWorkersAccepting();
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
            else if (m_workersAccept)
                acceptor->pauseAccepting(); // the workers accept (below)
            m_port = acceptor->serverPort();
        },
        Qt::BlockingQueuedConnection);
    if (ok && m_workersAccept) {
        // Every worker watches the listening socket, and the kernel wakes one of those waiting
        // (EPOLLEXCLUSIVE): a new connection is accepted, read and answered by the same thread,
        // with no hand-over from an accepting thread (one thread wake-up less per connection,
        // which is what a new stream waits for under load; benchmark (d)).
        const int fd = int(acceptor->socketDescriptor());
        for (HttpWorker *worker : m_workers)
            QMetaObject::invokeMethod(
                worker, [worker, fd] { worker->startAccepting(fd); }, Qt::BlockingQueuedConnection);
    }
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

void HttpServer::stopWorkersAccepting()
{
    if (!m_workersAccept)
        return;
    for (HttpWorker *worker : m_workers)
        QMetaObject::invokeMethod(
            worker, [worker] { worker->stopAccepting(); }, Qt::BlockingQueuedConnection);
}

void HttpServer::stopListening()
{
    stopWorkersAccepting();
    HttpAcceptor *acceptor = m_acceptor.get();
    QMetaObject::invokeMethod(
        acceptor, [acceptor] { acceptor->close(); }, Qt::BlockingQueuedConnection);
    m_port = 0;
}

bool HttpServer::admitConnection(int descriptor)
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
        return false;
    }
    return true;
}

void HttpServer::dispatchConnection(qintptr descriptor)
{
    if (!admitConnection(int(descriptor)))
        return;
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
