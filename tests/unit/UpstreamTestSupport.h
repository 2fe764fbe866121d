#pragma once

// The fixtures of the upstream client tests (tst_upstreamclient, tst_upstreampool): a recorder of
// one reply's signals, request helpers and checks.
#include "FakeHttpServer.h"
#include "UpstreamClient.h"

#include <QTest>

#include <memory>

namespace portico::upstreamtest {

// Records everything one reply emits, and checks the order promised by UpstreamReply.
class Recorder : public QObject
{
public:
    explicit Recorder(UpstreamReply *r)
        : reply(r)
    {
        connect(r, &UpstreamReply::headersReceived, this, [this] {
            misordered = misordered || headerSignals > 0 || ends > 0;
            ++headerSignals;
        });
        connect(r, &UpstreamReply::dataReceived, this, [this](const QByteArray &data) {
            misordered = misordered || headerSignals == 0 || ends > 0;
            body += data;
            ++dataSignals;
        });
        connect(r, &UpstreamReply::finished, this, [this] {
            ++ends;
            succeeded = true;
        });
        connect(r, &UpstreamReply::failed, this, [this](UpstreamReply::Error e, const QString &m) {
            ++ends;
            error = e;
            message = m;
        });
    }
    bool ended() const { return ends > 0; }

    std::unique_ptr<UpstreamReply> reply;
    int headerSignals = 0;
    int dataSignals = 0;
    int ends = 0;
    bool misordered = false;
    bool succeeded = false;
    QByteArray body;
    UpstreamReply::Error error = UpstreamReply::Error::Network;
    QString message;
};

inline UpstreamRequest request(const QUrl &url, const QByteArray &method = "GET",
                               const QByteArray &body = {})
{
    UpstreamRequest r;
    r.url = url;
    r.method = method;
    r.body = body;
    return r;
}

inline std::unique_ptr<Recorder> sendAndWait(UpstreamClient &client, const UpstreamRequest &r)
{
    auto recorder = std::make_unique<Recorder>(client.send(r));
    if (!QTest::qWaitFor([&] { return recorder->ended(); }, 5000))
        qWarning("the reply did not end within 5 s");
    return recorder;
}

// Lets the held requests be answered; each must succeed.
#define RELEASE_AND_VERIFY_SUCCEEDED(server, recs)                                                 \
    do {                                                                                           \
        (server).releaseHeld();                                                                    \
        for (const auto &rec : (recs)) {                                                           \
            QTRY_VERIFY(rec->ended());                                                             \
            VERIFY_SUCCEEDED(rec);                                                                 \
        }                                                                                          \
    } while (false)

// Each evaluates its argument once (it may be a sendAndWait() call).
#define VERIFY_SUCCEEDED(recorder)                                                                 \
    do {                                                                                           \
        const auto &r_ = (recorder);                                                               \
        QVERIFY2(r_->succeeded, qPrintable(r_->message));                                          \
        QCOMPARE(r_->ends, 1);                                                                     \
        QVERIFY(!r_->misordered);                                                                  \
    } while (false)

#define VERIFY_FAILED(recorder, expected)                                                          \
    do {                                                                                           \
        const auto &r_ = (recorder);                                                               \
        QVERIFY(r_->ended());                                                                      \
        QVERIFY(!r_->succeeded);                                                                   \
        QCOMPARE(r_->ends, 1);                                                                     \
        QCOMPARE(r_->error, expected);                                                             \
        QVERIFY(!r_->misordered);                                                                  \
    } while (false)

} // namespace portico::upstreamtest
