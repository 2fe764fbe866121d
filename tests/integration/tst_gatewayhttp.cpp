// HTTP as the gateway speaks it, over real loopback: methods, content types, size and time
// limits, malformed heads and the Connection header. The guard's checks are in tst_gatewayaccess.
#include "GatewayFixture.h"
#include "TestHttpClient.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>

using portico::HeaderList;

namespace {
const HeaderList kAuth = TestHttpClient::defaultAuth();
} // namespace

class TestGatewayHttp : public QObject
{
    Q_OBJECT

private slots:
    void wrongMethod();
    void wrongContentType();
    void bodyOverLimit();
    void headerOverLimit();
    void malformedHead_data();
    void malformedHead();
    void slowRequestTimesOut();
    void slowRequestOnKeptAliveConnectionTimesOut();
    void idleKeptAliveConnectionIsClosed();
    void connectionHeader_data();
    void connectionHeader();
    void pipelinedRequests();
};

void TestGatewayHttp::wrongMethod()
{
    GatewayFixture f;
    QVERIFY(f.start());
    TestHttpClient client(f.port());
    const TestResponse r = client.request("GET", "/v1/chat/completions", kAuth);
    QCOMPARE(r.status, 405);
    QCOMPARE(r.header("allow"), QByteArray("POST"));
    QCOMPARE(
        r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
        QStringLiteral("method_not_allowed"));
    QCOMPARE(client.request("DELETE", "/v1/models", kAuth).header("allow"),
             QByteArray("GET, HEAD"));
}

void TestGatewayHttp::wrongContentType()
{
    GatewayFixture f;
    QVERIFY(f.start());
    TestHttpClient client(f.port());
    // JSON media types in any case, with parameters, and structured "+json" ones are read (the
    // empty object then fails validation: 400); anything else is 415.
    const std::pair<QByteArray, int> cases[] = {{"text/plain", 415},
                                                {"application/jsonx", 415},
                                                {"application/jsom", 415},
                                                {"APPLICATION/JSON", 400},
                                                {"application/+json", 400},
                                                {" Application/JSON ; charset=utf-8", 400},
                                                {"application/vnd.x+JSON", 400},
                                                {"text/x+json", 415}};
    for (const auto &[type, status] : cases) {
        HeaderList headers = kAuth;
        headers += HeaderList{{"Content-Type", type}};
        const TestResponse r = client.request("POST", "/v1/chat/completions", headers, "{}");
        QVERIFY2(r.status == status, type.constData());
        QVERIFY(r.json().value(QStringLiteral("error")).isObject());
    }
}

void TestGatewayHttp::bodyOverLimit()
{
    GatewayFixture f;
    QVERIFY(f.start(GatewayFixture::gatewayJson(
        {{QStringLiteral("limits"), QJsonObject{{QStringLiteral("maxBodyBytes"), 4096}}}})));
    TestHttpClient client(f.port());
    HeaderList headers = kAuth;
    headers += HeaderList{{"Content-Type", "application/json"}};
    const TestResponse r =
        client.request("POST", "/v1/chat/completions", headers, QByteArray(5000, ' '));
    QCOMPARE(r.status, 413);
    // Refused from the Content-Length alone, before the body is read.
    const TestResponse early = client.raw(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(f.port()) +
        "\r\nContent-Length: 999999999\r\n\r\n");
    QCOMPARE(early.status, 413);
    QVERIFY(early.closed || early.header("connection") == "close");
}

void TestGatewayHttp::headerOverLimit()
{
    GatewayFixture f;
    QVERIFY(f.start());
    TestHttpClient client(f.port());
    const TestResponse r =
        client.request("GET", "/healthz", {{"X-Filler", QByteArray(100 * 1024, 'a')}});
    QCOMPARE(r.status, 431);
}

