#pragma once

// Incremental reader of one HTTP/1.1 response: status line and headers, a body framed by
// chunked coding, Content-Length or connection close, and the Server-Sent Events inside it
// (counts `data:` events and notices `data: [DONE]`; comments and other fields are ignored).

#include "BenchCommon.h"
#include "ChunkedDecoder.h"

namespace portico::bench {

class SseResponseReader
{
public:
    enum class Result { NeedMore, Complete, Error };

    void reset() { *this = SseResponseReader(); }

    Result feed(std::string_view data)
    {
        if (!m_haveHead) {
            m_buf.append(data);
            const size_t end = m_buf.find("\r\n\r\n");
            if (end == std::string::npos)
                return m_buf.size() > 65536 ? Result::Error : Result::NeedMore;
            if (!parseHead(std::string_view(m_buf).substr(0, end + 2)))
                return Result::Error;
            const std::string rest = m_buf.substr(end + 4);
            m_buf.clear();
            return bodyBytes(rest);
        }
        return bodyBytes(data);
    }

    // The peer closed the connection: complete only if the body was delimited by the close.
    Result finishOnEof() const
    {
        return m_haveHead && !m_chunked && m_contentLength < 0 ? Result::Complete : Result::Error;
    }

    int status() const { return m_status; }
    bool keepAlive() const { return m_keepAlive; }
    int dataEvents() const { return m_events; }
    bool doneSeen() const { return m_done; }
    bool sawData() const { return m_events > 0 || m_done; }
    const std::string &body() const { return m_body; }

private:
    bool parseHead(std::string_view head)
    {
        // "HTTP/1.1 200 OK"
        if (!head.starts_with("HTTP/1.") || head.size() < 12)
            return false;
        m_status = std::atoi(std::string(head.substr(9, 3)).c_str());
        const bool http10 = head.starts_with("HTTP/1.0");
        const auto connection = headerValue(head, "connection");
        m_keepAlive = http10 ? (connection && iequals(*connection, "keep-alive"))
                             : !(connection && iequals(*connection, "close"));
        const auto te = headerValue(head, "transfer-encoding");
        m_chunked = te && iequals(*te, "chunked");
        if (const auto cl = headerValue(head, "content-length"); cl && !m_chunked)
            m_contentLength = std::strtoll(std::string(*cl).c_str(), nullptr, 10);
        if (m_status == 204 || m_status == 304)
            m_contentLength = 0;
        m_haveHead = true;
        return true;
    }

    Result bodyBytes(std::string_view data)
    {
        if (m_chunked) {
            std::string decoded;
            size_t used = 0;
            const auto st = m_decoder.feed(data, decoded, used);
            payload(decoded);
            if (st == ChunkedDecoder::Status::Error)
                return Result::Error;
            return st == ChunkedDecoder::Status::Done ? Result::Complete : Result::NeedMore;
        }
        if (m_contentLength >= 0) {
            const auto left = static_cast<size_t>(m_contentLength - m_bodyRead);
            const std::string_view mine = data.substr(0, std::min(left, data.size()));
            m_bodyRead += static_cast<long long>(mine.size());
            payload(mine);
            return m_bodyRead >= m_contentLength ? Result::Complete : Result::NeedMore;
        }
        payload(data);
        return Result::NeedMore;
    }

    void payload(std::string_view data)
    {
        if (m_body.size() < 65536)
            m_body.append(data.substr(0, 65536 - m_body.size()));
        for (const char ch : data) {
            if (ch != '\r')
                m_sse.push_back(ch);
        }
        size_t start = 0;
        size_t end = 0;
        while ((end = m_sse.find("\n\n", start)) != std::string::npos) {
            event(std::string_view(m_sse).substr(start, end - start + 1));
            start = end + 2;
        }
        m_sse.erase(0, start);
    }

    void event(std::string_view ev)
    {
        bool hasData = false;
        bool done = false;
        size_t pos = 0;
        while (pos < ev.size()) {
            const size_t nl = ev.find('\n', pos);
            std::string_view line = ev.substr(pos, nl - pos);
            pos = nl + 1;
            if (!line.starts_with("data:"))
                continue;
            line.remove_prefix(5);
            if (line.starts_with(' '))
                line.remove_prefix(1);
            hasData = true;
            done = done || line == "[DONE]";
        }
        if (done)
            m_done = true;
        else if (hasData)
            ++m_events;
    }

    bool m_haveHead = false;
    int m_status = 0;
    bool m_keepAlive = true;
    bool m_chunked = false;
    long long m_contentLength = -1;
    long long m_bodyRead = 0;
    ChunkedDecoder m_decoder;
    std::string m_buf;
    std::string m_sse;
    std::string m_body;
    int m_events = 0;
    bool m_done = false;
};

} // namespace portico::bench
