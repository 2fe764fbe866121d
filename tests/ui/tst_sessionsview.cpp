// The Sessions view offscreen: sessions and requests tables follow the registry, the selected
// request's output grows with reasoning, answer and tool calls shown distinctly, Stop reaches the
// request's exchange, and the view stays responsive with hundreds of live streams.
#include "RequestTableModel.h"
#include "SessionRegistry.h"
#include "SessionTableModel.h"
#include "SessionsView.h"
#include "StreamTextView.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTextCursor>
#include <QTextDocument>
#include <QTimer>

#include <atomic>
#include <thread>

using namespace portico;

namespace {

RequestInfo info(const QString &id, const QString &session, QObject *exchange = nullptr)
{
    RequestInfo i;
    i.requestId = id;
    i.sessionKey = session;
    i.agentId = QStringLiteral("coder");
    i.providerId = QStringLiteral("local");
    i.upstreamModel = QStringLiteral("llama3.2");
    i.clientName = QStringLiteral("laptop");
    i.stream = true;
    i.startedMs = QDateTime::currentMSecsSinceEpoch();
    i.exchange = exchange;
    return i;
}

QByteArray delta(const QByteArray &json)
{
    return R"({"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":)" + json +
           R"(,"finish_reason":null}]})";
}

class FakeExchange : public QObject
{
    Q_OBJECT
public:
    int stops = 0;
public slots:
    void stop(const QString &) { ++stops; }
};

QTextCharFormat formatOf(QTextDocument *doc, const QString &text)
{
    QTextCursor found = doc->find(text);
    if (found.isNull())
        return {};
    QTextCursor at(doc);
    at.setPosition(found.selectionStart() + 1);
    return at.charFormat();
}

} // namespace

class TestSessionsView : public QObject
{
    Q_OBJECT

private slots:
    void tablesFollowTheRegistry();
    void streamGrowsWithDistinctSections();
    void stopButtonStopsTheSelectedRequest();
    void finishedNonStreamedAnswerIsShown();
    void staysResponsiveWithHundredsOfStreams();
};

