#pragma once

#include <QString>

namespace portico {

struct Config;

// The texts a user copies to connect a client: the base URL and a curl example.
class ConnectionInfo
{
public:
    // The URL a client on this computer uses: a wildcard bind ("0.0.0.0", "::") is reached via
    // loopback; IPv6 addresses get brackets. E.g. "http://127.0.0.1:18789/v1".
    static QString baseUrl(const QString &bind, quint16 port);
    // A model name that works with `config`: the first route-free agent, else the first
    // provider model, else the built-in diagnostic model.
    static QString exampleModel(const Config &config);
    // A streaming chat-completions request with curl. The token is referenced as
    // $PORTICO_TOKEN, never included.
    static QString curlExample(const QString &baseUrl, const QString &model);
};

} // namespace portico
