// The lifetime of a CLI provider's process: abort(), deleting the call, the timeout, too much
// output and success itself end the whole process group (the fakes leave a grandchild `sleep`
// behind), SIGKILL follows SIGTERM after the grace period, and failures become clean errors.

#include "CliFixture.h"
#include "CliProcessReaper.h"

#include <QElapsedTimer>

using namespace portico;
using namespace portico::test;

class TestCliProcess : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<CliBin> m_bin;
    std::unique_ptr<QTemporaryDir> m_rec;

    QString rec(const QString &name) const { return m_rec->filePath(name); }
    qint64 pidFrom(const char *file) const
    {
        return readFile(rec(QLatin1String(file))).trimmed().toLongLong();
    }

    std::shared_ptr<Provider> makeProvider(const QString &preset, const char *mode,
                                           const QJsonObject &extra = {})
    {
        qputenv("FAKE_CLI_MODE", mode);
        QJsonObject raw{{QStringLiteral("workingDirectory"), m_rec->path()}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            raw.insert(it.key(), it.value());
        return provider(preset, raw);
    }

    // Waits until the fake has started its grandchild and returns both pids.
    bool waitForHang(qint64 *child, qint64 *grandchild)
    {
        if (!QTest::qWaitFor([this] { return pidFrom("grandchild.pid") > 0; }, 10'000))
            return false;
        *child = pidFrom("child.pid");
        *grandchild = pidFrom("grandchild.pid");
        return processAlive(*child) && processAlive(*grandchild);
    }

private slots:
    void initTestCase() { m_bin = std::make_unique<CliBin>(); }

    void init()
    {
        m_rec = std::make_unique<QTemporaryDir>();
        QVERIFY(m_rec->isValid());
        qputenv("FAKE_CLI_DIR", m_rec->path().toLocal8Bit());
    }

    void cleanup()
    {
        for (const char *file : {"child.pid", "grandchild.pid"}) {
            const qint64 pid = pidFrom(file);
            if (processAlive(pid))
                ::kill(pid_t(pid), SIGKILL); // only if a test failed half-way
        }
    }

    void abortEndsTheProcessGroup_data()
    {
        QTest::addColumn<bool>("destroy");
        QTest::newRow("abort") << false;
        QTest::newRow("abort, then delete at once") << true;
    }

    void abortEndsTheProcessGroup()
    {
        QFETCH(bool, destroy);
        const auto p = makeProvider(QStringLiteral("claude"), "hang");
        CallRun run(*p, context(QString(), messagesBody(QStringLiteral("hi"))));
        // Output streams while the CLI still runs.
        QTRY_COMPARE_WITH_TIMEOUT(run.result.content(), QStringLiteral("Working"), 10'000);
        qint64 child = 0;
        qint64 grandchild = 0;
        QVERIFY(waitForHang(&child, &grandchild));
        QVERIFY(child != grandchild);

        run.call()->abort();
        if (destroy)
            run.destroy();
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(child) && !processAlive(grandchild), 5'000);
        QCOMPARE(run.result.succeeded + run.result.failed, 0); // no signal after abort()
        QCOMPARE(run.result.chunks.size(), 2);                 // role, "Working"
    }

    void deletingARunningCallEndsTheGroup()
    {
        const auto p = makeProvider(QStringLiteral("codex"), "hang");
        CallRun run(*p, context(QString(), messagesBody(QStringLiteral("hi"))));
        qint64 child = 0;
        qint64 grandchild = 0;
        QVERIFY(waitForHang(&child, &grandchild));
        run.destroy();
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(child) && !processAlive(grandchild), 5'000);
    }

    void killFollowsTermAfterTheGracePeriod()
    {
        const auto p = makeProvider(QStringLiteral("gemini"), "hang-ignore-term");
        CallRun run(*p, context(QString(), messagesBody(QStringLiteral("hi"))));
        qint64 child = 0;
        qint64 grandchild = 0;
        QVERIFY(waitForHang(&child, &grandchild));
        QElapsedTimer clock;
        clock.start();
        run.call()->abort();
        // SIGTERM is ignored by both, so both are still there…
        QVERIFY(processAlive(child) && processAlive(grandchild));
        // …until SIGKILL, CliProcessReaper::kGraceMs later.
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(child) && !processAlive(grandchild), 8'000);
        QVERIFY2(clock.elapsed() >= CliProcessReaper::kGraceMs - 200,
                 qPrintable(QString::number(clock.elapsed())));
    }

    void timeoutIs504()
    {
        const auto p = makeProvider(QStringLiteral("claude"), "hang",
                                    QJsonObject{{QStringLiteral("timeoutSeconds"), 1}});
        QElapsedTimer clock;
        clock.start();
        CallRun run(*p, context(QString(), messagesBody(QStringLiteral("hi"))));
        QVERIFY(run.waitForEnd(10'000));
        QVERIFY(clock.elapsed() >= 900);
        QCOMPARE(run.result.failed, 1);
        QCOMPARE(run.result.succeeded, 0);
        QCOMPARE(run.result.error.status, 504);
        QCOMPARE(run.result.error.type, QByteArray("upstream_error"));
        QVERIFY2(run.result.error.message.contains(QStringLiteral("timeoutSeconds")),
                 qPrintable(run.result.error.message));
        const qint64 grandchild = pidFrom("grandchild.pid");
        QVERIFY(grandchild > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(pidFrom("child.pid")) && !processAlive(grandchild),
                                 5'000);
    }

    void outputBeyondTheCapFails()
    {
        const auto p = makeProvider(QStringLiteral("claude"), "flood",
                                    QJsonObject{{QStringLiteral("maxOutputBytes"), 65'536}});
        CallRun run(*p, context(QString(), messagesBody(QStringLiteral("hi"))));
        QVERIFY(run.waitForEnd(10'000));
        QCOMPARE(run.result.failed, 1);
        QCOMPARE(run.result.succeeded, 0);
        QCOMPARE(run.result.error.status, 502);
        QVERIFY2(
            run.result.error.message.contains(QStringLiteral("output exceeded maxOutputBytes")),
            qPrintable(run.result.error.message));
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(pidFrom("child.pid")), 5'000);
    }

    void nonZeroExitCarriesRedactedStderr()
    {
        const auto p = makeProvider(QStringLiteral("codex"), "fail");
        CallRun run(*p, context(QString(), messagesBody(QStringLiteral("hi"))));
        QVERIFY(run.waitForEnd());
        QCOMPARE(run.result.failed, 1);
        QCOMPARE(run.result.succeeded, 0);
        QVERIFY(run.result.chunks.isEmpty());
        const ApiError &e = run.result.error;
        QCOMPARE(e.status, 502);
        QCOMPARE(e.type, QByteArray("upstream_error"));
        QVERIFY2(e.message.contains(QStringLiteral("codex exited with code 3")),
                 qPrintable(e.message));
        QVERIFY2(e.message.contains(QStringLiteral("giving up after 3 attempts")),
                 qPrintable(e.message));
        QVERIFY2(e.message.contains(QStringLiteral("[REDACTED]")), qPrintable(e.message));
        QVERIFY2(!e.message.contains(QStringLiteral("abcd1234efgh5678ijkl")),
                 qPrintable(e.message));
        QVERIFY2(!e.message.contains(QStringLiteral("AAAABBBBCCCCDDDDEEEE1234")),
                 qPrintable(e.message));
    }

    void cliReportedErrors_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("message");
        QTest::newRow("claude") << QStringLiteral("claude") << QStringLiteral("Invalid API key");
        QTest::newRow("codex") << QStringLiteral("codex") << QStringLiteral("401 Unauthorized");
        QTest::newRow("gemini") << QStringLiteral("gemini")
                                << QStringLiteral("authentication failed");
    }

    void cliReportedErrors()
    {
        QFETCH(QString, preset);
        QFETCH(QString, message);
        const auto p = makeProvider(preset, "error-event");
        CallRun run(*p, context(QString(), messagesBody(QStringLiteral("hi"))));
        QVERIFY(run.waitForEnd());
        QCOMPARE(run.result.failed, 1);
        QCOMPARE(run.result.succeeded, 0);
        QCOMPARE(run.result.error.status, 502);
        QVERIFY2(run.result.error.message.contains(message), qPrintable(run.result.error.message));
        QVERIFY2(run.result.error.message.contains(QStringLiteral("see the log for details")),
                 qPrintable(run.result.error.message));
    }

    void successAlsoEndsWhatTheCliLeftRunning()
    {
        const auto p = makeProvider(QStringLiteral("claude"), "linger");
        CallRun run(*p, context(QString(), messagesBody(QStringLiteral("hi"))));
        QVERIFY(run.waitForEnd());
        QCOMPARE(run.result.succeeded, 1);
        QCOMPARE(run.result.failed, 0);
        const qint64 grandchild = pidFrom("grandchild.pid");
        QVERIFY(grandchild > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(grandchild), 5'000);
    }
};

QTEST_GUILESS_MAIN(TestCliProcess)
#include "tst_cliprocess.moc"
