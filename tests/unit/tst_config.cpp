// Configuration: every error names the key path; defaults; secrets refused; atomic round trip.
#include "Config.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace portico;

class TestConfig : public QObject
{
    Q_OBJECT

private slots:
    void errorsNameTheKey_data();
    void errorsNameTheKey();
    void defaultsWhenMissing();
    void roundTripKeepsUnknownKeys();
    void invalidJsonSaysWhere();
};

void TestConfig::errorsNameTheKey_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("keyPath");
    QTest::newRow("bind") << QByteArray(R"({"gateway":{"bind":"nowhere"}})") << "gateway.bind";
    QTest::newRow("port range") << QByteArray(R"({"gateway":{"port":70000}})") << "gateway.port";
    QTest::newRow("port type") << QByteArray(R"({"gateway":{"port":"80"}})") << "gateway.port";
    QTest::newRow("auth mode") << QByteArray(R"({"gateway":{"auth":{"mode":"magic"}}})")
                               << "gateway.auth.mode";
    QTest::newRow("none beyond loopback")
        << QByteArray(R"({"gateway":{"bind":"0.0.0.0","auth":{"mode":"none"}}})")
        << "gateway.auth.mode";
    QTest::newRow("password in file")
        << QByteArray(R"({"gateway":{"auth":{"password":"x"}}})") << "gateway.auth.password";
    QTest::newRow("endpoint flag type")
        << QByteArray(R"({"gateway":{"http":{"endpoints":{"chatCompletions":{"enabled":"yes"}}}}})")
        << "gateway.http.endpoints.chatCompletions.enabled";
    QTest::newRow("limit") << QByteArray(R"({"gateway":{"limits":{"maxBodyBytes":5}}})")
                           << "gateway.limits.maxBodyBytes";
    QTest::newRow("timeout") << QByteArray(R"({"gateway":{"timeouts":{"idleMs":0}}})")
                             << "gateway.timeouts.idleMs";
    QTest::newRow("allowedHosts") << QByteArray(R"({"gateway":{"allowedHosts":[1]}})")
                                  << "gateway.allowedHosts[0]";
    QTest::newRow("provider type")
        << QByteArray(R"({"providers":{"p":{"type":"soap"}}})") << "providers.p.type";
    QTest::newRow("provider url")
        << QByteArray(R"({"providers":{"p":{"type":"openai","baseUrl":"ftp://x"}}})")
        << "providers.p.baseUrl";
    QTest::newRow("provider key in file")
        << QByteArray(R"({"providers":{"p":{"type":"openai","baseUrl":"http://h","apiKey":"sk"}}})")
        << "providers.p.apiKey";
    QTest::newRow("provider id") << QByteArray(R"({"providers":{"bad id":{"type":"diagnostic"}}})")
                                 << "providers.bad id";
    QTest::newRow("agent provider")
        << QByteArray(R"({"agents":{"a":{"provider":"ghost"}}})") << "agents.a.provider";
    QTest::newRow("route both")
        << QByteArray(R"({"routes":[{"match":"*","agent":"main","provider":"diagnostic"}]})")
        << "routes[0]";
    QTest::newRow("route match") << QByteArray(R"({"routes":[{"agent":"main"}]})")
                                 << "routes[0].match";
    QTest::newRow("log retention")
        << QByteArray(R"({"log":{"retentionDays":-1}})") << "log.retentionDays";
    QTest::newRow("log content") << QByteArray(R"({"log":{"keepContent":1}})") << "log.keepContent";
}

void TestConfig::errorsNameTheKey()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, keyPath);
    Config config;
    QString error;
    QVERIFY(!Config::fromJson(QJsonDocument::fromJson(json).object(), &config, &error));
    QVERIFY2(error.startsWith(keyPath + QStringLiteral(": ")), qPrintable(error));
}

void TestConfig::defaultsWhenMissing()
{
    QTemporaryDir dir;
    Config config;
    QString error;
    QVERIFY(Config::load(dir.filePath(QStringLiteral("none.json")), &config, &error));
    QCOMPARE(config.gateway.bind, QStringLiteral("127.0.0.1"));
    QCOMPARE(config.gateway.port, quint16(18789));
    QCOMPARE(config.gateway.authMode, AuthMode::Token);
    QVERIFY(!config.gateway.chatCompletionsEnabled); // off by default
    QCOMPARE(config.gateway.maxBodyBytes, 20LL * 1024 * 1024);
}

void TestConfig::roundTripKeepsUnknownKeys()
{
    const QByteArray json = R"({"gateway":{"port":1234,"futureKey":true},"x_extra":{"a":1},
        "providers":{"local":{"type":"openai","baseUrl":"http://127.0.0.1:11434/v1","models":["m"],"custom":7}},
        "agents":{"main":{"provider":"local","model":"m"}},"routes":[{"match":"gpt*","agent":"main"}],
        "log":{"retentionDays":3}})";
    Config config;
    QString error;
    QVERIFY2(Config::fromJson(QJsonDocument::fromJson(json).object(), &config, &error),
             qPrintable(error));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sub/portico.json"));
    QVERIFY(config.save(path, &error));
    Config back;
    QVERIFY2(Config::load(path, &back, &error), qPrintable(error));
    QCOMPARE(back.gateway.port, quint16(1234));
    QCOMPARE(back.providers.size(), 1);
    QCOMPARE(back.providers.first().raw.value(QStringLiteral("custom")).toInt(), 7);
    QCOMPARE(
        back.raw.value(QStringLiteral("x_extra")).toObject().value(QStringLiteral("a")).toInt(), 1);
    QVERIFY(back.raw.value(QStringLiteral("gateway"))
                .toObject()
                .value(QStringLiteral("futureKey"))
                .toBool());
    QCOMPARE(back.routes.first().agent, QStringLiteral("main"));
}

void TestConfig::invalidJsonSaysWhere()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"gateway\": {\"port\": 1,}");
    file.close();
    Config config;
    QString error;
    QVERIFY(!Config::load(path, &config, &error));
    QVERIFY2(error.contains(path) && error.contains(QStringLiteral("offset")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
