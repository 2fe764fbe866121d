// UpstreamClient's pool: keep-alive reuse, many connections to one host, spare connections
// opened ahead of demand, stale pooled connections retried, idle timeout and size.
#include "FakeHttpServer.h"
#include "UpstreamClient.h"
#include "UpstreamTestSupport.h"

#include <QTest>

#include <memory>
#include <vector>

using namespace portico;
using namespace portico::upstreamtest;

namespace {

std::unique_ptr<Recorder> sendBody(UpstreamClient &client, const FakeHttpServer &server,
                                   const QByteArray &body)
{
    return std::make_unique<Recorder>(client.send(request(server.url(), "POST", body)));
}

int connectionOf(const FakeHttpServer &server, const QByteArray &body)
{
    for (const FakeHttpServer::Request &r : server.requests()) {
        if (r.body == body)
            return r.connection;
    }
    return 0;
}

} // namespace

class TestUpstreamPool : public QObject
{
    Q_OBJECT
private slots:
    void keepAliveReuse();
    void fiftyConcurrentRequests();
    void spareOpenedForConcurrentDemand();
    void requestTakesSpareStillConnecting();
    void noSpareWhenPreconnectIsOff();
    void staleConnectionRetriedOnce();
    void staleConnectionRetryOnlyOnce();
    void idlePoolTimeout();
    void maxIdlePerHost();
};

void TestUpstreamPool::fiftyConcurrentRequests()
{
    constexpr int count = 50;
    FakeHttpServer server;
    server.holdRequests(true); // nothing is answered until all are in
    UpstreamClient client;
    std::vector<std::unique_ptr<Recorder>> recs;
    for (int i = 0; i < count; ++i)
        recs.push_back(std::make_unique<Recorder>(client.send(request(server.url()))));
    QTRY_COMPARE_WITH_TIMEOUT(server.heldCount(), count, 10000);
    QCOMPARE(server.connectionCount(), count);
    QCOMPARE(client.activeConnectionCount(), count);
    RELEASE_AND_VERIFY_SUCCEEDED(server, recs);
    QCOMPARE(client.idleConnectionCount(), count); // below the default 64 idle per host
    QCOMPARE(client.activeConnectionCount(), 0);
}

void TestUpstreamPool::spareOpenedForConcurrentDemand()
{
    FakeHttpServer server;
    UpstreamClient client;
    // One request at a time: the one kept-alive connection serves them all, no spare.
    for (const QByteArray body : {"1", "2", "3"})
        VERIFY_SUCCEEDED(sendAndWait(client, request(server.url(), "POST", body)));
    QCOMPARE(server.connectionCount(), 1);
    QCOMPARE(client.idleConnectionCount(), 1);

    server.holdRequests(true);
    std::vector<std::unique_ptr<Recorder>> recs;
    recs.push_back(sendBody(client, server, "a")); // the idle connection
    recs.push_back(sendBody(client, server, "b")); // a new one, while "a" runs: and a spare
    QTRY_COMPARE(server.heldCount(), 2);
    QTRY_COMPARE(server.connectionCount(), 3);
    QTRY_COMPARE(client.idleConnectionCount(), 1); // the spare, connected and pooled
    QCOMPARE(connectionOf(server, "a"), 1);
    QCOMPARE(connectionOf(server, "b"), 2);

    // The next request goes out on the spare, without a connect of its own, and the spare it
    // took is replaced.
    recs.push_back(sendBody(client, server, "c"));
    QTRY_COMPARE(server.heldCount(), 3);
    QCOMPARE(connectionOf(server, "c"), 3);
    QTRY_COMPARE(server.connectionCount(), 4);
    QTRY_COMPARE(client.idleConnectionCount(), 1);

    RELEASE_AND_VERIFY_SUCCEEDED(server, recs);
    QCOMPARE(client.idleConnectionCount(), 4);
    QCOMPARE(client.activeConnectionCount(), 0);
    QCOMPARE(server.connectionCount(), 4);
}

void TestUpstreamPool::requestTakesSpareStillConnecting()
{
    FakeHttpServer server;
    UpstreamClient client;
    VERIFY_SUCCEEDED(sendAndWait(client, request(server.url(), "POST", "warm")));
    server.holdRequests(true);
    // All in one turn of the event loop: the spare "b" opens is still connecting when "c" comes,
    // and "c" waits for that connection rather than opening its own; "c" opens the next spare.
    std::vector<std::unique_ptr<Recorder>> recs;
    recs.push_back(sendBody(client, server, "a"));
    recs.push_back(sendBody(client, server, "b"));
    recs.push_back(sendBody(client, server, "c"));
    QTRY_COMPARE(server.heldCount(), 3);
    QTRY_COMPARE(server.connectionCount(), 4);
    QCOMPARE(connectionOf(server, "a"), 1);
    QCOMPARE(connectionOf(server, "b"), 2);
    QCOMPARE(connectionOf(server, "c"), 3);
    QTRY_COMPARE(client.idleConnectionCount(), 1);
    RELEASE_AND_VERIFY_SUCCEEDED(server, recs);
    QCOMPARE(client.idleConnectionCount(), 4);
    QCOMPARE(client.activeConnectionCount(), 0);
}

