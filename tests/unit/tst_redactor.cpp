#include "Redactor.h"

#include <QJsonDocument>
#include <QThread>
#include <QtTest>

#include <memory>
#include <vector>

using namespace portico;

class TestRedactor : public QObject
{
    Q_OBJECT

private slots:
    void redactsText_data();
    void redactsText();
    void cleanTextIsNotCopied();
    void bearerFoundAtAnyOffset();
    void shapesFoundAtAnyOffset();
    void redactsJsonEverywhere();
    void leavesOtherJsonAlone();
    void illFormedUtf16StillRedacted();
    void concurrentUse();
};

void TestRedactor::redactsText_data()
{
    QTest::addColumn<QStringList>("secrets");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    const QStringList none;
    QTest::newRow("literal secret") << QStringList{QStringLiteral("hunter2-pass")}
                                    << QStringLiteral("my pass is hunter2-pass, ok")
                                    << QStringLiteral("my pass is [REDACTED], ok");
    QTest::newRow("every occurrence")
        << QStringList{QStringLiteral("s3cr3t-value")}
        << QStringLiteral("s3cr3t-value and s3cr3t-values s3cr3t-value")
        << QStringLiteral("[REDACTED] and [REDACTED]s [REDACTED]");
    QTest::newRow("longest secret first")
        << QStringList{QStringLiteral("abcd1234"), QStringLiteral("abcd1234efgh")}
        << QStringLiteral("x abcd1234efgh y abcd1234")
        << QStringLiteral("x [REDACTED] y [REDACTED]");
    QTest::newRow("regex characters are literal")
        << QStringList{QStringLiteral("p@ss.w*rd(1)")}
        << QStringLiteral("login p@ss.w*rd(1)! not p@ssXw*rd(1)")
        << QStringLiteral("login [REDACTED]! not p@ssXw*rd(1)");
    QTest::newRow("short secret ignored") << QStringList{QStringLiteral("abc")}
                                          << QStringLiteral("abc def") << QStringLiteral("abc def");
    QTest::newRow("upstream error body")
        << QStringList{QStringLiteral("prov-key-0123456789")}
        << QStringLiteral(R"({"error":{"message":"Invalid key prov-key-0123456789"}})")
        << QStringLiteral(R"({"error":{"message":"Invalid key [REDACTED]"}})");
    QTest::newRow("authorization bearer")
        << none << QStringLiteral("Authorization: Bearer abc.def-ghi_123\r\nHost: x")
        << QStringLiteral("Authorization: Bearer [REDACTED]\r\nHost: x");
    QTest::newRow("authorization any case")
        << none << QStringLiteral("authorization: bearer tok_abcdefgh")
        << QStringLiteral("authorization: bearer [REDACTED]");
    QTest::newRow("authorization basic")
        << none << QStringLiteral("Authorization: Basic dXNlcjpwYXNz")
        << QStringLiteral("Authorization: Basic [REDACTED]");
    QTest::newRow("bearer alone") << none << QStringLiteral("sent Bearer 9f8e7d6c5b4a3210 twice")
                                  << QStringLiteral("sent Bearer [REDACTED] twice");
    QTest::newRow("x-api-key header") << none << QStringLiteral("X-Api-Key: 0123456789abcdef")
                                      << QStringLiteral("X-Api-Key: [REDACTED]");
    QTest::newRow("x-api-key in json text")
        << none << QStringLiteral(R"({"x-api-key":"k-abc123456","other":1})")
        << QStringLiteral(R"({"x-api-key":"[REDACTED]","other":1})");
    QTest::newRow("password field") << none << QStringLiteral("user=bob&password=hunter2&x=1")
                                    << QStringLiteral("user=bob&password=[REDACTED]&x=1");
    QTest::newRow("sk- key") << none << QStringLiteral("use sk-proj-AbCdEf0123456789xyz now")
                             << QStringLiteral("use [REDACTED] now");
    QTest::newRow("sk-ant- key") << none
                                 << QStringLiteral("key:sk-ant-api03-AAAAAAAAAAAAAAAAAAAA_b")
                                 << QStringLiteral("key:[REDACTED]");
    QTest::newRow("pt_ token") << none << QStringLiteral("token pt_0123456789abcdefABCD.")
                               << QStringLiteral("token [REDACTED].");
    QTest::newRow("google key") << none
                                << QStringLiteral("k=AIzaSyA1234567890abcdefghijklmnopqrstu")
                                << QStringLiteral("k=[REDACTED]");
    QTest::newRow("xai- key") << none << QStringLiteral("key xai-AbCdEf0123456789xyz end")
                              << QStringLiteral("key [REDACTED] end");
    QTest::newRow("gsk_ key") << none << QStringLiteral("(gsk_AbCdEf0123456789xyz)")
                              << QStringLiteral("([REDACTED])");
    QTest::newRow("name inside a longer word")
        << none << QStringLiteral("mypassword: hunter2") << QStringLiteral("mypassword: hunter2");
    QTest::newRow("name after a dash") << none << QStringLiteral("x-my-api-key: 0123456789")
                                       << QStringLiteral("x-my-api-key: [REDACTED]");
    QTest::newRow("token scheme in json")
        << none << QStringLiteral(R"({"authorization":"Token abcdef123456"})")
        << QStringLiteral(R"({"authorization":"Token [REDACTED]"})");
    QTest::newRow("non-ascii text") << none << QStringLiteral("clé: x, password=héllo-wörld")
                                    << QStringLiteral("clé: x, password=[REDACTED]");
    // Every credential name, in three shapes and mixed case.
    for (const char *name :
         {"authorization", "x-api-key", "x-goog-api-key", "api-key", "api_key", "apikey",
          "password", "passwd", "client-secret", "client_secret", "access-token", "access_token",
          "refresh-token", "refresh_token", "secret-key", "secret_key"}) {
        QString mixed = QString::fromLatin1(name);
        mixed[0] = mixed[0].toUpper();
        mixed[mixed.size() - 1] = mixed[mixed.size() - 1].toUpper();
        QTest::addRow("name %s in JSON", name)
            << none << QStringLiteral(R"({"%1": "s3cr3t-value"})").arg(mixed)
            << QStringLiteral(R"({"%1": "[REDACTED]"})").arg(mixed);
        QTest::addRow("name %s as a header", name)
            << none << QStringLiteral("%1: s3cr3t-value\r\n").arg(mixed)
            << QStringLiteral("%1: [REDACTED]\r\n").arg(mixed);
        QTest::addRow("name %s in a query", name)
            << none << QStringLiteral("a=1&%1=s3cr3t-value&b=2").arg(mixed)
            << QStringLiteral("a=1&%1=[REDACTED]&b=2").arg(mixed);
    }
    const QString harmless = QStringLiteral(
        "sk-learn is a library; the password is required; a bearer of news; risk-free; "
        "task-0123456789abcdefgh; api keys are secret");
    QTest::newRow("lookalikes untouched") << none << harmless << harmless;
}

