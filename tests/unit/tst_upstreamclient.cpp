#include "FakeHttpServer.h"
#include "UpstreamClient.h"
#include "UpstreamTestSupport.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <memory>
#include <vector>

using namespace portico;
using namespace portico::upstreamtest;
using Step = FakeHttpServer::Step;

class TestUpstreamClient : public QObject
{
    Q_OBJECT
private slots:
    void contentLengthBody();
    void requestHeadAndBody();
    void chunkedBodyAcrossSmallWrites();
    void closeDelimitedBody();
    void keepAliveSemantics_data();
    void keepAliveSemantics();
    void headAndNoContentHaveNoBody_data();
    void headAndNoContentHaveNoBody();
    void interimResponseSkipped();
    void headerNamesLowerCased();
    void connectionRefused();
    void firstByteTimeout();
    void idleTimeout();
    void idleTimeoutMeasuresSilenceNotTotal();
    void closedMidBody_data();
    void closedMidBody();
    void malformedResponse_data();
    void malformedResponse();
    void redirectNotFollowed();
    void abortClosesConnection();
    void abortFromDataHandler();
    void deletingRunningReplyAborts();
    void invalidUrlFailsAsynchronously();
    void httpsUsesTls();
    void forCurrentThreadIsPerThread();
};

void TestUpstreamClient::contentLengthBody()
{
    FakeHttpServer server;
    server.setScript({FakeHttpServer::write(FakeHttpServer::response(200, "hello world"))});
    UpstreamClient client;
    const auto rec = sendAndWait(client, request(server.url()));
    VERIFY_SUCCEEDED(rec);
    QCOMPARE(rec->reply->status(), 200);
    QCOMPARE(rec->reply->header("content-length"), QByteArray("11"));
    QCOMPARE(rec->body, QByteArray("hello world"));
    QVERIFY(rec->reply->isFinished());
}

void TestUpstreamClient::requestHeadAndBody()
{
    FakeHttpServer server;
    UpstreamClient client;
    UpstreamRequest r =
        request(server.url(QStringLiteral("/v1/chat/completions?x=1&y=%20")), "POST", "{\"a\":1}");
    r.headers = {{"Authorization", "Bearer t"},
                 {"Host", "evil.example"},
                 {"Content-Length", "999"},
                 {"Connection", "close"},
                 {"X-Extra", "yes"}};
    VERIFY_SUCCEEDED(sendAndWait(client, r));

    const QByteArray large(100 * 1024, 'z'); // not inlined behind the head
    VERIFY_SUCCEEDED(sendAndWait(client, request(server.url(), "PUT", large)));

    QCOMPARE(server.requestCount(), 2);
    const FakeHttpServer::Request &first = server.requests().at(0);
    QCOMPARE(first.method, QByteArray("POST"));
    QCOMPARE(first.target, QByteArray("/v1/chat/completions?x=1&y=%20"));
    QCOMPARE(first.header("host"), "127.0.0.1:" + QByteArray::number(server.port()));
    QCOMPARE(first.header("content-length"), QByteArray("7"));
    QCOMPARE(first.header("authorization"), QByteArray("Bearer t"));
    QCOMPARE(first.header("x-extra"), QByteArray("yes"));
    QVERIFY(!hasHeader(first.headers, "connection"));
    int hosts = 0;
    for (const auto &h : first.headers)
        hosts += h.first == "host" ? 1 : 0;
    QCOMPARE(hosts, 1);
    QCOMPARE(first.body, QByteArray("{\"a\":1}"));
    QCOMPARE(server.requests().at(1).body, large);
    QCOMPARE(server.connectionCount(), 1);
}

