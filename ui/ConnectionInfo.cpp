#include "ConnectionInfo.h"

#include "Config.h"

#include <QHostAddress>

namespace portico {

QString ConnectionInfo::baseUrl(const QString &bind, quint16 port)
{
    QString host = bind;
    const QHostAddress address(bind);
    if (address == QHostAddress(QHostAddress::AnyIPv4) || bind.isEmpty())
        host = QStringLiteral("127.0.0.1");
    else if (address == QHostAddress(QHostAddress::AnyIPv6))
        host = QStringLiteral("[::1]");
    else if (address.protocol() == QAbstractSocket::IPv6Protocol)
        host = QLatin1Char('[') + address.toString() + QLatin1Char(']');
    return QStringLiteral("http://%1:%2/v1").arg(host).arg(port);
}

QString ConnectionInfo::exampleModel(const Config &config)
{
    if (!config.agents.isEmpty())
        return QStringLiteral("agent:") + config.agents.constFirst().id;
    for (const ProviderConfig &provider : config.providers) {
        if (!provider.models.isEmpty())
            return provider.models.constFirst();
    }
    return QStringLiteral("portico-diagnostic");
}

QString ConnectionInfo::curlExample(const QString &baseUrl, const QString &model)
{
    QString escaped = model;
    escaped.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    escaped.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QStringLiteral("curl %1/chat/completions \\\n"
                          "  -H \"Authorization: Bearer $PORTICO_TOKEN\" \\\n"
                          "  -H \"Content-Type: application/json\" \\\n"
                          "  -d '{\"model\": \"%2\", \"stream\": true, "
                          "\"messages\": [{\"role\": \"user\", \"content\": \"Hello!\"}]}'")
        .arg(baseUrl, escaped);
}

} // namespace portico
