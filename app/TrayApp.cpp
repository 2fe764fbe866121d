#include "TrayApp.h"

#include "ConnectionInfo.h"
#include "KeychainSecretStore.h"
#include "LogView.h"
#include "SecretStore.h"
#include "SessionLogSettings.h"
#include "SessionsView.h"
#include "TokenClipboard.h"
#include "TokenVerifier.h"

#include <QApplication>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>

using namespace portico;

namespace {

SecretStore *chooseStore(const TrayApp::Setup &setup, std::unique_ptr<SecretStore> *owned)
{
    if (setup.secretStore)
        return setup.secretStore;
    *owned = std::make_unique<KeychainSecretStore>();
    return owned->get();
}

bool isUnavailable(SecretJob::Error error)
{
    return error == SecretJob::Error::NoBackend || error == SecretJob::Error::AccessDenied;
}

} // namespace

TrayApp::TrayApp(const Setup &setup, QObject *parent)
    : QObject(parent)
    , m_setup(setup)
    , m_store(chooseStore(setup, &m_ownedStore))
    , m_tokens(m_store)
    , m_secrets(m_store)
    , m_config(setup.configPath.isEmpty() ? Config::defaultPath() : setup.configPath)
{
    m_gateway.setCredentialCheckFactory(
        [this](const Config &config) { return credentialsFor(config); });
    m_config.setGateway(&m_gateway);

    m_tray = std::make_unique<TrayController>(&m_status);
    const UiContext context{&m_config, &m_gateway, &m_tokens, &m_secrets, &m_status};
    m_window = std::make_unique<SettingsWindow>(context);
    wireSessions();

    connect(&m_config, &ConfigStore::changed, this, &TrayApp::onConfigChanged);
    connect(&m_config, &ConfigStore::loadFailed, this, [this](const QString &message) {
        m_status.setProblem(AppStatus::Problem::Config, message);
    });
    connect(&m_config, &ConfigStore::gatewayFailed, this, [this](const QString &message) {
        m_status.setProblem(AppStatus::Problem::Gateway, message);
        notify(tr("The endpoint failed to start"), message, TrayController::Urgency::Critical);
    });
    connect(&m_gateway, &Gateway::started, this, [this] {
        m_status.setProblem(AppStatus::Problem::Gateway, {});
        refreshAddress();
    });
    connect(&m_gateway, &Gateway::chatCompletionsEnabledChanged, &m_status,
            &AppStatus::setEndpointEnabled);

    connect(&m_tokens, &TokenService::tokenFirstUsed, this, [this](const QString &name) {
        notify(tr("Token used for the first time"),
               tr("A client just used the token \"%1\".").arg(name),
               TrayController::Urgency::Information);
    });
    connect(&m_tokens, &TokenService::storeUnavailable, this,
            [this](SecretJob::Error, const QString &message) { onKeychainProblem(message); });
    connect(&m_secrets, &SecretCache::storeUnavailable, this,
            [this](SecretJob::Error, const QString &message) { onKeychainProblem(message); });
    connect(&m_secrets, &SecretCache::changed, this, [this] {
        // The keys go to the gateway at once, so a configuration applied right after uses them.
        m_gateway.setProviderKeys(m_secrets.providerKeys());
        scheduleReapply();
    });

    connect(m_tray.get(), &TrayController::endpointToggled, this,
            [this](bool enabled) { setEndpointEnabled(enabled); });
    connect(m_tray.get(), &TrayController::copyTokenRequested, this, &TrayApp::copyToken);
    connect(m_tray.get(), &TrayController::sessionsRequested, this,
            [this] { showSettings(SettingsWindow::Page::Sessions); });
    connect(m_tray.get(), &TrayController::settingsRequested, this,
            [this] { showSettings(SettingsWindow::Page::General); });
    connect(m_tray.get(), &TrayController::quitRequested, this, &TrayApp::requestQuit);
    connect(m_window.get(), &SettingsWindow::quitRequested, this, &TrayApp::requestQuit);
}

// Live sessions and the session log: every request reaches the registry (the Sessions page,
// the tray's live-stream count) and the log (the Log page), batched and off the GUI thread.
void TrayApp::wireSessions()
{
    m_observers.add(&m_registry);
    m_observers.add(&m_logRecorder);
    m_gateway.setObserver(&m_observers);
    connect(&m_registry, &SessionRegistry::liveStreamCountChanged, &m_status,
            &AppStatus::setLiveStreamCount);
    m_window->setSessionsWidget(new SessionsView(&m_registry));
    auto *log = new LogView(m_sessionLog.directory());
    log->setGatewayBaseUrl(m_status.baseUrl());
    connect(&m_status, &AppStatus::changed, log,
            [this, log] { log->setGatewayBaseUrl(m_status.baseUrl()); });
    m_window->setLogWidget(log);
    connect(&m_sessionLog, &SessionLog::tornLineRecovered, this,
            [this](const QString &path, qint64 bytes) {
                notify(tr("The session log was repaired"),
                       tr("Its last line was cut off (%n bytes), probably by a crash; it was set "
                          "aside in %1.",
                          nullptr, int(bytes))
                           .arg(path),
                       TrayController::Urgency::Information);
            });
    connect(&m_sessionLog, &SessionLog::writeFailed, this, [this](const QString &message) {
        notify(tr("The session log cannot be written"), message, TrayController::Urgency::Warning);
    });
}