void TestRedactor::redactsText()
{
    QFETCH(QStringList, secrets);
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const Redactor redactor(secrets);
    QCOMPARE(redactor.redact(input), expected);
    // Idempotent: redacting again changes nothing.
    QCOMPARE(redactor.redact(expected), expected);
    // The same on UTF-8 bytes (ASCII lines are scanned without a conversion to UTF-16).
    QCOMPARE(redactor.redactJsonText(input.toUtf8()), expected.toUtf8());
}

// The byte path looks for "bearer" eight bytes at a time: at every alignment, in any case, after
// other b's that start no "bearer".
// The byte scan looks at sixteen bytes at a time: each shape, one after another or two close
// together, is found wherever it falls against those blocks, as the UTF-16 scan finds it.
void TestRedactor::shapesFoundAtAnyOffset()
{
    const Redactor redactor;
    const QList<QByteArray> shapes = {"sk-abcdefghijklmnop1234",
                                      "xai-ABCDEFGHIJKLMNOP5678",
                                      "pt_abcdefghijklmnopq",
                                      "gsk_abcdefghijklmnopq",
                                      "AIzaSyA1234567890abcdefghijklmnopqrst",
                                      "password=hunter2hunter2",
                                      "apikey=abc",
                                      "x-api-key: k3yk3yk3y",
                                      "\\\"api_key\\\": \\\"v4lu3v4lu3\\\""};
    for (int pad = 0; pad < 40; ++pad) {
        // Anchor characters in the padding that start no shape ("chatcmpl-", "a_b", "Ax").
        const QByteArray padding =
            QByteArray("chatcmpl-x a_b Ax=1 :: ok-- __ Az k- t_ i-").left(pad);
        for (const QByteArray &shape : shapes) {
            for (const QByteArray &between : {QByteArray(" "), QByteArray(" and then, ")}) {
                const QByteArray text =
                    "{\"x\":\"" + padding + ' ' + shape + between + shape + " end\"}";
                const QByteArray bytes = redactor.redactJsonText(text);
                const QString reference = redactor.redact(QString::fromUtf8(text));
                QCOMPARE(bytes, reference.toUtf8());
                QVERIFY2(bytes.count("[REDACTED]") == 2, bytes.constData());
            }
        }
    }
}

void TestRedactor::bearerFoundAtAnyOffset()
{
    const Redactor redactor;
    for (int pad = 0; pad < 33; ++pad) {
        const QByteArray padding = QByteArray("b.......B.......beare.......bx..").left(pad);
        for (const char *scheme : {"Bearer", "bearer", "BEARER"}) {
            const QByteArray text = "{\"x\":\"" + padding + ' ' + scheme + " abcdefgh12345678\"}";
            const QByteArray expected = "{\"x\":\"" + padding + ' ' + scheme + " [REDACTED]\"}";
            QCOMPARE(redactor.redactJsonText(text), expected);
        }
    }
}

