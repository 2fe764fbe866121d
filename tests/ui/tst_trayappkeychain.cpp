// The tray application with the real OS keychain (no injected store). Registered twice: inside
// a private D-Bus session with an unlocked gnome-keyring (function realKeychain), and with no
// Secret Service at all (function noKeychain).
#include "KeychainSecretStore.h"
#include "SecretStore.h"
#include "TrayApp.h"

#include <QClipboard>
#include <QFile>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace portico;

class TestTrayAppKeychain : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void realKeychain();
    void noKeychain();

private:
    std::unique_ptr<TrayApp> startApp(const QString &configPath);
    QTemporaryDir m_dir;
};

void TestTrayAppKeychain::initTestCase()
{
    qunsetenv("PORTICO_GATEWAY_TOKEN");
    QFile file(m_dir.filePath(QStringLiteral("portico.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"gateway": {"bind": "127.0.0.1", "port": 0}})");
}

std::unique_ptr<TrayApp> TestTrayAppKeychain::startApp(const QString &configPath)
{
    TrayApp::Setup setup;
    setup.configPath = configPath;
    auto app = std::make_unique<TrayApp>(setup);
    QSignalSpy ready(app.get(), &TrayApp::ready);
    app->start();
    if (!app->isReady())
        ready.wait(60'000);
    return app;
}

void TestTrayAppKeychain::realKeychain()
{
    const std::unique_ptr<TrayApp> app = startApp(m_dir.filePath(QStringLiteral("portico.json")));
    QVERIFY(app->isReady());
    QCOMPARE(app->status()->problem(AppStatus::Problem::Keychain), QString());
    const QList<TokenRecord> tokens = app->configStore()->config().gateway.tokens;
    QCOMPARE(tokens.size(), 1);

    QSignalSpy copied(app.get(), &TrayApp::tokenCopied);
    app->tray()->copyTokenAction()->trigger();
    QVERIFY(copied.wait(20'000));
    QVERIFY2(copied.first().at(0).toBool(), qPrintable(copied.first().at(1).toString()));

    // What the keychain itself holds under "token/<id>" is what was copied.
    KeychainSecretStore keychain;
    SecretJob *job = keychain.read(SecretStore::tokenKey(tokens.first().id));
    QSignalSpy finished(job, &SecretJob::finished);
    QByteArray stored;
    connect(job, &SecretJob::finished, this, [&stored](SecretJob *done) { stored = done->data(); });
    QVERIFY(finished.wait(20'000));
    QVERIFY(stored.startsWith("pt_"));
    QCOMPARE(QGuiApplication::clipboard()->text(), QString::fromUtf8(stored));
    // And the file only has its digest.
    QFile file(app->configStore()->path());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains(stored));
}

void TestTrayAppKeychain::noKeychain()
{
    const std::unique_ptr<TrayApp> app = startApp(m_dir.filePath(QStringLiteral("portico.json")));
    QVERIFY(app->isReady());
    QCOMPARE(app->status()->state(), AppStatus::State::Error);
    const QString problem = app->status()->problem(AppStatus::Problem::Keychain);
    QVERIFY2(problem.contains(QStringLiteral("PORTICO_GATEWAY_TOKEN")), qPrintable(problem));
    QVERIFY(app->settingsWindow()->notice(QStringLiteral("keychain")).contains(problem));
    // Never a plaintext fallback: no token was made, the file has none.
    QVERIFY(app->configStore()->config().gateway.tokens.isEmpty());
    QFile file(app->configStore()->path());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("pt_"));
}

QTEST_MAIN(TestTrayAppKeychain)
#include "tst_trayappkeychain.moc"
