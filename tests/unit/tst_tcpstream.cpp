// TcpStream, the lean socket of the relay path, over real loopback connections: the peer is a
// plain socket the test drives by hand (so it can stop reading, or reset the connection) or a
// QTcpServer.
#include "TcpStream.h"

#include <QHostAddress>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <atomic>
#include <csignal>
#include <memory>
#include <thread>

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace portico;

namespace {

constexpr qsizetype LargeSize = 8 * 1024 * 1024;

// Bytes whose order matters: a chunk sent twice or out of place changes the comparison.
QByteArray pattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char((i * 31 + i / 65536) % 251);
    return bytes;
}

// The first index at which two byte arrays differ (-1: equal), for a readable failure.
qsizetype firstDifference(const QByteArray &a, const QByteArray &b)
{
    const qsizetype common = qMin(a.size(), b.size());
    for (qsizetype i = 0; i < common; ++i) {
        if (a[i] != b[i])
            return i;
    }
    return a.size() == b.size() ? -1 : common;
}

// A blocking descriptor that never blocks a test for long: a peer stuck on a broken stream
// fails the test instead of hanging it.
void setTimeouts(int fd)
{
    const timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

// A connected loopback pair: `peer` is a plain blocking socket the test drives, `accepted` the
// descriptor the listening side accepted, as HttpServer hands it to adopt().
struct SocketPair
{
    int peer = -1;
    int accepted = -1;

    SocketPair()
    {
        const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr *>(&address), length) < 0 ||
            ::listen(listener, 1) < 0 ||
            ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) < 0) {
            if (listener >= 0)
                ::close(listener);
            return;
        }
        peer = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (peer >= 0 && ::connect(peer, reinterpret_cast<sockaddr *>(&address), length) == 0)
            accepted = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        ::close(listener);
        if (peer >= 0)
            setTimeouts(peer);
    }
    ~SocketPair()
    {
        if (peer >= 0)
            ::close(peer);
        if (accepted >= 0)
            ::close(accepted);
    }
    bool isValid() const { return peer >= 0 && accepted >= 0; }
    // The stream owns `accepted` once adopt() took it.
    bool adoptInto(TcpStream &stream)
    {
        if (!stream.adopt(accepted))
            return false;
        accepted = -1;
        return true;
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

bool sendAll(int fd, QByteArrayView data)
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
bool readUntilEnd(TcpStream &stream, QByteArray &buffer, bool *consistent)
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
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr *>(&address), length) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
            port = ntohs(address.sin_port);
    }
    ~RefusingPort()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

QAbstractSocket::SocketError errorArgument(const QSignalSpy &spy, int index = 0)
{
    return spy.at(index).at(0).value<QAbstractSocket::SocketError>();
}

} // namespace

class TestTcpStream : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void adoptReadsWhatThePeerSent();
    void adoptRefusesUnusableDescriptors();
    void endOfStreamAfterTheLastData_data();
    void endOfStreamAfterTheLastData();
    void largeWriteWaitsForTheReader();
    void closeAfterWriteWithNothingPending();
    void closeAfterWriteWithDataPending();
    void connectToHost_data();
    void connectToHost();
    void writeWhileConnecting_data();
    void writeWhileConnecting();
    void connectToClosedPort_data();
    void connectToClosedPort();
    void connectFailingAtOnce_data();
    void connectFailingAtOnce();
    void abortWhileConnecting_data();
    void abortWhileConnecting();
    void abortWhenConnected();
    void writeToResetPeer();
    void pendingWriteToResetPeer();
};

void TestTcpStream::init()
{
    // A send without MSG_NOSIGNAL to a reset peer must kill this test, not pass quietly. Before
    // every test: Qt's network classes (the QTcpServer peers) set SIGPIPE to be ignored.
    std::signal(SIGPIPE, SIG_DFL);
}

