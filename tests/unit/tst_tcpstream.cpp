// TcpStream, the lean socket of the relay path, over real loopback connections: the peer is a
// plain socket the test drives by hand (so it can stop reading, or reset the connection) or a
// QTcpServer.
#include "NoFreeDescriptor.h"
#include "TcpStream.h"

#include <QHostAddress>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <memory>
#include <thread>
#include <utility>

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

// Empty when `actual` is `expected`; otherwise the sizes and where they part: a readable failure
// where QCOMPARE would print megabytes, and one where a chunk sent twice or out of place shows.
QString difference(const QByteArray &actual, const QByteArray &expected)
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
void setTimeouts(int fd)
{
    const timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

// Binds `fd` to a free port on 127.0.0.1, which it writes to `address`.
bool bindLoopback(int fd, sockaddr_in &address)
{
    address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    return fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr *>(&address), length) == 0 &&
           ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0;
}

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
    void writeToResetPeer_data();
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
    Adopted s;
    QVERIFY(s.isValid);
    QVERIFY(s.stream.isOpen());
    QVERIFY(s.stream.isConnected());
    QCOMPARE(s.stream.peerAddress(), QHostAddress(QHostAddress::LocalHost));

    QByteArray buffer("kept:");
    QCOMPARE(s.stream.readInto(buffer), 0); // nothing sent yet: not the end
    QCOMPARE(buffer, QByteArray("kept:"));

    for (const QByteArray &sent : {QByteArray("hello"), QByteArray(" again")}) {
        s.readyRead.clear();
        const QByteArray expected = buffer + sent;
        QVERIFY(sendAll(s.peer, sent));
        QTRY_VERIFY(!s.readyRead.isEmpty());
        QCOMPARE(s.stream.readInto(buffer), sent.size());
        QCOMPARE(buffer, expected); // appended, never replaced
        QCOMPARE(s.stream.readInto(buffer), 0);
    }
    QVERIFY(s.errors.isEmpty());
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
    Adopted s;
    QVERIFY(s.isValid);

    QByteArray received;
    bool ended = false;
    bool consistent = true;
    QAbstractSocket::SocketError endError = QAbstractSocket::UnknownSocketError;
    connect(&s.stream, &TcpStream::readyRead, this, [&] {
        if (!ended && readUntilEnd(s.stream, received, &consistent)) {
            ended = true;
            endError = s.stream.error();
            s.stream.abort(); // as the gateway does: no more readiness for a finished stream
        }
    });

    // The peer sends and closes at once: the bytes ahead of the end must all arrive.
    const QByteArray payload = pattern(size);
    std::jthread sender([peer = std::exchange(s.peer, -1), &payload] {
        sendAll(peer, payload);
        ::close(peer);
    });
    if (allThereFirst) {
        // No event loop yet, so no read: wait for the peer's end behind the bytes.
        sender.join();
        pollfd end{s.descriptor, POLLRDHUP, 0};
        QCOMPARE(::poll(&end, 1, 5000), 1);
        QVERIFY(end.revents & POLLRDHUP);
    }

    QTRY_VERIFY_WITH_TIMEOUT(ended, 5000);
    QVERIFY(consistent); // the last bytes came with their count, not with the -1
    QCOMPARE(difference(received, payload), QString());
    QCOMPARE(endError, QAbstractSocket::RemoteHostClosedError);
    QVERIFY(!s.stream.errorString().isEmpty());
}

void TestTcpStream::largeWriteWaitsForTheReader()
{
    Adopted s;
    QVERIFY(s.isValid);

    const QByteArray payload = pattern(LargeSize);
    QVERIFY(s.stream.write(payload));
    QVERIFY2(s.stream.bytesToWrite() > 0, "the kernel took 8 MiB at once: nothing was queued");
    QVERIFY(s.stream.write("tail")); // behind what is queued, never ahead of it
    const qint64 queued = s.stream.bytesToWrite();

    // The peer is not reading: the kernel stays full and the queue stays.
    QTest::qWait(50);
    QVERIFY(s.stream.bytesToWrite() > 0);
    QVERIFY(s.stream.bytesToWrite() <= queued);

    PeerReader reader(s.peer, payload.size() + 4);
    QTRY_VERIFY_WITH_TIMEOUT(reader.isDone(), 5000);
    QCOMPARE(difference(reader.data(), payload + "tail"), QString());
    QTRY_COMPARE(s.stream.bytesToWrite(), qint64(0));
    QVERIFY(s.stream.isOpen());
    QVERIFY(s.errors.isEmpty());
}

