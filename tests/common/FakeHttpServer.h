#pragma once

#include "HttpTypes.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTcpServer>
#include <QUrl>

#include <functional>

class QTcpSocket;

// An in-process HTTP/1.1 upstream for tests, on 127.0.0.1 and a free port. Each request is
// answered by a script of steps from the handler: write bytes, wait, close, or stall (keep the
// connection open and answer nothing more). Steps run in order; after the last one the connection
// reads the next request (keep-alive) unless it was closed. With holdRequests() requests queue up
// until releaseHeld(), so a test can check that many are in flight at once.
class FakeHttpServer : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QByteArray method;
        QByteArray target;
        portico::HeaderList headers; // names lower-cased
        QByteArray body;
        int connection = 0; // 1-based index of the connection it came on

        QByteArray header(QByteArrayView lowerName) const
        {
            return portico::headerValue(headers, lowerName);
        }
    };

    struct Step
    {
        enum class Kind { Write, Wait, Close, Stall };
        Kind kind = Kind::Write;
        QByteArray data;
        int ms = 0;
    };
    using Script = QList<Step>;
    using Handler = std::function<Script(const Request &)>;

    static Step write(const QByteArray &data) { return {Step::Kind::Write, data, 0}; }
    static Step wait(int ms) { return {Step::Kind::Wait, {}, ms}; }
    static Step close() { return {Step::Kind::Close, {}, 0}; }
    static Step stall() { return {Step::Kind::Stall, {}, 0}; }

    // A whole response with Content-Length; `headers` are raw "Name: value" lines.
    static QByteArray response(int status, const QByteArray &body,
                               const QList<QByteArray> &headers = {});
    // A chunked response: the head, then each chunk frame as its own write after `delayMs`,
    // then the last-chunk.
    static Script chunked(int status, const QList<QByteArray> &chunks, int delayMs = 0);

    explicit FakeHttpServer(QObject *parent = nullptr);
    ~FakeHttpServer() override;

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    // Answers every request with `script`.
    void setScript(const Script &script);

    quint16 port() const { return m_server.serverPort(); }
    QUrl url(const QString &path = QStringLiteral("/")) const;

    int connectionCount() const { return m_connectionCount; } // accepted so far
    int openConnectionCount() const { return int(m_connections.size()); }
    int clientDisconnectCount() const { return m_clientDisconnects; } // closed by the peer
    int requestCount() const { return int(m_requests.size()); }
    const QList<Request> &requests() const { return m_requests; }

    void holdRequests(bool hold) { m_hold = hold; }
    int heldCount() const { return int(m_held.size()); }
    void releaseHeld();
    // Closes every connection (FIN) and stops listening.
    void shutdown();

signals:
    void requestReceived();
    void clientDisconnected();

private:
    struct Connection
    {
        QByteArray buffer;
        int index = 0;
        bool busy = false; // running a script
        bool dead = false; // closed or stalled
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void parseRequests(QTcpSocket *socket);
    void answer(QTcpSocket *socket, const Request &request);
    void runSteps(QTcpSocket *socket, Script steps, int from);

    QTcpServer m_server;
    Handler m_handler;
    QHash<QTcpSocket *, Connection> m_connections;
    QList<Request> m_requests;
    QList<QPair<QTcpSocket *, Request>> m_held;
    int m_connectionCount = 0;
    int m_clientDisconnects = 0;
    bool m_hold = false;
};
