// Real streamed requests through a real gateway: they appear in the session registry while live,
// then in the session log with the right fields; Stop through the registry ends the client's stream
// and aborts the upstream; secrets planted in messages and upstream errors never reach the log.

#include "FakeHttpServer.h"
#include "GatewayFixture.h"
#include "TestHttpClient.h"

#include "Gateway.h"
#include "LogReader.h"
#include "LogRecorder.h"
#include "ObserverFanout.h"
#include "Redactor.h"
#include "SessionLog.h"
#include "SessionRegistry.h"

#include "CompletionAssembler.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

using Fake = FakeHttpServer;
using portico::RequestSnapshot;

struct SessionsRig
{
    static QByteArray providerKey() { return QByteArrayLiteral("prov-SECRET-key-4242-zq"); }

    FakeHttpServer upstream;
    QTemporaryDir dir;
    portico::SessionRegistry registry;
    std::unique_ptr<portico::SessionLog> log;
    std::unique_ptr<portico::LogRecorder> recorder;
    portico::ObserverFanout fanout;
    std::unique_ptr<portico::Gateway> gateway; // last: destroyed first

    ~SessionsRig()
    {
        gateway.reset();
        recorder.reset();
        log.reset();
    }

    QString logDir() const { return dir.filePath(QStringLiteral("logs")); }

    bool start(QString *error)
    {
        qputenv("PORTICO_GATEWAY_TOKEN", TestHttpClient::defaultToken());
        qputenv("SESSIONS_TEST_KEY", providerKey());
        log = std::make_unique<portico::SessionLog>(logDir());
        log->setRedactor(portico::Redactor({QString::fromLatin1(TestHttpClient::defaultToken()),
                                            QString::fromLatin1(providerKey())}));
        if (!log->open(error))
            return false;
        recorder = std::make_unique<portico::LogRecorder>(log.get());
        fanout.add(&registry);
        fanout.add(recorder.get());

        const QJsonObject json{
            {QStringLiteral("gateway"),
             QJsonObject{
                 {QStringLiteral("bind"), QStringLiteral("127.0.0.1")},
                 {QStringLiteral("port"), 0},
                 {QStringLiteral("auth"),
                  QJsonObject{{QStringLiteral("mode"), QStringLiteral("token")}}},
                 {QStringLiteral("http"),
                  QJsonObject{{QStringLiteral("endpoints"),
                               QJsonObject{{QStringLiteral("chatCompletions"),
                                            QJsonObject{{QStringLiteral("enabled"), true}}}}}}}}},
            {QStringLiteral("providers"),
             QJsonObject{
                 {QStringLiteral("local"),
                  GatewayFixture::openAiProvider(upstream.port(), {QStringLiteral("llama3.2")},
                                                 QStringLiteral("SESSIONS_TEST_KEY"))}}},
            {QStringLiteral("agents"),
             QJsonObject{{QStringLiteral("coder"),
                          QJsonObject{{QStringLiteral("provider"), QStringLiteral("local")},
                                      {QStringLiteral("model"), QStringLiteral("llama3.2")}}}}}};
        portico::Config config;
        if (!portico::Config::fromJson(json, &config, error))
            return false;
        gateway = std::make_unique<portico::Gateway>();
        // The token's name is what the registry and the log show.
        gateway->setCredentialCheckFactory([](const portico::Config &) -> portico::CredentialCheck {
            return [](QByteArrayView presented) -> std::optional<QString> {
                if (presented == QByteArrayView(TestHttpClient::defaultToken()))
                    return QStringLiteral("laptop");
                return std::nullopt;
            };
        });
        gateway->setObserver(&fanout);
        return gateway->start(config, error);
    }

    // Waits until everything finished so far is on disk, then reads the log, newest first.
    QList<portico::LogRecord> records()
    {
        if (!log->waitForWritten(10'000))
            return {};
        portico::LogReader reader(logDir());
        QList<portico::LogRecord> out;
        portico::LogRecord r;
        while (reader.next(&r))
            out.append(r);
        return out;
    }

    static QJsonObject chat(bool stream, const QString &content = QStringLiteral("hello"))
    {
        return {{QStringLiteral("model"), QStringLiteral("agent:coder")},
                {QStringLiteral("stream"), stream},
                {QStringLiteral("messages"),
                 QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                        {QStringLiteral("content"), content}}}}};
    }

