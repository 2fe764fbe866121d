// Every item model of the settings window under QAbstractItemModelTester, with the data each
// column shows.
#include "AgentTableModel.h"
#include "MemorySecretStore.h"
#include "ProviderTableModel.h"
#include "RouteTableModel.h"
#include "SecretCache.h"
#include "SecretStore.h"
#include "TokenService.h"
#include "TokenTableModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace portico;

class TestUiModels : public QObject
{
    Q_OBJECT

private slots:
    void tokenModel();
    void providerModel();
    void agentModel();
    void routeModel();
};

void TestUiModels::tokenModel()
{
    MemorySecretStore store;
    TokenService service(&store);
    TokenTableModel model(&service);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(TokenTableModel::ColumnCount));

    TokenRecord a{QStringLiteral("0000000000000001"), QStringLiteral("VS Code"),
                  QByteArray(64, 'a'),
                  QDateTime(QDate(2024, 5, 1), QTime(9, 30)).toMSecsSinceEpoch()};
    TokenRecord b{QStringLiteral("0000000000000002"), QStringLiteral("scripts"),
                  QByteArray(64, 'b'), 0};
    model.setTokens({a, b});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, TokenTableModel::Name).data().toString(), a.name);
    QCOMPARE(model.index(1, TokenTableModel::Name).data(TokenTableModel::IdRole).toString(), b.id);
    QVERIFY(
        model.index(0, TokenTableModel::Created).data().toString().contains(QStringLiteral("30")));
    QCOMPARE(model.index(1, TokenTableModel::Created).data().toString(), QStringLiteral("unknown"));
    QCOMPARE(model.index(0, TokenTableModel::LastUsed).data().toString(),
             QStringLiteral("not yet"));
    QCOMPARE(model.headerData(TokenTableModel::LastUsed, Qt::Horizontal).toString(),
             QStringLiteral("Last used"));
    // No secret, no digest anywhere in what the model shows.
    for (int row = 0; row < model.rowCount(); ++row)
        for (int column = 0; column < model.columnCount(); ++column)
            QVERIFY(!model.index(row, column).data().toString().contains(QStringLiteral("aaaa")));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    service.noteUsed(a.name);
    model.refreshLastUsed();
    QCOMPARE(changed.size(), 1);
    QVERIFY(model.index(0, TokenTableModel::LastUsed).data().toString() !=
            QStringLiteral("not yet"));
    QCOMPARE(model.tokenAt(5).id, QString());
    model.setTokens({});
    QCOMPARE(model.rowCount(), 0);
    model.refreshLastUsed(); // nothing to refresh, still valid
}

void TestUiModels::providerModel()
{
    MemorySecretStore store;
    store.insert(SecretStore::providerApiKeyKey(QStringLiteral("openrouter")), "sk-1");
    SecretCache secrets(&store);
    ProviderTableModel model(&secrets);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    ProviderConfig openrouter;
    openrouter.id = QStringLiteral("openrouter");
    openrouter.type = QStringLiteral("openai");
    openrouter.baseUrl = QUrl(QStringLiteral("https://openrouter.ai/api/v1"));
    openrouter.models = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                         QStringLiteral("d")};
    ProviderConfig local = openrouter;
    local.id = QStringLiteral("local");
    local.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:11434/v1"));
    local.apiKeyEnv = QStringLiteral("PORTICO_TEST_UNSET_VARIABLE");
    local.models = {QStringLiteral("llama3")};
    ProviderConfig cli;
    cli.id = QStringLiteral("claude");
    cli.type = QStringLiteral("cli");
    model.setProviders({cli, local, openrouter});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rowOf(QStringLiteral("openrouter")), 2);
    QCOMPARE(model.rowOf(QStringLiteral("missing")), -1);
    QCOMPARE(model.index(2, ProviderTableModel::BaseUrl).data().toString(),
             QStringLiteral("https://openrouter.ai/api/v1"));
    QVERIFY(
        model.index(2, ProviderTableModel::Models).data().toString().contains(QStringLiteral("4")));
    QCOMPARE(model.index(1, ProviderTableModel::Models).data().toString(),
             QStringLiteral("llama3"));
    QCOMPARE(model.index(2, ProviderTableModel::ApiKey).data().toString(), QStringLiteral("none"));
    QCOMPARE(model.index(1, ProviderTableModel::ApiKey).data().toString(),
             QStringLiteral("$PORTICO_TEST_UNSET_VARIABLE (not set)"));
    QCOMPARE(model.index(0, ProviderTableModel::ApiKey).data().toString(),
             QStringLiteral("not needed"));

    // The key arrives from the keychain: the column follows.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    connect(&secrets, &SecretCache::changed, &model, &ProviderTableModel::refreshKeys);
    QSignalSpy loaded(&secrets, &SecretCache::changed);
    secrets.load({SecretStore::providerApiKeyKey(QStringLiteral("openrouter"))}, nullptr, {});
    QVERIFY(loaded.wait(2'000));
    QVERIFY(changed.size() >= 1);
    QCOMPARE(model.index(2, ProviderTableModel::ApiKey).data().toString(),
             QStringLiteral("keychain"));
    model.setProviders({});
    QCOMPARE(model.rowCount(), 0);
}

void TestUiModels::agentModel()
{
    AgentTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    AgentConfig coder{QStringLiteral("coder"), QStringLiteral("openrouter"), QStringLiteral("qwen"),
                      QStringLiteral("You write code.\nOnly code.")};
    AgentConfig echo{QStringLiteral("echo"), QStringLiteral("diagnostic"), QString(), QString()};
    model.setAgents({coder, echo});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, AgentTableModel::SystemPrompt).data().toString(),
             QStringLiteral("You write code."));
    QCOMPARE(model.index(0, AgentTableModel::SystemPrompt).data(Qt::ToolTipRole).toString(),
             coder.systemPrompt);
    QCOMPARE(model.index(1, AgentTableModel::Model).data().toString(),
             QStringLiteral("(as requested)"));
    QCOMPARE(model.agentAt(1).provider, QStringLiteral("diagnostic"));
    model.setAgents({echo});
    QCOMPARE(model.rowCount(), 1);
}

void TestUiModels::routeModel()
{
    RouteTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRoutes({RouteConfig{QStringLiteral("gpt-*"), QStringLiteral("coder"), QString()},
                     RouteConfig{QStringLiteral("*"), QString(), QStringLiteral("diagnostic")}});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, RouteTableModel::Target).data().toString(),
             QStringLiteral("agent coder"));
    QCOMPARE(model.index(1, RouteTableModel::Target).data().toString(),
             QStringLiteral("provider diagnostic"));
    QCOMPARE(model.headerData(RouteTableModel::Match, Qt::Horizontal).toString(),
             QStringLiteral("Requested model"));
    QCOMPARE(model.routeAt(3).match, QString());
    model.setRoutes({});
    QCOMPARE(model.rowCount(), 0);
}

QTEST_MAIN(TestUiModels)
#include "tst_uimodels.moc"