void TestUpstreamClient::chunkedBodyAcrossSmallWrites()
{
    // Chunk frames cut at awkward places: inside the size line, between CR and LF, inside data.
    const QByteArray wire =
        "5\r\nhello\r\n1;ext=1\r\n \r\n10\r\n0123456789abcdef\r\n0\r\nX-T: 1\r\n\r\n";
    FakeHttpServer::Script script{
        FakeHttpServer::write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")};
    for (qsizetype i = 0; i < wire.size(); i += 3) {
        script.append(FakeHttpServer::wait(2));
        script.append(FakeHttpServer::write(wire.mid(i, 3)));
    }
    FakeHttpServer server;
    server.setScript(script);
    UpstreamClient client;
    const auto rec = sendAndWait(client, request(server.url()));
    VERIFY_SUCCEEDED(rec);
    QCOMPARE(rec->body, QByteArray("hello 0123456789abcdef"));
    QVERIFY2(rec->dataSignals > 3, "body bytes must be delivered as they arrive");
    QCOMPARE(client.idleConnectionCount(), 1); // complete chunked response: reusable
}

void TestUpstreamClient::closeDelimitedBody()
{
    FakeHttpServer server;
    server.setScript(
        {FakeHttpServer::write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\npart1"),
         FakeHttpServer::wait(20), FakeHttpServer::write("part2"), FakeHttpServer::close()});
    UpstreamClient client;
    const auto rec = sendAndWait(client, request(server.url()));
    VERIFY_SUCCEEDED(rec);
    QCOMPARE(rec->body, QByteArray("part1part2"));
    QCOMPARE(client.idleConnectionCount(), 0);
    QTRY_COMPARE(client.activeConnectionCount(), 0);
}

void TestUpstreamClient::keepAliveSemantics_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<bool>("reused");
    const QByteArray tail = "Content-Length: 2\r\n\r\nok";
    QTest::newRow("HTTP/1.1 default") << QByteArray("HTTP/1.1 200 OK\r\n" + tail) << true;
    QTest::newRow("Connection: close")
        << QByteArray("HTTP/1.1 200 OK\r\nConnection: Close\r\n" + tail) << false;
    QTest::newRow("HTTP/1.0") << QByteArray("HTTP/1.0 200 OK\r\n" + tail) << false;
    QTest::newRow("HTTP/1.0 keep-alive")
        << QByteArray("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n" + tail) << true;
}

void TestUpstreamClient::keepAliveSemantics()
{
    QFETCH(QByteArray, response);
    QFETCH(bool, reused);
    FakeHttpServer server;
    server.setScript({FakeHttpServer::write(response)});
    UpstreamClient client;
    VERIFY_SUCCEEDED(sendAndWait(client, request(server.url())));
    QCOMPARE(client.idleConnectionCount(), reused ? 1 : 0);
    VERIFY_SUCCEEDED(sendAndWait(client, request(server.url())));
    QCOMPARE(server.connectionCount(), reused ? 1 : 2);
    if (!reused)
        QTRY_COMPARE(server.clientDisconnectCount(), 2);
}

void TestUpstreamClient::headAndNoContentHaveNoBody_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<int>("status");
    QTest::newRow("HEAD") << QByteArray("HEAD")
                          << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n") << 200;
    QTest::newRow("204") << QByteArray("GET") << QByteArray("HTTP/1.1 204 No Content\r\n\r\n")
                         << 204;
    QTest::newRow("304") << QByteArray("GET")
                         << QByteArray("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n")
                         << 304;
}

void TestUpstreamClient::headAndNoContentHaveNoBody()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, response);
    QFETCH(int, status);
    FakeHttpServer server;
    server.setScript({FakeHttpServer::write(response)});
    UpstreamClient client;
    for (int i = 0; i < 2; ++i) {
        const auto rec = sendAndWait(client, request(server.url(), method));
        VERIFY_SUCCEEDED(rec);
        QCOMPARE(rec->reply->status(), status);
        QCOMPARE(rec->dataSignals, 0);
    }
    QCOMPARE(server.connectionCount(), 1);
}

void TestUpstreamClient::interimResponseSkipped()
{
    FakeHttpServer server;
    server.setScript({FakeHttpServer::write("HTTP/1.1 100 Continue\r\n\r\n"),
                      FakeHttpServer::write("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"),
                      FakeHttpServer::write(FakeHttpServer::response(201, "made"))});
    UpstreamClient client;
    const auto rec = sendAndWait(client, request(server.url(), "POST", "x"));
    VERIFY_SUCCEEDED(rec);
    QCOMPARE(rec->headerSignals, 1);
    QCOMPARE(rec->reply->status(), 201);
    QVERIFY(!hasHeader(rec->reply->headers(), "link"));
    QCOMPARE(rec->body, QByteArray("made"));
}

