#include "TcpStream.h"

#include "DirectSocketNotifier.h"
#include "HttpTypes.h"

#include <QHostInfo>
#include <QSocketNotifier>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace portico {

namespace {

QAbstractSocket::SocketError socketErrorFor(int errnoValue)
{
    switch (errnoValue) {
    case ECONNREFUSED:
        return QAbstractSocket::ConnectionRefusedError;
    case ECONNRESET:
    case EPIPE:
        return QAbstractSocket::RemoteHostClosedError;
    case ETIMEDOUT:
        return QAbstractSocket::SocketTimeoutError;
    case ENETUNREACH:
    case EHOSTUNREACH:
    case ENETDOWN:
        return QAbstractSocket::NetworkError;
    case EACCES:
    case EPERM:
        return QAbstractSocket::SocketAccessError;
    case EMFILE:
    case ENFILE:
    case ENOBUFS:
    case ENOMEM:
        return QAbstractSocket::SocketResourceError;
    case EADDRNOTAVAIL:
        return QAbstractSocket::SocketAddressNotAvailableError;
    default:
        return QAbstractSocket::UnknownSocketError;
    }
}

void setNoDelay(int fd)
{
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// Sends what the kernel takes now: the bytes sent, or -1 on an error (in *error).
qsizetype sendSome(int fd, QByteArrayView data, int *error)
{
    qsizetype sent = 0;
    while (sent < data.size()) {
        const ssize_t n =
            ::send(fd, data.data() + sent, size_t(data.size() - sent), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0)
            sent += n;
        else if (n < 0 && errno == EINTR)
            continue;
        else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        else {
            *error = n < 0 ? errno : EPIPE;
            return -1;
        }
    }
    return sent;
}

// One read buffer per thread: a connection keeps only the bytes it was sent, never a buffer.
constexpr qsizetype ScratchSize = 64 * 1024;
thread_local char t_scratch[ScratchSize];

} // namespace

TcpStream::TcpStream(QObject *parent)
    : QObject(parent)
{}

TcpStream::~TcpStream()
{
    // The notifiers leave the dispatcher before their descriptor is closed (and possibly reused).
    delete m_readNotifier;
    delete m_writeNotifier;
    if (m_fd >= 0)
        ::close(m_fd);
}

bool TcpStream::adopt(qintptr descriptor, const sockaddr *peer)
{
    const int fd = static_cast<int>(descriptor);
    if (peer) {
        // From accept4(SOCK_NONBLOCK): no flags to read and no peer to ask for.
        m_peer.setAddress(peer);
    } else {
        const int flags = ::fcntl(fd, F_GETFL);
        if (flags < 0 || (!(flags & O_NONBLOCK) && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0))
            return false;
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        if (::getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length) < 0)
            return false;
        m_peer.setAddress(reinterpret_cast<const sockaddr *>(&address));
    }
    setNoDelay(fd);
    setDescriptor(fd, true);
    return true;
}

void TcpStream::setDescriptor(int fd, bool connected)
{
    m_fd = fd;
    m_connected = connected;
    m_readNotifier = new DirectSocketNotifier(fd, QSocketNotifier::Read, readable, this, this);
    if (!connected) {
        m_readNotifier->setEnabled(false);
        m_writeNotifier =
            new DirectSocketNotifier(fd, QSocketNotifier::Write, writable, this, this);
    }
}

void TcpStream::connectToHost(const QString &host, quint16 port)
{
    m_port = port;
    QHostAddress address;
    if (address.setAddress(host)) {
        // connect() on a non-blocking socket only starts: the outcome comes through the write
        // notifier. Only a connect() refused at once is reported from the event loop.
        m_addresses = {address};
        if (!startConnect())
            QMetaObject::invokeMethod(
                this,
                [this] {
                    if (!m_aborted)
                        emit errorOccurred(m_error);
                },
                Qt::QueuedConnection);
        return;
    }
    m_lookupId = QHostInfo::lookupHost(host, this, [this](const QHostInfo &info) {
        if (info.lookupId() != m_lookupId)
            return; // aborted meanwhile
        m_lookupId = -1;
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
            m_error = QAbstractSocket::HostNotFoundError;
            m_errorString = info.errorString();
            emit errorOccurred(m_error);
            return;
        }
        m_addresses = info.addresses();
        if (!startConnect())
            emit errorOccurred(m_error);
    });
}

bool TcpStream::startConnect()
{
    while (!m_addresses.isEmpty()) {
        const QHostAddress address = m_addresses.takeFirst();
        sockaddr_storage storage{};
        socklen_t length = 0;
        if (address.protocol() == QAbstractSocket::IPv6Protocol) {
            auto *in6 = reinterpret_cast<sockaddr_in6 *>(&storage);
            in6->sin6_family = AF_INET6;
            in6->sin6_port = htons(m_port);
            const Q_IPV6ADDR bytes = address.toIPv6Address();
            std::memcpy(&in6->sin6_addr, &bytes, sizeof bytes);
            in6->sin6_scope_id = address.scopeId().toUInt();
            length = sizeof *in6;
        } else {
            auto *in4 = reinterpret_cast<sockaddr_in *>(&storage);
            in4->sin_family = AF_INET;
            in4->sin_port = htons(m_port);
            in4->sin_addr.s_addr = htonl(address.toIPv4Address());
            length = sizeof *in4;
        }
        const int fd =
            ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
        if (fd < 0) {
            m_error = socketErrorFor(errno);
            m_errorString = QString::fromLocal8Bit(std::strerror(errno));
            continue;
        }
        setNoDelay(fd);
        int result;
        do
            result = ::connect(fd, reinterpret_cast<const sockaddr *>(&storage), length);
        while (result < 0 && errno == EINTR);
        if (result == 0 || errno == EINPROGRESS) {
            m_peer = address;
            // Connected at once or not: the write notifier reports it from the event loop.
            setDescriptor(fd, false);
            return true;
        }
        m_error = socketErrorFor(errno);
        m_errorString = QString::fromLocal8Bit(std::strerror(errno));
        ::close(fd);
    }
    return false;
}

