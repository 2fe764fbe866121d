#pragma once

#include "HeaderBlock.h"
#include "HttpTypes.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace portico {

struct UpstreamTimeouts
{
    int connectMs = 10'000;    // TCP (and TLS) connection established
    int firstByteMs = 300'000; // request sent → first response byte (models think before answering)
    int idleMs = 120'000;      // silence between two body reads once the response started
};

struct UpstreamRequest
{
    QUrl url; // http:// or https://; path and query are sent as given
    QByteArray method = "POST";
    HeaderList headers; // Host, Content-Length and Connection are set by the client
    QByteArray body;
    UpstreamTimeouts timeouts;
};

class UpstreamConnection;

// One HTTP/1.1 exchange with an upstream. Signals come in this order: headersReceived once,
// dataReceived any number of times, then exactly one of finished or failed. Redirects are never
// followed: a 3xx arrives like any other status. After abort() no signal is emitted.
class UpstreamReply : public QObject
{
    Q_OBJECT
public:
    enum class Error {
        ConnectionRefused,
        HostNotFound,
        ConnectTimeout,
        FirstByteTimeout,
        IdleTimeout,
        ConnectionClosed, // the upstream closed before the response was complete
        Protocol,         // malformed status line, headers or chunk framing
        Tls,
        Network,
    };
    Q_ENUM(Error)

    ~UpstreamReply() override;

    int status() const { return m_status; }
    // Names lower-cased, values trimmed, in the order received (built on each call).
    HeaderList headers() const { return m_headers.toList(); }
    // The first header named `lowerName` (lower case: letters, digits, '-'), trimmed.
    QByteArray header(QByteArrayView lowerName) const { return m_headers.value(lowerName); }
    bool isFinished() const { return m_done; }

    // Closes the upstream connection at once (it never goes back to the pool).
    void abort();

    // Receives the reply's events as direct calls, in the signals' order, instead of the
    // signals: the relay's hot path makes no connections per request. While a listener is set
    // the signals are not emitted. The listener must outlive the reply or unset itself.
    class Listener
    {
    public:
        virtual void upstreamHeadersReceived() = 0;
        virtual void upstreamDataReceived(const QByteArray &data) = 0;
        virtual void upstreamFinished() = 0;
        virtual void upstreamFailed(portico::UpstreamReply::Error error,
                                    const QString &message) = 0;

    protected:
        ~Listener() = default;
    };
    void setListener(Listener *listener) { m_listener = listener; }

signals:
    void headersReceived();
    void dataReceived(const QByteArray &data); // body bytes, chunked framing already removed
    void finished();
    void failed(portico::UpstreamReply::Error error, const QString &message);

private:
    friend class UpstreamClient;
    friend class UpstreamConnection;
    explicit UpstreamReply(QObject *parent = nullptr);

    void notifyHeadersReceived()
    {
        if (m_listener)
            m_listener->upstreamHeadersReceived();
        else
            emit headersReceived();
    }
    void notifyDataReceived(const QByteArray &data)
    {
        if (m_listener)
            m_listener->upstreamDataReceived(data);
        else
            emit dataReceived(data);
    }
    void notifyFinished()
    {
        if (m_listener)
            m_listener->upstreamFinished();
        else
            emit finished();
    }
    void notifyFailed(Error error, const QString &message)
    {
        if (m_listener)
            m_listener->upstreamFailed(error, message);
        else
            emit failed(error, message);
    }

    Listener *m_listener = nullptr;

    int m_status = 0;
    HeaderBlock m_headers;
    bool m_done = false;
    UpstreamConnection *m_connection = nullptr;
};

// An HTTP/1.1 client on QTcpSocket/QSslSocket with a keep-alive pool per host and no cap on
// connections per host (QNetworkAccessManager caps them at 6). One instance per thread: replies
// and connections live in the thread that sent them.
class UpstreamClient : public QObject
{
    Q_OBJECT
public:
    explicit UpstreamClient(QObject *parent = nullptr);
    ~UpstreamClient() override;

    // The returned reply is owned by the caller (delete it, or deleteLater, after it ended).
    UpstreamReply *send(const UpstreamRequest &request);

    void setMaxIdlePerHost(int count);
    void setIdleTimeoutMs(int ms); // idle keep-alive connections are closed after this
    // When a request to a host finds no idle connection that served before (it opens one, or
    // takes a spare), a spare connection to that host is opened ahead of the next request and
    // pooled once connected, so a burst of new streams does not wait for a connect (TCP and TLS
    // handshakes) each. Only for hosts that answered with keep-alive and whose last connect
    // worked; a spare nobody takes is closed with the other idle connections. On by default.
    void setPreconnect(bool enabled);
    int idleConnectionCount() const;
    int activeConnectionCount() const;

    // The instance of the calling thread, created on first use and destroyed with the thread.
    static UpstreamClient *forCurrentThread();

private:
    struct Private;
    std::unique_ptr<Private> d;
    friend class UpstreamConnection;
};

} // namespace portico
