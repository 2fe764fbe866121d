// The guard in front of every request, over real loopback HTTP: the disabled endpoint, each
// auth case, Host and Origin checks, methods, content types and size/time limits.
#include "GatewayFixture.h"
#include "TestHttpClient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTcpSocket>
#include <QTest>

using portico::HeaderList;

namespace {
const QJsonObject kChat{
    {QStringLiteral("model"), QStringLiteral("agent:main")},
    {QStringLiteral("messages"),
     QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                            {QStringLiteral("content"), QStringLiteral("hi")}}}}};
const HeaderList kAuth{{"Authorization", "Bearer " + TestHttpClient::defaultToken()}};

QJsonObject gatewayJson(const QJsonObject &gateway)
{
    return QJsonObject{{QStringLiteral("gateway"), gateway}};
}
} // namespace

class TestGatewayAccess : public QObject
{
    Q_OBJECT

private slots:
    void disabledEndpointAnswersIdentical404();
    void runtimeToggle();
    void authCases_data();
    void authCases();
    void passwordMode();
    void noneModeOnLoopback();
    void hostCheck_data();
    void hostCheck();
    void originCheck();
    void healthNeedsNoAuth();
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
    void modelsList();
};

void TestGatewayAccess::disabledEndpointAnswersIdentical404()
{
    GatewayFixture f;
    QString error;
    QVERIFY2(f.start(gatewayJson({{QStringLiteral("http"),
                                   QJsonObject{{QStringLiteral("endpoints"),
                                                QJsonObject{{QStringLiteral("chatCompletions"),
                                                             QJsonObject{{QStringLiteral("enabled"),
                                                                          false}}}}}}}}),
                     &error),
             qPrintable(error));
    TestHttpClient client(f.port());
    const TestResponse none = client.postJson("/v1/chat/completions", kChat);
    const TestResponse good = client.postJson("/v1/chat/completions", kChat, kAuth);
    const TestResponse bad =
        client.postJson("/v1/chat/completions", kChat, {{"Authorization", "Bearer wrong"}});
    const TestResponse models = client.request("GET", "/v1/models", kAuth);
    for (const TestResponse *r : {&none, &good, &bad, &models}) {
        QCOMPARE(r->status, 404);
        QCOMPARE(r->body, none.body);
        QCOMPARE(r->headers, none.headers);
    }
    QVERIFY(!none.body.isEmpty());
}

void TestGatewayAccess::runtimeToggle()
{
    GatewayFixture f;
    QVERIFY(f.start());
    TestHttpClient client(f.port());
    QCOMPARE(client.postJson("/v1/chat/completions", kChat, kAuth).status, 200);
    f.gateway->setChatCompletionsEnabled(false);
    QCOMPARE(client.postJson("/v1/chat/completions", kChat, kAuth).status, 404);
    f.gateway->setChatCompletionsEnabled(true);
    QCOMPARE(client.postJson("/v1/chat/completions", kChat, kAuth).status, 200);
}

void TestGatewayAccess::authCases_data()
{
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<int>("status");
    const QByteArray token = TestHttpClient::defaultToken();
    QTest::newRow("no credential") << HeaderList{} << QByteArray() << 401;
    QTest::newRow("bearer") << HeaderList{{"Authorization", "Bearer " + token}} << QByteArray()
                            << 200;
    QTest::newRow("bearer lower-case scheme")
        << HeaderList{{"Authorization", "bearer " + token}} << QByteArray() << 200;
    QTest::newRow("x-api-key") << HeaderList{{"X-Api-Key", token}} << QByteArray() << 200;
    QTest::newRow("wrong token") << HeaderList{{"Authorization", "Bearer pt_wrong"}} << QByteArray()
                                 << 401;
    QTest::newRow("token prefix") << HeaderList{{"Authorization", "Bearer " + token.left(10)}}
                                  << QByteArray() << 401;
    QTest::newRow("basic scheme") << HeaderList{{"Authorization", "Basic " + token}} << QByteArray()
                                  << 401;
    QTest::newRow("token in query") << HeaderList{} << QByteArray("?api_key=" + token) << 401;
    QTest::newRow("token in query as key") << HeaderList{} << QByteArray("?key=" + token) << 401;
}

void TestGatewayAccess::authCases()
{
    QFETCH(HeaderList, headers);
    QFETCH(QByteArray, query);
    QFETCH(int, status);
    GatewayFixture f;
    QVERIFY(f.start());
    TestHttpClient client(f.port());
    const TestResponse r = client.postJson("/v1/chat/completions" + query, kChat, headers);
    QCOMPARE(r.status, status);
    if (status == 401) {
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        QCOMPARE(r.json()
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("authentication_error"));
    }
}

