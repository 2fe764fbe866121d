// The translations (translations/*.ts) are complete and current: no unfinished, vanished or
// obsolete entry, every placeholder kept, and lupdate run over today's sources (into a copy)
// finds nothing to add or remove. With the `ui` library linked, also checks that the .qm files
// built into its resources say what the .ts files say, for --lang and for the system locale.
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#ifdef PORTICO_WITH_UI_LIBRARY
#include "TranslationLoader.h"
#endif

namespace {

struct TsMessage
{
    QString context;
    QString source;
    QString comment;
    bool numerus = false;
    QString type;             // "", "unfinished", "vanished" or "obsolete"
    QStringList translations; // one per plural form; one for a plain message
    QString key() const
    {
        return context + QStringLiteral(" | ") + source +
               (comment.isEmpty() ? QString() : QStringLiteral(" (") + comment + QLatin1Char(')'));
    }
};

struct TsFile
{
    QString language;
    QList<TsMessage> messages;
    QString error;
};

TsFile readTs(const QString &path)
{
    TsFile ts;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ts.error = file.errorString();
        return ts;
    }
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("TS")) {
            ts.language = xml.attributes().value(QLatin1String("language")).toString();
        } else if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            message = TsMessage{};
            message.context = context;
            message.numerus =
                xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        } else if (name == QLatin1String("source")) {
            message.source = xml.readElementText();
        } else if (name == QLatin1String("comment")) {
            message.comment = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            message.type = xml.attributes().value(QLatin1String("type")).toString();
            if (message.numerus) {
                while (xml.readNextStartElement())
                    message.translations << xml.readElementText();
            } else {
                message.translations << xml.readElementText();
            }
            ts.messages << message;
        }
    }
    if (xml.hasError())
        ts.error = xml.errorString();
    return ts;
}

QStringList tsFiles()
{
    QStringList paths;
    const QDir dir(QStringLiteral(PORTICO_TS_DIR));
    for (const QString &name : dir.entryList({QStringLiteral("*.ts")}, QDir::Files))
        paths << dir.filePath(name);
    return paths;
}

// Plural forms per language (the .ts language attribute's first part); absent: not checked.
int pluralForms(const QString &language)
{
    static const QSet<QString> oneForm{QStringLiteral("zh"), QStringLiteral("ja"),
                                       QStringLiteral("ko"), QStringLiteral("vi"),
                                       QStringLiteral("th"), QStringLiteral("id")};
    return oneForm.contains(language.section(QLatin1Char('_'), 0, 0)) ? 1 : 0;
}

// What a translation must carry over verbatim: %1…%99 and %n (as a multiset), $VARIABLES,
// ENV_NAMES, --options, /v1 paths, URLs, 'portico …' commands, HTML tags and the &-accelerator.
QStringList invariants(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral(
        R"(%L?[0-9]{1,2}|%n|\$[A-Za-z_][A-Za-z0-9_]*|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|)"
        R"(--[a-z][a-z-]*|/v1[A-Za-z0-9_/]*|https?://[^\s)]+|'portico[^']*'|)"
        R"(</?(?:a|b|i|u|br|p|hr|pre|tt|code|span|div|qt|html|ul|ol|li|table|tr|td|th)\b[^>]*>|)"
        R"(&[A-Za-z0-9](?![A-Za-z0-9]*;))"));
    QStringList found;
    for (auto it = pattern.globalMatch(text); it.hasNext();) {
        QString token = it.next().captured();
        if (token.startsWith(QLatin1Char('&')))
            token = token.toUpper(); // "(&F)" keeps the accelerator; case is free
        found << token;
    }
    found.sort();
    return found;
}

QStringList differences(const QSet<QString> &a, const QSet<QString> &b)
{
    QStringList list = (a - b).values();
    list.sort();
    return list;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void complete_data();
    void complete();
    void upToDate_data();
    void upToDate();
#ifdef PORTICO_WITH_UI_LIBRARY
    void builtIntoResources();
    void systemLocale();
#endif
};

void TestTranslations::initTestCase()
{
    QVERIFY2(!tsFiles().isEmpty(), "no .ts file in " PORTICO_TS_DIR);
    QVERIFY2(QFile::exists(QStringLiteral(PORTICO_LUPDATE)), "lupdate not found: " PORTICO_LUPDATE);
    QVERIFY2(QFile::exists(QStringLiteral(PORTICO_LUPDATE_LIST)),
             "the lupdate source list is missing: " PORTICO_LUPDATE_LIST);
}

void TestTranslations::complete_data()
{
    QTest::addColumn<QString>("path");
    for (const QString &path : tsFiles())
        QTest::newRow(qPrintable(QFileInfo(path).fileName())) << path;
}

