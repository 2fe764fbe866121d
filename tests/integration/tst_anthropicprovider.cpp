#include "AnthropicProvider.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

using namespace portico;

namespace {

QByteArray readFixture(const QString &name)
{
    QFile file(QStringLiteral(PORTICO_ANTHROPIC_FIXTURES "/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

QJsonObject parse(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

QList<QByteArray> expectedChunks(const QString &name, bool includeUsage)
{
    QList<QByteArray> chunks;
    for (const QByteArray &line : readFixture(name + QStringLiteral(".chunks.jsonl")).split('\n')) {
        if (!line.isEmpty() &&
            (includeUsage || !parse(line).value(QLatin1String("choices")).toArray().isEmpty()))
            chunks.append(line);
    }
    return chunks;
}

// What the fake upstream answers to the next request.
struct Reply
{
    int status = 200;
    QByteArray contentType = "text/event-stream";
    QByteArray extraHeaders; // complete "Name: value\r\n" lines
    QByteArray body;
    bool chunked = true;
    int pieceBytes = 61;   // the body goes out in pieces this size, one per event-loop turn
    qsizetype dropAt = -1; // close the connection after this many body bytes, unterminated
    bool silent = false;   // read the request and never answer
    bool hold = false;     // send the body but neither end it nor close the connection
};

struct ReceivedRequest
{
    QByteArray requestLine;
    HeaderList headers;
    QByteArray body;
};

// An in-process Anthropic stand-in on 127.0.0.1: it records each request (head and body) and
// answers with the configured reply, in small pieces, HTTP/1.1 with chunked or sized bodies.
class FakeAnthropic : public QObject
{
    Q_OBJECT
public:
    FakeAnthropic()
    {
        connect(&m_server, &QTcpServer::newConnection, this, &FakeAnthropic::onNewConnection);
        if (!m_server.listen(QHostAddress::LocalHost, 0))
            qFatal("cannot listen");
    }
    QUrl baseUrl() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
    }
    Reply reply;
    QList<ReceivedRequest> requests;
    int connections = 0;
    int disconnects = 0;

signals:
    void requestReceived();

private:
    void onNewConnection()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            ++connections;
            socket->setParent(this);
            socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); // tiny pieces, no Nagle
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onRead(socket); });
            connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                ++disconnects;
                socket->deleteLater();
            });
        }
    }
    void onRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return;
        ReceivedRequest request;
        const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
        request.requestLine = lines.first().trimmed();
        qsizetype length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            const QByteArray name = lines[i].left(colon).trimmed().toLower();
            const QByteArray value = lines[i].mid(colon + 1).trimmed();
            request.headers.append({name, value});
            if (name == "content-length")
                length = value.toLongLong();
        }
        if (buffer.size() < headEnd + 4 + length)
            return;
        request.body = buffer.mid(headEnd + 4, length);
        buffer.remove(0, headEnd + 4 + length);
        requests.append(request);
        emit requestReceived();
        if (!reply.silent)
            answer(socket);
    }
    void answer(QTcpSocket *socket)
    {
        QByteArray head = "HTTP/1.1 " + QByteArray::number(reply.status) + " Fake\r\n" +
                          "Content-Type: " + reply.contentType + "\r\n" + reply.extraHeaders;
        head += reply.chunked
                    ? QByteArray("Transfer-Encoding: chunked\r\n\r\n")
                    : "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n\r\n";
        socket->write(head);
        QByteArray body = reply.body;
        if (reply.dropAt >= 0)
            body.truncate(reply.dropAt);
        QList<QByteArray> pieces;
        for (qsizetype pos = 0; pos < body.size(); pos += reply.pieceBytes) {
            const QByteArray piece = body.mid(pos, reply.pieceBytes);
            pieces.append(reply.chunked
                              ? QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n"
                              : piece);
        }
        if (reply.dropAt < 0 && reply.chunked && !reply.hold)
            pieces.append("0\r\n\r\n");
        writePieces(socket, pieces, reply.dropAt >= 0);
    }
    void writePieces(QPointer<QTcpSocket> socket, QList<QByteArray> pieces, bool dropAtEnd)
    {
        if (!socket)
            return;
        if (pieces.isEmpty()) {
            if (dropAtEnd)
                socket->disconnectFromHost();
            return;
        }
        socket->write(pieces.takeFirst());
        socket->flush();
        QTimer::singleShot(
            0, this, [this, socket, pieces, dropAtEnd] { writePieces(socket, pieces, dropAtEnd); });
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

// One call against the fake, recording every signal.
struct CallRun
{
    CallRun(FakeAnthropic &fake, const QJsonObject &body, bool stream, bool includeUsage,
            UpstreamTimeouts timeouts = {})
    {
        ProviderConfig config;
        config.id = QStringLiteral("claude");
        config.type = QStringLiteral("anthropic");
        config.baseUrl = fake.baseUrl();
        QString error;
        provider = createAnthropicProvider(config, "sk-ant-test-key", &error);
        if (!provider)
            qFatal("%s", qPrintable(error));
        CallContext context;
        context.body = body;
        context.upstreamModel = QStringLiteral("claude-sonnet-4-5");
        context.stream = stream;
        context.includeUsage = includeUsage;
        context.requestId = QStringLiteral("chatcmpl-fixture");
        context.created = 1700000000;
        context.timeouts = timeouts;
        call = provider->createCall(context, &parent);
        QObject::connect(call, &ProviderCall::chunk, &parent,
                         [this](const QByteArray &json) { chunks.append(json); });
        QObject::connect(call, &ProviderCall::completion, &parent,
                         [this](const QByteArray &json) { completions.append(json); });
        QObject::connect(call, &ProviderCall::succeeded, &parent, [this] { ++succeeded; });
        QObject::connect(call, &ProviderCall::failed, &parent,
                         [this](const ApiError &e) { errors.append(e); });
    }
    int ends() const { return succeeded + int(errors.size()); }
    bool waitEnd(int ms = 10000)
    {
        return QTest::qWaitFor([&] { return ends() > 0; }, ms);
    }

    QObject parent;
    std::shared_ptr<Provider> provider;
    ProviderCall *call = nullptr;
    QList<QByteArray> chunks;
    QList<QByteArray> completions;
    int succeeded = 0;
    QList<ApiError> errors;
};

QString diffChunks(const QList<QByteArray> &got, const QList<QByteArray> &want)
{
    if (got.size() != want.size())
        return QStringLiteral("%1 chunks, want %2").arg(got.size()).arg(want.size());
    for (qsizetype i = 0; i < got.size(); ++i) {
        if (got[i].contains('\n') || parse(got[i]) != parse(want[i]))
            return QStringLiteral("chunk %1:\n got: %2\nwant: %3")
                .arg(i)
                .arg(QString::fromUtf8(got[i]), QString::fromUtf8(want[i]));
    }
    return {};
}

// An .error.json fixture without its "status" and "retryAfter" is the OpenAI error envelope.
QJsonObject envelope(QJsonObject fixture)
{
    fixture.remove(QStringLiteral("status"));
    fixture.remove(QStringLiteral("retryAfter"));
    return fixture;
}

} // namespace

