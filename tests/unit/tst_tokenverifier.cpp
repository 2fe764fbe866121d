#include "TokenService.h"
#include "TokenVerifier.h"

#include <QtTest>

#include <thread>
#include <vector>

using namespace portico;

namespace {

TokenRecord record(const QString &id, const QString &name, const QByteArray &secret)
{
    return TokenRecord{id, name, TokenVerifier::sha256Hex(secret), 1'700'000'000'000};
}

const QByteArray kVsCode = QByteArrayLiteral("pt_vscode-secret-0123456789abcdefghijklmnopqrstu");
const QByteArray kScripts = QByteArrayLiteral("pt_scripts-secret-0123456789abcdefghijklmnopqrst");
const QByteArray kEnv = QByteArrayLiteral("env-token-for-headless-use");

} // namespace

class TestTokenVerifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void verify_data();
    void verify();
    void password_data();
    void password();
    void ignoresMalformedDigests();
    void emptyVerifierAcceptsNothing();
    void generatedTokensVerify();
    void concurrentVerification();
};

void TestTokenVerifier::verify_data()
{
    QTest::addColumn<QByteArray>("presented");
    QTest::addColumn<bool>("withEnv");
    QTest::addColumn<QString>("expected"); // empty: refused

    QTest::newRow("first token") << kVsCode << false << QStringLiteral("VS Code");
    QTest::newRow("second token") << kScripts << false << QStringLiteral("scripts");
    QTest::newRow("wrong token") << QByteArrayLiteral("pt_not-a-token") << false << QString();
    QTest::newRow("empty") << QByteArray() << false << QString();
    QTest::newRow("empty with env") << QByteArray() << true << QString();
    QTest::newRow("prefix of a token") << kVsCode.left(kVsCode.size() - 1) << false << QString();
    QTest::newRow("token plus a byte") << kVsCode + 'x' << false << QString();
    QTest::newRow("only the prefix") << QByteArrayLiteral("pt_") << false << QString();
    QTest::newRow("the digest itself") << TokenVerifier::sha256Hex(kVsCode) << false << QString();
    QTest::newRow("env token") << kEnv << true << TokenVerifier::environmentTokenName();
    QTest::newRow("env token when unset") << kEnv << false << QString();
    QTest::newRow("config token alongside env") << kScripts << true << QStringLiteral("scripts");
    QTest::newRow("case changed") << kVsCode.toUpper() << false << QString();
}

void TestTokenVerifier::verify()
{
    QFETCH(QByteArray, presented);
    QFETCH(bool, withEnv);
    QFETCH(QString, expected);

    const QList<TokenRecord> tokens = {
        record(QStringLiteral("a1"), QStringLiteral("VS Code"), kVsCode),
        record(QStringLiteral("b2"), QStringLiteral("scripts"), kScripts)};
    const TokenVerifier verifier(tokens, withEnv ? QByteArrayView(kEnv) : QByteArrayView());
    QCOMPARE(verifier.size(), withEnv ? 3 : 2);

    const std::optional<QString> name = verifier.verify(presented);
    QCOMPARE(name.has_value(), !expected.isEmpty());
    if (name)
        QCOMPARE(*name, expected);
    // Usable as the gateway's CredentialCheck.
    const std::function<std::optional<QString>(QByteArrayView)> check = verifier;
    QCOMPARE(check(presented), name);
}

void TestTokenVerifier::password_data()
{
    QTest::addColumn<QByteArray>("presented");
    QTest::addColumn<QByteArray>("environmentPassword");
    QTest::addColumn<bool>("accepted");

    const QByteArray pw = QByteArrayLiteral("correct horse battery staple");
    QTest::newRow("right password") << pw << QByteArray() << true;
    QTest::newRow("wrong password") << QByteArrayLiteral("Tr0ub4dor&3") << QByteArray() << false;
    QTest::newRow("prefix") << pw.left(7) << QByteArray() << false;
    QTest::newRow("empty") << QByteArray() << QByteArray() << false;
    QTest::newRow("env password") << QByteArrayLiteral("from-env") << QByteArrayLiteral("from-env")
                                  << true;
    QTest::newRow("keychain password with env set") << pw << QByteArrayLiteral("from-env") << true;
}

