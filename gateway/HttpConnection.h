#pragma once

#include "DeadlineTimer.h"
#include "HttpTypes.h"
#include "TcpStream.h"

#include <QObject>

#include <functional>

namespace portico {

class HttpResponder;
class TcpStream;

struct HttpLimits
{
    int maxHeaderBytes = 64 * 1024;
    qint64 maxBodyBytes = 20LL * 1024 * 1024;
    int headerTimeoutMs = 15'000;     // a whole request (head and body) must arrive within this
    int keepAliveTimeoutMs = 120'000; // idle time allowed between requests
    qint64 maxPendingOutputBytes = 16LL * 1024 * 1024; // a client that stops reading is cut off
};

using HttpHandler = std::function<void(HttpRequest &&request, HttpResponder *responder)>;

// One client connection: parses HTTP/1.1 requests one at a time with hard limits (head size,
// body size, time to send a request, idle keep-alive time), hands each to the handler and
// writes the response. Pipelined requests wait until the previous response is complete.
class HttpConnection : public QObject, private TcpStream::Listener
{
    Q_OBJECT
public:
    // `peer`: the address accept4() gave, for a descriptor accepted non-blocking
    // (TcpStream::adopt).
    HttpConnection(qintptr socketDescriptor, const HttpLimits &limits, const HttpHandler &handler,
                   QObject *parent = nullptr, const sockaddr *peer = nullptr);
    ~HttpConnection() override;

    bool isValid() const { return m_socket != nullptr; }
    // Reads what the client has sent already, without waiting for the event loop to report it:
    // a request usually arrives with (or right after) the connection. May close the connection
    // (closed() is emitted; it is deleted later).
    void readNow() { onReadyRead(); }
    bool isBusy() const { return m_responder != nullptr; }
    // Closes the connection; an active responder emits clientGone first.
    void close();

signals:
    void closed();

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    friend class HttpResponder;
    void writeResponse(const QByteArray &data, bool complete, bool keepAlive);
    void onReadyRead();
    void streamReadable() override { onReadyRead(); }
    void onDisconnected();
    void processBuffer();
    bool parseHead(qsizetype headEnd);
    bool readChunkedBody();
    void dispatch();
    void reject(int status, const QByteArray &message);
    void armTimer(int ms);

    enum class State { Idle, Head, Body, ChunkedBody, Dispatched, Closing };

    TcpStream *m_socket = nullptr;
    HttpLimits m_limits;
    const HttpHandler &m_handler;
    QByteArray m_buffer;
    HttpRequest m_request;
    QString m_peerText; // the peer address as text, once per connection
    CredentialMemo m_credentialMemo;
    // The previous request's header lines as received (each with its CRLF) and as parsed: a line
    // the next request repeats in the same place shares its name and value (parseHead()).
    // At most MaxRememberedHeadBytes of lines (none, and no headers, above).
    static constexpr qsizetype MaxRememberedHeadBytes = 4096;
    QByteArray m_previousLines;
    HeaderList m_previousHeaders;
    bool m_headerTimerArmed = false; // for the request being read
    State m_state = State::Idle;
    qint64 m_contentLength = 0;
    bool m_keepAlive = true;
    bool m_inProcess = false;
    HttpResponder *m_responder = nullptr;
    DeadlineTimer m_timer;
    qint64 m_deadline = DeadlineTimer::None; // monotonic ms; fired up to m_slack early
    qint64 m_slack = 0;
};

} // namespace portico
