// Agent selection and session keys, over real loopback HTTP against a fake upstream that
// records which model it was asked for.
#include "FakeHttpServer.h"
#include "GatewayFixture.h"
#include "TestHttpClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using portico::HeaderList;

namespace {
const HeaderList kAuth = TestHttpClient::defaultAuth();

QJsonObject chat(const QString &model, const QString &user = {})
{
    QJsonObject o{{QStringLiteral("model"), model},
                  {QStringLiteral("messages"),
                   QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                          {QStringLiteral("content"), QStringLiteral("hello")}}}}};
    if (!user.isEmpty())
        o[QStringLiteral("user")] = user;
    return o;
}

QByteArray completion(const QByteArray &model)
{
    return R"({"id":"up-1","object":"chat.completion","created":1,"model":")" + model +
           R"(","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]})";
}
} // namespace

class TestGatewayRouting : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void routing_data();
    void routing();
    void unknownAgent();
    void sessionKeyFromHeader();
    void sessionKeyInvalid();
    void sessionKeyFromUser();
    void sessionKeyFreshPerRequest();
    void systemPromptApplied();

private:
    QJsonObject config() const;
    std::unique_ptr<FakeHttpServer> m_upstream;
};

void TestGatewayRouting::init()
{
    m_upstream = std::make_unique<FakeHttpServer>();
    m_upstream->setHandler([](const FakeHttpServer::Request &r) {
        const QByteArray model = QJsonDocument::fromJson(r.body)
                                     .object()
                                     .value(QStringLiteral("model"))
                                     .toString()
                                     .toUtf8();
        return FakeHttpServer::Script{FakeHttpServer::write(
            FakeHttpServer::response(200, completion(model), {"Content-Type: application/json"}))};
    });
}

QJsonObject TestGatewayRouting::config() const
{
    const quint16 port = m_upstream->port();
    return QJsonObject{
        {QStringLiteral("providers"),
         QJsonObject{{QStringLiteral("local"),
                      GatewayFixture::openAiProvider(
                          port, {QStringLiteral("llama3.2"), QStringLiteral("qwen2")})},
                     {QStringLiteral("cloud"),
                      GatewayFixture::openAiProvider(port, {QStringLiteral("gpt-4o-mini")})}}},
        {QStringLiteral("agents"),
         QJsonObject{{QStringLiteral("coder"),
                      QJsonObject{{QStringLiteral("provider"), QStringLiteral("local")},
                                  {QStringLiteral("model"), QStringLiteral("qwen2")}}},
                     {QStringLiteral("writer"),
                      QJsonObject{{QStringLiteral("provider"), QStringLiteral("cloud")},
                                  {QStringLiteral("model"), QStringLiteral("gpt-4o-mini")},
                                  {QStringLiteral("systemPrompt"), QStringLiteral("Be brief.")}}}}},
        {QStringLiteral("routes"),
         QJsonArray{QJsonObject{{QStringLiteral("match"), QStringLiteral("gpt-4o*")},
                                {QStringLiteral("agent"), QStringLiteral("writer")}},
                    QJsonObject{{QStringLiteral("match"), QStringLiteral("mistral-?b")},
                                {QStringLiteral("provider"), QStringLiteral("local")}}}}};
}

