#include "FakeHttpServer.h"

#include <QTcpSocket>
#include <QTimer>

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return QByteArrayLiteral("OK");
    case 204:
        return QByteArrayLiteral("No Content");
    case 302:
        return QByteArrayLiteral("Found");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 500:
        return QByteArrayLiteral("Internal Server Error");
    default:
        return QByteArrayLiteral("Status");
    }
}

} // namespace

QByteArray FakeHttpServer::response(int status, const QByteArray &body,
                                    const QList<QByteArray> &headers)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
                     "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const QByteArray &line : headers)
        out += line + "\r\n";
    return out + "\r\n" + body;
}

FakeHttpServer::Script FakeHttpServer::chunked(int status, const QList<QByteArray> &chunks,
                                               int delayMs)
{
    Script script{write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
                        "\r\nTransfer-Encoding: chunked\r\n\r\n")};
    for (const QByteArray &chunk : chunks) {
        if (delayMs > 0)
            script.append(wait(delayMs));
        script.append(write(QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n"));
    }
    if (delayMs > 0)
        script.append(wait(delayMs));
    script.append(write("0\r\n\r\n"));
    return script;
}

FakeHttpServer::FakeHttpServer(QObject *parent)
    : QObject(parent)
{
    setScript({write(response(200, "ok"))});
    connect(&m_server, &QTcpServer::newConnection, this, &FakeHttpServer::onNewConnection);
    m_server.setListenBacklogSize(1024); // bursts of connections, as in the 1,000-stream tests
    if (!m_server.listen(QHostAddress::LocalHost, 0))
        qFatal("FakeHttpServer cannot listen: %s", qPrintable(m_server.errorString()));
}

FakeHttpServer::~FakeHttpServer()
{
    shutdown();
}

void FakeHttpServer::setScript(const Script &script)
{
    m_handler = [script](const Request &) { return script; };
}

QUrl FakeHttpServer::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path));
}

void FakeHttpServer::releaseHeld()
{
    const auto held = std::exchange(m_held, {});
    for (const auto &[socket, request] : held) {
        if (m_connections.contains(socket))
            answer(socket, request);
    }
}

void FakeHttpServer::shutdown()
{
    m_server.close();
    const auto sockets = m_connections.keys();
    m_connections.clear();
    for (QTcpSocket *socket : sockets) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
}

void FakeHttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_connections.insert(socket, Connection{{}, ++m_connectionCount, false, false});
        connect(socket, &QIODevice::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QAbstractSocket::disconnected, this, [this, socket] {
            if (m_connections.remove(socket)) {
                ++m_clientDisconnects;
                emit clientDisconnected();
            }
            socket->deleteLater();
        });
    }
}

void FakeHttpServer::onReadyRead(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    it->buffer += socket->readAll();
    parseRequests(socket);
}

void FakeHttpServer::parseRequests(QTcpSocket *socket)
{
    for (;;) {
        auto it = m_connections.find(socket);
        if (it == m_connections.end() || it->busy || it->dead)
            return;
        QByteArray &buffer = it->buffer;
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return;
        Request request;
        const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        request.method = requestLine.value(0);
        request.target = requestLine.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                request.headers.append(
                    {lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed()});
        }
        const qsizetype length = request.header("content-length").toLongLong();
        if (buffer.size() < headEnd + 4 + length)
            return;
        request.body = buffer.mid(headEnd + 4, length);
        buffer.remove(0, headEnd + 4 + length);
        request.connection = it->index;
        it->busy = true;
        m_requests.append(request);
        emit requestReceived();
        if (m_hold)
            m_held.append({socket, request});
        else
            answer(socket, request);
    }
}

void FakeHttpServer::answer(QTcpSocket *socket, const Request &request)
{
    runSteps(socket, m_handler(request), 0);
}

void FakeHttpServer::runSteps(QTcpSocket *socket, Script steps, int from)
{
    for (int i = from; i < steps.size(); ++i) {
        const auto it = m_connections.find(socket);
        if (it == m_connections.end())
            return;
        const Step &step = steps[i];
        switch (step.kind) {
        case Step::Kind::Write:
            socket->write(step.data);
            socket->flush();
            break;
        case Step::Kind::Wait:
            QTimer::singleShot(step.ms, socket,
                               [this, socket, steps, i] { runSteps(socket, steps, i + 1); });
            return;
        case Step::Kind::Close:
            m_connections.erase(it);
            socket->disconnectFromHost();
            return;
        case Step::Kind::Stall:
            it->dead = true;
            return;
        }
    }
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    it->busy = false;
    parseRequests(socket);
}
