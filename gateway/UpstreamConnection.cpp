#include "UpstreamConnection.h"

#include "TcpStream.h"
#include "UpstreamFailure.h"

#include <QTimerEvent>
#include <QtNetwork/qtnetworkglobal.h>
#if QT_CONFIG(ssl)
#include <QSslSocket>
#endif

namespace portico {

namespace {

constexpr qint64 NoDeadline = DeadlineTimer::None;

qint64 nowMs()
{
    return DeadlineTimer::now();
}

} // namespace

UpstreamConnection::UpstreamConnection(UpstreamClient *client, UpstreamHostPool *pool)
    : QObject(client)
    , m_client(client)
    , m_pool(pool)
{
    ++client->d->liveConnections;
    ++pool->live;
}

UpstreamConnection::~UpstreamConnection()
{
    if (m_reply)
        m_reply->m_connection = nullptr;
}

bool UpstreamConnection::isReusable() const
{
    if (m_phase != Phase::Pooled)
        return false;
    // A pooled stream that the upstream closed, or sent something to, has already closed itself
    // (onReadyRead).
    if (m_stream)
        return m_stream->isConnected();
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState &&
           m_socket->bytesAvailable() == 0;
}

QString UpstreamConnection::socketErrorString() const
{
    return m_stream ? m_stream->errorString() : m_socket->errorString();
}

void UpstreamConnection::start(UpstreamReply *reply, UpstreamExchange &&exchange)
{
    m_reply = reply;
    reply->m_connection = this;
    m_exchange = std::move(exchange);
    m_parser.reset(m_exchange.headRequest);
    m_spare = false;
    if (m_phase == Phase::Connecting) {
        // A spare still connecting: the request goes out once it is connected, within the
        // request's own connect timeout, counted from when the spare started.
        m_timer.arm(deadline(), this);
        return;
    }
    if (m_phase == Phase::Pooled) {
        // Never flushed here: a TLS socket could report an error synchronously, before send()
        // returned. (A plain socket writes at once but only records errors; see writeRequest.)
        m_reused = true;
        writeRequest(false);
        return;
    }
    beginConnecting();
}

void UpstreamConnection::preconnect()
{
    m_spare = true;
    beginConnecting();
}

void UpstreamConnection::beginConnecting()
{
    m_phase = Phase::Connecting;
    m_phaseStart = nowMs();
    m_timer.arm(deadline(), this);
    // A plain connection starts now (TcpStream reports nothing before returning); a TLS socket
    // may report errors synchronously, so it starts from the event loop.
    if (m_pool->tls)
        QMetaObject::invokeMethod(this, &UpstreamConnection::connectNow, Qt::QueuedConnection);
    else
        connectNow();
}

void UpstreamConnection::connectNow()
{
    if (m_phase != Phase::Connecting)
        return;
    if (m_pool->tls) {
#if QT_CONFIG(ssl)
        if (!QSslSocket::supportsSsl()) {
            fail(UpstreamFailure::tlsUnavailable(m_pool->label));
            return;
        }
        auto *socket = new QSslSocket(this);
        socket->setPeerVerifyMode(QSslSocket::VerifyPeer);
        connect(socket, &QSslSocket::encrypted, this, &UpstreamConnection::onReady);
        connect(socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            QStringList texts;
            for (const QSslError &e : errors)
                texts.append(e.errorString());
            m_tlsErrors = texts.join(QStringLiteral("; "));
        });
        m_socket = socket;
#else
        fail(UpstreamFailure::tlsUnavailable(m_pool->label));
        return;
#endif
    } else {
        // Plain HTTP (local models, the relay hot path): a lean descriptor of our own.
        m_stream = new TcpStream(this);
        connect(m_stream, &TcpStream::connected, this, &UpstreamConnection::onReady);
        m_stream->setListener(this);
        connect(m_stream, &TcpStream::errorOccurred, this, &UpstreamConnection::onSocketError);
        m_stream->connectToHost(m_pool->host, m_pool->port);
        return;
    }
    connect(m_socket, &QIODevice::readyRead, this, &UpstreamConnection::onReadyRead);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &UpstreamConnection::onSocketError);
    connect(m_socket, &QAbstractSocket::disconnected, this, &UpstreamConnection::onEndOfStream);
#if QT_CONFIG(ssl)
    static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(m_pool->host, m_pool->port);
#endif
}

void UpstreamConnection::onReady()
{
    if (m_phase != Phase::Connecting)
        return;
    if (m_socket)
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (!m_reply) { // a spare nobody has taken yet
        if (m_pool->spare == this)
            m_pool->spare = nullptr;
        if (!m_client->d->release(this))
            close();
        return;
    }
    writeRequest(true);
}