void TestTranslations::complete()
{
    QFETCH(QString, path);
    const TsFile ts = readTs(path);
    QVERIFY2(ts.error.isEmpty(), qPrintable(ts.error));
    QVERIFY(!ts.language.isEmpty());
    QVERIFY(!ts.messages.isEmpty());
    const int forms = pluralForms(ts.language);
    QStringList problems;
    for (const TsMessage &m : ts.messages) {
        if (!m.type.isEmpty()) {
            problems << m.type + QStringLiteral(": ") + m.key();
            continue;
        }
        if (m.numerus && forms > 0 && m.translations.size() != forms)
            problems << QStringLiteral("%1 plural forms instead of %2: ")
                                .arg(m.translations.size())
                                .arg(forms) +
                            m.key();
        const QStringList expected = invariants(m.source);
        for (const QString &text : m.translations) {
            if (text.trimmed().isEmpty()) {
                problems << QStringLiteral("empty: ") + m.key();
                break;
            }
            if (invariants(text) != expected) {
                problems << QStringLiteral("placeholders %1 became %2 in \"%3\": ")
                                    .arg(expected.join(QLatin1Char(' ')),
                                         invariants(text).join(QLatin1Char(' ')), text) +
                                m.key();
            }
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TestTranslations::upToDate_data()
{
    complete_data();
}

void TestTranslations::upToDate()
{
    QFETCH(QString, path);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString copy = dir.filePath(QFileInfo(path).fileName());
    QVERIFY(QFile::copy(path, copy));
    QFile::setPermissions(copy, QFileDevice::ReadOwner | QFileDevice::WriteOwner);

    QProcess lupdate;
    lupdate.setProcessChannelMode(QProcess::MergedChannels);
    QStringList arguments{QLatin1Char('@') + QStringLiteral(PORTICO_LUPDATE_LIST)};
    arguments
        << QStringLiteral(PORTICO_LUPDATE_OPTIONS).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    arguments << QStringLiteral("-ts") << copy;
    lupdate.start(QStringLiteral(PORTICO_LUPDATE), arguments);
    QVERIFY2(lupdate.waitForFinished(60'000), "lupdate did not finish within 60 s");
    const QByteArray output = lupdate.readAll();
    QVERIFY2(lupdate.exitStatus() == QProcess::NormalExit && lupdate.exitCode() == 0,
             output.constData());

    QSet<QString> before;
    for (const TsMessage &m : readTs(path).messages)
        before.insert(m.key());
    QSet<QString> after;
    QStringList untranslated;
    const TsFile updated = readTs(copy);
    QVERIFY2(updated.error.isEmpty(), qPrintable(updated.error));
    for (const TsMessage &m : updated.messages) {
        after.insert(m.key());
        if (!m.type.isEmpty() && before.contains(m.key()))
            untranslated << m.key(); // a changed source text lupdate now marks unfinished
    }
    const QStringList added = differences(after, before);
    const QStringList removed = differences(before, after);
    QString report;
    if (!added.isEmpty())
        report += QStringLiteral("\nnew strings in the sources, not in %1 (run the ui_lupdate "
                                 "target and translate them):\n  ")
                      .arg(QFileInfo(path).fileName()) +
                  added.join(QStringLiteral("\n  "));
    if (!removed.isEmpty())
        report += QStringLiteral("\nstrings no longer in the sources (run ui_lupdate):\n  ") +
                  removed.join(QStringLiteral("\n  "));
    if (!untranslated.isEmpty())
        report += QStringLiteral("\nstrings lupdate marks unfinished:\n  ") +
                  untranslated.join(QStringLiteral("\n  "));
    QVERIFY2(report.isEmpty(), qPrintable(report));
}

#ifdef PORTICO_WITH_UI_LIBRARY

namespace {

// Every message of portico_zh_CN.ts, as the installed translators return it.
QStringList mismatches(const QString &tsPath)
{
    QStringList wrong;
    for (const TsMessage &m : readTs(tsPath).messages) {
        const QByteArray context = m.context.toUtf8();
        const QByteArray source = m.source.toUtf8();
        const QByteArray comment = m.comment.toUtf8();
        const char *disambiguation = comment.isEmpty() ? nullptr : comment.constData();
        const QString expected = m.numerus ? QString(m.translations.value(0))
                                                 .replace(QStringLiteral("%n"), QStringLiteral("3"))
                                           : m.translations.value(0);
        const QString actual = QCoreApplication::translate(context.constData(), source.constData(),
                                                           disambiguation, m.numerus ? 3 : -1);
        if (actual != expected)
            wrong << m.key() + QStringLiteral(" → ") + actual;
    }
    return wrong;
}

} // namespace

void TestTranslations::builtIntoResources()
{
    if (QLocale::system().name() == QLatin1String("zh_CN"))
        QSKIP("the system locale is zh_CN: the --lang case needs another one");
    QVERIFY(QFile::exists(QStringLiteral(":/i18n/portico_zh_CN.qm")));
    // As `portico --lang zh_CN` does (app/TrayMain.cpp).
    QVERIFY(
        portico::TranslationLoader::install(QCoreApplication::instance(), QStringLiteral("zh_CN")));
    const QStringList wrong = mismatches(
        QDir(QStringLiteral(PORTICO_TS_DIR)).filePath(QStringLiteral("portico_zh_CN.ts")));
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QLatin1Char('\n'))));
}

void TestTranslations::systemLocale()
{
    // Registered a second time as tst_translations_systemlocale with LANG=zh_CN.UTF-8.
    const QString expected = qEnvironmentVariable("PORTICO_EXPECT_SYSTEM_LOCALE");
    if (expected.isEmpty())
        QSKIP("run by tst_translations_systemlocale (LANG=zh_CN.UTF-8)");
    QCOMPARE(QLocale::system().name(), expected);
    QVERIFY(portico::TranslationLoader::install(QCoreApplication::instance(), QString()));
    const QStringList wrong =
        mismatches(QDir(QStringLiteral(PORTICO_TS_DIR))
                       .filePath(QStringLiteral("portico_%1.ts").arg(expected)));
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QLatin1Char('\n'))));
}

#endif

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
