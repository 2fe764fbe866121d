// The Log view offscreen: a generated session log loads newest first, incrementally and off the
// GUI thread; filters narrow it; a record opens in full; the selection exports as the logged
// JSON lines; "Copy as curl" gives a command a shell runs with $PORTICO_TOKEN as the token.
#include "LogLoader.h"
#include "LogTableModel.h"
#include "LogView.h"
#include "LogViewFilterBar.h"
#include "LogViewRecordDialog.h"

#include "LogRecord.h"
#include "SessionLogFiles.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

using namespace portico;

namespace {

constexpr qint64 kStep = 4000; // 20,000 records over yesterday and today

// Record n: newer with n; every 7th failed; every 10th mentions "needle"; 5 sessions, 3 agents.
LogRecord record(int n, qint64 base)
{
    LogRecord r;
    r.time = base + qint64(n) * kStep;
    r.requestId = QStringLiteral("req-%1").arg(n);
    r.sessionKey = QStringLiteral("session-%1").arg(n % 5);
    r.agent = QStringLiteral("agent-%1").arg(n % 3);
    r.provider = QStringLiteral("local");
    r.upstreamModel = n % 2 ? QStringLiteral("llama3.2") : QStringLiteral("qwen2.5");
    r.clientTokenName = QStringLiteral("laptop");
    r.status = n % 7 == 0 ? 502 : 200;
    r.error = n % 7 == 0 ? QStringLiteral("upstream went away") : QString();
    r.latencyMs = 100 + n;
    r.ttftMs = 10;
    r.usage = {10, 20, 30};
    r.stream = n % 2;
    if (n % 13 != 0) { // every 13th kept only metadata
        r.requestMessages = QJsonArray{QJsonObject{
            {QStringLiteral("role"), QStringLiteral("user")},
            {QStringLiteral("content"),
             QStringLiteral("question %1 it's %2")
                 .arg(n)
                 .arg(n % 10 == 0 ? QStringLiteral("needle") : QStringLiteral("hay"))}}};
        r.response =
            QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                        {QStringLiteral("content"), QStringLiteral("answer %1").arg(n)},
                        {QStringLiteral("tool_calls"),
                         QJsonArray{QJsonObject{
                             {QStringLiteral("id"), QStringLiteral("c1")},
                             {QStringLiteral("type"), QStringLiteral("function")},
                             {QStringLiteral("function"),
                              QJsonObject{{QStringLiteral("name"), QStringLiteral("search_files")},
                                          {QStringLiteral("arguments"), QStringLiteral("{}")}}}}}}};
    }
    return r;
}

// Writes `count` records over two days' files, oldest first, as the session log would.
qint64 writeLog(const QString &dir, int count)
{
    QDir().mkpath(dir);
    const QDate today = QDateTime::currentDateTimeUtc().date();
    const qint64 base = SessionLogFiles::dayStartMs(today.addDays(-1));
    QFile yesterday(QDir(dir).filePath(SessionLogFiles::fileName(today.addDays(-1), 0)));
    QFile now(QDir(dir).filePath(SessionLogFiles::fileName(today, 0)));
    if (!yesterday.open(QIODevice::WriteOnly) || !now.open(QIODevice::WriteOnly))
        return -1;
    for (int n = 0; n < count; ++n) {
        const LogRecord r = record(n, base);
        (SessionLogFiles::dayOf(r.time) == today ? now : yesterday).write(r.toJsonLine());
    }
    return base;
}

bool waitLoaded(LogView &view)
{
    QSignalSpy spy(&view, &LogView::loadFinished);
    return view.isLoading() ? spy.wait(30'000) : true;
}

} // namespace

class TestLogView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void loadsNewestFirstIncrementally();
    void filters();
    void opensARecord();
    void exportsTheSelection();
    void copiesAsCurl();

private:
    QTemporaryDir m_tmp;
    QString m_dir;
    qint64 m_base = 0;
    static constexpr int Count = 20'000;
};

void TestLogView::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_dir = m_tmp.filePath(QStringLiteral("logs"));
    m_base = writeLog(m_dir, Count);
    QVERIFY(m_base > 0);
}

