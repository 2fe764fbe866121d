// Against a real Secret Service: run through with-keyring.sh (see CMakeLists.txt).
#include "Config.h"
#include "KeychainSecretStore.h"
#include "TokenCommand.h"
#include "TokenService.h"
#include "TokenVerifier.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QElapsedTimer>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

using namespace portico;

namespace {

struct Outcome
{
    SecretJob::Error error = SecretJob::Error::Other;
    QString errorString;
    QByteArray data;
    int finishedCount = 0;
};

// Waits for one job; checks it ends once and well within the store's own timeout.
Outcome wait(SecretJob *job)
{
    Outcome o;
    QObject::connect(job, &SecretJob::finished, job, [&o](SecretJob *j) {
        ++o.finishedCount;
        o.error = j->error();
        o.errorString = j->errorString();
        o.data = j->data();
    });
    if (!QTest::qWaitFor([&] { return o.finishedCount > 0; }, 12'000))
        qWarning("job did not finish in time");
    return o;
}

} // namespace

class TestKeychainStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void roundTrip();
    void readMissingIsNotFound();
    void removeMissingSucceeds();
    void overwrite();
    void manyJobsEachEndOnce();
    void tokenServiceAgainstKeychain();
    void tokenCommandAgainstKeychain();
    void neverWritesPlaintext();
    void lockedKeyringIsAccessDenied(); // locks the keyring: keep it last

private:
    QString key(const QString &name) const { return m_prefix + name; }

    KeychainSecretStore m_store;
    QString m_prefix;
    QStringList m_written;
};

void TestKeychainStore::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "run this test through tests/integration/with-keyring.sh");
    m_prefix = QStringLiteral("test/%1/").arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
    QCOMPARE(KeychainSecretStore::serviceName(), QStringLiteral("portico"));
    QCOMPARE(m_store.jobTimeoutMs(), 10'000);
}

void TestKeychainStore::cleanup()
{
    for (const QString &k : std::as_const(m_written))
        wait(m_store.remove(k));
    m_written.clear();
}

void TestKeychainStore::roundTrip()
{
    const QString k = key(QStringLiteral("round-trip"));
    m_written << k;
    const QByteArray secret = TokenService::generateSecret();

    const Outcome written = wait(m_store.write(k, secret));
    QCOMPARE(written.finishedCount, 1);
    QVERIFY2(written.error == SecretJob::Error::None, qPrintable(written.errorString));
    QVERIFY(written.errorString.isEmpty());

    const Outcome read = wait(m_store.read(k));
    QVERIFY2(read.error == SecretJob::Error::None, qPrintable(read.errorString));
    QCOMPARE(read.data, secret);

    const Outcome removed = wait(m_store.remove(k));
    QVERIFY2(removed.error == SecretJob::Error::None, qPrintable(removed.errorString));
    const Outcome gone = wait(m_store.read(k));
    QCOMPARE(gone.error, SecretJob::Error::NotFound);
    QVERIFY(gone.data.isEmpty());

    // Non-ASCII text survives, too (passwords, API keys).
    const QByteArray text = QStringLiteral(u"pässwörd ✓ with spaces").toUtf8();
    QCOMPARE(wait(m_store.write(k, text)).error, SecretJob::Error::None);
    QCOMPARE(wait(m_store.read(k)).data, text);
}

void TestKeychainStore::readMissingIsNotFound()
{
    QElapsedTimer timer;
    timer.start();
    const Outcome o = wait(m_store.read(key(QStringLiteral("never-written"))));
    QCOMPARE(o.finishedCount, 1);
    QCOMPARE(o.error, SecretJob::Error::NotFound);
    QVERIFY(o.errorString.contains(QStringLiteral("never-written")));
    QVERIFY2(timer.elapsed() < 2000, "NotFound must not wait for a retry");
}

void TestKeychainStore::removeMissingSucceeds()
{
    const Outcome o = wait(m_store.remove(key(QStringLiteral("never-written"))));
    QCOMPARE(o.finishedCount, 1);
    QVERIFY2(o.error == SecretJob::Error::None, qPrintable(o.errorString));
}

void TestKeychainStore::overwrite()
{
    const QString k = key(QStringLiteral("overwrite"));
    m_written << k;
    QCOMPARE(wait(m_store.write(k, "first")).error, SecretJob::Error::None);
    QCOMPARE(wait(m_store.write(k, "second")).error, SecretJob::Error::None);
    QCOMPARE(wait(m_store.read(k)).data, QByteArray("second"));
    // Keys are separate entries.
    const QString other = key(QStringLiteral("overwrite-other"));
    m_written << other;
    QCOMPARE(wait(m_store.write(other, "other")).error, SecretJob::Error::None);
    QCOMPARE(wait(m_store.read(k)).data, QByteArray("second"));
}

void TestKeychainStore::manyJobsEachEndOnce()
{
    // Started together; QtKeychain runs them one after another. Each must end exactly once.
    QList<SecretJob *> jobs;
    for (int i = 0; i < 5; ++i) {
        const QString k = key(QStringLiteral("many-%1").arg(i));
        m_written << k;
        jobs << m_store.write(k, QByteArray::number(i));
    }
    for (int i = 0; i < 5; ++i)
        jobs << m_store.read(key(QStringLiteral("many-%1").arg(i)));
    QList<int> counts(jobs.size(), 0);
    QList<QByteArray> data(jobs.size());
    for (qsizetype i = 0; i < jobs.size(); ++i) {
        connect(jobs.at(i), &SecretJob::finished, this, [&counts, &data, i](SecretJob *j) {
            ++counts[i];
            if (j->error() == SecretJob::Error::None)
                data[i] = j->data();
        });
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(counts.cbegin(), counts.cend(), [](int c) { return c > 0; }), 9000);
    QTest::qWait(50);
    for (qsizetype i = 0; i < jobs.size(); ++i)
        QCOMPARE(counts.at(i), 1);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(data.at(5 + i), QByteArray::number(i));
}

