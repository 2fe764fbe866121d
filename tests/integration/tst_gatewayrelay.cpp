// The OpenAI-compatible relay end to end over loopback: faithful pass-through, SSE framing,
// upstream errors before and during a stream, timeouts, redirects, client disconnects.
#include "FakeHttpServer.h"
#include "GatewayFixture.h"
#include "TestHttpClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using portico::HeaderList;
using Fake = FakeHttpServer;

namespace {
const HeaderList kAuth = TestHttpClient::defaultAuth();

QJsonObject chat(bool stream, const QString &model = QStringLiteral("llama3.2"))
{
    return {{QStringLiteral("model"), model},
            {QStringLiteral("stream"), stream},
            {QStringLiteral("x_vendor"), QJsonObject{{QStringLiteral("keep"), true}}},
            {QStringLiteral("messages"),
             QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                    {QStringLiteral("content"), QStringLiteral("hello")}}}}};
}

QByteArray sseChunk(const QByteArray &content, const QByteArray &extra = {})
{
    return R"(data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"llama3.2","choices":[{"index":0,"delta":{"content":")" +
           content + R"("},"finish_reason":null}])" + extra + "}\n\n";
}
} // namespace

class TestGatewayRelay : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void nonStreamingPassThrough();
    void streamingFraming();
    void upstreamErrorKeepsStatus_data();
    void upstreamErrorKeepsStatus();
    void upstreamPlainTextError();
    void connectionRefused();
    void firstByteTimeout();
    void midStreamFailure();
    void clientDisconnectAbortsUpstream_data();
    void clientDisconnectAbortsUpstream();
    void clientFloodDuringStreamIsCutOff();
    void redirectNotFollowed();
    void keepAliveComment();
    void garbageFromUpstream();
    void concurrentRequestCap();

private:
    bool startGateway(GatewayFixture &f, const QJsonObject &gateway = {}, quint16 port = 0);
    std::unique_ptr<Fake> m_upstream;
};

void TestGatewayRelay::init()
{
    m_upstream = std::make_unique<Fake>();
    qputenv("RELAY_TEST_KEY", "sk-upstream-secret");
}

bool TestGatewayRelay::startGateway(GatewayFixture &f, const QJsonObject &gateway, quint16 port)
{
    QJsonObject config{
        {QStringLiteral("providers"),
         QJsonObject{{QStringLiteral("local"),
                      GatewayFixture::openAiProvider(port ? port : m_upstream->port(),
                                                     {QStringLiteral("llama3.2")},
                                                     QStringLiteral("RELAY_TEST_KEY"))}}},
        {QStringLiteral("agents"),
         QJsonObject{{QStringLiteral("renamed"),
                      QJsonObject{{QStringLiteral("provider"), QStringLiteral("local")},
                                  {QStringLiteral("model"), QStringLiteral("llama3.2")}}}}}};
    if (!gateway.isEmpty())
        config[QStringLiteral("gateway")] = gateway;
    QString error;
    const bool ok = f.start(config, &error);
    if (!ok)
        qWarning("%s", qPrintable(error));
    return ok;
}

