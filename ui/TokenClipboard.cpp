#include "TokenClipboard.h"

#include <QClipboard>
#include <QGuiApplication>

namespace portico {

void TokenClipboard::copy(TokenService *tokens, const TokenRecord &record, const QObject *context,
                          TokenService::Callback done)
{
    tokens->readToken(record, context, [done = std::move(done)](const TokenResult &result) {
        if (result.ok())
            QGuiApplication::clipboard()->setText(QString::fromUtf8(result.secret));
        if (done)
            done(result);
    });
}

const TokenRecord *TokenClipboard::defaultToken(const QList<TokenRecord> &tokens)
{
    if (const TokenRecord *named =
            TokenService::findByName(tokens, TokenService::defaultTokenName()))
        return named;
    return tokens.isEmpty() ? nullptr : &tokens.constFirst();
}

} // namespace portico
