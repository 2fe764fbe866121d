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

QTEST_GUILESS_MAIN(TestLogRecordLine)
#include "tst_logrecordline.moc"
