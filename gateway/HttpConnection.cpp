#include "HttpConnection.h"

#include "ApiError.h"
#include "DeferredDelete.h"
#include "HttpResponder.h"
#include "TcpStream.h"

#include <QTimerEvent>

#include <utility>

namespace portico {

namespace {

// Whether the comma-separated `list` (a Connection header) holds `token`, in any case.
bool hasToken(QByteArrayView list, QByteArrayView token)
{
    bool found = false;
    forEachListElement(
        list, [&](QByteArrayView part) { found = found || equalsIgnoringCase(part, token); });
    return found;
}

} // namespace

HttpConnection::HttpConnection(qintptr socketDescriptor, const HttpLimits &limits,
                               const HttpHandler &handler, QObject *parent, const sockaddr *peer)
    : QObject(parent)
    , m_limits(limits)
    , m_handler(handler)
{
    auto *socket = new TcpStream(this);
    if (!socket->adopt(socketDescriptor, peer)) {
        delete socket;
        return;
    }
    m_socket = socket;
    m_socket->setListener(this);
    connect(m_socket, &TcpStream::errorOccurred, this, &HttpConnection::onDisconnected);
    connect(m_socket, &TcpStream::closed, this, &HttpConnection::onDisconnected);
    armTimer(m_limits.keepAliveTimeoutMs);
}

HttpConnection::~HttpConnection()
{
    if (m_responder) {
        m_responder->detach();
        delete m_responder; // not a child (see HttpResponder)
    }
}

void HttpConnection::armTimer(int ms)
{
    // Once per request on a kept-alive connection: the timer already running is kept when it is
    // due within the slack (DeadlineTimer::settle), instead of being stopped and started.
    if (ms <= 0) {
        m_deadline = DeadlineTimer::None;
        m_timer.stop();
        return;
    }
    m_deadline = DeadlineTimer::now() + ms;
    m_slack = DeadlineTimer::slack(ms);
    m_timer.settle(m_deadline, ms, this);
}

void HttpConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId())
        return QObject::timerEvent(event);
    if (m_deadline == DeadlineTimer::None) {
        m_timer.stop();
        return;
    }
    if (!m_timer.expired(m_deadline - m_slack, this))
        return; // the deadline moved on: re-armed for what is left
    if (m_state == State::Head || m_state == State::Body || m_state == State::ChunkedBody)
        reject(408, "The request was not received in time.");
    else if (m_state == State::Idle || m_state == State::Closing)
        close(); // idle too long, or a closing client that does not take its last response
}

void HttpConnection::onReadyRead()
{
    if (!m_socket)
        return;
    if (m_socket->readInto(m_buffer) < 0) {
        onDisconnected();
        return;
    }
    if (m_state == State::Closing) {
        m_buffer.clear(); // nothing more is read from a connection being closed
        return;
    }
    // While a request is answered, what follows it waits here (pipelining). A client that keeps
    // sending is cut off rather than buffered without end.
    if (m_state == State::Dispatched &&
        m_buffer.size() > m_limits.maxHeaderBytes + m_limits.maxBodyBytes) {
        close();
        return;
    }
    processBuffer();
}