void TrayApp::applyLogSettings(const Config &config)
{
    QStringList secrets;
    for (const QByteArray &key : m_secrets.providerKeys())
        secrets.append(QString::fromUtf8(key));
    secrets.append(QString::fromUtf8(m_secrets.value(SecretStore::passwordKey())));
    applySessionLogSettings(m_sessionLog, config, secrets);
}

TrayApp::~TrayApp()
{
    m_gateway.stop(QStringLiteral("Portico is quitting."));
    delete m_quitQuestion;
}

CredentialCheck TrayApp::credentialsFor(const Config &config)
{
    const TokenVerifier verifier =
        config.gateway.authMode == AuthMode::Password
            ? TokenVerifier::forPassword(m_secrets.value(SecretStore::passwordKey()),
                                         TokenVerifier::environmentPassword())
            : TokenVerifier(config.gateway.tokens, TokenVerifier::environmentToken());
    // Runs in the gateway's worker threads: the verifier is immutable, noteUsed() thread-safe.
    TokenService *tokens = &m_tokens;
    return [verifier, tokens](QByteArrayView presented) -> std::optional<QString> {
        std::optional<QString> name = verifier.verify(presented);
        if (name)
            tokens->noteUsed(*name);
        return name;
    };
}

void TrayApp::start()
{
    if (m_started)
        return;
    m_started = true;
    m_pendingStartup = 2;

    QString error;
    if (m_config.load(&error)) {
        applyLogSettings(m_config.config());
        QString logError;
        if (!m_sessionLog.open(&logError))
            notify(tr("The session log is off"), logError, TrayController::Urgency::Warning);
        startGateway();
        loadSecrets(secretKeysToLoad(m_config.config()));
        ensureDefaultToken();
    } else {
        notify(tr("The configuration is invalid"), error, TrayController::Urgency::Critical);
        m_pendingStartup = 0;
    }
    refreshAddress();

    m_runsAsWindow = !m_setup.useSystemTray || !m_tray->show();
    if (m_runsAsWindow) {
        m_window->setMainWindowMode(true);
        m_window->setNotice(
            QStringLiteral("tray"),
            m_setup.useSystemTray
                ? tr("This desktop has no system tray, so Portico runs in this window instead "
                     "of as a tray icon. Closing the window quits Portico and stops the "
                     "endpoint.")
                : tr("Portico runs in this window. Closing it quits Portico and stops the "
                     "endpoint."));
        m_window->present();
    }
    if (m_pendingStartup == 0)
        QTimer::singleShot(0, this, &TrayApp::ready);
}

void TrayApp::startGateway()
{
    QString error;
    if (m_gateway.start(m_config.config(), &error)) {
        m_status.setProblem(AppStatus::Problem::Gateway, {});
    } else {
        m_status.setProblem(AppStatus::Problem::Gateway, error);
        notify(tr("The endpoint failed to start"), error, TrayController::Urgency::Critical);
    }
}

QStringList TrayApp::secretKeysToLoad(const Config &config)
{
    QStringList keys;
    const auto want = [&](const QString &key) {
        if (!m_requestedKeys.contains(key)) {
            m_requestedKeys.insert(key);
            keys << key;
        }
    };
    want(SecretStore::passwordKey());
    for (const ProviderConfig &provider : config.providers) {
        if (provider.type == QLatin1String("openai") || provider.type == QLatin1String("anthropic"))
            want(SecretStore::providerApiKeyKey(provider.id));
    }
    return keys;
}

void TrayApp::loadSecrets(const QStringList &keys)
{
    m_secrets.load(keys, this, [this](SecretJob::Error error, const QString &message) {
        if (error != SecretJob::Error::None && !isUnavailable(error))
            onKeychainProblem(message);
        startupStepDone();
    });
}

void TrayApp::ensureDefaultToken()
{
    m_tokenConfig = m_config.config();
    m_tokens.ensureDefaultToken(m_tokenConfig, this, [this](const TokenResult &result) {
        if (!result.ok()) {
            onKeychainProblem(result.errorString);
        } else if (result.created) {
            const TokenRecord record = result.record;
            QString error;
            if (!m_config.update(
                    [&record](Config &config) { config.gateway.tokens.append(record); }, &error)) {
                m_tokens.revoke(record.id, nullptr, {});
                notify(tr("The default token could not be saved"), error,
                       TrayController::Urgency::Warning);
            }
        }
        if (result.ok() && !m_status.problem(AppStatus::Problem::Keychain).isEmpty())
            m_status.setProblem(AppStatus::Problem::Keychain, {});
        startupStepDone();
    });
}

