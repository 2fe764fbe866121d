#include "Config.h"
#include "MemorySecretStore.h"
#include "TokenCommand.h"
#include "TokenVerifier.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace portico;

namespace {

struct Outcome
{
    int code = -1;
    QString out;
    QString err;
};

} // namespace

class TestTokenCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void printCreatesDefaultOnce();
    void printNamedToken();
    void listNeverShowsSecrets();
    void revoke();
    void keychainUnavailable();
    void missingSecretIsNotRegenerated();
    void usageErrors_data();
    void usageErrors();

private:
    Outcome run(const QStringList &args);
    Config reload();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<MemorySecretStore> m_storePtr;
    Config m_config;
};

void TestTokenCommand::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("portico/portico.json"));
    m_storePtr = std::make_unique<MemorySecretStore>();
    m_config = Config();
}

Outcome TestTokenCommand::run(const QStringList &args)
{
    Outcome o;
    QTextStream out(&o.out);
    QTextStream err(&o.err);
    o.code = runTokenCommand(args, out, err, *m_storePtr, m_config, m_path);
    out.flush();
    err.flush();
    return o;
}

Config TestTokenCommand::reload()
{
    Config config;
    QString error;
    if (!Config::load(m_path, &config, &error))
        qWarning("%s", qPrintable(error));
    return config;
}

void TestTokenCommand::printCreatesDefaultOnce()
{
    const Outcome first = run({});
    QCOMPARE(first.code, 0);
    QVERIFY2(first.err.isEmpty(), qPrintable(first.err));
    const QByteArray secret = first.out.trimmed().toUtf8();
    QVERIFY(secret.startsWith("pt_"));
    QCOMPARE(first.out, QString::fromUtf8(secret) + QLatin1Char('\n'));

    const Config saved = reload();
    QCOMPARE(saved.gateway.tokens.size(), 1);
    QCOMPARE(saved.gateway.tokens.first().name, QStringLiteral("default"));
    QCOMPARE(saved.gateway.tokens.first().sha256Hex, TokenVerifier::sha256Hex(secret));
    QFile file(m_path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains(secret)); // the config never holds the secret

    const Outcome second = run({QStringLiteral("--name"), QStringLiteral("default")});
    QCOMPARE(second.code, 0);
    QCOMPARE(second.out.trimmed().toUtf8(), secret);
    QCOMPARE(m_storePtr->jobCount(SecretJob::Kind::Write), 1);
    QCOMPARE(m_config.gateway.tokens.size(), 1);
}

void TestTokenCommand::printNamedToken()
{
    m_config.gateway.tokens << TokenRecord{QStringLiteral("id1"), QStringLiteral("VS Code"),
                                           TokenVerifier::sha256Hex("pt_vscode"), 1};
    m_storePtr->insert(SecretStore::tokenKey(QStringLiteral("id1")), "pt_vscode");
    const Outcome o = run({QStringLiteral("--name=VS Code")});
    QCOMPARE(o.code, 0);
    QCOMPARE(o.out, QStringLiteral("pt_vscode\n"));

    const Outcome missing = run({QStringLiteral("--name"), QStringLiteral("scripts")});
    QCOMPARE(missing.code, 1);
    QVERIFY(missing.err.contains(QStringLiteral("no token named \"scripts\"")));
    QVERIFY(missing.out.isEmpty());
    QCOMPARE(m_storePtr->jobCount(SecretJob::Kind::Write), 0);
}

void TestTokenCommand::listNeverShowsSecrets()
{
    const Outcome empty = run({QStringLiteral("--list")});
    QCOMPARE(empty.code, 0);
    QVERIFY(empty.out.isEmpty());
    QVERIFY(!empty.err.isEmpty());

    const QByteArray secret = run({}).out.trimmed().toUtf8();
    m_config.gateway.tokens << TokenRecord{QStringLiteral("id2"), QStringLiteral("scripts"),
                                           TokenVerifier::sha256Hex("pt_s"), 1'700'000'000'000};
    const Outcome list = run({QStringLiteral("--list")});
    QCOMPARE(list.code, 0);
    const QStringList lines = list.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines.at(0).startsWith(QStringLiteral("default\t") + m_config.gateway.tokens.at(0).id));
    QCOMPARE(lines.at(1), QStringLiteral("scripts\tid2\t2023-11-14T22:13:20Z"));
    QVERIFY(!list.out.contains(QString::fromUtf8(secret)));
    QVERIFY(!list.out.contains(QString::fromLatin1(m_config.gateway.tokens.at(0).sha256Hex)));
    QCOMPARE(m_storePtr->jobCount(SecretJob::Kind::Read), 0);
}

