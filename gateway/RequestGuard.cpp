#include "RequestGuard.h"

namespace portico::RequestGuard {

namespace {

bool isLoopbackName(QByteArrayView host)
{
    if (host == "localhost" || host == "[::1]" || host.endsWith(".localhost"))
        return true;
    // Any 127.x.y.z literal.
    if (!host.startsWith("127."))
        return false;
    int dots = 0;
    for (char c : host) {
        if (c == '.')
            ++dots;
        else if (c < '0' || c > '9')
            return false;
    }
    return dots == 3;
}

} // namespace

// "127.0.0.1:PORT" or "localhost:PORT" naming the port listened on, as nearly every client on
// this machine sends it: allowed without the copies and the lower-casing of the general check.
bool isPlainLoopbackHost(QByteArrayView host, quint16 listenPort)
{
    const qsizetype colon = host.indexOf(':');
    if (colon <= 0 || colon + 1 == host.size() || host.size() - colon > 6)
        return false;
    const QByteArrayView name = host.first(colon);
    if (name != "127.0.0.1" && name != "localhost")
        return false;
    uint port = 0;
    for (const char c : host.sliced(colon + 1)) {
        if (c < '0' || c > '9')
            return false;
        port = port * 10 + uint(c - '0');
    }
    return port == listenPort;
}

bool hostAllowed(const QByteArray &rawHost, const GatewayState &state)
{
    if (isPlainLoopbackHost(QByteArrayView(rawHost).trimmed(), state.port))
        return true;
    const QByteArray host = rawHost.trimmed().toLower();
    if (host.isEmpty())
        return false;
    if (state.allowedHosts.contains(host))
        return true;
    // Split "name:port" (IPv6 literals come bracketed).
    const qsizetype colon = host.lastIndexOf(':');
    const qsizetype bracket = host.lastIndexOf(']');
    QByteArrayView name = host;
    QByteArrayView port;
    if (colon > bracket) {
        name = QByteArrayView(host).first(colon);
        port = QByteArrayView(host).sliced(colon + 1);
    }
    if (state.allowedHosts.contains(name.toByteArray()))
        return true;
    bool ok = false;
    const uint portNumber = port.toByteArray().toUInt(&ok);
    return isLoopbackName(name) && ok && portNumber == state.port;
}

bool originAllowed(const HttpRequest &request, const GatewayState &state)
{
    if (!hasHeader(request.headers, "origin"))
        return true;
    return state.allowedOrigins.contains(request.header("origin"));
}

// Whether the two are the same bytes, looking at every byte (no early exit on a difference).
bool sameBytes(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned>(static_cast<uchar>(a[i]) ^ static_cast<uchar>(b[i]));
    return diff == 0;
}

QByteArrayView presentedCredential(const HttpRequest &request)
{
    const QByteArrayView authorization = headerView(request.headers, "authorization");
    if (authorization.size() > 7 &&
        authorization.first(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return authorization.sliced(7).trimmed();
    return headerView(request.headers, "x-api-key");
}

std::optional<QString> check(const HttpRequest &request, const GatewayState &state, ApiError *error)
{
    if (!hostAllowed(request.header("host"), state)) {
        *error = ApiError::forbidden(
            QStringLiteral("The Host header does not name this gateway. Add the host to "
                           "gateway.allowedHosts to reach Portico under another name."));
        return std::nullopt;
    }
    if (!originAllowed(request, state)) {
        *error = ApiError::forbidden(QStringLiteral("Requests from web pages are refused unless "
                                                    "their origin is in gateway.allowedOrigins."));
        return std::nullopt;
    }
    if (!state.checkCredential)
        return QString();
    const QByteArrayView credential = presentedCredential(request);
    if (!credential.isEmpty()) {
        CredentialMemo *const memo = request.credentialMemo;
        if (memo && state.serial != 0 && memo->stateSerial == state.serial &&
            sameBytes(memo->presented, credential))
            return memo->name;
        if (auto name = state.checkCredential(credential)) {
            if (memo)
                *memo = {state.serial, credential.toByteArray(), *name};
            return name;
        }
    }
    *error = ApiError::unauthorized(
        state.config.gateway.authMode == AuthMode::Password
            ? QStringLiteral("A valid password is required: send it as 'Authorization: Bearer "
                             "<password>'.")
            : QStringLiteral("A valid Portico token is required: send it as 'Authorization: "
                             "Bearer <token>'. 'portico token' prints one."));
    return std::nullopt;
}

} // namespace portico::RequestGuard
