#include "HttpResponder.h"

#include "HttpConnection.h"

#include <charconv>
#include <cstring>

namespace portico {

const char *httpReasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    case 529:
        return "Overloaded";
    default:
        return status < 300 ? "OK" : status < 500 ? "Client Error" : "Server Error";
    }
}

// The connection deletes its current responder, DeferredDelete the finished ones.
HttpResponder::HttpResponder(HttpConnection *connection, bool head, bool keepAlive)
    : m_connection(connection)
    , m_head(head)
    , m_keepAlive(keepAlive)
{}

QByteArray HttpResponder::message(int status, const HeaderList &headers, const HeaderList &more,
                                  QByteArrayView framing, QByteArrayView body) const
{
    char code[16];
    const QByteArrayView statusCode(code,
                                    std::to_chars(code, code + sizeof code, status).ptr - code);
    const QByteArrayView reason(httpReasonPhrase(status));
    const QByteArrayView connection = m_keepAlive ? QByteArrayView("Connection: keep-alive\r\n\r\n")
                                                  : QByteArrayView("Connection: close\r\n\r\n");
    qsizetype size = 9 + statusCode.size() + 1 + reason.size() + 2 + framing.size() +
                     connection.size() + body.size();
    for (const HeaderList *list : {&headers, &more}) {
        for (const auto &h : *list)
            size += h.first.size() + 2 + h.second.size() + 2;
    }
    QByteArray out(size, Qt::Uninitialized);
    char *p = out.data();
    const auto put = [&p](QByteArrayView v) {
        std::memcpy(p, v.data(), size_t(v.size()));
        p += v.size();
    };
    put("HTTP/1.1 ");
    put(statusCode);
    put(" ");
    put(reason);
    put("\r\n");
    for (const HeaderList *list : {&headers, &more}) {
        for (const auto &h : *list) {
            put(h.first);
            put(": ");
            put(h.second);
            put("\r\n");
        }
    }
    put(framing);
    put(connection);
    put(body);
    if (p != out.data() + out.size())
        qFatal("HttpResponder: response head size miscounted");
    return out;
}

void HttpResponder::respond(int status, const HeaderList &headers, const QByteArray &body,
                            const HeaderList &more)
{
    if (!isOpen() || m_headersSent)
        return;
    m_headersSent = true;
    m_complete = true;
    char framing[48] = "Content-Length: ";
    char *end = std::to_chars(framing + 16, framing + sizeof framing - 2, body.size()).ptr;
    *end++ = '\r';
    *end++ = '\n';
    m_connection->writeResponse(message(status, headers, more,
                                        QByteArrayView(framing, end - framing),
                                        m_head ? QByteArrayView() : QByteArrayView(body)),
                                true, m_keepAlive);
}

void HttpResponder::beginChunked(int status, const HeaderList &headers, const HeaderList &more)
{
    if (!isOpen() || m_headersSent)
        return;
    m_headersSent = true;
    if (m_head) {
        m_complete = true;
        m_connection->writeResponse(message(status, headers, more, "Content-Length: 0\r\n"), true,
                                    m_keepAlive);
        return;
    }
    m_connection->writeResponse(message(status, headers, more, "Transfer-Encoding: chunked\r\n"),
                                false, m_keepAlive);
}

void HttpResponder::writeChunk(const QByteArray &data)
{
    const QByteArrayView part(data);
    writeChunk(&part, 1);
}

void HttpResponder::writeChunk(const QByteArrayView *parts, qsizetype count)
{
    qsizetype dataSize = 0;
    for (qsizetype i = 0; i < count; ++i)
        dataSize += parts[i].size();
    if (!isOpen() || !m_headersSent || dataSize == 0)
        return;
    char size[24];
    char *end = std::to_chars(size, size + sizeof size - 2, dataSize, 16).ptr;
    *end++ = '\r';
    *end++ = '\n';
    const qsizetype sizeLength = end - size;
    QByteArray frame(sizeLength + dataSize + 2, Qt::Uninitialized);
    char *p = frame.data();
    std::memcpy(p, size, size_t(sizeLength));
    p += sizeLength;
    for (qsizetype i = 0; i < count; ++i) {
        if (!parts[i].isEmpty())
            std::memcpy(p, parts[i].data(), size_t(parts[i].size()));
        p += parts[i].size();
    }
    std::memcpy(p, "\r\n", 2);
    m_connection->writeResponse(frame, false, m_keepAlive);
}

void HttpResponder::endChunked()
{
    if (!isOpen() || !m_headersSent)
        return;
    m_complete = true;
    m_connection->writeResponse(QByteArrayLiteral("0\r\n\r\n"), true, m_keepAlive);
}

void HttpResponder::abortStream()
{
    if (!isOpen())
        return;
    m_complete = true;
    m_connection->writeResponse({}, true, false);
}

void HttpResponder::detach()
{
    m_connection = nullptr;
}

void HttpResponder::notifyClientGone()
{
    if (m_attachment)
        m_attachment->responderClientGone();
}

} // namespace portico