void TestKeychainStore::tokenServiceAgainstKeychain()
{
    TokenService service(&m_store);
    QSignalSpy unavailable(&service, &TokenService::storeUnavailable);
    Config config;
    TokenResult first;
    int calls = 0;
    service.ensureDefaultToken(config, this, [&](const TokenResult &r) {
        first = r;
        ++calls;
    });
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, 9000);
    QVERIFY2(first.ok(), qPrintable(first.errorString));
    QVERIFY(first.created);
    QCOMPARE(config.gateway.tokens.size(), 1);
    m_written << SecretStore::tokenKey(first.record.id);

    TokenResult read;
    service.readToken(config.gateway.tokens.first(), this, [&](const TokenResult &r) {
        read = r;
        ++calls;
    });
    QTRY_COMPARE_WITH_TIMEOUT(calls, 2, 9000);
    QVERIFY2(read.ok(), qPrintable(read.errorString));
    QCOMPARE(read.secret, first.secret);
    const TokenVerifier verifier(config.gateway.tokens);
    QCOMPARE(verifier.verify(read.secret), QStringLiteral("default"));

    TokenResult revoked;
    service.revoke(first.record.id, this, [&](const TokenResult &r) {
        revoked = r;
        ++calls;
    });
    QTRY_COMPARE_WITH_TIMEOUT(calls, 3, 9000);
    QVERIFY(revoked.ok());
    QCOMPARE(wait(m_store.read(SecretStore::tokenKey(first.record.id))).error,
             SecretJob::Error::NotFound);
    QCOMPARE(unavailable.size(), 0);
}

void TestKeychainStore::tokenCommandAgainstKeychain()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("portico.json"));
    Config config;
    QString out1, out2, err;
    QTextStream o1(&out1), o2(&out2), e(&err);
    QCOMPARE(runTokenCommand({}, o1, e, m_store, config, path), 0);
    QCOMPARE(runTokenCommand({QStringLiteral("--name"), QStringLiteral("default")}, o2, e, m_store,
                             config, path),
             0);
    e.flush();
    QVERIFY2(err.isEmpty(), qPrintable(err));
    QVERIFY(out1.startsWith(QStringLiteral("pt_")));
    QCOMPARE(out2, out1);
    QString out3;
    QTextStream o3(&out3);
    QCOMPARE(runTokenCommand({QStringLiteral("--revoke"), QStringLiteral("default")}, o3, e,
                             m_store, config, path),
             0);
    QVERIFY(config.gateway.tokens.isEmpty());
}

void TestKeychainStore::neverWritesPlaintext()
{
    const QString k = key(QStringLiteral("plaintext-check"));
    m_written << k;
    QCOMPARE(wait(m_store.write(k, "pt_secret")).error, SecretJob::Error::None);
    // QtKeychain's plaintext fallback would keep entries in QSettings under the service name.
    QSettings fallback(KeychainSecretStore::serviceName());
    QVERIFY2(fallback.allKeys().isEmpty(), qPrintable(fallback.allKeys().join(u',')));
}

void TestKeychainStore::lockedKeyringIsAccessDenied()
{
    const QString k = key(QStringLiteral("locked"));
    m_written << k;
    QCOMPARE(wait(m_store.write(k, "pt_before-lock")).error, SecretJob::Error::None);

    // Lock every collection, as the desktop does on screen lock or when asked.
    QDBusMessage lock = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.secrets"), QStringLiteral("/org/freedesktop/secrets"),
        QStringLiteral("org.freedesktop.Secret.Service"), QStringLiteral("Lock"));
    lock << QVariant::fromValue(QList<QDBusObjectPath>{
        QDBusObjectPath(QStringLiteral("/org/freedesktop/secrets/collection/login"))});
    const QDBusMessage reply = QDBusConnection::sessionBus().call(lock);
    QVERIFY2(reply.type() == QDBusMessage::ReplyMessage, qPrintable(reply.errorMessage()));

    // Nobody can answer the unlock prompt here (no display), so the keychain refuses.
    QElapsedTimer timer;
    timer.start();
    const Outcome write = wait(m_store.write(key(QStringLiteral("locked-new")), "pt_x"));
    QCOMPARE(write.error, SecretJob::Error::AccessDenied);
    QVERIFY2(write.errorString.contains(QStringLiteral("locked or refused access")),
             qPrintable(write.errorString));
    // libsecret reports a locked entry as missing; the store must not pass that on as
    // NotFound (a caller could take it for a lost token), nor a no-op removal as success.
    const Outcome read = wait(m_store.read(k));
    QCOMPARE(read.error, SecretJob::Error::AccessDenied);
    QVERIFY(read.data.isEmpty());
    QVERIFY(read.errorString.contains(QStringLiteral("locked")));
    const Outcome missing = wait(m_store.read(key(QStringLiteral("never-written"))));
    QCOMPARE(missing.error, SecretJob::Error::AccessDenied);
    const Outcome removed = wait(m_store.remove(k));
    QCOMPARE(removed.error, SecretJob::Error::AccessDenied);
    QVERIFY2(timer.elapsed() < 3000, "AccessDenied must not wait for a retry");
    m_written.clear(); // cannot be removed while locked; the keyring is thrown away anyway
}

QTEST_GUILESS_MAIN(TestKeychainStore)
#include "tst_keychainstore.moc"
