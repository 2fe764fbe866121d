// The session registry under load from many threads: updates reach the GUI thread batched (at
// most one flush per interval, nothing scheduled when idle), worker calls stay cheap, Stop reaches
// the exchange in its own thread, and finished requests, sessions and kept chunks are bounded.
// Also the ObserverFanout that puts the registry next to the other observers.
#include "LogRecorder.h"
#include "ObserverFanout.h"
#include "SessionRegistry.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <thread>
#include <vector>

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

RequestSummary summary(const RequestInfo &i, int status = 200)
{
    RequestSummary s;
    s.info = i;
    s.status = status;
    s.latencyMs = 10;
    s.ttftMs = 1;
    return s;
}

QByteArray chunk(const QByteArray &content)
{
    return R"({"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":")" +
           content + R"("},"finish_reason":null}],"usage":null})";
}

const QByteArray kUsageChunk =
    R"({"id":"x","object":"chat.completion.chunk","choices":[],"usage": {"prompt_tokens":2,"completion_tokens":3,"total_tokens":5}})";

// Stands for a ChatExchange: a stop(QString) slot, called in the thread it lives in.
class FakeExchange : public QObject
{
    Q_OBJECT
public:
    std::atomic<int> stops{0};
    std::atomic<QThread *> calledIn{nullptr};
public slots:
    void stop(const QString &reason)
    {
        Q_UNUSED(reason)
        calledIn = QThread::currentThread();
        ++stops;
    }
};

class Recording : public RequestObserver
{
public:
    bool content = false;
    bool live = false;
    int chunks = 0;
    int finished = 0;
    int rejected = 0;
    bool wantsContent() const override { return content; }
    bool wantsLiveChunks() const override { return live; }
    void requestChunk(const QString &, const QByteArray &) override { ++chunks; }
    void requestFinished(const RequestSummary &) override { ++finished; }
    void requestRejected(const QByteArray &, const QByteArray &, int, const QString &,
                         const QString &) override
    {
        ++rejected;
    }
};

} // namespace

class TestSessionRegistryBatching : public QObject
{
    Q_OBJECT

private slots:
    void hundredsOfStreamsAreBatched();
    void workerCallsAreCheap();
    void stopReachesTheExchangeThread();
    void finishedRequestsAreTrimmed();
    void idleSessionsAreEvicted();
    void chunkBudgetsHold();
    void fanoutForwards();
    void recorderAssemblesChunks();
};