class tst_AnthropicProvider : public QObject
{
    Q_OBJECT
private slots:
    void streams_data();
    void streams();
    void nonStreaming_data();
    void nonStreaming();
    void httpErrors_data();
    void httpErrors();
    void droppedConnection();
    void streamEndsWithoutMessageStop();
    void messageStopWithBodyLeftOpen();
    void abortClosesUpstream();
    void invalidRequestFailsWithoutCalling();
    void firstByteTimeout();
    void redirectNotFollowed();
    void connectionRefused();
};

void tst_AnthropicProvider::streams_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("includeUsage");
    for (const char *name : {"text", "tools", "thinking", "error"}) {
        QTest::addRow("%s", name) << QString::fromLatin1(name) << false;
        QTest::addRow("%s +usage", name) << QString::fromLatin1(name) << true;
    }
}

void tst_AnthropicProvider::streams()
{
    QFETCH(QString, name);
    QFETCH(bool, includeUsage);

    FakeAnthropic fake;
    fake.reply.body = readFixture(name + QStringLiteral(".sse"));
    CallRun run(fake, parse(readFixture(QStringLiteral("request.openai.json"))), true,
                includeUsage);
    run.call->start();
    QVERIFY(run.waitEnd());

    // The request Anthropic received.
    QCOMPARE(fake.requests.size(), 1);
    const ReceivedRequest &request = fake.requests.first();
    QCOMPARE(request.requestLine, QByteArray("POST /v1/messages HTTP/1.1"));
    QCOMPARE(headerValue(request.headers, "x-api-key"), QByteArray("sk-ant-test-key"));
    QCOMPARE(headerValue(request.headers, "anthropic-version"), QByteArray("2023-06-01"));
    QCOMPARE(headerValue(request.headers, "content-type"), QByteArray("application/json"));
    QCOMPARE(headerValue(request.headers, "accept"), QByteArray("text/event-stream"));
    QVERIFY(!hasHeader(request.headers, "authorization"));
    QCOMPARE(parse(request.body), parse(readFixture(QStringLiteral("request.anthropic.json"))));

    // What the client gets.
    const QString problem = diffChunks(run.chunks, expectedChunks(name, includeUsage));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(run.completions.isEmpty());
    const QString errorFile = name + QStringLiteral(".error.json");
    if (QFile::exists(QStringLiteral(PORTICO_ANTHROPIC_FIXTURES "/") + errorFile)) {
        QCOMPARE(run.succeeded, 0);
        QCOMPARE(run.errors.size(), 1);
        const QJsonObject want = parse(readFixture(errorFile));
        QCOMPARE(run.errors.first().status, want.value(QLatin1String("status")).toInt());
        QCOMPARE(parse(run.errors.first().toJson()), envelope(want));
    } else {
        QCOMPARE(run.succeeded, 1);
        QCOMPARE(run.errors.size(), 0);
    }
    // Exactly one end, and nothing after it.
    QTest::qWait(50);
    QCOMPARE(run.ends(), 1);
}