    static portico::HeaderList headers(const QByteArray &sessionKey)
    {
        return {{"Authorization", "Bearer " + TestHttpClient::defaultToken()},
                {"x-portico-session-key", sessionKey}};
    }

    // One chunk frame of a chunked HTTP body.
    static QByteArray frame(const QByteArray &payload)
    {
        return QByteArray::number(payload.size(), 16) + "\r\n" + payload + "\r\n";
    }
    static QByteArray streamHead()
    {
        return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
               "Transfer-Encoding: chunked\r\n\r\n";
    }

    // One SSE event.
    static QByteArray event(const QByteArray &delta, const QByteArray &tail = "null",
                            const QByteArray &extra = {})
    {
        return R"(data: {"id":"up-1","object":"chat.completion.chunk","created":1,"model":"llama3.2","choices":[{"index":0,"delta":)" +
               delta + R"(,"finish_reason":)" + tail + "}]" + extra + "}\n\n";
    }
};

// The output of a request as the registry holds it, assembled.
QJsonObject assembled(const portico::SessionRegistry &registry, const QString &id)
{
    portico::CompletionAssembler assembler;
    for (const QByteArray &chunk : registry.streamSince(id, 0).chunks)
        assembler.add(chunk);
    return assembler.message();
}

QByteArray allLogBytes(const QString &dir)
{
    QByteArray all;
    const QStringList names = QDir(dir).entryList(QDir::Files);
    for (const QString &name : names) {
        QFile f(QDir(dir).filePath(name));
        if (f.open(QIODevice::ReadOnly))
            all += f.readAll();
    }
    return all;
}

} // namespace

class TestSessionRegistry : public QObject
{
    Q_OBJECT

private slots:
    void streamedRequestLiveThenLogged();
    void nonStreamedRequestLogged();
    void malformedAnswerLoggedAsText();
    void stopEndsStreamAndAbortsUpstream();
    void refusedChatRequestLogged();
    void secretsNeverReachTheLog();
};