void TestTcpStream::closeAfterWriteWithNothingPending()
{
    Adopted s;
    QVERIFY(s.isValid);

    QVERIFY(s.stream.write("bye"));
    QCOMPARE(s.stream.bytesToWrite(), qint64(0)); // a few bytes go to the kernel at once
    s.stream.closeAfterWrite();
    QVERIFY(!s.stream.isOpen());

    // The peer gets the bytes, then an orderly end.
    PeerReader reader(s.peer, 1024);
    QTRY_VERIFY(reader.isDone());
    QCOMPARE(reader.data(), QByteArray("bye"));
    QVERIFY(reader.sawEnd());

    QTest::qWait(50);
    QVERIFY(s.closed.isEmpty()); // closed() is only for a close that had to wait
    QVERIFY(s.errors.isEmpty());
}

void TestTcpStream::closeAfterWriteWithDataPending()
{
    Adopted s;
    QVERIFY(s.isValid);

    const QByteArray payload = pattern(LargeSize);
    QVERIFY(s.stream.write(payload));
    QVERIFY(s.stream.bytesToWrite() > 0);
    s.stream.closeAfterWrite();
    QVERIFY(s.stream.isOpen()); // still sending
    QVERIFY(s.closed.isEmpty());

    PeerReader reader(s.peer, payload.size() + 1);
    QTRY_COMPARE_WITH_TIMEOUT(s.closed.count(), 1, 5000);
    QVERIFY(!s.stream.isOpen());
    QTRY_VERIFY_WITH_TIMEOUT(reader.isDone(), 5000);
    QCOMPARE(difference(reader.data(), payload), QString());
    QVERIFY(reader.sawEnd()); // an orderly end after the last byte, not a reset
    QCOMPARE(s.closed.count(), 1);
    QVERIFY(s.errors.isEmpty());
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
    Served s;
    QVERIFY(s.listening);

    s.stream.connectToHost(host, s.server.serverPort());
    QVERIFY(s.connected.isEmpty()); // never emitted from inside the call
    QVERIFY(s.errors.isEmpty());
    QVERIFY(!s.stream.isConnected());

    QVERIFY(s.accept());
    QVERIFY(s.stream.isConnected());
    QCOMPARE(s.stream.peerAddress(), QHostAddress(QHostAddress::LocalHost));

    s.peer->write("pong");
    QTRY_VERIFY(!s.readyRead.isEmpty());
    QByteArray buffer;
    QCOMPARE(s.stream.readInto(buffer), 4);
    QCOMPARE(buffer, QByteArray("pong"));

    QVERIFY(s.stream.write("ping"));
    QTRY_COMPARE(s.peer->bytesAvailable(), qint64(4));
    QCOMPARE(s.peer->readAll(), QByteArray("ping"));
    QCOMPARE(s.connected.count(), 1);
    QVERIFY(s.errors.isEmpty());
}

void TestTcpStream::writeWhileConnecting_data()
{
    connectToHost_data();
}

void TestTcpStream::writeWhileConnecting()
{
    QFETCH(QString, host);
    Served s;
    QVERIFY(s.listening);

    s.stream.connectToHost(host, s.server.serverPort());
    // write() documents false only for an error, with errorOccurred() to follow; before the
    // connection is up the bytes are kept and sent once it is.
    QVERIFY(s.stream.write("early"));
    QCOMPARE(s.stream.bytesToWrite(), qint64(5));
    QVERIFY(s.stream.write(" bytes"));
    QCOMPARE(s.stream.bytesToWrite(), qint64(11));

    QVERIFY(s.accept());
    QTRY_COMPARE(s.peer->bytesAvailable(), qint64(11));
    QCOMPARE(s.peer->readAll(), QByteArray("early bytes"));
    QCOMPARE(s.stream.bytesToWrite(), qint64(0));
    QVERIFY(s.errors.isEmpty());
}

void TestTcpStream::connectToClosedPort_data()
{
    connectToHost_data(); // a name is refused on each of its addresses
}

void TestTcpStream::connectToClosedPort()
{
    QFETCH(QString, host);
    RefusingPort closedPort;
    QVERIFY(closedPort.port != 0);
    Spied s;

    s.stream.connectToHost(host, closedPort.port);
    QVERIFY(s.errors.isEmpty()); // a refusal at once is still reported from the event loop
    QVERIFY(s.connected.isEmpty());

    QTRY_COMPARE(s.errorsReported(), SocketErrors{QAbstractSocket::ConnectionRefusedError});
    QCOMPARE(s.stream.error(), QAbstractSocket::ConnectionRefusedError);
    QVERIFY(!s.stream.errorString().isEmpty());
    QVERIFY(!s.stream.isConnected());

    QTest::qWait(50);
    QCOMPARE(s.errors.count(), 1); // once
    QVERIFY(s.connected.isEmpty());
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
    Served s;
    QVERIFY(s.listening);

    NoFreeDescriptor noneLeft; // the next descriptor would be one too many
    QVERIFY(noneLeft.isSet());
    s.stream.connectToHost(QStringLiteral("127.0.0.1"), s.server.serverPort());
    QVERIFY(noneLeft.restore());

    QVERIFY(!s.stream.isOpen());
    QVERIFY(s.errors.isEmpty()); // not from inside the call
    if (abortAfter) {
        s.stream.abort();
        QTest::qWait(200);
        QVERIFY(s.errors.isEmpty());
    } else {
        QTRY_COMPARE(s.errorsReported(), SocketErrors{QAbstractSocket::SocketResourceError});
        QCOMPARE(s.stream.error(), QAbstractSocket::SocketResourceError);
    }
    QVERIFY(s.connected.isEmpty());
    QVERIFY(!s.server.hasPendingConnections());
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

    Spied s;
    s.stream.connectToHost(host, port);
    s.stream.write("queued"); // pending output must not revive anything either
    s.stream.abort();
    QVERIFY(!s.stream.isOpen());
    QCOMPARE(s.stream.bytesToWrite(), qint64(0));

    QTest::qWait(200); // the lookup, the connect and a refusal all come back in this time
    QCOMPARE(s.signalsSeen(), QString());
}