void tst_AnthropicProvider::nonStreaming_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("chunked");
    for (const char *name : {"text", "tools", "thinking"}) {
        QTest::addRow("%s sized", name) << QString::fromLatin1(name) << false;
        QTest::addRow("%s chunked", name) << QString::fromLatin1(name) << true;
    }
}

void tst_AnthropicProvider::nonStreaming()
{
    QFETCH(QString, name);
    QFETCH(bool, chunked);

    FakeAnthropic fake;
    fake.reply.contentType = "application/json";
    fake.reply.chunked = chunked;
    fake.reply.pieceBytes = 50;
    fake.reply.body = readFixture(name + QStringLiteral(".json"));
    QJsonObject body = parse(readFixture(QStringLiteral("request.openai.json")));
    body.remove(QStringLiteral("stream"));
    body.remove(QStringLiteral("stream_options"));
    CallRun run(fake, body, false, false);
    run.call->start();
    QVERIFY(run.waitEnd());

    QCOMPARE(fake.requests.size(), 1);
    QCOMPARE(headerValue(fake.requests.first().headers, "accept"), QByteArray("application/json"));
    QJsonObject wantRequest = parse(readFixture(QStringLiteral("request.anthropic.json")));
    wantRequest.remove(QStringLiteral("stream"));
    QCOMPARE(parse(fake.requests.first().body), wantRequest);

    QCOMPARE(run.errors.size(), 0);
    QCOMPARE(run.succeeded, 1);
    QVERIFY(run.chunks.isEmpty());
    QCOMPARE(run.completions.size(), 1);
    QCOMPARE(parse(run.completions.first()),
             parse(readFixture(name + QStringLiteral(".completion.json"))));
}

