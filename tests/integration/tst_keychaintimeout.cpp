// A session bus that accepts connections and never answers: keychain jobs must still end, with
// NoBackend, when their timeout expires. Sets its own DBUS_SESSION_BUS_ADDRESS before any D-Bus
// use, so it needs a process of its own.
#include "KeychainSecretStore.h"

#include <QElapsedTimer>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace portico;

class TestKeychainTimeout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void silentBusTimesOut();

private:
    QTemporaryDir m_dir;
    QLocalServer m_bus;
};

void TestKeychainTimeout::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString path = m_dir.filePath(QStringLiteral("bus"));
    QVERIFY2(m_bus.listen(path), qPrintable(m_bus.errorString()));
    // Accepted connections are kept open and never answered.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + QFile::encodeName(path));
}

void TestKeychainTimeout::silentBusTimesOut()
{
    KeychainSecretStore store;
    store.setTimeouts(1500, 300);
    QElapsedTimer timer;
    timer.start();
    int count = 0;
    SecretJob::Error error = SecretJob::Error::None;
    QString message;
    qint64 elapsed = 0;
    SecretJob *job = store.write(QStringLiteral("token/x"), "pt_secret");
    connect(job, &SecretJob::finished, this, [&](SecretJob *j) {
        ++count;
        error = j->error();
        message = j->errorString();
        elapsed = timer.elapsed();
    });
    QTRY_COMPARE_WITH_TIMEOUT(count, 1, 5000);
    QVERIFY2(m_bus.hasPendingConnections(), "the keychain never reached the silent bus");
    QCOMPARE(error, SecretJob::Error::NoBackend);
    QVERIFY2(message.contains(QStringLiteral("did not answer within 1.5 s")), qPrintable(message));
    QVERIFY(message.contains(QStringLiteral("Install and start gnome-keyring or KWallet")));
    QVERIFY2(elapsed >= 1400 && elapsed < 3000, qPrintable(QString::number(elapsed)));

    // The next job (queued behind the stuck one inside QtKeychain) ends on its own timeout too.
    int second = 0;
    connect(store.read(QStringLiteral("token/x")), &SecretJob::finished, this, [&](SecretJob *j) {
        ++second;
        error = j->error();
    });
    QTRY_COMPARE_WITH_TIMEOUT(second, 1, 5000);
    QCOMPARE(error, SecretJob::Error::NoBackend);
    QTest::qWait(50);
    QCOMPARE(count, 1);
    QCOMPARE(second, 1);
}

QTEST_GUILESS_MAIN(TestKeychainTimeout)
#include "tst_keychaintimeout.moc"