void TestGatewayHttp::malformedHead_data()
{
    // The head after the request line ("Host: …" is added first unless the row leaves it out),
    // and the status the server answers with before any handler sees the request.
    QTest::addColumn<QByteArray>("requestLine");
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<bool>("host");
    QTest::addColumn<int>("status");
    const QByteArray post = "POST /v1/chat/completions HTTP/1.1";
    QTest::newRow("Content-Length negative")
        << post << QByteArray("Content-Length: -1\r\n") << true << 400;
    QTest::newRow("Content-Length signed")
        << post << QByteArray("Content-Length: +2\r\n") << true << 400;
    QTest::newRow("Content-Length not a number")
        << post << QByteArray("Content-Length: 1a\r\n") << true << 400;
    QTest::newRow("Content-Length empty")
        << post << QByteArray("Content-Length:\r\n") << true << 400;
    QTest::newRow("Content-Length two numbers")
        << post << QByteArray("Content-Length: 1 2\r\n") << true << 400;
    QTest::newRow("Content-Length too long")
        << post << QByteArray("Content-Length: 1234567890123456789\r\n") << true << 400;
    QTest::newRow("Content-Length twice, different")
        << post << QByteArray("Content-Length: 2\r\ncontent-LENGTH: 3\r\n") << true << 400;
    QTest::newRow("Content-Length and chunked")
        << post << QByteArray("Content-Length: 2\r\nTransfer-Encoding: chunked\r\n") << true << 400;
    QTest::newRow("Transfer-Encoding not chunked")
        << post << QByteArray("TRANSFER-ENCODING: gzip\r\n") << true << 501;
    QTest::newRow("header without a colon") << post << QByteArray("Accept\r\n") << true << 400;
    QTest::newRow("header name not a token") << post << QByteArray("Acc(ept: x\r\n") << true << 400;
    QTest::newRow("no Host in HTTP/1.1") << post << QByteArray("Accept: */*\r\n") << false << 400;
    QTest::newRow("HTTP/2.0") << QByteArray("GET /healthz HTTP/2.0") << QByteArray() << true << 505;
    QTest::newRow("no target") << QByteArray("GET HTTP/1.1") << QByteArray() << true << 400;
    QTest::newRow("method not a token")
        << QByteArray("GE(T /healthz HTTP/1.1") << QByteArray() << true << 400;
}

void TestGatewayHttp::malformedHead()
{
    QFETCH(QByteArray, requestLine);
    QFETCH(QByteArray, headers);
    QFETCH(bool, host);
    QFETCH(int, status);
    GatewayFixture f;
    QVERIFY(f.start());
    TestHttpClient client(f.port());
    const QByteArray hostLine =
        host ? "Host: 127.0.0.1:" + QByteArray::number(f.port()) + "\r\n" : QByteArray();
    const TestResponse r = client.raw(requestLine + "\r\n" + hostLine + headers + "\r\n");
    QCOMPARE(r.status, status);
    QVERIFY(r.closed || r.header("connection") == "close");
    // Well-known names in any case are still found: the same request, well formed, is served.
    TestHttpClient again(f.port());
    const TestResponse ok =
        again.raw("GET /healthz HTTP/1.1\r\nHOST: 127.0.0.1:" + QByteArray::number(f.port()) +
                  "\r\nCONTENT-length: 0\r\nConnection: CLOSE\r\n\r\n");
    QCOMPARE(ok.status, 200);
}

void TestGatewayHttp::slowRequestTimesOut()
{
    GatewayFixture f;
    QVERIFY(f.start(GatewayFixture::gatewayJson(
        {{QStringLiteral("limits"), QJsonObject{{QStringLiteral("headerTimeoutMs"), 300}}}})));
    TestHttpClient client(f.port());
    // Half a request head, never finished: the server answers 408 and closes.
    const TestResponse r = client.raw("POST /v1/chat/completions HTTP/1.1\r\nHost: x", 5000);
    QCOMPARE(r.status, 408);
}