void TestTcpStream::adoptReadsWhatThePeerSent()
{
    SocketPair pair;
    QVERIFY(pair.isValid());
    TcpStream stream;
    QSignalSpy readyRead(&stream, &TcpStream::readyRead);
    QSignalSpy errors(&stream, &TcpStream::errorOccurred);
    QVERIFY(pair.adoptInto(stream));
    QVERIFY(stream.isOpen());
    QVERIFY(stream.isConnected());
    QCOMPARE(stream.peerAddress(), QHostAddress(QHostAddress::LocalHost));

    QByteArray buffer("kept:");
    QCOMPARE(stream.readInto(buffer), 0); // nothing sent yet: not the end
    QCOMPARE(buffer, QByteArray("kept:"));

    QVERIFY(sendAll(pair.peer, "hello"));
    QTRY_VERIFY(!readyRead.isEmpty());
    QCOMPARE(stream.readInto(buffer), 5);
    QCOMPARE(buffer, QByteArray("kept:hello")); // appended, never replaced
    QCOMPARE(stream.readInto(buffer), 0);

    readyRead.clear();
    QVERIFY(sendAll(pair.peer, " again"));
    QTRY_VERIFY(!readyRead.isEmpty());
    QCOMPARE(stream.readInto(buffer), 6);
    QCOMPARE(buffer, QByteArray("kept:hello again"));
    QVERIFY(errors.isEmpty());
}

void TestTcpStream::adoptRefusesUnusableDescriptors()
{
    TcpStream stream;
    QVERIFY(!stream.adopt(-1));
    QVERIFY(!stream.isOpen());

    // Not connected: no peer, so not a stream; the caller keeps the descriptor.
    const int unconnected = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    QVERIFY(unconnected >= 0);
    QVERIFY(!stream.adopt(unconnected));
    QVERIFY(!stream.isOpen());
    QCOMPARE(::close(unconnected), 0); // still open, so still ours to close
}

void TestTcpStream::endOfStreamAfterTheLastData_data()
{
    QTest::addColumn<qsizetype>("size");
    QTest::addColumn<bool>("allThereFirst"); // the bytes and the end arrive before any read
    QTest::newRow("a few bytes") << qsizetype(10) << false;
    // Exactly the stream's 64 KiB read size, then the end: readInto() meets the end on the read
    // after a full one, and must return the bytes, keeping the end for the next call.
    QTest::newRow("64 KiB, all there first") << qsizetype(64 * 1024) << true;
    QTest::newRow("3 x 64 KiB") << qsizetype(3 * 64 * 1024) << false;
    QTest::newRow("1 MiB and 7") << qsizetype(1024 * 1024 + 7) << false;
}

void TestTcpStream::endOfStreamAfterTheLastData()
{
    QFETCH(qsizetype, size);
    QFETCH(bool, allThereFirst);
    SocketPair pair;
    QVERIFY(pair.isValid());
    const int descriptor = pair.accepted;
    TcpStream stream;
    QVERIFY(pair.adoptInto(stream));

    QByteArray received;
    bool ended = false;
    bool consistent = true;
    QAbstractSocket::SocketError endError = QAbstractSocket::UnknownSocketError;
    connect(&stream, &TcpStream::readyRead, this, [&] {
        if (!ended && readUntilEnd(stream, received, &consistent)) {
            ended = true;
            endError = stream.error();
            stream.abort(); // as the gateway does: no more readiness for a finished stream
        }
    });

    // The peer sends and closes at once: the bytes ahead of the end must all arrive.
    const QByteArray payload = pattern(size);
    const int peer = pair.peer;
    pair.peer = -1;
    std::jthread sender([peer, &payload] {
        sendAll(peer, payload);
        ::close(peer);
    });
    if (allThereFirst) {
        // No event loop yet, so no read: wait for the peer's end behind the bytes.
        sender.join();
        pollfd end{descriptor, POLLRDHUP, 0};
        QCOMPARE(::poll(&end, 1, 5000), 1);
        QVERIFY(end.revents & POLLRDHUP);
    }

    QTRY_VERIFY_WITH_TIMEOUT(ended, 5000);
    QVERIFY(consistent); // the last bytes came with their count, not with the -1
    QCOMPARE(received.size(), payload.size());
    QCOMPARE(firstDifference(received, payload), qsizetype(-1));
    QCOMPARE(endError, QAbstractSocket::RemoteHostClosedError);
    QVERIFY(!stream.errorString().isEmpty());
}