void HttpConnection::processBuffer()
{
    if (m_inProcess)
        return;
    m_inProcess = true;
    while (m_socket && m_state != State::Dispatched && m_state != State::Closing) {
        if (m_state == State::Idle) {
            // Tolerate stray CRLFs between requests (RFC 9112 §2.2).
            qsizetype skip = 0;
            while (skip < m_buffer.size() && (m_buffer[skip] == '\r' || m_buffer[skip] == '\n'))
                ++skip;
            if (skip)
                m_buffer.remove(0, skip);
            if (m_buffer.isEmpty())
                break;
            m_state = State::Head;
            m_headerTimerArmed = false;
        }
        if (m_state == State::Head) {
            const qsizetype end = indexOfHeadEnd(m_buffer);
            if (end < 0) {
                if (m_buffer.size() > m_limits.maxHeaderBytes)
                    reject(431, "The request head is larger than the limit.");
                break;
            }
            if (end + 4 > m_limits.maxHeaderBytes) {
                reject(431, "The request head is larger than the limit.");
                break;
            }
            if (!parseHead(end))
                break;
        }
        if (m_state == State::Body) {
            if (m_buffer.size() < m_contentLength)
                break;
            if (m_buffer.size() == m_contentLength) {
                // The usual case, nothing pipelined behind the body: the buffer itself, not a
                // shared copy that remove() then has to detach from.
                m_request.body = std::exchange(m_buffer, QByteArray());
            } else {
                m_request.body = m_buffer.left(m_contentLength);
                m_buffer.remove(0, m_contentLength);
            }
            dispatch();
        } else if (m_state == State::ChunkedBody) {
            if (!readChunkedBody())
                break;
            dispatch();
        }
    }
    // A request that has to wait for more bytes gets the header timeout, counted from its first
    // bytes and never extended. One that arrived whole (nearly all) goes without: the timer is
    // then left as it was, not stopped and started again for every request.
    if ((m_state == State::Head || m_state == State::Body || m_state == State::ChunkedBody) &&
        !m_headerTimerArmed) {
        m_headerTimerArmed = true;
        armTimer(m_limits.headerTimeoutMs);
    }
    m_inProcess = false;
}

