// Request validation: every malformed body gets a 400 in the OpenAI error envelope naming the
// field, over real loopback HTTP.
#include "GatewayFixture.h"
#include "TestHttpClient.h"

#include <QJsonArray>
#include <QTest>

using portico::HeaderList;

namespace {
const HeaderList kHeaders{{"Authorization", "Bearer " + TestHttpClient::defaultToken()},
                          {"Content-Type", "application/json"}};
const QByteArray kMessages = R"("messages":[{"role":"user","content":"hi"}])";
} // namespace

class TestGatewayValidation : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void badBodies_data();
    void badBodies();
    void validBodiesPass_data();
    void validBodiesPass();

private:
    GatewayFixture m_fixture;
};

void TestGatewayValidation::initTestCase()
{
    QVERIFY(m_fixture.start());
}

void TestGatewayValidation::badBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("param"); // "" = JSON null
    QTest::newRow("not json") << QByteArray("{nope") << QString();
    QTest::newRow("empty body") << QByteArray() << QString();
    QTest::newRow("array body") << QByteArray("[1,2]") << QString();
    QTest::newRow("missing model") << QByteArray("{" + kMessages + "}") << "model";
    QTest::newRow("model not a string") << QByteArray("{\"model\":5," + kMessages + "}") << "model";
    QTest::newRow("missing messages") << QByteArray(R"({"model":"m"})") << "messages";
    QTest::newRow("messages not array")
        << QByteArray(R"({"model":"m","messages":"hi"})") << "messages";
    QTest::newRow("messages empty") << QByteArray(R"({"model":"m","messages":[]})") << "messages";
    QTest::newRow("message not object")
        << QByteArray(R"({"model":"m","messages":[1]})") << "messages[0]";
    QTest::newRow("bad role")
        << QByteArray(R"({"model":"m","messages":[{"role":"wizard","content":"x"}]})")
        << "messages[0].role";
    QTest::newRow("content number")
        << QByteArray(R"({"model":"m","messages":[{"role":"user","content":5}]})")
        << "messages[0].content";
    QTest::newRow("stream not bool")
        << QByteArray("{\"model\":\"m\",\"stream\":\"yes\"," + kMessages + "}") << "stream";
    QTest::newRow("temperature too high")
        << QByteArray("{\"model\":\"m\",\"temperature\":3," + kMessages + "}") << "temperature";
    QTest::newRow("temperature string")
        << QByteArray("{\"model\":\"m\",\"temperature\":\"hot\"," + kMessages + "}")
        << "temperature";
    QTest::newRow("top_p negative")
        << QByteArray("{\"model\":\"m\",\"top_p\":-0.1," + kMessages + "}") << "top_p";
    QTest::newRow("n zero") << QByteArray("{\"model\":\"m\",\"n\":0," + kMessages + "}") << "n";
    QTest::newRow("max_tokens fraction")
        << QByteArray("{\"model\":\"m\",\"max_tokens\":1.5," + kMessages + "}") << "max_tokens";
    QTest::newRow("stop too many")
        << QByteArray("{\"model\":\"m\",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]," + kMessages +
                      "}")
        << "stop";
    QTest::newRow("tools not array")
        << QByteArray("{\"model\":\"m\",\"tools\":{}," + kMessages + "}") << "tools";
    QTest::newRow("lone surrogate")
        << QByteArray(R"({"model":"m","messages":[{"role":"user","content":"a\ud800b"}]})")
        << "messages[0].content";
    QTest::newRow("NUL in string")
        << QByteArray(R"({"model":"m","messages":[{"role":"user","content":"a\u0000b"}]})")
        << "messages[0].content";
    QTest::newRow("stream_options not object")
        << QByteArray("{\"model\":\"m\",\"stream_options\":true," + kMessages + "}")
        << "stream_options";
}

void TestGatewayValidation::badBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, param);
    TestHttpClient client(m_fixture.port());
    const TestResponse r = client.request("POST", "/v1/chat/completions", kHeaders, body);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
    const QJsonObject error = r.json().value(QStringLiteral("error")).toObject();
    QCOMPARE(error.value(QStringLiteral("type")).toString(),
             QStringLiteral("invalid_request_error"));
    QVERIFY(!error.value(QStringLiteral("message")).toString().isEmpty());
    QVERIFY(error.contains(QStringLiteral("code")));
    if (param.isEmpty())
        QVERIFY(error.value(QStringLiteral("param")).isNull());
    else
        QCOMPARE(error.value(QStringLiteral("param")).toString(), param);
}

void TestGatewayValidation::validBodiesPass_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("minimal") << QByteArray("{\"model\":\"agent:main\"," + kMessages + "}");
    QTest::newRow("surrogate pair is fine") << QByteArray(
        R"({"model":"agent:main","messages":[{"role":"user","content":"\ud83d\ude00"}]})");
    QTest::newRow("content parts") << QByteArray(
        R"({"model":"agent:main","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]})");
    QTest::newRow("unknown fields")
        << QByteArray("{\"model\":\"agent:main\",\"x_vendor\":{\"a\":1}," + kMessages + "}");
    QTest::newRow("json with charset")
        << QByteArray("{\"model\":\"agent:main\",\"temperature\":0," + kMessages + "}");
}

void TestGatewayValidation::validBodiesPass()
{
    QFETCH(QByteArray, body);
    TestHttpClient client(m_fixture.port());
    HeaderList headers = kHeaders;
    headers[1].second = "application/json; charset=utf-8";
    const TestResponse r = client.request("POST", "/v1/chat/completions", headers, body);
    QCOMPARE(r.status, 200);
}

QTEST_GUILESS_MAIN(TestGatewayValidation)
#include "tst_gatewayvalidation.moc"