void TestTcpStream::largeWriteWaitsForTheReader()
{
    SocketPair pair;
    QVERIFY(pair.isValid());
    TcpStream stream;
    QSignalSpy errors(&stream, &TcpStream::errorOccurred);
    QVERIFY(pair.adoptInto(stream));

    const QByteArray payload = pattern(LargeSize);
    QVERIFY(stream.write(payload));
    QVERIFY2(stream.bytesToWrite() > 0, "the kernel took 8 MiB at once: nothing was queued");
    QVERIFY(stream.write("tail")); // behind what is queued, never ahead of it
    const qint64 queued = stream.bytesToWrite();

    // The peer is not reading: the kernel stays full and the queue stays.
    QTest::qWait(50);
    QVERIFY(stream.bytesToWrite() > 0);
    QVERIFY(stream.bytesToWrite() <= queued);

    PeerReader reader(pair.peer, payload.size() + 4);
    QTRY_VERIFY_WITH_TIMEOUT(reader.isDone(), 5000);
    const QByteArray expected = payload + "tail";
    QCOMPARE(reader.data().size(), expected.size());
    QCOMPARE(firstDifference(reader.data(), expected), qsizetype(-1));
    QTRY_COMPARE(stream.bytesToWrite(), qint64(0));
    QVERIFY(stream.isOpen());
    QVERIFY(errors.isEmpty());
}

void TestTcpStream::closeAfterWriteWithNothingPending()
{
    SocketPair pair;
    QVERIFY(pair.isValid());
    TcpStream stream;
    QSignalSpy closed(&stream, &TcpStream::closed);
    QSignalSpy errors(&stream, &TcpStream::errorOccurred);
    QVERIFY(pair.adoptInto(stream));

    QVERIFY(stream.write("bye"));
    QCOMPARE(stream.bytesToWrite(), qint64(0)); // a few bytes go to the kernel at once
    stream.closeAfterWrite();
    QVERIFY(!stream.isOpen());

    // The peer gets the bytes, then an orderly end.
    PeerReader reader(pair.peer, 1024);
    QTRY_VERIFY(reader.isDone());
    QCOMPARE(reader.data(), QByteArray("bye"));
    QVERIFY(reader.sawEnd());

    QTest::qWait(50);
    QVERIFY(closed.isEmpty()); // closed() is only for a close that had to wait
    QVERIFY(errors.isEmpty());
}

void TestTcpStream::closeAfterWriteWithDataPending()
{
    SocketPair pair;
    QVERIFY(pair.isValid());
    TcpStream stream;
    QSignalSpy closed(&stream, &TcpStream::closed);
    QSignalSpy errors(&stream, &TcpStream::errorOccurred);
    QVERIFY(pair.adoptInto(stream));

    const QByteArray payload = pattern(LargeSize);
    QVERIFY(stream.write(payload));
    QVERIFY(stream.bytesToWrite() > 0);
    stream.closeAfterWrite();
    QVERIFY(stream.isOpen()); // still sending
    QVERIFY(closed.isEmpty());

    PeerReader reader(pair.peer, payload.size() + 1);
    QTRY_COMPARE_WITH_TIMEOUT(closed.count(), 1, 5000);
    QVERIFY(!stream.isOpen());
    QTRY_VERIFY_WITH_TIMEOUT(reader.isDone(), 5000);
    QCOMPARE(reader.data().size(), payload.size());
    QCOMPARE(firstDifference(reader.data(), payload), qsizetype(-1));
    QVERIFY(reader.sawEnd()); // an orderly end after the last byte, not a reset
    QCOMPARE(closed.count(), 1);
    QVERIFY(errors.isEmpty());
}

void TestTcpStream::connectToHost_data()
{
    QTest::addColumn<QString>("host");
    QTest::newRow("address") << QStringLiteral("127.0.0.1");
    // Resolved with QHostInfo. The server listens on 127.0.0.1 only: where localhost also
    // resolves to ::1 (usually first), that attempt is refused and the next address is tried.
    QTest::newRow("name") << QStringLiteral("localhost");
}

