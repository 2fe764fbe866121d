#pragma once

#include "ApiError.h"
#include "GatewayState.h"
#include "HttpTypes.h"

#include <optional>

namespace portico {

// The checks every request passes before any work, as small pure functions.
namespace RequestGuard {

// DNS-rebinding defence: Host must name loopback with our port, or be explicitly allowed.
bool hostAllowed(const QByteArray &host, const GatewayState &state);
// Browsers send Origin; only configured origins may call us from a page.
bool originAllowed(const HttpRequest &request, const GatewayState &state);
// The credential from `Authorization: Bearer …` or `X-Api-Key`, never from the query string: a
// view into the request's headers.
QByteArrayView presentedCredential(const HttpRequest &request);
// Runs host, origin and auth checks. On success returns the client's name ("" in mode none).
std::optional<QString> check(const HttpRequest &request, const GatewayState &state,
                             ApiError *error);

} // namespace RequestGuard
} // namespace portico
