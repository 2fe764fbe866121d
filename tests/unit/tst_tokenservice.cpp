#include "MemorySecretStore.h"
#include "TokenService.h"
#include "TokenVerifier.h"

#include <QSignalSpy>
#include <QtTest>

using namespace portico;

namespace {

// Runs one asynchronous TokenService call and returns its result, checking it ends once.
template<typename Start> TokenResult run(Start start)
{
    QObject context;
    int calls = 0;
    TokenResult result;
    start(&context, [&](const TokenResult &r) {
        ++calls;
        result = r;
    });
    if (calls != 0) // never synchronously
        qFatal("callback ran inside the call");
    if (!QTest::qWaitFor([&] { return calls > 0; }, 5000))
        qFatal("callback never ran");
    QTest::qWait(20); // a second call would show up here
    if (calls != 1)
        qFatal("callback ran %d times", calls);
    return result;
}

} // namespace

class TestTokenService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createStoresSecretAndDigest();
    void createRejectsBadNames_data();
    void createRejectsBadNames();
    void readReturnsSecret();
    void readMissingSecretIsError();
    void readMismatchedSecretIsError();
    void revokeRemovesSecret();
    void rename();
    void defaultTokenCreatedOnce();
    void defaultTokenNotFoundIsNotRegenerated();
    void injectedNoBackend_data();
    void injectedNoBackend();
    void droppedContextSkipsCallback();
    void noteUsedSignalsFirstUseOnly();
    void noteUsedFromManyThreads();
};

void TestTokenService::createStoresSecretAndDigest()
{
    MemorySecretStore store;
    TokenService service(&store);
    const TokenResult r = run([&](QObject *c, TokenService::Callback done) {
        service.createToken(QStringLiteral("  VS Code "), c, done);
    });
    QVERIFY2(r.ok(), qPrintable(r.errorString));
    QVERIFY(r.created);
    QCOMPARE(r.record.name, QStringLiteral("VS Code"));
    QVERIFY(!r.record.id.isEmpty());
    QVERIFY(r.secret.startsWith("pt_"));
    QCOMPARE(r.record.sha256Hex, TokenVerifier::sha256Hex(r.secret));
    QVERIFY(qAbs(r.record.createdMs - QDateTime::currentMSecsSinceEpoch()) < 60'000);
    QCOMPARE(store.keys(), QStringList{QStringLiteral("token/") + r.record.id});
    QCOMPARE(store.value(SecretStore::tokenKey(r.record.id)), r.secret);

    const TokenResult second = run([&](QObject *c, TokenService::Callback done) {
        service.createToken(QStringLiteral("scripts"), c, done);
    });
    QVERIFY(second.ok());
    QVERIFY(second.record.id != r.record.id);
    QVERIFY(second.secret != r.secret);
    QCOMPARE(store.keys().size(), 2);
}

void TestTokenService::createRejectsBadNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("empty") << QString();
    QTest::newRow("blank") << QStringLiteral("   ");
    QTest::newRow("too long") << QString(65, QLatin1Char('x'));
    QTest::newRow("control character") << QStringLiteral("a\nb");
}

void TestTokenService::createRejectsBadNames()
{
    QFETCH(QString, name);
    MemorySecretStore store;
    TokenService service(&store);
    const TokenResult r =
        run([&](QObject *c, TokenService::Callback done) { service.createToken(name, c, done); });
    QVERIFY(!r.ok());
    QVERIFY(!r.errorString.isEmpty());
    QCOMPARE(store.jobCount(SecretJob::Kind::Write), 0);
}

void TestTokenService::readReturnsSecret()
{
    MemorySecretStore store;
    TokenService service(&store);
    const TokenResult created = run([&](QObject *c, TokenService::Callback done) {
        service.createToken(QStringLiteral("scripts"), c, done);
    });
    const TokenResult read = run([&](QObject *c, TokenService::Callback done) {
        service.readToken(created.record, c, done);
    });
    QVERIFY2(read.ok(), qPrintable(read.errorString));
    QCOMPARE(read.secret, created.secret);
    QVERIFY(!read.created);
}

void TestTokenService::readMissingSecretIsError()
{
    MemorySecretStore store;
    TokenService service(&store);
    const TokenRecord record{QStringLiteral("abc"), QStringLiteral("lost"),
                             TokenVerifier::sha256Hex("pt_whatever"), 1};
    const TokenResult r =
        run([&](QObject *c, TokenService::Callback done) { service.readToken(record, c, done); });
    QCOMPARE(r.error, SecretJob::Error::NotFound);
    QVERIFY(r.errorString.contains(QStringLiteral("lost")));
    QVERIFY(r.secret.isEmpty());
    QCOMPARE(store.jobCount(SecretJob::Kind::Write), 0);
}

