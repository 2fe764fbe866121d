// The tray application end to end, offscreen: the real gateway over loopback HTTP, secrets in a
// MemorySecretStore, the real tray menu actions and settings pages.
#include "TestHttpClient.h"
#include "TrayAppFixture.h"
#include <QDir>
#include <QJsonArray>

#include "AccessPage.h"
#include "AppStatus.h"
#include "AutostartEntry.h"
#include "GeneralPage.h"
#include "NewTokenDialog.h"
#include "SettingsWindow.h"
#include "TokenTableModel.h"
#include "TrayController.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTcpServer>
#include <QTest>

using namespace portico;

class TestTrayApp : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void firstRunCreatesDefaultToken();
    void endpointToggleFromTrayMenu();
    void liveStreamsReachTheTrayAndTheLog();
    void copyTokenPutsStoredTokenOnClipboard();
    void copyBaseUrlAndExample();
    void newTokenIsAcceptedAndRevokedTokenRefused();
    void portInUseKeepsOldPort();
    void noTrayOpensWindowAndSaysWhy();
    void keychainUnavailableIsShown();
    void missingTokenSecretIsNotReplaced();
    void quitAsksWhileStreamsAreLive();
    void statusLineAndTooltip();
    void autostartEntry();
    void invalidConfigIsNotOverwritten();

private:
    QTemporaryDir m_xdg;
};

void TestTrayApp::initTestCase()
{
    QVERIFY(m_xdg.isValid());
    // Nothing from the real environment may let a request in or touch the real settings.
    qunsetenv("PORTICO_GATEWAY_TOKEN");
    qunsetenv("PORTICO_GATEWAY_PASSWORD");
    qputenv("XDG_CONFIG_HOME", m_xdg.path().toUtf8());
}

void TestTrayApp::firstRunCreatesDefaultToken()
{
    TrayAppFixture f;
    QVERIFY(f.start());
    const QList<TokenRecord> tokens = f.app->configStore()->config().gateway.tokens;
    QCOMPARE(tokens.size(), 1);
    QCOMPARE(tokens.first().name, QStringLiteral("default"));
    const QByteArray secret = f.store.value(SecretStore::tokenKey(tokens.first().id));
    QVERIFY(secret.startsWith("pt_"));
    // Saved: the file holds the record and its digest, never the secret.
    const QByteArray file = QJsonDocument(f.readConfig()).toJson();
    QVERIFY(file.contains(tokens.first().id.toUtf8()));
    QVERIFY(!file.contains(secret));

    // A second start reuses it instead of creating another.
    f.app.reset();
    QVERIFY(f.start());
    QCOMPARE(f.app->configStore()->config().gateway.tokens.size(), 1);
    QCOMPARE(f.store.keys().size(), 1);
}

void TestTrayApp::endpointToggleFromTrayMenu()
{
    TrayAppFixture f;
    QVERIFY(f.start());
    const QByteArray token = f.defaultSecret();
    QVERIFY(!token.isEmpty());
    QAction *action = f.app->tray()->endpointAction();
    QVERIFY(action->isCheckable());
    QVERIFY(!action->isChecked());
    QCOMPARE(f.modelsStatus(token), 404);

    action->trigger();
    QVERIFY(action->isChecked());
    QCOMPARE(f.modelsStatus(token), 200);
    QCOMPARE(f.modelsStatus({}), 401);
    QCOMPARE(f.app->status()->state(), AppStatus::State::Idle);
    // Saved at once.
    QVERIFY(f.readConfig()
                .value(QStringLiteral("gateway"))
                .toObject()
                .value(QStringLiteral("http"))
                .toObject()
                .value(QStringLiteral("endpoints"))
                .toObject()
                .value(QStringLiteral("chatCompletions"))
                .toObject()
                .value(QStringLiteral("enabled"))
                .toBool());
    // The settings page follows.
    auto *check =
        f.app->settingsWindow()->findChild<QAbstractButton *>(QStringLiteral("endpointCheck"));
    QVERIFY(check);
    QVERIFY(check->isChecked());

    action->trigger();
    QVERIFY(!action->isChecked());
    QCOMPARE(f.modelsStatus(token), 404);
    QCOMPARE(f.app->status()->state(), AppStatus::State::Off);
    QVERIFY(!check->isChecked());
}

