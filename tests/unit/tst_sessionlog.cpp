#include "LogRecord.h"
#include "Redactor.h"
#include "SessionLog.h"
#include "SessionLogFiles.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <memory>
#include <vector>

using namespace portico;

namespace {

QDate today()
{
    return QDateTime::currentDateTimeUtc().date();
}

qint64 noonOf(QDate day)
{
    return SessionLogFiles::dayStartMs(day) + 12 * 3600 * 1000;
}

LogRecord makeRecord(const QString &id, qint64 time = QDateTime::currentMSecsSinceEpoch())
{
    LogRecord r;
    r.time = time;
    r.requestId = id;
    r.sessionKey = QStringLiteral("session-a");
    r.agent = QStringLiteral("coder");
    r.provider = QStringLiteral("openai");
    r.upstreamModel = QStringLiteral("gpt-4o");
    r.clientTokenName = QStringLiteral("laptop");
    r.status = 200;
    r.latencyMs = 812;
    r.ttftMs = 95;
    r.usage = {12, 34, 46};
    r.stream = true;
    r.requestMessages = QJsonArray{
        QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                    {QStringLiteral("content"), QStringLiteral("Be brief.")}},
        QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                    {QStringLiteral("content"), QString(QStringLiteral("Question ") + id)}}};
    r.response = QJsonObject{
        {QStringLiteral("role"), QStringLiteral("assistant")},
        {QStringLiteral("content"), QString(QStringLiteral("Answer ") + id)},
        {QStringLiteral("reasoning_content"), QStringLiteral("thinking")},
        {QStringLiteral("tool_calls"),
         QJsonArray{QJsonObject{
             {QStringLiteral("id"), QStringLiteral("call_1")},
             {QStringLiteral("type"), QStringLiteral("function")},
             {QStringLiteral("function"),
              QJsonObject{{QStringLiteral("name"), QStringLiteral("lookup")},
                          {QStringLiteral("arguments"), QStringLiteral(R"({"q":"x"})")}}}}}}};
    return r;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

// Every line of every session file, oldest file first; fails the test on a line that is not a
// complete JSON object.
QList<LogRecord> readRecords(const QString &dir, int *fileCount = nullptr)
{
    QList<LogRecord> records;
    const QList<SessionLogFiles::Entry> files = SessionLogFiles::list(dir);
    if (fileCount)
        *fileCount = int(files.size());
    for (const SessionLogFiles::Entry &e : files) {
        const QByteArray bytes = readAll(e.path);
        if (!bytes.isEmpty() && !bytes.endsWith('\n')) {
            qWarning() << e.path << "does not end with a newline";
            return {};
        }
        const QList<QByteArray> lines = bytes.split('\n');
        for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
            LogRecord r;
            if (!LogRecord::fromJsonLine(lines.at(i), &r)) {
                qWarning() << e.path << "line" << i << "is not a record:" << lines.at(i);
                return {};
            }
            records.append(r);
        }
    }
    return records;
}

QStringList ids(const QList<LogRecord> &records)
{
    QStringList out;
    for (const LogRecord &r : records)
        out.append(r.requestId);
    return out;
}

} // namespace

class TestSessionLog : public QObject
{
    Q_OBJECT

private slots:
    void recordRoundTrip();
    void recordDefaultsRoundTrip();
    void appendsOneLinePerRecord();
    void appendBeforeOpenIsKept();
    void fullQueueDropsAndCounts();
    void destructionWritesTheQueue();
    void secretsNeverReachTheFiles();
    void rotatesByDay();
    void rotatesBySize();
    void retentionAtOpenAndAtRunTime();
    void retentionAtDayRollover();
    void keepContentFalseDropsContent();
    void tornLineIsSetAside_data();
    void tornLineIsSetAside();
    void wholeLastLineIsLeftAlone();
    void concurrentAppends();
};

void TestSessionLog::recordRoundTrip()
{
    LogRecord r = makeRecord(QStringLiteral("chatcmpl-1"));
    r.error = QStringLiteral("upstream timed out");
    r.status = 504;
    LogRecord back;
    QVERIFY(LogRecord::fromJson(r.toJson(), &back));
    QCOMPARE(back, r);

    const QByteArray line = r.toJsonLine();
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);
    LogRecord fromLine;
    QVERIFY(LogRecord::fromJsonLine(line, &fromLine));
    QCOMPARE(fromLine, r);
    QCOMPARE(r.lastUserText(), QStringLiteral("Question chatcmpl-1"));
}