void TestTokenService::readMismatchedSecretIsError()
{
    MemorySecretStore store;
    TokenService service(&store);
    const TokenRecord record{QStringLiteral("abc"), QStringLiteral("t"),
                             TokenVerifier::sha256Hex("pt_expected"), 1};
    store.insert(SecretStore::tokenKey(record.id), "pt_something-else");
    const TokenResult r =
        run([&](QObject *c, TokenService::Callback done) { service.readToken(record, c, done); });
    QCOMPARE(r.error, SecretJob::Error::Other);
    QVERIFY(r.secret.isEmpty());
}

void TestTokenService::revokeRemovesSecret()
{
    MemorySecretStore store;
    TokenService service(&store);
    const TokenResult created = run([&](QObject *c, TokenService::Callback done) {
        service.createToken(QStringLiteral("scripts"), c, done);
    });
    QVERIFY(store.contains(SecretStore::tokenKey(created.record.id)));
    const TokenResult revoked = run([&](QObject *c, TokenService::Callback done) {
        service.revoke(created.record.id, c, done);
    });
    QVERIFY(revoked.ok());
    QVERIFY(store.keys().isEmpty());
    // Revoking again is harmless.
    QVERIFY(run([&](QObject *c, TokenService::Callback done) {
                service.revoke(created.record.id, c, done);
            }).ok());
}

void TestTokenService::rename()
{
    QList<TokenRecord> tokens = {{QStringLiteral("1"), QStringLiteral("default"), {}, 0},
                                 {QStringLiteral("2"), QStringLiteral("scripts"), {}, 0}};
    QString error;
    QVERIFY(TokenService::rename(tokens, QStringLiteral("2"), QStringLiteral(" VS Code "), &error));
    QCOMPARE(tokens.at(1).name, QStringLiteral("VS Code"));
    QVERIFY(!TokenService::rename(tokens, QStringLiteral("2"), QStringLiteral("DEFAULT"), &error));
    QVERIFY(error.contains(QStringLiteral("already")));
    QCOMPARE(tokens.at(1).name, QStringLiteral("VS Code"));
    QVERIFY(!TokenService::rename(tokens, QStringLiteral("9"), QStringLiteral("x"), &error));
    QVERIFY(!TokenService::rename(tokens, QStringLiteral("1"), QString(), &error));
    // Renaming to its own name (another case) is fine.
    QVERIFY(TokenService::rename(tokens, QStringLiteral("1"), QStringLiteral("Default"), &error));
    QCOMPARE(TokenService::findByName(tokens, QStringLiteral("default"))->id, QStringLiteral("1"));
    QCOMPARE(TokenService::findById(tokens, QStringLiteral("2"))->name, QStringLiteral("VS Code"));
}

void TestTokenService::defaultTokenCreatedOnce()
{
    MemorySecretStore store;
    TokenService service(&store);
    Config config;
    const TokenResult first = run([&](QObject *c, TokenService::Callback done) {
        service.ensureDefaultToken(config, c, done);
    });
    QVERIFY2(first.ok(), qPrintable(first.errorString));
    QVERIFY(first.created);
    QCOMPARE(config.gateway.tokens.size(), 1);
    QCOMPARE(config.gateway.tokens.first().name, QStringLiteral("default"));
    QCOMPARE(config.gateway.tokens.first().sha256Hex, TokenVerifier::sha256Hex(first.secret));

    const TokenResult second = run([&](QObject *c, TokenService::Callback done) {
        service.ensureDefaultToken(config, c, done);
    });
    QVERIFY(second.ok());
    QVERIFY(!second.created);
    QCOMPARE(second.secret, first.secret);
    QCOMPARE(config.gateway.tokens.size(), 1);
    QCOMPARE(store.jobCount(SecretJob::Kind::Write), 1);
    QCOMPARE(store.keys().size(), 1);
}

void TestTokenService::defaultTokenNotFoundIsNotRegenerated()
{
    MemorySecretStore store;
    TokenService service(&store);
    Config config;
    QVERIFY(run([&](QObject *c, TokenService::Callback done) {
                service.ensureDefaultToken(config, c, done);
            }).ok());
    const QList<TokenRecord> before = config.gateway.tokens;
    store.clear(); // the keychain lost the secret (or it is a different keychain)

    const TokenResult r = run([&](QObject *c, TokenService::Callback done) {
        service.ensureDefaultToken(config, c, done);
    });
    QCOMPARE(r.error, SecretJob::Error::NotFound);
    QVERIFY(r.errorString.contains(QStringLiteral("not replaced")));
    QVERIFY(!r.created);
    QVERIFY(r.secret.isEmpty());
    QCOMPARE(config.gateway.tokens.size(), 1);
    QCOMPARE(config.gateway.tokens.first().id, before.first().id);
    QCOMPARE(config.gateway.tokens.first().sha256Hex, before.first().sha256Hex);
    QCOMPARE(store.jobCount(SecretJob::Kind::Write), 1); // only the first run wrote
    QVERIFY(store.keys().isEmpty());
}