void TrayApp::startupStepDone()
{
    if (m_pendingStartup > 0 && --m_pendingStartup == 0)
        emit ready();
}

void TrayApp::onConfigChanged(const Config &config)
{
    applyLogSettings(config);
    m_status.setProblem(AppStatus::Problem::Config, m_config.loadError());
    m_status.setEndpointEnabled(m_gateway.isRunning() ? m_gateway.chatCompletionsEnabled()
                                                      : config.gateway.chatCompletionsEnabled);
    m_status.setExampleModel(ConnectionInfo::exampleModel(config));
    refreshAddress();
    // Keys of providers added later (by hand, in the file) are read too; at startup start()
    // reads them itself and waits for them.
    if (m_started && m_pendingStartup == 0) {
        const QStringList keys = secretKeysToLoad(config);
        if (!keys.isEmpty())
            m_secrets.load(keys, this, {});
    }
}

void TrayApp::refreshAddress()
{
    const Config &config = m_config.config();
    const quint16 port = m_gateway.isRunning() ? m_gateway.port() : config.gateway.port;
    const QString bind =
        m_gateway.isRunning() ? m_gateway.config().gateway.bind : config.gateway.bind;
    m_status.setBaseUrl(ConnectionInfo::baseUrl(bind, port));
}

void TrayApp::scheduleReapply()
{
    if (m_reapplyScheduled)
        return;
    m_reapplyScheduled = true;
    // Several secrets arriving together are applied once.
    QTimer::singleShot(0, this, [this] {
        m_reapplyScheduled = false;
        if (!m_gateway.isRunning())
            return;
        QString error;
        if (!m_config.reapply(&error))
            m_status.setProblem(AppStatus::Problem::Gateway, error);
    });
}

void TrayApp::onKeychainProblem(const QString &message)
{
    m_status.setProblem(AppStatus::Problem::Keychain, message);
    if (message == m_lastKeychainNotice)
        return;
    m_lastKeychainNotice = message;
    notify(tr("The keychain is unavailable"), message, TrayController::Urgency::Warning);
}

void TrayApp::notify(const QString &title, const QString &message, TrayController::Urgency urgency)
{
    m_tray->notify(title, message, urgency);
}

bool TrayApp::setEndpointEnabled(bool enabled, QString *error)
{
    QString why;
    const bool ok = m_config.update(
        [enabled](Config &config) { config.gateway.chatCompletionsEnabled = enabled; }, &why);
    if (!ok) {
        notify(enabled ? tr("The endpoint could not be switched on")
                       : tr("The endpoint could not be switched off"),
               why, TrayController::Urgency::Warning);
        if (error)
            *error = why;
    }
    // Put the menu's check mark back in step with what is running.
    m_status.setEndpointEnabled(m_gateway.isRunning()
                                    ? m_gateway.chatCompletionsEnabled()
                                    : m_config.config().gateway.chatCompletionsEnabled);
    m_tray->refresh();
    return ok;
}

void TrayApp::copyToken()
{
    const TokenRecord *record = TokenClipboard::defaultToken(m_config.config().gateway.tokens);
    if (!record) {
        const QString message = tr("There is no token to copy. Create one in Settings → Access.");
        notify(tr("No token"), message, TrayController::Urgency::Warning);
        emit tokenCopied(false, message);
        return;
    }
    TokenClipboard::copy(&m_tokens, *record, this, [this](const TokenResult &result) {
        if (result.ok()) {
            if (!m_status.problem(AppStatus::Problem::Keychain).isEmpty())
                m_status.setProblem(AppStatus::Problem::Keychain, {});
            emit tokenCopied(true, {});
            return;
        }
        notify(tr("The token could not be copied"), result.errorString,
               TrayController::Urgency::Warning);
        emit tokenCopied(false, result.errorString);
    });
}

void TrayApp::showSettings(SettingsWindow::Page page)
{
    m_window->showPage(page);
    m_window->present();
}

QMessageBox *TrayApp::requestQuit()
{
    const int live = m_status.liveStreamCount();
    if (live <= 0) {
        quitNow();
        return nullptr;
    }
    if (m_quitQuestion) {
        m_quitQuestion->raise();
        return m_quitQuestion;
    }
    auto *box = new QMessageBox(
        QMessageBox::Warning, tr("Quit Portico"),
        live == 1 ? tr("1 stream is still live. Quitting cuts it off.")
                  : tr("%n streams are still live. Quitting cuts them off.", nullptr, live),
        QMessageBox::Cancel, m_window->isVisible() ? m_window.get() : nullptr);
    QPushButton *quit = box->addButton(tr("Quit anyway"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, quit](QAbstractButton *button) {
        if (button == quit)
            quitNow();
    });
    m_quitQuestion = box;
    box->open();
    return box;
}

void TrayApp::quitNow()
{
    m_gateway.stop(QStringLiteral("Portico is quitting."));
    QCoreApplication::quit();
}
