#include "GatewayFixture.h"

#include "TestHttpClient.h"

#include <QJsonArray>

QJsonObject GatewayFixture::merge(QJsonObject base, const QJsonObject &over)
{
    for (auto it = over.begin(); it != over.end(); ++it) {
        if (it.value().isObject() && base.value(it.key()).isObject())
            base[it.key()] = merge(base.value(it.key()).toObject(), it.value().toObject());
        else
            base[it.key()] = it.value();
    }
    return base;
}

QJsonObject GatewayFixture::openAiProvider(quint16 upstreamPort, const QStringList &models,
                                           const QString &apiKeyEnv)
{
    QJsonObject p{
        {QStringLiteral("type"), QStringLiteral("openai")},
        {QStringLiteral("baseUrl"), QStringLiteral("http://127.0.0.1:%1/v1").arg(upstreamPort)},
        {QStringLiteral("models"), QJsonArray::fromStringList(models)}};
    if (!apiKeyEnv.isEmpty())
        p[QStringLiteral("apiKeyEnv")] = apiKeyEnv;
    return p;
}

bool GatewayFixture::start(const QJsonObject &json, QString *error)
{
    qputenv("PORTICO_GATEWAY_TOKEN", TestHttpClient::defaultToken());
    const QJsonObject base{
        {QStringLiteral("gateway"),
         QJsonObject{
             {QStringLiteral("bind"), QStringLiteral("127.0.0.1")},
             {QStringLiteral("port"), 0},
             {QStringLiteral("auth"),
              QJsonObject{{QStringLiteral("mode"), QStringLiteral("token")}}},
             {QStringLiteral("http"),
              QJsonObject{{QStringLiteral("endpoints"),
                           QJsonObject{{QStringLiteral("chatCompletions"),
                                        QJsonObject{{QStringLiteral("enabled"), true}}}}}}}}}};
    portico::Config config;
    QString why;
    if (!portico::Config::fromJson(merge(base, json), &config, &why)) {
        if (error)
            *error = why;
        return false;
    }
    gateway = std::make_unique<portico::Gateway>();
    gateway->setObserver(&observer);
    if (!gateway->start(config, &why)) {
        if (error)
            *error = why;
        return false;
    }
    return true;
}

QUrl GatewayFixture::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port()));
}