void TestTokenCommand::revoke()
{
    QCOMPARE(run({}).code, 0);
    const QString id = m_config.gateway.tokens.first().id;
    QVERIFY(m_storePtr->contains(SecretStore::tokenKey(id)));

    const Outcome o = run({QStringLiteral("--revoke"), QStringLiteral("default")});
    QCOMPARE(o.code, 0);
    QVERIFY(o.out.contains(QStringLiteral("default")));
    QVERIFY(m_config.gateway.tokens.isEmpty());
    QVERIFY(reload().gateway.tokens.isEmpty());
    QVERIFY(m_storePtr->keys().isEmpty());

    const Outcome again = run({QStringLiteral("--revoke=default")});
    QCOMPARE(again.code, 1);
    QVERIFY(again.err.contains(QStringLiteral("no token named")));
}

void TestTokenCommand::keychainUnavailable()
{
    m_storePtr->setFailure(SecretJob::Error::NoBackend,
                           QStringLiteral("No Secret Service is running on D-Bus."));
    const Outcome o = run({});
    QCOMPARE(o.code, 1);
    QVERIFY(o.out.isEmpty());
    QVERIFY2(o.err.contains(QStringLiteral("No Secret Service is running on D-Bus.")),
             qPrintable(o.err));
    QVERIFY(o.err.contains(QStringLiteral("PORTICO_GATEWAY_TOKEN")));
    QVERIFY(m_config.gateway.tokens.isEmpty());
    QVERIFY(!QFile::exists(m_path));

    // Revoking still takes the token out of the config, and says the secret stayed behind.
    m_storePtr->setFailure(SecretJob::Error::None);
    QCOMPARE(run({}).code, 0);
    m_storePtr->setFailure(SecretJob::Error::NoBackend, QStringLiteral("No Secret Service."));
    const Outcome revoke = run({QStringLiteral("--revoke"), QStringLiteral("default")});
    QCOMPARE(revoke.code, 1);
    QVERIFY(revoke.err.contains(QStringLiteral("still in the keychain")));
    QVERIFY(reload().gateway.tokens.isEmpty());
}

void TestTokenCommand::missingSecretIsNotRegenerated()
{
    QCOMPARE(run({}).code, 0);
    const TokenRecord before = m_config.gateway.tokens.first();
    m_storePtr->clear();
    const Outcome o = run({});
    QCOMPARE(o.code, 1);
    QVERIFY(o.out.isEmpty());
    QVERIFY(o.err.contains(QStringLiteral("no secret")));
    QCOMPARE(m_storePtr->jobCount(SecretJob::Kind::Write), 1);
    QCOMPARE(reload().gateway.tokens.size(), 1);
    QCOMPARE(reload().gateway.tokens.first().sha256Hex, before.sha256Hex);
}

void TestTokenCommand::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::newRow("unknown") << QStringList{QStringLiteral("--bogus")} << 2;
    QTest::newRow("name without value") << QStringList{QStringLiteral("--name")} << 2;
    QTest::newRow("revoke without value") << QStringList{QStringLiteral("--revoke")} << 2;
    QTest::newRow("list and revoke")
        << QStringList{QStringLiteral("--list"), QStringLiteral("--revoke"), QStringLiteral("x")}
        << 2;
    QTest::newRow("list with name")
        << QStringList{QStringLiteral("--list"), QStringLiteral("--name"), QStringLiteral("x")}
        << 2;
    QTest::newRow("list with value") << QStringList{QStringLiteral("--list=yes")} << 2;
    QTest::newRow("help") << QStringList{QStringLiteral("--help")} << 0;
}

void TestTokenCommand::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    const Outcome o = run(args);
    QCOMPARE(o.code, code);
    QVERIFY((code == 0 ? o.out : o.err).contains(QStringLiteral("Usage: portico token")));
    QCOMPARE(m_storePtr->jobCount(SecretJob::Kind::Write), 0);
    QVERIFY(!QFile::exists(m_path));
}

QTEST_GUILESS_MAIN(TestTokenCommand)
#include "tst_tokencommand.moc"