void TestSessionLog::recordDefaultsRoundTrip()
{
    LogRecord r;
    r.time = 1'700'000'000'123;
    const QJsonObject json = r.toJson();
    QVERIFY(!json.contains(QStringLiteral("usage")));
    QVERIFY(!json.contains(QStringLiteral("requestMessages")));
    LogRecord back;
    QVERIFY(LogRecord::fromJson(json, &back));
    QCOMPARE(back, r);
    QCOMPARE(back.usage.promptTokens, -1);
    QCOMPARE(back.latencyMs, -1);

    QVERIFY(!LogRecord::fromJson(QJsonObject{{QStringLiteral("status"), 200}}, &back));
    QVERIFY(!LogRecord::fromJsonLine("{\"time\":12", &back));

    // Content given as parts: the text parts are joined.
    r.requestMessages = QJsonArray{
        QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                    {QStringLiteral("content"),
                     QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                            {QStringLiteral("text"), QStringLiteral("one")}},
                                QJsonObject{{QStringLiteral("type"), QStringLiteral("image_url")}},
                                QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                            {QStringLiteral("text"), QStringLiteral("two")}}}}}};
    QCOMPARE(r.lastUserText(), QStringLiteral("one two"));
}

void TestSessionLog::appendsOneLinePerRecord()
{
    QTemporaryDir dir;
    SessionLog log(dir.path());
    QVERIFY(log.open());
    QList<LogRecord> sent;
    for (int i = 0; i < 10; ++i) {
        sent.append(makeRecord(QStringLiteral("r%1").arg(i)));
        log.append(sent.last());
    }
    QVERIFY(log.waitForWritten());
    QCOMPARE(log.writtenRecords(), quint64(10));
    int files = 0;
    QCOMPARE(readRecords(dir.path(), &files), sent);
    QCOMPARE(files, 1);
    QVERIFY(QFileInfo::exists(dir.filePath(SessionLogFiles::fileName(today(), 0))));
    QCOMPARE(log.recoveredTornLine(), 0);
}

void TestSessionLog::appendBeforeOpenIsKept()
{
    QTemporaryDir dir;
    SessionLog log(dir.path());
    log.append(makeRecord(QStringLiteral("early")));
    QVERIFY(log.open());
    QVERIFY(log.waitForWritten());
    QCOMPARE(readRecords(dir.path()).size(), 1);
}

void TestSessionLog::fullQueueDropsAndCounts()
{
    QTemporaryDir dir;
    SessionLog log(dir.path());
    log.setMaxQueuedRecords(5);
    for (int i = 0; i < 8; ++i) // not open yet: nothing is written, the queue fills
        log.append(makeRecord(QString::number(i)));
    QCOMPARE(log.droppedRecords(), quint64(3));
    QVERIFY(log.open());
    QVERIFY(log.waitForWritten());
    QCOMPARE(log.writtenRecords(), quint64(5));
    QCOMPARE(ids(readRecords(dir.path())),
             QStringList({QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2"),
                          QStringLiteral("3"), QStringLiteral("4")}));
}

void TestSessionLog::destructionWritesTheQueue()
{
    QTemporaryDir dir;
    {
        SessionLog log(dir.path());
        QVERIFY(log.open());
        for (int i = 0; i < 500; ++i)
            log.append(makeRecord(QString::number(i)));
    }
    const QList<LogRecord> records = readRecords(dir.path());
    QCOMPARE(records.size(), 500);
    QCOMPARE(records.last().requestId, QStringLiteral("499"));
}

