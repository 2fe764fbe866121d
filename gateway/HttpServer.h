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

// A small HTTP/1.1 server: one acceptor and N worker threads, each with its own event loop.
// A connection lives in one worker for its whole life, and so does everything its requests start
// (upstream calls, streams), so a request never crosses threads. The handler is called in the
// worker thread and must be thread-safe.
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
    void dispatchConnection(qintptr descriptor);

    HttpHandler m_handler;
    HttpLimits m_limits;
    int m_maxConnections;
    std::atomic<int> m_connections{0};
    std::atomic<unsigned> m_next{0};
    std::atomic<quint16> m_port{0};
    std::unique_ptr<HttpAcceptor> m_acceptor;
    std::vector<QThread *> m_threads;
    std::vector<HttpWorker *> m_workers;
};

} // namespace portico
