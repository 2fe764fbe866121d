#pragma once

#include <QObject>
#include <QString>

class QLocalServer;

// One tray application per user. The first instance listens on a local socket in the user's
// runtime directory; a later launch connects to it, asks it to show its settings window and
// exits.
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    explicit SingleInstance(const QString &socketPath = defaultSocketPath(),
                            QObject *parent = nullptr);
    ~SingleInstance() override;

    // True when this is the first instance (it now listens); false when another one runs (it
    // has been asked to show itself).
    bool claim();
    bool isPrimary() const { return m_server != nullptr; }
    const QString &socketPath() const { return m_socketPath; }

    // $XDG_RUNTIME_DIR/portico.sock, else <temp>/portico-<uid>.sock.
    static QString defaultSocketPath();

signals:
    // A later launch asked for the settings window.
    void showRequested();

private:
    bool tellRunningInstance();
    void onNewConnection();

    QString m_socketPath;
    QLocalServer *m_server = nullptr;
};
