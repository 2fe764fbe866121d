// The guard in front of every request, over real loopback HTTP: the disabled endpoint, each
// auth case, Host and Origin checks, and what /v1/models shows. Methods, content types and the
// HTTP limits are in tst_gatewayhttp.
#include "GatewayFixture.h"
#include "TestHttpClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTest>

#include <atomic>

using portico::HeaderList;

namespace {
const QJsonObject kChat{
    {QStringLiteral("model"), QStringLiteral("agent:main")},
    {QStringLiteral("messages"),
     QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                            {QStringLiteral("content"), QStringLiteral("hi")}}}}};
const HeaderList kAuth = TestHttpClient::defaultAuth();
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
    void tokenVerifiedOncePerConnection();
    void noneModeOnLoopback();
    void hostCheck_data();
    void hostCheck();
    void originCheck();
    void healthNeedsNoAuth();
    void modelsList();
};

void TestGatewayAccess::disabledEndpointAnswersIdentical404()
{
    GatewayFixture f;
    QString error;
    QVERIFY2(
        f.start(
            GatewayFixture::gatewayJson(
                {{QStringLiteral("http"),
                  QJsonObject{{QStringLiteral("endpoints"),
                               QJsonObject{{QStringLiteral("chatCompletions"),
                                            QJsonObject{{QStringLiteral("enabled"), false}}}}}}}}),
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

namespace {
// One request on an open keep-alive connection: its status, or 0.
int exchange(QTcpSocket &socket, quint16 port, const QByteArray &token)
{
    const QByteArray body = QJsonDocument(kChat).toJson(QJsonDocument::Compact);
    socket.write(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
        "\r\nAuthorization: Bearer " + token +
        "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
        "\r\n\r\n" + body);
    QByteArray in;
    qsizetype headEnd = -1;
    qsizetype length = -1;
    while (socket.waitForReadyRead(10'000)) {
        in += socket.readAll();
        headEnd = in.indexOf("\r\n\r\n");
        if (headEnd < 0)
            continue;
        const qsizetype at = in.toLower().indexOf("content-length:");
        if (at < 0 || at > headEnd)
            return 0;
        length = in.mid(at + 15, in.indexOf("\r\n", at) - at - 15).trimmed().toLongLong();
        if (in.size() >= headEnd + 4 + length)
            return in.mid(9, 3).toInt();
    }
    return 0;
}
} // namespace

void TestGatewayAccess::tokenVerifiedOncePerConnection()
{
    // A keep-alive client's token is hashed and checked once, not on every request; a change of
    // tokens is seen at once on the connections already open.
    GatewayFixture f;
    QVERIFY(f.start());
    auto checks = std::make_shared<std::atomic<int>>(0);
    f.gateway->setCredentialCheckFactory([checks](const portico::Config &config) {
        const portico::CredentialCheck check = portico::Gateway::environmentCredentials(config);
        return [checks, check](QByteArrayView presented) {
            ++*checks;
            return check(presented);
        };
    });
    QString error;
    QVERIFY2(f.gateway->apply(f.gateway->config(), &error), qPrintable(error));

    const QByteArray token = TestHttpClient::defaultToken();
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, f.port());
    QVERIFY(socket.waitForConnected(5000));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(exchange(socket, f.port(), token), 200);
    QCOMPARE(checks->load(), 1);
    // Another credential on the same connection (as long, one byte apart) is checked and
    // refused.
    QByteArray wrong = token;
    wrong.back() = wrong.back() == 'x' ? 'y' : 'x';
    QCOMPARE(exchange(socket, f.port(), wrong), 401);
    QCOMPARE(checks->load(), 2);
    // Another connection checks its own.
    QTcpSocket second;
    second.connectToHost(QHostAddress::LocalHost, f.port());
    QVERIFY(second.waitForConnected(5000));
    QCOMPARE(exchange(second, f.port(), token), 200);
    QCOMPARE(checks->load(), 3);

    // The token is replaced: the first connection's token no longer passes.
    qputenv("PORTICO_GATEWAY_TOKEN", "pt_replacement_token_98765");
    QVERIFY2(f.gateway->apply(f.gateway->config(), &error), qPrintable(error));
    QCOMPARE(exchange(second, f.port(), token), 401);
    QCOMPARE(exchange(second, f.port(), "pt_replacement_token_98765"), 200);
    QCOMPARE(exchange(second, f.port(), "pt_replacement_token_98765"), 200);
    QCOMPARE(checks->load(), 5);
    qputenv("PORTICO_GATEWAY_TOKEN", token);
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
    QVERIFY(f.start(GatewayFixture::gatewayJson(
        {{QStringLiteral("auth"),
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
    QVERIFY(f.start(GatewayFixture::gatewayJson(
        {{QStringLiteral("auth"),
          QJsonObject{{QStringLiteral("mode"), QStringLiteral("none")}}}})));
    TestHttpClient client(f.port());
    QCOMPARE(client.postJson("/v1/chat/completions", kChat).status, 200);

    // "none" beyond loopback is a configuration error, not a running gateway.
    GatewayFixture open;
    QString error;
    QVERIFY(!open.start(GatewayFixture::gatewayJson(
                            {{QStringLiteral("bind"), QStringLiteral("0.0.0.0")},
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
    QVERIFY(f.start(GatewayFixture::gatewayJson(
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
    QVERIFY(f.start(GatewayFixture::gatewayJson(
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