void TestUpstreamClient::headerNamesLowerCased()
{
    FakeHttpServer server;
    server.setScript({FakeHttpServer::write(FakeHttpServer::response(
        200, "{}", {"X-Custom-Header:   Some Value  ", "CONTENT-TYPE:application/json"}))});
    UpstreamClient client;
    const auto rec = sendAndWait(client, request(server.url()));
    VERIFY_SUCCEEDED(rec);
    QCOMPARE(rec->reply->header("x-custom-header"), QByteArray("Some Value"));
    QCOMPARE(rec->reply->header("content-type"), QByteArray("application/json"));
    for (const auto &h : rec->reply->headers())
        QCOMPARE(h.first, h.first.toLower());
}

void TestUpstreamClient::connectionRefused()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    UpstreamClient client;
    const auto rec = sendAndWait(
        client, request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/models").arg(port))));
    VERIFY_FAILED(rec, UpstreamReply::Error::ConnectionRefused);
    QCOMPARE(rec->message, QStringLiteral("connection refused by 127.0.0.1:%1").arg(port));
    QCOMPARE(client.activeConnectionCount(), 0);
}

void TestUpstreamClient::firstByteTimeout()
{
    FakeHttpServer server;
    server.setScript({FakeHttpServer::stall()});
    UpstreamClient client;
    UpstreamRequest r = request(server.url(), "POST", "{}");
    r.timeouts.firstByteMs = 200;
    QElapsedTimer clock;
    clock.start();
    const auto rec = sendAndWait(client, r);
    VERIFY_FAILED(rec, UpstreamReply::Error::FirstByteTimeout);
    QVERIFY2(clock.elapsed() >= 190 && clock.elapsed() < 3000,
             qPrintable(QString::number(clock.elapsed())));
    QVERIFY2(rec->message.contains(QStringLiteral("within 200 ms")), qPrintable(rec->message));
    QTRY_COMPARE(server.clientDisconnectCount(), 1);
}

void TestUpstreamClient::idleTimeout()
{
    FakeHttpServer server;
    server.setScript({FakeHttpServer::write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst"),
                      FakeHttpServer::stall()});
    UpstreamClient client;
    UpstreamRequest r = request(server.url());
    r.timeouts.idleMs = 200;
    const auto rec = sendAndWait(client, r);
    VERIFY_FAILED(rec, UpstreamReply::Error::IdleTimeout);
    QCOMPARE(rec->headerSignals, 1);
    QCOMPARE(rec->body, QByteArray("first"));
    QVERIFY2(rec->message.contains(QStringLiteral("200 ms")), qPrintable(rec->message));
    QTRY_COMPARE(server.clientDisconnectCount(), 1);
}

void TestUpstreamClient::idleTimeoutMeasuresSilenceNotTotal()
{
    // 8 chunks 80 ms apart: the stream lasts far longer than the idle timeout, the gaps do not.
    FakeHttpServer server;
    server.setScript(FakeHttpServer::chunked(200, QList<QByteArray>(8, "tick"), 80));
    UpstreamClient client;
    UpstreamRequest r = request(server.url());
    r.timeouts.idleMs = 300;
    QElapsedTimer clock;
    clock.start();
    const auto rec = sendAndWait(client, r);
    VERIFY_SUCCEEDED(rec);
    QVERIFY(clock.elapsed() > 300);
    QCOMPARE(rec->body, QByteArray("tick").repeated(8));
}