void TestSessionRegistryBatching::hundredsOfStreamsAreBatched()
{
    SessionRegistry registry;
    QElapsedTimer clock;
    clock.start();
    QList<qint64> flushes; // when a flush began emitting (its signals come in one burst)
    qint64 lastSignal = -1000;
    const auto note = [&] {
        const qint64 t = clock.elapsed();
        if (t - lastSignal > 20)
            flushes.append(t);
        lastSignal = t;
    };
    connect(&registry, &SessionRegistry::sessionsChanged, this, note);
    connect(&registry, &SessionRegistry::liveTextChanged, this, note);
    connect(&registry, &SessionRegistry::requestsChanged, this, note);
    QSignalSpy liveCount(&registry, &SessionRegistry::liveStreamCountChanged);

    constexpr int threads = 4;
    constexpr int perThread = 100; // 400 live streams
    std::atomic<int> finishedThreads{0};
    std::atomic<qint64> chunksSent{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            QList<RequestInfo> mine;
            for (int i = 0; i < perThread; ++i) {
                mine.append(info(QStringLiteral("r%1-%2").arg(t).arg(i),
                                 QStringLiteral("s%1").arg(i % 50)));
                registry.requestStarted(mine.last());
            }
            QElapsedTimer running;
            running.start();
            while (running.elapsed() < 1200) {
                for (const RequestInfo &i : std::as_const(mine))
                    registry.requestChunk(i.requestId, chunk("tok "));
                chunksSent += mine.size();
            }
            for (const RequestInfo &i : std::as_const(mine)) {
                registry.requestChunk(i.requestId, kUsageChunk);
                registry.requestFinished(summary(i));
            }
            ++finishedThreads;
        });
    }
    QTRY_VERIFY_WITH_TIMEOUT(finishedThreads.load() == threads, 20'000);
    for (std::thread &w : workers)
        w.join();
    QTRY_VERIFY(!liveCount.isEmpty() && liveCount.last().at(0).toInt() == 0);
    QTRY_VERIFY(!registry.isFlushScheduled());

    qInfo("%lld chunks from %d threads, %lld flushes", chunksSent.load(), threads,
          qint64(flushes.size()));
    QVERIFY(chunksSent.load() > 10'000);
    // A few flushes a second however many chunks: consecutive flushes about the interval apart
    // (coarse timers may fire 5% early, and the time taken to take the lock from busy workers
    // before emitting varies).
    QVERIFY(flushes.size() >= 2);
    QVERIFY(flushes.size() <= clock.elapsed() / 190 + 2);
    for (qsizetype i = 1; i < flushes.size(); ++i)
        QVERIFY2(flushes.at(i) - flushes.at(i - 1) >= 150,
                 qPrintable(
                     QStringLiteral("flushes %1 ms apart").arg(flushes.at(i) - flushes.at(i - 1))));

    QCOMPARE(registry.liveStreamCount(), 0);
    const QList<SessionSnapshot> sessions = registry.sessions();
    QCOMPARE(sessions.size(), 50);
    for (const SessionSnapshot &s : sessions) {
        QCOMPARE(s.requestCount, threads * perThread / 50);
        QCOMPARE(s.liveCount, 0);
        QCOMPARE(s.tokensIn, 2 * s.requestCount);
        QCOMPARE(s.tokensOut, 3 * s.requestCount);
    }

    // Idle: no flush is scheduled and nothing is emitted.
    QSignalSpy anything(&registry, &SessionRegistry::sessionsChanged);
    QVERIFY(!anything.wait(700));
    QVERIFY(!registry.isFlushScheduled());
}

void TestSessionRegistryBatching::workerCallsAreCheap()
{
    // The GUI thread is busy (not running its event loop) while workers report: they must never
    // wait for it.
    SessionRegistry registry;
    constexpr int streams = 200;
    for (int i = 0; i < streams; ++i)
        registry.requestStarted(info(QStringLiteral("r%1").arg(i), QStringLiteral("s")));
    const QByteArray c = chunk("token");
    constexpr int perThread = 100'000;
    QElapsedTimer clock;
    clock.start();
    std::vector<std::thread> workers;
    for (int t = 0; t < 4; ++t) {
        workers.emplace_back([&, t] {
            const QString id = QStringLiteral("r%1").arg(t);
            for (int n = 0; n < perThread; ++n)
                registry.requestChunk(id, c);
        });
    }
    for (std::thread &w : workers)
        w.join();
    const double usPerCall = double(clock.nsecsElapsed()) / 1000.0 / (4.0 * perThread);
    qInfo("%.3f us per requestChunk (4 threads contending)", usPerCall);
    QVERIFY2(usPerCall < 50.0, qPrintable(QString::number(usPerCall)));
    QCOMPARE(registry.request(QStringLiteral("r0")).chunks, perThread);
}

void TestSessionRegistryBatching::stopReachesTheExchangeThread()
{
    SessionRegistry registry;
    QThread worker;
    worker.start();
    auto *exchange = new FakeExchange;
    exchange->moveToThread(&worker);
    const RequestInfo i = info(QStringLiteral("r1"), QStringLiteral("s"), exchange);
    registry.requestStarted(i);
    QVERIFY(registry.stopRequest(QStringLiteral("r1")));
    QTRY_COMPARE(exchange->stops.load(), 1);
    QCOMPARE(exchange->calledIn.load(), &worker);
    QCOMPARE(registry.request(QStringLiteral("r1")).state, RequestSnapshot::State::Stopping);

    RequestSummary s = summary(i, 503);
    s.stopped = true;
    registry.requestFinished(s);
    QCOMPARE(registry.request(QStringLiteral("r1")).state, RequestSnapshot::State::Stopped);
    QVERIFY(!registry.stopRequest(QStringLiteral("r1")));
    QVERIFY(!registry.stopRequest(QStringLiteral("nope")));
    QCOMPARE(exchange->stops.load(), 1);

    // A request without an exchange cannot be stopped.
    registry.requestStarted(info(QStringLiteral("r2"), QStringLiteral("s")));
    QVERIFY(!registry.stopRequest(QStringLiteral("r2")));

    QMetaObject::invokeMethod(exchange, &QObject::deleteLater);
    worker.quit();
    worker.wait();
}

void TestSessionRegistryBatching::finishedRequestsAreTrimmed()
{
    SessionRegistry registry;
    registry.setFinishedPerSession(3);
    const RequestInfo live = info(QStringLiteral("live"), QStringLiteral("s"));
    registry.requestStarted(live);
    for (int n = 0; n < 10; ++n) {
        const RequestInfo i = info(QStringLiteral("r%1").arg(n), QStringLiteral("s"));
        registry.requestStarted(i);
        registry.requestChunk(i.requestId, chunk("x"));
        registry.requestFinished(summary(i));
    }
    const QList<RequestSnapshot> requests = registry.requests(QStringLiteral("s"));
    QCOMPARE(requests.size(), 4); // the live one stays, with the 3 newest finished
    QCOMPARE(requests.at(0).requestId, QStringLiteral("r9"));
    QCOMPARE(requests.at(1).requestId, QStringLiteral("r8"));
    QCOMPARE(requests.at(2).requestId, QStringLiteral("r7"));
    QCOMPARE(requests.at(3).requestId, QStringLiteral("live"));
    QCOMPARE(registry.sessions().first().requestCount, 11);
}

void TestSessionRegistryBatching::idleSessionsAreEvicted()
{
    SessionRegistry registry;
    registry.setMaxSessions(5);
    const RequestInfo keep = info(QStringLiteral("keep"), QStringLiteral("s-live"));
    registry.requestStarted(keep); // the oldest, but live
    for (int n = 0; n < 10; ++n) {
        RequestInfo i = info(QStringLiteral("r%1").arg(n), QStringLiteral("s%1").arg(n));
        i.startedMs += n + 1;
        registry.requestStarted(i);
        registry.requestFinished(summary(i));
    }
    QSignalSpy requestsChanged(&registry, &SessionRegistry::requestsChanged);
    registry.flush();
    const QList<SessionSnapshot> sessions = registry.sessions();
    QCOMPARE(sessions.size(), 5);
    QStringList keys;
    for (const SessionSnapshot &s : sessions)
        keys.append(s.key);
    QVERIFY(keys.contains(QStringLiteral("s-live")));
    QVERIFY(keys.contains(QStringLiteral("s9")));
    QVERIFY(!keys.contains(QStringLiteral("s0")));
    bool found = true;
    registry.request(QStringLiteral("r0"), &found);
    QVERIFY(!found);
    // Views showing an evicted session hear about it.
    bool told = false;
    for (const QList<QVariant> &args : std::as_const(requestsChanged))
        told = told || args.at(0).toString() == QStringLiteral("s0");
    QVERIFY(told);

    registry.clearFinished();
    QCOMPARE(registry.sessions().size(), 1);
    QCOMPARE(registry.requests(QStringLiteral("s-live")).size(), 1);
}

void TestSessionRegistryBatching::chunkBudgetsHold()
{
    SessionRegistry registry;
    const QByteArray c = chunk("0123456789");
    registry.setMaxChunkBytesPerRequest(c.size() * 3);
    registry.setFinishedChunkBudget(c.size() * 5);
    const RequestInfo a = info(QStringLiteral("a"), QStringLiteral("s"));
    registry.requestStarted(a);
    for (int n = 0; n < 5; ++n)
        registry.requestChunk(a.requestId, c);
    StreamSlice slice = registry.streamSince(a.requestId, 0);
    QCOMPARE(slice.chunks.size(), 3);
    QVERIFY(slice.truncated);
    QCOMPARE(slice.request.chunks, 5); // counted even when not kept
    QCOMPARE(registry.streamSince(a.requestId, 2).chunks.size(), 1);
    registry.requestFinished(summary(a));

    const RequestInfo b = info(QStringLiteral("b"), QStringLiteral("s"));
    registry.requestStarted(b);
    for (int n = 0; n < 3; ++n)
        registry.requestChunk(b.requestId, c);
    registry.requestFinished(summary(b)); // 6 chunks finished > budget of 5: a's go
    QVERIFY(registry.streamSince(a.requestId, 0).chunks.isEmpty());
    QVERIFY(registry.streamSince(a.requestId, 0).found);
    QCOMPARE(registry.streamSince(b.requestId, 0).chunks.size(), 3);
    QVERIFY(!registry.streamSince(b.requestId, 0).truncated);
}

void TestSessionRegistryBatching::fanoutForwards()
{
    Recording plain;
    Recording content;
    content.content = true;
    Recording live;
    live.live = true;
    ObserverFanout none({&plain});
    QVERIFY(!none.wantsContent());
    QVERIFY(!none.wantsLiveChunks());
    ObserverFanout fanout({&plain, &content, &live, nullptr, &plain});
    QCOMPARE(fanout.observers().size(), 3);
    QVERIFY(fanout.wantsContent());
    QVERIFY(fanout.wantsLiveChunks());
    const RequestInfo i = info(QStringLiteral("r"), QStringLiteral("s"));
    fanout.requestStarted(i);
    fanout.requestChunk(i.requestId, chunk("x"));
    fanout.requestFinished(summary(i));
    fanout.requestRejected("POST", "/v1/chat/completions", 401, QStringLiteral("no"),
                           QStringLiteral("127.0.0.1"));
    QCOMPARE(plain.chunks, 0);
    QCOMPARE(content.chunks, 0);
    QCOMPARE(live.chunks, 1);
    for (const Recording *r : {&plain, &content, &live}) {
        QCOMPARE(r->finished, 1);
        QCOMPARE(r->rejected, 1);
    }
}

void TestSessionRegistryBatching::recorderAssemblesChunks()
{
    RequestSummary s = summary(info(QStringLiteral("r"), QStringLiteral("s")));
    s.info.messages = QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                             {QStringLiteral("content"), QStringLiteral("hi")}}};
    for (const QByteArray &json : {chunk("Hel"), chunk("lo"), kUsageChunk})
        s.streamed.add(json);
    s.ttftMs = 42;
    s.latencyMs = 900;
    const LogRecord r = LogRecorder::toRecord(s);
    QCOMPARE(r.requestId, QStringLiteral("r"));
    QCOMPARE(r.sessionKey, QStringLiteral("s"));
    QCOMPARE(r.agent, QStringLiteral("coder"));
    QCOMPARE(r.provider, QStringLiteral("local"));
    QCOMPARE(r.clientTokenName, QStringLiteral("laptop"));
    QCOMPARE(r.ttftMs, 42);
    QCOMPARE(r.latencyMs, 900);
    QCOMPARE(r.usage, (LogRecord::Usage{2, 3, 5}));
    QCOMPARE(r.response.value(QStringLiteral("content")).toString(), QStringLiteral("Hello"));
    QCOMPARE(r.lastUserText(), QStringLiteral("hi"));

    RequestSummary failed = summary(info(QStringLiteral("f"), QStringLiteral("s")), 502);
    failed.errorCode = QStringLiteral("upstream_unavailable");
    const LogRecord f = LogRecorder::toRecord(failed);
    QCOMPARE(f.status, 502);
    QCOMPARE(f.error, QStringLiteral("upstream_unavailable"));
    QVERIFY(f.response.isEmpty());
    QVERIFY(!f.usage.isKnown());
}

QTEST_GUILESS_MAIN(TestSessionRegistryBatching)
#include "tst_sessionregistrybatching.moc"
