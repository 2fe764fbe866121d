#pragma once

#include "AppStatus.h"
#include "ConfigStore.h"
#include "Gateway.h"
#include "LogRecorder.h"
#include "ObserverFanout.h"
#include "SecretCache.h"
#include "SessionLog.h"
#include "SessionRegistry.h"
#include "SettingsWindow.h"
#include "TokenService.h"
#include "TrayController.h"

#include <QObject>
#include <QPointer>
#include <QSet>

#include <memory>

class QMessageBox;

namespace portico {
class SecretStore;
}

// The tray application's composition root: builds the configuration store, the gateway, the
// keychain, the token service, the credential check and the UI, and wires them together.
class TrayApp : public QObject
{
    Q_OBJECT
public:
    struct Setup
    {
        QString configPath;                          // empty: Config::defaultPath()
        portico::SecretStore *secretStore = nullptr; // empty: the OS keychain; must outlive us
        bool useSystemTray = true;                   // false: always run as a window
    };

    explicit TrayApp(const Setup &setup, QObject *parent = nullptr);
    ~TrayApp() override;

    // Loads the configuration, starts the gateway, reads the keychain (creating the default
    // token on the first run) and shows the tray icon, or the window when there is no tray.
    // ready() follows once the keychain reads have ended.
    void start();
    bool isReady() const { return m_pendingStartup == 0 && m_started; }

    // Puts the default token on the clipboard; ends with tokenCopied().
    void copyToken();
    // Switches the chat-completions endpoint; it is saved and applied at once.
    bool setEndpointEnabled(bool enabled, QString *error = nullptr);
    void showSettings(portico::SettingsWindow::Page page = portico::SettingsWindow::Page::General);
    // Quits, after asking when streams are live (the question is returned, or null).
    QMessageBox *requestQuit();
    void quitNow();

    portico::Gateway *gateway() { return &m_gateway; }
    portico::ConfigStore *configStore() { return &m_config; }
    portico::TokenService *tokenService() { return &m_tokens; }
    portico::SecretCache *secretCache() { return &m_secrets; }
    portico::SessionRegistry *sessionRegistry() { return &m_registry; }
    portico::SessionLog *sessionLog() { return &m_sessionLog; }
    portico::SecretStore *secretStore() const { return m_store; }
    portico::AppStatus *status() { return &m_status; }
    portico::TrayController *tray() const { return m_tray.get(); }
    portico::SettingsWindow *settingsWindow() const { return m_window.get(); }
    bool runsAsWindow() const { return m_runsAsWindow; }

signals:
    void ready();
    void tokenCopied(bool ok, const QString &message);

private:
    portico::CredentialCheck credentialsFor(const portico::Config &config);
    void startGateway();
    void loadSecrets(const QStringList &keys);
    void ensureDefaultToken();
    void startupStepDone();
    void onConfigChanged(const portico::Config &config);
    void onKeychainProblem(const QString &message);
    void scheduleReapply();
    void refreshAddress();
    void wireSessions();
    void applyLogSettings(const portico::Config &config);
    void notify(const QString &title, const QString &message,
                portico::TrayController::Urgency urgency);
    QStringList secretKeysToLoad(const portico::Config &config);

    Setup m_setup;
    std::unique_ptr<portico::SecretStore> m_ownedStore;
    portico::SecretStore *m_store = nullptr;
    portico::AppStatus m_status;
    portico::TokenService m_tokens;
    portico::SecretCache m_secrets;
    portico::ConfigStore m_config;
    // What the gateway reports each request to: declared before it, so they outlive it.
    portico::SessionRegistry m_registry;
    portico::SessionLog m_sessionLog;
    portico::LogRecorder m_logRecorder{&m_sessionLog};
    portico::ObserverFanout m_observers;
    portico::Gateway m_gateway; // after what its credential check uses: destroyed first
    std::unique_ptr<portico::TrayController> m_tray;
    std::unique_ptr<portico::SettingsWindow> m_window;
    portico::Config m_tokenConfig; // the copy ensureDefaultToken() works on
    QSet<QString> m_requestedKeys;
    QPointer<QMessageBox> m_quitQuestion;
    QString m_lastKeychainNotice;
    int m_pendingStartup = 0;
    bool m_started = false;
    bool m_reapplyScheduled = false;
    bool m_runsAsWindow = false;
};