void TestGatewayRelay::nonStreamingPassThrough()
{
    const QByteArray upstreamBody =
        R"({"id":"up-1","object":"chat.completion","created":7,"model":"llama3.2","system_fingerprint":"fp",)"
        R"("choices":[{"index":0,"message":{"role":"assistant","content":"hi","reasoning_content":"think"},)"
        R"("logprobs":{"content":[]},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,)"
        R"("total_tokens":4},"x_provider_extra":{"n":12345678901234567890}})";
    m_upstream->setScript(
        {Fake::write(Fake::response(200, upstreamBody, {"Content-Type: application/json"}))});
    GatewayFixture f;
    QVERIFY(startGateway(f));
    TestHttpClient client(f.port());
    const TestResponse r = client.postJson("/v1/chat/completions",
                                           chat(false, QStringLiteral("agent:renamed")), kAuth);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, upstreamBody); // byte for byte, big integers and unknown fields included
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));

    QCOMPARE(m_upstream->requestCount(), 1);
    const Fake::Request up = m_upstream->requests().constFirst();
    QCOMPARE(up.target, QByteArray("/v1/chat/completions"));
    QCOMPARE(up.header("authorization"), QByteArray("Bearer sk-upstream-secret"));
    QVERIFY(!up.body.contains(TestHttpClient::defaultToken()));
    for (const auto &h : up.headers)
        QVERIFY2(!h.second.contains(TestHttpClient::defaultToken()), h.first.constData());
    const QJsonObject sent = QJsonDocument::fromJson(up.body).object();
    QCOMPARE(sent.value(QStringLiteral("model")).toString(), QStringLiteral("llama3.2"));
    QCOMPARE(
        sent.value(QStringLiteral("x_vendor")).toObject().value(QStringLiteral("keep")).toBool(),
        true);
}

void TestGatewayRelay::streamingFraming()
{
    const QByteArray e1 = sseChunk("Hel", R"(,"x_extra":{"reasoning_content":"r"})");
    const QByteArray e2 = sseChunk("lo");
    const QByteArray all = e1 + e2 + "data: [DONE]\n\n";
    // Split the SSE text at awkward places across chunk frames.
    m_upstream->setScript(
        Fake::chunked(200, {all.left(10), all.mid(10, 50), all.mid(60, 3), all.mid(63)}, 5));
    GatewayFixture f;
    QVERIFY(startGateway(f));
    TestHttpClient client(f.port());
    const TestResponse r = client.postJson("/v1/chat/completions", chat(true), kAuth);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("text/event-stream"));
    QCOMPARE(r.header("cache-control"), QByteArray("no-cache"));
    QCOMPARE(r.header("x-accel-buffering"), QByteArray("no"));
    QCOMPARE(r.header("transfer-encoding"), QByteArray("chunked"));
    QCOMPARE(r.body, all); // each event relayed as sent, [DONE] last
}

void TestGatewayRelay::upstreamErrorKeepsStatus_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("json") << false;
    QTest::newRow("stream") << true;
}

void TestGatewayRelay::upstreamErrorKeepsStatus()
{
    QFETCH(bool, stream);
    const QByteArray body =
        R"({"error":{"message":"Rate limit reached","type":"rate_limit_error","param":null,"code":"rate_limited"}})";
    m_upstream->setScript({Fake::write(
        Fake::response(429, body, {"Content-Type: application/json", "Retry-After: 7"}))});
    GatewayFixture f;
    QVERIFY(startGateway(f));
    TestHttpClient client(f.port());
    const TestResponse r = client.postJson("/v1/chat/completions", chat(stream), kAuth);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.header("retry-after"), QByteArray("7"));
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
    QCOMPARE(r.body, body);
}

void TestGatewayRelay::upstreamPlainTextError()
{
    m_upstream->setScript(
        {Fake::write(Fake::response(503, "model is loading", {"Content-Type: text/plain"}))});
    GatewayFixture f;
    QVERIFY(startGateway(f));
    TestHttpClient client(f.port());
    const TestResponse r = client.postJson("/v1/chat/completions", chat(false), kAuth);
    QCOMPARE(r.status, 503);
    const QJsonObject error = r.json().value(QStringLiteral("error")).toObject();
    QVERIFY(error.value(QStringLiteral("message"))
                .toString()
                .contains(QStringLiteral("model is loading")));
}

void TestGatewayRelay::connectionRefused()
{
    const quint16 closedPort = m_upstream->port();
    m_upstream->shutdown();
    GatewayFixture f;
    QVERIFY(startGateway(f, {}, closedPort));
    TestHttpClient client(f.port());
    const TestResponse r = client.postJson("/v1/chat/completions", chat(false), kAuth);
    QCOMPARE(r.status, 502);
    QVERIFY2(r.json().value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("code"))
                     .toString() == QStringLiteral("upstream_unavailable"),
             r.body.constData());
}

