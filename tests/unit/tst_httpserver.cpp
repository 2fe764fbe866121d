// HttpServer: the worker threads accept from the shared listening socket themselves (Linux,
// EpollDispatcher; with PORTICO_EVENT_DISPATCHER=qt a QTcpServer acceptor hands connections out,
// the tst_httpserver_qtdispatcher run), answer in the thread that accepted, stop and start
// listening at run time, turn away connections over the limit, and ride out running out of
// descriptors without spinning or stopping for good.
#include "HttpResponder.h"
#include "HttpServer.h"
#include "NoFreeDescriptor.h"

#include <QTest>
#include <QThread>

#include <cerrno>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace portico;

namespace {

// A blocking loopback client; every wait is bounded.
class Client
{
public:
    Client() { m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0); }
    ~Client()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool connectTo(quint16 port) const
    {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return ::connect(m_fd, reinterpret_cast<const sockaddr *>(&a), sizeof a) == 0;
    }
    bool send(const QByteArray &data) const
    {
        return ::send(m_fd, data.constData(), size_t(data.size()), MSG_NOSIGNAL) == data.size();
    }
    // Reads until `until` appears or the peer closes, for at most `ms`.
    QByteArray readUntil(const QByteArray &until, int ms = 5000) const
    {
        QByteArray got;
        QElapsedTimer clock;
        clock.start();
        while (!got.contains(until) && clock.elapsed() < ms) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0)
                continue;
            char buffer[4096];
            const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
            if (n <= 0)
                break;
            got.append(buffer, n);
        }
        return got;
    }
    QByteArray get() const
    {
        if (!send("GET /who HTTP/1.1\r\nHost: test\r\n\r\n"))
            return {};
        return readUntil("</who>");
    }

private:
    int m_fd = -1;
};

HttpHandler whoAnswers()
{
    return [](HttpRequest &&, HttpResponder *responder) {
        const QByteArray name = QThread::currentThread()->objectName().toUtf8();
        responder->respond(200, {{"Content-Type", "text/plain"}}, "<who>" + name + "</who>");
    };
}

QByteArray threadOf(const QByteArray &response)
{
    const qsizetype from = response.indexOf("<who>");
    const qsizetype to = response.indexOf("</who>");
    return from < 0 || to < 0 ? QByteArray() : response.mid(from + 5, to - from - 5);
}

// Answers with the request's headers as it received them, "name=value\n" each, and its body.
HttpHandler headersEchoed()
{
    return [](HttpRequest &&request, HttpResponder *responder) {
        QByteArray body;
        for (const auto &[name, value] : request.headers)
            body += name + '=' + value + '\n';
        responder->respond(200, {{"Content-Type", "text/plain"}}, body + request.body + "<end>");
    };
}

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