void TestTrayApp::copyTokenPutsStoredTokenOnClipboard()
{
    TrayAppFixture f;
    QVERIFY(f.start());
    QGuiApplication::clipboard()->setText(QStringLiteral("something else"));
    QSignalSpy copied(f.app.get(), &TrayApp::tokenCopied);
    f.app->tray()->copyTokenAction()->trigger();
    QVERIFY(copied.wait(5'000));
    QVERIFY(copied.first().at(0).toBool());
    const QByteArray stored = f.defaultSecret();
    QVERIFY(stored.startsWith("pt_"));
    QCOMPARE(QGuiApplication::clipboard()->text(), QString::fromUtf8(stored));
}

void TestTrayApp::copyBaseUrlAndExample()
{
    TrayAppFixture f;
    QVERIFY(f.start());
    const QString base = QStringLiteral("http://127.0.0.1:%1/v1").arg(f.port());
    f.app->tray()->copyBaseUrlAction()->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), base);
    f.app->tray()->copyExampleAction()->trigger();
    const QString example = QGuiApplication::clipboard()->text();
    QVERIFY(
        example.startsWith(QStringLiteral("curl ") + base + QStringLiteral("/chat/completions")));
    QVERIFY(example.contains(QStringLiteral("$PORTICO_TOKEN")));
    QVERIFY(!example.contains(QString::fromUtf8(f.defaultSecret())));
}

void TestTrayApp::newTokenIsAcceptedAndRevokedTokenRefused()
{
    TrayAppFixture f;
    QVERIFY(f.start(true, true));
    AccessPage *page = f.app->settingsWindow()->accessPage();
    NewTokenDialog *dialog = page->openNewTokenDialog();
    QSignalSpy created(dialog, &NewTokenDialog::created);
    dialog->setName(QStringLiteral("default")); // taken
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("createButton")),
                      Qt::LeftButton);
    QVERIFY(!dialog->errorText().isEmpty());
    QCOMPARE(created.size(), 0);

    dialog->setName(QStringLiteral("VS Code"));
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("createButton")),
                      Qt::LeftButton);
    QVERIFY(created.wait(5'000));
    const QByteArray secret = dialog->secret().toUtf8();
    QVERIFY(secret.startsWith("pt_"));
    const auto record = created.first().at(0).value<TokenRecord>();
    QCOMPARE(f.store.value(SecretStore::tokenKey(record.id)), secret);
    QCOMPARE(page->tokenModel()->rowCount(), 2);
    QCOMPARE(f.modelsStatus(secret), 200);
    QCOMPARE(f.modelsStatus("pt_not_a_token"), 401);

    // Copy from the dialog.
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("copySecretButton")),
                      Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), QString::fromUtf8(secret));
    dialog->close();

    // Revoke, with confirmation: Cancel changes nothing, Revoke refuses the token at once.
    QMessageBox *box = page->confirmRevoke(record.id);
    QVERIFY(box);
    box->button(QMessageBox::Cancel)->click();
    QCOMPARE(f.modelsStatus(secret), 200);
    box = page->confirmRevoke(record.id);
    QAbstractButton *revoke = nullptr;
    for (QAbstractButton *button : box->buttons()) {
        if (box->buttonRole(button) == QMessageBox::DestructiveRole)
            revoke = button;
    }
    QVERIFY(revoke);
    revoke->click();
    QCOMPARE(f.modelsStatus(secret), 401);
    QCOMPARE(f.modelsStatus(f.defaultSecret()), 200);
    QTRY_VERIFY(!f.store.contains(SecretStore::tokenKey(record.id)));
    QCOMPARE(f.app->configStore()->config().gateway.tokens.size(), 1);
    QCOMPARE(page->tokenModel()->rowCount(), 1);
}

void TestTrayApp::portInUseKeepsOldPort()
{
    TrayAppFixture f;
    QVERIFY(f.start(true, true));
    const quint16 oldPort = f.port();
    const QByteArray token = f.defaultSecret();
    QCOMPARE(f.modelsStatus(token), 200);
    const QJsonObject before = f.readConfig();

    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
    GeneralPage *page = f.app->settingsWindow()->generalPage();
    auto *spin = page->findChild<QSpinBox *>(QStringLiteral("portSpin"));
    QVERIFY(spin);
    spin->setValue(occupier.serverPort());
    auto *apply = page->findChild<QPushButton *>(QStringLiteral("applyAddressButton"));
    QVERIFY(apply->isEnabled());
    QTest::mouseClick(apply, Qt::LeftButton);

    QVERIFY2(page->addressError().contains(QString::number(occupier.serverPort())),
             qPrintable(page->addressError()));
    QVERIFY(page->addressError().contains(QString::number(oldPort)));
    QCOMPARE(f.port(), oldPort);
    QCOMPARE(f.modelsStatus(token), 200);
    QCOMPARE(f.readConfig(), before);
    QCOMPARE(f.app->configStore()->config().gateway.port, quint16(0));

    // A free port is taken at once and saved.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 freePort = probe.serverPort();
    probe.close();
    spin->setValue(freePort);
    QVERIFY(page->applyAddress());
    QVERIFY(page->addressError().isEmpty());
    QCOMPARE(f.port(), freePort);
    QCOMPARE(f.modelsStatus(token), 200);
    QCOMPARE(f.readConfig()
                 .value(QStringLiteral("gateway"))
                 .toObject()
                 .value(QStringLiteral("port"))
                 .toInt(),
             int(freePort));
    QCOMPARE(f.app->status()->baseUrl(), QStringLiteral("http://127.0.0.1:%1/v1").arg(freePort));

    // An address that is not one is refused before anything is tried.
    auto *bind = page->findChild<QLineEdit *>(QStringLiteral("bindEdit"));
    bind->setText(QStringLiteral("not-an-address"));
    QVERIFY(!page->applyAddress());
    QVERIFY(page->addressError().contains(QStringLiteral("not-an-address")));
    QCOMPARE(f.port(), freePort);
}