void TestSessionRegistry::streamedRequestLiveThenLogged()
{
    SessionsRig rig;
    const Fake::Script script{
        Fake::write(SessionsRig::streamHead()),
        Fake::write(SessionsRig::frame(
            SessionsRig::event(R"({"role":"assistant","reasoning_content":"think"})"))),
        Fake::write(SessionsRig::frame(SessionsRig::event(R"({"content":"Hel"})"))),
        Fake::wait(1500),
        Fake::write(SessionsRig::frame(
            SessionsRig::event(R"({"content":"lo"})") +
            SessionsRig::event(
                R"({"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"q\":1}"}}]})") +
            SessionsRig::event(
                "{}", R"("tool_calls")",
                R"(,"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12})") +
            "data: [DONE]\n\n")),
        Fake::write("0\r\n\r\n")};
    rig.upstream.setScript(script);
    QString error;
    QVERIFY2(rig.start(&error), qPrintable(error));
    QSignalSpy liveCount(&rig.registry, &portico::SessionRegistry::liveStreamCountChanged);

    TestHttpClient client(rig.gateway->port());
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    client.startStream("/v1/chat/completions", SessionsRig::chat(true),
                       SessionsRig::headers("sess-live-1"));

    // Live: the session, the request streaming, its text so far.
    QTRY_VERIFY_WITH_TIMEOUT(
        !rig.registry.requests(QStringLiteral("sess-live-1")).isEmpty() &&
            rig.registry.requests(QStringLiteral("sess-live-1")).constFirst().chunks >= 2,
        5000);
    const RequestSnapshot live = rig.registry.requests(QStringLiteral("sess-live-1")).constFirst();
    QCOMPARE(live.state, RequestSnapshot::State::Streaming);
    QCOMPARE(live.agent, QStringLiteral("coder"));
    QCOMPARE(live.provider, QStringLiteral("local"));
    QCOMPARE(live.model, QStringLiteral("llama3.2"));
    QVERIFY(live.ttftMs >= 0);
    QVERIFY(live.isLive());
    QCOMPARE(rig.registry.liveStreamCount(), 1);
    QTRY_VERIFY(!liveCount.isEmpty() && liveCount.last().at(0).toInt() == 1);
    const QJsonObject partial = assembled(rig.registry, live.requestId);
    QCOMPARE(partial.value(QStringLiteral("content")).toString(), QStringLiteral("Hel"));
    QCOMPARE(partial.value(QStringLiteral("reasoning_content")).toString(),
             QStringLiteral("think"));
    const QList<portico::SessionSnapshot> sessions = rig.registry.sessions();
    QCOMPARE(sessions.size(), 1);
    QCOMPARE(sessions.first().key, QStringLiteral("sess-live-1"));
    QCOMPARE(sessions.first().clientName, QStringLiteral("laptop"));
    QCOMPARE(sessions.first().liveCount, 1);

    QVERIFY(client.waitForComplete(10'000));
    QVERIFY(client.current().body.endsWith("data: [DONE]\n\n"));

    // Finished: in the registry with its usage, then in the log.
    QTRY_COMPARE(rig.registry.request(live.requestId).state, RequestSnapshot::State::Succeeded);
    const RequestSnapshot done = rig.registry.request(live.requestId);
    QCOMPARE(done.promptTokens, 5);
    QCOMPARE(done.completionTokens, 7);
    QCOMPARE(done.status, 200);
    QCOMPARE(rig.registry.liveStreamCount(), 0);
    QTRY_VERIFY(liveCount.last().at(0).toInt() == 0);
    QTRY_COMPARE(rig.registry.sessions().first().tokensOut, 7);
    QCOMPARE(rig.registry.sessions().first().tokensIn, 5);
    QCOMPARE(rig.registry.sessions().first().requestCount, 1);

    const QList<portico::LogRecord> records = rig.records();
    QCOMPARE(records.size(), 1);
    const portico::LogRecord &r = records.first();
    QVERIFY(r.time >= before && r.time <= QDateTime::currentMSecsSinceEpoch());
    QCOMPARE(r.requestId, live.requestId);
    QCOMPARE(r.sessionKey, QStringLiteral("sess-live-1"));
    QCOMPARE(r.agent, QStringLiteral("coder"));
    QCOMPARE(r.provider, QStringLiteral("local"));
    QCOMPARE(r.upstreamModel, QStringLiteral("llama3.2"));
    QCOMPARE(r.clientTokenName, QStringLiteral("laptop"));
    QCOMPARE(r.status, 200);
    QVERIFY(r.error.isEmpty());
    QVERIFY(r.stream);
    QVERIFY2(r.latencyMs >= 1400, qPrintable(QString::number(r.latencyMs)));
    QVERIFY(r.ttftMs >= 0 && r.ttftMs < 1400);
    QCOMPARE(r.usage, (portico::LogRecord::Usage{5, 7, 12}));
    QCOMPARE(r.requestMessages.size(), 1);
    QCOMPARE(r.lastUserText(), QStringLiteral("hello"));
    QCOMPARE(r.response.value(QStringLiteral("content")).toString(), QStringLiteral("Hello"));
    QCOMPARE(r.response.value(QStringLiteral("reasoning_content")).toString(),
             QStringLiteral("think"));
    const QJsonObject call =
        r.response.value(QStringLiteral("tool_calls")).toArray().first().toObject();
    QCOMPARE(call.value(QStringLiteral("id")).toString(), QStringLiteral("call_1"));
    QCOMPARE(call.value(QStringLiteral("function")).toObject().value(QStringLiteral("name")),
             QJsonValue(QStringLiteral("lookup")));
    QCOMPARE(call.value(QStringLiteral("function")).toObject().value(QStringLiteral("arguments")),
             QJsonValue(QStringLiteral(R"({"q":1})")));
}

void TestSessionRegistry::nonStreamedRequestLogged()
{
    SessionsRig rig;
    const QByteArray body =
        R"({"id":"up-2","object":"chat.completion","created":7,"model":"llama3.2",)"
        R"("choices":[{"index":0,"message":{"role":"assistant","content":"fine"},"finish_reason":"stop"}],)"
        R"("usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}})";
    rig.upstream.setScript(
        {Fake::write(Fake::response(200, body, {"Content-Type: application/json"}))});
    QString error;
    QVERIFY2(rig.start(&error), qPrintable(error));
    TestHttpClient client(rig.gateway->port());
    const TestResponse response = client.postJson(
        "/v1/chat/completions", SessionsRig::chat(false, QStringLiteral("how are you")),
        SessionsRig::headers("sess-json"));
    QCOMPARE(response.status, 200);

    QTRY_COMPARE(rig.registry.sessions().size(), 1);
    QTRY_COMPARE(rig.registry.requests(QStringLiteral("sess-json")).first().state,
                 RequestSnapshot::State::Succeeded);
    const RequestSnapshot done = rig.registry.requests(QStringLiteral("sess-json")).first();
    QCOMPARE(done.completionTokens, 1);
    QVERIFY(!rig.registry.streamSince(done.requestId, 0).completionJson.isEmpty());

    const QList<portico::LogRecord> records = rig.records();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().status, 200);
    QVERIFY(!records.first().stream);
    QCOMPARE(records.first().ttftMs, -1);
    QCOMPARE(records.first().usage, (portico::LogRecord::Usage{3, 1, 4}));
    QCOMPARE(records.first().response.value(QStringLiteral("content")).toString(),
             QStringLiteral("fine"));
    QCOMPARE(records.first().lastUserText(), QStringLiteral("how are you"));
}