void TestSessionLog::secretsNeverReachTheFiles()
{
    const QString gatewayToken = QStringLiteral("gw-token-7f3a9c2e1b44");
    const QString password = QStringLiteral("correct horse battery");
    const QString providerKey = QStringLiteral("prov-secret-key-55aa0c");
    const QString unknownBearer = QStringLiteral("unlisted-bearer-8899aabb");
    const QString unknownApiKey = QStringLiteral("unlisted-api-key-1234");
    const QString skKey = QStringLiteral("sk-ant-api03-ZYXWVUTSRQPONMLK0987");

    QTemporaryDir dir;
    SessionLog log(dir.path());
    QVERIFY(log.open());
    log.setRedactor(Redactor({gatewayToken, password, providerKey}));

    LogRecord inContent = makeRecord(QStringLiteral("content"));
    inContent.requestMessages.append(QJsonObject{
        {QStringLiteral("role"), QStringLiteral("user")},
        {QStringLiteral("content"), QString(QStringLiteral("my token is ") + gatewayToken +
                                            QStringLiteral(" and my password is ") + password)}});
    QJsonObject response = inContent.response;
    response.insert(QStringLiteral("content"), QString(QStringLiteral("the key: ") + providerKey));
    inContent.response = response;
    log.append(inContent);

    LogRecord upstreamError = makeRecord(QStringLiteral("error"));
    upstreamError.status = 401;
    upstreamError.error =
        QStringLiteral(R"(upstream 401: {"error":{"message":"Incorrect API key )") + providerKey +
        QStringLiteral(R"(","type":"invalid_request_error"}})");
    log.append(upstreamError);

    LogRecord headerLike = makeRecord(QStringLiteral("headers"));
    headerLike.requestMessages.append(QJsonObject{
        {QStringLiteral("role"), QStringLiteral("user")},
        {QStringLiteral("content"), QString(QStringLiteral("curl -H 'Authorization: Bearer ") +
                                            unknownBearer + QStringLiteral("' -H 'x-api-key: ") +
                                            unknownApiKey + QStringLiteral("' -d ") + skKey)}});
    headerLike.sessionKey = gatewayToken; // even a field a client controls
    log.append(headerLike);
    QVERIFY(log.waitForWritten());

    // Grep every file in the folder for the raw secrets.
    QByteArray everything;
    const QStringList names = QDir(dir.path()).entryList(QDir::Files);
    QVERIFY(!names.isEmpty());
    for (const QString &name : names)
        everything += readAll(dir.filePath(name));
    for (const QString &secret :
         {gatewayToken, password, providerKey, unknownBearer, unknownApiKey, skKey})
        QVERIFY2(!everything.contains(secret.toUtf8()), qPrintable(secret));
    QVERIFY(everything.count("[REDACTED]") >= 8);

    const QList<LogRecord> records = readRecords(dir.path());
    QCOMPARE(records.size(), 3);
    QCOMPARE(records.at(1).error,
             QStringLiteral(R"(upstream 401: {"error":{"message":"Incorrect API key [REDACTED]",)"
                            R"("type":"invalid_request_error"}})"));
    QCOMPARE(records.at(2).sessionKey, Redactor::placeholder());
}

void TestSessionLog::rotatesByDay()
{
    QTemporaryDir dir;
    SessionLog log(dir.path());
    QVERIFY(log.open());
    const QDate d0 = today().addDays(-2);
    for (int i = 0; i < 3; ++i)
        log.append(makeRecord(QStringLiteral("day%1").arg(i), noonOf(d0.addDays(i))));
    // A late record of an earlier day goes to the newest file: only the newest file is appended.
    log.append(makeRecord(QStringLiteral("late"), noonOf(d0)));
    QVERIFY(log.waitForWritten());

    const QList<SessionLogFiles::Entry> files = SessionLogFiles::list(dir.path());
    QCOMPARE(files.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(files.at(i).day, d0.addDays(i));
        QCOMPARE(QFileInfo(files.at(i).path).fileName(),
                 QStringLiteral("sessions-%1.jsonl").arg(d0.addDays(i).toString(Qt::ISODate)));
        LogRecord first;
        QVERIFY(LogRecord::fromJsonLine(readAll(files.at(i).path).split('\n').first(), &first));
        QCOMPARE(first.requestId, QStringLiteral("day%1").arg(i));
    }
    QCOMPARE(readAll(files.at(2).path).count('\n'), 2);
}

