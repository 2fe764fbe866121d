// The text/event-stream parser: events come out the same however the bytes are split.
#include "SseParser.h"

#include <QTest>

using namespace portico;

namespace {

using Events = QList<std::pair<QByteArray, QByteArray>>; // name, data

Events parse(const QByteArrayList &pieces, bool *ok = nullptr, qsizetype limit = 16 * 1024 * 1024)
{
    SseParser parser(limit);
    QList<SseEvent> events;
    bool fed = true;
    for (const QByteArray &piece : pieces)
        fed = parser.feed(piece, &events) && fed;
    if (ok)
        *ok = fed;
    Events out;
    for (const SseEvent &e : events)
        out.append({e.name, e.data});
    return out;
}

} // namespace

class TestSseParser : public QObject
{
    Q_OBJECT

private slots:
    void events_data();
    void events();
    void everySplitReadsAlike();
    void linesOfEveryLength();
    void oversizedEventStops();
};

void TestSseParser::events_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<Events>("expected");
    QTest::newRow("one event") << QByteArray("data: {\"a\":1}\n\n") << Events{{"", "{\"a\":1}"}};
    QTest::newRow("CRLF, CR and LF endings") << QByteArray("data: a\r\n\r\ndata: b\r\rdata: c\n\n")
                                             << Events{{"", "a"}, {"", "b"}, {"", "c"}};
    QTest::newRow("byte order mark, comment, unknown field")
        << QByteArray("\xEF\xBB\xBF: hello\nid: 7\nretry: 10\ndata: x\n\n") << Events{{"", "x"}};
    QTest::newRow("several data lines, event name, no space after the colon")
        << QByteArray("event: delta\ndata:one\ndata: two\ndata\n\n")
        << Events{{"delta", "one\ntwo\n"}};
    QTest::newRow("no data: no event; name does not leak")
        << QByteArray("event: ping\n\ndata: [DONE]\n\n") << Events{{"", "[DONE]"}};
    QTest::newRow("unfinished event is held")
        << QByteArray("data: a\n\ndata: b\n") << Events{{"", "a"}};
    QTest::newRow("not a byte order mark") << QByteArray("\xEF"
                                                         "data: a\n\ndata: b\n\n")
                                           << Events{{"", "b"}};
}

void TestSseParser::events()
{
    QFETCH(QByteArray, stream);
    QFETCH(Events, expected);
    QCOMPARE(parse({stream}), expected);
}

void TestSseParser::everySplitReadsAlike()
{
    // Whole, a byte at a time, and cut in two (or three) at every place: a line ending, a BOM or a
    // CRLF pair cut anywhere reads the same.
    const QByteArray stream("\xEF\xBB\xBF"
                            "data: {\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]}\r\n\r\n"
                            ": keep-alive\r\revent: e\ndata: 1\ndata: 2\r\n\ndata: [DONE]\n\n");
    const Events whole = parse({stream});
    QCOMPARE(whole.size(), 3);
    QByteArrayList bytes;
    for (qsizetype i = 0; i < stream.size(); ++i)
        bytes.append(stream.sliced(i, 1));
    QCOMPARE(parse(bytes), whole);
    for (qsizetype i = 0; i <= stream.size(); ++i) {
        const QByteArray &s = stream;
        QCOMPARE(parse({s.first(i), s.sliced(i)}), whole);
        const qsizetype j = (i + 5) % (stream.size() + 1);
        if (j >= i)
            QCOMPARE(parse({s.first(i), s.sliced(i, j - i), s.sliced(j)}), whole);
    }
}

void TestSseParser::linesOfEveryLength()
{
    // Line ends are looked for sixteen bytes at a time: every length around that, each ending.
    for (int length = 0; length < 40; ++length) {
        for (const char *ending : {"\n", "\r", "\r\n"}) {
            const QByteArray data(length, 'x');
            const QByteArray stream =
                "data: " + data + ending + ending + "data: z" + ending + ending;
            const Events expected{{"", data}, {"", "z"}};
            QCOMPARE(parse({stream}), expected);
        }
    }
}

void TestSseParser::oversizedEventStops()
{
    // Over the limit the parser stops, whether the line comes whole or in pieces.
    bool ok = true;
    QVERIFY(parse({"data: " + QByteArray(100, 'x') + "\n\n"}, &ok, 64).isEmpty());
    QVERIFY(!ok);
    // Found with the line itself, before it is taken in.
    QCOMPARE(parse({"data: a\n\ndata: " + QByteArray(100, 'x') + "\n"}, &ok, 64).size(), 1);
    QVERIFY(!ok);
    const QByteArray half = QByteArray(40, 'x');
    QVERIFY(parse({"data: " + half, half + "\n\n", "data: y\n\n"}, &ok, 64).isEmpty());
    QVERIFY(!ok);
    QCOMPARE(parse({"data: " + half + "\n", "data: " + half + "\n\n"}, &ok, 64).size(), 0);
    QVERIFY(!ok); // two lines of one event count together
    QCOMPARE(parse({"data: " + half + "\n\n", "data: " + half + "\n\n"}, &ok, 64).size(), 2);
    QVERIFY(ok);
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
