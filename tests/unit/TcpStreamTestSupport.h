#pragma once

// The fixtures of the TcpStream tests (tst_tcpstream, tst_tcpstreamconnect): loopback peers the
// test drives by hand or through a QTcpServer, a spy on every signal, and byte checks.
#include "TcpStream.h"

#include <QHostAddress>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
#include <utility>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace portico::tcpstreamtest {

inline constexpr qsizetype LargeSize = 8 * 1024 * 1024;

// Bytes whose order matters: a chunk sent twice or out of place changes the comparison.
inline QByteArray pattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char((i * 31 + i / 65536) % 251);
    return bytes;
}

// Empty when `actual` is `expected`; otherwise the sizes and where they part: a readable failure
// where QCOMPARE would print megabytes, and one where a chunk sent twice or out of place shows.
inline QString difference(const QByteArray &actual, const QByteArray &expected)
{
    const auto [a, e] =
        std::mismatch(actual.begin(), actual.end(), expected.begin(), expected.end());
    if (a == actual.end() && e == expected.end())
        return {};
    return QStringLiteral("%1 bytes for %2, the first different at %3")
        .arg(actual.size())
        .arg(expected.size())
        .arg(a - actual.begin());
}

// A blocking descriptor that never blocks a test for long: a peer stuck on a broken stream
// fails the test instead of hanging it.
inline void setTimeouts(int fd)
{
    const timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

// Binds `fd` to a free port on 127.0.0.1, which it writes to `address`.
inline bool bindLoopback(int fd, sockaddr_in &address)
{
    address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    return fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr *>(&address), length) == 0 &&
           ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0;
}

inline bool sendAll(int fd, QByteArrayView data)
{
    while (!data.isEmpty()) {
        const ssize_t n = ::send(fd, data.data(), size_t(data.size()), MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        data = data.sliced(n);
    }
    return true;
}

// Reads a blocking descriptor on its own thread, so the test thread keeps running the event loop
// the stream needs to send, until `limit` bytes arrived or the stream ended.
class PeerReader
{
public:
    PeerReader(int fd, qsizetype limit)
        : m_thread([this, fd, limit] {
            QByteArray data;
            char buffer[64 * 1024];
            while (data.size() < limit) {
                const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
                if (n <= 0) {
                    m_sawEnd = n == 0;
                    break;
                }
                data.append(buffer, n);
            }
            m_data = data;
            m_done.store(true);
        })
    {}
    bool isDone() const { return m_done.load(); }
    // Only once isDone().
    const QByteArray &data() const { return m_data; }
    bool sawEnd() const { return m_sawEnd; }

private:
    std::atomic<bool> m_done{false};
    QByteArray m_data;
    bool m_sawEnd = false;
    std::jthread m_thread; // last: joined before the members it writes go
};

// Reads what the stream holds into `buffer`; true once readInto() reported the end. Every
// return value must match what was appended: -1 and 0 append nothing.
inline bool readUntilEnd(TcpStream &stream, QByteArray &buffer, bool *consistent)
{
    for (;;) {
        const qsizetype before = buffer.size();
        const qint64 n = stream.readInto(buffer);
        if (buffer.size() - before != qMax<qint64>(n, 0))
            *consistent = false;
        if (n < 0)
            return true;
        if (n == 0)
            return false;
    }
}

// A port on 127.0.0.1 that refuses connections: bound, never listening, and kept so until the
// object goes (no other process can start listening on it meanwhile).
struct RefusingPort
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    quint16 port = 0;

    RefusingPort()
    {
        sockaddr_in address;
        if (bindLoopback(fd, address))
            port = ntohs(address.sin_port);
    }
    ~RefusingPort()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

using SocketErrors = QList<QAbstractSocket::SocketError>;

// A stream with a spy on each of its signals, made before anything can emit them.
struct Spied
{
    TcpStream stream;
    QSignalSpy connected{&stream, &TcpStream::connected};
    QSignalSpy readyRead{&stream, &TcpStream::readyRead};
    QSignalSpy errors{&stream, &TcpStream::errorOccurred};
    QSignalSpy closed{&stream, &TcpStream::closed};

    // The arguments of the errorOccurred() signals so far.
    SocketErrors errorsReported() const
    {
        SocketErrors reported;
        for (const QList<QVariant> &arguments : errors)
            reported.append(arguments.at(0).value<QAbstractSocket::SocketError>());
        return reported;
    }
    // The signals that came since the spies were last cleared: a failure names them.
    QString signalsSeen() const
    {
        QStringList seen;
        for (const auto &[spy, name] : {std::pair{&connected, "connected"},
                                        {&readyRead, "readyRead"},
                                        {&errors, "errorOccurred"},
                                        {&closed, "closed"}}) {
            if (!spy->isEmpty())
                seen.append(QLatin1String(name));
        }
        return seen.join(QLatin1String(", "));
    }
};

// A spied stream that adopted the accepted side of a loopback connection, as HttpServer hands
// it to adopt(); `peer` is the other side, a plain blocking socket the test drives.
struct Adopted : Spied
{
    int peer = -1;
    int descriptor = -1; // the stream's once adopted
    bool isValid = false;

    Adopted()
    {
        const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address;
        if (bindLoopback(listener, address) && ::listen(listener, 1) == 0) {
            peer = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (peer >= 0 &&
                ::connect(peer, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0)
                descriptor = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        }
        if (listener >= 0)
            ::close(listener);
        if (peer >= 0)
            setTimeouts(peer);
        isValid = peer >= 0 && descriptor >= 0 && stream.adopt(descriptor);
        if (!isValid && descriptor >= 0)
            ::close(descriptor); // adopt() refused it: still ours
    }
    ~Adopted()
    {
        if (peer >= 0)
            ::close(peer);
    }
    // Makes the peer's close() send a reset rather than an orderly end.
    void resetPeer()
    {
        const linger abortive{1, 0};
        ::setsockopt(peer, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
        ::close(peer);
        peer = -1;
    }
};

// A spied stream and a QTcpServer on 127.0.0.1 for it to connect to.
struct Served : Spied
{
    QTcpServer server;
    const bool listening = server.listen(QHostAddress::LocalHost);
    std::unique_ptr<QTcpSocket> peer; // the server's side, once accept() saw it

    // Waits for connected(), once, and for the connection to reach the server.
    bool accept()
    {
        if (!QTest::qWaitFor(
                [this] { return connected.count() == 1 && server.hasPendingConnections(); }))
            return false;
        peer.reset(server.nextPendingConnection());
        return true;
    }
};

// Test data: whether the test aborts the stream after the failure, or only sees it reported.
inline void addAbortAfterColumn()
{
    QTest::addColumn<bool>("abortAfter");
    QTest::newRow("reported") << false;
    QTest::newRow("aborted") << true;
}

} // namespace portico::tcpstreamtest
