#include "CliOptions.h"
#include "CliPresets.h"
#include "CliProvider.h"
#include "Config.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace portico;

namespace {

ProviderConfig providerConfig(const QString &id, const QByteArray &rawJson)
{
    ProviderConfig c;
    c.id = id;
    c.type = QStringLiteral("cli");
    c.raw = QJsonDocument::fromJson(rawJson).object();
    c.raw.insert(QStringLiteral("type"), QStringLiteral("cli"));
    for (const QJsonValue &m : c.raw.value(QStringLiteral("models")).toArray())
        c.models.append(m.toString());
    return c;
}

CliOptions parsed(const QString &id, const QByteArray &rawJson)
{
    CliOptions o;
    QString error;
    if (!CliOptions::fromConfig(providerConfig(id, rawJson), &o, &error))
        qWarning() << "unexpected config error" << error;
    return o;
}

void writeExecutable(const QString &path)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("#!/bin/sh\nexit 0\n");
    f.close();
    QVERIFY(f.setPermissions(f.permissions() | QFileDevice::ExeOwner));
}

} // namespace

class TestCliOptions : public QObject
{
    Q_OBJECT

private slots:
    void presetDefaults_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("command");
        QTest::addColumn<QStringList>("argv"); // with model "m-1" and prompt "P"
        QTest::addColumn<int>("format");