void TestTokenService::injectedNoBackend_data()
{
    QTest::addColumn<SecretJob::Error>("error");
    QTest::newRow("no backend") << SecretJob::Error::NoBackend;
    QTest::newRow("access denied") << SecretJob::Error::AccessDenied;
    QTest::newRow("other") << SecretJob::Error::Other;
}

void TestTokenService::injectedNoBackend()
{
    QFETCH(SecretJob::Error, error);
    MemorySecretStore store;
    TokenService service(&store);
    QSignalSpy unavailable(&service, &TokenService::storeUnavailable);
    store.setFailure(error, QStringLiteral("No Secret Service is running on D-Bus."));
    const bool expectSignal = error != SecretJob::Error::Other;

    Config config;
    const TokenResult first = run([&](QObject *c, TokenService::Callback done) {
        service.ensureDefaultToken(config, c, done);
    });
    QCOMPARE(first.error, error);
    QVERIFY(first.errorString.contains(QStringLiteral("No Secret Service")));
    QVERIFY(config.gateway.tokens.isEmpty()); // nothing half-made
    QCOMPARE(unavailable.size(), expectSignal ? 1 : 0);
    if (expectSignal)
        QCOMPARE(unavailable.first().at(0).value<SecretJob::Error>(), error);

    // Once the keychain works again, the next first-run attempt succeeds.
    store.setFailure(SecretJob::Error::None);
    const TokenResult second = run([&](QObject *c, TokenService::Callback done) {
        service.ensureDefaultToken(config, c, done);
    });
    QVERIFY(second.ok());
    QCOMPARE(config.gateway.tokens.size(), 1);

    store.setFailure(error, {}, SecretStore::tokenKey(config.gateway.tokens.first().id));
    const TokenResult read = run([&](QObject *c, TokenService::Callback done) {
        service.readToken(config.gateway.tokens.first(), c, done);
    });
    QCOMPARE(read.error, error);
    const TokenResult revoke = run([&](QObject *c, TokenService::Callback done) {
        service.revoke(config.gateway.tokens.first().id, c, done);
    });
    QCOMPARE(revoke.error, error);
    QCOMPARE(store.keys().size(), 1);
    QCOMPARE(unavailable.size(), expectSignal ? 3 : 0);
}

void TestTokenService::droppedContextSkipsCallback()
{
    MemorySecretStore store;
    store.setDelay(20);
    TokenService service(&store);
    int calls = 0;
    auto *context = new QObject;
    service.createToken(QStringLiteral("x"), context, [&](const TokenResult &) { ++calls; });
    delete context;
    QTest::qWait(100);
    QCOMPARE(calls, 0);
}

void TestTokenService::noteUsedSignalsFirstUseOnly()
{
    MemorySecretStore store;
    TokenService service(&store);
    QSignalSpy firstUse(&service, &TokenService::tokenFirstUsed);
    QVERIFY(!service.lastUsed(QStringLiteral("a")).isValid());
    service.noteUsed(QStringLiteral("a"));
    const QDateTime t1 = service.lastUsed(QStringLiteral("a"));
    QVERIFY(t1.isValid());
    QTest::qWait(5);
    service.noteUsed(QStringLiteral("a"));
    service.noteUsed(QStringLiteral("b"));
    QVERIFY(service.lastUsed(QStringLiteral("a")) >= t1);
    QCOMPARE(firstUse.size(), 2);
    QCOMPARE(firstUse.at(0).at(0).toString(), QStringLiteral("a"));
    QCOMPARE(firstUse.at(1).at(0).toString(), QStringLiteral("b"));
}

void TestTokenService::noteUsedFromManyThreads()
{
    MemorySecretStore store;
    TokenService service(&store);
    // Emitted from the worker threads, delivered here through the event loop.
    QStringList firstUses;
    connect(
        &service, &TokenService::tokenFirstUsed, this,
        [&](const QString &name) { firstUses << name; }, Qt::QueuedConnection);
    QList<QThread *> threads;
    for (int t = 0; t < 4; ++t) {
        threads << QThread::create([&service] {
            for (int n = 0; n < 1000; ++n)
                service.noteUsed(QStringLiteral("t%1").arg(n % 8));
        });
        threads.last()->start();
    }
    for (QThread *thread : threads) {
        QVERIFY(thread->wait(10'000));
        delete thread;
    }
    QTRY_COMPARE(firstUses.size(), 8); // once per token, however many threads race
    QTest::qWait(20);
    firstUses.sort();
    QCOMPARE(firstUses.size(), 8);
    QCOMPARE(firstUses.removeDuplicates(), 0);
    for (int i = 0; i < 8; ++i)
        QVERIFY(service.lastUsed(QStringLiteral("t%1").arg(i)).isValid());
}

QTEST_GUILESS_MAIN(TestTokenService)
#include "tst_tokenservice.moc"