void TestSessionLog::rotatesBySize()
{
    QTemporaryDir dir;
    const qint64 limit = 4096;
    QList<LogRecord> sent;
    {
        SessionLog log(dir.path());
        log.setMaxFileBytes(limit);
        QVERIFY(log.open());
        for (int i = 0; i < 60; ++i) {
            sent.append(makeRecord(QStringLiteral("r%1").arg(i)));
            log.append(sent.last());
            if (i % 7 == 0) // vary the batches the writer sees
                QVERIFY(log.waitForWritten());
        }
        QVERIFY(log.waitForWritten());
    }
    int fileCount = 0;
    QCOMPARE(readRecords(dir.path(), &fileCount), sent);
    QVERIFY2(fileCount >= 4, qPrintable(QString::number(fileCount)));
    QList<SessionLogFiles::Entry> files = SessionLogFiles::list(dir.path());
    for (int i = 0; i < files.size(); ++i) {
        QCOMPARE(files.at(i).index, i);
        QCOMPARE(files.at(i).day, today());
        QVERIFY(files.at(i).size <= limit);
        if (i + 1 < files.size()) // full: the next line did not fit
            QVERIFY(files.at(i).size + sent.first().toJsonLine().size() > limit - 100);
    }
    QCOMPARE(QFileInfo(files.at(1).path).fileName(),
             QStringLiteral("sessions-%1.1.jsonl").arg(today().toString(Qt::ISODate)));

    // Reopened, the log goes on in the last file of the day, not the first.
    const qint64 lastSize = files.last().size;
    const qint64 againSize = makeRecord(QStringLiteral("again")).toJsonLine().size();
    {
        SessionLog log(dir.path());
        log.setMaxFileBytes(limit);
        QVERIFY(log.open());
        log.append(makeRecord(QStringLiteral("again")));
        QVERIFY(log.waitForWritten());
    }
    files = SessionLogFiles::list(dir.path());
    QCOMPARE(files.size(), fileCount + (lastSize + againSize > limit ? 1 : 0));
    QCOMPARE(readRecords(dir.path()).last().requestId, QStringLiteral("again"));
    QVERIFY(readAll(files.last().path).contains("\"again\""));
}

void TestSessionLog::retentionAtOpenAndAtRunTime()
{
    QTemporaryDir dir;
    const QByteArray line = makeRecord(QStringLiteral("old")).toJsonLine();
    const auto sessions = [&](int daysAgo) {
        return dir.filePath(SessionLogFiles::fileName(today().addDays(-daysAgo), 0));
    };
    for (int daysAgo : {30, 15, 14, 1, 0})
        writeFile(sessions(daysAgo), line);
    writeFile(dir.filePath(SessionLogFiles::fileName(today().addDays(-20), 3)), line);
    const QString oldTorn = dir.filePath(QStringLiteral("torn-20000101T000000000Z.jsonl.part"));
    const QString newTorn = dir.filePath(QStringLiteral("torn-20990101T000000000Z.jsonl.part"));
    const QString unrelated = dir.filePath(QStringLiteral("notes.txt"));
    for (const QString &path : {oldTorn, newTorn, unrelated})
        writeFile(path, "x");
    const QDateTime longAgo = QDateTime::currentDateTimeUtc().addDays(-30);
    for (const QString &path : {oldTorn, unrelated}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(longAgo, QFileDevice::FileModificationTime));
    }

    SessionLog log(dir.path());
    QCOMPARE(log.retentionDays(), 14);
    QVERIFY(log.open());
    QVERIFY(!QFileInfo::exists(sessions(30)));
    QVERIFY(!QFileInfo::exists(sessions(15)));
    QVERIFY(!QFileInfo::exists(dir.filePath(SessionLogFiles::fileName(today().addDays(-20), 3))));
    QVERIFY(!QFileInfo::exists(oldTorn));
    for (const QString &path : {sessions(14), sessions(1), sessions(0), newTorn, unrelated})
        QVERIFY2(QFileInfo::exists(path), qPrintable(path));

    log.setRetentionDays(0); // forever: nothing more goes
    log.append(makeRecord(QStringLiteral("now")));
    QVERIFY(log.waitForWritten());
    QVERIFY(QFileInfo::exists(sessions(14)));

    log.setRetentionDays(1);
    QTRY_VERIFY(!QFileInfo::exists(sessions(14)));
    QVERIFY(QFileInfo::exists(sessions(1)));
    QVERIFY(QFileInfo::exists(sessions(0)));
    QVERIFY(QFileInfo::exists(unrelated));
}

