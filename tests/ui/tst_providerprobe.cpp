// ProviderProbe (the providers page's Test button) against an in-process fake upstream.
#include "FakeHttpServer.h"
#include "ProviderProbe.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace portico;

class TestProviderProbe : public QObject
{
    Q_OBJECT

private slots:
    void listsModels();
    void refusedKey();
    void notAModelList();
    void timesOut();
    void connectionRefused();
    void invalidUrl();
    void abortEmitsNothing();
    void modelsUrl_data();
    void modelsUrl();
};

void TestProviderProbe::listsModels()
{
    FakeHttpServer upstream;
    upstream.setScript({FakeHttpServer::write(FakeHttpServer::response(
        200, R"({"object":"list","data":[{"id":"zeta"},{"id":"alpha"},{"object":"model"}]})"))});
    ProviderProbe probe;
    QSignalSpy ok(&probe, &ProviderProbe::succeeded);
    QSignalSpy failed(&probe, &ProviderProbe::failed);
    probe.start(upstream.url(QStringLiteral("/v1/")), "sk-test");
    QVERIFY(probe.isRunning());
    QVERIFY(ok.wait(5'000));
    QCOMPARE(failed.size(), 0);
    QCOMPARE(ok.first().at(0).toStringList(),
             (QStringList{QStringLiteral("alpha"), QStringLiteral("zeta")}));
    QCOMPARE(upstream.requests().size(), 1);
    QCOMPARE(upstream.requests().first().method, QByteArray("GET"));
    QCOMPARE(upstream.requests().first().target, QByteArray("/v1/models"));
    QCOMPARE(upstream.requests().first().header("authorization"), QByteArray("Bearer sk-test"));
    QVERIFY(!probe.isRunning());

    // Anthropic-style headers.
    probe.start(upstream.url(QStringLiteral("/v1")), "sk-ant", QStringLiteral("anthropic"));
    QVERIFY(ok.wait(5'000));
    QCOMPARE(upstream.requests().last().header("x-api-key"), QByteArray("sk-ant"));
    QVERIFY(upstream.requests().last().header("authorization").isEmpty());
    QVERIFY(!upstream.requests().last().header("anthropic-version").isEmpty());
}

void TestProviderProbe::refusedKey()
{
    FakeHttpServer upstream;
    upstream.setScript({FakeHttpServer::write(FakeHttpServer::response(
        401,
        R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}})"))});
    ProviderProbe probe;
    QSignalSpy failed(&probe, &ProviderProbe::failed);
    probe.start(upstream.url(QStringLiteral("/v1")), "wrong");
    QVERIFY(failed.wait(5'000));
    const QString message = failed.first().at(0).toString();
    QVERIFY2(message.contains(QStringLiteral("401")), qPrintable(message));
    QVERIFY(message.contains(QStringLiteral("refused the API key")));
    QVERIFY(message.contains(QStringLiteral("Incorrect API key provided")));
}

void TestProviderProbe::notAModelList()
{
    FakeHttpServer upstream;
    upstream.setScript({FakeHttpServer::write(FakeHttpServer::response(200, "<html>hi</html>"))});
    ProviderProbe probe;
    QSignalSpy failed(&probe, &ProviderProbe::failed);
    probe.start(upstream.url(QStringLiteral("/v1")), {});
    QVERIFY(failed.wait(5'000));
    QVERIFY(failed.first().at(0).toString().contains(QStringLiteral("model list")));
}

void TestProviderProbe::timesOut()
{
    FakeHttpServer upstream;
    upstream.setScript({FakeHttpServer::stall()});
    ProviderProbe probe;
    QSignalSpy ok(&probe, &ProviderProbe::succeeded);
    QSignalSpy failed(&probe, &ProviderProbe::failed);
    QElapsedTimer timer;
    timer.start();
    probe.start(upstream.url(QStringLiteral("/v1")), {}, QStringLiteral("openai"), 400);
    QVERIFY(failed.wait(5'000));
    QVERIFY(timer.elapsed() < 4'000);
    QTest::qWait(100);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(ok.size(), 0);
    QVERIFY(!probe.isRunning());
}

void TestProviderProbe::connectionRefused()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    ProviderProbe probe;
    QSignalSpy failed(&probe, &ProviderProbe::failed);
    probe.start(QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port)), {});
    QVERIFY(failed.wait(5'000));
    QVERIFY(failed.first().at(0).toString().contains(QStringLiteral("Could not reach")));
    QCOMPARE(failed.size(), 1);
}

void TestProviderProbe::invalidUrl()
{
    ProviderProbe probe;
    QSignalSpy failed(&probe, &ProviderProbe::failed);
    probe.start(QUrl(QStringLiteral("ftp://example.com")), {});
    QCOMPARE(failed.size(), 0); // never inside start()
    QVERIFY(failed.wait(2'000));
    QVERIFY(failed.first().at(0).toString().contains(QStringLiteral("http://")));
}

void TestProviderProbe::abortEmitsNothing()
{
    FakeHttpServer upstream;
    upstream.setScript({FakeHttpServer::wait(200),
                        FakeHttpServer::write(FakeHttpServer::response(200, R"({"data":[]})"))});
    ProviderProbe probe;
    QSignalSpy ok(&probe, &ProviderProbe::succeeded);
    QSignalSpy failed(&probe, &ProviderProbe::failed);
    probe.start(upstream.url(QStringLiteral("/v1")), {});
    probe.abort();
    probe.start(QUrl(QStringLiteral("nonsense")), {});
    probe.abort();
    QTest::qWait(500);
    QCOMPARE(ok.size(), 0);
    QCOMPARE(failed.size(), 0);
}

void TestProviderProbe::modelsUrl_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("models");
    QTest::newRow("plain") << QStringLiteral("https://api.example.com/v1")
                           << QStringLiteral("https://api.example.com/v1/models");
    QTest::newRow("slash") << QStringLiteral("https://api.example.com/v1/")
                           << QStringLiteral("https://api.example.com/v1/models");
    QTest::newRow("root") << QStringLiteral("http://127.0.0.1:11434")
                          << QStringLiteral("http://127.0.0.1:11434/models");
}

void TestProviderProbe::modelsUrl()
{
    QFETCH(QString, base);
    QFETCH(QString, models);
    QCOMPARE(ProviderProbe::modelsUrl(QUrl(base)).toString(), models);
}

QTEST_MAIN(TestProviderProbe)
#include "tst_providerprobe.moc"