bool HttpConnection::parseHead(qsizetype headEnd)
{
    const QByteArrayView head(m_buffer.constData(), headEnd);
    const qsizetype lineEnd = indexOfCrlf(head);
    const QByteArrayView requestLine = lineEnd < 0 ? head : head.first(lineEnd);
    const qsizetype sp1 = indexOfByte(requestLine, ' ');
    const qsizetype sp2 = requestLine.lastIndexOf(' ');
    if (sp1 <= 0 || sp2 <= sp1 + 1) {
        reject(400, "Malformed request line.");
        return false;
    }
    const QByteArrayView method = requestLine.first(sp1);
    const QByteArrayView target = requestLine.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = requestLine.sliced(sp2 + 1);
    for (char c : method) {
        if (!isHttpTokenChar(c)) {
            reject(400, "Malformed request method.");
            return false;
        }
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        reject(505, "Only HTTP/1.1 and HTTP/1.0 are supported.");
        return false;
    }
    if (!target.startsWith('/') || indexOfByte(target, ' ') >= 0) {
        reject(400, "Malformed request target.");
        return false;
    }

    m_request = HttpRequest();
    m_request.method = commonRequestText(method);
    const qsizetype q = indexOfByte(target, '?');
    m_request.path = commonRequestText(q < 0 ? target : target.first(q));
    if (q >= 0)
        m_request.query = target.sliced(q + 1).toByteArray();
    if (m_peerText.isEmpty())
        m_peerText = m_socket->peerAddress().toString();
    m_request.peer = m_socket->peerAddress();
    m_request.peerText = m_peerText;
    m_request.credentialMemo = &m_credentialMemo;

    qsizetype pos = lineEnd < 0 ? head.size() : lineEnd + 2;
    bool haveLength = false;
    bool chunked = false;
    qint64 length = 0;
    QByteArray connectionHeader;
    bool expectContinue = false;
    // The headers that frame the request or the connection: false once rejected.
    const auto readHeader = [&](const QByteArray &name, const QByteArray &value) {
        // The size first: most names are ruled out without a comparison.
        const auto is = [&name](QByteArrayView known) {
            return name.size() == known.size() && name == known;
        };
        if (is("content-length")) {
            // 1*DIGIT (RFC 9110 §8.6), no sign, no spaces: read by hand.
            bool ok = !value.isEmpty() && value.size() <= 18;
            qint64 n = 0;
            for (const char c : value) {
                ok = ok && c >= '0' && c <= '9';
                n = n * 10 + (c - '0');
            }
            if (!ok || (haveLength && n != length)) {
                reject(400, "Invalid Content-Length.");
                return false;
            }
            haveLength = true;
            length = n;
        } else if (is("transfer-encoding")) {
            if (value.compare("chunked", Qt::CaseInsensitive) != 0) {
                reject(501, "Only the chunked transfer coding is supported.");
                return false;
            }
            chunked = true;
        } else if (is("connection")) {
            connectionHeader = value;
        } else if (is("expect")) {
            expectContinue = value.compare("100-continue", Qt::CaseInsensitive) == 0;
        }
        return true;
    };
    // A kept-alive client sends mostly the same header lines as before, in the same order (Host,
    // User-Agent, its SDK's own): a line with the same bytes as the previous request's line in
    // its place was checked then, and its name and value are shared rather than parsed again
    // (with the OpenAI Python SDK's seventeen headers, about 600 instructions a line); a head
    // whose lines are all the previous one's shares its whole list.
    const qsizetype linesStart = pos;
    const QByteArrayView previousLines(m_previousLines);
    qsizetype previousPos = 0;
    bool sameLines = true; // every line so far the previous request's in its place
    qsizetype lines = 0;
    while (pos < head.size()) {
        // The head ends with CRLF CRLF, so every line but the last one found here ends in CRLF;
        // a bare LF inside a line is not a line end.
        qsizetype eol = indexOfCrlf(head, pos);
        if (eol < 0)
            eol = head.size();
        const QByteArrayView line = head.sliced(pos, eol - pos);
        // With its CRLF (the last line's is just past the head, in the buffer): no CRLF is inside
        // a line, so equal bytes here mean the previous line ended at the same place.
        const QByteArrayView lineWithEnd(m_buffer.constData() + pos, eol - pos + 2);
        pos = eol + 2;
        const qsizetype index = lines++;
        if (index < m_previousHeaders.size()) {
            if (previousLines.sliced(previousPos).startsWith(lineWithEnd)) {
                previousPos += lineWithEnd.size();
                const auto &[name, value] = m_previousHeaders.at(index);
                if (!readHeader(name, value))
                    return false;
                if (!sameLines)
                    m_request.headers.append({name, value});
                continue;
            }
            const qsizetype end = indexOfCrlf(previousLines, previousPos); // keep in step
            previousPos = end < 0 ? previousLines.size() : end + 2;
        }
        if (sameLines) {
            // The lines so far were the previous request's: their headers, then this one's.
            sameLines = false;
            m_request.headers = m_previousHeaders.first(index);
            m_request.headers.reserve(16); // one allocation for nearly every request's headers
        }
        const qsizetype colon = indexOfByte(line, ':');
        if (colon <= 0) {
            reject(400, "Malformed header line.");
            return false;
        }
        const QByteArrayView rawName = line.first(colon);
        for (char c : rawName) {
            if (!isHttpTokenChar(c)) {
                reject(400, "Malformed header name.");
                return false;
            }
        }
        QByteArray name = lowerCaseHeaderName(rawName);
        QByteArray value = commonRequestText(line.sliced(colon + 1).trimmed());
        if (!readHeader(name, value))
            return false;
        m_request.headers.append({std::move(name), std::move(value)});
    }
    if (sameLines) // the whole list shared, or the part of it this request repeated
        m_request.headers =
            lines == m_previousHeaders.size() ? m_previousHeaders : m_previousHeaders.first(lines);
    if (!sameLines || lines != m_previousHeaders.size()) {
        // Kept for the next request only while it is small: an idle connection must not hold
        // a head of up to maxHeaderBytes (a client's heads are rarely over a kilobyte).
        const qsizetype size = head.size() + 2 - linesStart;
        m_previousLines = m_request.headers.isEmpty() || size > MaxRememberedHeadBytes
                              ? QByteArray()
                              : QByteArray(m_buffer.constData() + linesStart, size);
    }
    m_previousHeaders = m_previousLines.isEmpty() ? HeaderList() : m_request.headers;
    if (chunked && haveLength) {
        reject(400, "Content-Length and Transfer-Encoding together are not allowed.");
        return false;
    }
    if (!m_request.headers.isEmpty() && !hasHeader(m_request.headers, "host") &&
        version == "HTTP/1.1") {
        reject(400, "HTTP/1.1 requests need a Host header.");
        return false;
    }
    if (version == "HTTP/1.0")
        m_keepAlive = hasToken(connectionHeader, "keep-alive");
    else
        m_keepAlive = !hasToken(connectionHeader, "close");
    if (length > m_limits.maxBodyBytes) {
        reject(413, "The request body is larger than the limit of " +
                        QByteArray::number(m_limits.maxBodyBytes) + " bytes.");
        return false;
    }

    m_buffer.remove(0, headEnd + 4);
    m_contentLength = length;
    m_state = chunked ? State::ChunkedBody : State::Body;
    if (expectContinue && (chunked || length > m_buffer.size()))
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    return true;
}

