// The hand-written session log line must be the very bytes QJsonDocument would write.
#include "LogRecord.h"

#include <QJsonDocument>
#include <QTest>

using namespace portico;

Q_DECLARE_METATYPE(portico::LogRecord)

class TestLogRecordLine : public QObject
{
    Q_OBJECT

private slots:
    void matchesQJsonDocument_data();
    void matchesQJsonDocument();
    void rawContentIsWrittenOnOneLine_data();
    void rawContentIsWrittenOnOneLine();
    void unreadableAnswerKeptAsText_data();
    void unreadableAnswerKeptAsText();
    void completionReadOffItsText_data();
    void completionReadOffItsText();
};

void TestLogRecordLine::matchesQJsonDocument_data()
{
    QTest::addColumn<LogRecord>("record");
    LogRecord empty;
    QTest::newRow("empty") << empty;
    LogRecord full;
    full.time = 1700000000123;
    full.requestId = QStringLiteral("chatcmpl-1");
    full.sessionKey = QStringLiteral("s:1");
    full.agent = QStringLiteral("main");
    full.provider = QStringLiteral("local");
    full.upstreamModel = QStringLiteral("llama3.2");
    full.clientTokenName = QStringLiteral("VS Code");
    full.status = 200;
    full.latencyMs = 12;
    full.ttftMs = 3;
    full.stream = true;
    full.usage = {5, 7, 12};
    full.requestMessages = QJsonDocument::fromJson(R"([{"role":"user","content":"hi"}])").array();
    full.response = QJsonDocument::fromJson(R"({"role":"assistant","content":"yo"})").object();
    QTest::newRow("full") << full;
    LogRecord odd = full;
    QString text;
    for (char16_t c = 0; c < 0x80; ++c)
        text += QChar(c);
    text += QStringLiteral("é中😀") + QChar(0x2028);
    odd.error = text;
    odd.agent = QString();
    odd.usage = {-1, 4, -1};
    QTest::newRow("escapes, unicode, partial usage") << odd;
    // Strings that need no escape are narrowed eight units at a time when they are ASCII: every
    // length around that, and a non-ASCII character or an escape at each position, take the
    // right path.
    const QString ascii = QStringLiteral("abcdefghijklmnopqrstu");
    for (qsizetype length = 0; length <= ascii.size(); ++length) {
        LogRecord r = full;
        r.provider = ascii.left(length);
        r.agent = ascii.left(length) + QStringLiteral("é") + ascii.left(length % 5);
        r.upstreamModel = QStringLiteral("中") + ascii.left(length);
        r.sessionKey =
            ascii.left(length) + QStringLiteral("\"\\\t~") + QChar(0x7f) + ascii.left(length % 9);
        QTest::addRow("plain strings of %d", int(length)) << r;
    }
}

void TestLogRecordLine::matchesQJsonDocument()
{
    QFETCH(LogRecord, record);
    QCOMPARE(record.toJsonLine(),
             QJsonDocument(record.toJson()).toJson(QJsonDocument::Compact) + '\n');
    LogRecord bare = record;
    bare.dropContent();
    QCOMPARE(record.toJsonLine(false), bare.toJsonLine());
}

void TestLogRecordLine::rawContentIsWrittenOnOneLine_data()
{
    // The client's messages and the upstream's message as raw JSON, and what the line holds.
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("written");
    QTest::newRow("compact") << QByteArray(R"([{"role":"user","content":"kept as sent"}])")
                             << QByteArray(R"([{"role":"user","content":"kept as sent"}])");
    QTest::newRow("pretty-printed")
        << QByteArray("[\n  {\r\n\t\"role\" : \"user\",\n   \"content\": \"a  b\\n\"}\n]\n")
        << QByteArray(R"([{"role":"user","content":"a  b\n"}])");
    QTest::newRow("escapes kept") << QByteArray(R"([ {"content":"q\" \\ \" \\"} ])")
                                  << QByteArray(R"([{"content":"q\" \\ \" \\"}])");
    QTest::newRow("compact with escapes and spaces in strings")
        << QByteArray(R"([{"content":"q\" {\\ [x] \"\\"}])")
        << QByteArray(R"([{"content":"q\" {\\ [x] \"\\"}])");
    QTest::newRow("escaped control character")
        << QByteArray("[{\"content\":\"a\\\nb\"}]") << QByteArray(R"([{"content":"a\nb"}])");
    QTest::newRow("control characters in a string (not JSON)")
        << QByteArray("[{\"content\":\"a\nb\tc\r\"}]")
        << QByteArray(R"([{"content":"a\u000ab\u0009c\u000d"}])");
    QTest::newRow("non-ASCII") << QByteArray("[ {\"content\" : \"h\xc3\xa9 \xe2\x82\xac\"} ]")
                               << QByteArray("[{\"content\":\"h\xc3\xa9 \xe2\x82\xac\"}]");
}

