// Crash safety of the session log with the real application: `portico --headless` records
// requests, is killed with SIGKILL while streams are in flight and records are being written,
// and every complete line it left is valid JSON. A torn last line (planted, as a crash inside a
// write would leave it) is set aside and reported at the next start, and the next record starts
// on a line of its own.
#include "FakeHttpServer.h"
#include "TestHttpClient.h"

#include "LogRecord.h"
#include "SessionLogFiles.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

#include <signal.h>

using Fake = FakeHttpServer;

namespace {

const portico::HeaderList kAuth = TestHttpClient::defaultAuth();

QByteArray frame(const QByteArray &payload)
{
    return QByteArray::number(payload.size(), 16) + "\r\n" + payload + "\r\n";
}

QByteArray sseEvent(const QByteArray &content)
{
    return R"(data: {"id":"up","object":"chat.completion.chunk","created":1,"model":"llama3.2","choices":[{"index":0,"delta":{"content":")" +
           content + R"("},"finish_reason":null}]})" + "\n\n";
}

QJsonObject chat(bool stream, int n)
{
    return {{QStringLiteral("model"), QStringLiteral("llama3.2")},
            {QStringLiteral("stream"), stream},
            {QStringLiteral("messages"),
             QJsonArray{QJsonObject{
                 {QStringLiteral("role"), QStringLiteral("user")},
                 {QStringLiteral("content"),
                  QStringLiteral("request %1 %2").arg(n).arg(QString(200, QLatin1Char('x')))}}}}};
}

struct LogState
{
    int lines = 0;   // complete lines
    int invalid = 0; // complete lines that are not a log record
    QByteArray tail; // the bytes after the last '\n' of the newest file
};

LogState readLog(const QString &dir)
{
    LogState state;
    const QList<portico::SessionLogFiles::Entry> files = portico::SessionLogFiles::list(dir);
    for (qsizetype i = 0; i < files.size(); ++i) {
        QFile f(files.at(i).path);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = f.readAll();
        const qsizetype end = bytes.lastIndexOf('\n') + 1;
        for (const QByteArray &line : bytes.left(end).split('\n')) {
            if (line.isEmpty())
                continue;
            ++state.lines;
            portico::LogRecord record;
            if (!portico::LogRecord::fromJsonLine(line, &record))
                ++state.invalid;
        }
        if (i == files.size() - 1)
            state.tail = bytes.mid(end);
    }
    return state;
}

} // namespace

class TestSessionLogCrash : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void killMidStreamLeavesWholeLines();
    void requestLinesOnStderr();

private:
    bool startPortico(quint16 *port);
    void stopPortico(bool kill);

    QTemporaryDir m_tmp;
    std::unique_ptr<Fake> m_upstream;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_stderr;
    QString m_configPath;
    QString m_logDir;
};

void TestSessionLogCrash::init()
{
    QVERIFY(m_tmp.isValid());
    m_upstream = std::make_unique<Fake>();
    m_upstream->setHandler([](const Fake::Request &request) -> Fake::Script {
        const bool stream =
            QJsonDocument::fromJson(request.body).object().value(QStringLiteral("stream")).toBool();
        if (!stream) {
            const QByteArray body =
                R"({"id":"up","object":"chat.completion","created":1,"model":"llama3.2","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}})";
            return {Fake::write(Fake::response(200, body, {"Content-Type: application/json"}))};
        }
        // Requests 200 and up: short streams that end while the process is being killed;
        // the others: slow streams that outlive it.
        const bool quick = request.body.contains("request 2");
        Fake::Script script{Fake::write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                        "Transfer-Encoding: chunked\r\n\r\n")};
        for (int i = 0; i < (quick ? 10 : 200); ++i) {
            script.append(Fake::write(frame(sseEvent("tok"))));
            script.append(Fake::wait(quick ? 2 + i % 3 : 50));
        }
        script.append(Fake::write(frame("data: [DONE]\n\n") + "0\r\n\r\n"));
        return script;
    });

    const QJsonObject config{
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
              QJsonObject{{QStringLiteral("type"), QStringLiteral("openai")},
                          {QStringLiteral("baseUrl"),
                           QStringLiteral("http://127.0.0.1:%1/v1").arg(m_upstream->port())},
                          {QStringLiteral("models"), QJsonArray{QStringLiteral("llama3.2")}}}}}}};
    m_configPath = m_tmp.filePath(QStringLiteral("portico.json"));
    QFile file(m_configPath);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(config).toJson());
    file.close();
    m_logDir = m_tmp.filePath(QStringLiteral("data/portico/logs"));
}