void TestUpstreamPool::noSpareWhenPreconnectIsOff()
{
    FakeHttpServer server;
    UpstreamClient client;
    client.setPreconnect(false);
    VERIFY_SUCCEEDED(sendAndWait(client, request(server.url(), "POST", "warm")));
    server.holdRequests(true);
    std::vector<std::unique_ptr<Recorder>> recs;
    for (const QByteArray body : {"a", "b", "c"})
        recs.push_back(sendBody(client, server, body));
    QTRY_COMPARE(server.heldCount(), 3);
    QTest::qWait(50); // a spare would connect within this
    QCOMPARE(server.connectionCount(), 3);
    QCOMPARE(client.idleConnectionCount(), 0);
    RELEASE_AND_VERIFY_SUCCEEDED(server, recs);
    QCOMPARE(client.idleConnectionCount(), 3);
}

void TestUpstreamPool::staleConnectionRetriedOnce()
{
    // The server drops the kept-alive connection as the second request arrives on it, the way
    // an upstream closes an idle connection just as it is reused.
    FakeHttpServer server;
    server.setHandler([](const FakeHttpServer::Request &r) -> FakeHttpServer::Script {
        if (r.connection == 1 && r.body == "second")
            return {FakeHttpServer::close()};
        return {FakeHttpServer::write(FakeHttpServer::response(200, "ok:" + r.body))};
    });
    UpstreamClient client;
    VERIFY_SUCCEEDED(sendAndWait(client, request(server.url(), "POST", "first")));
    const auto rec = sendAndWait(client, request(server.url(), "POST", "second"));
    VERIFY_SUCCEEDED(rec);
    QCOMPARE(rec->body, QByteArray("ok:second"));
    QCOMPARE(server.connectionCount(), 2);
    QCOMPARE(server.requestCount(), 3);
    QCOMPARE(server.requests().at(2).connection, 2);
    QCOMPARE(server.requests().at(2).body, QByteArray("second"));
}

void TestUpstreamPool::staleConnectionRetryOnlyOnce()
{
    FakeHttpServer server;
    server.setHandler([](const FakeHttpServer::Request &r) -> FakeHttpServer::Script {
        if (r.connection == 1 && r.body == "first")
            return {FakeHttpServer::write(FakeHttpServer::response(200, "ok"))};
        return {FakeHttpServer::close()};
    });
    UpstreamClient client;
    VERIFY_SUCCEEDED(sendAndWait(client, request(server.url(), "POST", "first")));
    const auto rec = sendAndWait(client, request(server.url(), "POST", "second"));
    VERIFY_FAILED(rec, UpstreamReply::Error::ConnectionClosed);
    QCOMPARE(server.connectionCount(), 2);
    QCOMPARE(server.requestCount(), 3);
}

void TestUpstreamPool::idlePoolTimeout()
{
    FakeHttpServer server;
    UpstreamClient client;
    client.setIdleTimeoutMs(100);
    VERIFY_SUCCEEDED(sendAndWait(client, request(server.url())));
    QCOMPARE(client.idleConnectionCount(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(client.idleConnectionCount(), 0, 2000);
    QTRY_COMPARE(server.clientDisconnectCount(), 1);

    // An idle connection the server closes leaves the pool at once.
    client.setIdleTimeoutMs(30'000);
    VERIFY_SUCCEEDED(sendAndWait(client, request(server.url())));
    QCOMPARE(client.idleConnectionCount(), 1);
    server.shutdown();
    QTRY_COMPARE(client.idleConnectionCount(), 0);
    QCOMPARE(client.activeConnectionCount(), 0);
}

void TestUpstreamPool::maxIdlePerHost()
{
    FakeHttpServer server;
    server.holdRequests(true);
    UpstreamClient client;
    client.setMaxIdlePerHost(2);
    std::vector<std::unique_ptr<Recorder>> recs;
    for (int i = 0; i < 5; ++i)
        recs.push_back(std::make_unique<Recorder>(client.send(request(server.url()))));
    QTRY_COMPARE(server.heldCount(), 5);
    server.releaseHeld();
    for (const auto &rec : recs)
        QTRY_VERIFY(rec->succeeded);
    QCOMPARE(client.idleConnectionCount(), 2);
    QTRY_COMPARE(server.clientDisconnectCount(), 3);
    client.setMaxIdlePerHost(1);
    QCOMPARE(client.idleConnectionCount(), 1);
    QTRY_COMPARE(server.clientDisconnectCount(), 4);
}

void TestUpstreamPool::keepAliveReuse()
{
    FakeHttpServer server;
    UpstreamClient client;
    for (int i = 0; i < 3; ++i) {
        const auto rec = sendAndWait(client, request(server.url(), "POST", "x"));
        VERIFY_SUCCEEDED(rec);
        QCOMPARE(rec->body, QByteArray("ok"));
        QCOMPARE(client.idleConnectionCount(), 1);
        QCOMPARE(client.activeConnectionCount(), 0);
    }
    QCOMPARE(server.requestCount(), 3);
    QCOMPARE(server.connectionCount(), 1);
}

QTEST_GUILESS_MAIN(TestUpstreamPool)
#include "tst_upstreampool.moc"