void UpstreamConnection::writeRequest(bool flush)
{
    m_phase = Phase::AwaitingResponse;
    m_phaseStart = nowMs();
    m_timer.arm(deadline(), this);
    // A plain socket writes to the kernel here and keeps only what did not fit; a write error is
    // recorded by the socket, not signalled, and handled below.
    bool written = false;
    if (m_stream) {
        // A write error is reported through errorOccurred, from the event loop.
        written = m_stream->write(m_exchange.head) &&
                  (m_exchange.body.isEmpty() || m_stream->write(m_exchange.body));
    } else {
        written = m_socket->write(m_exchange.head) >= 0;
        if (written && !m_exchange.body.isEmpty())
            written = m_socket->write(m_exchange.body) >= 0;
    }
    if (!m_reused) {
        // Only a reused connection may have to send it again: drop our references.
        m_exchange.head.clear();
        m_exchange.body.clear();
    }
    if (m_stream)
        return;
    if (!written) {
        onSocketError(m_socket->error());
        return;
    }
    if (flush)
        m_socket->flush(); // TLS: encrypt and send now; errors arrive through the slots
}

qint64 UpstreamConnection::readAvailable(QByteArray &data)
{
    if (m_stream)
        return m_stream->readInto(data);
    const qint64 available = m_socket->bytesAvailable();
    if (available > 0) {
        data = QByteArray(available, Qt::Uninitialized); // exactly what arrived
        const qint64 got = m_socket->read(data.data(), available);
        data.truncate(qMax<qint64>(got, 0));
        return got;
    }
    // Nothing announced: the end of the stream (read() returns -1) or a spurious wake-up.
    char probe[512];
    const qint64 got = m_socket->read(probe, sizeof probe);
    if (got > 0)
        data = QByteArray(probe, got);
    return got;
}

void UpstreamConnection::onReadyRead()
{
    if (m_phase == Phase::Pooled) {
        close(); // unsolicited bytes: the connection is no longer in a known state
        return;
    }
    if (m_phase != Phase::AwaitingResponse && m_phase != Phase::Receiving)
        return;
    QByteArray data;
    const qint64 got = readAvailable(data);
    if (got > 0) {
        processData(data);
    } else if (got < 0) {
        // An unbuffered socket reports the end of the stream only here, without a signal.
        const auto error = m_stream ? m_stream->error() : m_socket->error();
        if (error == QAbstractSocket::RemoteHostClosedError ||
            (m_socket && m_socket->state() != QAbstractSocket::ConnectedState))
            onEndOfStream();
        else
            onSocketError(error);
    }
}

void UpstreamConnection::processData(const QByteArray &data)
{
    m_lastActivity = nowMs();
    if (m_phase == Phase::AwaitingResponse) {
        m_phase = Phase::Receiving;
        m_exchange.head.clear(); // past the first byte there is no retry
        m_exchange.body.clear();
        m_timer.arm(deadline(), this);
    }
    QByteArray body;
    const bool hadHeaders = m_parser.headersComplete();
    const auto result = m_parser.feed(data, body);
    UpstreamReply *const reply = m_reply;
    if (!hadHeaders && m_parser.headersComplete()) {
        if (m_parser.keepAlive())
            m_pool->warm = true; // spares to this host are worth opening
        reply->m_status = m_parser.status();
        reply->m_headers = m_parser.takeHeaders();
        reply->notifyHeadersReceived();
        if (m_reply != reply)
            return; // aborted by a receiver
    }
    if (!body.isEmpty()) {
        reply->notifyDataReceived(body);
        if (m_reply != reply)
            return;
    }
    if (result == UpstreamResponseParser::Result::Error) {
        fail(UpstreamFailure::protocol(m_pool->label, m_parser.errorString()));
    } else if (result == UpstreamResponseParser::Result::Complete) {
        complete();
    }
}

void UpstreamConnection::onSocketError(QAbstractSocket::SocketError error)
{
    switch (m_phase) {
    case Phase::Pooled:
        close();
        return;
    case Phase::Connecting: {
        m_pool->warm = false; // no more spares until a request gets through again
        const QString detail = m_tlsErrors.isEmpty() ? socketErrorString() : m_tlsErrors;
        fail(UpstreamFailure::connecting(error, m_pool->tls, m_pool->label, m_pool->host, detail));
        return;
    }
    case Phase::AwaitingResponse:
    case Phase::Receiving:
        if (error == QAbstractSocket::RemoteHostClosedError) {
            onEndOfStream();
        } else if (m_phase == Phase::AwaitingResponse && m_reused) {
            retryOnFreshConnection();
        } else {
            fail(UpstreamFailure::exchanging(error, m_pool->label, socketErrorString()));
        }
        return;
    case Phase::New:
    case Phase::Closed:
        return;
    }
}

void UpstreamConnection::onEndOfStream()
{
    switch (m_phase) {
    case Phase::Pooled:
        close();
        return;
    case Phase::Connecting:
        onSocketError(QAbstractSocket::RemoteHostClosedError);
        return;
    case Phase::AwaitingResponse:
    case Phase::Receiving:
        break;
    case Phase::New:
    case Phase::Closed:
        return;
    }
    m_endOfStream = true;
    if (QByteArray data; m_socket && m_socket->bytesAvailable() > 0 && readAvailable(data) > 0) {
        processData(data); // what a buffered (TLS) socket still holds
        if (m_phase != Phase::AwaitingResponse && m_phase != Phase::Receiving)
            return; // completed, failed or aborted
    }
    if (m_phase == Phase::AwaitingResponse) {
        if (m_reused) {
            retryOnFreshConnection();
            return;
        }
        fail(UpstreamFailure::closed(m_pool->label, false, false));
        return;
    }
    if (m_parser.finishAtEof() == UpstreamResponseParser::Result::Complete) {
        complete();
        return;
    }
    fail(UpstreamFailure::closed(m_pool->label, true, m_parser.headersComplete()));
}

