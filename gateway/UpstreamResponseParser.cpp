#include "UpstreamResponseParser.h"

#include "HttpTypes.h"

#include <cctype>
#include <cstring>

namespace portico {

namespace {

// A short, printable excerpt of bytes the upstream sent, for error messages.
QString excerpt(QByteArrayView bytes)
{
    constexpr qsizetype maxLength = 60;
    QString text;
    text.reserve(qMin(bytes.size(), maxLength) + 1);
    for (qsizetype i = 0; i < bytes.size() && i < maxLength; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        text.append(c >= 0x20 && c < 0x7f ? QLatin1Char(char(c)) : QLatin1Char('?'));
    }
    if (bytes.size() > maxLength)
        text.append(QChar(0x2026));
    return text;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void appendBody(const QByteArray &data, const char *p, qint64 n, QByteArray &body)
{
    if (body.isEmpty() && p == data.constData() && n == data.size())
        body = data; // the whole read is body: share it
    else
        appendBytes(body, p, qsizetype(n));
}

} // namespace

void UpstreamResponseParser::reset(bool headRequest)
{
    *this = UpstreamResponseParser();
    m_headRequest = headRequest;
}

bool UpstreamResponseParser::keepAlive() const
{
    if (m_state != State::Done || m_extraData)
        return false;
    if (m_hasTransferEncoding && m_contentLength >= 0)
        return false; // ambiguous framing: do not trust the connection any further
    return m_http11 ? !m_closeToken : m_keepAliveToken;
}

UpstreamResponseParser::Result UpstreamResponseParser::feed(const QByteArray &data,
                                                            QByteArray &body)
{
    const char *p = data.constData();
    const char *const end = p + data.size();
    while (p < end) {
        switch (m_state) {
        case State::StatusLine:
        case State::Headers:
        case State::ChunkSize:
        case State::ChunkDataEnd:
        case State::Trailers: {
            QByteArrayView line;
            if (!takeLine(p, end, line, lineLimit()))
                return m_state == State::Failed ? Result::Error : Result::NeedMore;
            const Result result = handleLine(line);
            m_line.clear();
            if (result == Result::Error)
                return result;
            break;
        }
        case State::Body:
        case State::ChunkData: {
            const qint64 n = qMin<qint64>(m_remaining, end - p);
            appendBody(data, p, n, body);
            p += n;
            m_remaining -= n;
            if (m_remaining == 0)
                m_state = m_state == State::Body ? State::Done : State::ChunkDataEnd;
            break;
        }
        case State::UntilClose:
            appendBody(data, p, end - p, body);
            p = end;
            break;
        case State::Done:
            m_extraData = true;
            return Result::Complete;
        case State::Failed:
            return Result::Error;
        }
    }
    if (m_state == State::Done)
        return Result::Complete;
    return m_state == State::Failed ? Result::Error : Result::NeedMore;
}

UpstreamResponseParser::Result UpstreamResponseParser::finishAtEof()
{
    if (m_state == State::UntilClose) {
        m_state = State::Done;
        m_closeToken = true;
        m_keepAliveToken = false;
        return Result::Complete;
    }
    if (m_state == State::Done)
        return Result::Complete;
    if (m_state != State::Failed)
        m_error = QStringLiteral("the response ended early");
    return Result::Error;
}

qsizetype UpstreamResponseParser::lineLimit() const
{
    switch (m_state) {
    case State::ChunkSize:
        return MaxChunkLineBytes;
    case State::ChunkDataEnd:
        return 1; // just the CR before the LF
    default:
        return MaxHeaderBytes - m_headBytes;
    }
}

bool UpstreamResponseParser::takeLine(const char *&p, const char *end, QByteArrayView &line,
                                      qsizetype limit)
{
    const auto *nl = static_cast<const char *>(std::memchr(p, '\n', end - p));
    const qsizetype take = (nl ? nl : end) - p;
    if (m_line.size() + take > limit) {
        switch (m_state) {
        case State::ChunkSize:
            fail(QStringLiteral("chunk size line longer than %1 bytes").arg(MaxChunkLineBytes));
            break;
        case State::ChunkDataEnd:
            fail(QStringLiteral("chunk data longer than its declared size"));
            break;
        default:
            fail(QStringLiteral("response header larger than %1 KiB").arg(MaxHeaderBytes / 1024));
        }
        return false;
    }
    if (!nl) {
        m_line.append(p, take);
        p = end;
        return false;
    }
    if (m_line.isEmpty()) {
        line = QByteArrayView(p, take);
    } else {
        m_line.append(p, take);
        line = m_line;
    }
    p = nl + 1;
    if (m_state != State::ChunkSize && m_state != State::ChunkDataEnd)
        m_headBytes += line.size() + 1;
    if (line.endsWith('\r'))
        line.chop(1);
    return true;
}

UpstreamResponseParser::Result UpstreamResponseParser::handleLine(QByteArrayView line)
{
    switch (m_state) {
    case State::StatusLine:
        if (line.isEmpty())
            return Result::NeedMore; // tolerate blank lines before the status line
        return parseStatusLine(line);
    case State::Headers:
        return line.isEmpty() ? headerBlockEnded() : parseHeaderLine(line);
    case State::ChunkSize:
        return parseChunkSize(line);
    case State::ChunkDataEnd:
        if (!line.isEmpty())
            return fail(QStringLiteral("chunk data longer than its declared size"));
        m_state = State::ChunkSize;
        return Result::NeedMore;
    case State::Trailers:
        if (line.isEmpty())
            m_state = State::Done;
        return Result::NeedMore;
    default:
        return Result::NeedMore;
    }
}

UpstreamResponseParser::Result UpstreamResponseParser::parseStatusLine(QByteArrayView line)
{
    // HTTP/1.x SP 3DIGIT [SP reason-phrase]
    const bool ok = line.size() >= 12 && line.startsWith("HTTP/1.") &&
                    (line[7] == '0' || line[7] == '1') && line[8] == ' ' &&
                    std::isdigit(static_cast<unsigned char>(line[9])) &&
                    std::isdigit(static_cast<unsigned char>(line[10])) &&
                    std::isdigit(static_cast<unsigned char>(line[11])) &&
                    (line.size() == 12 || line[12] == ' ');
    if (!ok)
        return fail(QStringLiteral("malformed status line \"%1\"").arg(excerpt(line)));
    m_http11 = line[7] == '1';
    m_status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    if (m_status < 100 || m_status > 599)
        return fail(QStringLiteral("invalid status code %1").arg(m_status));
    m_state = State::Headers;
    return Result::NeedMore;
}

UpstreamResponseParser::Result UpstreamResponseParser::parseHeaderLine(QByteArrayView line)
{
    if (line.front() == ' ' || line.front() == '\t')
        return fail(QStringLiteral("folded header line \"%1\"").arg(excerpt(line)));
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return fail(QStringLiteral("malformed header line \"%1\"").arg(excerpt(line)));
    const QByteArrayView rawName = line.first(colon);
    for (const char c : rawName) {
        if (!isHttpTokenChar(c))
            return fail(QStringLiteral("malformed header name \"%1\"").arg(excerpt(rawName)));
    }
    const QByteArrayView value = line.sliced(colon + 1).trimmed();

    // Only the framing headers are read here; the rest are kept as they came (HeaderBlock).
    if (isHeaderNameIgnoringCase(rawName, "content-length")) {
        qint64 length = 0;
        bool valid = !value.isEmpty() && value.size() <= 18;
        for (const char c : value) {
            valid = valid && c >= '0' && c <= '9';
            length = length * 10 + (c - '0');
        }
        if (!valid || (m_contentLength >= 0 && m_contentLength != length))
            return fail(QStringLiteral("invalid Content-Length \"%1\"").arg(excerpt(value)));
        m_contentLength = length;
    } else if (isHeaderNameIgnoringCase(rawName, "transfer-encoding")) {
        m_hasTransferEncoding = true;
        forEachListElement(value, [this](QByteArrayView coding) {
            if (!coding.isEmpty())
                m_chunked = equalsIgnoringCase(coding, "chunked"); // only the last one counts
        });
    } else if (isHeaderNameIgnoringCase(rawName, "connection")) {
        forEachListElement(value, [this](QByteArrayView option) {
            m_closeToken = m_closeToken || equalsIgnoringCase(option, "close");
            m_keepAliveToken = m_keepAliveToken || equalsIgnoringCase(option, "keep-alive");
        });
    }
    m_headers.appendLine(line);
    return Result::NeedMore;
}

UpstreamResponseParser::Result UpstreamResponseParser::headerBlockEnded()
{
    if (m_status < 200) {
        if (m_status == 101)
            return fail(QStringLiteral("unexpected 101 Switching Protocols"));
        // An interim response: forget it and read the next status line.
        const int interim = m_interimResponses + 1;
        if (interim > MaxInterimResponses)
            return fail(QStringLiteral("more than %1 interim responses").arg(MaxInterimResponses));
        reset(m_headRequest);
        m_interimResponses = interim;
        return Result::NeedMore;
    }
    m_headersComplete = true;
    if (m_headRequest || m_status == 204 || m_status == 304) {
        m_state = State::Done;
    } else if (m_hasTransferEncoding) {
        m_state = m_chunked ? State::ChunkSize : State::UntilClose;
    } else if (m_contentLength >= 0) {
        m_remaining = m_contentLength;
        m_state = m_contentLength == 0 ? State::Done : State::Body;
    } else {
        m_state = State::UntilClose;
    }
    if (m_state == State::UntilClose) {
        m_closeToken = true;
        m_keepAliveToken = false;
    }
    return m_state == State::Done ? Result::Complete : Result::NeedMore;
}

UpstreamResponseParser::Result UpstreamResponseParser::parseChunkSize(QByteArrayView line)
{
    // chunk-size [ chunk-ext ] ; extensions are ignored
    qsizetype end = line.indexOf(';');
    const QByteArrayView digits = (end < 0 ? line : line.first(end)).trimmed();
    qint64 size = 0;
    bool valid = !digits.isEmpty() && digits.size() <= 15;
    for (const char c : digits) {
        const int v = hexValue(c);
        valid = valid && v >= 0;
        size = size * 16 + v;
    }
    if (!valid)
        return fail(QStringLiteral("invalid chunk size \"%1\"").arg(excerpt(line)));
    if (size == 0) {
        m_headBytes = 0; // the trailer section gets its own 64 KiB
        m_state = State::Trailers;
    } else {
        m_remaining = size;
        m_state = State::ChunkData;
    }
    return Result::NeedMore;
}

UpstreamResponseParser::Result UpstreamResponseParser::fail(const QString &message)
{
    m_state = State::Failed;
    m_error = message;
    return Result::Error;
}

} // namespace portico
