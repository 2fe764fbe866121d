#include "HeadlessRunner.h"

#include "SessionLogSettings.h"

#include "Redactor.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonObject>

#include <cstdio>

namespace {
void say(const QString &text)
{
    std::fprintf(stderr, "%s\n", qPrintable(text));
    std::fflush(stderr);
}
} // namespace

HeadlessRunner::HeadlessRunner(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_configPath(options.configPath.isEmpty() ? portico::Config::defaultPath()
                                                : options.configPath)
{
    m_observers.add(&m_requestLog);
    m_observers.add(&m_logRecorder);
    m_gateway.setObserver(&m_observers);
    connect(&m_sessionLog, &portico::SessionLog::tornLineRecovered, this,
            [](const QString &path, qint64 bytes) {
                say(tr("portico: the session log's last line was cut off (%n bytes), probably by "
                       "a crash; it was set aside in %1",
                       nullptr, int(bytes))
                        .arg(path));
            });
    connect(&m_sessionLog, &portico::SessionLog::writeFailed, this, [](const QString &message) {
        say(tr("portico: cannot write the session log: %1").arg(message));
    });
}

bool HeadlessRunner::loadConfig(portico::Config *config, QString *error) const
{
    if (!portico::Config::load(m_configPath, config, error))
        return false;
    if (!m_options.bind.isEmpty())
        config->gateway.bind = m_options.bind;
    if (m_options.port >= 0)
        config->gateway.port = static_cast<quint16>(m_options.port);
    // Re-validate with the overrides applied (e.g. auth "none" beyond loopback).
    return portico::Config::fromJson(config->toJson(), config, error);
}

bool HeadlessRunner::start()
{
    portico::Config config;
    QString error;
    if (!loadConfig(&config, &error)) {
        say(tr("portico: configuration error: %1").arg(error));
        return false;
    }
    portico::applySessionLogSettings(m_sessionLog, config);
    if (!m_sessionLog.open(&error))
        say(tr("portico: the session log is off: %1").arg(error));
    if (!m_gateway.start(config, &error)) {
        say(tr("portico: %1").arg(error));
        return false;
    }
    const QString base =
        QStringLiteral("http://%1:%2/v1").arg(config.gateway.bind).arg(m_gateway.port());
    say(tr("Portico %1 listening on %2 (chat completions endpoint %3; config %4)")
            .arg(QLatin1String(PORTICO_VERSION), base,
                 m_gateway.chatCompletionsEnabled() ? tr("enabled") : tr("disabled"),
                 m_configPath));
    if (config.gateway.authMode == portico::AuthMode::Token && config.gateway.tokens.isEmpty() &&
        qEnvironmentVariableIsEmpty("PORTICO_GATEWAY_TOKEN"))
        say(tr("portico: no client token is configured: every request will get 401. Set "
               "PORTICO_GATEWAY_TOKEN or run 'portico token'."));

    // Editors replace files; watch the folder as well so the file is picked up again.
    m_watcher.addPath(QFileInfo(m_configPath).absolutePath());
    if (QFileInfo::exists(m_configPath))
        m_watcher.addPath(m_configPath);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &HeadlessRunner::reload);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] {
        if (QFileInfo::exists(m_configPath) && !m_watcher.files().contains(m_configPath)) {
            m_watcher.addPath(m_configPath);
            reload();
        }
    });
    return true;
}

void HeadlessRunner::reload()
{
    portico::Config config;
    QString error;
    if (!loadConfig(&config, &error)) {
        say(tr("portico: configuration not reloaded, keeping the running one: %1").arg(error));
        return;
    }
    const bool wasEnabled = m_gateway.chatCompletionsEnabled();
    if (!m_gateway.apply(config, &error)) {
        say(tr("portico: configuration not applied, keeping the running one: %1").arg(error));
        return;
    }
    portico::applySessionLogSettings(m_sessionLog, config);
    say(tr("portico: configuration reloaded"));
    if (wasEnabled != m_gateway.chatCompletionsEnabled())
        say(m_gateway.chatCompletionsEnabled() ? tr("portico: chat completions endpoint enabled")
                                               : tr("portico: chat completions endpoint disabled"));
}

void HeadlessRunner::stop(int signal)
{
    say(tr("portico: signal %1 received, stopping").arg(signal));
    m_gateway.stop(QStringLiteral("Portico is shutting down."));
    QCoreApplication::quit();
}