void UpstreamConnection::complete()
{
    UpstreamReply *const reply = detachReply();
    const bool reusable = m_parser.keepAlive() && !m_endOfStream &&
                          (m_stream ? m_stream->isConnected()
                                    : m_socket->state() == QAbstractSocket::ConnectedState &&
                                          m_socket->bytesAvailable() == 0);
    m_exchange = {};
    if (!reusable || !m_client->d->release(this))
        close();
    if (reply) {
        reply->m_done = true;
        reply->notifyFinished();
    }
}

void UpstreamConnection::fail(const UpstreamFailure &failure)
{
    UpstreamReply *const reply = detachReply();
    close();
    if (reply) {
        reply->m_done = true;
        reply->notifyFailed(failure.error, failure.message);
    }
}

void UpstreamConnection::retryOnFreshConnection()
{
    UpstreamReply *const reply = detachReply();
    UpstreamExchange exchange = std::move(m_exchange);
    UpstreamClient::Private *const d = m_client->d.get();
    UpstreamHostPool *const pool = m_pool;
    close();
    if (reply)
        d->start(pool, reply, std::move(exchange), false);
}

UpstreamReply *UpstreamConnection::detachReply()
{
    UpstreamReply *const reply = m_reply;
    m_reply = nullptr;
    if (reply)
        reply->m_connection = nullptr;
    return reply;
}

void UpstreamConnection::abortExchange()
{
    m_reply = nullptr;
    close();
}

void UpstreamConnection::park(int idleTimeoutMs)
{
    m_phase = Phase::Pooled;
    m_phaseStart = nowMs();
    m_poolTimeoutMs = idleTimeoutMs;
    // Restarted unless it is due within the slack (a connection reused a moment ago): an idle
    // gateway must not wake up early to re-arm (the timer may still be set for the connect
    // deadline, seconds from now), and a busy one must not restart it for every request.
    m_timer.settle(deadline(), m_poolTimeoutMs, this);
}

void UpstreamConnection::close()
{
    if (m_phase == Phase::Closed)
        return;
    const bool wasPooled = m_phase == Phase::Pooled;
    m_phase = Phase::Closed;
    m_timer.stop();
    m_exchange = {};
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort(); // the upstream sees the connection go at once
    }
    if (m_stream) {
        disconnect(m_stream, nullptr, this, nullptr);
        m_stream->setListener(nullptr);
        m_stream->abort();
    }
    if (wasPooled)
        m_client->d->removeIdle(this);
    if (m_pool->spare == this)
        m_pool->spare = nullptr;
    --m_pool->live;
    m_client->d->connectionClosed(this);
    deleteLater();
}

UpstreamReply *UpstreamConnection::shutdown()
{
    UpstreamReply *const reply = detachReply();
    m_phase = Phase::Closed;
    m_timer.stop();
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
    }
    if (m_stream) {
        disconnect(m_stream, nullptr, this, nullptr);
        m_stream->setListener(nullptr);
        m_stream->abort();
    }
    return reply;
}

qint64 UpstreamConnection::deadline() const
{
    const UpstreamTimeouts &t = m_exchange.timeouts;
    switch (m_phase) {
    case Phase::Connecting:
        return t.connectMs > 0 ? m_phaseStart + t.connectMs : NoDeadline;
    case Phase::AwaitingResponse:
        return t.firstByteMs > 0 ? m_phaseStart + t.firstByteMs : NoDeadline;
    case Phase::Receiving:
        return t.idleMs > 0 ? m_lastActivity + t.idleMs : NoDeadline;
    case Phase::Pooled:
        return m_poolTimeoutMs > 0 ? m_phaseStart + m_poolTimeoutMs : NoDeadline;
    case Phase::New:
    case Phase::Closed:
        break;
    }
    return NoDeadline;
}

void UpstreamConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    qint64 due = deadline();
    if (m_phase == Phase::Pooled && due != NoDeadline)
        due -= DeadlineTimer::slack(m_poolTimeoutMs); // see park()
    if (!m_timer.expired(due, this))
        return;
    const UpstreamTimeouts &t = m_exchange.timeouts;
    switch (m_phase) {
    case Phase::Connecting:
        m_pool->warm = false;
        fail(UpstreamFailure::connectTimeout(m_pool->label, t.connectMs));
        return;
    case Phase::AwaitingResponse:
        fail(UpstreamFailure::firstByteTimeout(m_pool->label, t.firstByteMs));
        return;
    case Phase::Receiving:
        fail(UpstreamFailure::idleTimeout(m_pool->label, t.idleMs));
        return;
    case Phase::Pooled:
        close();
        return;
    case Phase::New:
    case Phase::Closed:
        return;
    }
}

} // namespace portico
