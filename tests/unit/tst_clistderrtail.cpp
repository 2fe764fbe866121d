#include "CliStderrTail.h"

#include <QTest>

using namespace portico;

class TestCliStderrTail : public QObject
{
    Q_OBJECT

private slots:
    void redact_data()
    {
        // What must go, and what must stay: the exact wording around a redaction is the
        // shared Redactor's business.
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QStringList>("kept");
        QTest::newRow("plain text stays")
            << QStringLiteral("Error: model not found (exit 2)") << QString()
            << QStringList{QStringLiteral("Error: model not found (exit 2)")};
        QTest::newRow("bearer") << QStringLiteral("Authorization: Bearer abc.DEF-123_456")
                                << QStringLiteral("abc.DEF-123_456")
                                << QStringList{QStringLiteral("Authorization")};
        QTest::newRow("api_key=") << QStringLiteral("retry with api_key=abcd1234 now")
                                  << QStringLiteral("abcd1234")
                                  << QStringList{QStringLiteral("retry with"),
                                                 QStringLiteral(" now")};
        QTest::newRow("token json pair")
            << QStringLiteral("{\"session_token\": \"ya-very-secret\"}")
            << QStringLiteral("ya-very-secret") << QStringList{QStringLiteral("session_token")};
        QTest::newRow("secret=") << QStringLiteral("client secret=hunter22 rejected")
                                 << QStringLiteral("hunter22")
                                 << QStringList{QStringLiteral("client"),
                                                QStringLiteral("rejected")};
        QTest::newRow("anthropic key")
            << QStringLiteral("bad key sk-ant-api03-AAAABBBBCCCC1234 given")
            << QStringLiteral("AAAABBBBCCCC1234")
            << QStringList{QStringLiteral("bad key"), QStringLiteral("given")};
        QTest::newRow("google key") << QStringLiteral("key AIzaSyA1234567890abcdefghijklmnopqrstu")
                                    << QStringLiteral("1234567890abcdefghij") << QStringList{};
        QTest::newRow("github token")
            << QStringLiteral("ghp_abcdefghijklmnop1234 leaked")
            << QStringLiteral("abcdefghijklmnop1234") << QStringList{QStringLiteral("leaked")};
        QTest::newRow("aws key") << QStringLiteral("AKIAABCDEFGHIJKLMNOP used")
                                 << QStringLiteral("AKIAABCDEFGHIJKLMNOP")
                                 << QStringList{QStringLiteral("used")};
        QTest::newRow("jwt") << QStringLiteral(
                                    "id eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijk")
                             << QStringLiteral("eyJhbGciOiJIUzI1NiJ9")
                             << QStringList{QStringLiteral("id ")};
        QTest::newRow("long opaque")
            << QStringLiteral("session 0123456789abcdef0123456789abcdef01 ended")
            << QStringLiteral("0123456789abcdef")
            << QStringList{QStringLiteral("session"), QStringLiteral("ended")};
        QTest::newRow("long word without digits stays")
            << QStringLiteral("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") << QString()
            << QStringList{QStringLiteral("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")};
    }

    void redact()
    {
        QFETCH(QString, input);
        QFETCH(QString, secret);
        QFETCH(QStringList, kept);
        const QString out = CliStderrTail::redact(input);
        if (secret.isEmpty()) {
            QCOMPARE(out, input);
        } else {
            QVERIFY2(!out.contains(secret), qPrintable(out));
            QVERIFY2(out.contains(QStringLiteral("[REDACTED]")), qPrintable(out));
        }
        for (const QString &k : kept)
            QVERIFY2(out.contains(k), qPrintable(out));
    }

    void keepsOnlyTheTail()
    {
        CliStderrTail tail(16);
        QVERIFY(tail.isEmpty());
        tail.append("first line that is long\n");
        tail.append("last line\n");
        QCOMPARE(tail.text(), QStringLiteral("…long\nlast line"));
    }

    void cutUtf8SequenceIsDropped()
    {
        CliStderrTail tail(4);
        tail.append(QStringLiteral("xé✓").toUtf8()); // 1 + 2 + 3 bytes: keeps half of the é
        QCOMPARE(tail.text(), QStringLiteral("…✓"));
    }
};

QTEST_GUILESS_MAIN(TestCliStderrTail)
#include "tst_clistderrtail.moc"