void TestRedactor::cleanTextIsNotCopied()
{
    const Redactor redactor({QStringLiteral("some-secret-1")});
    const QString text = QStringLiteral("an ordinary sentence with nothing to hide, long enough");
    const QString out = redactor.redact(text);
    QCOMPARE(out, text);
    QCOMPARE(out.constData(), text.constData());
}

void TestRedactor::redactsJsonEverywhere()
{
    const QString token = QStringLiteral("gw-token-7f3a9c2e1b");
    const QString key = QStringLiteral("prov-secret-55aa77");
    const Redactor redactor({token, key});
    const QJsonObject input{
        {QStringLiteral("messages"),
         QJsonArray{
             QJsonObject{
                 {QStringLiteral("role"), QStringLiteral("user")},
                 {QStringLiteral("content"), QString(QStringLiteral("my token is ") + token)}},
             QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                         {QStringLiteral("content"),
                          QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                                 {QStringLiteral("text"), key}}}}},
         }},
        {QStringLiteral("headers"),
         QJsonObject{{QStringLiteral("Authorization"), QStringLiteral("Bearer whatever-it-is")},
                     {QStringLiteral("X-API-Key"), QStringLiteral("zz")},
                     {QStringLiteral("password"), QStringLiteral("p")}}},
        {QStringLiteral("tool_args"), QStringLiteral(R"({"cmd":"curl -H 'x-api-key: abcdef99'"})")},
        {key, QStringLiteral("a key as a key")},
    };
    const QJsonObject out = redactor.redact(input);
    const QByteArray json = QJsonDocument(out).toJson(QJsonDocument::Compact);
    for (const QString &secret :
         {token, key, QStringLiteral("whatever-it-is"), QStringLiteral("abcdef99")})
        QVERIFY2(!json.contains(secret.toUtf8()), json.constData());

    const QJsonObject headers = out.value(QStringLiteral("headers")).toObject();
    QCOMPARE(headers.value(QStringLiteral("Authorization")).toString(), Redactor::placeholder());
    QCOMPARE(headers.value(QStringLiteral("X-API-Key")).toString(), Redactor::placeholder());
    QCOMPARE(headers.value(QStringLiteral("password")).toString(), Redactor::placeholder());
    const QJsonArray messages = out.value(QStringLiteral("messages")).toArray();
    QCOMPARE(messages.at(0)[QStringLiteral("content")].toString(),
             QStringLiteral("my token is [REDACTED]"));
    QCOMPARE(messages.at(1)[QStringLiteral("content")][0][QStringLiteral("text")].toString(),
             Redactor::placeholder());
    QCOMPARE(out.value(Redactor::placeholder()).toString(), QStringLiteral("a key as a key"));
    // The QJsonValue overload agrees.
    QCOMPARE(redactor.redact(QJsonValue(input)).toObject(), out);
}

void TestRedactor::leavesOtherJsonAlone()
{
    const Redactor redactor({QStringLiteral("secret-1234")});
    const QJsonObject input{
        {QStringLiteral("n"), 42},
        {QStringLiteral("b"), true},
        {QStringLiteral("z"), QJsonValue::Null},
        {QStringLiteral("token"), QStringLiteral("Hello")}, // logprobs use "token": not a secret
        {QStringLiteral("list"), QJsonArray{1, QStringLiteral("two"), QJsonObject{}}},
    };
    QCOMPARE(redactor.redact(input), input);
}

void TestRedactor::illFormedUtf16StillRedacted()
{
    const QString secret = QStringLiteral("lone-surrogate-secret");
    const Redactor redactor({secret});
    const QString text =
        QStringLiteral("before ") + secret + QChar(0xD800) + QStringLiteral(" after");
    const QString out = redactor.redact(text);
    QVERIFY(!out.contains(secret));
    QVERIFY(out.contains(Redactor::placeholder()));
}

void TestRedactor::concurrentUse()
{
    const Redactor redactor({QStringLiteral("shared-secret-xyz")});
    const QString input =
        QStringLiteral("a shared-secret-xyz b Authorization: Bearer abcdefgh12345 c sk-") +
        QString(20, QLatin1Char('q'));
    const QString expected =
        QStringLiteral("a [REDACTED] b Authorization: Bearer [REDACTED] c [REDACTED]");
    std::atomic<int> mismatches{0};
    std::vector<std::unique_ptr<QThread>> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back(QThread::create([&] {
            for (int i = 0; i < 2000; ++i) {
                if (redactor.redact(input) != expected)
                    ++mismatches;
            }
        }));
        threads.back()->start();
    }
    for (auto &t : threads)
        QVERIFY(t->wait(60'000));
    QCOMPARE(mismatches.load(), 0);
    QCOMPARE(redactor.redact(input), expected);
}

QTEST_GUILESS_MAIN(TestRedactor)
#include "tst_redactor.moc"
