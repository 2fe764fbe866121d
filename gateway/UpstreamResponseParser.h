#pragma once

#include "HeaderBlock.h"
#include "HttpTypes.h"

#include <QByteArray>
#include <QString>

namespace portico {

// An incremental HTTP/1.x response parser: status line, headers (checked, kept as received and
// read on demand; block capped at 64 KiB), then a body framed by Content-Length, by chunked
// transfer-encoding (de-framed, trailers dropped) or by the end of the connection. Interim 1xx
// responses are skipped; HEAD, 204 and 304 responses have no body.
class UpstreamResponseParser
{
public:
    enum class Result { NeedMore, Complete, Error };

    static constexpr qsizetype MaxHeaderBytes = 64 * 1024;
    static constexpr qsizetype MaxChunkLineBytes = 4 * 1024;
    static constexpr int MaxInterimResponses = 16;

    void reset(bool headRequest);

    // Consumes `data` and appends the body bytes it holds to `body` (sharing `data` when all of
    // it is body). Bytes after a complete response are not consumed (see hasExtraData()).
    Result feed(const QByteArray &data, QByteArray &body);
    // The connection ended: Complete for a body that runs until close, else Error.
    Result finishAtEof();

    bool headersComplete() const { return m_headersComplete; }
    bool isComplete() const { return m_state == State::Done; }
    int status() const { return m_status; }
    HeaderBlock takeHeaders() { return std::move(m_headers); }
    // The connection may carry another request after this (complete) response.
    bool keepAlive() const;
    bool hasExtraData() const { return m_extraData; }
    const QString &errorString() const { return m_error; }

private:
    enum class State {
        StatusLine,
        Headers,
        Body,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        UntilClose,
        Done,
        Failed,
    };

    bool takeLine(const char *&p, const char *end, QByteArrayView &line, qsizetype limit);
    Result handleLine(QByteArrayView line);
    Result parseStatusLine(QByteArrayView line);
    Result parseHeaderLine(QByteArrayView line);
    Result parseChunkSize(QByteArrayView line);
    Result headerBlockEnded();
    Result fail(const QString &message);
    qsizetype lineLimit() const;

    State m_state = State::StatusLine;
    bool m_headRequest = false;
    bool m_headersComplete = false;
    bool m_http11 = true;
    bool m_closeToken = false;
    bool m_keepAliveToken = false;
    bool m_hasTransferEncoding = false;
    bool m_chunked = false;
    bool m_extraData = false;
    int m_status = 0;
    int m_interimResponses = 0;
    qint64 m_contentLength = -1;
    qint64 m_remaining = 0;
    qsizetype m_headBytes = 0;
    HeaderBlock m_headers;
    QByteArray m_line; // a line split across reads
    QString m_error;
};

} // namespace portico