void TestGatewayRelay::firstByteTimeout()
{
    m_upstream->setScript({Fake::stall()});
    GatewayFixture f;
    QVERIFY(startGateway(
        f, {{QStringLiteral("timeouts"), QJsonObject{{QStringLiteral("firstByteMs"), 300}}}}));
    TestHttpClient client(f.port());
    const TestResponse r = client.postJson("/v1/chat/completions", chat(true), kAuth);
    QCOMPARE(r.status, 504);
    QCOMPARE(
        r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
        QStringLiteral("upstream_timeout"));
}

void TestGatewayRelay::midStreamFailure()
{
    const QByteArray e1 = sseChunk("one");
    const QByteArray e2 = sseChunk("two");
    Fake::Script script = Fake::chunked(200, {e1, e2});
    script.removeLast(); // no last-chunk: the upstream dies mid-stream
    script.append(Fake::close());
    m_upstream->setScript(script);
    GatewayFixture f;
    QVERIFY(startGateway(f));
    TestHttpClient client(f.port());
    const TestResponse r = client.postJson("/v1/chat/completions", chat(true), kAuth);
    QCOMPARE(r.status, 200);
    const QList<QByteArray> events = r.events();
    QCOMPARE(events.size(), 3);
    QVERIFY(events.at(0).contains("one"));
    QVERIFY(events.at(1).contains("two"));
    const QJsonObject error = QJsonDocument::fromJson(events.at(2)).object();
    QVERIFY(error.value(QStringLiteral("error")).isObject());
    QVERIFY(!r.body.contains("[DONE]"));
    QVERIFY(!r.body.contains("\"finish_reason\":\"stop\""));
    QVERIFY(r.complete); // a clean end of the HTTP response after the error event
}

void TestGatewayRelay::clientDisconnectAbortsUpstream_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("stream") << true;
    QTest::newRow("json") << false;
}

void TestGatewayRelay::clientDisconnectAbortsUpstream()
{
    QFETCH(bool, stream);
    Fake::Script script;
    if (stream) {
        script = Fake::chunked(200, {sseChunk("first")});
        script.removeLast();
    }
    script.append(Fake::stall());
    m_upstream->setScript(script);
    GatewayFixture f;
    QVERIFY(startGateway(f));
    TestHttpClient client(f.port());
    QSignalSpy gone(m_upstream.get(), &Fake::clientDisconnected);
    client.startStream("/v1/chat/completions", chat(stream), kAuth);
    if (stream)
        QVERIFY(client.waitForBody("first"));
    else
        QTRY_COMPARE(m_upstream->requestCount(), 1);
    client.closeConnection();
    QVERIFY(gone.wait(3000) || gone.size() > 0);
    QTRY_COMPARE(f.observer.finished().size(), 1);
    QVERIFY(f.observer.finished().constFirst().clientGone);
}

// A client that keeps sending while its request is answered is not buffered without end: past a
// request's worth of bytes (head and body limits) the connection is closed and the upstream
// call aborted.
void TestGatewayRelay::clientFloodDuringStreamIsCutOff()
{
    Fake::Script script = Fake::chunked(200, {sseChunk("first")});
    script.removeLast();
    script.append(Fake::stall());
    m_upstream->setScript(script);
    GatewayFixture f;
    QVERIFY(startGateway(f, QJsonObject{{QStringLiteral("limits"),
                                         QJsonObject{{QStringLiteral("maxBodyBytes"), 1024},
                                                     {QStringLiteral("maxHeaderBytes"), 1024}}}}));
    TestHttpClient client(f.port());
    QSignalSpy gone(m_upstream.get(), &Fake::clientDisconnected);
    client.startStream("/v1/chat/completions", chat(true), kAuth);
    QVERIFY(client.waitForBody("first"));
    client.sendRaw(QByteArray(1000, 'x')); // less than the limits: kept for later
    QTest::qWait(100);
    QVERIFY(client.isConnected());
    QCOMPARE(gone.size(), 0);
    client.sendRaw(QByteArray(4000, 'x'));
    QVERIFY(gone.wait(3000) || gone.size() > 0);
    QTRY_VERIFY(!client.isConnected());
    QTRY_COMPARE(f.observer.finished().size(), 1);
    QVERIFY(f.observer.finished().constFirst().clientGone);
}