void tst_AnthropicProvider::httpErrors_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<bool>("stream");
    for (const bool stream : {true, false}) {
        const char *mode = stream ? "stream" : "plain";
        QTest::addRow("529 %s", mode)
            << QStringLiteral("http-529-overloaded") << 529 << QByteArray() << stream;
        QTest::addRow("429 %s", mode) << QStringLiteral("http-429-rate-limit") << 429
                                      << QByteArray("Retry-After: 17\r\n") << stream;
    }
}

void tst_AnthropicProvider::httpErrors()
{
    QFETCH(QString, name);
    QFETCH(int, status);
    QFETCH(QByteArray, headers);
    QFETCH(bool, stream);

    FakeAnthropic fake;
    fake.reply.status = status;
    fake.reply.contentType = "application/json";
    fake.reply.extraHeaders = headers;
    fake.reply.chunked = false;
    fake.reply.body = readFixture(name + QStringLiteral(".body.json"));
    CallRun run(fake, parse(readFixture(QStringLiteral("request.openai.json"))), stream, false);
    run.call->start();
    QVERIFY(run.waitEnd());
    QCOMPARE(run.succeeded, 0);
    QCOMPARE(run.errors.size(), 1);
    QVERIFY(run.chunks.isEmpty());
    const QJsonObject want = parse(readFixture(name + QStringLiteral(".error.json")));
    const ApiError &error = run.errors.first();
    QCOMPARE(error.status, want.value(QLatin1String("status")).toInt());
    QCOMPARE(error.retryAfter, want.value(QLatin1String("retryAfter")).toString().toUtf8());
    QCOMPARE(parse(error.toJson()), envelope(want));
}

void tst_AnthropicProvider::droppedConnection()
{
    FakeAnthropic fake;
    const QByteArray sse = readFixture(QStringLiteral("text.sse"));
    fake.reply.body = sse;
    fake.reply.dropAt = sse.indexOf("event: content_block_stop"); // after all the text deltas
    CallRun run(fake, parse(readFixture(QStringLiteral("request.openai.json"))), true, true);
    run.call->start();
    QVERIFY(run.waitEnd());
    QCOMPARE(run.succeeded, 0);
    QCOMPARE(run.errors.size(), 1);
    QCOMPARE(run.errors.first().status, 502);
    QCOMPARE(run.errors.first().code, QByteArray("upstream_closed"));
    // Everything that arrived before the drop was relayed: role and the three text deltas.
    const QString problem =
        diffChunks(run.chunks, expectedChunks(QStringLiteral("text"), true).mid(0, 4));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void tst_AnthropicProvider::streamEndsWithoutMessageStop()
{
    FakeAnthropic fake;
    const QByteArray sse = readFixture(QStringLiteral("text.sse"));
    fake.reply.body = sse.left(sse.indexOf("event: message_stop")); // a clean but short body
    CallRun run(fake, parse(readFixture(QStringLiteral("request.openai.json"))), true, false);
    run.call->start();
    QVERIFY(run.waitEnd());
    QCOMPARE(run.errors.size(), 1);
    QCOMPARE(run.errors.first().status, 502);
    QVERIFY(run.errors.first().message.contains(QLatin1String("message_stop")));
}

void tst_AnthropicProvider::messageStopWithBodyLeftOpen()
{
    // The whole answer arrives but the upstream neither ends the body nor closes: the call
    // still succeeds (after a short grace period) and lets the connection go.
    FakeAnthropic fake;
    fake.reply.body = readFixture(QStringLiteral("text.sse"));
    fake.reply.hold = true;
    CallRun run(fake, parse(readFixture(QStringLiteral("request.openai.json"))), true, true);
    run.call->start();
    QVERIFY(run.waitEnd(5000));
    QCOMPARE(run.succeeded, 1);
    QCOMPARE(run.errors.size(), 0);
    const QString problem = diffChunks(run.chunks, expectedChunks(QStringLiteral("text"), true));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QTRY_COMPARE(fake.disconnects, 1);
}

void tst_AnthropicProvider::abortClosesUpstream()
{
    FakeAnthropic fake;
    const QByteArray sse = readFixture(QStringLiteral("text.sse"));
    fake.reply.body = sse.left(sse.indexOf("event: content_block_delta"));
    fake.reply.hold = true;
    CallRun run(fake, parse(readFixture(QStringLiteral("request.openai.json"))), true, false);
    run.call->start();
    QTRY_VERIFY(!run.chunks.isEmpty()); // the role chunk arrived; the upstream is still open
    QCOMPARE(fake.disconnects, 0);
    run.call->abort();
    QTRY_COMPARE(fake.disconnects, 1);
    QTest::qWait(50);
    QCOMPARE(run.ends(), 0); // abort() ends the call silently
}

void tst_AnthropicProvider::invalidRequestFailsWithoutCalling()
{
    FakeAnthropic fake;
    CallRun run(fake, parse(R"({"messages":[{"role":"user","content":"hi"},
                                {"role":"assistant","tool_calls":[{"id":"c1","type":"function",
                                 "function":{"name":"f","arguments":"{oops"}}]}]})"),
                true, false);
    run.call->start();
    QCOMPARE(run.ends(), 0); // never from inside start()
    QVERIFY(run.waitEnd());
    QCOMPARE(run.errors.size(), 1);
    QCOMPARE(run.errors.first().status, 400);
    QCOMPARE(run.errors.first().param,
             QStringLiteral("messages[1].tool_calls[0].function.arguments"));
    QCOMPARE(fake.connections, 0);
}