void TestTcpStream::abortWhenConnected()
{
    Served s;
    QVERIFY(s.listening);
    s.stream.connectToHost(QStringLiteral("127.0.0.1"), s.server.serverPort());
    QVERIFY(s.accept());
    s.peer->setReadBufferSize(1); // reads (almost) nothing: the stream's output stays queued

    // Output queued behind a close, readable data and the peer's end are all pending at abort().
    QVERIFY(s.stream.write(pattern(LargeSize)));
    QVERIFY(s.stream.bytesToWrite() > 0);
    s.stream.closeAfterWrite();
    s.peer->write("data");
    QVERIFY(s.peer->waitForBytesWritten(1000));
    QTRY_VERIFY(!s.readyRead.isEmpty());
    QVERIFY(s.stream.isOpen());
    s.peer->disconnectFromHost();
    s.stream.abort();
    QVERIFY(!s.stream.isOpen());
    QCOMPARE(s.stream.bytesToWrite(), qint64(0));
    QByteArray buffer;
    QCOMPARE(s.stream.readInto(buffer), -1);

    s.connected.clear();
    s.readyRead.clear();
    QTest::qWait(200);
    QCOMPARE(s.signalsSeen(), QString());
}

void TestTcpStream::writeToResetPeer_data()
{
    connectFailingAtOnce_data();
}

void TestTcpStream::writeToResetPeer()
{
    QFETCH(bool, abortAfter);
    Adopted s;
    QVERIFY(s.isValid);
    s.resetPeer();
    QTRY_VERIFY(!s.readyRead.isEmpty()); // the reset reached this side

    // The first send after a reset fails (ECONNRESET, then EPIPE): never a SIGPIPE.
    const QByteArray chunk(64 * 1024, 'x');
    bool failed = false;
    for (int i = 0; i < 64 && !failed; ++i)
        failed = !s.stream.write(chunk);
    QVERIFY(failed);
    if (abortAfter) {
        // A failed write followed by abort(): the queued report must not come any more.
        s.stream.abort();
        QTest::qWait(100);
        QVERIFY(s.errors.isEmpty());
        return;
    }

    // Writing again before the report is handled: EPIPE now, which would raise SIGPIPE.
    QVERIFY(!s.stream.write(chunk));
    QVERIFY(s.errors.isEmpty()); // reported from the event loop, not from inside write()
    QTRY_VERIFY(!s.errors.isEmpty());
    QCOMPARE(s.errorsReported(),
             SocketErrors(s.errors.count(), QAbstractSocket::RemoteHostClosedError));

    QByteArray buffer;
    QCOMPARE(s.stream.readInto(buffer), -1);
    QCOMPARE(s.stream.error(), QAbstractSocket::RemoteHostClosedError);
    QVERIFY(buffer.isEmpty());
}

void TestTcpStream::pendingWriteToResetPeer()
{
    Adopted s;
    QVERIFY(s.isValid);

    QVERIFY(s.stream.write(pattern(LargeSize)));
    QVERIFY(s.stream.bytesToWrite() > 0);
    s.resetPeer(); // with unread data: the peer's close resets the connection

    // The queued output fails as the stream tries to send it: an error, the queue dropped.
    QTRY_COMPARE_WITH_TIMEOUT(s.errorsReported(),
                              SocketErrors{QAbstractSocket::RemoteHostClosedError}, 5000);
    QCOMPARE(s.stream.error(), QAbstractSocket::RemoteHostClosedError);
    QCOMPARE(s.stream.bytesToWrite(), qint64(0));
    QByteArray buffer;
    QCOMPARE(s.stream.readInto(buffer), -1);
    s.stream.abort();
    QTest::qWait(50);
    QCOMPARE(s.errors.count(), 1);
}

QTEST_GUILESS_MAIN(TestTcpStream)
#include "tst_tcpstream.moc"
