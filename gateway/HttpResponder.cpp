#include "HttpResponder.h"

#include "HttpConnection.h"

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

HttpResponder::HttpResponder(HttpConnection *connection, bool head, bool keepAlive)
    : QObject(connection)
    , m_connection(connection)
    , m_head(head)
    , m_keepAlive(keepAlive)
{}

QByteArray HttpResponder::head(int status, const HeaderList &headers,
                               const QByteArray &framing) const
{
    QByteArray out;
    out.reserve(256);
    out += "HTTP/1.1 ";
    out += QByteArray::number(status);
    out += ' ';
    out += httpReasonPhrase(status);
    out += "\r\n";
    for (const auto &h : headers) {
        out += h.first;
        out += ": ";
        out += h.second;
        out += "\r\n";
    }
    out += framing;
    out += m_keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    return out;
}

void HttpResponder::respond(int status, const HeaderList &headers, const QByteArray &body)
{
    if (!isOpen() || m_headersSent)
        return;
    m_headersSent = true;
    m_complete = true;
    QByteArray out =
        head(status, headers, "Content-Length: " + QByteArray::number(body.size()) + "\r\n");
    if (!m_head)
        out += body;
    m_connection->writeResponse(out, true, m_keepAlive);
}

void HttpResponder::beginChunked(int status, const HeaderList &headers)
{
    if (!isOpen() || m_headersSent)
        return;
    m_headersSent = true;
    if (m_head) {
        m_complete = true;
        m_connection->writeResponse(head(status, headers, "Content-Length: 0\r\n"), true,
                                    m_keepAlive);
        return;
    }
    m_connection->writeResponse(head(status, headers, "Transfer-Encoding: chunked\r\n"), false,
                                m_keepAlive);
}

void HttpResponder::writeChunk(const QByteArray &data)
{
    if (!isOpen() || !m_headersSent || data.isEmpty())
        return;
    QByteArray frame;
    frame.reserve(data.size() + 12);
    frame += QByteArray::number(data.size(), 16);
    frame += "\r\n";
    frame += data;
    frame += "\r\n";
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

} // namespace portico