void tst_AnthropicProvider::firstByteTimeout()
{
    FakeAnthropic fake;
    fake.reply.silent = true;
    UpstreamTimeouts timeouts;
    timeouts.firstByteMs = 300;
    CallRun run(fake, parse(readFixture(QStringLiteral("request.openai.json"))), true, false,
                timeouts);
    run.call->start();
    QVERIFY(run.waitEnd());
    QCOMPARE(run.errors.size(), 1);
    QCOMPARE(run.errors.first().status, 504);
    QTRY_COMPARE(fake.disconnects, 1);
}

void tst_AnthropicProvider::redirectNotFollowed()
{
    FakeAnthropic fake;
    fake.reply.status = 307;
    fake.reply.contentType = "text/plain";
    fake.reply.extraHeaders = "Location: " + fake.baseUrl().toEncoded() + "/elsewhere\r\n";
    fake.reply.chunked = false;
    CallRun run(fake, parse(readFixture(QStringLiteral("request.openai.json"))), false, false);
    run.call->start();
    QVERIFY(run.waitEnd());
    QCOMPARE(run.errors.size(), 1);
    QCOMPARE(run.errors.first().status, 502);
    QCOMPARE(run.errors.first().code, QByteArray("upstream_redirect"));
    QCOMPARE(fake.requests.size(), 1);
}

void tst_AnthropicProvider::connectionRefused()
{
    QUrl closedPort;
    {
        FakeAnthropic gone;
        closedPort = gone.baseUrl();
    }
    ProviderConfig config;
    config.id = QStringLiteral("claude");
    config.type = QStringLiteral("anthropic");
    config.baseUrl = closedPort;
    QString error;
    const auto provider = createAnthropicProvider(config, "k", &error);
    QVERIFY2(provider, qPrintable(error));
    CallContext context;
    context.body = parse(R"({"messages":[{"role":"user","content":"hi"}]})");
    context.upstreamModel = QStringLiteral("m");
    context.stream = true;
    QObject parent;
    ProviderCall *call = provider->createCall(context, &parent);
    QList<ApiError> errors;
    connect(call, &ProviderCall::failed, &parent, [&](const ApiError &e) { errors.append(e); });
    call->start();
    QTRY_COMPARE(errors.size(), 1);
    QCOMPARE(errors.first().status, 502);
    QCOMPARE(errors.first().code, QByteArray("upstream_unreachable"));
}

QTEST_GUILESS_MAIN(tst_AnthropicProvider)
#include "tst_anthropicprovider.moc"
