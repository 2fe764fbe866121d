#pragma once

#include "TokenService.h"

namespace portico {

// Reads a token's secret from the keychain and puts it on the clipboard.
class TokenClipboard
{
public:
    // `done` gets the TokenService result (the clipboard is set only on success). Ends exactly
    // once, unless `context` is destroyed first.
    static void copy(TokenService *tokens, const TokenRecord &record, const QObject *context,
                     TokenService::Callback done);
    // The default token of `tokens` ("default", else the first), or nullptr when there is none.
    static const TokenRecord *defaultToken(const QList<TokenRecord> &tokens);
};

} // namespace portico