void TestSessionLog::retentionAtDayRollover()
{
    QTemporaryDir dir;
    SessionLog log(dir.path());
    log.setRetentionDays(3);
    QVERIFY(log.open());
    log.append(makeRecord(QStringLiteral("yesterday"), noonOf(today().addDays(-1))));
    QVERIFY(log.waitForWritten());
    // An expired file that appears while the log runs goes at the next day's first record.
    const QString expired = dir.filePath(SessionLogFiles::fileName(today().addDays(-10), 0));
    writeFile(expired, makeRecord(QStringLiteral("old")).toJsonLine());
    log.append(makeRecord(QStringLiteral("yesterday again"), noonOf(today().addDays(-1))));
    QVERIFY(log.waitForWritten());
    QVERIFY(QFileInfo::exists(expired));
    log.append(makeRecord(QStringLiteral("today")));
    QVERIFY(log.waitForWritten());
    QVERIFY(!QFileInfo::exists(expired));
    QCOMPARE(SessionLogFiles::list(dir.path()).size(), 2);
}

void TestSessionLog::keepContentFalseDropsContent()
{
    QTemporaryDir dir;
    SessionLog log(dir.path());
    QVERIFY(log.keepContent());
    log.setKeepContent(false);
    QVERIFY(log.open());
    log.append(makeRecord(QStringLiteral("meta-only")));
    QVERIFY(log.waitForWritten());
    log.setKeepContent(true);
    log.append(makeRecord(QStringLiteral("full")));
    QVERIFY(log.waitForWritten());

    const QList<LogRecord> records = readRecords(dir.path());
    QCOMPARE(records.size(), 2);
    LogRecord expected = makeRecord(QStringLiteral("meta-only"), records.at(0).time);
    expected.dropContent();
    QCOMPARE(records.at(0), expected);
    QVERIFY(records.at(1).hasContent());
    const QList<QByteArray> lines =
        readAll(SessionLogFiles::list(dir.path()).first().path).split('\n');
    QVERIFY(!lines.at(0).contains("requestMessages"));
    QVERIFY(!lines.at(0).contains("Question meta-only"));
    QVERIFY(!lines.at(0).contains("Answer meta-only"));
    QVERIFY(lines.at(1).contains("Answer full"));

    // A relayed answer arrives as the upstream's completion: read on the log's thread, its
    // usage kept either way, its message only with content.
    const QByteArray completion =
        R"({"choices":[{"message":{"role":"assistant","content":"Relayed secret"}}],)"
        R"("usage":{"prompt_tokens":4,"completion_tokens":5,"total_tokens":9}})";
    for (const bool keep : {false, true}) {
        LogRecord relayed = makeRecord(keep ? QStringLiteral("relayed") : QStringLiteral("bare"));
        relayed.response = QJsonObject();
        relayed.usage = LogRecord::Usage();
        relayed.rawCompletion = completion;
        log.setKeepContent(keep);
        log.append(relayed);
        QVERIFY(log.waitForWritten());
    }
    const QList<LogRecord> all = readRecords(dir.path());
    QCOMPARE(all.size(), 4);
    for (const LogRecord &r : {all.at(2), all.at(3)})
        QCOMPARE(r.usage, (LogRecord::Usage{4, 5, 9}));
    QVERIFY(all.at(2).response.isEmpty());
    QCOMPARE(all.at(3).response.value(QStringLiteral("content")).toString(),
             QStringLiteral("Relayed secret"));
}

void TestSessionLog::tornLineIsSetAside_data()
{
    QTest::addColumn<int>("wholeLines");
    QTest::addColumn<QByteArray>("torn");

    const QByteArray partial = makeRecord(QStringLiteral("cut")).toJsonLine().left(57);
    QTest::newRow("cut mid-line") << 3 << partial;
    QTest::newRow("cut before its newline")
        << 2 << makeRecord(QStringLiteral("x")).toJsonLine().chopped(1);
    QTest::newRow("not json") << 3 << QByteArray("{\"v\":1,\"time\":1}garbage\n");
    QTest::newRow("only a torn line") << 0 << partial;
}

