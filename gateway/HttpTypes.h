#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QPair>

#include <array>
#include <cstring>

namespace portico {

// RFC 9110 tchar: the characters of a method or a header name. A table, because it is asked of
// every character of every header of every request and response.
inline bool isHttpTokenChar(char c)
{
    static constexpr auto table = [] {
        std::array<bool, 256> t{};
        for (int ch = '0'; ch <= '9'; ++ch)
            t[size_t(ch)] = true;
        for (int ch = 'a'; ch <= 'z'; ++ch)
            t[size_t(ch)] = t[size_t(ch - 'a' + 'A')] = true;
        for (const char ch :
             {'!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~'})
            t[size_t(static_cast<unsigned char>(ch))] = true;
        return t;
    }();
    return table[static_cast<unsigned char>(c)];
}

// Appends `size` bytes to `buffer`. Into an empty buffer without room, as an array of their own
// size: append() takes Qt's growth path there, twice the instructions, and most reads and body
// slices arrive at an empty buffer.
inline void appendBytes(QByteArray &buffer, const char *data, qsizetype size)
{
    if (buffer.isEmpty() && buffer.capacity() < size)
        buffer = QByteArray(data, size);
    else
        buffer.append(data, size);
}

// QByteArrayView::indexOf(char) goes through Qt's general substring search; memchr is direct.
inline qsizetype indexOfByte(QByteArrayView text, char c)
{
    const void *found = std::memchr(text.data(), c, size_t(text.size()));
    return found ? static_cast<const char *>(found) - text.data() : -1;
}

// Where the first CRLF at or after `from` starts, or -1. A bare LF is not a line end. memchr()
// for the LF: QByteArrayView::indexOf() with a two-byte needle costs ten times as much on a head.
inline qsizetype indexOfCrlf(QByteArrayView text, qsizetype from = 0)
{
    for (qsizetype at = from; at < text.size();) {
        const qsizetype lf = indexOfByte(text.sliced(at), '\n');
        if (lf < 0)
            return -1;
        at += lf;
        if (at > from && text[at - 1] == '\r')
            return at - 1;
        ++at;
    }
    return -1;
}

// Where the CRLF CRLF that ends a request head starts, or -1 (memmem() costs as much as above).
inline qsizetype indexOfHeadEnd(QByteArrayView text)
{
    // A CRLF is never followed by another that starts one byte later.
    for (qsizetype at = indexOfCrlf(text); at >= 0; at = indexOfCrlf(text, at + 2)) {
        if (at + 3 < text.size() && text[at + 2] == '\r' && text[at + 3] == '\n')
            return at;
    }
    return -1;
}

// Header tokens ("close", "chunked") compare without regard to case.
inline bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

// Calls `f` with each trimmed element of a comma-separated header value.
template<typename F> void forEachListElement(QByteArrayView value, F f)
{
    while (!value.isEmpty()) {
        const qsizetype comma = indexOfByte(value, ',');
        f(value.first(comma < 0 ? value.size() : comma).trimmed());
        if (comma < 0)
            break;
        value = value.sliced(comma + 1);
    }
}

// Whether `name` (a token) is `lower` (a lower-case name of letters, digits and '-') in any
// ASCII case.
// OR-ing 0x20 lower-cases a letter and keeps a digit or '-'; the only other token characters it
// changes ('^', '_') become characters no such name has. Eight bytes at a time.
inline bool isHeaderNameIgnoringCase(QByteArrayView name, QByteArrayView lower)
{
    const qsizetype n = name.size();
    if (n != lower.size())
        return false;
    qsizetype i = 0;
    for (; i + 8 <= n; i += 8) {
        quint64 a, b;
        std::memcpy(&a, name.data() + i, 8);
        std::memcpy(&b, lower.data() + i, 8);
        if ((a | 0x2020202020202020ULL) != b)
            return false;
    }
    for (; i < n; ++i) {
        if (char(name[i] | 0x20) != lower[i])
            return false;
    }
    return true;
}

// A header name lower-cased in the copy (ASCII: header names are tokens). The names nearly every
// request and response carries come from a table of literals and cost no allocation; others take
// one pass and one allocation (QByteArray::toLower() costs a second pass through Qt's generic
// case mapping).
inline QByteArray lowerCaseHeaderName(QByteArrayView name)
{
#define PORTICO_KNOWN_NAME(literal)                                                                \
    if (isHeaderNameIgnoringCase(name, literal))                                                   \
        return QByteArrayLiteral(literal);
    switch (name.size()) {
    case 4:
        PORTICO_KNOWN_NAME("host")
        PORTICO_KNOWN_NAME("date")
        break;
    case 6:
        PORTICO_KNOWN_NAME("accept")
        PORTICO_KNOWN_NAME("server")
        PORTICO_KNOWN_NAME("expect")
        break;
    case 10:
        PORTICO_KNOWN_NAME("connection")
        PORTICO_KNOWN_NAME("user-agent")
        PORTICO_KNOWN_NAME("keep-alive")
        break;
    case 12:
        PORTICO_KNOWN_NAME("content-type")
        PORTICO_KNOWN_NAME("x-request-id")
        break;
    case 13:
        PORTICO_KNOWN_NAME("authorization")
        PORTICO_KNOWN_NAME("cache-control")
        break;
    case 14:
        PORTICO_KNOWN_NAME("content-length")
        break;
    case 15:
        PORTICO_KNOWN_NAME("accept-encoding")
        break;
    case 17:
        PORTICO_KNOWN_NAME("transfer-encoding")
        break;
    default:
        break;
    }
#undef PORTICO_KNOWN_NAME
    QByteArray lower(name.size(), Qt::Uninitialized);
    char *out = lower.data();
    for (const char c : name)
        *out++ = (c >= 'A' && c <= 'Z') ? char(c + ('a' - 'A')) : c;
    return lower;
}

// A request method, path or header value as a QByteArray: the ones nearly every request to the
// gateway carries are literals (no allocation; compared exactly, case included), others a copy.
inline QByteArray commonRequestText(QByteArrayView text)
{
#define PORTICO_KNOWN_TEXT(literal)                                                                \
    if (text == QByteArrayView(literal))                                                           \
        return QByteArrayLiteral(literal);
    switch (text.size()) {
    case 3:
        PORTICO_KNOWN_TEXT("GET")
        PORTICO_KNOWN_TEXT("*/*")
        break;
    case 4:
        PORTICO_KNOWN_TEXT("POST")
        PORTICO_KNOWN_TEXT("HEAD")
        break;
    case 5:
        PORTICO_KNOWN_TEXT("close")
        break;
    case 7:
        PORTICO_KNOWN_TEXT("OPTIONS")
        PORTICO_KNOWN_TEXT("chunked")
        break;
    case 8:
        PORTICO_KNOWN_TEXT("/healthz")
        break;
    case 10:
        PORTICO_KNOWN_TEXT("/v1/models")
        PORTICO_KNOWN_TEXT("keep-alive")
        break;
    case 16:
        PORTICO_KNOWN_TEXT("application/json")
        break;
    case 17:
        PORTICO_KNOWN_TEXT("text/event-stream")
        break;
    case 20:
        PORTICO_KNOWN_TEXT("/v1/chat/completions")
        break;
    default:
        break;
    }
#undef PORTICO_KNOWN_TEXT
    return text.toByteArray();
}

// Header names are stored lower-cased; values as received (trimmed).
using HeaderList = QList<QPair<QByteArray, QByteArray>>;

inline QByteArray headerValue(const HeaderList &headers, QByteArrayView lowerName)
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return {};
}

