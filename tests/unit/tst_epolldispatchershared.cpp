// EpollDispatcher with one descriptor watched from several threads, as the HTTP workers watch
// their shared listening socket: who is woken (DirectSocketNotifier::WakeUp), and removal and
// re-addition of such a registration.
#include "DirectSocketNotifier.h"
#include "EpollTestSupport.h"

#include <QFile>

#include <memory>

#include <netinet/in.h>

using namespace portico;
using namespace portico::epolltest;

class TestEpollDispatcherShared : public QObject
{
    Q_OBJECT

private slots:
    void oneWaiterWakesOneThread_data()
    {
        QTest::addColumn<bool>("oneWaiter");
        QTest::newRow("OneWaiter") << true;
        QTest::newRow("AllWaiters") << false;
    }
    void oneWaiterWakesOneThread()
    {
        // Four threads watch one listening socket, as the HTTP workers do. With OneWaiter
        // (EPOLLEXCLUSIVE) a connection wakes one idle thread; with AllWaiters all four wake, and
        // three find nothing and sleep again inside epoll_wait (seen only as context switches).
        // Disabled and enabled again (removed from the epoll set and added back), the notifiers
        // still take connections.
        QFETCH(bool, oneWaiter);
        const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        QVERIFY(listener >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        QCOMPARE(::bind(listener, reinterpret_cast<sockaddr *>(&address), length), 0);
        QCOMPARE(::listen(listener, 16), 0);
        QCOMPARE(::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length), 0);

        struct Context
        {
            int listener;
            std::atomic<int> activations{0};
            std::atomic<int> accepted{0};
        } ctx{listener};
        const auto handler = [](void *c) {
            auto *x = static_cast<Context *>(c);
            ++x->activations;
            const int fd = ::accept4(x->listener, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd >= 0) {
                ++x->accepted;
                ::close(fd);
            }
        };
        std::vector<std::unique_ptr<Worker>> workers;
        std::vector<DirectSocketNotifier *> notifiers;
        std::vector<QString> statusFiles;
        const auto sleeps = [&] { // voluntary context switches of the four threads
            qint64 sum = 0;
            for (const QString &name : statusFiles) {
                QFile file(name);
                if (!file.open(QIODevice::ReadOnly))
                    return qint64(-1);
                for (const QByteArray &line : file.readAll().split('\n')) {
                    if (line.startsWith("voluntary_ctxt_switches:"))
                        sum += line.mid(24).trimmed().toLongLong();
                }
            }
            return sum;
        };
        for (int i = 0; i < 4; ++i) {
            auto &w = workers.emplace_back(std::make_unique<Worker>());
            statusFiles.push_back(QStringLiteral("/proc/self/task/%1/status").arg(w->run([] {
                return int(::gettid());
            })));
            notifiers.push_back(w->run([&] {
                return new DirectSocketNotifier(
                    listener, QSocketNotifier::Read, handler, &ctx, w->context(),
                    oneWaiter ? DirectSocketNotifier::WakeUp::OneWaiter
                              : DirectSocketNotifier::WakeUp::AllWaiters);
            }));
        }
        const auto connectOnce = [&] {
            const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            const bool ok =
                ::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0;
            ::close(fd);
            return ok;
        };
        constexpr int Connections = 20;
        QTest::qWait(20);
        const qint64 sleepsBefore = sleeps();
        for (int i = 0; i < Connections; ++i) {
            QTest::qWait(10); // every thread back in epoll_wait
            QVERIFY(connectOnce());
            QTRY_COMPARE(ctx.accepted.load(), i + 1);
        }
        QTest::qWait(20);
        const qint64 woken = sleeps() - sleepsBefore;
        QVERIFY(sleepsBefore >= 0);
        if (oneWaiter)
            QVERIFY2(woken < 2 * Connections, qPrintable(QString::number(woken)));
        else
            QVERIFY2(woken >= 3 * Connections, qPrintable(QString::number(woken)));

        for (int i = 0; i < 4; ++i)
            workers[size_t(i)]->run([&] { notifiers[size_t(i)]->setEnabled(false); });
        QVERIFY(connectOnce());
        QTest::qWait(100);
        QCOMPARE(ctx.accepted.load(), Connections);
        workers[2]->run([&] { notifiers[2]->setEnabled(true); });
        QTRY_COMPARE(ctx.accepted.load(), Connections + 1);
        workers.clear(); // the notifiers go with their threads' objects
        ::close(listener);
    }
};

QTEST_GUILESS_MAIN(TestEpollDispatcherShared)
#include "tst_epolldispatchershared.moc"
