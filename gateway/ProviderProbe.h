#pragma once

#include <QByteArray>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QUrl>

namespace portico {

class UpstreamReply;

// The providers page's Test button: GET <baseUrl>/models with the API key and report the models
// the upstream lists. Each start() ends with exactly one of succeeded() or failed(), within the
// timeout, unless abort() is called first (then nothing is emitted). Destroying a running probe
// aborts it.
class ProviderProbe : public QObject
{
    Q_OBJECT
public:
    explicit ProviderProbe(QObject *parent = nullptr);
    ~ProviderProbe() override;

    // `type` is the provider type: "openai" sends `Authorization: Bearer <key>`, "anthropic"
    // sends `x-api-key` and `anthropic-version`. A running probe is aborted first.
    void start(const QUrl &baseUrl, const QByteArray &apiKey,
               const QString &type = QStringLiteral("openai"), int timeoutMs = 15'000);
    void abort();
    bool isRunning() const { return m_reply != nullptr || m_invalidPending; }

    // The URL that is (or was last) probed.
    const QUrl &url() const { return m_url; }
    static QUrl modelsUrl(const QUrl &baseUrl);
    // The model ids of an OpenAI-style list ({"data":[{"id":...}]}); false if it is not one.
    static bool parseModels(const QByteArray &body, QStringList *models);

signals:
    void succeeded(const QStringList &models);
    void failed(const QString &message);

private:
    void onFinished();
    void fail(const QString &message);
    void release();

    static constexpr qsizetype kMaxBody = 8 * 1024 * 1024;

    QUrl m_url;
    UpstreamReply *m_reply = nullptr;
    QByteArray m_body;
    QTimer m_timer;
    quint64 m_generation = 0;
    bool m_invalidPending = false;
};

} // namespace portico
