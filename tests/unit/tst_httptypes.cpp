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

QTEST_GUILESS_MAIN(TestHttpTypes)
#include "tst_httptypes.moc"