void TestTrayApp::noTrayOpensWindowAndSaysWhy()
{
    QVERIFY2(!TrayController::isSystemTrayAvailable(), "offscreen has no system tray");
    TrayAppFixture f;
    QVERIFY(f.start());
    QVERIFY(f.app->runsAsWindow());
    SettingsWindow *window = f.app->settingsWindow();
    QVERIFY(window->isVisible());
    QVERIFY(window->isMainWindowMode());
    QVERIFY(window->notice(QStringLiteral("tray")).contains(QStringLiteral("no system tray")));
    QVERIFY(!f.app->tray()->isVisible());
    // Closing the main window asks the application to quit instead of hiding silently.
    QSignalSpy quit(window, &SettingsWindow::quitRequested);
    f.app->tray()->setLiveStreamCount(1); // so the request stops at the question
    window->close();
    QCOMPARE(quit.size(), 1);
    QVERIFY(window->isVisible());
}

void TestTrayApp::keychainUnavailableIsShown()
{
    TrayAppFixture f;
    const QString message = QStringLiteral("No Secret Service is running on D-Bus. Install "
                                           "gnome-keyring and log in again.");
    f.store.setFailure(SecretJob::Error::NoBackend, message);
    QVERIFY(f.start());
    QCOMPARE(f.app->status()->state(), AppStatus::State::Error);
    QVERIFY(f.app->status()->problem(AppStatus::Problem::Keychain).contains(message));
    QVERIFY(f.app->settingsWindow()->notice(QStringLiteral("keychain")).contains(message));
    QVERIFY(f.app->tray()->toolTip().contains(message));
    // Nothing was stored anywhere else: no token in the config, none in the file.
    QVERIFY(f.app->configStore()->config().gateway.tokens.isEmpty());
    QVERIFY(f.store.keys().isEmpty());
    QSignalSpy copied(f.app.get(), &TrayApp::tokenCopied);
    f.app->tray()->copyTokenAction()->trigger();
    QVERIFY(copied.size() == 1 || copied.wait(5'000));
    QVERIFY(!copied.first().at(0).toBool());

    // Once the keychain works again, the problem goes away.
    f.store.setFailure(SecretJob::Error::None);
    NewTokenDialog *dialog = f.app->settingsWindow()->accessPage()->openNewTokenDialog();
    QSignalSpy created(dialog, &NewTokenDialog::created);
    dialog->setName(QStringLiteral("scripts"));
    dialog->create();
    QVERIFY(created.wait(5'000));
    f.app->copyToken();
    QTRY_COMPARE(f.app->status()->problem(AppStatus::Problem::Keychain), QString());
    QVERIFY(f.app->status()->state() != AppStatus::State::Error);
}

void TestTrayApp::missingTokenSecretIsNotReplaced()
{
    TrayAppFixture f;
    QVERIFY(f.start());
    const TokenRecord record = f.app->configStore()->config().gateway.tokens.first();
    f.app.reset();
    f.store.clear(); // the keychain lost the secret
    QVERIFY(f.start());
    QCOMPARE(f.app->configStore()->config().gateway.tokens.size(), 1);
    QCOMPARE(f.app->configStore()->config().gateway.tokens.first().sha256Hex, record.sha256Hex);
    QVERIFY(f.store.keys().isEmpty());
    QVERIFY(f.app->status()->problem(AppStatus::Problem::Keychain).contains(record.id));
}

void TestTrayApp::quitAsksWhileStreamsAreLive()
{
    TrayAppFixture f;
    QVERIFY(f.start(true, true));
    f.app->tray()->setLiveStreamCount(2);
    QCOMPARE(f.app->status()->state(), AppStatus::State::Streaming);
    QMessageBox *box = f.app->requestQuit();
    QVERIFY(box);
    QVERIFY(box->text().contains(QLatin1Char('2')));
    box->button(QMessageBox::Cancel)->click();
    QVERIFY(f.app->gateway()->isRunning());
    QCOMPARE(f.modelsStatus(f.defaultSecret()), 200);
}

void TestTrayApp::statusLineAndTooltip()
{
    TrayAppFixture f;
    QVERIFY(f.start(true, true));
    TrayController *tray = f.app->tray();
    const QString base = QStringLiteral("http://127.0.0.1:%1/v1").arg(f.port());
    tray->setLiveStreamCount(2);
    QCOMPARE(tray->statusAction()->text(), base + QStringLiteral(" · 2 live streams"));
    tray->setLiveStreamCount(1);
    QCOMPARE(tray->statusAction()->text(), base + QStringLiteral(" · 1 live stream"));
    QVERIFY(tray->toolTip().contains(base));
    QVERIFY(tray->toolTip().contains(QStringLiteral("1 live stream")));
    tray->setLiveStreamCount(0);
    QCOMPARE(f.app->status()->state(), AppStatus::State::Idle);
    const QStringList texts = [&] {
        QStringList list;
        for (QAction *action : tray->menu()->actions())
            if (!action->isSeparator())
                list << action->text();
        return list;
    }();
    for (const QString &expected :
         {QStringLiteral("Chat completions endpoint"), QStringLiteral("Copy token"),
          QStringLiteral("Copy base URL"), QStringLiteral("Copy example"),
          QStringLiteral("Sessions…"), QStringLiteral("Settings…"), QStringLiteral("Quit")})
        QVERIFY2(texts.contains(expected), qPrintable(expected));
    // Sessions… opens the window on the sessions page.
    tray->sessionsAction()->trigger();
    QCOMPARE(f.app->settingsWindow()->currentPage(), SettingsWindow::Page::Sessions);
    QVERIFY(f.app->settingsWindow()->isVisible());
}

void TestTrayApp::autostartEntry()
{
    TrayAppFixture f;
    QVERIFY(f.start());
    const QString path = AutostartEntry::path();
    QVERIFY(path.startsWith(m_xdg.path()));
    auto *check =
        f.app->settingsWindow()->findChild<QAbstractButton *>(QStringLiteral("autostartCheck"));
    QVERIFY(check);
    QVERIFY(!check->isChecked());
    check->click();
    QVERIFY(QFile::exists(path));
    QVERIFY(AutostartEntry::isEnabled());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("[Desktop Entry]"));
    const QByteArray exec =
        QByteArray("Exec=\"") + QCoreApplication::applicationFilePath().toUtf8() + '"';
    QVERIFY(text.contains(exec));
    check->click();
    QVERIFY(!QFile::exists(path));
}

void TestTrayApp::invalidConfigIsNotOverwritten()
{
    TrayAppFixture f;
    const QByteArray broken = "{ \"gateway\": { \"port\": \"many\" } }";
    {
        QFile file(f.configPath());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(broken);
    }
    QVERIFY(f.start(false));
    QCOMPARE(f.app->status()->state(), AppStatus::State::Error);
    QVERIFY(f.app->status()
                ->problem(AppStatus::Problem::Config)
                .contains(QStringLiteral("gateway.port")));
    QVERIFY(!f.app->gateway()->isRunning());
    QVERIFY(!f.app->setEndpointEnabled(true));
    QFile file(f.configPath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), broken);
    QVERIFY(f.store.keys().isEmpty());
}

void TestTrayApp::liveStreamsReachTheTrayAndTheLog()
{
    TrayAppFixture f;
    QVERIFY(f.start(true, true));
    const QByteArray token = f.defaultSecret();
    TestHttpClient client(f.port());
    const QJsonObject body{
        {QStringLiteral("model"), QStringLiteral("agent:main")},
        {QStringLiteral("stream"), true},
        {QStringLiteral("messages"),
         QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                {QStringLiteral("content"), QStringLiteral("hello tray")}}}}};
    client.startStream("/v1/chat/completions", body, {{"Authorization", "Bearer " + token}});
    // The diagnostic agent streams for about a second: the tray sees one live stream...
    QTRY_COMPARE(f.app->status()->liveStreamCount(), 1);
    QCOMPARE(f.app->status()->state(), AppStatus::State::Streaming);
    QVERIFY(client.waitForComplete(10'000));
    QVERIFY(client.current().body.endsWith("data: [DONE]\n\n"));
    // ...then none, and the request is in the session log.
    QTRY_COMPARE(f.app->status()->liveStreamCount(), 0);
    QTRY_COMPARE(f.app->sessionRegistry()->sessions().size(), 1);
    f.app->sessionLog()->waitForWritten(5'000);
    QTRY_VERIFY(!QDir(f.app->sessionLog()->directory())
                     .entryList({QStringLiteral("sessions-*.jsonl")}, QDir::Files)
                     .isEmpty());
}

QTEST_MAIN(TestTrayApp)
#include "tst_trayapp.moc"