void TestGatewayAccess::passwordMode()
{
    qputenv("PORTICO_GATEWAY_PASSWORD", "correct horse battery");
    GatewayFixture f;
    QVERIFY(f.start(
        gatewayJson({{QStringLiteral("auth"),
                      QJsonObject{{QStringLiteral("mode"), QStringLiteral("password")}}}})));
    TestHttpClient client(f.port());
    QCOMPARE(client
                 .postJson("/v1/chat/completions", kChat,
                           {{"Authorization", "Bearer correct horse battery"}})
                 .status,
             200);
    QCOMPARE(
        client.postJson("/v1/chat/completions", kChat, {{"X-Api-Key", "correct horse battery"}})
            .status,
        200);
    QCOMPARE(client.postJson("/v1/chat/completions", kChat, kAuth).status, 401);
    QCOMPARE(client.postJson("/v1/chat/completions", kChat, {{"Authorization", "Bearer correct"}})
                 .status,
             401);
    qunsetenv("PORTICO_GATEWAY_PASSWORD");
}

void TestGatewayAccess::noneModeOnLoopback()
{
    GatewayFixture f;
    QVERIFY(
        f.start(gatewayJson({{QStringLiteral("auth"),
                              QJsonObject{{QStringLiteral("mode"), QStringLiteral("none")}}}})));
    TestHttpClient client(f.port());
    QCOMPARE(client.postJson("/v1/chat/completions", kChat).status, 200);

    // "none" beyond loopback is a configuration error, not a running gateway.
    GatewayFixture open;
    QString error;
    QVERIFY(
        !open.start(gatewayJson({{QStringLiteral("bind"), QStringLiteral("0.0.0.0")},
                                 {QStringLiteral("auth"),
                                  QJsonObject{{QStringLiteral("mode"), QStringLiteral("none")}}}}),
                    &error));
    QVERIFY2(error.startsWith(QStringLiteral("gateway.auth.mode")), qPrintable(error));
}

void TestGatewayAccess::hostCheck_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<int>("status");
    QTest::newRow("127.0.0.1 right port") << QByteArray("127.0.0.1:%p") << 200;
    QTest::newRow("localhost right port") << QByteArray("localhost:%p") << 200;
    QTest::newRow("LOCALHOST upper-case") << QByteArray("LOCALHOST:%p") << 200;
    QTest::newRow("[::1]") << QByteArray("[::1]:%p") << 200;
    QTest::newRow("wrong port") << QByteArray("127.0.0.1:1") << 403;
    QTest::newRow("port and a digit more") << QByteArray("127.0.0.1:%p0") << 403;
    QTest::newRow("empty port") << QByteArray("127.0.0.1:") << 403;
    QTest::newRow("two ports") << QByteArray("localhost:%p:%p") << 403;
    QTest::newRow("no port") << QByteArray("localhost") << 403;
    QTest::newRow("rebinding name") << QByteArray("evil.example:%p") << 403;
    QTest::newRow("allowed name") << QByteArray("gateway.lan:%p") << 200;
    QTest::newRow("allowed name any port") << QByteArray("gateway.lan:8080") << 200;
    QTest::newRow("lookalike") << QByteArray("localhost.evil.example:%p") << 403;
}

void TestGatewayAccess::hostCheck()
{
    QFETCH(QByteArray, host);
    QFETCH(int, status);
    GatewayFixture f;
    QVERIFY(f.start(gatewayJson(
        {{QStringLiteral("allowedHosts"), QJsonArray{QStringLiteral("gateway.lan")}}})));
    host.replace("%p", QByteArray::number(f.port()));
    TestHttpClient client(f.port());
    HeaderList headers = kAuth;
    headers += HeaderList{{"Host", host}};
    const TestResponse r = client.postJson("/v1/chat/completions", kChat, headers);
    QCOMPARE(r.status, status);
    // Host is checked before auth: a bad host with no credential is still 403.
    if (status == 403)
        QCOMPARE(client.postJson("/v1/chat/completions", kChat, {{"Host", host}}).status, 403);
}

void TestGatewayAccess::originCheck()
{
    GatewayFixture f;
    QVERIFY(f.start(gatewayJson(
        {{QStringLiteral("allowedOrigins"), QJsonArray{QStringLiteral("https://app.example")}}})));
    TestHttpClient client(f.port());
    HeaderList evil = kAuth;
    evil += HeaderList{{"Origin", "https://evil.example"}};
    QCOMPARE(client.postJson("/v1/chat/completions", kChat, evil).status, 403);
    HeaderList nullOrigin = kAuth;
    nullOrigin += HeaderList{{"Origin", "null"}};
    QCOMPARE(client.postJson("/v1/chat/completions", kChat, nullOrigin).status, 403);
    HeaderList good = kAuth;
    good += HeaderList{{"Origin", "https://app.example"}};
    const TestResponse r = client.postJson("/v1/chat/completions", kChat, good);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("access-control-allow-origin"), QByteArray("https://app.example"));
    const TestResponse preflight =
        client.request("OPTIONS", "/v1/chat/completions", {{"Origin", "https://app.example"}});
    QCOMPARE(preflight.status, 204);
    QVERIFY(preflight.header("access-control-allow-headers").contains("authorization"));
    for (const TestResponse *resp : {&r, &preflight})
        QVERIFY(resp->header("access-control-allow-origin") != "*");
}