void TestSessionLog::tornLineIsSetAside()
{
    QFETCH(int, wholeLines);
    QFETCH(QByteArray, torn);

    QTemporaryDir dir;
    // An older file is never touched; the newest one holds the torn line.
    const QString older = dir.filePath(SessionLogFiles::fileName(today().addDays(-1), 0));
    const QByteArray olderBytes = makeRecord(QStringLiteral("older")).toJsonLine();
    writeFile(older, olderBytes);
    QByteArray whole;
    for (int i = 0; i < wholeLines; ++i)
        whole += makeRecord(QStringLiteral("w%1").arg(i)).toJsonLine();
    const QString newest = dir.filePath(SessionLogFiles::fileName(today(), 0));
    writeFile(newest, whole + torn);

    SessionLog log(dir.path());
    QSignalSpy spy(&log, &SessionLog::tornLineRecovered);
    QVERIFY(log.open());
    QCOMPARE(log.recoveredTornLine(), torn.size());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(1).toLongLong(), torn.size());
    const QString partPath = spy.at(0).at(0).toString();
    QCOMPARE(partPath, log.tornLinePath());
    QVERIFY(QFileInfo(partPath).fileName().startsWith(QStringLiteral("torn-")));
    QVERIFY(partPath.endsWith(QStringLiteral(".jsonl.part")));
    QCOMPARE(readAll(partPath), torn);

    log.append(makeRecord(QStringLiteral("after")));
    QVERIFY(log.waitForWritten());
    const QByteArray bytes = readAll(newest);
    QVERIFY(bytes.startsWith(whole));
    const QList<LogRecord> records = readRecords(dir.path());
    QCOMPARE(records.size(), 1 + wholeLines + 1);
    QCOMPARE(records.last().requestId, QStringLiteral("after"));
    QCOMPARE(readAll(older), olderBytes);
}

void TestSessionLog::wholeLastLineIsLeftAlone()
{
    QTemporaryDir dir;
    const QString newest = dir.filePath(SessionLogFiles::fileName(today(), 0));
    const QByteArray bytes = makeRecord(QStringLiteral("a")).toJsonLine();
    writeFile(newest, bytes);
    SessionLog log(dir.path());
    QSignalSpy spy(&log, &SessionLog::tornLineRecovered);
    QVERIFY(log.open());
    QCOMPARE(log.recoveredTornLine(), 0);
    QCOMPARE(spy.count(), 0);
    QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("torn-*")}).size(), 0);
    QCOMPARE(readAll(newest), bytes);
}

void TestSessionLog::concurrentAppends()
{
    constexpr int Threads = 8;
    constexpr int PerThread = 2000;
    QTemporaryDir dir;
    SessionLog log(dir.path());
    log.setMaxQueuedRecords(Threads * PerThread); // this test wants all, however slow the disk
    QVERIFY(log.open());
    std::vector<std::unique_ptr<QThread>> threads;
    for (int t = 0; t < Threads; ++t) {
        threads.emplace_back(QThread::create([&log, t] {
            for (int i = 0; i < PerThread; ++i)
                log.append(makeRecord(QStringLiteral("t%1-%2").arg(t).arg(i)));
        }));
    }
    for (auto &t : threads)
        t->start();
    for (auto &t : threads)
        QVERIFY(t->wait(120'000));
    QVERIFY(log.waitForWritten(120'000));
    QCOMPARE(log.droppedRecords(), quint64(0));
    QCOMPARE(log.writtenRecords(), quint64(Threads * PerThread));

    const QList<LogRecord> records = readRecords(dir.path());
    QCOMPARE(records.size(), Threads * PerThread);
    QSet<QString> ids;
    QList<int> lastSeen(Threads, -1);
    for (const LogRecord &r : records) {
        ids.insert(r.requestId);
        // Each thread's records keep their order.
        const QStringList parts = r.requestId.mid(1).split(QLatin1Char('-'));
        const int t = parts.at(0).toInt();
        const int i = parts.at(1).toInt();
        QVERIFY(i > lastSeen.at(t));
        lastSeen[t] = i;
    }
    QCOMPARE(ids.size(), Threads * PerThread);
}

QTEST_GUILESS_MAIN(TestSessionLog)
#include "tst_sessionlog.moc"