void TestSessionRegistry::malformedAnswerLoggedAsText()
{
    // An upstream whose message is not JSON (a stray backslash, bytes that are not UTF-8): the
    // client gets the answer as it came, and the log keeps the message as text in a line that
    // still reads, instead of a line no reader can parse.
    SessionsRig rig;
    const QByteArray message = "{\"role\":\"assistant\",\\\"content\":\"caf\xe9\"}";
    const QByteArray body =
        R"({"id":"up-3","object":"chat.completion","created":7,"choices":[{"index":0,"message":)" +
        message + R"(,"finish_reason":"stop"}]})";
    rig.upstream.setScript(
        {Fake::write(Fake::response(200, body, {"Content-Type: application/json"}))});
    QString error;
    QVERIFY2(rig.start(&error), qPrintable(error));
    TestHttpClient client(rig.gateway->port());
    const TestResponse response = client.postJson("/v1/chat/completions", SessionsRig::chat(false),
                                                  SessionsRig::headers("sess-bad"));
    QCOMPARE(response.status, 200);
    QVERIFY(response.body.contains(message));

    const QList<portico::LogRecord> records = rig.records();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().status, 200);
    QCOMPARE(records.first().response.value(QStringLiteral("content")).toString(),
             QString::fromUtf8(message));
    QCOMPARE(records.first().lastUserText(), QStringLiteral("hello"));
    QCOMPARE(allLogBytes(rig.logDir()).count('\n'), 1);
}

