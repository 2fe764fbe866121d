// An idle gateway does not wake up: once the last request is answered, no timer of Portico's
// fires while its deadline is far away (issue 6: "0 wake-ups a second while no request is
// live"). Measured as context switches of the HTTP worker threads, from /proc.
#include "FakeHttpServer.h"
#include "GatewayFixture.h"
#include "TestHttpClient.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QMap>
#include <QTest>

using portico::HeaderList;
using Fake = FakeHttpServer;

namespace {

const HeaderList kAuth = TestHttpClient::defaultAuth();

// Context switches (voluntary and not) of this process's threads named portico-http-*.
QMap<QString, qint64> workerSwitches()
{
    QMap<QString, qint64> result;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        QFile status(tasks.filePath(tid + QStringLiteral("/status")));
        if (!comm.open(QIODevice::ReadOnly) || !status.open(QIODevice::ReadOnly))
            continue;
        const QString name = QString::fromUtf8(comm.readAll().trimmed());
        if (!name.startsWith(QLatin1String("portico-http-")))
            continue;
        qint64 switches = 0;
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("voluntary_ctxt_switches:") ||
                line.startsWith("nonvoluntary_ctxt_switches:"))
                switches += line.mid(line.indexOf(':') + 1).trimmed().toLongLong();
        }
        result.insert(name + u'/' + tid, switches);
    }
    return result;
}

QJsonObject chat(bool stream)
{
    return {{QStringLiteral("model"), QStringLiteral("llama3.2")},
            {QStringLiteral("stream"), stream},
            {QStringLiteral("messages"),
             QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                    {QStringLiteral("content"), QStringLiteral("hello")}}}}};
}

} // namespace

class TestGatewayIdle : public QObject
{
    Q_OBJECT

private slots:
    void noWakeUpsAfterRequests();
};

void TestGatewayIdle::noWakeUpsAfterRequests()
{
    Fake upstream;
    const QByteArray completion =
        R"({"id":"c","object":"chat.completion","created":1,"model":"llama3.2","choices":[)"
        R"({"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]})";
    const QByteArray events =
        R"(data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"llama3.2",)"
        R"("choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]})"
        "\n\ndata: [DONE]\n\n";
    upstream.setHandler([&](const Fake::Request &request) {
        if (request.body.contains("\"stream\":true"))
            return Fake::Script{
                Fake::write(Fake::response(200, events, {"Content-Type: text/event-stream"}))};
        return Fake::Script{
            Fake::write(Fake::response(200, completion, {"Content-Type: application/json"}))};
    });

    // Short upstream deadlines: a timer armed for the connect deadline (300 ms after each new
    // upstream connection) used to fire on the pooled, idle connection.
    GatewayFixture f;
    const QJsonObject config{
        {QStringLiteral("gateway"),
         QJsonObject{{QStringLiteral("timeouts"), QJsonObject{{QStringLiteral("connectMs"), 300},
                                                              {QStringLiteral("firstByteMs"), 600},
                                                              {QStringLiteral("idleMs"), 600}}}}},
        {QStringLiteral("providers"),
         QJsonObject{
             {QStringLiteral("local"),
              GatewayFixture::openAiProvider(upstream.port(), {QStringLiteral("llama3.2")})}}}};
    QString error;
    QVERIFY2(f.start(config, &error), qPrintable(error));

    // Several connections, so that several workers serve requests and pool upstream connections.
    for (int i = 0; i < 4; ++i) {
        TestHttpClient client(f.port());
        QCOMPARE(client.postJson("/v1/chat/completions", chat(i % 2 == 1), kAuth).status, 200);
    }
    QTest::qWait(150); // the clients' connections close
    const QMap<QString, qint64> before = workerSwitches();
    QVERIFY(!before.isEmpty());
    QTest::qWait(1500); // past every upstream deadline of the requests above
    const QMap<QString, qint64> after = workerSwitches();
    for (auto it = before.cbegin(); it != before.cend(); ++it)
        QVERIFY2(after.value(it.key()) == it.value(),
                 qPrintable(QStringLiteral("%1 woke up %2 times while idle")
                                .arg(it.key())
                                .arg(after.value(it.key()) - it.value())));
}

QTEST_GUILESS_MAIN(TestGatewayIdle)
#include "tst_gatewayidle.moc"
