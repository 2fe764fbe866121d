#pragma once

#include "HttpTypes.h"

#include <initializer_list>
#include <memory>

namespace portico {

class HttpConnection;

// The response side of one request. Created by the connection for each request and handed to
// the handler, which may answer at once or later (streaming). It is deleted with its connection
// or soon after the response is complete (DeferredDelete); what answers through it is attached to
// it (attach()) and goes with it. All methods are no-ops once the client is gone or the response
// is complete. Not a QObject: one is made for every request.
class HttpResponder
{
public:
    HttpResponder(const HttpResponder &) = delete;
    HttpResponder &operator=(const HttpResponder &) = delete;

    // A complete response with Content-Length. `more`: headers after `headers` (a request's
    // own, kept apart so that nobody builds one list of both).
    void respond(int status, const HeaderList &headers, const QByteArray &body,
                 const HeaderList &more = {});
    // A streamed response: chunked transfer coding, each writeChunk() one chunk, sent at once.
    void beginChunked(int status, const HeaderList &headers, const HeaderList &more = {});
    void writeChunk(const QByteArray &data);
    // One chunk made of `parts` put together: built once, in the chunk's own frame.
    void writeChunk(const QByteArrayView *parts, qsizetype count);
    void writeChunk(std::initializer_list<QByteArrayView> parts)
    {
        writeChunk(parts.begin(), qsizetype(parts.size()));
    }
    void endChunked();
    // Ends a streamed response abnormally: the connection is closed without the final chunk, so
    // the client sees a truncated body rather than a clean end.
    void abortStream();

    bool isOpen() const { return m_connection != nullptr && !m_complete; }

    // What answers through this responder (a ChatExchange): deleted with it, and told when the
    // client goes.
    class Attachment
    {
    public:
        virtual ~Attachment() = default;
        virtual void responderClientGone() = 0;
    };
    // Takes ownership (one attachment at most).
    void attach(Attachment *attachment) { m_attachment.reset(attachment); }
    bool headersSent() const { return m_headersSent; }
    bool isHeadRequest() const { return m_head; }

private:
    friend class HttpConnection;
    HttpResponder(HttpConnection *connection, bool head, bool keepAlive);
    // The status line, the headers and `more`, `framing` (a Content-Length or Transfer-Encoding
    // line) and the Connection line, then `body`: sized first and written in one allocation.
    QByteArray message(int status, const HeaderList &headers, const HeaderList &more,
                       QByteArrayView framing, QByteArrayView body = {}) const;
    void detach();
    void notifyClientGone();

    HttpConnection *m_connection = nullptr;
    std::unique_ptr<Attachment> m_attachment;
    bool m_head = false;
    bool m_keepAlive = true;
    bool m_headersSent = false;
    bool m_complete = false;
};

const char *httpReasonPhrase(int status);

} // namespace portico
