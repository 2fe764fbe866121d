// The `type: "cli"` provider against fake claude/codex/gemini executables placed first on PATH:
// the chunks produced from each CLI's event format, the argument list, stdin, environment and
// working directory the CLI gets, and that prompt text never becomes a flag or shell syntax.

#include "CliFixture.h"

using namespace portico;
using namespace portico::test;

namespace {

QJsonObject delta(const char *key, const QString &value)
{
    return QJsonObject{{QLatin1String(key), value}};
}

} // namespace

class TestCliProvider : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<CliBin> m_bin;
    std::unique_ptr<QTemporaryDir> m_rec; // what the fake recorded, fresh for every test

    QString rec(const QString &name) const { return m_rec->filePath(name); }

    QJsonObject config(const QJsonObject &extra = {}) const
    {
        QJsonObject raw{
            {QStringLiteral("workingDirectory"), m_rec->filePath(QStringLiteral("work"))}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            raw.insert(it.key(), it.value());
        return raw;
    }

private slots:
    void initTestCase() { m_bin = std::make_unique<CliBin>(); }

    void init()
    {
        m_rec = std::make_unique<QTemporaryDir>();
        QVERIFY(m_rec->isValid());
        qputenv("FAKE_CLI_DIR", m_rec->path().toLocal8Bit());
        qputenv("FAKE_CLI_MODE", "ok");
    }

    void cleanup()
    {
        for (const char *file : {"child.pid", "grandchild.pid"}) {
            const qint64 pid = readFile(rec(QLatin1String(file))).trimmed().toLongLong();
            if (processAlive(pid))
                ::kill(pid_t(pid), SIGKILL); // only if a test failed half-way
        }
    }

    void presetChunks_data()
    {
        const QString m = QStringLiteral("test-model-1");
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QStringList>("argv");
        QTest::addColumn<QList<QJsonObject>>("chunks");

        QTest::newRow("claude")
            << QStringLiteral("claude")
            << QStringList{QStringLiteral("-p"),          QStringLiteral("--output-format"),
                           QStringLiteral("stream-json"), QStringLiteral("--verbose"),
                           QStringLiteral("--model"),     m}
            << QList<QJsonObject>{
                   chunk(m, delta("role", QStringLiteral("assistant"))),
                   chunk(m, delta("reasoning_content", QStringLiteral("Let me think."))),
                   chunk(m, delta("content", QStringLiteral("Hello"))),
                   chunk(m, delta("content", QStringLiteral("\n\nWorld \"quoted\" ünïcode"))),
                   chunk(m, QJsonObject{}, QStringLiteral("stop")),
                   usageChunk(m, 115, 20, 100)};
        QTest::newRow("codex")
            << QStringLiteral("codex")
            << QStringList{QStringLiteral("exec"),
                           QStringLiteral("--json"),
                           QStringLiteral("--skip-git-repo-check"),
                           QStringLiteral("--model"),
                           m,
                           QStringLiteral("-")}
            << QList<QJsonObject>{
                   chunk(m, delta("role", QStringLiteral("assistant"))),
                   chunk(m, delta("reasoning_content", QStringLiteral("**Planning** the answer"))),
                   chunk(m, delta("content", QStringLiteral("Hello from codex"))),
                   chunk(m, delta("content", QStringLiteral("\n\nSecond part"))),
                   chunk(m, QJsonObject{}, QStringLiteral("stop")),
                   usageChunk(m, 50, 7, 20)};
        QTest::newRow("gemini") << QStringLiteral("gemini")
                                << QStringList{QStringLiteral("--output-format"),
                                               QStringLiteral("stream-json"),
                                               QStringLiteral("--model"), m}
                                << QList<QJsonObject>{
                                       chunk(m, delta("role", QStringLiteral("assistant"))),
                                       chunk(m, delta("content", QStringLiteral("Hel"))),
                                       chunk(m, delta("content", QStringLiteral("lo"))),
                                       chunk(m, delta("content", QStringLiteral("\n\nDone"))),
                                       chunk(m, QJsonObject{}, QStringLiteral("stop")),
                                       usageChunk(m, 20, 10, 5)};
    }

    void presetChunks()
    {
        QFETCH(QString, preset);
        QFETCH(QStringList, argv);
        QFETCH(QList<QJsonObject>, chunks);
        const auto p = provider(preset, config());
        QVERIFY(p);
        CallRun run(
            *p, context(QStringLiteral("test-model-1"), messagesBody(QStringLiteral("Say hi"))));
        QVERIFY(run.waitForEnd());
        QCOMPARE(run.result.failed, 0);
        QCOMPARE(run.result.succeeded, 1);
        QCOMPARE(run.result.chunks, chunks);
        QCOMPARE(QString::fromUtf8(readFile(rec(QStringLiteral("argv"))))
                     .split(QLatin1Char('\n'), Qt::SkipEmptyParts),
                 argv);
        QCOMPARE(readFile(rec(QStringLiteral("stdin"))), QByteArray("Say hi"));
        QCOMPARE(readFile(rec(QStringLiteral("cwd"))).trimmed(),
                 QFileInfo(rec(QStringLiteral("work"))).canonicalFilePath().toLocal8Bit());
    }

    void usageOnlyWhenAskedOrNotStreaming_data()
    {
        QTest::addColumn<bool>("stream");
        QTest::addColumn<bool>("includeUsage");
        QTest::addColumn<bool>("usage");
        QTest::newRow("stream without include_usage") << true << false << false;
        QTest::newRow("stream with include_usage") << true << true << true;
        QTest::newRow("not streaming") << false << false << true;
    }

    void usageOnlyWhenAskedOrNotStreaming()
    {
        QFETCH(bool, stream);
        QFETCH(bool, includeUsage);
        QFETCH(bool, usage);
        const auto p = provider(QStringLiteral("claude"), config());
        CallRun run(*p,
                    context(QString(), messagesBody(QStringLiteral("hi")), stream, includeUsage));
        QVERIFY(run.waitForEnd());
        QCOMPARE(run.result.succeeded, 1);
        QCOMPARE(run.result.chunks.last().contains(QStringLiteral("usage")), usage);
        // No model requested: the CLI's default, and the preset name in the chunks.
        QVERIFY(!readFile(rec(QStringLiteral("argv"))).contains("--model"));
        QCOMPARE(run.result.chunks.first().value(QStringLiteral("model")).toString(),
                 QStringLiteral("claude"));
    }

    void presetNameRunsTheDefaultModel()
    {
        const auto p = provider(QStringLiteral("codex"), config());
        CallRun run(*p, context(QStringLiteral("codex"), messagesBody(QStringLiteral("hi"))));
        QVERIFY(run.waitForEnd());
        QCOMPARE(run.result.succeeded, 1);
        QVERIFY(!readFile(rec(QStringLiteral("argv"))).contains("--model"));
    }

    void plainTextCustomCommand()
    {
        const auto p =
            provider(QStringLiteral("mine"),
                     config(QJsonObject{
                         {QStringLiteral("command"), m_bin->path(QStringLiteral("plain-agent"))},
                         {QStringLiteral("args"), QJsonArray{QStringLiteral("--quiet")}},
                         {QStringLiteral("prompt"), QStringLiteral("argument")}}));
        QVERIFY(p);
        CallRun run(
            *p, context(QStringLiteral("mine"), messagesBody(QStringLiteral("two lines please"))));
        QVERIFY(run.waitForEnd());
        QCOMPARE(run.result.succeeded, 1);
        QCOMPARE(run.result.chunks.first(),
                 chunk(QStringLiteral("mine"), delta("role", QStringLiteral("assistant"))));
        QCOMPARE(run.result.content(), QStringLiteral("line one\nline two, ünïcode\n"));
        QCOMPARE(run.result.chunks.last(),
                 chunk(QStringLiteral("mine"), QJsonObject{}, QStringLiteral("stop")));
        QCOMPARE(readFile(rec(QStringLiteral("argv0"))),
                 QByteArray("--quiet\0--\0two lines please\0", 28));
        QCOMPARE(readFile(rec(QStringLiteral("stdin"))), QByteArray());
    }

    void injectionArrivesVerbatim_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<bool>("asArgument");
        for (const char *preset : {"claude", "codex", "gemini"}) {
            QTest::addRow("%s on stdin", preset) << QString::fromLatin1(preset) << false;
            QTest::addRow("%s as argument", preset) << QString::fromLatin1(preset) << true;
        }
    }

    void injectionArrivesVerbatim()
    {
        QFETCH(QString, preset);
        QFETCH(bool, asArgument);
        const QString marker = rec(QStringLiteral("marker"));
        const QString prompt =
            QStringLiteral("--help\n-p --model evil\n$(touch %1-subshell)\n`touch %1-backtick`\n"
                           "; touch %1-semicolon\n| touch %1-pipe\n&& touch %1-and\n"
                           "'single' \"double\" \\\" $HOME ${PATH} > %1-redirect\n")
                .arg(marker);
        QJsonObject extra;
        if (asArgument)
            extra.insert(QStringLiteral("prompt"), QStringLiteral("argument"));
        const auto p = provider(preset, config(extra));
        CallRun run(*p, context(QString(), messagesBody(prompt)));
        QVERIFY(run.waitForEnd());
        QCOMPARE(run.result.succeeded, 1);

        QByteArrayList argv = readFile(rec(QStringLiteral("argv0"))).split('\0');
        QCOMPARE(argv.takeLast(), QByteArray()); // after the last terminator
        if (asArgument) {
            QCOMPARE(argv.last(), prompt.toUtf8());
            QCOMPARE(argv.at(argv.size() - 2), QByteArray("--"));
            QCOMPARE(argv.count("--"), 1);
            argv.removeLast();
            QCOMPARE(readFile(rec(QStringLiteral("stdin"))), QByteArray());
        } else {
            QCOMPARE(readFile(rec(QStringLiteral("stdin"))), prompt.toUtf8());
            QVERIFY(!argv.contains("--"));
        }
        for (const QByteArray &arg : std::as_const(argv)) {
            QVERIFY2(!arg.contains("help") && !arg.contains("touch") && !arg.contains("evil"),
                     arg.constData());
        }
        const QDir dir(m_rec->path());
        QCOMPARE(dir.entryList({QStringLiteral("marker*")}, QDir::AllEntries | QDir::Hidden),
                 QStringList());
    }

    void badModelIsRefusedBeforeRunning_data()
    {
        QTest::addColumn<QString>("model");
        QTest::newRow("flag") << QStringLiteral("--help");
        QTest::newRow("shell") << QStringLiteral("x; touch marker");
        QTest::newRow("subshell") << QStringLiteral("$(id)");
        QTest::newRow("space") << QStringLiteral("gpt 5");
        QTest::newRow("newline") << QStringLiteral("a\nb");
    }

    void badModelIsRefusedBeforeRunning()
    {
        QFETCH(QString, model);
        const auto p = provider(QStringLiteral("claude"), config());
        CallRun run(*p, context(model, messagesBody(QStringLiteral("hi"))));
        QCOMPARE(run.result.failed, 0); // reported from the event loop, not inside start()
        QVERIFY(run.waitForEnd());
        QCOMPARE(run.result.failed, 1);
        QCOMPARE(run.result.succeeded, 0);
        QCOMPARE(run.result.error.status, 400);
        QCOMPARE(run.result.error.type, QByteArray("invalid_request_error"));
        QCOMPARE(run.result.error.param, QStringLiteral("model"));
        QVERIFY(run.result.chunks.isEmpty());
        QVERIFY(!QFile::exists(rec(QStringLiteral("argv")))); // the CLI never ran
    }

    void environmentIsAllowlisted()
    {
        qputenv("ALLOWED_EXTRA", "yes");
        const auto p = provider(QStringLiteral("gemini"),
                                config(QJsonObject{{QStringLiteral("env"),
                                                    QJsonArray{QStringLiteral("ALLOWED_EXTRA")}}}));
        CallRun run(*p, context(QString(), messagesBody(QStringLiteral("hi"))));
        QVERIFY(run.waitForEnd());
        QCOMPARE(run.result.succeeded, 1);
        const QByteArray env = readFile(rec(QStringLiteral("env")));
        const QByteArray lines = QByteArray("\n") + env;
        QVERIFY(!env.isEmpty());
        for (const char *absent : {"PORTICO_GATEWAY_TOKEN", "PORTICO_GATEWAY_PASSWORD",
                                   "UNRELATED_SECRET", "must-not-leak", "PORTICO_"})
            QVERIFY2(!env.contains(absent), absent);
        for (const char *present : {"\nPATH=", "\nFAKE_CLI_DIR=", "\nALLOWED_EXTRA=yes\n"})
            QVERIFY2(lines.contains(present), present);
        qunsetenv("ALLOWED_EXTRA");
    }

    void commandNotFound()
    {
        const auto p = provider(QStringLiteral("ghost"),
                                config(QJsonObject{{QStringLiteral("command"),
                                                    QStringLiteral("portico-no-such-cli")}}));
        QCOMPARE(p->models(), QStringList());
        CallRun run(*p, context(QString(), messagesBody(QStringLiteral("hi"))));
        QVERIFY(run.waitForEnd());
        QCOMPARE(run.result.failed, 1);
        QCOMPARE(run.result.error.status, 502);
        QCOMPARE(run.result.error.code, QByteArray("cli_not_found"));
    }

    void modelsNeedTheCommandOnPath()
    {
        QCOMPARE(provider(QStringLiteral("claude"), config())->models(),
                 QStringList{QStringLiteral("claude")});
        QVERIFY(detectInstalledCliPresets().contains(QStringLiteral("codex")));
    }
};

QTEST_GUILESS_MAIN(TestCliProvider)
#include "tst_cliprovider.moc"
