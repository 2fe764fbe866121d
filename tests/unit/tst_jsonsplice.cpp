// Byte-level JSON edits and lookups used on the request path and for the session log.
#include "JsonSplice.h"

#include <QByteArrayList>
#include <QJsonDocument>
#include <QTest>

#include <optional>

using namespace portico;

class TestJsonSplice : public QObject
{
    Q_OBJECT

private slots:
    void replaceModel_data();
    void replaceModel();
    void lookups();
    void objectValues_data();
    void objectValues();
    void objectValuesRejectsNonObjects_data();
    void objectValuesRejectsNonObjects();
    void nestedValuesAtEveryOffset();
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

void TestJsonSplice::objectValues_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArrayList>("keys");     // exactly three, as the call below passes them
    QTest::addColumn<QByteArrayList>("expected"); // raw value text; "<none>": stays empty

    const QByteArray none = "<none>";
    QTest::newRow("several keys, any order")
        << QByteArray(R"({"a":1,"b":"two","c":{"x":[1,2]},"d":null,"e":true})")
        << QByteArrayList{"d", "a", "c"} << QByteArrayList{"null", "1", R"({"x":[1,2]})"};
    QTest::newRow("missing keys stay empty")
        << QByteArray(R"({"a":1,"b":2})") << QByteArrayList{"zz", "b", "A"}
        << QByteArrayList{none, "2", none};
    QTest::newRow("empty object") << QByteArray(" { } ") << QByteArrayList{"a", "b", "c"}
                                  << QByteArrayList{none, none, none};
    QTest::newRow("first occurrence wins")
        << QByteArray(R"({"k":1,"j":"x","k":2,"j":"y","k":3})") << QByteArrayList{"k", "j", "z"}
        << QByteArrayList{"1", R"("x")", none};
    QTest::newRow("first occurrence wins, escaped duplicate")
        << QByteArray(R"({"\u006b":1,"k":2,"j":3,"\u006a":4})") << QByteArrayList{"k", "j", "z"}
        << QByteArrayList{"1", "3", none};
    QTest::newRow("nested objects not searched")
        << QByteArray(R"({"outer":{"inner":1},"list":[{"inner":2}],"s":"\"inner\":3","x":0})")
        << QByteArrayList{"inner", "x", "outer"} << QByteArrayList{none, "0", R"({"inner":1})"};
    QTest::newRow("escaped key names")
        << QByteArray(R"({"mod\u0065l":"m","a\"b":1,"c\\d":2})")
        << QByteArrayList{"model", "a\"b", "c\\d"} << QByteArrayList{R"("m")", "1", "2"};
    QTest::newRow("non-ASCII key, raw and escaped")
        << QByteArray("{\"caf\xc3\xa9\":1,\"\\u00fcber\":2}")
        << QByteArrayList{"caf\xc3\xa9",
                          "\xc3\xbc"
                          "ber",
                          "cafe"}
        << QByteArrayList{"1", "2", none};
    QTest::newRow("whitespace kept inside values, trimmed around them")
        << QByteArray("{\n \"a\" : 1 ,\r\n\t\"b\" : [ 1 , 2 ] , \"c\":\"x y\"\n}")
        << QByteArrayList{"a", "b", "c"} << QByteArrayList{"1", "[ 1 , 2 ]", R"("x y")"};
    QTest::newRow("strings with braces, quotes and backslashes")
        << QByteArray(R"({"a":"}{][,:","b":"q\\","c":"\\\"}","d":-1.5e+3})")
        << QByteArrayList{"d", "c", "b"} << QByteArrayList{"-1.5e+3", R"("\\\"}")", R"("q\\")"};
}

void TestJsonSplice::objectValues()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArrayList, keys);
    QFETCH(QByteArrayList, expected);
    QCOMPARE(keys.size(), 3);
    QVERIFY(!QJsonDocument::fromJson(json).isNull()); // the input is valid JSON

    std::optional<QByteArrayView> values[3];
    QVERIFY(JsonSplice::objectValues(json, {keys[0], keys[1], keys[2]}, values));
    for (int i = 0; i < 3; ++i) {
        const QByteArray got = values[i] ? values[i]->toByteArray() : QByteArray("<none>");
        const QByteArray message = keys[i] + ": got " + got + ", expected " + expected[i];
        QVERIFY2(got == expected[i], message.constData());
        // A value is a view into the input, never a copy.
        if (values[i]) {
            QVERIFY(values[i]->data() >= json.constData());
            QVERIFY(values[i]->data() + values[i]->size() <= json.constData() + json.size());
        }
    }
    // Each key alone gives the same as in the batch.
    for (int i = 0; i < 3; ++i) {
        const auto single = JsonSplice::objectValue(json, keys[i]);
        QCOMPARE(single.has_value(), values[i].has_value());
        if (single)
            QCOMPARE(single->toByteArray(), values[i]->toByteArray());
    }
}

void TestJsonSplice::objectValuesRejectsNonObjects_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("array") << QByteArray(R"([{"a":1}])");
    QTest::newRow("string") << QByteArray(R"("{\"a\":1}")");
    QTest::newRow("number") << QByteArray("42");
    QTest::newRow("null") << QByteArray("null");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("blank") << QByteArray(" \n\t");
}

void TestJsonSplice::objectValuesRejectsNonObjects()
{
    QFETCH(QByteArray, json);
    std::optional<QByteArrayView> values[2];
    QVERIFY(!JsonSplice::objectValues(json, {"a", "b"}, values));
    QVERIFY(!values[0]);
    QVERIFY(!values[1]);
}

// Objects and arrays are skipped by looking for the next structural character sixteen bytes at
// a time: a nested value, with brackets, braces and escaped quotes inside its strings, is found
// whole wherever it falls against those blocks, and so is the key after it.
void TestJsonSplice::nestedValuesAtEveryOffset()
{
    const QByteArray nested =
        R"({"a":"x}]\"{[","b":[1,{"c":"]"},[[],{}]],"d":"\\","e":{"f":{"g":[{"h":"}"}]}}})";
    for (int pad = 0; pad < 40; ++pad) {
        // Escapes in the padding too: a run of backslashes and an escaped quote at every offset.
        const QByteArray padding = QByteArray(pad, 'p') + R"(\\\\\"q\\)";
        const QByteArray json = R"({"pad":")" + padding + R"(","v":)" + nested + R"(,"list":[)" +
                                nested + "," + nested + R"(],"after":42})";
        QVERIFY(QJsonDocument::fromJson(json).isObject());
        QCOMPARE(JsonSplice::objectValue(json, "v").value_or(QByteArrayView()), nested);
        QCOMPARE(JsonSplice::objectValue(json, "after").value_or(QByteArrayView()), "42");
        const auto list = JsonSplice::objectValue(json, "list");
        QVERIFY(list);
        QCOMPARE(JsonSplice::arrayElement(*list, 1).value_or(QByteArrayView()), nested);
    }
}

QTEST_GUILESS_MAIN(TestJsonSplice)
#include "tst_jsonsplice.moc"
