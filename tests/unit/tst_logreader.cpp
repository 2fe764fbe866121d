#include "LogCommand.h"
#include "LogReader.h"
#include "LogRecord.h"
#include "SessionLogFiles.h"

#include <QBuffer>
#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>
#include <QtTest>

using namespace portico;

Q_DECLARE_METATYPE(portico::LogFilter)

namespace {

QDate today()
{
    return QDateTime::currentDateTimeUtc().date();
}

LogRecord makeRecord(const QString &id, qint64 time, const QString &session = {},
                     const QString &agent = QStringLiteral("coder"),
                     const QString &model = QStringLiteral("gpt-4o"), int status = 200,
                     const QString &userText = {})
{
    LogRecord r;
    r.time = time;
    r.requestId = id;
    r.sessionKey = session;
    r.agent = agent;
    r.provider = QStringLiteral("openai");
    r.upstreamModel = model;
    r.status = status;
    r.latencyMs = 100 + time % 900;
    r.requestMessages = QJsonArray{
        QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                    {QStringLiteral("content"),
                     userText.isEmpty() ? QString(QStringLiteral("Question ") + id) : userText}}};
    r.response = QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                             {QStringLiteral("content"), QString(QStringLiteral("Answer ") + id)}};
    return r;
}

void appendTo(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
    QCOMPARE(f.write(bytes), bytes.size());
}

void appendRecords(const QString &path, const QList<LogRecord> &records)
{
    QByteArray bytes;
    for (const LogRecord &r : records)
        bytes += r.toJsonLine();
    appendTo(path, bytes);
}

QStringList idList(std::initializer_list<const char *> names)
{
    QStringList out;
    for (const char *n : names)
        out.append(QString::fromLatin1(n));
    return out;
}

QStringList ids(const QList<LogRecord> &records)
{
    QStringList out;
    for (const LogRecord &r : records)
        out.append(r.requestId);
    return out;
}

QList<LogRecord> readAllRecords(LogReader &reader)
{
    QList<LogRecord> out;
    LogRecord r;
    while (reader.next(&r))
        out.append(r);
    return out;
}

} // namespace

class TestLogReader : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void newestFirstAcrossFiles_data();
    void newestFirstAcrossFiles();
    void longLineAcrossBlocks();
    void filters_data();
    void filters();
    void skipsTornAndBrokenLines();
    void snapshotIgnoresLaterRecords();
    void readsIncrementally();
    void cancel();
    void readLineAndExport();
    void parseLogTime_data();
    void parseLogTime();
    void commandSessionHuman();
    void commandSince();
    void commandJson();
    void commandLimitAndUsage();

private:
    QTemporaryDir m_dir;        // the filter/command fixture
    QList<LogRecord> m_fixture; // oldest first, as written
    qint64 m_now = 0;
};

void TestLogReader::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_now = QDateTime::currentMSecsSinceEpoch();
    const qint64 min = 60'000;
    const QString longText = QStringLiteral("Please review ") + QString(200, QLatin1Char('x'));
    m_fixture = {
        makeRecord(QStringLiteral("a1"), m_now - 3 * 24 * 60 * min, QStringLiteral("s1")),
        makeRecord(QStringLiteral("a2"), m_now - 2 * 24 * 60 * min, QStringLiteral("s2"),
                   QStringLiteral("writer"), QStringLiteral("claude-3"), 429),
        makeRecord(QStringLiteral("a3"), m_now - 180 * min, QStringLiteral("s1"),
                   QStringLiteral("coder"), QStringLiteral("gpt-4o"), 200,
                   QStringLiteral("Grüße an die ÄPFEL")),
        makeRecord(QStringLiteral("a4"), m_now - 90 * min, QStringLiteral("s2"),
                   QStringLiteral("writer"), QStringLiteral("gpt-4o"), 502),
        makeRecord(QStringLiteral("a5"), m_now - 10 * min, QStringLiteral("s1"),
                   QStringLiteral("coder"), QStringLiteral("claude-3"), 200, longText),
        makeRecord(QStringLiteral("a6"), m_now - 1 * min, QString(), QStringLiteral("coder"),
                   QStringLiteral("gpt-4o"), 400),
    };
    m_fixture[3].error = QStringLiteral("upstream went away");
    // One file per record day; today's records split across two files of the day.
    for (const LogRecord &r : std::as_const(m_fixture)) {
        const QDate day = SessionLogFiles::dayOf(r.time);
        const int index = (day == today() && r.requestId >= QStringLiteral("a5")) ? 1 : 0;
        appendRecords(m_dir.filePath(SessionLogFiles::fileName(day, index)), {r});
    }
}