void TestTcpStream::connectToHost()
{
    QFETCH(QString, host);
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    TcpStream stream;
    QSignalSpy connected(&stream, &TcpStream::connected);
    QSignalSpy errors(&stream, &TcpStream::errorOccurred);
    QSignalSpy readyRead(&stream, &TcpStream::readyRead);

    stream.connectToHost(host, server.serverPort());
    QVERIFY(connected.isEmpty()); // never emitted from inside the call
    QVERIFY(errors.isEmpty());
    QVERIFY(!stream.isConnected());

    QTRY_COMPARE(connected.count(), 1);
    QVERIFY(stream.isConnected());
    QCOMPARE(stream.peerAddress(), QHostAddress(QHostAddress::LocalHost));
    QTRY_VERIFY(server.hasPendingConnections());
    std::unique_ptr<QTcpSocket> peer(server.nextPendingConnection());

    peer->write("pong");
    QTRY_VERIFY(!readyRead.isEmpty());
    QByteArray buffer;
    QCOMPARE(stream.readInto(buffer), 4);
    QCOMPARE(buffer, QByteArray("pong"));

    QVERIFY(stream.write("ping"));
    QTRY_COMPARE(peer->bytesAvailable(), qint64(4));
    QCOMPARE(peer->readAll(), QByteArray("ping"));
    QCOMPARE(connected.count(), 1);
    QVERIFY(errors.isEmpty());
}

void TestTcpStream::writeWhileConnecting_data()
{
    connectToHost_data();
}

void TestTcpStream::writeWhileConnecting()
{
    QFETCH(QString, host);
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    TcpStream stream;
    QSignalSpy connected(&stream, &TcpStream::connected);
    QSignalSpy errors(&stream, &TcpStream::errorOccurred);

    stream.connectToHost(host, server.serverPort());
    // write() documents false only for an error, with errorOccurred() to follow; before the
    // connection is up the bytes are kept and sent once it is.
    QVERIFY(stream.write("early"));
    QCOMPARE(stream.bytesToWrite(), qint64(5));
    QVERIFY(stream.write(" bytes"));
    QCOMPARE(stream.bytesToWrite(), qint64(11));

    QTRY_COMPARE(connected.count(), 1);
    QTRY_VERIFY(server.hasPendingConnections());
    std::unique_ptr<QTcpSocket> peer(server.nextPendingConnection());
    QTRY_COMPARE(peer->bytesAvailable(), qint64(11));
    QCOMPARE(peer->readAll(), QByteArray("early bytes"));
    QCOMPARE(stream.bytesToWrite(), qint64(0));
    QVERIFY(errors.isEmpty());
}

void TestTcpStream::connectToClosedPort_data()
{
    QTest::addColumn<QString>("host");
    QTest::newRow("address") << QStringLiteral("127.0.0.1");
    QTest::newRow("name") << QStringLiteral("localhost");
}

void TestTcpStream::connectToClosedPort()
{
    QFETCH(QString, host);
    RefusingPort closedPort;
    QVERIFY(closedPort.port != 0);
    TcpStream stream;
    QSignalSpy connected(&stream, &TcpStream::connected);
    QSignalSpy errors(&stream, &TcpStream::errorOccurred);

    stream.connectToHost(host, closedPort.port);
    QVERIFY(errors.isEmpty()); // a refusal at once is still reported from the event loop
    QVERIFY(connected.isEmpty());

    QTRY_COMPARE(errors.count(), 1);
    QCOMPARE(errorArgument(errors), QAbstractSocket::ConnectionRefusedError);
    QCOMPARE(stream.error(), QAbstractSocket::ConnectionRefusedError);
    QVERIFY(!stream.errorString().isEmpty());
    QVERIFY(!stream.isConnected());

    QTest::qWait(50);
    QCOMPARE(errors.count(), 1); // once
    QVERIFY(connected.isEmpty());
}

void TestTcpStream::connectFailingAtOnce_data()
{
    QTest::addColumn<bool>("abortAfter");
    QTest::newRow("reported") << false;
    QTest::newRow("aborted") << true;
}

