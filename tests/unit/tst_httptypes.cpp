// The header helpers every request goes through: names lower-cased (from a table of literals for
// the common ones), the common methods, paths and values as literals, and views into the list.
// A literal must read exactly as the copy it stands for.
#include "HttpTypes.h"

#include <QTest>

using portico::HeaderList;

class TestHttpTypes : public QObject
{
    Q_OBJECT

private slots:
    void lowerCaseHeaderNames_data();
    void lowerCaseHeaderNames();
    void commonRequestText_data();
    void commonRequestText();
    void headerView();
    void lineAndHeadEnds();
};

void TestHttpTypes::lowerCaseHeaderNames_data()
{
    QTest::addColumn<QByteArray>("name");
    for (const char *name : {"Host",
                             "date",
                             "ACCEPT",
                             "Server",
                             "Expect",
                             "Connection",
                             "User-Agent",
                             "Keep-Alive",
                             "Content-Type",
                             "X-Request-Id",
                             "Authorization",
                             "Cache-Control",
                             "Content-Length",
                             "Accept-Encoding",
                             "Transfer-Encoding",
                             "X-Api-Key",
                             "Hos",
                             "Hostt",
                             "Content-Typf",
                             "authorizatioN",
                             "x-portico-session-key",
                             "A"})
        QTest::newRow(name) << QByteArray(name);
}

void TestHttpTypes::lowerCaseHeaderNames()
{
    QFETCH(QByteArray, name);
    QCOMPARE(portico::lowerCaseHeaderName(name), name.toLower());
}

void TestHttpTypes::commonRequestText_data()
{
    QTest::addColumn<QByteArray>("text");
    for (const char *text :
         {"GET", "*/*", "POST", "HEAD", "close", "OPTIONS", "chunked", "/healthz", "/v1/models",
          "keep-alive", "application/json", "text/event-stream", "/v1/chat/completions",
          // near misses: case, one character, length
          "get", "Post", "HEAd", "Close", "options", "CHUNKED", "/healthZ", "/v1/model",
          "/v1/modelx", "Keep-Alive", "application/JSON", "application/jsonp", "text/event-streaM",
          "/v1/chat/completionz", "/v1/chat/completions/", "PUT"})
        QTest::newRow(text) << QByteArray(text);
}

void TestHttpTypes::commonRequestText()
{
    QFETCH(QByteArray, text);
    const QByteArray result = portico::commonRequestText(text);
    QCOMPARE(result, text);
    QCOMPARE(result.size(), text.size());
    QCOMPARE(result.constData()[result.size()], '\0'); // a C string, as any QByteArray
}

void TestHttpTypes::headerView()
{
    const HeaderList headers{{"host", "a"}, {"authorization", "Bearer x"}, {"host", "b"}};
    QCOMPARE(portico::headerView(headers, "authorization"), QByteArrayView("Bearer x"));
    QCOMPARE(portico::headerView(headers, "host"), QByteArrayView("a")); // the first
    QVERIFY(portico::headerView(headers, "x-api-key").isNull());
    QCOMPARE(portico::headerView(headers, "authorization").data(),
             headers.at(1).second.constData()); // a view, not a copy
}

void TestHttpTypes::lineAndHeadEnds()
{
    // Every text of up to eight bytes from '\r', '\n' and 'a' (9,841 of them), from every
    // start: the same answers as the search for the literal.
    const char alphabet[] = {'\r', '\n', 'a'};
    int texts = 0;
    for (int length = 0; length <= 8; ++length) {
        int combinations = 1;
        for (int i = 0; i < length; ++i)
            combinations *= 3;
        for (int c = 0; c < combinations; ++c, ++texts) {
            QByteArray text(length, Qt::Uninitialized);
            for (int i = 0, k = c; i < length; ++i, k /= 3)
                text[i] = alphabet[k % 3];
            const QByteArrayView view(text);
            QCOMPARE(portico::indexOfHeadEnd(view), view.indexOf("\r\n\r\n"));
            for (qsizetype from = 0; from <= length; ++from)
                QCOMPARE(portico::indexOfCrlf(view, from), view.indexOf("\r\n", from));
        }
    }
    QCOMPARE(texts, 9841);
    // Past a long line, as in a real head.
    const QByteArray head =
        "GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + QByteArray(300, 'v') + "\n\r\r\n\r\nbody\r\n\r\n";
    QCOMPARE(portico::indexOfHeadEnd(head), head.indexOf("\r\n\r\n"));
    QCOMPARE(portico::indexOfCrlf(head, 20), head.indexOf("\r\n", 20));
}

QTEST_GUILESS_MAIN(TestHttpTypes)
#include "tst_httptypes.moc"