void TestLogReader::newestFirstAcrossFiles_data()
{
    QTest::addColumn<qint64>("blockSize");
    QTest::newRow("tiny blocks") << qint64(16);
    QTest::newRow("blocks of a few lines") << qint64(700);
    QTest::newRow("default") << LogReader::DefaultBlockSize;
}

void TestLogReader::newestFirstAcrossFiles()
{
    QFETCH(qint64, blockSize);
    QTemporaryDir dir;
    QList<LogRecord> written;
    const QDate first = today().addDays(-3);
    int n = 0;
    for (int d = 0; d < 3; ++d) {
        for (int index = 0; index < 2; ++index) {
            QList<LogRecord> chunk;
            for (int i = 0; i < 7; ++i, ++n) {
                chunk.append(makeRecord(QStringLiteral("r%1").arg(n, 3, 10, QLatin1Char('0')),
                                        SessionLogFiles::dayStartMs(first.addDays(d)) + n * 1000));
            }
            appendRecords(dir.filePath(SessionLogFiles::fileName(first.addDays(d), index)), chunk);
            written += chunk;
        }
    }
    LogReader reader(dir.path());
    reader.setBlockSize(blockSize);
    QCOMPARE(reader.files().size(), 6);
    QList<LogRecord> read;
    for (QList<LogRecord> batch = reader.nextBatch(5); !batch.isEmpty();
         batch = reader.nextBatch(5)) {
        QVERIFY(batch.size() == 5 || reader.atEnd());
        read += batch;
    }
    QVERIFY(reader.atEnd());
    std::reverse(written.begin(), written.end());
    QCOMPARE(read, written);
    QCOMPARE(reader.bytesScanned(), reader.bytesTotal());
    QCOMPARE(reader.unreadableLines(), 0);
}