void TestGatewayRouting::routing_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<QString>("agent"); // as recorded; "-" for none
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("upstream"); // the model the upstream saw; "" = diagnostic
    QTest::newRow("agent: prefix") << "agent:coder" << HeaderList{} << "coder"
                                   << "local"
                                   << "qwen2";
    QTest::newRow("portico: prefix") << "portico:coder" << HeaderList{} << "coder"
                                     << "local"
                                     << "qwen2";
    QTest::newRow("portico/ prefix") << "portico/coder" << HeaderList{} << "coder"
                                     << "local"
                                     << "qwen2";
    QTest::newRow("openclaw: prefix") << "openclaw:coder" << HeaderList{} << "coder"
                                      << "local"
                                      << "qwen2";
    QTest::newRow("openclaw/ prefix") << "openclaw/coder" << HeaderList{} << "coder"
                                      << "local"
                                      << "qwen2";
    QTest::newRow("header picks agent, model names upstream")
        << "llama3.2" << HeaderList{{"x-portico-agent-id", "coder"}} << "coder"
        << "local"
        << "llama3.2";
    QTest::newRow("openclaw header")
        << "llama3.2" << HeaderList{{"x-openclaw-agent-id", "coder"}} << "coder"
        << "local"
        << "llama3.2";
    QTest::newRow("model equals agent id") << "coder" << HeaderList{} << "coder"
                                           << "local"
                                           << "qwen2";
    QTest::newRow("route glob to agent") << "gpt-4o-2024" << HeaderList{} << "writer"
                                         << "cloud"
                                         << "gpt-4o-mini";
    QTest::newRow("route glob to provider") << "mistral-7b" << HeaderList{} << "-"
                                            << "local"
                                            << "mistral-7b";
    QTest::newRow("provider lists model") << "llama3.2" << HeaderList{} << "-"
                                          << "local"
                                          << "llama3.2";
    QTest::newRow("fallback main = diagnostic") << "something-else" << HeaderList{} << "main"
                                                << "diagnostic"
                                                << "";
    QTest::newRow("agent:main built in") << "agent:main" << HeaderList{} << "main"
                                         << "diagnostic"
                                         << "";
}

void TestGatewayRouting::routing()
{
    QFETCH(QString, model);
    QFETCH(HeaderList, headers);
    QFETCH(QString, agent);
    QFETCH(QString, provider);
    QFETCH(QString, upstream);
    GatewayFixture f;
    QString error;
    QVERIFY2(f.start(config(), &error), qPrintable(error));
    TestHttpClient client(f.port());
    const TestResponse r = client.postJson("/v1/chat/completions", chat(model), kAuth + headers);
    QCOMPARE(r.status, 200);
    QTRY_COMPARE(f.observer.finished().size(), 1);
    const portico::RequestSummary s = f.observer.finished().constFirst();
    QCOMPARE(s.info.agentId.isEmpty() ? QStringLiteral("-") : s.info.agentId, agent);
    QCOMPARE(s.info.providerId, provider);
    if (upstream.isEmpty()) {
        QCOMPARE(m_upstream->requestCount(), 0);
        QVERIFY(r.json()
                    .value(QStringLiteral("choices"))
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toObject()
                    .value(QStringLiteral("content"))
                    .toString()
                    .contains(QStringLiteral("Portico")));
    } else {
        QCOMPARE(m_upstream->requestCount(), 1);
        QCOMPARE(QJsonDocument::fromJson(m_upstream->requests().constFirst().body)
                     .object()
                     .value(QStringLiteral("model"))
                     .toString(),
                 upstream);
    }
}

void TestGatewayRouting::unknownAgent()
{
    GatewayFixture f;
    QVERIFY(f.start(config()));
    TestHttpClient client(f.port());
    for (const HeaderList &h : {HeaderList{}, HeaderList{{"x-portico-agent-id", "ghost"}}}) {
        const TestResponse r = client.postJson(
            "/v1/chat/completions",
            chat(h.isEmpty() ? QStringLiteral("agent:ghost") : QStringLiteral("x")), kAuth + h);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json()
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("code"))
                     .toString(),
                 QStringLiteral("model_not_found"));
    }
}

