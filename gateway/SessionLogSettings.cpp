#include "SessionLogSettings.h"

#include "Config.h"
#include "Redactor.h"
#include "SessionLog.h"

namespace portico {

void applySessionLogSettings(SessionLog &log, const Config &config, const QStringList &knownSecrets)
{
    const QJsonObject settings = config.raw.value(QStringLiteral("log")).toObject();
    log.setRetentionDays(
        settings.value(QStringLiteral("retentionDays")).toInt(SessionLog::DefaultRetentionDays));
    log.setKeepContent(settings.value(QStringLiteral("keepContent")).toBool(true));
    QStringList secrets = knownSecrets;
    for (const char *name : {"PORTICO_GATEWAY_TOKEN", "PORTICO_GATEWAY_PASSWORD"})
        secrets.append(qEnvironmentVariable(name));
    for (const ProviderConfig &provider : config.providers) {
        if (!provider.apiKeyEnv.isEmpty())
            secrets.append(qEnvironmentVariable(provider.apiKeyEnv.toLocal8Bit().constData()));
    }
    secrets.removeAll(QString());
    log.setRedactor(Redactor(secrets));
}

} // namespace portico