void TestLogReader::longLineAcrossBlocks()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(SessionLogFiles::fileName(today(), 0));
    const qint64 t = QDateTime::currentMSecsSinceEpoch();
    const QList<LogRecord> records{makeRecord(QStringLiteral("small1"), t),
                                   makeRecord(QStringLiteral("huge"), t + 1, {},
                                              QStringLiteral("coder"), QStringLiteral("gpt-4o"),
                                              200, QString(300'000, QLatin1Char('h'))),
                                   makeRecord(QStringLiteral("small2"), t + 2)};
    appendRecords(path, records);
    LogReader reader(dir.path());
    reader.setBlockSize(1024);
    const QList<LogRecord> read = readAllRecords(reader);
    QCOMPARE(ids(read), (QStringList{QStringLiteral("small2"), QStringLiteral("huge"),
                                     QStringLiteral("small1")}));
    QCOMPARE(read.at(1), records.at(1));
}

void TestLogReader::filters_data()
{
    QTest::addColumn<LogFilter>("filter");
    QTest::addColumn<QStringList>("expected"); // newest first

    const qint64 min = 60'000;
    const auto f = [] { return LogFilter(); };
    QTest::newRow("all") << f() << idList({"a6", "a5", "a4", "a3", "a2", "a1"});
    LogFilter since = f();
    since.since = m_now - 100 * min;
    QTest::newRow("since") << since << idList({"a6", "a5", "a4"});
    LogFilter range = f();
    range.since = m_now - 200 * min;
    range.until = m_now - 10 * min; // exclusive
    QTest::newRow("since and until") << range << idList({"a4", "a3"});
    LogFilter old = f();
    old.until = m_now - 24 * 60 * min;
    QTest::newRow("until") << old << idList({"a2", "a1"});
    LogFilter session = f();
    session.sessionKey = QStringLiteral("s1");
    QTest::newRow("session") << session << idList({"a5", "a3", "a1"});
    LogFilter agent = f();
    agent.agent = QStringLiteral("writer");
    QTest::newRow("agent") << agent << idList({"a4", "a2"});
    LogFilter model = f();
    model.model = QStringLiteral("claude-3");
    QTest::newRow("model") << model << idList({"a5", "a2"});
    LogFilter errors = f();
    errors.statusFrom = 400;
    QTest::newRow("status >= 400") << errors << idList({"a6", "a4", "a2"});
    LogFilter fivexx = f();
    fivexx.statusFrom = 500;
    fivexx.statusTo = 599;
    QTest::newRow("5xx") << fivexx << idList({"a4"});
    LogFilter text = f();
    text.text = QStringLiteral("ANSWER A3");
    QTest::newRow("text any case") << text << idList({"a3"});
    LogFilter unicode = f();
    unicode.text = QStringLiteral("äpfel");
    QTest::newRow("text non-ascii") << unicode << idList({"a3"});
    LogFilter errorText = f();
    errorText.text = QStringLiteral("went away");
    QTest::newRow("text in error") << errorText << idList({"a4"});
    LogFilter combined = f();
    combined.sessionKey = QStringLiteral("s1");
    combined.model = QStringLiteral("gpt-4o");
    combined.since = m_now - 4 * 24 * 60 * min;
    QTest::newRow("combined") << combined << idList({"a3", "a1"});
    LogFilter none = f();
    none.sessionKey = QStringLiteral("nobody");
    QTest::newRow("no match") << none << QStringList();
}

void TestLogReader::filters()
{
    QFETCH(LogFilter, filter);
    QFETCH(QStringList, expected);
    LogReader reader(m_dir.path(), filter);
    reader.setBlockSize(64);
    const QList<LogRecord> read = readAllRecords(reader);
    QCOMPARE(ids(read), expected);
    for (const LogRecord &r : read)
        QVERIFY(filter.matches(r) && filter.matchesText(r.toJsonLine()));
}

void TestLogReader::skipsTornAndBrokenLines()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(SessionLogFiles::fileName(today(), 0));
    const qint64 t = QDateTime::currentMSecsSinceEpoch();
    appendRecords(path, {makeRecord(QStringLiteral("one"), t)});
    appendTo(path, "this is not json\n");
    appendRecords(path, {makeRecord(QStringLiteral("two"), t + 1)});
    // A line still being written (or torn by a crash) has no '\n' yet.
    appendTo(path, makeRecord(QStringLiteral("partial"), t + 2).toJsonLine().chopped(1));
    LogReader reader(dir.path());
    reader.setBlockSize(32);
    QCOMPARE(ids(readAllRecords(reader)), (idList({"two", "one"})));
    QCOMPARE(reader.unreadableLines(), 1);
}

void TestLogReader::snapshotIgnoresLaterRecords()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(SessionLogFiles::fileName(today(), 0));
    const qint64 t = QDateTime::currentMSecsSinceEpoch();
    appendRecords(path, {makeRecord(QStringLiteral("before"), t)});
    LogReader reader(dir.path());
    appendRecords(path, {makeRecord(QStringLiteral("after"), t + 1)});
    QCOMPARE(ids(readAllRecords(reader)), QStringList{QStringLiteral("before")});
    LogReader fresh(dir.path());
    QCOMPARE(ids(readAllRecords(fresh)), (idList({"after", "before"})));
}

void TestLogReader::readsIncrementally()
{
    QTemporaryDir dir;
    QList<LogRecord> records;
    const qint64 t = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < 20'000; ++i)
        records.append(makeRecord(QString::number(i), t + i));
    appendRecords(dir.filePath(SessionLogFiles::fileName(today(), 0)), records);
    LogReader reader(dir.path());
    const QList<LogRecord> page = reader.nextBatch(100);
    QCOMPARE(page.size(), 100);
    QCOMPARE(page.first().requestId, QStringLiteral("19999"));
    QCOMPARE(page.last().requestId, QStringLiteral("19900"));
    // Only about a block was read for the first page, not the whole log.
    QVERIFY(reader.bytesScanned() <= 2 * LogReader::DefaultBlockSize);
    QVERIFY(reader.bytesTotal() > 10 * reader.bytesScanned());
}

void TestLogReader::cancel()
{
    LogReader reader(m_dir.path());
    LogRecord r;
    QVERIFY(reader.next(&r));
    reader.cancel();
    QVERIFY(reader.isCanceled());
    QVERIFY(!reader.next(&r));
    QVERIFY(!reader.atEnd());
}