void TestTcpStream::connectFailingAtOnce()
{
    // A loopback connect() only starts (EINPROGRESS, refused later); what fails before
    // connectToHost() returns is the socket() call itself, here for want of a descriptor.
    QFETCH(bool, abortAfter);
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    TcpStream stream;
    QSignalSpy connected(&stream, &TcpStream::connected);
    QSignalSpy errors(&stream, &TcpStream::errorOccurred);

    rlimit saved{};
    QCOMPARE(::getrlimit(RLIMIT_NOFILE, &saved), 0);
    const int lowestFree = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    QVERIFY(lowestFree >= 0);
    ::close(lowestFree);
    rlimit none = saved;
    none.rlim_cur = rlim_t(lowestFree); // the next descriptor would be one too many
    QCOMPARE(::setrlimit(RLIMIT_NOFILE, &none), 0);
    stream.connectToHost(QStringLiteral("127.0.0.1"), server.serverPort());
    QCOMPARE(::setrlimit(RLIMIT_NOFILE, &saved), 0);

    QVERIFY(!stream.isOpen());
    QVERIFY(errors.isEmpty()); // not from inside the call
    if (abortAfter) {
        stream.abort();
        QTest::qWait(200);
        QVERIFY(errors.isEmpty());
    } else {
        QTRY_COMPARE(errors.count(), 1);
        QCOMPARE(errorArgument(errors), QAbstractSocket::SocketResourceError);
        QCOMPARE(stream.error(), QAbstractSocket::SocketResourceError);
    }
    QVERIFY(connected.isEmpty());
    QVERIFY(!server.hasPendingConnections());
}

void TestTcpStream::abortWhileConnecting_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("listening");
    QTest::newRow("address, listening") << QStringLiteral("127.0.0.1") << true;
    QTest::newRow("address, refused") << QStringLiteral("127.0.0.1") << false;
    QTest::newRow("name, listening") << QStringLiteral("localhost") << true;
    QTest::newRow("name, refused") << QStringLiteral("localhost") << false;
}

void TestTcpStream::abortWhileConnecting()
{
    QFETCH(QString, host);
    QFETCH(bool, listening);
    QTcpServer server;
    RefusingPort closedPort;
    quint16 port = closedPort.port;
    if (listening) {
        QVERIFY(server.listen(QHostAddress::LocalHost));
        port = server.serverPort();
    }
    QVERIFY(port != 0);

    TcpStream stream;
    QSignalSpy connected(&stream, &TcpStream::connected);
    QSignalSpy errors(&stream, &TcpStream::errorOccurred);
    QSignalSpy readyRead(&stream, &TcpStream::readyRead);
    QSignalSpy closed(&stream, &TcpStream::closed);
    stream.connectToHost(host, port);
    stream.write("queued"); // pending output must not revive anything either
    stream.abort();
    QVERIFY(!stream.isOpen());
    QCOMPARE(stream.bytesToWrite(), qint64(0));

    QTest::qWait(200); // the lookup, the connect and a refusal all come back in this time
    QVERIFY(connected.isEmpty());
    QVERIFY(errors.isEmpty());
    QVERIFY(readyRead.isEmpty());
    QVERIFY(closed.isEmpty());
}

void TestTcpStream::abortWhenConnected()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    TcpStream stream;
    QSignalSpy connected(&stream, &TcpStream::connected);
    QSignalSpy errors(&stream, &TcpStream::errorOccurred);
    QSignalSpy readyRead(&stream, &TcpStream::readyRead);
    QSignalSpy closed(&stream, &TcpStream::closed);
    stream.connectToHost(QStringLiteral("127.0.0.1"), server.serverPort());
    QTRY_COMPARE(connected.count(), 1);
    QTRY_VERIFY(server.hasPendingConnections());
    std::unique_ptr<QTcpSocket> peer(server.nextPendingConnection());
    peer->setReadBufferSize(1); // reads (almost) nothing: the stream's output stays queued

    // Output queued behind a close, readable data and the peer's end are all pending at abort().
    QVERIFY(stream.write(pattern(LargeSize)));
    QVERIFY(stream.bytesToWrite() > 0);
    stream.closeAfterWrite();
    peer->write("data");
    QVERIFY(peer->waitForBytesWritten(1000));
    QTRY_VERIFY(!readyRead.isEmpty());
    QVERIFY(stream.isOpen());
    peer->disconnectFromHost();
    stream.abort();
    QVERIFY(!stream.isOpen());
    QCOMPARE(stream.bytesToWrite(), qint64(0));
    QByteArray buffer;
    QCOMPARE(stream.readInto(buffer), -1);

    connected.clear();
    readyRead.clear();
    QTest::qWait(200);
    QVERIFY(connected.isEmpty());
    QVERIFY(errors.isEmpty());
    QVERIFY(readyRead.isEmpty());
    QVERIFY(closed.isEmpty());
}

