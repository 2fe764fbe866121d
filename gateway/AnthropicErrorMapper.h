#pragma once

#include "ApiError.h"
#include "UpstreamClient.h"

#include <QJsonObject>

namespace portico {

// Turns Anthropic's errors into the gateway's OpenAI-shaped ApiError. Anthropic reports
// {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}} both as an HTTP
// error body and as a stream `error` event.
class AnthropicErrorMapper
{
public:
    // The status for an error type met inside a stream, where no HTTP status exists:
    // overloaded_error 503, rate_limit_error 429, invalid_request_error 400,
    // authentication_error 401, permission_error 403, not_found_error 404, request_too_large 413,
    // billing_error 402, timeout_error 504, api_error and anything else 502.
    static int streamStatus(const QByteArray &type);

    // An `error` event's JSON object (the whole event or its inner "error" object).
    static ApiError fromStreamEvent(const QJsonObject &event);

    // An HTTP error before any stream began: the status is kept, the body mapped, Retry-After
    // passed through. A redirect is reported as 502: it is never followed.
    static ApiError fromHttpResponse(int status, const QByteArray &body,
                                     const QByteArray &retryAfter);

    // The connection failed or ended early. `responseStarted`: the status line had arrived.
    static ApiError fromTransport(UpstreamReply::Error error, const QString &message,
                                  bool responseStarted);
};

} // namespace portico
