#include "TestHttpClient.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTest>

QJsonObject TestResponse::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QList<QByteArray> TestResponse::events() const
{
    QList<QByteArray> out;
    for (const QByteArray &event : body.split('\n')) {
        if (event.startsWith("data: "))
            out << event.mid(6);
    }
    return out;
}

TestHttpClient::TestHttpClient(quint16 port, QObject *parent)
    : QObject(parent)
    , m_port(port)
{}

QByteArray TestHttpClient::buildRequest(const QByteArray &method, const QByteArray &path,
                                        const portico::HeaderList &headers,
                                        const QByteArray &body) const
{
    QByteArray out = method + ' ' + path + " HTTP/1.1\r\n";
    bool haveHost = false;
    for (const auto &h : headers) {
        if (h.first.compare("host", Qt::CaseInsensitive) == 0)
            haveHost = true;
        out += h.first + ": " + h.second + "\r\n";
    }
    if (!haveHost)
        out += "Host: 127.0.0.1:" + QByteArray::number(m_port) + "\r\n";
    if (!body.isEmpty() || method == "POST")
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n" + body;
    return out;
}

void TestHttpClient::startStream(const QByteArray &path, const QJsonObject &body,
                                 const portico::HeaderList &headers)
{
    portico::HeaderList all = headers;
    all.prepend({"Content-Type", "application/json"});
    closeConnection();
    m_buffer.clear();
    m_response = TestResponse();
    m_headDone = false;
    m_chunked = false;
    m_length = -1;
    m_method = "POST";
    m_socket = new QTcpSocket(this);
    connect(m_socket, &QTcpSocket::readyRead, this, &TestHttpClient::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        m_response.closed = true;
        onReadyRead();
    });
    m_socket->connectToHost(QHostAddress::LocalHost, m_port);
    m_socket->write(
        buildRequest("POST", path, all, QJsonDocument(body).toJson(QJsonDocument::Compact)));
}

TestResponse TestHttpClient::raw(const QByteArray &bytes, int timeoutMs)
{
    closeConnection();
    m_buffer.clear();
    m_response = TestResponse();
    m_headDone = false;
    m_chunked = false;
    m_length = -1;
    m_method = bytes.left(bytes.indexOf(' '));
    m_socket = new QTcpSocket(this);
    connect(m_socket, &QTcpSocket::readyRead, this, &TestHttpClient::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        m_response.closed = true;
        onReadyRead();
    });
    m_socket->connectToHost(QHostAddress::LocalHost, m_port);
    m_socket->write(bytes);
    waitForComplete(timeoutMs);
    TestResponse response = m_response;
    closeConnection();
    return response;
}

TestResponse TestHttpClient::request(const QByteArray &method, const QByteArray &path,
                                     const portico::HeaderList &headers, const QByteArray &body,
                                     int timeoutMs)
{
    return raw(buildRequest(method, path, headers, body), timeoutMs);
}

TestResponse TestHttpClient::postJson(const QByteArray &path, const QJsonObject &body,
                                      const portico::HeaderList &headers, int timeoutMs)
{
    portico::HeaderList all = headers;
    all.prepend({"Content-Type", "application/json"});
    return request("POST", path, all, QJsonDocument(body).toJson(QJsonDocument::Compact),
                   timeoutMs);
}

void TestHttpClient::onReadyRead()
{
    if (m_socket)
        m_buffer += m_socket->readAll();
    parse();
}

void TestHttpClient::parse()
{
    if (!m_headDone) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        m_response.status = lines.value(0).split(' ').value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                m_response.headers.append(
                    {line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
        }
        m_buffer.remove(0, end + 4);
        m_headDone = true;
        m_chunked = m_response.header("transfer-encoding").toLower() == "chunked";
        const QByteArray length = m_response.header("content-length");
        m_length = length.isEmpty() ? -1 : length.toLongLong();
        if (m_method == "HEAD" || m_response.status == 204 || m_response.status == 304)
            m_length = 0;
    }
    if (m_chunked) {
        for (;;) {
            const qsizetype eol = m_buffer.indexOf("\r\n");
            if (eol < 0)
                return;
            bool ok = false;
            const qint64 size = m_buffer.left(eol).toLongLong(&ok, 16);
            if (!ok)
                return;
            if (size == 0) {
                if (m_buffer.size() >= eol + 4)
                    m_response.complete = true;
                return;
            }
            if (m_buffer.size() < eol + 2 + size + 2)
                return;
            m_response.body += m_buffer.mid(eol + 2, size);
            m_buffer.remove(0, eol + 2 + size + 2);
        }
    }
    if (m_length >= 0) {
        const qint64 take = qMin<qint64>(m_length - m_response.body.size(), m_buffer.size());
        m_response.body += m_buffer.left(take);
        m_buffer.remove(0, take);
        if (m_response.body.size() == m_length)
            m_response.complete = true;
    } else if (!m_chunked) {
        m_response.body += m_buffer;
        m_buffer.clear();
        if (m_response.closed)
            m_response.complete = true;
    }
}

bool TestHttpClient::waitForBody(QByteArrayView needle, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!m_response.body.contains(needle) && !m_response.complete && !m_response.closed &&
           clock.elapsed() < timeoutMs)
        QTest::qWait(5);
    return m_response.body.contains(needle);
}

bool TestHttpClient::waitForComplete(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!m_response.complete && !m_response.closed && clock.elapsed() < timeoutMs)
        QTest::qWait(2);
    if (m_response.closed && !m_response.complete)
        parse();
    return m_response.complete;
}

void TestHttpClient::closeConnection()
{
    if (!m_socket)
        return;
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
}

void TestHttpClient::sendRaw(const QByteArray &bytes)
{
    if (m_socket) {
        m_socket->write(bytes);
        m_socket->flush();
    }
}

bool TestHttpClient::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}