void TestGatewayRelay::redirectNotFollowed()
{
    Fake elsewhere;
    m_upstream->setScript({Fake::write(
        Fake::response(302, {},
                       {"Location: http://127.0.0.1:" + QByteArray::number(elsewhere.port()) +
                        "/v1/chat/completions"}))});
    GatewayFixture f;
    QVERIFY(startGateway(f));
    TestHttpClient client(f.port());
    const TestResponse r = client.postJson("/v1/chat/completions", chat(false), kAuth);
    QCOMPARE(r.status, 502);
    QCOMPARE(
        r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
        QStringLiteral("upstream_redirect"));
    QTest::qWait(100);
    QCOMPARE(m_upstream->requestCount(), 1);
    QCOMPARE(elsewhere.requestCount(), 0);
    QCOMPARE(elsewhere.connectionCount(), 0);
}

void TestGatewayRelay::keepAliveComment()
{
    Fake::Script script{Fake::wait(700)};
    script += Fake::chunked(200, {sseChunk("late"), "data: [DONE]\n\n"});
    m_upstream->setScript(script);
    GatewayFixture f;
    QVERIFY(startGateway(
        f, {{QStringLiteral("limits"), QJsonObject{{QStringLiteral("keepAliveCommentMs"), 200}}}}));
    TestHttpClient client(f.port());
    const TestResponse r = client.postJson("/v1/chat/completions", chat(true), kAuth);
    QCOMPARE(r.status, 200);
    QVERIFY2(r.body.startsWith(": keep-alive\n\n"), r.body.constData());
    QVERIFY(r.body.contains("late"));
    QVERIFY(r.body.endsWith("data: [DONE]\n\n"));
}

void TestGatewayRelay::garbageFromUpstream()
{
    m_upstream->setScript({Fake::write("SPDY/9 banana\r\n\r\n"), Fake::close()});
    GatewayFixture f;
    QVERIFY(startGateway(f));
    TestHttpClient client(f.port());
    const TestResponse r = client.postJson("/v1/chat/completions", chat(false), kAuth);
    QCOMPARE(r.status, 502);
}

void TestGatewayRelay::concurrentRequestCap()
{
    Fake::Script script = Fake::chunked(200, {sseChunk("held")});
    script.removeLast();
    script.append(Fake::stall());
    m_upstream->setScript(script);
    GatewayFixture f;
    QVERIFY(startGateway(f, {{QStringLiteral("limits"),
                              QJsonObject{{QStringLiteral("maxConcurrentRequests"), 1}}}}));
    TestHttpClient first(f.port());
    first.startStream("/v1/chat/completions", chat(true), kAuth);
    QVERIFY(first.waitForBody("held"));
    TestHttpClient second(f.port());
    const TestResponse busy = second.postJson("/v1/chat/completions", chat(false), kAuth);
    QCOMPARE(busy.status, 503);
    QCOMPARE(busy.header("retry-after"), QByteArray("1"));
    first.closeConnection(); // frees the slot
    m_upstream->setScript({Fake::write(
        Fake::response(200, R"({"choices":[]})", {"Content-Type: application/json"}))});
    QTRY_COMPARE(second.postJson("/v1/chat/completions", chat(false), kAuth).status, 200);
}

QTEST_GUILESS_MAIN(TestGatewayRelay)
#include "tst_gatewayrelay.moc"
