// ConfigStore: every change is validated, applied to the running gateway and saved atomically,
// or nothing changes.
#include "ConfigStore.h"
#include "Gateway.h"
#include "TestHttpClient.h"

#include <QFile>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace portico;

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write(data);
}

const QByteArray kBase = R"({
  "gateway": { "bind": "127.0.0.1", "port": 0,
               "http": { "endpoints": { "chatCompletions": { "enabled": true } } } },
  "somethingNew": { "kept": true }
})";

} // namespace

class TestConfigStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void updateSavesAndApplies();
    void invalidChangeChangesNothing();
    void portInUseChangesNothing();
    void unreadableFileIsNeverOverwritten();
    void missingFileGivesDefaults();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void TestConfigStore::init()
{
    qputenv("PORTICO_GATEWAY_TOKEN", TestHttpClient::defaultToken());
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("portico.json"));
}

void TestConfigStore::updateSavesAndApplies()
{
    writeFile(m_path, kBase);
    Gateway gateway;
    ConfigStore store(m_path);
    store.setGateway(&gateway);
    QVERIFY(store.load(nullptr));
    QVERIFY(gateway.start(store.config(), nullptr));
    TestHttpClient client(gateway.port());
    const HeaderList auth{{"Authorization", "Bearer " + TestHttpClient::defaultToken()}};
    QCOMPARE(client.request("GET", "/v1/models", auth).status, 200);

    QSignalSpy changed(&store, &ConfigStore::changed);
    QString error;
    QVERIFY2(store.update([](Config &c) { c.gateway.chatCompletionsEnabled = false; }, &error),
             qPrintable(error));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(client.request("GET", "/v1/models", auth).status, 404);
    QVERIFY(!gateway.chatCompletionsEnabled());
    Config reread;
    QVERIFY(Config::load(m_path, &reread, nullptr));
    QVERIFY(!reread.gateway.chatCompletionsEnabled);
    // Unknown keys survive a save.
    QVERIFY(readFile(m_path).contains("somethingNew"));

    // reapply() applies the same configuration again without complaint.
    QVERIFY(store.reapply(&error));
}

void TestConfigStore::invalidChangeChangesNothing()
{
    writeFile(m_path, kBase);
    Gateway gateway;
    ConfigStore store(m_path);
    store.setGateway(&gateway);
    QVERIFY(store.load(nullptr));
    QVERIFY(gateway.start(store.config(), nullptr));
    const QByteArray before = readFile(m_path);
    QSignalSpy changed(&store, &ConfigStore::changed);

    const ConfigStore::Mutator badAgent = [](Config &c) {
        c.agents.append(AgentConfig{QStringLiteral("coder"), QStringLiteral("nowhere"), {}, {}});
    };
    QString error;
    QVERIFY(!store.check(badAgent, &error));
    QVERIFY2(error.contains(QStringLiteral("agents.coder.provider")), qPrintable(error));
    error.clear();
    QVERIFY(!store.update(badAgent, &error));
    QVERIFY(error.contains(QStringLiteral("no provider \"nowhere\"")));
    QVERIFY(!store.update(
        [](Config &c) {
            c.gateway.bind = QStringLiteral("0.0.0.0");
            c.gateway.authMode = AuthMode::None;
        },
        &error));
    QVERIFY(error.contains(QStringLiteral("gateway.auth.mode")));
    QCOMPARE(changed.size(), 0);
    QCOMPARE(readFile(m_path), before);
    QVERIFY(store.config().agents.isEmpty());
    QCOMPARE(gateway.config().gateway.bind, QStringLiteral("127.0.0.1"));
}

void TestConfigStore::portInUseChangesNothing()
{
    writeFile(m_path, kBase);
    Gateway gateway;
    ConfigStore store(m_path);
    store.setGateway(&gateway);
    QVERIFY(store.load(nullptr));
    QVERIFY(gateway.start(store.config(), nullptr));
    const quint16 port = gateway.port();
    const QByteArray before = readFile(m_path);
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
    QString error;
    QVERIFY(!store.update(
        [&](Config &c) {
            c.gateway.port = occupier.serverPort();
            c.gateway.chatCompletionsEnabled = false;
        },
        &error));
    QVERIFY2(error.contains(QString::number(occupier.serverPort())), qPrintable(error));
    QCOMPARE(gateway.port(), port);
    QVERIFY(gateway.chatCompletionsEnabled()); // not applied half-way
    QCOMPARE(readFile(m_path), before);
    QCOMPARE(store.config().gateway.port, quint16(0));
    TestHttpClient client(port);
    QCOMPARE(client
                 .request("GET", "/v1/models",
                          {{"Authorization", "Bearer " + TestHttpClient::defaultToken()}})
                 .status,
             200);
}

void TestConfigStore::unreadableFileIsNeverOverwritten()
{
    const QByteArray broken = "{ \"gateway\": { \"port\": -3 } }";
    writeFile(m_path, broken);
    ConfigStore store(m_path);
    QSignalSpy failed(&store, &ConfigStore::loadFailed);
    QString error;
    QVERIFY(!store.load(&error));
    QCOMPARE(failed.size(), 1);
    QVERIFY(error.contains(QStringLiteral("gateway.port")));
    QVERIFY(!store.update([](Config &c) { c.gateway.chatCompletionsEnabled = true; }, &error));
    QVERIFY(error.contains(QStringLiteral("not overwritten")));
    QCOMPARE(readFile(m_path), broken);

    // Fixed by hand: loading again lifts the block.
    writeFile(m_path, kBase);
    QVERIFY(store.load(&error));
    QVERIFY(store.loadError().isEmpty());
    QVERIFY(store.update([](Config &c) { c.gateway.chatCompletionsEnabled = false; }, &error));
}

void TestConfigStore::missingFileGivesDefaults()
{
    ConfigStore store(m_dir->filePath(QStringLiteral("sub/dir/portico.json")));
    QVERIFY(store.load(nullptr));
    QCOMPARE(store.config().gateway.port, quint16(18789));
    QString error;
    // No gateway: the change is only saved (the folder is created).
    QVERIFY(store.update([](Config &c) { c.gateway.port = 0; }, &error));
    Config reread;
    QVERIFY(Config::load(store.path(), &reread, nullptr));
    QCOMPARE(reread.gateway.port, quint16(0));
}

QTEST_MAIN(TestConfigStore)
#include "tst_configstore.moc"