void TestGatewayRouting::sessionKeyFromHeader()
{
    GatewayFixture f;
    QVERIFY(f.start());
    TestHttpClient client(f.port());
    const TestResponse r =
        client.postJson("/v1/chat/completions", chat(QStringLiteral("agent:main")),
                        kAuth + HeaderList{{"x-portico-session-key", "my-session.1"}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("x-portico-session-key"), QByteArray("my-session.1"));
    const TestResponse o =
        client.postJson("/v1/chat/completions", chat(QStringLiteral("agent:main")),
                        kAuth + HeaderList{{"x-openclaw-session-key", "claw:7"}});
    QCOMPARE(o.header("x-portico-session-key"), QByteArray("claw:7"));
}

void TestGatewayRouting::sessionKeyInvalid()
{
    GatewayFixture f;
    QVERIFY(f.start());
    TestHttpClient client(f.port());
    for (const QByteArray &bad :
         {QByteArray("has space"), QByteArray(200, 'a'), QByteArray("semi;colon")}) {
        const TestResponse r =
            client.postJson("/v1/chat/completions", chat(QStringLiteral("agent:main")),
                            kAuth + HeaderList{{"x-portico-session-key", bad}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json()
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("param"))
                     .toString(),
                 QStringLiteral("x-portico-session-key"));
    }
}

void TestGatewayRouting::sessionKeyFromUser()
{
    GatewayFixture f;
    QVERIFY(f.start());
    TestHttpClient client(f.port());
    const QByteArray a =
        client
            .postJson("/v1/chat/completions",
                      chat(QStringLiteral("agent:main"), QStringLiteral("alice")), kAuth)
            .header("x-portico-session-key");
    const QByteArray b =
        client
            .postJson("/v1/chat/completions",
                      chat(QStringLiteral("agent:main"), QStringLiteral("alice")), kAuth)
            .header("x-portico-session-key");
    const QByteArray c =
        client
            .postJson("/v1/chat/completions",
                      chat(QStringLiteral("agent:main"), QStringLiteral("bob")), kAuth)
            .header("x-portico-session-key");
    QVERIFY(!a.isEmpty());
    QCOMPARE(a, b);
    QVERIFY(a != c);
    QVERIFY(!a.contains("alice")); // derived, not the user id itself
}

void TestGatewayRouting::sessionKeyFreshPerRequest()
{
    GatewayFixture f;
    QVERIFY(f.start());
    TestHttpClient client(f.port());
    const auto first =
        client.postJson("/v1/chat/completions", chat(QStringLiteral("agent:main")), kAuth);
    const auto second =
        client.postJson("/v1/chat/completions", chat(QStringLiteral("agent:main")), kAuth);
    const QByteArray a = first.header("x-portico-session-key");
    const QByteArray b = second.header("x-portico-session-key");
    QVERIFY(!a.isEmpty() && !b.isEmpty());
    QVERIFY(a != b);
    // The request ids: OpenAI's shape, fresh per request.
    const QRegularExpression idShape(QStringLiteral("^chatcmpl-[A-Za-z0-9]{24}$"));
    const QByteArray idA = first.header("x-request-id");
    const QByteArray idB = second.header("x-request-id");
    QVERIFY2(idShape.match(QString::fromLatin1(idA)).hasMatch(), idA.constData());
    QVERIFY2(idShape.match(QString::fromLatin1(idB)).hasMatch(), idB.constData());
    QVERIFY(idA != idB);
    // "req-" and 128 random bits in hex: a key that is valid as an x-portico-session-key too.
    const QRegularExpression shape(QStringLiteral("^req-[0-9a-f]{32}$"));
    QVERIFY2(shape.match(QString::fromLatin1(a)).hasMatch(), a.constData());
    QVERIFY2(shape.match(QString::fromLatin1(b)).hasMatch(), b.constData());
}

void TestGatewayRouting::systemPromptApplied()
{
    GatewayFixture f;
    QVERIFY(f.start(config()));
    TestHttpClient client(f.port());
    QCOMPARE(
        client.postJson("/v1/chat/completions", chat(QStringLiteral("agent:writer")), kAuth).status,
        200);
    QCOMPARE(m_upstream->requestCount(), 1);
    const QJsonArray messages = QJsonDocument::fromJson(m_upstream->requests().constFirst().body)
                                    .object()
                                    .value(QStringLiteral("messages"))
                                    .toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).toObject().value(QStringLiteral("role")).toString(),
             QStringLiteral("system"));
    QCOMPARE(messages.at(0).toObject().value(QStringLiteral("content")).toString(),
             QStringLiteral("Be brief."));
}

QTEST_GUILESS_MAIN(TestGatewayRouting)
#include "tst_gatewayrouting.moc"
