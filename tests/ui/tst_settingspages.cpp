// The Providers, Agents & routes and Access (password) pages against the running gateway:
// every change validated, applied without a restart, and still there after one.
#include "LogView.h"
#include "SessionsView.h"
#include "TrayAppFixture.h"

#include "AccessPage.h"
#include "AgentDialog.h"
#include "AgentTableModel.h"
#include "AgentsPage.h"
#include "FakeHttpServer.h"
#include "HostPage.h"
#include "PasswordDialog.h"
#include "ProviderDialog.h"
#include "ProviderProbe.h"
#include "ProviderTableModel.h"
#include "ProvidersPage.h"
#include "RouteTableModel.h"
#include "SettingsWindow.h"

#include <QComboBox>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTest>

using namespace portico;

namespace {

const QByteArray kCompletion = R"({"id":"c1","object":"chat.completion","created":1,"model":"m-1",
"choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}]})";

QJsonObject chat(const QString &model)
{
    return QJsonObject{
        {QStringLiteral("model"), model},
        {QStringLiteral("messages"),
         QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                {QStringLiteral("content"), QStringLiteral("hi")}}}}};
}

} // namespace

class TestSettingsPages : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void providerTestSaveAndRelay();
    void providerValidation();
    void agentsAndRoutes();
    void passwordMode();
    void hostPages();

private:
    QTemporaryDir m_xdg;
};

void TestSettingsPages::initTestCase()
{
    qunsetenv("PORTICO_GATEWAY_TOKEN");
    qunsetenv("PORTICO_GATEWAY_PASSWORD");
    qputenv("XDG_CONFIG_HOME", m_xdg.path().toUtf8());
}