void TestSessionLogCrash::cleanup()
{
    stopPortico(true);
    m_upstream.reset();
}

bool TestSessionLogCrash::startPortico(quint16 *port)
{
    m_stderr.clear();
    m_process = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_tmp.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_tmp.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("PORTICO_GATEWAY_TOKEN"),
               QString::fromLatin1(TestHttpClient::defaultToken()));
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    m_process->setProcessEnvironment(env);
    connect(m_process.get(), &QProcess::readyReadStandardError, this,
            [this] { m_stderr += m_process->readAllStandardError(); });
    m_process->start(QStringLiteral(PORTICO_BINARY),
                     {QStringLiteral("--headless"), QStringLiteral("--config"), m_configPath});
    if (!m_process->waitForStarted(10'000))
        return false;
    static const QRegularExpression listening(
        QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)/v1"));
    QRegularExpressionMatch match;
    (void)QTest::qWaitFor(
        [&] {
            match = listening.match(QString::fromUtf8(m_stderr));
            return match.hasMatch() || m_process->state() == QProcess::NotRunning;
        },
        15'000);
    if (!match.hasMatch()) {
        qWarning("portico did not start: %s", m_stderr.constData());
        return false;
    }
    *port = quint16(match.captured(1).toUInt());
    return true;
}

void TestSessionLogCrash::stopPortico(bool kill)
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        ::kill(pid_t(m_process->processId()), kill ? SIGKILL : SIGTERM);
        m_process->waitForFinished(10'000);
    }
    m_process.reset();
}

void TestSessionLogCrash::killMidStreamLeavesWholeLines()
{
    quint16 port = 0;
    QVERIFY(startPortico(&port));

    // Records on disk, streams in flight, more requests finishing as the process dies.
    for (int n = 0; n < 15; ++n) {
        TestHttpClient client(port);
        QCOMPARE(client.postJson("/v1/chat/completions", chat(false, n), kAuth).status, 200);
    }
    std::vector<std::unique_ptr<TestHttpClient>> streams;
    for (int n = 0; n < 4; ++n) {
        streams.push_back(std::make_unique<TestHttpClient>(port));
        streams.back()->startStream("/v1/chat/completions", chat(true, 100 + n), kAuth);
    }
    for (auto &stream : streams)
        QVERIFY(stream->waitForBody("tok"));
    QTRY_VERIFY_WITH_TIMEOUT(readLog(m_logDir).lines >= 15, 10'000);
    std::vector<std::unique_ptr<TestHttpClient>> late;
    for (int n = 0; n < 30; ++n) {
        late.push_back(std::make_unique<TestHttpClient>(port));
        late.back()->startStream("/v1/chat/completions", chat(true, 200 + n), kAuth);
    }
    // Kill as soon as the first of them is on disk, while the others are finishing.
    QVERIFY(QTest::qWaitFor([this] { return readLog(m_logDir).lines > 15; }, 10'000));
    stopPortico(true);

    const LogState afterKill = readLog(m_logDir);
    qInfo("%d records survived the kill, %lld bytes after the last newline", afterKill.lines,
          qint64(afterKill.tail.size()));
    QVERIFY2(afterKill.lines >= 15, qPrintable(QString::number(afterKill.lines)));
    QCOMPARE(afterKill.invalid, 0);
    QVERIFY(afterKill.lines <= 15 + 30); // the streams in flight were never recorded

    // A crash inside a write: the newest file ends in half a record.
    const QList<portico::SessionLogFiles::Entry> files = portico::SessionLogFiles::list(m_logDir);
    QVERIFY(!files.isEmpty());
    const QByteArray torn = afterKill.tail + R"({"v":1,"time":1700000000000,"sessionKey":"torn-)";
    {
        QFile newest(files.last().path);
        QVERIFY(newest.open(QIODevice::Append));
        newest.write(R"({"v":1,"time":1700000000000,"sessionKey":"torn-)");
    }

    QVERIFY(startPortico(&port));
    QVERIFY2(m_stderr.contains("set aside"), m_stderr.constData());
    const QStringList parts =
        QDir(m_logDir).entryList({QStringLiteral("torn-*.jsonl.part")}, QDir::Files);
    QCOMPARE(parts.size(), 1);
    QFile part(QDir(m_logDir).filePath(parts.first()));
    QVERIFY(part.open(QIODevice::ReadOnly));
    QCOMPARE(part.readAll(), torn);
    QVERIFY(m_stderr.contains(parts.first().toUtf8()));
    QVERIFY(readLog(m_logDir).tail.isEmpty());
    qInfo("restarted; it said: %s", m_stderr.trimmed().constData());

    // The next record starts on a line of its own.
    TestHttpClient client(port);
    const TestResponse r = client.postJson("/v1/chat/completions", chat(false, 999), kAuth);
    QCOMPARE(r.status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(readLog(m_logDir).lines == afterKill.lines + 1, 10'000);
    const LogState final = readLog(m_logDir);
    QCOMPARE(final.invalid, 0);
    QVERIFY(final.tail.isEmpty());
    stopPortico(false);
}

// The headless gateway's one line per request on stderr: a relayed request, a rejected one, and
// an upstream error whose message is not ASCII (written as UTF-8, quotes made single).
void TestSessionLogCrash::requestLinesOnStderr()
{
    quint16 port = 0;
    QVERIFY(startPortico(&port));
    TestHttpClient client(port);
    QCOMPARE(client.postJson("/v1/chat/completions", chat(false, 1), kAuth).status, 200);
    QCOMPARE(client.postJson("/v1/chat/completions", chat(false, 2)).status, 401);
    m_upstream->setHandler([](const Fake::Request &) -> Fake::Script {
        return {Fake::write(Fake::response(
            500, QStringLiteral(R"({"error":{"message":"échec \"total\""}})").toUtf8(),
            {"Content-Type: application/json"}))};
    });
    const int failed = client.postJson("/v1/chat/completions", chat(false, 3), kAuth).status;
    QVERIFY2(failed >= 500, QByteArray::number(failed).constData());

    const QString time = QStringLiteral(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
    const QRegularExpression relayed(
        QStringLiteral("^") + time +
            QStringLiteral(
                R"( 200 POST /v1/chat/completions \d+ms( ttft=\d+ms)? json agent=- provider=local )"
                R"(model=llama3\.2 session=req-[0-9a-f]{32} client=\S+ )"
                R"(peer=127\.0\.0\.1$)"),
        QRegularExpression::MultilineOption);
    const QRegularExpression rejected(
        QStringLiteral("^") + time +
            QStringLiteral(R"( 401 POST /v1/chat/completions peer=127\.0\.0\.1 error="[^"\n]+"$)"),
        QRegularExpression::MultilineOption);
    const QRegularExpression upstreamError(
        QStringLiteral("^") + time + QString::number(failed).prepend(u' ') +
            QStringLiteral(R"( POST /v1/chat/completions \d+ms json agent=- .* )"
                           R"(error="[^"\n]*échec 'total'[^"\n]*"$)"),
        QRegularExpression::MultilineOption);
    QTRY_VERIFY_WITH_TIMEOUT(upstreamError.match(QString::fromUtf8(m_stderr)).hasMatch(), 5000);
    const QString text = QString::fromUtf8(m_stderr);
    QVERIFY2(relayed.match(text).hasMatch(), m_stderr.constData());
    QVERIFY2(rejected.match(text).hasMatch(), m_stderr.constData());
    stopPortico(false);
}

QTEST_GUILESS_MAIN(TestSessionLogCrash)
#include "tst_sessionlogcrash.moc"
