#pragma once

#include "MemorySecretStore.h"
#include "TestHttpClient.h"
#include "TrayApp.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <memory>

// A TrayApp on a temporary configuration (127.0.0.1, a free port) with secrets in memory.
class TrayAppFixture
{
public:
    QTemporaryDir dir;
    portico::MemorySecretStore store;
    std::unique_ptr<TrayApp> app;

    QString configPath() const { return dir.filePath(QStringLiteral("portico.json")); }

    void writeConfig(const QJsonObject &json) const
    {
        QFile file(configPath());
        if (file.open(QIODevice::WriteOnly))
            file.write(QJsonDocument(json).toJson());
    }

    QJsonObject readConfig() const
    {
        QFile file(configPath());
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(file.readAll()).object();
    }

    static QJsonObject baseConfig(bool endpointEnabled = false)
    {
        return QJsonObject{
            {QStringLiteral("gateway"),
             QJsonObject{{QStringLiteral("bind"), QStringLiteral("127.0.0.1")},
                         {QStringLiteral("port"), 0},
                         {QStringLiteral("http"),
                          QJsonObject{{QStringLiteral("endpoints"),
                                       QJsonObject{{QStringLiteral("chatCompletions"),
                                                    QJsonObject{{QStringLiteral("enabled"),
                                                                 endpointEnabled}}}}}}}}}};
    }

    // Creates and starts the application; true once it is ready (keychain reads ended).
    bool start(bool writeBase = true, bool endpointEnabled = false)
    {
        if (writeBase && !QFile::exists(configPath()))
            writeConfig(baseConfig(endpointEnabled));
        // The session log goes under the data location: keep it in the test's folder.
        qputenv("XDG_DATA_HOME", dir.path().toLocal8Bit());
        TrayApp::Setup setup;
        setup.configPath = configPath();
        setup.secretStore = &store;
        app = std::make_unique<TrayApp>(setup);
        QSignalSpy ready(app.get(), &TrayApp::ready);
        app->start();
        return app->isReady() || ready.wait(10'000);
    }

    quint16 port() const { return app->gateway()->port(); }

    QByteArray defaultSecret() const
    {
        const auto &tokens = app->configStore()->config().gateway.tokens;
        return tokens.isEmpty() ? QByteArray()
                                : store.value(portico::SecretStore::tokenKey(tokens.first().id));
    }

    int modelsStatus(const QByteArray &token) const
    {
        TestHttpClient client(port());
        return client
            .request("GET", "/v1/models",
                     token.isEmpty() ? portico::HeaderList{}
                                     : portico::HeaderList{{"Authorization", "Bearer " + token}})
            .status;
    }
};
