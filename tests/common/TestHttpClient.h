#pragma once

#include "HttpTypes.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTcpSocket>

// A raw HTTP/1.1 client for tests: sends exactly the bytes asked for and parses the answer
// (status, lower-cased headers, body with chunked framing removed), so tests can assert on the
// wire format itself. Each call uses a fresh connection unless a stream keeps one open.
struct TestResponse
{
    int status = 0;
    portico::HeaderList headers;
    QByteArray body;
    bool complete = false; // a full response arrived (Content-Length or last chunk)
    bool closed = false;   // the server closed the connection

    QByteArray header(QByteArrayView lowerName) const
    {
        return portico::headerValue(headers, lowerName);
    }
    QJsonObject json() const;
    // The `data:` payloads of an SSE body, in order.
    QList<QByteArray> events() const;
};

class TestHttpClient : public QObject
{
    Q_OBJECT
public:
    explicit TestHttpClient(quint16 port, QObject *parent = nullptr);

    // Sends `method path` with Host: 127.0.0.1:<port>, the given headers and body.
    TestResponse request(const QByteArray &method, const QByteArray &path,
                         const portico::HeaderList &headers = {}, const QByteArray &body = {},
                         int timeoutMs = 10'000);
    TestResponse postJson(const QByteArray &path, const QJsonObject &body,
                          const portico::HeaderList &headers = {}, int timeoutMs = 10'000);
    // Sends raw bytes and reads one response.
    TestResponse raw(const QByteArray &bytes, int timeoutMs = 10'000);

    // Streaming: starts a request and returns at once; read with waitFor*().
    void startStream(const QByteArray &path, const QJsonObject &body,
                     const portico::HeaderList &headers = {});
    bool waitForBody(QByteArrayView needle, int timeoutMs = 10'000);
    bool waitForComplete(int timeoutMs = 10'000);
    const TestResponse &current() const { return m_response; }
    void closeConnection();
    // Writes bytes on the open connection as they are (after a request has started).
    void sendRaw(const QByteArray &bytes);
    bool isConnected() const;

    static QByteArray defaultToken() { return QByteArrayLiteral("pt_test_token_0123456789"); }
    // The Authorization header that presents defaultToken().
    static portico::HeaderList defaultAuth()
    {
        return {{"Authorization", "Bearer " + defaultToken()}};
    }

private:
    void onReadyRead();
    void parse();
    QByteArray buildRequest(const QByteArray &method, const QByteArray &path,
                            const portico::HeaderList &headers, const QByteArray &body) const;

    quint16 m_port;
    QTcpSocket *m_socket = nullptr;
    QByteArray m_buffer;
    TestResponse m_response;
    bool m_headDone = false;
    bool m_chunked = false;
    qint64 m_length = -1;
    QByteArray m_method;
};