        QTest::newRow("claude by id")
            << QStringLiteral("claude") << QByteArray("{}") << QStringLiteral("claude")
            << QStringList{QStringLiteral("-p"),          QStringLiteral("--output-format"),
                           QStringLiteral("stream-json"), QStringLiteral("--verbose"),
                           QStringLiteral("--model"),     QStringLiteral("m-1")}
            << int(CliOutputFormat::ClaudeStreamJson);
        QTest::newRow("codex by preset key")
            << QStringLiteral("work") << QByteArray(R"({"preset":"codex"})")
            << QStringLiteral("codex") << QStringList{QStringLiteral("exec"),
                                                      QStringLiteral("--json"),
                                                      QStringLiteral("--skip-git-repo-check"),
                                                      QStringLiteral("--model"),
                                                      QStringLiteral("m-1"),
                                                      QStringLiteral("-")}
            << int(CliOutputFormat::CodexJson);
        QTest::newRow("gemini") << QStringLiteral("gemini") << QByteArray("{}")
                                << QStringLiteral("gemini")
                                << QStringList{QStringLiteral("--output-format"),
                                               QStringLiteral("stream-json"),
                                               QStringLiteral("--model"), QStringLiteral("m-1")}
                                << int(CliOutputFormat::GeminiStreamJson);
        QTest::newRow("args and command override the preset")
            << QStringLiteral("claude")
            << QByteArray(
                   R"({"command":"/opt/claude/bin/claude","args":["-p","--output-format","stream-json","--verbose","--include-partial-messages"]})")
            << QStringLiteral("/opt/claude/bin/claude")
            << QStringList{QStringLiteral("-p"),
                           QStringLiteral("--output-format"),
                           QStringLiteral("stream-json"),
                           QStringLiteral("--verbose"),
                           QStringLiteral("--include-partial-messages"),
                           QStringLiteral("--model"),
                           QStringLiteral("m-1")}
            << int(CliOutputFormat::ClaudeStreamJson);
        QTest::newRow("custom command, prompt as argument")
            << QStringLiteral("mine")
            << QByteArray(R"({"command":"my-agent","args":["run"],"prompt":"argument"})")
            << QStringLiteral("my-agent")
            << QStringList{QStringLiteral("run"), QStringLiteral("--"), QStringLiteral("P")}
            << int(CliOutputFormat::Text);
        QTest::newRow("custom command with a model flag")
            << QStringLiteral("mine") << QByteArray(R"({"command":"my-agent","modelFlag":"-m"})")
            << QStringLiteral("my-agent")
            << QStringList{QStringLiteral("-m"), QStringLiteral("m-1")}
            << int(CliOutputFormat::Text);
        QTest::newRow("preset none on a preset id")
            << QStringLiteral("claude") << QByteArray(R"({"preset":"none","command":"x"})")
            << QStringLiteral("x") << QStringList{} << int(CliOutputFormat::Text);
    }

    void presetDefaults()
    {
        QFETCH(QString, id);
        QFETCH(QByteArray, raw);
        QFETCH(QString, command);
        QFETCH(QStringList, argv);
        QFETCH(int, format);
        CliOptions o;
        QString error;
        QVERIFY2(CliOptions::fromConfig(providerConfig(id, raw), &o, &error), qPrintable(error));
        QCOMPARE(o.command, command);
        QCOMPARE(o.arguments(QStringLiteral("m-1"), QStringLiteral("P")), argv);
        QCOMPARE(int(o.format), format);
        QCOMPARE(o.timeoutSeconds, 600);
        QCOMPARE(o.maxOutputBytes, 16LL * 1024 * 1024);
    }

    void promptNeverInArgvOnStdin()
    {
        const QString prompt = QStringLiteral("--help; $(touch x)");
        for (const QString &preset : CliPresets::names()) {
            const CliOptions o = parsed(preset, "{}");
            QVERIFY(!o.arguments(QString(), prompt).contains(prompt));
            // No model: no model flag.
            QVERIFY(!o.arguments(QString(), prompt).contains(QStringLiteral("--model")));
        }
        const CliOptions arg = parsed(QStringLiteral("claude"), R"({"prompt":"argument"})");
        const QStringList argv = arg.arguments(QString(), prompt);
        QCOMPARE(argv.count(prompt), 1);
        QCOMPARE(argv.last(), prompt);
        QCOMPARE(argv.at(argv.size() - 2), QStringLiteral("--"));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown preset")
            << QStringLiteral("x") << QByteArray(R"({"preset":"gpt"})")
            << QStringLiteral("providers.x.preset: must be one of claude, codex, gemini or none");
        QTest::newRow("no command")
            << QStringLiteral("x") << QByteArray("{}")
            << QStringLiteral("providers.x.command: is required without a preset");
        QTest::newRow("relative path")
            << QStringLiteral("x") << QByteArray(R"({"command":"bin/agent"})")
            << QStringLiteral("providers.x.command: must be a command name or an absolute path");
        QTest::newRow("args not strings")
            << QStringLiteral("claude") << QByteArray(R"({"args":["-p",1]})")
            << QStringLiteral("providers.claude.args: must be an array of strings");
        QTest::newRow("env bad name")
            << QStringLiteral("claude") << QByteArray(R"({"env":["A B"]})")
            << QStringLiteral("providers.claude.env: \"A B\" is not a variable name");
        QTest::newRow("env gateway token")
            << QStringLiteral("claude") << QByteArray(R"({"env":["PORTICO_GATEWAY_TOKEN"]})")
            << QStringLiteral("providers.claude.env: PORTICO_GATEWAY_TOKEN: Portico's own "
                              "variables never reach a CLI");
        QTest::newRow("timeout zero")
            << QStringLiteral("claude") << QByteArray(R"({"timeoutSeconds":0})")
            << QStringLiteral(
                   "providers.claude.timeoutSeconds: must be a whole number from 1 to 86400");
        QTest::newRow("timeout fraction")
            << QStringLiteral("claude") << QByteArray(R"({"timeoutSeconds":1.5})")
            << QStringLiteral(
                   "providers.claude.timeoutSeconds: must be a whole number from 1 to 86400");
        QTest::newRow("output cap string")
            << QStringLiteral("claude") << QByteArray(R"({"maxOutputBytes":"1M"})")
            << QStringLiteral("providers.claude.maxOutputBytes: must be a whole number from 4096 "
                              "to 1073741824");
        QTest::newRow("prompt mode")
            << QStringLiteral("claude") << QByteArray(R"({"prompt":"shell"})")
            << QStringLiteral("providers.claude.prompt: must be \"stdin\" or \"argument\"");
        QTest::newRow("model flag")
            << QStringLiteral("claude") << QByteArray(R"({"modelFlag":"model"})")
            << QStringLiteral("providers.claude.modelFlag: must start with '-'");
        QTest::newRow("working dir")
            << QStringLiteral("claude") << QByteArray(R"({"workingDirectory":"rel"})")
            << QStringLiteral("providers.claude.workingDirectory: must be an absolute path");
    }

    void errors()
    {
        QFETCH(QString, id);
        QFETCH(QByteArray, raw);
        QFETCH(QString, error);
        CliOptions o;
        QString actual;
        QVERIFY(!CliOptions::fromConfig(providerConfig(id, raw), &o, &actual));
        QCOMPARE(actual, error);
        QString factoryError;
        QVERIFY(!createCliProvider(providerConfig(id, raw), &factoryError));
        QCOMPARE(factoryError, error);
    }

    void modelNames_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << QStringLiteral("claude-sonnet-4-5") << true;
        QTest::newRow("dots colon slash") << QStringLiteral("openai/gpt-5.1:high") << true;
        QTest::newRow("leading dash") << QStringLiteral("--help") << false;
        QTest::newRow("space") << QStringLiteral("a b") << false;
        QTest::newRow("semicolon") << QStringLiteral("a;rm") << false;
        QTest::newRow("subshell") << QStringLiteral("$(id)") << false;
        QTest::newRow("newline") << QStringLiteral("a\nb") << false;
        QTest::newRow("quote") << QStringLiteral("a'b") << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("too long") << QString(129, QLatin1Char('a')) << false;
        QTest::newRow("longest") << QString(128, QLatin1Char('a')) << true;
    }

    void modelNames()
    {
        QFETCH(QString, model);
        QFETCH(bool, valid);
        QCOMPARE(CliOptions::isValidModelName(model), valid);
    }

    void environmentIsAllowlisted()
    {
        QProcessEnvironment from;
        from.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin"));
        from.insert(QStringLiteral("HOME"), QStringLiteral("/home/u"));
        from.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
        from.insert(QStringLiteral("XDG_CONFIG_HOME"), QStringLiteral("/home/u/.config"));
        from.insert(QStringLiteral("https_proxy"), QStringLiteral("http://proxy:3128"));
        from.insert(QStringLiteral("PORTICO_GATEWAY_TOKEN"), QStringLiteral("secret-token"));
        from.insert(QStringLiteral("PORTICO_GATEWAY_PASSWORD"), QStringLiteral("secret-password"));
        from.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-unrelated"));
        from.insert(QStringLiteral("ANTHROPIC_API_KEY"), QStringLiteral("sk-ant-wanted"));
        from.insert(QStringLiteral("LD_PRELOAD"), QStringLiteral("/evil.so"));
        const CliOptions o =
            parsed(QStringLiteral("claude"), R"({"env":["ANTHROPIC_API_KEY","NOT_SET"]})");
        const QProcessEnvironment env = o.environment(from);
        QStringList keys = env.keys();
        keys.sort();
        QCOMPARE(keys,
                 (QStringList{QStringLiteral("ANTHROPIC_API_KEY"), QStringLiteral("HOME"),
                              QStringLiteral("LC_ALL"), QStringLiteral("PATH"),
                              QStringLiteral("XDG_CONFIG_HOME"), QStringLiteral("https_proxy")}));
        QCOMPARE(env.value(QStringLiteral("ANTHROPIC_API_KEY")), QStringLiteral("sk-ant-wanted"));
    }

    void workingDirectory()
    {
        QCOMPARE(parsed(QStringLiteral("claude"), R"({"workingDirectory":"~/proj"})")
                     .effectiveWorkingDirectory(),
                 QDir::homePath() + QStringLiteral("/proj"));
        QCOMPARE(parsed(QStringLiteral("claude"), "{}").effectiveWorkingDirectory(),
                 Config::dataDir() + QStringLiteral("/cli/claude"));
    }

    void modelsAndDetection()
    {
        QTemporaryDir bin;
        QVERIFY(bin.isValid());
        writeExecutable(bin.filePath(QStringLiteral("claude")));
        writeExecutable(bin.filePath(QStringLiteral("gemini")));
        writeExecutable(bin.filePath(QStringLiteral("my-agent")));
        const QByteArray oldPath = qgetenv("PATH");
        qputenv("PATH", bin.path().toLocal8Bit());

        QCOMPARE(detectInstalledCliPresets(),
                 (QStringList{QStringLiteral("claude"), QStringLiteral("gemini")}));
        QString error;
        auto claude = createCliProvider(providerConfig(QStringLiteral("claude"), "{}"), &error);
        QVERIFY2(claude, qPrintable(error));
        QCOMPARE(claude->id(), QStringLiteral("claude"));
        QCOMPARE(claude->type(), QStringLiteral("cli"));
        QCOMPARE(claude->models(), QStringList{QStringLiteral("claude")});
        auto withModels = createCliProvider(
            providerConfig(QStringLiteral("claude"), R"({"models":["sonnet","opus"]})"), &error);
        QCOMPARE(withModels->models(),
                 (QStringList{QStringLiteral("sonnet"), QStringLiteral("opus")}));
        auto codex = createCliProvider(
            providerConfig(QStringLiteral("codex"), R"({"models":["gpt-5"]})"), &error);
        QCOMPARE(codex->models(), QStringList{}); // not installed
        auto custom = createCliProvider(
            providerConfig(QStringLiteral("mine"), R"({"command":"my-agent"})"), &error);
        QCOMPARE(custom->models(), QStringList{QStringLiteral("mine")});
        auto absolute = createCliProvider(
            providerConfig(QStringLiteral("abs"),
                           QByteArray(R"({"command":")") +
                               bin.filePath(QStringLiteral("my-agent")).toUtf8() + "\"}"),
            &error);
        QCOMPARE(absolute->models(), QStringList{QStringLiteral("abs")});

        qputenv("PATH", oldPath);
    }
};

QTEST_GUILESS_MAIN(TestCliOptions)
#include "tst_clioptions.moc"