// The same without a copy: a view into `headers`, valid while they are.
inline QByteArrayView headerView(const HeaderList &headers, QByteArrayView lowerName)
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return {};
}

inline bool hasHeader(const HeaderList &headers, QByteArrayView lowerName)
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return true;
    }
    return false;
}

// The credential a connection last presented and the client name it verified as, so that a
// keep-alive client's token is not hashed again on every request (SHA-256 was a tenth of a
// request's work). Valid for one GatewayState only: a change of tokens builds a new state.
struct CredentialMemo
{
    quint64 stateSerial = 0; // GatewayState::serial it was verified against; 0: none
    QByteArray presented;
    QString name;
};

// One parsed client request. It is a value: the connection hands it over and forgets it.
struct HttpRequest
{
    QByteArray method;
    QByteArray path;  // the target without its query, percent-encoding kept
    QByteArray query; // after '?', may be empty
    HeaderList headers;
    QByteArray body;
    QHostAddress peer;
    QString peerText; // peer.toString(), worked out once per connection (may be empty)
    // The connection's memo (or null): only for the handler's synchronous part, while the
    // connection is sure to exist (RequestGuard::check()).
    CredentialMemo *credentialMemo = nullptr;

    QByteArray header(QByteArrayView lowerName) const { return headerValue(headers, lowerName); }
    QString peerString() const { return peerText.isEmpty() ? peer.toString() : peerText; }
};

} // namespace portico