void TestSettingsPages::providerTestSaveAndRelay()
{
    FakeHttpServer upstream;
    upstream.setHandler([](const FakeHttpServer::Request &request) {
        if (request.target == "/v1/models")
            return FakeHttpServer::Script{FakeHttpServer::write(
                FakeHttpServer::response(200, R"({"data":[{"id":"m-2"},{"id":"m-1"}]})"))};
        return FakeHttpServer::Script{FakeHttpServer::write(
            FakeHttpServer::response(200, kCompletion, {"Content-Type: application/json"}))};
    });

    TrayAppFixture f;
    QVERIFY(f.start(true, true));
    ProvidersPage *page = f.app->settingsWindow()->providersPage();
    ProviderDialog *dialog = page->openDialog();
    QVERIFY(dialog);
    dialog->setFields(QStringLiteral("fake"), upstream.url(QStringLiteral("/v1")).toString(),
                      QStringLiteral("sk-secret"), {});
    QSignalSpy probed(dialog->probe(), &ProviderProbe::succeeded);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("testButton")),
                      Qt::LeftButton);
    QVERIFY(probed.wait(5'000));
    QVERIFY2(dialog->testResult().contains(QStringLiteral("m-1, m-2")),
             qPrintable(dialog->testResult()));
    QCOMPARE(dialog->foundModels(), (QStringList{QStringLiteral("m-1"), QStringLiteral("m-2")}));
    QCOMPARE(upstream.requests().last().header("authorization"), QByteArray("Bearer sk-secret"));
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("useModelsButton")),
                      Qt::LeftButton);

    QSignalSpy accepted(dialog, &QDialog::accepted);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("saveButton")),
                      Qt::LeftButton);
    QVERIFY(accepted.wait(5'000));
    // The key is in the keychain only; the file names the provider and its models.
    QCOMPARE(f.store.value(SecretStore::providerApiKeyKey(QStringLiteral("fake"))),
             QByteArray("sk-secret"));
    const QByteArray file = QJsonDocument(f.readConfig()).toJson();
    QVERIFY(file.contains("\"fake\""));
    QVERIFY(file.contains("m-2"));
    QVERIFY(!file.contains("sk-secret"));
    QCOMPARE(page->providerModel()->rowCount(), 1);
    QTRY_COMPARE(page->providerModel()->index(0, ProviderTableModel::ApiKey).data().toString(),
                 QStringLiteral("keychain"));

    // The running gateway relays with the key at once.
    const HeaderList auth{{"Authorization", "Bearer " + f.defaultSecret()}};
    {
        TestHttpClient client(f.port());
        const TestResponse response =
            client.postJson("/v1/chat/completions", chat(QStringLiteral("m-1")), auth);
        QCOMPARE(response.status, 200);
        QCOMPARE(upstream.requests().last().target, QByteArray("/v1/chat/completions"));
        QCOMPARE(upstream.requests().last().header("authorization"),
                 QByteArray("Bearer sk-secret"));
    }

    // And again after a restart.
    f.app.reset();
    QVERIFY(f.start());
    QVERIFY(f.app->configStore()->config().provider(QStringLiteral("fake")));
    const int before = upstream.requestCount();
    {
        TestHttpClient client(f.port());
        QTRY_COMPARE(
            client.postJson("/v1/chat/completions", chat(QStringLiteral("m-2")), auth).status, 200);
    }
    QVERIFY(upstream.requestCount() > before);
    QCOMPARE(upstream.requests().last().header("authorization"), QByteArray("Bearer sk-secret"));

    // Removing the provider removes its key.
    page = f.app->settingsWindow()->providersPage();
    QVERIFY(page->remove(QStringLiteral("fake")));
    QTRY_VERIFY(!f.store.contains(SecretStore::providerApiKeyKey(QStringLiteral("fake"))));
    QVERIFY(!f.app->configStore()->config().provider(QStringLiteral("fake")));
}

void TestSettingsPages::providerValidation()
{
    TrayAppFixture f;
    QVERIFY(f.start());
    ProvidersPage *page = f.app->settingsWindow()->providersPage();
    ProviderDialog *dialog = page->openDialog();
    dialog->setFields(QStringLiteral("bad id!"), QStringLiteral("https://example.com/v1"),
                      QStringLiteral("sk-1"), {});
    page->save(dialog);
    QVERIFY2(dialog->errorText().contains(QStringLiteral("providers.bad id!")),
             qPrintable(dialog->errorText()));
    dialog->setFields(QStringLiteral("good"), QStringLiteral("not a url"), QStringLiteral("sk-1"),
                      {});
    page->save(dialog);
    QVERIFY(dialog->errorText().contains(QStringLiteral("baseUrl")));
    QTest::qWait(50);
    QVERIFY(dialog->isVisible());
    // Nothing reached the keychain or the file.
    QVERIFY(!f.store.contains(SecretStore::providerApiKeyKey(QStringLiteral("good"))));
    QVERIFY(f.app->configStore()->config().providers.isEmpty());
}

void TestSettingsPages::agentsAndRoutes()
{
    TrayAppFixture f;
    QVERIFY(f.start(true, true));
    AgentsPage *page = f.app->settingsWindow()->agentsPage();
    QString error;
    QVERIFY(!page->saveAgent(
        AgentConfig{QStringLiteral("coder"), QStringLiteral("missing"), {}, {}}, &error));
    QVERIFY(error.contains(QStringLiteral("missing")));

    AgentDialog *dialog = page->openAgentDialog();
    dialog->setFields(QStringLiteral("echo"), QStringLiteral("diagnostic"), QString(),
                      QStringLiteral("Be brief."));
    QSignalSpy accepted(dialog, &QDialog::accepted);
    dialog->save();
    QCOMPARE(accepted.size(), 1);
    QCOMPARE(page->agentModel()->rowCount(), 1);

    QVERIFY2(page->saveRoute(-1, RouteConfig{QStringLiteral("gpt-*"), QStringLiteral("echo"), {}},
                             &error),
             qPrintable(error));
    QVERIFY(page->saveRoute(
        -1, RouteConfig{QStringLiteral("claude-*"), {}, QStringLiteral("diagnostic")}, &error));
    QCOMPARE(page->routeModel()->rowCount(), 2);
    QVERIFY(page->moveRoute(1, -1));
    QCOMPARE(f.app->configStore()->config().routes.first().match, QStringLiteral("claude-*"));

    // The gateway routes through the agent without a restart.
    TestHttpClient client(f.port());
    const TestResponse response =
        client.postJson("/v1/chat/completions", chat(QStringLiteral("gpt-4o")),
                        {{"Authorization", "Bearer " + f.defaultSecret()}});
    QCOMPARE(response.status, 200);
    QVERIFY2(QJsonDocument(response.json()).toJson().contains("echo"), response.body.constData());

    // An agent a route uses cannot be removed.
    QVERIFY(!page->removeAgent(QStringLiteral("echo")));
    QVERIFY(page->messageText().contains(QStringLiteral("routes")));
    QVERIFY(page->removeRoute(1));
    QVERIFY(page->removeAgent(QStringLiteral("echo")));

    // Survives a restart.
    f.app.reset();
    QVERIFY(f.start());
    QCOMPARE(f.app->configStore()->config().routes.size(), 1);
    QCOMPARE(f.app->settingsWindow()->agentsPage()->routeModel()->rowCount(), 1);
}

void TestSettingsPages::passwordMode()
{
    TrayAppFixture f;
    QVERIFY(f.start(true, true));
    AccessPage *page = f.app->settingsWindow()->accessPage();
    QVERIFY(page->setAuthMode(AuthMode::Password));
    QCOMPARE(f.modelsStatus(f.defaultSecret()), 401); // tokens are not accepted in this mode
    QCOMPARE(f.modelsStatus("correct horse"), 401);   // no password yet

    PasswordDialog *dialog = page->openPasswordDialog();
    dialog->setPasswords(QStringLiteral("short"), QStringLiteral("short"));
    dialog->save();
    QVERIFY(!dialog->errorText().isEmpty());
    dialog->setPasswords(QStringLiteral("correct horse"), QStringLiteral("correct hose"));
    dialog->save();
    QVERIFY(dialog->errorText().contains(QStringLiteral("differ")));
    QSignalSpy accepted(dialog, &QDialog::accepted);
    dialog->setPasswords(QStringLiteral("correct horse"), QStringLiteral("correct horse"));
    dialog->save();
    QVERIFY(accepted.wait(5'000));
    QCOMPARE(f.store.value(SecretStore::passwordKey()), QByteArray("correct horse"));
    QTRY_COMPARE(f.modelsStatus("correct horse"), 200);
    QVERIFY(!QJsonDocument(f.readConfig()).toJson().contains("correct horse"));

    // Auth "none" is refused beyond loopback, and allowed on it.
    QVERIFY(page->setAuthMode(AuthMode::None));
    QCOMPARE(f.modelsStatus({}), 200);
    QVERIFY(page->setAuthMode(AuthMode::Token));
    QCOMPARE(f.modelsStatus({}), 401);

    // After a restart the password comes back from the keychain.
    QVERIFY(page->setAuthMode(AuthMode::Password));
    f.app.reset();
    QVERIFY(f.start());
    QTRY_COMPARE(f.modelsStatus("correct horse"), 200);

    // Removing it: cancelled, nothing changes; confirmed, the keychain no longer holds it and
    // the gateway refuses it.
    page = f.app->settingsWindow()->accessPage();
    auto *removeButton = page->findChild<QPushButton *>(QStringLiteral("removePasswordButton"));
    QVERIFY(removeButton);
    QTRY_VERIFY(removeButton->isEnabled());
    QMessageBox *box = page->confirmRemovePassword();
    QVERIFY(box);
    box->button(QMessageBox::Cancel)->click();
    QTest::qWait(50);
    QVERIFY(f.store.contains(SecretStore::passwordKey()));
    box = page->confirmRemovePassword();
    QVERIFY(box);
    for (QAbstractButton *button : box->buttons()) {
        if (box->buttonRole(button) == QMessageBox::DestructiveRole)
            button->click();
    }
    QTRY_VERIFY(!f.store.contains(SecretStore::passwordKey()));
    QTRY_COMPARE(f.modelsStatus("correct horse"), 401);
    QVERIFY(!removeButton->isEnabled());
    QVERIFY2(page->messageText().contains(QStringLiteral("removed")),
             qPrintable(page->messageText()));
    QCOMPARE(page->confirmRemovePassword(), nullptr); // nothing left to remove
}

void TestSettingsPages::hostPages()
{
    TrayAppFixture f;
    QVERIFY(f.start());
    SettingsWindow *window = f.app->settingsWindow();
    // The tray app hosts the live Sessions view and the Log view.
    QVERIFY(qobject_cast<SessionsView *>(window->sessionsPage()->widget()));
    QVERIFY(qobject_cast<LogView *>(window->logPage()->widget()));
    auto *placeholder =
        window->sessionsPage()->findChild<QLabel *>(QStringLiteral("unavailableLabel"));
    QVERIFY(placeholder);
    QVERIFY(placeholder->isHidden());
    // A page takes whatever widget it is given.
    auto *sessions = new QLabel(QStringLiteral("live sessions here"));
    window->setSessionsWidget(sessions);
    QCOMPARE(window->sessionsPage()->widget(), sessions);
    window->showPage(SettingsWindow::Page::Sessions);
    QCOMPARE(window->currentPage(), SettingsWindow::Page::Sessions);
    QVERIFY(sessions->isVisible());
}

QTEST_MAIN(TestSettingsPages)
#include "tst_settingspages.moc"
