#include "AnthropicErrorMapper.h"
#include "AnthropicResponseTranslator.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

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

// An .error.json fixture without its "status" and "retryAfter" is the OpenAI error envelope.
QJsonObject envelope(QJsonObject fixture)
{
    fixture.remove(QStringLiteral("status"));
    fixture.remove(QStringLiteral("retryAfter"));
    return fixture;
}

} // namespace

class tst_AnthropicResponseTranslator : public QObject
{
    Q_OBJECT
private slots:
    void completions_data();
    void completions();
    void notAMessage();
    void modelFallback();
    void httpErrors_data();
    void httpErrors();
    void httpErrorFixtures_data();
    void httpErrorFixtures();
    void transportErrors_data();
    void transportErrors();
};

void tst_AnthropicResponseTranslator::completions_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("text") << QStringLiteral("text");
    QTest::newRow("tools") << QStringLiteral("tools");
    QTest::newRow("thinking") << QStringLiteral("thinking");
}

void tst_AnthropicResponseTranslator::completions()
{
    QFETCH(QString, name);
    QByteArray completion;
    ApiError error;
    QVERIFY(AnthropicResponseTranslator::toCompletion(
        readFixture(name + QStringLiteral(".json")), QStringLiteral("chatcmpl-fixture"), 1700000000,
        QStringLiteral("claude-sonnet-4-5"), &completion, &error));
    QVERIFY(!completion.contains('\n'));
    const QJsonObject want = parse(readFixture(name + QStringLiteral(".completion.json")));
    QVERIFY2(parse(completion) == want,
             qPrintable(
                 QStringLiteral("got:  %1\nwant: %2")
                     .arg(QString::fromUtf8(completion),
                          QString::fromUtf8(QJsonDocument(want).toJson(QJsonDocument::Compact)))));
}

void tst_AnthropicResponseTranslator::notAMessage()
{
    for (const QByteArray &body : {QByteArray("<html>"), QByteArray("{}"), QByteArray("[1]")}) {
        QByteArray completion;
        ApiError error;
        QVERIFY(!AnthropicResponseTranslator::toCompletion(
            body, QStringLiteral("id"), 1, QStringLiteral("m"), &completion, &error));
        QCOMPARE(error.status, 502);
        QVERIFY(completion.isEmpty());
    }
}

void tst_AnthropicResponseTranslator::modelFallback()
{
    QByteArray completion;
    ApiError error;
    QVERIFY(AnthropicResponseTranslator::toCompletion(
        R"({"content":[],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":0}})",
        QStringLiteral("id"), 1, QStringLiteral("fallback-model"), &completion, &error));
    const QJsonObject object = parse(completion);
    QCOMPARE(object.value(QLatin1String("model")).toString(), QStringLiteral("fallback-model"));
    // No text and no tool calls: an empty string, not null.
    QCOMPARE(object.value(QLatin1String("choices"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QLatin1String("message"))
                 .toObject()
                 .value(QLatin1String("content")),
             QJsonValue(QString()));
}

void tst_AnthropicResponseTranslator::httpErrors_data()
{
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QString>("messagePart");

    QTest::newRow("401 json") << 401
                              << QByteArray(
                                     R"({"type":"error","error":{"type":"authentication_error",
                               "message":"invalid x-api-key"}})")
                              << 401 << QByteArray("authentication_error")
                              << QStringLiteral("invalid x-api-key");
    QTest::newRow("400 json") << 400 << QByteArray(R"({"type":"error","error":{"type":
                                 "invalid_request_error","message":"max_tokens: too big"}})")
                              << 400 << QByteArray("invalid_request_error")
                              << QStringLiteral("max_tokens: too big");
    QTest::newRow("500 api_error")
        << 500 << QByteArray(R"({"type":"error","error":{"type":"api_error",
                                      "message":"Internal server error"}})")
        << 500 << QByteArray("api_error") << QStringLiteral("Internal server error");
    QTest::newRow("502 html") << 502 << QByteArray("<html><body>Bad gateway</body></html>") << 502
                              << QByteArray("api_error") << QStringLiteral("HTTP 502");
    QTest::newRow("404 empty") << 404 << QByteArray() << 404 << QByteArray("not_found_error")
                               << QStringLiteral("HTTP 404");
    QTest::newRow("413 text") << 413 << QByteArray("request too large") << 413
                              << QByteArray("request_too_large")
                              << QStringLiteral("request too large");
    QTest::newRow("redirect") << 301 << QByteArray() << 502 << QByteArray("upstream_error")
                              << QStringLiteral("redirect");
    QTest::newRow("1xx or 600") << 600 << QByteArray() << 502 << QByteArray("api_error")
                                << QStringLiteral("HTTP 600");
}

