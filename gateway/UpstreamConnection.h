#pragma once

#include "DeadlineTimer.h"
#include "TcpStream.h"
#include "UpstreamClientPrivate.h"
#include "UpstreamResponseParser.h"

#include <QAbstractSocket>
#include <QObject>

namespace portico {

struct UpstreamFailure;
class TcpStream;

// One keep-alive connection to an upstream host, carrying one exchange at a time. It owns its
// socket and one timer whose deadline depends on the phase (connect, first byte, idle between
// reads, idle in the pool); the timer re-arms itself for the time left when it fires early, so a
// busy stream never restarts it. Closed connections delete themselves later.
class UpstreamConnection : public QObject, private TcpStream::Listener
{
    Q_OBJECT
public:
    UpstreamConnection(UpstreamClient *client, UpstreamHostPool *pool);
    ~UpstreamConnection() override;

    UpstreamHostPool *pool() const { return m_pool; }
    // Pooled, and its socket is still connected.
    bool isReusable() const;

    // Sends `exchange` for `reply`: on the open socket of a pooled connection, else after
    // connecting. Never emits a signal before returning.
    void start(UpstreamReply *reply, UpstreamExchange &&exchange);
    // Connects without a request (a spare): pooled once connected, closed if that fails.
    void preconnect();
    // A spare that has not carried a request yet.
    bool isSpare() const { return m_spare; }
    // The reply was aborted or deleted: close at once, emit nothing.
    void abortExchange();
    // Enters the pool: closed after `idleTimeoutMs` unless reused.
    void park(int idleTimeoutMs);
    // Closes the socket and deletes itself later; emits nothing.
    void close();
    // Closes the socket for the client's destructor; returns the reply that was running, if any.
    UpstreamReply *shutdown();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    enum class Phase { New, Connecting, AwaitingResponse, Receiving, Pooled, Closed };

    void beginConnecting();
    void connectNow();
    void onReady();
    void onReadyRead();
    void streamReadable() override { onReadyRead(); }
    void onSocketError(QAbstractSocket::SocketError error);
    void onEndOfStream();
    void writeRequest(bool flush);
    qint64 readAvailable(QByteArray &data);
    void processData(const QByteArray &data);
    void complete();
    void fail(const UpstreamFailure &failure);
    void retryOnFreshConnection();
    UpstreamReply *detachReply();
    qint64 deadline() const;
    QString socketErrorString() const;

    UpstreamClient *m_client;
    UpstreamHostPool *m_pool;
    QAbstractSocket *m_socket = nullptr; // TLS
    TcpStream *m_stream = nullptr;       // plain TCP
    UpstreamReply *m_reply = nullptr;
    UpstreamExchange m_exchange; // kept until the first response byte only when it may be retried
    UpstreamResponseParser m_parser;
    DeadlineTimer m_timer;
    qint64 m_phaseStart = 0;   // when the current phase began
    qint64 m_lastActivity = 0; // last read while receiving
    int m_poolTimeoutMs = 0;
    Phase m_phase = Phase::New;
    bool m_reused = false;      // served a response before: a stale close is retried once
    bool m_endOfStream = false; // the upstream closed its side
    bool m_spare = false;       // opened by preconnect(), no request carried yet
    QString m_tlsErrors;
};

} // namespace portico
