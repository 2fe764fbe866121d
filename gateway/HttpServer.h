#pragma once

#include "HttpConnection.h"

#include <QHostAddress>
#include <QObject>

#include <atomic>
#include <memory>
#include <vector>

class QThread;

namespace portico {

class HttpWorker;
class HttpAcceptor;

// A small HTTP/1.1 server: N worker threads, each with its own event loop. On Linux every worker
// watches the listening socket (EPOLLEXCLUSIVE: the kernel wakes one idle worker per connection)
// and serves what it accepts; elsewhere (or with Qt's dispatchers) one acceptor hands connections
// out in turn. A connection lives in one worker for its whole life, and so does everything its
// requests start (upstream calls, streams), so a request never crosses threads. The handler is
// called in the worker thread and must be thread-safe.
class HttpServer : public QObject
{
    Q_OBJECT
public:
    HttpServer(HttpHandler handler, const HttpLimits &limits, int workerThreads, int maxConnections,
               QObject *parent = nullptr);
    ~HttpServer() override;

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 serverPort() const;
    bool isListening() const;
    // Stops accepting; existing connections carry on.
    void stopListening();
    // Closes every connection (active responders see clientGone) and waits for it.
    void closeAllConnections();

    int connectionCount() const { return m_connections.load(std::memory_order_relaxed); }
    int workerCount() const { return static_cast<int>(m_workers.size()); }
    // Runs `fn` in every worker thread and waits for it.
    void forEachWorker(const std::function<void()> &fn);

private:
    friend class HttpAcceptor;
    friend class HttpWorker;
    // Counts the connection in, or answers 503 and closes it when there are too many.
    bool admitConnection(int descriptor);
    void dispatchConnection(qintptr descriptor);
    void stopWorkersAccepting();

    HttpHandler m_handler;
    HttpLimits m_limits;
    int m_maxConnections;
    std::atomic<int> m_connections{0};
    std::atomic<unsigned> m_next{0};
    std::atomic<quint16> m_port{0};
    std::unique_ptr<HttpAcceptor> m_acceptor;
    std::vector<QThread *> m_threads;
    std::vector<HttpWorker *> m_workers;
    bool m_workersAccept = true; // every worker has an EpollDispatcher: they accept themselves
};

} // namespace portico