void tst_AnthropicResponseTranslator::httpErrors()
{
    QFETCH(int, httpStatus);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, type);
    QFETCH(QString, messagePart);

    const ApiError error = AnthropicErrorMapper::fromHttpResponse(httpStatus, body, "3");
    QCOMPARE(error.status, status);
    QCOMPARE(error.type, type);
    QVERIFY2(error.message.contains(messagePart), qPrintable(error.message));
    QCOMPARE(error.retryAfter, QByteArray("3"));
    QVERIFY(error.rawBody.isEmpty()); // always the OpenAI envelope, never Anthropic's shape
    const QJsonObject envelope = parse(error.toJson()).value(QLatin1String("error")).toObject();
    QCOMPARE(envelope.value(QLatin1String("type")).toString(), QString::fromUtf8(type));
}

void tst_AnthropicResponseTranslator::httpErrorFixtures_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::newRow("529") << QStringLiteral("http-529-overloaded") << 529 << QByteArray();
    QTest::newRow("429") << QStringLiteral("http-429-rate-limit") << 429 << QByteArray("17");
}

void tst_AnthropicResponseTranslator::httpErrorFixtures()
{
    QFETCH(QString, name);
    QFETCH(int, httpStatus);
    QFETCH(QByteArray, retryAfter);
    const ApiError error = AnthropicErrorMapper::fromHttpResponse(
        httpStatus, readFixture(name + QStringLiteral(".body.json")), retryAfter);
    const QJsonObject want = parse(readFixture(name + QStringLiteral(".error.json")));
    QCOMPARE(error.status, want.value(QLatin1String("status")).toInt());
    QCOMPARE(error.retryAfter, want.value(QLatin1String("retryAfter")).toString().toUtf8());
    QCOMPARE(parse(error.toJson()), envelope(want));
}

void tst_AnthropicResponseTranslator::transportErrors_data()
{
    QTest::addColumn<UpstreamReply::Error>("error");
    QTest::addColumn<bool>("started");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("code");
    using E = UpstreamReply::Error;
    QTest::newRow("refused") << E::ConnectionRefused << false << 502
                             << QByteArray("upstream_unreachable");
    QTest::newRow("dns") << E::HostNotFound << false << 502 << QByteArray("upstream_unreachable");
    QTest::newRow("tls") << E::Tls << false << 502 << QByteArray("upstream_unreachable");
    QTest::newRow("connect timeout")
        << E::ConnectTimeout << false << 504 << QByteArray("upstream_timeout");
    QTest::newRow("first byte timeout")
        << E::FirstByteTimeout << false << 504 << QByteArray("upstream_timeout");
    QTest::newRow("idle timeout") << E::IdleTimeout << true << 504
                                  << QByteArray("upstream_timeout");
    QTest::newRow("dropped mid-stream")
        << E::ConnectionClosed << true << 502 << QByteArray("upstream_closed");
    QTest::newRow("protocol") << E::Protocol << true << 502 << QByteArray("upstream_protocol");
}

void tst_AnthropicResponseTranslator::transportErrors()
{
    QFETCH(UpstreamReply::Error, error);
    QFETCH(bool, started);
    QFETCH(int, status);
    QFETCH(QByteArray, code);
    const ApiError mapped =
        AnthropicErrorMapper::fromTransport(error, QStringLiteral("detail"), started);
    QCOMPARE(mapped.status, status);
    QCOMPARE(mapped.code, code);
    QVERIFY(mapped.message.contains(QLatin1String("detail")));
}

QTEST_GUILESS_MAIN(tst_AnthropicResponseTranslator)
#include "tst_anthropicresponsetranslator.moc"
