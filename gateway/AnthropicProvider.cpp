#include "AnthropicProvider.h"

#include "AnthropicCall.h"

#include <QJsonValue>
#include <cmath>

namespace portico {

AnthropicProvider::AnthropicProvider(const QString &id, const QStringList &models,
                                     const AnthropicSettings &settings)
    : m_id(id)
    , m_models(models)
    , m_settings(settings)
{}

ProviderCall *AnthropicProvider::createCall(const CallContext &context, QObject *parent) const
{
    return new AnthropicCall(m_settings, context, parent);
}

std::shared_ptr<Provider> createAnthropicProvider(const ProviderConfig &config,
                                                  const QByteArray &apiKey, QString *error)
{
    const QString path = QStringLiteral("providers.") + config.id;
    const auto failWith = [&](const QString &key, const QString &problem) {
        if (error)
            *error = path + (key.isEmpty() ? QString() : QLatin1Char('.') + key) +
                     QStringLiteral(": ") + problem;
        return std::shared_ptr<Provider>();
    };

    AnthropicSettings settings;
    QUrl base = config.baseUrl.isEmpty() ? QUrl(QStringLiteral("https://api.anthropic.com"))
                                         : config.baseUrl;
    if (!base.isValid() || base.host().isEmpty() ||
        (base.scheme() != QLatin1String("http") && base.scheme() != QLatin1String("https")))
        return failWith(QStringLiteral("baseUrl"), QStringLiteral("must be an http:// or "
                                                                  "https:// URL"));
    QString basePath = base.path();
    while (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    base.setPath(basePath + QStringLiteral("/v1/messages"));
    base.setQuery(QString());
    base.setFragment(QString());
    settings.messagesUrl = base;

    const QJsonValue version = config.raw.value(QLatin1String("anthropicVersion"));
    if (!version.isUndefined()) {
        const QString v = version.toString();
        // Sent as a header value: a date-like token, nothing that could break the header.
        static const QString kAllowed = QStringLiteral("0123456789abcdefghijklmnopqrstuvwxyz-._");
        const bool clean = !v.isEmpty() && v.size() <= 64 &&
                           std::all_of(v.cbegin(), v.cend(),
                                       [](QChar c) { return kAllowed.contains(c.toLower()); });
        if (!version.isString() || !clean)
            return failWith(QStringLiteral("anthropicVersion"),
                            QStringLiteral("must be a version string such as \"2023-06-01\""));
        settings.version = v.toLatin1();
    }

    const QJsonValue maxTokens = config.raw.value(QLatin1String("defaultMaxTokens"));
    if (!maxTokens.isUndefined()) {
        const double d = maxTokens.toDouble(-1);
        if (!maxTokens.isDouble() || d < 1 || d > 1'000'000 || d != std::floor(d))
            return failWith(QStringLiteral("defaultMaxTokens"),
                            QStringLiteral("must be an integer from 1 to 1000000"));
        settings.defaultMaxTokens = static_cast<int>(d);
    }

    if (apiKey.isEmpty())
        return failWith(QString(), QStringLiteral("no API key: set the variable named by "
                                                  "apiKeyEnv or store a key in the keychain"));
    if (apiKey.contains('\r') || apiKey.contains('\n') || apiKey.contains('\0'))
        return failWith(QString(), QStringLiteral("the API key contains a line break"));
    settings.apiKey = apiKey;

    return std::make_shared<AnthropicProvider>(config.id, config.models, settings);
}

} // namespace portico