void TestSessionsView::tablesFollowTheRegistry()
{
    SessionRegistry registry;
    registry.setFlushInterval(30);
    SessionsView view(&registry);
    QAbstractItemModelTester sessionsTester(view.sessionModel(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester requestsTester(view.requestModel(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(view.sessionsTable()->model(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    registry.requestStarted(info(QStringLiteral("a1"), QStringLiteral("alpha")));
    registry.requestStarted(info(QStringLiteral("b1"), QStringLiteral("beta")));
    QTRY_COMPARE(view.sessionModel()->rowCount(), 2);
    QVERIFY(view.selectSession(QStringLiteral("alpha")));
    QCOMPARE(view.currentSessionKey(), QStringLiteral("alpha"));
    QCOMPARE(view.requestModel()->rowCount(), 1);
    QCOMPARE(view.requestModel()->data(view.requestModel()->index(0, RequestTableModel::State)),
             QVariant(RequestTableModel::stateText(RequestSnapshot::State::Waiting)));

    // More requests in the selected session, then one finishes.
    const RequestInfo a2 = info(QStringLiteral("a2"), QStringLiteral("alpha"));
    registry.requestStarted(a2);
    QTRY_COMPARE(view.requestModel()->rowCount(), 2);
    RequestSummary done;
    done.info = a2;
    done.status = 200;
    registry.requestFinished(done);
    QTRY_COMPARE(
        view.requestModel()
            ->data(view.requestModel()->index(view.requestModel()->rowOf(QStringLiteral("a2")),
                                              RequestTableModel::State))
            .toString(),
        RequestTableModel::stateText(RequestSnapshot::State::Succeeded));
    const int alphaRow = view.sessionModel()->rowOf(QStringLiteral("alpha"));
    QTRY_COMPARE(view.sessionModel()
                     ->data(view.sessionModel()->index(alphaRow, SessionTableModel::Requests))
                     .toString(),
                 QStringLiteral("2"));
    // The selection survives updates.
    QCOMPARE(view.currentSessionKey(), QStringLiteral("alpha"));

    // Clear finished: the finished request goes, sessions with live requests stay.
    registry.clearFinished();
    QCOMPARE(view.requestModel()->rowCount(), 1);
    QCOMPARE(view.sessionModel()->rowCount(), 2);
}

void TestSessionsView::streamGrowsWithDistinctSections()
{
    SessionRegistry registry;
    registry.setFlushInterval(30);
    SessionsView view(&registry);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    const RequestInfo r = info(QStringLiteral("r1"), QStringLiteral("s"));
    registry.requestStarted(r);
    registry.requestChunk(r.requestId,
                          delta(R"({"role":"assistant","reasoning_content":"thinking hard"})"));
    registry.requestChunk(r.requestId, delta(R"({"content":"Hel"})"));
    QTRY_VERIFY(view.selectSession(QStringLiteral("s")));
    QTRY_VERIFY(view.selectRequest(QStringLiteral("r1")));
    StreamTextView *stream = view.streamView();
    QCOMPARE(stream->requestId(), QStringLiteral("r1"));
    QTRY_COMPARE(stream->sectionText(QStringLiteral("content")), QStringLiteral("Hel"));
    QCOMPARE(stream->sectionText(QStringLiteral("reasoning")), QStringLiteral("thinking hard"));

    registry.requestChunk(r.requestId, delta(R"({"content":"lo\nworld"})"));
    registry.requestChunk(
        r.requestId,
        delta(
            R"({"tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"lookup","arguments":"{\"q\""}}]})"));
    registry.requestChunk(r.requestId,
                          delta(R"({"tool_calls":[{"index":0,"function":{"arguments":":1}"}}]})"));
    QTRY_COMPARE(stream->sectionText(QStringLiteral("tool:0")), QStringLiteral(R"({"q":1})"));
    QCOMPARE(stream->sectionText(QStringLiteral("content")), QStringLiteral("Hello\nworld"));
    // Reasoning arriving after the answer goes back into its own section, before the answer.
    registry.requestChunk(r.requestId, delta(R"({"reasoning_content":", still"})"));
    QTRY_COMPARE(stream->sectionText(QStringLiteral("reasoning")),
                 QStringLiteral("thinking hard, still"));

    const QString text = stream->toPlainText();
    QVERIFY(text.indexOf(QStringLiteral("thinking hard, still")) <
            text.indexOf(QStringLiteral("Hello\nworld")));
    QVERIFY(text.indexOf(QStringLiteral("Hello\nworld")) < text.indexOf(QStringLiteral("lookup")));
    QVERIFY(text.contains(QStringLiteral("Tool call: lookup")));
    const QTextCharFormat reasoning = formatOf(stream->document(), QStringLiteral("thinking"));
    const QTextCharFormat answer = formatOf(stream->document(), QStringLiteral("Hello"));
    const QTextCharFormat tool = formatOf(stream->document(), QStringLiteral(R"({"q":1})"));
    QVERIFY(reasoning.fontItalic());
    QVERIFY(!answer.fontItalic());
    QVERIFY(reasoning.foreground() != answer.foreground());
    QVERIFY(tool.foreground() != answer.foreground());
    QVERIFY(tool.foreground() != reasoning.foreground());

    // Timing is shown.
    QTRY_VERIFY(view.timingLabel()->text().contains(
        RequestTableModel::stateText(RequestSnapshot::State::Streaming)));
    QVERIFY(view.timingLabel()->text().contains(QStringLiteral("first token")));
}

void TestSessionsView::stopButtonStopsTheSelectedRequest()
{
    SessionRegistry registry;
    registry.setFlushInterval(30);
    SessionsView view(&registry);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    FakeExchange exchange;
    const RequestInfo r = info(QStringLiteral("r1"), QStringLiteral("s"), &exchange);
    registry.requestStarted(r);
    registry.requestChunk(r.requestId, delta(R"({"content":"partial"})"));
    QTRY_VERIFY(view.selectSession(QStringLiteral("s")));
    QTRY_VERIFY(view.selectRequest(QStringLiteral("r1")));
    QTRY_VERIFY(view.stopButton()->isEnabled());

    QTest::mouseClick(view.stopButton(), Qt::LeftButton);
    QTRY_COMPARE(exchange.stops, 1);
    QVERIFY(!view.stopButton()->isEnabled());
    QTRY_VERIFY(view.timingLabel()->text().contains(
        RequestTableModel::stateText(RequestSnapshot::State::Stopping)));

    RequestSummary stopped;
    stopped.info = r;
    stopped.status = 503;
    stopped.error = QStringLiteral("The request was stopped in Portico.");
    stopped.stopped = true;
    registry.requestFinished(stopped);
    QTRY_VERIFY(view.timingLabel()->text().contains(
        RequestTableModel::stateText(RequestSnapshot::State::Stopped)));
    QVERIFY(view.timingLabel()->text().contains(QStringLiteral("stopped in Portico")));
    QVERIFY(!view.stopButton()->isEnabled());
    QCOMPARE(view.streamView()->sectionText(QStringLiteral("content")), QStringLiteral("partial"));
}

void TestSessionsView::finishedNonStreamedAnswerIsShown()
{
    SessionRegistry registry;
    registry.setFlushInterval(30);
    SessionsView view(&registry);
    view.show();
    RequestInfo r = info(QStringLiteral("j1"), QStringLiteral("s"));
    r.stream = false;
    registry.requestStarted(r);
    RequestSummary done;
    done.info = r;
    done.status = 200;
    done.completionJson =
        R"({"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"whole answer","tool_calls":[{"id":"c","type":"function","function":{"name":"grep","arguments":"{}"}}]},"finish_reason":"stop"}],"usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6}})";
    registry.requestFinished(done);
    QTRY_VERIFY(view.selectSession(QStringLiteral("s")));
    QTRY_VERIFY(view.selectRequest(QStringLiteral("j1")));
    QTRY_COMPARE(view.streamView()->sectionText(QStringLiteral("content")),
                 QStringLiteral("whole answer"));
    QVERIFY(view.streamView()->toPlainText().contains(QStringLiteral("Tool call: grep")));
    QVERIFY(!view.stopButton()->isEnabled());
    QVERIFY(view.timingLabel()->text().contains(QStringLiteral("2 tokens")));
}

