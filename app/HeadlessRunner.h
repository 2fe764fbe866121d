#pragma once

#include "Options.h"
#include "StderrRequestLog.h"

#include "Config.h"
#include "Gateway.h"
#include "LogRecorder.h"
#include "ObserverFanout.h"
#include "SessionLog.h"

#include <QFileSystemWatcher>
#include <QObject>

// `portico --headless`: the gateway, its configuration file watched for changes (and reloaded
// on SIGHUP), one stderr line per request, every request recorded in the session log, and a
// clean stop on SIGINT/SIGTERM.
class HeadlessRunner : public QObject
{
    Q_OBJECT
public:
    explicit HeadlessRunner(const Options &options, QObject *parent = nullptr);

    // Returns false (after printing why) when the gateway cannot start.
    bool start();
    void stop(int signal);
    void reload();

private:
    bool loadConfig(portico::Config *config, QString *error) const;

    Options m_options;
    QString m_configPath;
    StderrRequestLog m_requestLog;
    // Declared before the gateway, so they outlive it.
    portico::SessionLog m_sessionLog;
    portico::LogRecorder m_logRecorder{&m_sessionLog};
    portico::ObserverFanout m_observers;
    portico::Gateway m_gateway;
    QFileSystemWatcher m_watcher;
};
