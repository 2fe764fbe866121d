// portico_screenshots: renders every settings page, a few dialogs, the tray menu and the tray
// icons to PNG files, with sample providers, agents, routes and tokens (secrets in memory, a
// throw-away configuration). Run it under a display (the `screenshots` target uses xvfb-run).
//   portico_screenshots [--out <dir>] [--lang zh_CN]
#include "AccessPage.h"
#include "AppStatus.h"
#include "MemorySecretStore.h"
#include "NewTokenDialog.h"
#include "ProviderDialog.h"
#include "ProvidersPage.h"
#include "SecretStore.h"
#include "SettingsWindow.h"
#include "TokenService.h"
#include "TokenVerifier.h"
#include "TranslationLoader.h"
#include "TrayApp.h"
#include "TrayController.h"
#include "TrayIcons.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QPainter>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace portico;

namespace {

void settle(int ms = 150)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

bool save(const QPixmap &pixmap, const QString &path)
{
    const bool ok = pixmap.save(path);
    std::printf("%s %s\n", ok ? "wrote" : "FAILED", qPrintable(path));
    return ok;
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

QJsonObject token(const QString &name, const QByteArray &secret, qint64 created,
                  MemorySecretStore &store)
{
    const QString id = TokenService::generateId();
    store.insert(SecretStore::tokenKey(id), secret);
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), name},
        {QStringLiteral("sha256"), QString::fromLatin1(TokenVerifier::sha256Hex(secret))},
        {QStringLiteral("created"), double(created)}};
}

QJsonObject sampleConfig(MemorySecretStore &store)
{
    const qint64 day = 24LL * 3600 * 1000;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QJsonArray tokens{
        token(QStringLiteral("default"), TokenService::generateSecret(), now - 30 * day, store),
        token(QStringLiteral("VS Code"), TokenService::generateSecret(), now - 9 * day, store),
        token(QStringLiteral("scripts"), TokenService::generateSecret(), now - day, store)};
    store.insert(SecretStore::providerApiKeyKey(QStringLiteral("openrouter")), "sk-or-sample");
    const auto models = [](std::initializer_list<const char *> list) {
        QJsonArray array;
        for (const char *m : list)
            array.append(QLatin1String(m));
        return array;
    };
    return QJsonObject{
        {QStringLiteral("gateway"),
         QJsonObject{
             {QStringLiteral("bind"), QStringLiteral("127.0.0.1")},
             {QStringLiteral("port"), int(freePort())},
             {QStringLiteral("auth"), QJsonObject{{QStringLiteral("mode"), QStringLiteral("token")},
                                                  {QStringLiteral("tokens"), tokens}}},
             {QStringLiteral("http"),
              QJsonObject{{QStringLiteral("endpoints"),
                           QJsonObject{{QStringLiteral("chatCompletions"),
                                        QJsonObject{{QStringLiteral("enabled"), true}}}}}}}}},
        {QStringLiteral("providers"),
         QJsonObject{
             {QStringLiteral("openrouter"),
              QJsonObject{
                  {QStringLiteral("type"), QStringLiteral("openai")},
                  {QStringLiteral("baseUrl"), QStringLiteral("https://openrouter.ai/api/v1")},
                  {QStringLiteral("models"),
                   models({"qwen/qwen3-coder", "anthropic/claude-sonnet-4", "openai/gpt-4o-mini",
                           "google/gemini-2.5-pro"})}}},
             {QStringLiteral("ollama"),
              QJsonObject{{QStringLiteral("type"), QStringLiteral("openai")},
                          {QStringLiteral("baseUrl"), QStringLiteral("http://127.0.0.1:11434/v1")},
                          {QStringLiteral("apiKeyEnv"), QStringLiteral("OLLAMA_API_KEY")},
                          {QStringLiteral("models"), models({"llama3.1:8b", "qwen2.5-coder:7b"})}}},
             {QStringLiteral("claude"),
              QJsonObject{{QStringLiteral("type"), QStringLiteral("cli")},
                          {QStringLiteral("preset"), QStringLiteral("claude")}}}}},
        {QStringLiteral("agents"),
         QJsonObject{{QStringLiteral("coder"),
                      QJsonObject{{QStringLiteral("provider"), QStringLiteral("openrouter")},
                                  {QStringLiteral("model"), QStringLiteral("qwen/qwen3-coder")},
                                  {QStringLiteral("systemPrompt"),
                                   QStringLiteral("You are a careful senior engineer. Answer "
                                                  "with code first.")}}},
                     {QStringLiteral("local"),
                      QJsonObject{{QStringLiteral("provider"), QStringLiteral("ollama")},
                                  {QStringLiteral("model"), QStringLiteral("llama3.1:8b")}}},
                     {QStringLiteral("reviewer"),
                      QJsonObject{{QStringLiteral("provider"), QStringLiteral("claude")},
                                  {QStringLiteral("systemPrompt"),
                                   QStringLiteral("Review the diff you are given.")}}}}},
        {QStringLiteral("routes"),
         QJsonArray{QJsonObject{{QStringLiteral("match"), QStringLiteral("gpt-*")},
                                {QStringLiteral("agent"), QStringLiteral("coder")}},
                    QJsonObject{{QStringLiteral("match"), QStringLiteral("claude-*")},
                                {QStringLiteral("provider"), QStringLiteral("claude")}},
                    QJsonObject{{QStringLiteral("match"), QStringLiteral("llama*")},
                                {QStringLiteral("agent"), QStringLiteral("local")}}}}};
}