// Decodes a chunked request body once it has arrived completely. Returns false while more
// bytes are needed (or after rejecting the request).
bool HttpConnection::readChunkedBody()
{
    QByteArray body;
    qsizetype pos = 0;
    for (;;) {
        const qsizetype eol = m_buffer.indexOf("\r\n", pos);
        if (eol < 0)
            return false;
        QByteArrayView sizeField = QByteArrayView(m_buffer).sliced(pos, eol - pos);
        if (const qsizetype semi = sizeField.indexOf(';'); semi >= 0)
            sizeField = sizeField.first(semi);
        bool ok = false;
        const qint64 size = sizeField.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0) {
            reject(400, "Malformed chunk size.");
            return false;
        }
        if (body.size() + size > m_limits.maxBodyBytes) {
            reject(413, "The request body is larger than the limit of " +
                            QByteArray::number(m_limits.maxBodyBytes) + " bytes.");
            return false;
        }
        if (size == 0) {
            // Skip trailers up to the empty line.
            const qsizetype end = m_buffer.indexOf("\r\n\r\n", eol);
            if (end < 0)
                return false;
            m_buffer.remove(0, end + 4);
            m_request.body = std::move(body);
            return true;
        }
        if (m_buffer.size() < eol + 2 + size + 2)
            return false;
        body.append(m_buffer.constData() + eol + 2, size);
        pos = eol + 2 + size + 2;
    }
}

void HttpConnection::dispatch()
{
    // The timer may still run (keep-alive or header timeout): it finds the request dispatched
    // and does nothing; the response's end arms the keep-alive timeout again.
    m_state = State::Dispatched;
    m_responder = new HttpResponder(this, m_request.method == "HEAD", m_keepAlive);
    HttpResponder *responder = m_responder;
    m_handler(std::move(m_request), responder);
}

void HttpConnection::writeResponse(const QByteArray &data, bool complete, bool keepAlive)
{
    if (!m_socket)
        return;
    if (!data.isEmpty()) {
        m_socket->write(data);
        if (m_socket->bytesToWrite() > m_limits.maxPendingOutputBytes) {
            close();
            return;
        }
    }
    if (!complete || !m_socket)
        return;
    if (m_responder) {
        m_responder->detach();
        DeferredDelete::deleteSoon(m_responder);
        m_responder = nullptr;
    }
    if (!keepAlive) {
        m_state = State::Closing;
        m_socket->closeAfterWrite();
        if (!m_socket->isOpen())
            onDisconnected();
        else
            armTimer(m_limits.headerTimeoutMs);
        return;
    }
    m_state = State::Idle;
    armTimer(m_limits.keepAliveTimeoutMs);
    if (!m_buffer.isEmpty())
        processBuffer();
}

void HttpConnection::reject(int status, const QByteArray &message)
{
    ApiError error;
    error.status = status;
    error.type = "invalid_request_error";
    error.message = QString::fromLatin1(message);
    const QByteArray body = error.toJson();
    m_keepAlive = false;
    m_state = State::Dispatched;
    auto *responder = new HttpResponder(this, false, false);
    m_responder = responder;
    responder->respond(status, {{"Content-Type", "application/json"}}, body);
}

void HttpConnection::onDisconnected()
{
    if (!m_socket)
        return;
    m_timer.stop();
    m_state = State::Closing;
    TcpStream *socket = m_socket;
    m_socket = nullptr;
    socket->setListener(nullptr);
    socket->abort();
    socket->deleteLater();
    if (m_responder) {
        HttpResponder *responder = m_responder;
        m_responder = nullptr;
        responder->detach();
        responder->notifyClientGone();
        DeferredDelete::deleteSoon(responder);
    }
    emit closed();
    deleteLater();
}

void HttpConnection::close()
{
    if (!m_socket)
        return;
    m_socket->abort();
    onDisconnected();
}

} // namespace portico
