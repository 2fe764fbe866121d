#include "AnthropicProvider.h"

#include <QJsonDocument>
#include <QTest>

using namespace portico;

namespace {

ProviderConfig config(const QByteArray &rawJson, const QString &baseUrl = QString())
{
    ProviderConfig c;
    c.id = QStringLiteral("claude");
    c.type = QStringLiteral("anthropic");
    c.baseUrl = QUrl(baseUrl);
    c.models = {QStringLiteral("claude-sonnet-4-5"), QStringLiteral("claude-opus-4-1")};
    c.raw = QJsonDocument::fromJson(rawJson).object();
    return c;
}

} // namespace

class tst_AnthropicProviderConfig : public QObject
{
    Q_OBJECT
private slots:
    void defaults();
    void settingsFromConfig_data();
    void settingsFromConfig();
    void rejects_data();
    void rejects();
};

void tst_AnthropicProviderConfig::defaults()
{
    QString error;
    const auto provider = createAnthropicProvider(config("{}"), "sk-ant-test", &error);
    QVERIFY2(provider, qPrintable(error));
    QCOMPARE(provider->id(), QStringLiteral("claude"));
    QCOMPARE(provider->type(), QStringLiteral("anthropic"));
    QCOMPARE(provider->models(),
             QStringList({QStringLiteral("claude-sonnet-4-5"), QStringLiteral("claude-opus-4-1")}));
    const AnthropicSettings &s = static_cast<AnthropicProvider *>(provider.get())->settings();
    QCOMPARE(s.messagesUrl, QUrl(QStringLiteral("https://api.anthropic.com/v1/messages")));
    QCOMPARE(s.version, QByteArray("2023-06-01"));
    QCOMPARE(s.defaultMaxTokens, 4096);
    QCOMPARE(s.apiKey, QByteArray("sk-ant-test"));

    // The call it makes is a ProviderCall owned by the given parent.
    QObject parent;
    CallContext context;
    ProviderCall *call = provider->createCall(context, &parent);
    QVERIFY(call);
    QCOMPARE(call->parent(), &parent);
}

void tst_AnthropicProviderConfig::settingsFromConfig_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("baseUrl");
    QTest::addColumn<QUrl>("messagesUrl");
    QTest::addColumn<QByteArray>("version");
    QTest::addColumn<int>("maxTokens");

    QTest::newRow("local proxy") << QByteArray(R"({"anthropicVersion":"2024-01-01",
                                                   "defaultMaxTokens":1000})")
                                 << QStringLiteral("http://127.0.0.1:8080")
                                 << QUrl(QStringLiteral("http://127.0.0.1:8080/v1/messages"))
                                 << QByteArray("2024-01-01") << 1000;
    QTest::newRow("path prefix, trailing slash")
        << QByteArray("{}") << QStringLiteral("https://gw.example.com/anthropic/")
        << QUrl(QStringLiteral("https://gw.example.com/anthropic/v1/messages"))
        << QByteArray("2023-06-01") << 4096;
}

void tst_AnthropicProviderConfig::settingsFromConfig()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, baseUrl);
    QFETCH(QUrl, messagesUrl);
    QFETCH(QByteArray, version);
    QFETCH(int, maxTokens);
    QString error;
    const auto provider = createAnthropicProvider(config(raw, baseUrl), "k", &error);
    QVERIFY2(provider, qPrintable(error));
    const AnthropicSettings &s = static_cast<AnthropicProvider *>(provider.get())->settings();
    QCOMPARE(s.messagesUrl, messagesUrl);
    QCOMPARE(s.version, version);
    QCOMPARE(s.defaultMaxTokens, maxTokens);
}

void tst_AnthropicProviderConfig::rejects_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("baseUrl");
    QTest::addColumn<QByteArray>("apiKey");
    QTest::addColumn<QString>("errorStart");

    QTest::newRow("max tokens zero")
        << QByteArray(R"({"defaultMaxTokens":0})") << QString() << QByteArray("k")
        << QStringLiteral("providers.claude.defaultMaxTokens: ");
    QTest::newRow("max tokens string")
        << QByteArray(R"({"defaultMaxTokens":"100"})") << QString() << QByteArray("k")
        << QStringLiteral("providers.claude.defaultMaxTokens: ");
    QTest::newRow("max tokens fraction")
        << QByteArray(R"({"defaultMaxTokens":10.5})") << QString() << QByteArray("k")
        << QStringLiteral("providers.claude.defaultMaxTokens: ");
    QTest::newRow("version number")
        << QByteArray(R"({"anthropicVersion":2023})") << QString() << QByteArray("k")
        << QStringLiteral("providers.claude.anthropicVersion: ");
    QTest::newRow("version header injection")
        << QByteArray(R"({"anthropicVersion":"2023-06-01\r\nx-evil: 1"})") << QString()
        << QByteArray("k") << QStringLiteral("providers.claude.anthropicVersion: ");
    QTest::newRow("ftp base") << QByteArray("{}") << QStringLiteral("ftp://example.com")
                              << QByteArray("k") << QStringLiteral("providers.claude.baseUrl: ");
    QTest::newRow("no key") << QByteArray("{}") << QString() << QByteArray()
                            << QStringLiteral("providers.claude: no API key");
    QTest::newRow("key with newline") << QByteArray("{}") << QString() << QByteArray("a\nb")
                                      << QStringLiteral("providers.claude: ");
}

void tst_AnthropicProviderConfig::rejects()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, baseUrl);
    QFETCH(QByteArray, apiKey);
    QFETCH(QString, errorStart);
    QString error;
    QVERIFY(!createAnthropicProvider(config(raw, baseUrl), apiKey, &error));
    QVERIFY2(error.startsWith(errorStart), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_AnthropicProviderConfig)
#include "tst_anthropicproviderconfig.moc"
