#include "UpstreamResponseParser.h"

#include <QTest>

using namespace portico;
using Result = UpstreamResponseParser::Result;

namespace {

struct Outcome
{
    Result result = Result::NeedMore;
    int status = 0;
    QByteArray body;
    bool keepAlive = false;
    HeaderBlock block;
    HeaderList headers;
};

// Feeds `input` in pieces of `step` bytes (0: all at once), then the end of the stream if
// `eof`.
Outcome parse(const QByteArray &input, qsizetype step, bool head = false, bool eof = false)
{
    UpstreamResponseParser parser;
    parser.reset(head);
    Outcome out;
    const qsizetype size = step > 0 ? step : qMax<qsizetype>(1, input.size());
    for (qsizetype i = 0; i < input.size() && out.result == Result::NeedMore; i += size) {
        out.result = parser.feed(input.mid(i, size), out.body);
        if (parser.headersComplete() && out.status == 0) {
            out.status = parser.status();
            out.block = parser.takeHeaders();
            out.headers = out.block.toList();
        }
    }
    if (eof && out.result == Result::NeedMore)
        out.result = parser.finishAtEof();
    out.keepAlive = out.result == Result::Complete && parser.keepAlive();
    return out;
}

} // namespace

class TestUpstreamResponseParser : public QObject
{
    Q_OBJECT
private slots:
    void parses_data();
    void parses();
    void sharesWholeBodyReads();
    void extraDataPreventsReuse();
    void headerNamesLowerCased();
    void headersReadOnDemand();
};

void TestUpstreamResponseParser::parses_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("head");
    QTest::addColumn<bool>("eof");
    QTest::addColumn<int>("result");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");

    const auto complete = int(Result::Complete);
    const auto error = int(Result::Error);
    const auto more = int(Result::NeedMore);
    auto row = [](const char *name) -> QTestData & { return QTest::newRow(name); };

    row("content-length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
                          << false << false << complete << 200 << QByteArray("hello") << true;
    row("bare LF line ends") << QByteArray("HTTP/1.1 200 OK\nContent-Length: 2\n\nhi") << false
                             << false << complete << 200 << QByteArray("hi") << true;
    row("no reason phrase") << QByteArray("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n") << false
                            << false << complete << 404 << QByteArray() << true;
    row("chunked with extension and trailer")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
                      "4;name=v\r\nabcd\r\nA \r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n")
        << false << false << complete << 200 << QByteArray("abcd0123456789") << true;
    row("chunked incomplete") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                            "4\r\nab")
                              << false << false << more << 200 << QByteArray("ab") << false;
    row("until close") << QByteArray("HTTP/1.1 200 OK\r\n\r\nstream") << false << true << complete
                       << 200 << QByteArray("stream") << false;
    row("until close, other coding")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz") << false << true
        << complete << 200 << QByteArray("zz") << false;
    row("content-length cut by eof")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc") << false << true << error
        << 200 << QByteArray("abc") << false;
    row("HEAD ignores content-length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n")
                                       << true << false << complete << 200 << QByteArray() << true;
    row("204") << QByteArray("HTTP/1.1 204 No Content\r\n\r\n") << false << false << complete << 204
               << QByteArray() << true;
    row("interim responses") << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 P\r\n\r\n"
                                           "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx")
                             << false << false << complete << 200 << QByteArray("x") << true;
    row("101") << QByteArray("HTTP/1.1 101 Switching Protocols\r\n\r\n") << false << false << error
               << 0 << QByteArray() << false;
    row("connection close") << QByteArray("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\n"
                                          "Content-Length: 0\r\n\r\n")
                            << false << false << complete << 200 << QByteArray() << false;
    row("HTTP/1.0 keep-alive") << QByteArray("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\n"
                                             "Content-Length: 0\r\n\r\n")
                               << false << false << complete << 200 << QByteArray() << true;
    row("HTTP/1.0 default") << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n") << false
                            << false << complete << 200 << QByteArray() << false;
    row("same content-length twice")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx") << false
        << false << complete << 200 << QByteArray("x") << true;
    row("conflicting content-length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx") << false
        << false << error << 0 << QByteArray() << false;
    row("negative content-length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")
                                   << false << false << error << 0 << QByteArray() << false;
    row("folded header") << QByteArray("HTTP/1.1 200 OK\r\nA: b\r\n  c\r\n\r\n") << false << false
                         << error << 0 << QByteArray() << false;
    row("space before colon") << QByteArray("HTTP/1.1 200 OK\r\nA : b\r\n\r\n") << false << false
                              << error << 0 << QByteArray() << false;
    row("status 600") << QByteArray("HTTP/1.1 600 X\r\n\r\n") << false << false << error << 0
                      << QByteArray() << false;
    row("status two digits") << QByteArray("HTTP/1.1 20 OK\r\n\r\n") << false << false << error << 0
                             << QByteArray() << false;
    row("chunk size overflow") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                             "ffffffffffffffffff\r\n")
                               << false << false << error << 200 << QByteArray() << false;
    row("missing CRLF after chunk")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n0\r\n\r\n")
        << false << false << error << 200 << QByteArray("ab") << false;
}