void TestTokenVerifier::password()
{
    QFETCH(QByteArray, presented);
    QFETCH(QByteArray, environmentPassword);
    QFETCH(bool, accepted);

    const QByteArray pw = QByteArrayLiteral("correct horse battery staple");
    const TokenVerifier verifier = TokenVerifier::forPassword(pw, environmentPassword);
    const std::optional<QString> name = verifier.verify(presented);
    QCOMPARE(name.has_value(), accepted);
    if (name)
        QCOMPARE(*name, TokenVerifier::passwordName());

    // The same verdict from the password's digest alone.
    if (environmentPassword.isEmpty()) {
        const TokenVerifier fromDigest =
            TokenVerifier::forPasswordDigest(TokenVerifier::sha256Hex(pw));
        QCOMPARE(fromDigest.verify(presented), name);
    }
}

void TestTokenVerifier::ignoresMalformedDigests()
{
    QByteArray upper = TokenVerifier::sha256Hex(kVsCode);
    QByteArray badChar = upper;
    badChar[10] = 'z';
    const QList<TokenRecord> tokens = {
        TokenRecord{QStringLiteral("x"), QStringLiteral("short"), upper.left(63), 0},
        TokenRecord{QStringLiteral("y"), QStringLiteral("bad"), badChar, 0},
        TokenRecord{QStringLiteral("z"), QStringLiteral("empty"), QByteArray(), 0},
    };
    const TokenVerifier verifier(tokens);
    QVERIFY(verifier.isEmpty());
    QVERIFY(!verifier.verify(kVsCode));
    QVERIFY(TokenVerifier::forPasswordDigest("not hex").isEmpty());
}

void TestTokenVerifier::emptyVerifierAcceptsNothing()
{
    const TokenVerifier verifier;
    QVERIFY(verifier.isEmpty());
    QVERIFY(!verifier.verify(kVsCode));
    QVERIFY(!verifier.verify({}));
    QVERIFY(TokenVerifier::forPassword({}).isEmpty());
}

void TestTokenVerifier::generatedTokensVerify()
{
    const QByteArray a = TokenService::generateSecret();
    const QByteArray b = TokenService::generateSecret();
    QVERIFY(a.startsWith("pt_"));
    QCOMPARE(a.size(), 3 + 43); // 32 bytes, unpadded base64url
    QVERIFY(a != b);
    for (const char c : a.mid(3))
        QVERIFY2(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_',
                 a.constData());
    const TokenVerifier verifier({record(QStringLiteral("1"), QStringLiteral("a"), a)});
    QCOMPARE(verifier.verify(a), QStringLiteral("a"));
    QVERIFY(!verifier.verify(b));
}

void TestTokenVerifier::concurrentVerification()
{
    QList<TokenRecord> tokens;
    QList<QByteArray> secrets;
    for (int i = 0; i < 16; ++i) {
        secrets << TokenService::generateSecret();
        tokens << record(QString::number(i), QStringLiteral("t%1").arg(i), secrets.last());
    }
    const TokenVerifier verifier(tokens);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            const TokenVerifier copy = verifier; // snapshots are shared across threads
            for (int n = 0; n < 2000; ++n) {
                const int i = (n + t) % secrets.size();
                if (copy.verify(secrets.at(i)) != QStringLiteral("t%1").arg(i))
                    ++failures;
                if (copy.verify(secrets.at(i).left(20)))
                    ++failures;
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(failures.load(), 0);
}

QTEST_GUILESS_MAIN(TestTokenVerifier)
#include "tst_tokenverifier.moc"