void TestLogView::loadsNewestFirstIncrementally()
{
    LogView view(m_dir);
    QAbstractItemModelTester tester(view.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(view.model(), &QAbstractItemModel::rowsInserted);
    QSignalSpy finished(&view, &LogView::loadFinished);
    view.resize(1100, 700);
    view.show(); // the first show loads
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.isLoading());
    QVERIFY(finished.wait(30'000));
    QCOMPARE(finished.first().at(0).toInt(), Count);
    QCOMPARE(view.model()->rowCount(), Count);
    // In batches, the first one small so rows show at once.
    QVERIFY(inserted.size() >= 2);
    QCOMPARE(inserted.first().at(2).toInt() + 1, LogLoader::FirstBatchRows);
    // Newest first, across the day files.
    QCOMPARE(view.model()->row(0).requestId, QStringLiteral("req-%1").arg(Count - 1));
    for (int row = 1; row < Count; ++row)
        QVERIFY(view.model()->row(row - 1).time >= view.model()->row(row).time);
    QCOMPARE(view.model()->row(Count - 1).requestId, QStringLiteral("req-0"));
}

void TestLogView::filters()
{
    LogView view(m_dir);
    QAbstractItemModelTester tester(view.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.show();
    QVERIFY(waitLoaded(view));

    LogFilter f;
    f.sessionKey = QStringLiteral("session-3");
    f.agent = QStringLiteral("agent-1");
    view.setFilter(f);
    QVERIFY(waitLoaded(view));
    int expected = 0;
    for (int n = 0; n < Count; ++n)
        expected += (n % 5 == 3 && n % 3 == 1) ? 1 : 0;
    QCOMPARE(view.model()->rowCount(), expected);
    for (int row = 0; row < view.model()->rowCount(); ++row) {
        QCOMPARE(view.model()->row(row).sessionKey, QStringLiteral("session-3"));
        QCOMPARE(view.model()->row(row).agent, QStringLiteral("agent-1"));
    }
    QCOMPARE(view.filter().sessionKey, QStringLiteral("session-3")); // shown in the widgets

    LogFilter errors;
    errors.statusFrom = 500;
    errors.statusTo = 599;
    errors.model = QStringLiteral("llama3.2");
    view.setFilter(errors);
    QVERIFY(waitLoaded(view));
    expected = 0;
    for (int n = 0; n < Count; ++n)
        expected += (n % 7 == 0 && n % 2 == 1) ? 1 : 0;
    QCOMPARE(view.model()->rowCount(), expected);
    QCOMPARE(view.filter().statusFrom, 500);

    LogFilter text;
    text.text = QStringLiteral("NEEDLE"); // case-insensitive, in message content
    text.since = m_base + qint64(Count - 1000) * kStep;
    view.setFilter(text);
    QVERIFY(waitLoaded(view));
    expected = 0;
    for (int n = Count - 1000; n < Count; ++n)
        expected += (n % 10 == 0 && n % 13 != 0) ? 1 : 0;
    QCOMPARE(view.model()->rowCount(), expected);

    // Typing in the filter bar reloads (debounced).
    view.setFilter(LogFilter());
    QVERIFY(waitLoaded(view));
    QCOMPARE(view.model()->rowCount(), Count);
    QSignalSpy finished(&view, &LogView::loadFinished);
    QTest::keyClicks(view.filterBar()->textEdit(), QStringLiteral("needle"));
    QVERIFY(finished.wait(30'000));
    QCOMPARE(finished.size(), 1); // one reload for the whole word
    QVERIFY(view.model()->rowCount() > 0 && view.model()->rowCount() < Count / 9);
    for (int row = 0; row < view.model()->rowCount(); ++row)
        QVERIFY(view.model()->row(row).preview.contains(QStringLiteral("needle")));
}

void TestLogView::opensARecord()
{
    LogView view(m_dir);
    view.show();
    QVERIFY(waitLoaded(view));
    view.openRow(0);
    auto *dialog = view.findChild<LogViewRecordDialog *>();
    QVERIFY(dialog);
    const QString text = dialog->exchangeView()->toPlainText();
    const int n = Count - 1;
    QVERIFY(text.contains(QStringLiteral("question %1").arg(n)));
    QVERIFY(text.contains(QStringLiteral("answer %1").arg(n)));
    QVERIFY(text.contains(QStringLiteral("search_files")));
    QVERIFY(text.contains(QStringLiteral("session-%1").arg(n % 5)));
    dialog->close();
}

void TestLogView::exportsTheSelection()
{
    LogView view(m_dir);
    view.show();
    QVERIFY(waitLoaded(view));
    QItemSelectionModel *selection = view.table()->selectionModel();
    for (int row : {0, 2, 5})
        selection->select(view.model()->index(row, 0),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const QString path = m_tmp.filePath(QStringLiteral("export.jsonl"));
    QString error;
    QVERIFY2(view.exportSelection(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 4); // three lines and the empty rest after the last '\n'
    QVERIFY(lines.last().isEmpty());
    const QStringList ids{QStringLiteral("req-%1").arg(Count - 1),
                          QStringLiteral("req-%1").arg(Count - 3),
                          QStringLiteral("req-%1").arg(Count - 6)};
    for (int i = 0; i < 3; ++i) {
        LogRecord r;
        QVERIFY(LogRecord::fromJsonLine(lines.at(i), &r));
        QCOMPARE(r.requestId, ids.at(i));
        QCOMPARE(r.toJsonLine(), lines.at(i) + '\n'); // as logged, content included
    }
}

void TestLogView::copiesAsCurl()
{
    LogView view(m_dir);
    view.setGatewayBaseUrl(QStringLiteral("http://127.0.0.1:18789/v1"));
    view.show();
    QVERIFY(waitLoaded(view));
    const QString command = view.curlForRow(0);
    QVERIFY(command.contains(QStringLiteral("$PORTICO_TOKEN")));
    QVERIFY(!command.contains(QStringLiteral("Bearer pt_")));

    // A shell runs it: curl gets the URL, the token from the environment, and the request body.
    QProcess sh;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PORTICO_TOKEN"), QStringLiteral("pt_from_env_123"));
    sh.setProcessEnvironment(env);
    sh.start(QStringLiteral("sh"),
             {QStringLiteral("-c"),
              QStringLiteral("curl() { for a in \"$@\"; do printf '%s\\n\\036' \"$a\"; done; }\n") +
                  command});
    QVERIFY(sh.waitForFinished(10'000));
    QCOMPARE(sh.exitCode(), 0);
    QList<QByteArray> args = sh.readAllStandardOutput().split('\036');
    for (QByteArray &a : args)
        a = a.trimmed();
    QVERIFY(args.contains("http://127.0.0.1:18789/v1/chat/completions"));
    QVERIFY(args.contains("Authorization: Bearer pt_from_env_123"));
    const qsizetype d = args.indexOf("-d");
    QVERIFY(d >= 0 && d + 1 < args.size());
    const QJsonObject body = QJsonDocument::fromJson(args.at(d + 1)).object();
    const int n = Count - 1;
    QCOMPARE(body.value(QStringLiteral("model")).toString(),
             QStringLiteral("agent:agent-%1").arg(n % 3));
    QCOMPARE(body.value(QStringLiteral("messages")).toArray(), record(n, m_base).requestMessages);
    QCOMPARE(body.value(QStringLiteral("stream")).toBool(), bool(n % 2));

    // The clipboard gets the same command; a metadata-only record has none.
    view.table()->selectRow(0);
    view.copyCurl();
    QCOMPARE(QGuiApplication::clipboard()->text(), command);
    int metadataOnly = -1;
    for (int row = 0; row < view.model()->rowCount() && metadataOnly < 0; ++row) {
        if (!view.model()->row(row).hasContent)
            metadataOnly = row;
    }
    QVERIFY(metadataOnly >= 0);
    QVERIFY(view.curlForRow(metadataOnly).isEmpty());
}

QTEST_MAIN(TestLogView)
#include "tst_logview.moc"