void TestLogRecordLine::rawContentIsWrittenOnOneLine()
{
    // One record, one line of the file, whatever the bytes: JSON text goes in without the
    // whitespace between its tokens and with no raw control character.
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, written);
    LogRecord r;
    r.time = 1;
    r.rawRequestMessages = raw;
    r.rawResponse = R"({"role":"assistant",
        "content":"x","x_extra":1})";
    const QByteArray line = r.toJsonLine();
    QCOMPARE(line.count('\n'), 1);
    QVERIFY(line.endsWith('\n'));
    QVERIFY2(line.contains(QByteArray("\"requestMessages\":" + written + ",")), line.constData());
    QVERIFY(line.contains(R"("response":{"role":"assistant","content":"x","x_extra":1})"));
    LogRecord back;
    QVERIFY(LogRecord::fromJsonLine(line.chopped(1), &back));
    QCOMPARE(back.requestMessages.size(), 1);
    QCOMPARE(back.response.value(QStringLiteral("x_extra")).toInt(), 1);
    QVERIFY(!r.toJsonLine(false).contains("\"content\""));
}

void TestLogRecordLine::unreadableAnswerKeptAsText_data()
{
    // An upstream's message is relayed to the client as it came; when it is not JSON, the line
    // must still read, with the message's text in it.
    QTest::addColumn<QByteArray>("raw");
    QTest::newRow("backslash between tokens")
        << QByteArray(R"({"role":"assistant",\"content":"x"})");
    QTest::newRow("invalid UTF-8") << QByteArray("{\"content\":\"caf\xe9\"}");
    QTest::newRow("number out of range") << QByteArray(R"({"content":"x","n":1e400})");
    QTest::newRow("unknown escape") << QByteArray(R"({"content":"a\qb"})");
    QTest::newRow("no colon") << QByteArray(R"({"content" "x"})");
    QTest::newRow("control character between tokens") << QByteArray("{\"content\":\"x\"\x01}");
    QTest::newRow("cut short") << QByteArray(R"({"content":"x)");
    QTest::newRow("two values") << QByteArray(R"({"content":"x"} {})");
}

void TestLogRecordLine::unreadableAnswerKeptAsText()
{
    QFETCH(QByteArray, raw);
    LogRecord r;
    r.time = 1;
    r.rawResponse = raw;
    const QByteArray line = r.toJsonLine();
    QCOMPARE(line.count('\n'), 1);
    LogRecord back;
    QVERIFY2(LogRecord::fromJsonLine(line.chopped(1), &back), line.constData());
    QCOMPARE(back.response.value(QStringLiteral("content")).toString(), QString::fromUtf8(raw));
    // The object form says the same.
    QCOMPARE(line, QJsonDocument(r.toJson()).toJson(QJsonDocument::Compact) + '\n');
    // And an answer that reads is copied as it came, not kept as text.
    r.rawResponse = R"({"content":"caf\u00e9","n":123456789012345678901234567890123456789})";
    QVERIFY(r.toJsonLine().contains(QByteArray("\"response\":" + r.rawResponse + ',')));
}