private slots:
    void headersOfEachRequestOnAKeptAliveConnection()
    {
        // A connection shares a header line's name and value with the previous request's when
        // its bytes are the same in the same place: every request must still see exactly its
        // own, and the framing headers still count.
        HttpServer server(headersEchoed(), HttpLimits{}, 1, 100);
        QString error;
        QVERIFY2(server.listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
        Client c;
        QVERIFY(c.connectTo(server.serverPort()));
        QList<std::pair<QByteArray, QByteArray>> cases = {
            {"Host: h\r\nX-Tool: a\r\n", "host=h\nx-tool=a\n"},
            {"Host: h\r\nX-Tool: a\r\n", "host=h\nx-tool=a\n"},         // the same again
            {"HOST: h\r\nx-TOOL: a\r\n", "host=h\nx-tool=a\n"},         // names in other cases
            {"Host: h\r\nX-Tool: b\r\n", "host=h\nx-tool=b\n"},         // a value changed
            {"Host: h\r\nX-Tool:  b \r\n", "host=h\nx-tool=b\n"},       // spaces around it
            {"Host: h\r\nX-Tooz: b\r\n", "host=h\nx-tooz=b\n"},         // a name changed
            {"X-Tooz: b\r\nHost: h\r\n", "x-tooz=b\nhost=h\n"},         // the order
            {"Host: h\r\nA~B: 1\r\n", "host=h\na~b=1\n"},               // '~' ...
            {"Host: h\r\nA^B: 1\r\n", "host=h\na^b=1\n"},               // ... is another name
            {"Host: h\r\n", "host=h\n"},                                // fewer
            {"Host: h\r\nX-E:\r\nX-F: 2\r\n", "host=h\nx-e=\nx-f=2\n"}, // more, one empty
            {"Host: h\r\nX-E: 0\r\nX-F: 2\r\n", "host=h\nx-e=0\nx-f=2\n"},
            {"Host: h\r\nX-E: 00\r\nX-F: 2\r\n", "host=h\nx-e=00\nx-f=2\n"}, // after a longer
            {"Host: h\r\nX-E: 0\r\nX-F: 2\r\n", "host=h\nx-e=0\nx-f=2\n"},   // ... a shorter
            {"Host: h\r\nX-E: 0\r\nX-F: 2\r\nX-G: 3\r\n", "host=h\nx-e=0\nx-f=2\nx-g=3\n"},
            {"Host: h\r\nX-Tool: a\r\nXX-B: 1\r\n", "host=h\nx-tool=a\nxx-b=1\n"},
            {"Host: h\r\nX-Tool: b\r\nX-B: 1\r\n", "host=h\nx-tool=b\nx-b=1\n"}, // not a tail
            {"Host: h\r\nContent-Length: 5\r\n\r\nhello", "host=h\ncontent-length=5\nhello"},
            {"Host: h\r\nContent-Length: 5\r\n\r\nworld", "host=h\ncontent-length=5\nworld"},
            {"Host: h\r\nContent-Length: 2\r\n\r\nhi", "host=h\ncontent-length=2\nhi"},
        };
        // Heads over the size a connection remembers (4 KiB), then a small one again.
        const QByteArray big(5000, 'a');
        for (int i = 0; i < 2; ++i)
            cases.append({"Host: h\r\nX-Big: " + big + "\r\n", "host=h\nx-big=" + big + "\n"});
        for (int i = 0; i < 2; ++i)
            cases.append(
                {QByteArray("Host: h\r\nX-Tool: a\r\n"), QByteArray("host=h\nx-tool=a\n")});
        for (const auto &[headers, expected] : cases) {
            // The cases with a body carry the head's end themselves.
            const QByteArray end = headers.endsWith("\r\n") ? "\r\n" : "";
            QVERIFY(c.send("GET /echo HTTP/1.1\r\n" + headers + end));
            const QByteArray response = c.readUntil("<end>");
            const qsizetype body = response.indexOf("\r\n\r\n") + 4;
            QVERIFY2(body >= 4, response.constData());
            QCOMPARE(response.mid(body), expected + "<end>");
        }
    }

    void answeredByWorkerThreads()
    {
        HttpServer server(whoAnswers(), HttpLimits{}, 4, 100);
        QString error;
        QVERIFY2(server.listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
        const quint16 port = server.serverPort();
        QSet<QByteArray> threads;
        std::vector<std::unique_ptr<Client>> clients;
        for (int i = 0; i < 16; ++i) {
            auto &c = clients.emplace_back(std::make_unique<Client>());
            QVERIFY(c->connectTo(port));
        }
        for (const auto &c : clients) {
            const QByteArray response = c->get();
            QVERIFY2(response.startsWith("HTTP/1.1 200"), response.constData());
            const QByteArray thread = threadOf(response);
            QVERIFY2(thread.startsWith("portico-http-"), thread.constData());
            threads.insert(thread);
            QCOMPARE(threadOf(c->get()), thread); // a connection stays in its thread
        }
        QVERIFY(!threads.isEmpty());
        QTRY_COMPARE(server.connectionCount(), 16);
    }

    void stopAndListenAgain()
    {
        HttpServer server(whoAnswers(), HttpLimits{}, 3, 100);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
        const quint16 port = server.serverPort();
        Client kept;
        QVERIFY(kept.connectTo(port));
        QVERIFY(kept.get().startsWith("HTTP/1.1 200"));

        server.stopListening();
        QVERIFY(!server.isListening());
        Client refused;
        QVERIFY(!refused.connectTo(port));
        QVERIFY(kept.get().startsWith("HTTP/1.1 200")); // existing connections carry on

        QVERIFY(server.listen(QHostAddress::LocalHost, port, nullptr));
        Client again;
        QVERIFY(again.connectTo(port));
        QVERIFY(again.get().startsWith("HTTP/1.1 200"));
    }

    void connectionsOverTheLimitTurnedAway()
    {
        HttpServer server(whoAnswers(), HttpLimits{}, 2, 2);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
        Client a, b, c;
        QVERIFY(a.connectTo(server.serverPort()));
        QVERIFY(b.connectTo(server.serverPort()));
        QVERIFY(a.get().startsWith("HTTP/1.1 200"));
        QVERIFY(b.get().startsWith("HTTP/1.1 200"));
        QVERIFY(c.connectTo(server.serverPort()));
        const QByteArray busy = c.readUntil("}}");
        QVERIFY2(busy.startsWith("HTTP/1.1 503"), busy.constData());
        QVERIFY(busy.contains("Too many connections."));
    }

    void outOfDescriptorsPausesAccepting()
    {
        // With no descriptor left, accept4() fails while the connection stays pending, so the
        // listening socket stays readable: the workers must wait (and retry), not spin. Once
        // descriptors are free again, the pending connections are taken and answered.
        HttpServer server(whoAnswers(), HttpLimits{}, 2, 100);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
        Client a, b, c; // their descriptors exist before the limit is lowered

        NoFreeDescriptor noneLeft;
        QVERIFY(noneLeft.isSet());
        rusage before{};
        ::getrusage(RUSAGE_SELF, &before);
        const bool connected = a.connectTo(server.serverPort()) &&
                               b.connectTo(server.serverPort()) && c.connectTo(server.serverPort());
        QTest::qWait(500);
        rusage after{};
        ::getrusage(RUSAGE_SELF, &after);
        QVERIFY(noneLeft.restore());
        QVERIFY(connected);
        const auto us = [](const rusage &r) {
            return qint64(r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1000000 + r.ru_utime.tv_usec +
                   r.ru_stime.tv_usec;
        };
        const qint64 cpuUs = us(after) - us(before);
        QVERIFY2(cpuUs < 150'000, qPrintable(QStringLiteral("%1 µs of CPU in 500 ms").arg(cpuUs)));

        for (const Client *client : {&a, &b, &c}) {
            const QByteArray response = client->get();
            QVERIFY2(response.startsWith("HTTP/1.1 200"), response.constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