qint64 TcpStream::readInto(QByteArray &buffer)
{
    if (m_fd < 0)
        return -1;
    qint64 total = 0;
    for (;;) {
        const ssize_t n = ::read(m_fd, t_scratch, ScratchSize);
        if (n > 0) {
            appendBytes(buffer, t_scratch, n);
            total += n;
            if (n < ScratchSize)
                return total;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return total;
        if (total > 0)
            return total; // the end or the error is still there for the next call
        if (n == 0) {
            m_error = QAbstractSocket::RemoteHostClosedError;
            m_errorString = QStringLiteral("The remote host closed the connection");
        } else {
            m_error = socketErrorFor(errno);
            m_errorString = QString::fromLocal8Bit(std::strerror(errno));
        }
        return -1;
    }
}

bool TcpStream::write(QByteArrayView data)
{
    const bool connecting = !m_connected && (m_fd >= 0 || m_lookupId != -1);
    if (m_fd < 0 && !connecting)
        return false; // closed
    if (data.isEmpty())
        return true;
    if (connecting || !m_pending.isEmpty()) {
        m_pending.append(data);
        return true;
    }
    int error = 0;
    const qsizetype sent = sendSome(m_fd, data, &error);
    if (sent < 0) {
        failLater(socketErrorFor(error), error);
        return false;
    }
    if (sent < data.size()) {
        m_pending = data.sliced(sent).toByteArray();
        if (!m_writeNotifier) {
            m_writeNotifier =
                new DirectSocketNotifier(m_fd, QSocketNotifier::Write, writable, this, this);
        } else {
            m_writeNotifier->setEnabled(true);
        }
    }
    return true;
}

void TcpStream::onReadable()
{
    if (m_listener)
        m_listener->streamReadable();
    else
        emit readyRead();
}

void TcpStream::onWritable()
{
    if (m_fd < 0)
        return;
    if (!m_connected) {
        int error = 0;
        socklen_t length = sizeof error;
        if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0)
            error = errno;
        if (error != 0) {
            m_error = socketErrorFor(error);
            m_errorString = QString::fromLocal8Bit(std::strerror(error));
            closeDescriptor();
            if (!startConnect()) // the next address, if there is one
                emit errorOccurred(m_error);
            return;
        }
        m_connected = true;
        m_addresses.clear();
        m_readNotifier->setEnabled(true);
        if (m_pending.isEmpty())
            m_writeNotifier->setEnabled(false);
        emit connected();
        return;
    }
    flushPending();
}

void TcpStream::flushPending()
{
    int error = 0;
    const qsizetype sent = sendSome(m_fd, m_pending, &error);
    if (sent < 0) {
        m_error = socketErrorFor(error);
        m_errorString = QString::fromLocal8Bit(std::strerror(error));
        m_pending.clear();
        m_writeNotifier->setEnabled(false);
        emit errorOccurred(m_error);
        return;
    }
    m_pending.remove(0, sent);
    if (!m_pending.isEmpty())
        return;
    m_pending = QByteArray(); // give the memory back
    m_writeNotifier->setEnabled(false);
    if (m_closeAfterWrite) {
        closeDescriptor();
        emit closed();
    }
}

void TcpStream::closeAfterWrite()
{
    if (m_fd < 0)
        return;
    if (m_pending.isEmpty() && m_connected)
        closeDescriptor();
    else
        m_closeAfterWrite = true;
}

void TcpStream::failLater(QAbstractSocket::SocketError error, int errnoValue)
{
    m_error = error;
    m_errorString = QString::fromLocal8Bit(std::strerror(errnoValue));
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_fd >= 0)
                emit errorOccurred(m_error);
        },
        Qt::QueuedConnection);
}

void TcpStream::abort()
{
    m_aborted = true;
    m_lookupId = -1;
    m_addresses.clear();
    m_pending.clear();
    closeDescriptor();
}

void TcpStream::closeDescriptor()
{
    if (m_fd < 0)
        return;
    // The notifiers may be the ones emitting right now: disable them before the descriptor goes
    // and delete them from the event loop.
    for (QSocketNotifier *notifier : {m_readNotifier, m_writeNotifier}) {
        if (notifier) {
            notifier->setEnabled(false);
            notifier->deleteLater();
        }
    }
    m_readNotifier = nullptr;
    m_writeNotifier = nullptr;
    ::close(m_fd);
    m_fd = -1;
    m_connected = false;
}

} // namespace portico