void TestSessionRegistry::stopEndsStreamAndAbortsUpstream()
{
    SessionsRig rig;
    rig.upstream.setScript(
        {Fake::write(SessionsRig::streamHead()),
         Fake::write(SessionsRig::frame(SessionsRig::event(R"({"content":"partial"})"))),
         Fake::stall()});
    QString error;
    QVERIFY2(rig.start(&error), qPrintable(error));
    QSignalSpy upstreamGone(&rig.upstream, &FakeHttpServer::clientDisconnected);
    TestHttpClient client(rig.gateway->port());
    client.startStream("/v1/chat/completions", SessionsRig::chat(true),
                       SessionsRig::headers("sess-stop"));
    QVERIFY(client.waitForBody("partial"));
    QTRY_VERIFY(!rig.registry.requests(QStringLiteral("sess-stop")).isEmpty());
    const QString id = rig.registry.requests(QStringLiteral("sess-stop")).first().requestId;
    QTRY_COMPARE(rig.registry.request(id).state, RequestSnapshot::State::Streaming);

    QVERIFY(!rig.registry.stopRequest(QStringLiteral("chatcmpl-unknown")));
    QVERIFY(rig.registry.stopRequest(id));
    // Stopping until the worker thread has ended it, which may already have happened.
    const RequestSnapshot::State afterStop = rig.registry.request(id).state;
    QVERIFY2(afterStop == RequestSnapshot::State::Stopping ||
                 afterStop == RequestSnapshot::State::Stopped,
             qPrintable(QString::number(int(afterStop))));
    QVERIFY(client.waitForComplete(10'000));
    const QList<QByteArray> events = client.current().events();
    QVERIFY(!events.isEmpty());
    const QJsonObject last = QJsonDocument::fromJson(events.last()).object();
    QCOMPARE(last.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")),
             QJsonValue(QStringLiteral("request_cancelled")));
    QVERIFY(!client.current().body.contains("[DONE]"));
    QTRY_COMPARE(rig.upstream.clientDisconnectCount(), 1);

    QTRY_COMPARE(rig.registry.request(id).state, RequestSnapshot::State::Stopped);
    QVERIFY(!rig.registry.stopRequest(id)); // not live any more
    QCOMPARE(rig.registry.liveStreamCount(), 0);
    const QList<portico::LogRecord> records = rig.records();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().status, 503);
    QVERIFY(!records.first().error.isEmpty());
    QCOMPARE(records.first().response.value(QStringLiteral("content")).toString(),
             QStringLiteral("partial"));
}

void TestSessionRegistry::refusedChatRequestLogged()
{
    SessionsRig rig;
    QString error;
    QVERIFY2(rig.start(&error), qPrintable(error));
    TestHttpClient client(rig.gateway->port());
    const TestResponse response =
        client.postJson("/v1/chat/completions", SessionsRig::chat(false),
                        {{"Authorization", "Bearer pt_wrong_token_abcdefghijkl"}});
    QCOMPARE(response.status, 401);
    QCOMPARE(client.request("GET", "/v1/unknown", SessionsRig::headers("x")).status, 404);
    const QList<portico::LogRecord> records = rig.records();
    QCOMPARE(records.size(), 1); // the chat endpoint's refusal only
    QCOMPARE(records.first().status, 401);
    QVERIFY(records.first().sessionKey.isEmpty());
    QVERIFY(!records.first().error.isEmpty());
    QCOMPARE(rig.registry.sessions().size(), 0);
}

void TestSessionRegistry::secretsNeverReachTheLog()
{
    SessionsRig rig;
    const QByteArray token = TestHttpClient::defaultToken();
    const QByteArray key = SessionsRig::providerKey();
    const QByteArray sk = "sk-proj-AbCdEfGhIjKlMnOpQrStUv";
    rig.upstream.setHandler([&](const Fake::Request &request) -> Fake::Script {
        if (QJsonDocument::fromJson(request.body).object().value(QStringLiteral("stream")).toBool())
            return Fake::chunked(200, {SessionsRig::event(R"({"content":"echo )" + key + "\"}") +
                                       "data: [DONE]\n\n"});
        const QByteArray body = R"({"error":{"message":"invalid key )" + key + " for Bearer " +
                                token + " and " + sk + R"(","type":"auth_error"}})";
        return {Fake::write(Fake::response(500, body, {"Content-Type: application/json"}))};
    });
    QString error;
    QVERIFY2(rig.start(&error), qPrintable(error));
    TestHttpClient client(rig.gateway->port());
    const QString planted =
        QStringLiteral("my token is %1, my key is %2, also %3, "
                       "Authorization: Bearer %1")
            .arg(QString::fromLatin1(token), QString::fromLatin1(key), QString::fromLatin1(sk));
    client.startStream("/v1/chat/completions", SessionsRig::chat(true, planted),
                       SessionsRig::headers("sess-secret"));
    QVERIFY(client.waitForComplete());
    QVERIFY(client.current().body.contains(key)); // the upstream did echo it to the client
    const TestResponse failed =
        client.postJson("/v1/chat/completions", SessionsRig::chat(false, planted),
                        SessionsRig::headers("sess-secret"));
    QCOMPARE(failed.status, 500);

    const QList<portico::LogRecord> records = rig.records();
    QCOMPARE(records.size(), 2);
    const QByteArray files = allLogBytes(rig.logDir());
    QVERIFY(!files.isEmpty());
    QVERIFY2(!files.contains(token), "the gateway token reached the log");
    QVERIFY2(!files.contains(key), "the provider key reached the log");
    QVERIFY2(!files.contains(sk), "an sk- key reached the log");
    QVERIFY(files.contains(portico::Redactor::placeholder().toUtf8()));
    // The rest of the exchange is still there.
    QVERIFY(files.contains("my token is"));
    QVERIFY(files.contains("invalid key"));
}

QTEST_GUILESS_MAIN(TestSessionRegistry)
#include "tst_sessionregistry.moc"
