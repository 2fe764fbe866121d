#include "SingleInstance.h"

#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTimer>

#include <unistd.h>

namespace {
constexpr int kConnectTimeoutMs = 1'000;
const QByteArray kShow = QByteArrayLiteral("show\n");
} // namespace

SingleInstance::SingleInstance(const QString &socketPath, QObject *parent)
    : QObject(parent)
    , m_socketPath(socketPath)
{}

SingleInstance::~SingleInstance()
{
    if (m_server)
        m_server->close(); // removes the socket file
}

QString SingleInstance::defaultSocketPath()
{
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtime.isEmpty() && QDir(runtime).exists())
        return runtime + QStringLiteral("/portico.sock");
    return QDir::tempPath() + QStringLiteral("/portico-%1.sock").arg(getuid());
}

bool SingleInstance::tellRunningInstance()
{
    QLocalSocket socket;
    socket.connectToServer(m_socketPath);
    if (!socket.waitForConnected(kConnectTimeoutMs))
        return false;
    socket.write(kShow);
    const bool written = socket.waitForBytesWritten(kConnectTimeoutMs);
    socket.disconnectFromServer();
    return written;
}

bool SingleInstance::claim()
{
    if (m_server)
        return true;
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (tellRunningInstance())
            return false;
        // Nobody answers: a socket file left by a crashed instance is stale.
        QLocalServer::removeServer(m_socketPath);
        auto *server = new QLocalServer(this);
        server->setSocketOptions(QLocalServer::UserAccessOption);
        if (server->listen(m_socketPath)) {
            m_server = server;
            connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::onNewConnection);
            return true;
        }
        delete server; // another instance won the race: tell it instead
    }
    // Neither listening nor reaching another instance: run anyway rather than not at all.
    return true;
}

void SingleInstance::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        const auto handle = [this, socket] {
            if (!socket->canReadLine())
                return;
            if (socket->readLine(64) == kShow)
                emit showRequested();
            socket->disconnectFromServer();
        };
        connect(socket, &QLocalSocket::readyRead, this, handle);
        // A client that connects and says nothing is dropped.
        QTimer::singleShot(kConnectTimeoutMs * 5, socket, &QLocalSocket::abort);
        handle();
    }
}
