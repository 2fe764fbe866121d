#pragma once

#include "Config.h"
#include "Gateway.h"
#include "RequestObserver.h"

#include <QJsonObject>
#include <QList>

#include <memory>
#include <mutex>

// Records what the gateway reports, from any thread.
class RecordingObserver : public portico::RequestObserver
{
public:
    bool keepContent = false;
    bool wantsContent() const override { return keepContent; }
    void requestFinished(const portico::RequestSummary &summary) override
    {
        std::lock_guard lock(m_mutex);
        m_finished.append(summary);
    }
    QList<portico::RequestSummary> finished() const
    {
        std::lock_guard lock(m_mutex);
        return m_finished;
    }

private:
    mutable std::mutex m_mutex;
    QList<portico::RequestSummary> m_finished;
};

// A real gateway on 127.0.0.1 and a free port, built from a JSON configuration.
class GatewayFixture
{
public:
    // Merges `json` over a base that binds 127.0.0.1:0 with the endpoint enabled and token auth
    // (PORTICO_GATEWAY_TOKEN = TestHttpClient::defaultToken()).
    bool start(const QJsonObject &json = {}, QString *error = nullptr);
    quint16 port() const { return gateway ? gateway->port() : 0; }
    QUrl baseUrl() const;

    static QJsonObject merge(QJsonObject base, const QJsonObject &over);
    // {"gateway": gateway}: settings for start() that touch only the gateway section.
    static QJsonObject gatewayJson(const QJsonObject &gateway)
    {
        return QJsonObject{{QStringLiteral("gateway"), gateway}};
    }
    static QJsonObject openAiProvider(quint16 upstreamPort, const QStringList &models,
                                      const QString &apiKeyEnv = {});

    RecordingObserver observer;
    std::unique_ptr<portico::Gateway> gateway;
};