void TestUpstreamResponseParser::parses()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, head);
    QFETCH(bool, eof);
    QFETCH(int, result);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);
    // The same outcome whether the bytes come at once, one by one or in odd pieces.
    for (const qsizetype step : {qsizetype(0), qsizetype(1), qsizetype(3), qsizetype(7)}) {
        const Outcome out = parse(input, step, head, eof);
        QCOMPARE(int(out.result), result);
        QCOMPARE(out.status, status);
        QCOMPARE(out.body, body);
        QCOMPARE(out.keepAlive, keepAlive);
        for (const auto &h : out.headers) {
            QCOMPARE(h.first, h.first.toLower());
            QCOMPARE(h.second, h.second.trimmed());
        }
    }
}

void TestUpstreamResponseParser::sharesWholeBodyReads()
{
    UpstreamResponseParser parser;
    parser.reset(false);
    QByteArray body;
    QCOMPARE(int(parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", body)),
             int(Result::NeedMore));
    const QByteArray read(10, 'x');
    QCOMPARE(int(parser.feed(read, body)), int(Result::Complete));
    QCOMPARE(body.constData(), read.constData()); // no copy of a read that is all body
}

void TestUpstreamResponseParser::extraDataPreventsReuse()
{
    const Outcome out = parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxGARBAGE", 0);
    QCOMPARE(int(out.result), int(Result::Complete));
    QCOMPARE(out.body, QByteArray("x"));
    QVERIFY(!out.keepAlive);

    UpstreamResponseParser parser;
    parser.reset(false);
    QByteArray body;
    const QByteArray big =
        "HTTP/1.1 200 OK\r\nX: " + QByteArray(UpstreamResponseParser::MaxHeaderBytes, 'a');
    QCOMPARE(int(parser.feed(big, body)), int(Result::Error));
    QVERIFY(parser.errorString().contains(QStringLiteral("64 KiB")));
}

void TestUpstreamResponseParser::headerNamesLowerCased()
{
    // Well-known names (taken from a table) and others (lower-cased in a copy), in every case,
    // names of one length that differ by a letter, and the same-length near misses of known ones.
    const QList<QByteArray> names = {"Date",
                                     "HOST",
                                     "hosT",
                                     "Server",
                                     "EXPECT",
                                     "accept",
                                     "Connection",
                                     "User-Agent",
                                     "Keep-Alive",
                                     "Content-TYPE",
                                     "X-Request-Id",
                                     "Authorization",
                                     "Cache-Control",
                                     "Accept-Encoding",
                                     "Dote",
                                     "Servers",
                                     "X-Request-Ib",
                                     "Content-Typf",
                                     "Cache_Control",
                                     "Accept^Encoding",
                                     "X-Portico-Agent-Id",
                                     "content-location",
                                     "X1"};
    QByteArray input = "HTTP/1.1 200 OK\r\n";
    for (int i = 0; i < names.size(); ++i)
        input += names[i] + ": v" + QByteArray::number(i) + "\r\n";
    input += "Content-Length: 0\r\n\r\n";
    const Outcome out = parse(input, 0);
    QCOMPARE(int(out.result), int(Result::Complete));
    QCOMPARE(out.headers.size(), names.size() + 1);
    for (int i = 0; i < names.size(); ++i) {
        QCOMPARE(out.headers[i].first, names[i].toLower());
        QCOMPARE(out.headers[i].second, "v" + QByteArray::number(i));
    }
    QCOMPARE(out.headers.last().first, QByteArray("content-length"));
}

void TestUpstreamResponseParser::headersReadOnDemand()
{
    // The headers are kept as received and read when asked: the first of a name, in any case,
    // trimmed; an empty value is empty, a missing one null; an interim response's are gone.
    const QByteArray input = "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n"
                             "HTTP/1.1 429 Too Many Requests\r\n"
                             "Retry-After: \t 7 \r\n"
                             "X-A: first\r\n"
                             "x-a: second\r\n"
                             "X-Empty:\r\n"
                             "LOCATION:/x\r\n"
                             "X-Retry-After: 9\r\n"
                             "Content-Length: 0\r\n\r\n";
    for (const qsizetype step : {qsizetype(0), qsizetype(1), qsizetype(5)}) {
        const Outcome out = parse(input, step);
        QCOMPARE(int(out.result), int(Result::Complete));
        QCOMPARE(out.status, 429);
        const HeaderBlock &h = out.block;
        QCOMPARE(h.value("retry-after"), QByteArray("7"));
        QCOMPARE(h.value("x-retry-after"), QByteArray("9"));
        QCOMPARE(h.value("x-a"), QByteArray("first"));
        QCOMPARE(h.value("location"), QByteArray("/x"));
        QCOMPARE(h.value("content-length"), QByteArray("0"));
        QVERIFY(!h.value("x-empty").isNull()); // present, empty
        QVERIFY(h.value("x-empty").isEmpty());
        QVERIFY(h.value("x-interim").isNull());
        QVERIFY(h.value("retry").isNull());
        QVERIFY(h.value("retry-afte").isNull());
        const HeaderList expected = {
            {"retry-after", "7"}, {"x-a", "first"},       {"x-a", "second"},      {"x-empty", ""},
            {"location", "/x"},   {"x-retry-after", "9"}, {"content-length", "0"}};
        QCOMPARE(out.headers, expected);
    }
}

QTEST_APPLESS_MAIN(TestUpstreamResponseParser)
#include "tst_upstreamresponseparser.moc"
