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
    void rawContentIsWrittenAsIs();
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
    // length around that, and a non-ASCII character at each position, take the right path.
    const QString ascii = QStringLiteral("abcdefghijklmnopqrstu");
    for (qsizetype length = 0; length <= ascii.size(); ++length) {
        LogRecord r = full;
        r.provider = ascii.left(length);
        r.agent = ascii.left(length) + QStringLiteral("é") + ascii.left(length % 5);
        r.upstreamModel = QStringLiteral("中") + ascii.left(length);
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

void TestLogRecordLine::rawContentIsWrittenAsIs()
{
    LogRecord r;
    r.time = 1;
    r.rawRequestMessages = R"([ {"role":"user", "content":"kept as sent"} ])";
    r.rawResponse = R"({"role":"assistant","content":"x","x_extra":1})";
    const QByteArray line = r.toJsonLine();
    QVERIFY(line.contains(r.rawRequestMessages));
    QVERIFY(line.contains(r.rawResponse));
    LogRecord back;
    QVERIFY(LogRecord::fromJsonLine(line.chopped(1), &back));
    QCOMPARE(back.requestMessages.size(), 1);
    QCOMPARE(back.response.value(QStringLiteral("x_extra")).toInt(), 1);
    QVERIFY(!r.toJsonLine(false).contains("kept as sent"));
}

QTEST_GUILESS_MAIN(TestLogRecordLine)
#include "tst_logrecordline.moc"
