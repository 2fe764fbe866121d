// TcpStream connecting: by address and by name, writes while connecting, refused and failing
// connects, aborts. Over real loopback connections to a QTcpServer; the adopted side and its
// reads and writes are in tst_tcpstream.
#include "NoFreeDescriptor.h"
#include "TcpStreamTestSupport.h"

#include <csignal>

using namespace portico;
using namespace portico::tcpstreamtest;

class TestTcpStreamConnect : public QObject
{
    Q_OBJECT

private slots:
    void init();
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
};

void TestTcpStreamConnect::init()
{
    // A send without MSG_NOSIGNAL to a reset peer must kill this test, not pass quietly. Before
    // every test: Qt's network classes (the QTcpServer peers) set SIGPIPE to be ignored.
    std::signal(SIGPIPE, SIG_DFL);
}

void TestTcpStreamConnect::connectToHost_data()
{
    QTest::addColumn<QString>("host");
    QTest::newRow("address") << QStringLiteral("127.0.0.1");
    // Resolved with QHostInfo. The server listens on 127.0.0.1 only: where localhost also
    // resolves to ::1 (usually first), that attempt is refused and the next address is tried.
    QTest::newRow("name") << QStringLiteral("localhost");
}

void TestTcpStreamConnect::connectToHost()
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

void TestTcpStreamConnect::writeWhileConnecting_data()
{
    connectToHost_data();
}

void TestTcpStreamConnect::writeWhileConnecting()
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

void TestTcpStreamConnect::connectToClosedPort_data()
{
    connectToHost_data(); // a name is refused on each of its addresses
}

void TestTcpStreamConnect::connectToClosedPort()
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

void TestTcpStreamConnect::connectFailingAtOnce_data()
{
    addAbortAfterColumn();
}

void TestTcpStreamConnect::connectFailingAtOnce()
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

void TestTcpStreamConnect::abortWhileConnecting_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("listening");
    QTest::newRow("address, listening") << QStringLiteral("127.0.0.1") << true;
    QTest::newRow("address, refused") << QStringLiteral("127.0.0.1") << false;
    QTest::newRow("name, listening") << QStringLiteral("localhost") << true;
    QTest::newRow("name, refused") << QStringLiteral("localhost") << false;
}

void TestTcpStreamConnect::abortWhileConnecting()
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

void TestTcpStreamConnect::abortWhenConnected()
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

QTEST_GUILESS_MAIN(TestTcpStreamConnect)
#include "tst_tcpstreamconnect.moc"