QPixmap iconStrip()
{
    const QList<AppStatus::State> states{AppStatus::State::Off, AppStatus::State::Idle,
                                         AppStatus::State::Streaming, AppStatus::State::Error};
    const int size = 48, pad = 16;
    QPixmap strip((size + pad) * int(states.size()) + pad, 2 * (size + pad) + pad);
    strip.fill(Qt::transparent);
    QPainter painter(&strip);
    for (int dark = 0; dark < 2; ++dark) {
        const int y = pad / 2 + dark * (size + pad);
        painter.fillRect(0, y, strip.width(), size + pad,
                         dark ? QColor(0x23, 0x26, 0x29) : QColor(0xef, 0xf0, 0xf1));
        for (int i = 0; i < states.size(); ++i)
            painter.drawPixmap(pad + i * (size + pad), y + pad / 2,
                               TrayIcons::icon(states.at(i), dark).pixmap(size, size));
    }
    return strip;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("portico"));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Output folder."),
                                       QStringLiteral("dir"), QStringLiteral("screenshots"));
    const QCommandLineOption langOption(QStringLiteral("lang"),
                                        QStringLiteral("Language, e.g. zh_CN."),
                                        QStringLiteral("language"));
    parser.addOptions({outOption, langOption});
    parser.process(app);
    const QString language = parser.value(langOption);
    if (!language.isEmpty() && !TranslationLoader::install(&app, language))
        std::printf("no portico_%s.qm translation found (looked in %s); strings stay English\n",
                    qPrintable(language),
                    qPrintable(TranslationLoader::searchPaths().join(QStringLiteral(", "))));
    QDir out(parser.value(outOption));
    if (!out.mkpath(QStringLiteral(".")))
        return 1;

    // Keep the real environment out: a throw-away config home and no env credentials.
    QTemporaryDir dir;
    qputenv("XDG_CONFIG_HOME", dir.filePath(QStringLiteral("xdg")).toUtf8());
    qunsetenv("PORTICO_GATEWAY_TOKEN");
    MemorySecretStore store;
    const QString configPath = dir.filePath(QStringLiteral("portico.json"));
    {
        QFile file(configPath);
        if (!file.open(QIODevice::WriteOnly))
            return 1;
        file.write(QJsonDocument(sampleConfig(store)).toJson());
    }

    TrayApp::Setup setup;
    setup.configPath = configPath;
    setup.secretStore = &store;
    setup.useSystemTray = false;
    TrayApp tray(setup);
    QEventLoop ready;
    QObject::connect(&tray, &TrayApp::ready, &ready, &QEventLoop::quit);
    tray.start();
    if (!tray.isReady())
        ready.exec();
    tray.tray()->setLiveStreamCount(2);
    // Some "last used" times, as after a while of use.
    tray.tokenService()->noteUsed(QStringLiteral("VS Code"));
    tray.tokenService()->noteUsed(QStringLiteral("default"));

    SettingsWindow *window = tray.settingsWindow();
    window->setNotice(QStringLiteral("tray"), {}); // shown in its own screenshot below
    window->resize(960, 700);
    window->present();
    settle(300);

    bool ok = true;
    const QList<QPair<SettingsWindow::Page, QString>> pages{
        {SettingsWindow::Page::General, QStringLiteral("settings-general.png")},
        {SettingsWindow::Page::Access, QStringLiteral("settings-access.png")},
        {SettingsWindow::Page::Providers, QStringLiteral("settings-providers.png")},
        {SettingsWindow::Page::Agents, QStringLiteral("settings-agents.png")},
        {SettingsWindow::Page::Sessions, QStringLiteral("settings-sessions.png")},
        {SettingsWindow::Page::Log, QStringLiteral("settings-log.png")}};
    for (const auto &[page, name] : pages) {
        window->showPage(page);
        settle();
        ok &= save(window->grab(), out.filePath(name));
    }

    // Dialogs.
    window->showPage(SettingsWindow::Page::Providers);
    ProviderDialog *provider = window->providersPage()->openDialog(QStringLiteral("openrouter"));
    settle();
    ok &= save(provider->grab(), out.filePath(QStringLiteral("dialog-provider.png")));
    provider->reject();
    window->showPage(SettingsWindow::Page::Access);
    NewTokenDialog *newToken = window->accessPage()->openNewTokenDialog();
    newToken->setName(QStringLiteral("Zed"));
    QEventLoop created;
    QObject::connect(newToken, &NewTokenDialog::created, &created, &QEventLoop::quit);
    newToken->create();
    created.exec();
    settle();
    ok &= save(newToken->grab(), out.filePath(QStringLiteral("dialog-new-token.png")));
    newToken->accept();

    // The window as the main window when there is no tray, and with problems to show.
    window->setNotice(
        QStringLiteral("tray"),
        QCoreApplication::translate("TrayApp", "This desktop has no system tray, so Portico runs "
                                               "in this window instead of as a tray icon. "
                                               "Closing the window quits Portico and stops the "
                                               "endpoint."));
    tray.status()->setProblem(
        AppStatus::Problem::Keychain,
        QStringLiteral("No Secret Service is running on D-Bus. Install and "
                       "start gnome-keyring (or KWallet), then restart "
                       "Portico. Set PORTICO_GATEWAY_TOKEN for headless use."));
    window->showPage(SettingsWindow::Page::General);
    settle();
    ok &= save(window->grab(), out.filePath(QStringLiteral("settings-problems.png")));

    // The tray menu (as the error state shows it, then as normal) and the icons.
    QMenu *menu = tray.tray()->menu();
    menu->popup(QPoint(40, 40));
    settle();
    ok &= save(menu->grab(), out.filePath(QStringLiteral("tray-menu-error.png")));
    menu->hide();
    tray.status()->setProblem(AppStatus::Problem::Keychain, {});
    menu->popup(QPoint(40, 40));
    settle();
    ok &= save(menu->grab(), out.filePath(QStringLiteral("tray-menu.png")));
    menu->hide();
    ok &= save(iconStrip(), out.filePath(QStringLiteral("tray-icons.png")));

    tray.gateway()->stop();
    return ok ? 0 : 1;
}