void TestLogRecordLine::completionReadOffItsText_data()
{
    // A relayed answer reaches the log as the upstream's whole completion; its message and usage
    // are read out of the text on the log's thread.
    QTest::addColumn<QByteArray>("completion");
    QTest::addColumn<QByteArray>("message"); // the raw message the line carries, or empty
    QTest::addColumn<QString>("content");    // the response's content once read back
    QTest::addColumn<qint64>("prompt");
    QTest::addColumn<qint64>("completionTokens");
    QTest::addColumn<qint64>("total");
    QTest::newRow("relayed")
        << QByteArray(R"({"id":"c-1","object":"chat.completion","choices":[{"index":0,)"
                      R"("message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],)"
                      R"("usage":{"prompt_tokens":8,"completion_tokens":2,"total_tokens":10}})")
        << QByteArray(R"({"role":"assistant","content":"Hi"})") << QStringLiteral("Hi") << qint64(8)
        << qint64(2) << qint64(10);
    QTest::newRow("usage first, spaced, integral doubles")
        << QByteArray(R"({ "usage" : {"total_tokens": 1e3, "prompt_tokens":12.0},)"
                      R"( "choices" : [ { "message" : {"content":"a\"b"} } ] })")
        << QByteArray(R"({"content":"a\"b"})") << QStringLiteral("a\"b") << qint64(12) << qint64(-1)
        << qint64(1000);
    QTest::newRow("no usage") << QByteArray(R"({"choices":[{"message":{"content":"x"}}]})")
                              << QByteArray(R"({"content":"x"})") << QStringLiteral("x")
                              << qint64(-1) << qint64(-1) << qint64(-1);
    QTest::newRow("a key like usage inside a string")
        << QByteArray(R"({"id":"\"usage\":{\"total_tokens\":5}","choices":[{"message":)"
                      R"({"content":"y"}}],"usage":{"total_tokens":7}})")
        << QByteArray(R"({"content":"y"})") << QStringLiteral("y") << qint64(-1) << qint64(-1)
        << qint64(7);
    QTest::newRow("message not an object: no response, usage kept")
        << QByteArray(R"({"choices":[{"message":"x"}],"usage":{"prompt_tokens":3}})")
        << QByteArray() << QString() << qint64(3) << qint64(-1) << qint64(-1);
    QTest::newRow("no choices") << QByteArray(R"({"error":{"message":"x"}})") << QByteArray()
                                << QString() << qint64(-1) << qint64(-1) << qint64(-1);
    QTest::newRow("not JSON") << QByteArray("Hello") << QByteArray() << QString() << qint64(-1)
                              << qint64(-1) << qint64(-1);
}

void TestLogRecordLine::completionReadOffItsText()
{
    QFETCH(QByteArray, completion);
    QFETCH(QByteArray, message);
    QFETCH(QString, content);
    QFETCH(qint64, prompt);
    QFETCH(qint64, completionTokens);
    QFETCH(qint64, total);
    LogRecord unread;
    unread.time = 1;
    unread.status = 200;
    unread.rawCompletion = completion;
    QVERIFY(unread.hasContent());
    const LogRecord::Usage usage{prompt, completionTokens, total};

    // The line and the object of a record not read yet say what they say once it is read.
    LogRecord read = unread;
    read.readCompletion();
    QVERIFY(read.rawCompletion.isEmpty());
    QCOMPARE(read.rawResponse, message);
    QCOMPARE(read.usage, usage);
    QCOMPARE(unread.toJsonLine(), read.toJsonLine());
    QCOMPARE(unread.toJson(), read.toJson());
    QCOMPARE(QJsonDocument::fromJson(read.toJsonLine()).object(), read.toJson());
    LogRecord back;
    QVERIFY(LogRecord::fromJsonLine(read.toJsonLine().chopped(1), &back));
    QCOMPARE(back.response.value(QStringLiteral("content")).toString(), content);
    QCOMPARE(back.usage, usage);
    read.readCompletion(); // a second time: nothing to read
    QCOMPARE(read.rawResponse, message);

    // Without content, the usage stays.
    LogRecord bare = unread;
    bare.dropContent();
    QVERIFY(!bare.hasContent());
    QCOMPARE(bare.usage, usage);
    QVERIFY(!bare.toJsonLine().contains("\"response\""));
}

QTEST_GUILESS_MAIN(TestLogRecordLine)
#include "tst_logrecordline.moc"
