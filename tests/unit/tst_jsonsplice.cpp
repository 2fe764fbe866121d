// Byte-level JSON edits and lookups used on the request path and for the session log.
#include "JsonSplice.h"

#include <QJsonDocument>
#include <QTest>

using namespace portico;

class TestJsonSplice : public QObject
{
    Q_OBJECT

private slots:
    void replaceModel_data();
    void replaceModel();
    void lookups();
};

void TestJsonSplice::replaceModel_data()
{
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QByteArray>("out"); // empty: no such key
    QTest::newRow("simple") << QByteArray(R"({"model":"a","x":1})")
                            << QByteArray(R"({"model":"NEW","x":1})");
    QTest::newRow("spaces kept")
        << QByteArray("{ \"x\" : [1, {\"model\":\"inner\"}] ,\n \"model\" : \"a\" }")
        << QByteArray("{ \"x\" : [1, {\"model\":\"inner\"}] ,\n \"model\" : \"NEW\" }");
    QTest::newRow("nested only") << QByteArray(R"({"x":{"model":"a"}})") << QByteArray();
    QTest::newRow("escaped quote in earlier value")
        << QByteArray(R"({"a":"q\"model\":","model":"m"})")
        << QByteArray(R"({"a":"q\"model\":","model":"NEW"})");
    QTest::newRow("escaped key") << QByteArray(R"({"mod\u0065l":"m"})")
                                 << QByteArray(R"({"mod\u0065l":"NEW"})");
    QTest::newRow("big number kept")
        << QByteArray(R"({"seed":12345678901234567890,"model":"m"})")
        << QByteArray(R"({"seed":12345678901234567890,"model":"NEW"})");
}

void TestJsonSplice::replaceModel()
{
    QFETCH(QByteArray, in);
    QFETCH(QByteArray, out);
    const auto result =
        JsonSplice::replaceTopLevelValue(in, "model", JsonSplice::quote(QStringLiteral("NEW")));
    if (out.isEmpty()) {
        QVERIFY(!result);
    } else {
        QVERIFY(result);
        QCOMPARE(*result, out);
        QVERIFY(!QJsonDocument::fromJson(*result).isNull());
    }
}

void TestJsonSplice::lookups()
{
    const QByteArray completion =
        R"({"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"a \"}\" b"},"finish_reason":"stop"},{"index":1}],"usage":{"total_tokens":3}})";
    const auto choices = JsonSplice::objectValue(completion, "choices");
    QVERIFY(choices);
    const auto first = JsonSplice::arrayElement(*choices, 0);
    QVERIFY(first);
    QCOMPARE(JsonSplice::objectValue(*first, "message")->toByteArray(),
             QByteArray(R"({"role":"assistant","content":"a \"}\" b"})"));
    QCOMPARE(JsonSplice::arrayElement(*choices, 1)->toByteArray(), QByteArray(R"({"index":1})"));
    QVERIFY(!JsonSplice::arrayElement(*choices, 2));
    QCOMPARE(JsonSplice::objectValue(completion, "usage")->toByteArray(),
             QByteArray(R"({"total_tokens":3})"));
    QVERIFY(!JsonSplice::objectValue(completion, "missing"));
    QVERIFY(!JsonSplice::objectValue("[1]", "x"));
    QCOMPARE(JsonSplice::quote(QStringLiteral("a\"b\n")), QByteArray(R"("a\"b\n")"));
}

QTEST_GUILESS_MAIN(TestJsonSplice)
#include "tst_jsonsplice.moc"
