#pragma once

#include <QAbstractSocket>
#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>

class QSocketNotifier;
struct sockaddr;

namespace portico {

// A plain TCP connection on a non-blocking descriptor, for the gateway's hot path: reads go from
// the kernel into the caller's buffer, writes go straight to the kernel and only what the kernel
// did not take is kept, readiness comes from one DirectSocketNotifier (a second one only while
// output is pending). It replaces QTcpSocket on the relay path, which costs two FIONREAD ioctls per
// read, a socket engine and up to three notifiers per connection, and a signal per step.
//
// Signals are never emitted from inside a call (write(), connectToHost()); they come from the
// event loop of the thread the object lives in. After abort() no signal is emitted.
class TcpStream : public QObject
{
    Q_OBJECT
public:
    explicit TcpStream(QObject *parent = nullptr);
    ~TcpStream() override; // closes the descriptor

    // Told of readiness to read instead of readyRead() (no signal emission on the relay path).
    class Listener
    {
    public:
        virtual void streamReadable() = 0;

    protected:
        ~Listener() = default;
    };
    // Must outlive this stream, or be unset (nullptr: readyRead() again).
    void setListener(Listener *listener) { m_listener = listener; }

    // Takes a connected descriptor (from accept()). False if it is not usable (the caller still
    // owns it then). With `peer` (the address accept4() gave), the descriptor must already be
    // non-blocking.
    bool adopt(qintptr descriptor, const sockaddr *peer = nullptr);
    // Connects to `host` (an address, or a name resolved with QHostInfo, each address tried in
    // turn). Emits connected() or errorOccurred().
    void connectToHost(const QString &host, quint16 port);

    bool isOpen() const { return m_fd >= 0; }
    bool isConnected() const { return m_fd >= 0 && m_connected; }
    QHostAddress peerAddress() const { return m_peer; }
    QAbstractSocket::SocketError error() const { return m_error; }
    QString errorString() const { return m_errorString; }

    // Appends what the kernel holds to `buffer`. Returns the bytes appended (0: nothing there
    // yet), or -1 at the end of the stream or on an error (error() tells which:
    // RemoteHostClosedError for an orderly close).
    qint64 readInto(QByteArray &buffer);
    // Sends `data`; what the kernel does not take now (or all of it, while connecting) is kept
    // and sent as the socket drains. False on an error (errorOccurred() follows from the event
    // loop) or once the stream is closed.
    bool write(QByteArrayView data);
    qint64 bytesToWrite() const { return m_pending.size(); }
    // Closes once everything written has gone to the kernel: at once if nothing is pending,
    // else later, with closed().
    void closeAfterWrite();
    // Closes at once; no signal follows.
    void abort();

signals:
    void connected();
    // Data, the end of the stream or an error can be read: call readInto() (until it returns
    // less than it could).
    void readyRead();
    void errorOccurred(QAbstractSocket::SocketError error);
    // A closeAfterWrite() that had to wait is done.
    void closed();

private:
    void setDescriptor(int fd, bool connected);
    bool startConnect(); // the next address in m_addresses; false when none is left
    void onReadable();
    void onWritable();
    static void readable(void *self) { static_cast<TcpStream *>(self)->onReadable(); }
    static void writable(void *self) { static_cast<TcpStream *>(self)->onWritable(); }
    void flushPending();
    void failLater(QAbstractSocket::SocketError error, int errnoValue);
    void closeDescriptor();

    int m_fd = -1;
    bool m_connected = false;
    bool m_closeAfterWrite = false;
    bool m_aborted = false;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr; // only while connecting or output is pending
    Listener *m_listener = nullptr;
    QByteArray m_pending; // accepted by write(), not yet by the kernel
    QHostAddress m_peer;
    quint16 m_port = 0;
    QList<QHostAddress> m_addresses; // still to try while connecting
    int m_lookupId = -1;
    QAbstractSocket::SocketError m_error = QAbstractSocket::UnknownSocketError;
    QString m_errorString;
};

} // namespace portico