void TestLogReader::readLineAndExport()
{
    LogReader reader(m_dir.path());
    const QList<LogRecord> records = readAllRecords(reader);
    QCOMPARE(records.size(), m_fixture.size());

    LogReader again(m_dir.path());
    LogRecord r;
    QByteArray raw;
    LogLocation where;
    QVERIFY(again.next(&r, &raw, &where));
    QCOMPARE(again.readLine(where), raw);
    QCOMPARE(raw + '\n', r.toJsonLine());

    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::WriteOnly));
    QVERIFY(LogReader::exportJsonl(records, &buffer));
    const QList<QByteArray> lines = buffer.data().split('\n');
    QCOMPARE(lines.size(), records.size() + 1);
    QVERIFY(lines.last().isEmpty());
    for (qsizetype i = 0; i < records.size(); ++i) {
        LogRecord back;
        QVERIFY(LogRecord::fromJsonLine(lines.at(i), &back));
        QCOMPARE(back, records.at(i));
    }
    QBuffer readOnly;
    QVERIFY(readOnly.open(QIODevice::ReadOnly));
    QString error;
    QVERIFY(!LogReader::exportJsonl(records, &readOnly, &error));
    QVERIFY(!error.isEmpty());
}

void TestLogReader::parseLogTime_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("expected");
    const qint64 now = 1'714'567'890'000; // 2024-05-01T12:51:30Z
    const qint64 noon = QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch();
    QTest::newRow("seconds") << QStringLiteral("30s") << now - 30'000;
    QTest::newRow("minutes") << QStringLiteral("15m") << now - 15 * 60'000;
    QTest::newRow("hours") << QStringLiteral("2h") << now - 2 * 3'600'000;
    QTest::newRow("days") << QStringLiteral("3d") << now - 3 * 86'400'000LL;
    QTest::newRow("weeks") << QStringLiteral("1w") << now - 7 * 86'400'000LL;
    QTest::newRow("iso utc") << QStringLiteral("2024-05-01T12:00:00Z") << noon;
    QTest::newRow("iso no offset is utc") << QStringLiteral("2024-05-01T12:00:00") << noon;
    QTest::newRow("iso offset") << QStringLiteral("2024-05-01T14:00:00+02:00") << noon;
    QTest::newRow("iso ms") << QStringLiteral("2024-05-01T12:00:00.250Z") << noon + 250;
    QTest::newRow("date") << QStringLiteral("2024-05-01") << noon - 12 * 3'600'000;
    QTest::newRow("word") << QStringLiteral("yesterday") << qint64(-1);
    QTest::newRow("bad unit") << QStringLiteral("15x") << qint64(-1);
    QTest::newRow("empty") << QString() << qint64(-1);
}

void TestLogReader::parseLogTime()
{
    QFETCH(QString, text);
    QFETCH(qint64, expected);
    QCOMPARE(portico::parseLogTime(text, 1'714'567'890'000), expected);
}

void TestLogReader::commandSessionHuman()
{
    QString outText, errText;
    QTextStream out(&outText), err(&errText);
    QCOMPARE(
        runLogCommand({QStringLiteral("--session"), QStringLiteral("s1")}, out, err, m_dir.path()),
        0);
    QVERIFY2(errText.isEmpty(), qPrintable(errText));
    const QStringList lines = outText.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    // Oldest first, like tail.
    const QList<LogRecord> expected{m_fixture.at(0), m_fixture.at(2), m_fixture.at(4)};
    for (int i = 0; i < 3; ++i) {
        const LogRecord &r = expected.at(i);
        QCOMPARE(lines.at(i), formatLogLine(r));
        const QString time = QDateTime::fromMSecsSinceEpoch(r.time, Qt::UTC)
                                 .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
        QVERIFY(lines.at(i).startsWith(time));
        QVERIFY(lines.at(i).contains(QStringLiteral(" 200 ")));
        QVERIFY(lines.at(i).contains(QString::number(r.latencyMs) + QStringLiteral("ms")));
        QVERIFY(lines.at(i).contains(r.agent + QLatin1Char('/') + r.upstreamModel));
        QVERIFY(lines.at(i).contains(QStringLiteral("  s1  ")));
    }
    QVERIFY(lines.at(0).endsWith(QStringLiteral("Question a1")));
    QVERIFY(lines.at(1).endsWith(QStringLiteral("Grüße an die ÄPFEL")));
    // The long message: its first 80 characters, marked as cut.
    const QString text = m_fixture.at(4).lastUserText();
    QVERIFY(lines.at(2).endsWith(text.left(79) + QChar(0x2026)));
    QVERIFY(!lines.at(2).contains(text.left(81)));

    // An error is shown after the message.
    QVERIFY(formatLogLine(m_fixture.at(3)).endsWith(QStringLiteral("  ! upstream went away")));
}

