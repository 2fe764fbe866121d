#pragma once

// Incremental decoder for HTTP/1.1 chunked transfer coding (RFC 9112 section 7.1).

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <string>
#include <string_view>

namespace portico::bench {

class ChunkedDecoder
{
public:
    enum class Status { NeedMore, Done, Error };

    void reset() { *this = ChunkedDecoder(); }

    // Consumes bytes from `in`, appends payload to `out`, and sets `consumed` to the number of
    // bytes used. Done once the last chunk and the trailer section were read; bytes after that
    // belong to the next message and are not consumed.
    Status feed(std::string_view in, std::string &out, size_t &consumed)
    {
        consumed = 0;
        while (consumed < in.size()) {
            const std::string_view rest = in.substr(consumed);
            switch (m_state) {
            case State::Size: {
                const size_t eol = rest.find("\r\n");
                if (eol == std::string_view::npos)
                    return rest.size() > 1024 ? Status::Error : Status::NeedMore;
                const std::string line(rest.substr(0, eol));
                char *end = nullptr;
                const unsigned long long size = std::strtoull(line.c_str(), &end, 16);
                if (end == line.c_str() || size > (1ULL << 32))
                    return Status::Error;
                m_remaining = static_cast<size_t>(size);
                consumed += eol + 2;
                m_state = size == 0 ? State::Trailer : State::Data;
                break;
            }
            case State::Data: {
                const size_t take = std::min(m_remaining, rest.size());
                out.append(rest.substr(0, take));
                consumed += take;
                m_remaining -= take;
                if (m_remaining == 0)
                    m_state = State::DataEnd;
                break;
            }
            case State::DataEnd:
                if (rest.size() < 2)
                    return Status::NeedMore;
                if (rest.substr(0, 2) != "\r\n")
                    return Status::Error;
                consumed += 2;
                m_state = State::Size;
                break;
            case State::Trailer: {
                const size_t eol = rest.find("\r\n");
                if (eol == std::string_view::npos)
                    return rest.size() > 8192 ? Status::Error : Status::NeedMore;
                consumed += eol + 2;
                if (eol == 0) {
                    m_state = State::Finished;
                    return Status::Done;
                }
                break;
            }
            case State::Finished:
                return Status::Done;
            }
        }
        return m_state == State::Finished ? Status::Done : Status::NeedMore;
    }

private:
    enum class State { Size, Data, DataEnd, Trailer, Finished };
    State m_state = State::Size;
    size_t m_remaining = 0;
};

} // namespace portico::bench
