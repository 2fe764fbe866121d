// With no Secret Service: run with DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent (see
// CMakeLists.txt). Every job must end with NoBackend and an actionable message, after one retry,
// within the job timeout.
#include "Config.h"
#include "KeychainSecretStore.h"
#include "TokenCommand.h"

#include <QElapsedTimer>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace portico;

class TestKeychainNoBackend : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyJobFailsClearly();
    void tokenCommandExitsWithMessage();

private:
    KeychainSecretStore m_store;
};

void TestKeychainNoBackend::initTestCase()
{
    const QByteArray bus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
    QVERIFY2(bus.contains("/nonexistent"),
             "run with DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent");
}

void TestKeychainNoBackend::everyJobFailsClearly()
{
    struct Seen
    {
        int count = 0;
        SecretJob::Error error = SecretJob::Error::None;
        QString errorString;
        qint64 elapsedMs = 0;
    };
    QElapsedTimer timer;
    timer.start();
    const QList<SecretJob *> jobs = {m_store.read(QStringLiteral("token/x")),
                                     m_store.write(QStringLiteral("token/x"), "pt_secret"),
                                     m_store.remove(QStringLiteral("token/x"))};
    QList<Seen> seen(jobs.size());
    for (qsizetype i = 0; i < jobs.size(); ++i) {
        connect(jobs.at(i), &SecretJob::finished, this, [&seen, &timer, i](SecretJob *job) {
            Seen &s = seen[i];
            ++s.count;
            s.error = job->error();
            s.errorString = job->errorString();
            s.elapsedMs = timer.elapsed();
        });
    }
    // Within the job timeout (10 s), plus a little slack for a loaded machine.
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(seen.cbegin(), seen.cend(), [](const Seen &s) { return s.count > 0; }),
        m_store.jobTimeoutMs() + 2000);
    QTest::qWait(100);
    for (const Seen &s : std::as_const(seen)) {
        QCOMPARE(s.count, 1);
        QCOMPARE(s.error, SecretJob::Error::NoBackend);
        QVERIFY2(s.errorString.contains(QStringLiteral("No Secret Service is running on D-Bus")),
                 qPrintable(s.errorString));
        QVERIFY(s.errorString.contains(QStringLiteral("gnome-keyring or KWallet")));
        // One retry, a few seconds later, before giving up; and no waiting for the timeout.
        // (Qt's coarse timers may fire up to 5% early.)
        QVERIFY2(s.elapsedMs >= m_store.retryDelayMs() * 9 / 10,
                 qPrintable(QString::number(s.elapsedMs)));
        QVERIFY2(s.elapsedMs < m_store.jobTimeoutMs(), qPrintable(QString::number(s.elapsedMs)));
    }
    // No plaintext fallback: QtKeychain would have used QSettings under the service name.
    QSettings fallback(KeychainSecretStore::serviceName());
    QVERIFY(fallback.allKeys().isEmpty());
}

void TestKeychainNoBackend::tokenCommandExitsWithMessage()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("portico.json"));
    Config config;
    QString out, err;
    QTextStream o(&out), e(&err);
    m_store.setTimeouts(5000, 500);
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(runTokenCommand({}, o, e, m_store, config, path), 1);
    QVERIFY(timer.elapsed() < 5000);
    e.flush();
    o.flush();
    QVERIFY(out.isEmpty());
    QVERIFY2(err.contains(QStringLiteral("No Secret Service is running on D-Bus")),
             qPrintable(err));
    QVERIFY(config.gateway.tokens.isEmpty());
    QVERIFY(!QFile::exists(path));
}

QTEST_GUILESS_MAIN(TestKeychainNoBackend)
#include "tst_keychainnobackend.moc"
