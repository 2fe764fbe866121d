// TcpStream on an adopted connection, over real loopback: the peer is a plain socket the test
// drives by hand (so it can stop reading, or reset the connection). Connecting is in
// tst_tcpstreamconnect.
#include "TcpStreamTestSupport.h"

#include <csignal>

#include <fcntl.h>
#include <poll.h>

using namespace portico;
using namespace portico::tcpstreamtest;

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

void TestTcpStream::writeToResetPeer_data()
{
    addAbortAfterColumn();
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