void TestLogReader::commandSince()
{
    QString outText, errText;
    QTextStream out(&outText), err(&errText);
    QCOMPARE(
        runLogCommand({QStringLiteral("--since"), QStringLiteral("2h")}, out, err, m_dir.path()),
        0);
    QStringList lines = outText.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines, (QStringList{formatLogLine(m_fixture.at(3)), formatLogLine(m_fixture.at(4)),
                                 formatLogLine(m_fixture.at(5))}));

    outText.clear();
    const QString iso =
        QDateTime::fromMSecsSinceEpoch(m_now - 200 * 60'000, Qt::UTC).toString(Qt::ISODate);
    QCOMPARE(runLogCommand({QStringLiteral("--since=") + iso, QStringLiteral("--session"),
                            QStringLiteral("s1")},
                           out, err, m_dir.path()),
             0);
    lines = outText.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines, (QStringList{formatLogLine(m_fixture.at(2)), formatLogLine(m_fixture.at(4))}));
    QVERIFY(errText.isEmpty());
}

void TestLogReader::commandJson()
{
    QString outText, errText;
    QTextStream out(&outText), err(&errText);
    QCOMPARE(
        runLogCommand({QStringLiteral("--json"), QStringLiteral("--session"), QStringLiteral("s2")},
                      out, err, m_dir.path()),
        0);
    const QStringList lines = outText.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.at(0).toUtf8() + '\n', m_fixture.at(1).toJsonLine());
    QCOMPARE(lines.at(1).toUtf8() + '\n', m_fixture.at(3).toJsonLine());
    QVERIFY(outText.endsWith(QLatin1Char('\n')));

    // Every record, oldest first, byte for byte as stored (non-ASCII included).
    outText.clear();
    QCOMPARE(runLogCommand({QStringLiteral("--json")}, out, err, m_dir.path()), 0);
    QByteArray expected;
    for (const LogRecord &r : std::as_const(m_fixture))
        expected += r.toJsonLine();
    QCOMPARE(outText.toUtf8(), expected);
}

void TestLogReader::commandLimitAndUsage()
{
    QString outText, errText;
    QTextStream out(&outText), err(&errText);
    QCOMPARE(runLogCommand({QStringLiteral("-n"), QStringLiteral("2"), QStringLiteral("--status"),
                            QStringLiteral("2xx")},
                           out, err, m_dir.path()),
             0);
    QCOMPARE(outText.split(QLatin1Char('\n'), Qt::SkipEmptyParts),
             (QStringList{formatLogLine(m_fixture.at(2)), formatLogLine(m_fixture.at(4))}));

    const QList<QStringList> bad{{QStringLiteral("--bogus")},
                                 {QStringLiteral("--since")},
                                 {QStringLiteral("--since"), QStringLiteral("yesterday")},
                                 {QStringLiteral("--json=1")},
                                 {QStringLiteral("--limit"), QStringLiteral("-3")},
                                 {QStringLiteral("--status"), QStringLiteral("42")},
                                 {QStringLiteral("extra")}};
    for (const QStringList &args : bad) {
        outText.clear();
        errText.clear();
        QCOMPARE(runLogCommand(args, out, err, m_dir.path()), 2);
        QVERIFY(outText.isEmpty());
        QVERIFY2(errText.contains(QStringLiteral("Usage: portico log")), qPrintable(errText));
    }
    outText.clear();
    errText.clear();
    QCOMPARE(runLogCommand({QStringLiteral("--help")}, out, err, m_dir.path()), 0);
    QVERIFY(outText.startsWith(QStringLiteral("Usage: portico log")));
    QVERIFY(errText.isEmpty());

    // No log yet: nothing to print, not a failure.
    outText.clear();
    QTemporaryDir empty;
    QCOMPARE(runLogCommand({}, out, err, empty.filePath(QStringLiteral("missing"))), 0);
    QVERIFY(outText.isEmpty());
}

QTEST_GUILESS_MAIN(TestLogReader)
#include "tst_logreader.moc"