void TestTcpStream::writeToResetPeer()
{
    SocketPair pair;
    QVERIFY(pair.isValid());
    TcpStream stream;
    QSignalSpy errors(&stream, &TcpStream::errorOccurred);
    QSignalSpy readyRead(&stream, &TcpStream::readyRead);
    QVERIFY(pair.adoptInto(stream));

    pair.resetPeer();
    QTRY_VERIFY(!readyRead.isEmpty()); // the reset reached this side

    // The first send after a reset fails (ECONNRESET, then EPIPE): never a SIGPIPE.
    const QByteArray chunk(64 * 1024, 'x');
    bool failed = false;
    for (int i = 0; i < 64 && !failed; ++i)
        failed = !stream.write(chunk);
    QVERIFY(failed);
    // Writing again before the report is handled: EPIPE now, which would raise SIGPIPE.
    QVERIFY(!stream.write(chunk));
    QVERIFY(errors.isEmpty()); // reported from the event loop, not from inside write()
    QTRY_VERIFY(!errors.isEmpty());
    for (int i = 0; i < errors.count(); ++i)
        QCOMPARE(errorArgument(errors, i), QAbstractSocket::RemoteHostClosedError);

    QByteArray buffer;
    QCOMPARE(stream.readInto(buffer), -1);
    QCOMPARE(stream.error(), QAbstractSocket::RemoteHostClosedError);
    QVERIFY(buffer.isEmpty());

    // A failed write followed by abort(): the queued report must not come any more.
    SocketPair second;
    QVERIFY(second.isValid());
    TcpStream aborted;
    QSignalSpy abortedErrors(&aborted, &TcpStream::errorOccurred);
    QSignalSpy abortedReadyRead(&aborted, &TcpStream::readyRead);
    QVERIFY(second.adoptInto(aborted));
    second.resetPeer();
    QTRY_VERIFY(!abortedReadyRead.isEmpty());
    failed = false;
    for (int i = 0; i < 64 && !failed; ++i)
        failed = !aborted.write(chunk);
    QVERIFY(failed);
    aborted.abort();
    QTest::qWait(100);
    QVERIFY(abortedErrors.isEmpty());
}

void TestTcpStream::pendingWriteToResetPeer()
{
    SocketPair pair;
    QVERIFY(pair.isValid());
    TcpStream stream;
    QSignalSpy errors(&stream, &TcpStream::errorOccurred);
    QVERIFY(pair.adoptInto(stream));

    QVERIFY(stream.write(pattern(LargeSize)));
    QVERIFY(stream.bytesToWrite() > 0);
    pair.resetPeer(); // with unread data: the peer's close resets the connection

    // The queued output fails as the stream tries to send it: an error, the queue dropped.
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 5000);
    QCOMPARE(errorArgument(errors), QAbstractSocket::RemoteHostClosedError);
    QCOMPARE(stream.error(), QAbstractSocket::RemoteHostClosedError);
    QCOMPARE(stream.bytesToWrite(), qint64(0));
    QByteArray buffer;
    QCOMPARE(stream.readInto(buffer), -1);
    stream.abort();
    QTest::qWait(50);
    QCOMPARE(errors.count(), 1);
}

QTEST_GUILESS_MAIN(TestTcpStream)
#include "tst_tcpstream.moc"