void TestGatewayAccess::healthNeedsNoAuth()
{
    GatewayFixture f;
    QVERIFY(f.start());
    TestHttpClient client(f.port());
    const TestResponse r = client.request("GET", "/healthz");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    QVERIFY(!r.body.contains(TestHttpClient::defaultToken()));
}

void TestGatewayAccess::wrongMethod()
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

void TestGatewayAccess::wrongContentType()
{
    GatewayFixture f;
    QVERIFY(f.start());
    TestHttpClient client(f.port());
    // JSON media types in any case, with parameters, and structured "+json" ones are read (the
    // empty object then fails validation: 400); anything else is 415.
    const std::pair<QByteArray, int> cases[] = {{"text/plain", 415},
                                                {"application/jsonx", 415},
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

void TestGatewayAccess::bodyOverLimit()
{
    GatewayFixture f;
    QVERIFY(f.start(gatewayJson(
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

void TestGatewayAccess::headerOverLimit()
{
    GatewayFixture f;
    QVERIFY(f.start());
    TestHttpClient client(f.port());
    const TestResponse r =
        client.request("GET", "/healthz", {{"X-Filler", QByteArray(100 * 1024, 'a')}});
    QCOMPARE(r.status, 431);
}

void TestGatewayAccess::malformedHead_data()
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

void TestGatewayAccess::malformedHead()
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

void TestGatewayAccess::slowRequestTimesOut()
{
    GatewayFixture f;
    QVERIFY(f.start(gatewayJson(
        {{QStringLiteral("limits"), QJsonObject{{QStringLiteral("headerTimeoutMs"), 300}}}})));
    TestHttpClient client(f.port());
    // Half a request head, never finished: the server answers 408 and closes.
    const TestResponse r = client.raw("POST /v1/chat/completions HTTP/1.1\r\nHost: x", 5000);
    QCOMPARE(r.status, 408);
}

// A connection kept alive after a request (its idle timeout long) that then sends half a head:
// the header timeout applies from those bytes, not the keep-alive timeout.
void TestGatewayAccess::slowRequestOnKeptAliveConnectionTimesOut()
{
    GatewayFixture f;
    QVERIFY(f.start(gatewayJson({{QStringLiteral("limits"),
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

void TestGatewayAccess::idleKeptAliveConnectionIsClosed()
{
    GatewayFixture f;
    QVERIFY(f.start(gatewayJson(
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

void TestGatewayAccess::connectionHeader_data()
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
void TestGatewayAccess::connectionHeader()
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

void TestGatewayAccess::modelsList()
{
    GatewayFixture f;
    QVERIFY(f.start(QJsonObject{
        {QStringLiteral("providers"),
         QJsonObject{{QStringLiteral("local"),
                      GatewayFixture::openAiProvider(9, {QStringLiteral("llama3.2")})}}},
        {QStringLiteral("agents"),
         QJsonObject{{QStringLiteral("coder"),
                      QJsonObject{{QStringLiteral("provider"), QStringLiteral("local")},
                                  {QStringLiteral("model"), QStringLiteral("llama3.2")}}}}}}));
    TestHttpClient client(f.port());
    QCOMPARE(client.request("GET", "/v1/models").status, 401);
    const TestResponse r = client.request("GET", "/v1/models", kAuth);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("object")).toString(), QStringLiteral("list"));
    QStringList ids;
    for (const QJsonValue &m : r.json().value(QStringLiteral("data")).toArray()) {
        QCOMPARE(m.toObject().value(QStringLiteral("object")).toString(), QStringLiteral("model"));
        ids << m.toObject().value(QStringLiteral("id")).toString();
    }
    QVERIFY2(ids.contains(QStringLiteral("agent:main")), qPrintable(ids.join(u',')));
    QVERIFY(ids.contains(QStringLiteral("agent:coder")));
    QVERIFY(ids.contains(QStringLiteral("llama3.2")));
    QCOMPARE(client.request("GET", "/v1/models/agent:coder", kAuth).status, 200);
    QCOMPARE(client.request("GET", "/v1/models/nope", kAuth).status, 404);
}

QTEST_GUILESS_MAIN(TestGatewayAccess)
#include "tst_gatewayaccess.moc"