// A connection kept alive after a request (its idle timeout long) that then sends half a head:
// the header timeout applies from those bytes, not the keep-alive timeout.
void TestGatewayHttp::slowRequestOnKeptAliveConnectionTimesOut()
{
    GatewayFixture f;
    QVERIFY(f.start(GatewayFixture::gatewayJson(
        {{QStringLiteral("limits"),
          QJsonObject{{QStringLiteral("headerTimeoutMs"), 300},
                      {QStringLiteral("keepAliveTimeoutMs"), 60'000}}}})));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, f.port());
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray host = "Host: 127.0.0.1:" + QByteArray::number(f.port()) + "\r\n";
    socket.write("GET /healthz HTTP/1.1\r\n" + host + "\r\n");
    QByteArray received;
    QTRY_VERIFY_WITH_TIMEOUT((received += socket.readAll()).startsWith("HTTP/1.1 200"), 5000);
    QTest::qWait(50); // the rest of the response
    received += socket.readAll();
    QVERIFY2(received.contains("Connection: keep-alive"), received.constData());

    QElapsedTimer sent;
    sent.start();
    socket.write("POST /v1/chat/completions HTTP/1.1\r\n" + host);
    received.clear();
    QTRY_VERIFY_WITH_TIMEOUT((received += socket.readAll()).startsWith("HTTP/1.1 408"), 5000);
    QVERIFY2(sent.elapsed() >= 250, QByteArray::number(sent.elapsed()).constData());
    QTRY_VERIFY_WITH_TIMEOUT(socket.state() == QAbstractSocket::UnconnectedState, 5000);
}

void TestGatewayHttp::idleKeptAliveConnectionIsClosed()
{
    GatewayFixture f;
    QVERIFY(f.start(GatewayFixture::gatewayJson(
        {{QStringLiteral("limits"), QJsonObject{{QStringLiteral("keepAliveTimeoutMs"), 300}}}})));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, f.port());
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray request =
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(f.port()) + "\r\n\r\n";
    // Requests that arrive whole, one after another: each answered, the connection kept.
    for (int i = 0; i < 3; ++i) {
        socket.write(request);
        QByteArray received;
        QTRY_VERIFY_WITH_TIMEOUT((received += socket.readAll()).contains("\r\n\r\n"), 5000);
        QVERIFY(received.startsWith("HTTP/1.1 200"));
        QTest::qWait(100);
        socket.readAll();
    }
    QElapsedTimer idle;
    idle.start();
    QTRY_VERIFY_WITH_TIMEOUT(socket.state() == QAbstractSocket::UnconnectedState, 5000);
    QVERIFY2(idle.elapsed() >= 150, QByteArray::number(idle.elapsed()).constData());
}

void TestGatewayHttp::connectionHeader_data()
{
    QTest::addColumn<QByteArray>("version");
    QTest::addColumn<QByteArray>("connection"); // empty: no Connection header
    QTest::addColumn<bool>("keptAlive");
    QTest::newRow("1.1 default") << QByteArray("HTTP/1.1") << QByteArray() << true;
    QTest::newRow("1.1 close") << QByteArray("HTTP/1.1") << QByteArray("close") << false;
    QTest::newRow("1.1 list, any case")
        << QByteArray("HTTP/1.1") << QByteArray("Keep-Alive, CLOSE") << false;
    QTest::newRow("1.1 spaces") << QByteArray("HTTP/1.1") << QByteArray("upgrade ,  close ")
                                << false;
    QTest::newRow("1.1 not the token") << QByteArray("HTTP/1.1") << QByteArray("closed") << true;
    QTest::newRow("1.0 default") << QByteArray("HTTP/1.0") << QByteArray() << false;
    QTest::newRow("1.0 keep-alive") << QByteArray("HTTP/1.0") << QByteArray("Keep-Alive") << true;
    QTest::newRow("1.0 in a list") << QByteArray("HTTP/1.0") << QByteArray("x,keep-alive") << true;
}

// The client's Connection header decides whether the connection is kept after the response.
void TestGatewayHttp::connectionHeader()
{
    QFETCH(QByteArray, version);
    QFETCH(QByteArray, connection);
    QFETCH(bool, keptAlive);
    GatewayFixture f;
    QVERIFY(f.start());
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, f.port());
    QVERIFY(socket.waitForConnected(5000));
    QByteArray request =
        "GET /healthz " + version + "\r\nHost: 127.0.0.1:" + QByteArray::number(f.port()) + "\r\n";
    if (!connection.isEmpty())
        request += "Connection: " + connection + "\r\n";
    socket.write(request + "\r\n");
    QByteArray received;
    QTRY_VERIFY_WITH_TIMEOUT((received += socket.readAll()).contains("\r\n\r\n"), 5000);
    QVERIFY2(received.startsWith("HTTP/1.1 200"), received.constData());
    QVERIFY2(received.contains(keptAlive ? "Connection: keep-alive" : "Connection: close"),
             received.constData());
    if (keptAlive) {
        QTest::qWait(100);
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 5000);
    }
}

// Requests sent back to back in one write, bodies and all: each is read off the buffer whole,
// in order, and answered in order on the one connection.
void TestGatewayHttp::pipelinedRequests()
{
    GatewayFixture f;
    QVERIFY(f.start());
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, f.port());
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray host = "Host: 127.0.0.1:" + QByteArray::number(f.port()) + "\r\n";
    const QByteArray auth = "Authorization: Bearer " + TestHttpClient::defaultToken() + "\r\n";
    QByteArray requests;
    for (const QByteArray session : {"first", "second"}) {
        const QByteArray body =
            R"({"model":"agent:main","messages":[{"role":"user","content":")" + session + R"("}]})";
        requests += "POST /v1/chat/completions HTTP/1.1\r\n" + host + auth +
                    "Content-Type: application/json\r\nx-portico-session-key: " + session +
                    "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    }
    requests += "GET /healthz HTTP/1.1\r\n" + host + "\r\n";
    socket.write(requests);
    QByteArray received;
    QTRY_VERIFY_WITH_TIMEOUT((received += socket.readAll()).count("HTTP/1.1 200 OK") == 3 &&
                                 received.endsWith("}"),
                             5000);
    const qsizetype first = received.indexOf("x-portico-session-key: first");
    const qsizetype second = received.indexOf("x-portico-session-key: second");
    const qsizetype health = received.indexOf("\"status\":\"ok\"");
    QVERIFY2(first > 0 && first < second && second < health, received.constData());
    QCOMPARE(received.count("\"object\":\"chat.completion\""), 2);
    QTRY_COMPARE(f.observer.finished().size(), 2);
    QCOMPARE(f.observer.finished().at(0).info.sessionKey, QStringLiteral("first"));
    QCOMPARE(f.observer.finished().at(1).info.sessionKey, QStringLiteral("second"));
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
}

QTEST_GUILESS_MAIN(TestGatewayHttp)
#include "tst_gatewayhttp.moc"