void TestUpstreamClient::closedMidBody_data()
{
    QTest::addColumn<QByteArray>("partial");
    QTest::addColumn<QByteArray>("expectedBody");
    QTest::newRow("content-length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
        << QByteArray("0123456789");
    QTest::newRow("chunked")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
        << QByteArray("hello");
    QTest::newRow("in the header") << QByteArray("HTTP/1.1 200 OK\r\nContent-Le") << QByteArray();
}

void TestUpstreamClient::closedMidBody()
{
    QFETCH(QByteArray, partial);
    QFETCH(QByteArray, expectedBody);
    FakeHttpServer server;
    server.setScript(
        {FakeHttpServer::write(partial), FakeHttpServer::wait(20), FakeHttpServer::close()});
    UpstreamClient client;
    const auto rec = sendAndWait(client, request(server.url()));
    VERIFY_FAILED(rec, UpstreamReply::Error::ConnectionClosed);
    QCOMPARE(rec->body, expectedBody);
    QVERIFY2(rec->message.contains(QStringLiteral("closed the connection")),
             qPrintable(rec->message));
    QTRY_COMPARE(client.activeConnectionCount(), 0);
    QCOMPARE(client.idleConnectionCount(), 0);
}

void TestUpstreamClient::malformedResponse_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::newRow("garbage") << QByteArray("garbage\r\n\r\n");
    QTest::newRow("status not numeric") << QByteArray("HTTP/1.1 abc OK\r\n\r\n");
    QTest::newRow("HTTP/2 status line") << QByteArray("HTTP/2 200\r\n\r\n");
    QTest::newRow("header without colon")
        << QByteArray("HTTP/1.1 200 OK\r\nno colon here\r\nContent-Length: 0\r\n\r\n");
    QTest::newRow("bad content-length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n");
    QTest::newRow("bad chunk size") << QByteArray(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
    QTest::newRow("chunk longer than declared") << QByteArray(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n");
    QTest::newRow("header over 64 KiB")
        << QByteArray("HTTP/1.1 200 OK\r\nX-Big: " + QByteArray(70 * 1024, 'a') + "\r\n\r\n");
}

void TestUpstreamClient::malformedResponse()
{
    QFETCH(QByteArray, response);
    FakeHttpServer server;
    server.setScript({FakeHttpServer::write(response)});
    UpstreamClient client;
    const auto rec = sendAndWait(client, request(server.url()));
    VERIFY_FAILED(rec, UpstreamReply::Error::Protocol);
    QVERIFY2(rec->message.startsWith(QStringLiteral("invalid response from 127.0.0.1:")),
             qPrintable(rec->message));
    QTRY_COMPARE(server.clientDisconnectCount(), 1); // never pooled
    QCOMPARE(client.idleConnectionCount(), 0);
}

void TestUpstreamClient::redirectNotFollowed()
{
    FakeHttpServer target;
    FakeHttpServer server;
    const QByteArray location = target.url(QStringLiteral("/elsewhere")).toEncoded();
    server.setScript(
        {FakeHttpServer::write(FakeHttpServer::response(302, "moved", {"Location: " + location}))});
    UpstreamClient client;
    UpstreamRequest r = request(server.url(), "POST", "{}");
    r.headers = {{"Authorization", "Bearer secret"}};
    const auto rec = sendAndWait(client, r);
    VERIFY_SUCCEEDED(rec);
    QCOMPARE(rec->reply->status(), 302);
    QCOMPARE(rec->reply->header("location"), location);
    QCOMPARE(rec->body, QByteArray("moved"));
    QTest::qWait(100); // a followed redirect would connect to the target meanwhile
    QCOMPARE(server.requestCount(), 1);
    QCOMPARE(target.connectionCount(), 0);
}

void TestUpstreamClient::abortClosesConnection()
{
    FakeHttpServer server;
    server.setScript({FakeHttpServer::write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12"),
                      FakeHttpServer::wait(100), FakeHttpServer::write("345")});
    UpstreamClient client;
    Recorder rec(client.send(request(server.url())));
    QTRY_COMPARE(rec.dataSignals, 1);
    QElapsedTimer clock;
    clock.start();
    rec.reply->abort();
    QTRY_COMPARE_WITH_TIMEOUT(server.clientDisconnectCount(), 1, 2000);
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(client.activeConnectionCount(), 0);
    QCOMPARE(client.idleConnectionCount(), 0);
    QTest::qWait(150); // past the server's next write: nothing may arrive any more
    QCOMPARE(rec.ends, 0);
    QCOMPARE(rec.dataSignals, 1);
}

void TestUpstreamClient::abortFromDataHandler()
{
    FakeHttpServer server;
    server.setScript(FakeHttpServer::chunked(200, {"a", "b", "c"}, 30));
    UpstreamClient client;
    Recorder rec(client.send(request(server.url())));
    connect(rec.reply.get(), &UpstreamReply::dataReceived, &rec, [&rec] { rec.reply->abort(); });
    QTRY_COMPARE(server.clientDisconnectCount(), 1);
    QCOMPARE(rec.dataSignals, 1);
    QCOMPARE(rec.ends, 0);
    QCOMPARE(client.activeConnectionCount(), 0);
}

void TestUpstreamClient::deletingRunningReplyAborts()
{
    FakeHttpServer server;
    server.setScript({FakeHttpServer::stall()});
    UpstreamClient client;
    auto rec = std::make_unique<Recorder>(client.send(request(server.url())));
    QTRY_COMPARE(server.requestCount(), 1);
    rec.reset(); // deletes the reply while it waits for the response
    QTRY_COMPARE(server.clientDisconnectCount(), 1);
    QCOMPARE(client.activeConnectionCount(), 0);

    // Deleted before it even connected.
    delete client.send(request(server.url()));
    QTRY_COMPARE(client.activeConnectionCount(), 0);
}

void TestUpstreamClient::invalidUrlFailsAsynchronously()
{
    UpstreamClient client;
    Recorder rec(client.send(request(QUrl(QStringLiteral("ftp://127.0.0.1/x")))));
    QCOMPARE(rec.ends, 0); // nothing before send() returned and the caller connected
    QTRY_VERIFY(rec.ended());
    QCOMPARE(rec.ends, 1);
    QCOMPARE(rec.error, UpstreamReply::Error::Network);

    UpstreamRequest bad = request(QUrl(QStringLiteral("http://127.0.0.1:1/")));
    bad.headers = {{"X-Injected", "a\r\nEvil: 1"}};
    Recorder rec2(client.send(bad));
    QTRY_VERIFY(rec2.ended());
    QCOMPARE(rec2.error, UpstreamReply::Error::Protocol);
    QCOMPARE(client.activeConnectionCount(), 0);
}

void TestUpstreamClient::httpsUsesTls()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    // A plain-text server behind an https URL: the handshake must fail as a TLS error.
    QTcpServer plain;
    QVERIFY(plain.listen(QHostAddress::LocalHost, 0));
    int clientHellos = 0;
    connect(&plain, &QTcpServer::newConnection, this, [&] {
        QTcpSocket *socket = plain.nextPendingConnection();
        connect(socket, &QTcpSocket::readyRead, socket, [socket, &clientHellos] {
            const QByteArray hello = socket->readAll();
            clientHellos += hello.startsWith('\x16') ? 1 : 0; // TLS handshake record
            socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            socket->disconnectFromHost();
        });
    });
    UpstreamClient client;
    const auto rec = sendAndWait(
        client, request(QUrl(QStringLiteral("https://127.0.0.1:%1/").arg(plain.serverPort()))));
    VERIFY_FAILED(rec, UpstreamReply::Error::Tls);
    QCOMPARE(clientHellos, 1);
    QVERIFY2(rec->message.contains(QStringLiteral("TLS")), qPrintable(rec->message));
}

void TestUpstreamClient::forCurrentThreadIsPerThread()
{
    UpstreamClient *const mine = UpstreamClient::forCurrentThread();
    QVERIFY(mine);
    QCOMPARE(UpstreamClient::forCurrentThread(), mine);

    UpstreamClient *theirs = nullptr;
    bool stable = false;
    bool destroyed = false;
    std::unique_ptr<QThread> thread(QThread::create([&] {
        theirs = UpstreamClient::forCurrentThread();
        stable = UpstreamClient::forCurrentThread() == theirs;
        QObject::connect(theirs, &QObject::destroyed, [&destroyed] { destroyed = true; });
    }));
    thread->start();
    QVERIFY(thread->wait(5000));
    QVERIFY(theirs);
    QVERIFY(theirs != mine);
    QVERIFY(stable);
    QVERIFY(destroyed); // with its thread
}

QTEST_GUILESS_MAIN(TestUpstreamClient)
#include "tst_upstreamclient.moc"