void TestSessionsView::staysResponsiveWithHundredsOfStreams()
{
    SessionRegistry registry; // the real flush interval
    SessionsView view(&registry);
    QAbstractItemModelTester sessionsTester(view.sessionModel(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.resize(1000, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    constexpr int streams = 400;
    for (int i = 0; i < streams; ++i)
        registry.requestStarted(
            info(QStringLiteral("r%1").arg(i), QStringLiteral("session-%1").arg(i % 40)));
    QTRY_COMPARE(view.sessionModel()->rowCount(), 40);
    QVERIFY(view.selectSession(QStringLiteral("session-0")));
    QTRY_VERIFY(view.selectRequest(QStringLiteral("r0")));

    // Workers feed every stream for a while; the GUI thread's ticks show how responsive it is.
    std::atomic<bool> done{false};
    std::atomic<qint64> sent{0};
    std::thread feeder([&] {
        const QByteArray c = delta(R"({"content":"token "})");
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 2000) {
            for (int i = 0; i < streams; ++i)
                registry.requestChunk(QStringLiteral("r%1").arg(i), c);
            sent += streams;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        done = true;
    });
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    qint64 worst = 0;
    int ticks = 0;
    QTimer tick;
    connect(&tick, &QTimer::timeout, this, [&] {
        const qint64 now = clock.elapsed();
        worst = std::max(worst, now - last);
        last = now;
        ++ticks;
    });
    tick.start(10);
    QTRY_VERIFY_WITH_TIMEOUT(done.load(), 20'000);
    feeder.join();
    tick.stop();
    qInfo("%lld chunks over %d streams in 2 s; GUI ticks %d, longest gap %lld ms", sent.load(),
          streams, ticks, worst);
    QVERIFY(sent.load() > 10 * streams);
    QVERIFY2(worst < 500, qPrintable(QString::number(worst)));
    QTRY_VERIFY(view.streamView()->sectionText(QStringLiteral("content")).size() > 100);
}

QTEST_MAIN(TestSessionsView)
#include "tst_sessionsview.moc"
