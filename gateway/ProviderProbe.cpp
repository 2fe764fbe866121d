#include "ProviderProbe.h"

#include "UpstreamClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace portico {

namespace {

// The upstream's own message from an OpenAI-style error body, if it has one.
QString upstreamMessage(const QByteArray &body)
{
    const QJsonObject error =
        QJsonDocument::fromJson(body).object().value(QStringLiteral("error")).toObject();
    return error.value(QStringLiteral("message")).toString().left(300);
}

} // namespace

ProviderProbe::ProviderProbe(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        fail(tr("%1 did not answer within %2 seconds.")
                 .arg(m_url.toDisplayString())
                 .arg(m_timer.interval() / 1000));
    });
}

ProviderProbe::~ProviderProbe()
{
    abort();
}

QUrl ProviderProbe::modelsUrl(const QUrl &baseUrl)
{
    QUrl url = baseUrl;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/models"));
    return url;
}

bool ProviderProbe::parseModels(const QByteArray &body, QStringList *models)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonValue data = doc.object().value(QStringLiteral("data"));
    if (!data.isArray())
        return false;
    QStringList ids;
    for (const QJsonValue &entry : data.toArray()) {
        const QString id = entry.toObject().value(QStringLiteral("id")).toString();
        if (!id.isEmpty())
            ids << id;
    }
    ids.sort(Qt::CaseInsensitive);
    *models = ids;
    return true;
}

void ProviderProbe::start(const QUrl &baseUrl, const QByteArray &apiKey, const QString &type,
                          int timeoutMs)
{
    abort();
    m_url = modelsUrl(baseUrl);
    m_body.clear();
    if (!baseUrl.isValid() || baseUrl.host().isEmpty() ||
        (baseUrl.scheme() != QLatin1String("http") && baseUrl.scheme() != QLatin1String("https"))) {
        // End from the event loop, like every other outcome, unless aborted meanwhile.
        m_invalidPending = true;
        QTimer::singleShot(0, this, [this, generation = m_generation] {
            if (!m_invalidPending || generation != m_generation)
                return;
            m_invalidPending = false;
            emit failed(tr("The base URL must be an http:// or https:// URL."));
        });
        return;
    }

    UpstreamRequest request;
    request.url = m_url;
    request.method = "GET";
    request.headers = {{"Accept", "application/json"}};
    if (type == QLatin1String("anthropic")) {
        request.headers.append(
            qMakePair(QByteArrayLiteral("anthropic-version"), QByteArrayLiteral("2023-06-01")));
        if (!apiKey.isEmpty())
            request.headers.append(qMakePair(QByteArrayLiteral("x-api-key"), apiKey));
    } else if (!apiKey.isEmpty()) {
        request.headers.append(
            qMakePair(QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + apiKey));
    }
    request.timeouts.connectMs = timeoutMs;
    request.timeouts.firstByteMs = timeoutMs;
    request.timeouts.idleMs = timeoutMs;

    m_reply = UpstreamClient::forCurrentThread()->send(request);
    connect(m_reply, &UpstreamReply::dataReceived, this, [this](const QByteArray &data) {
        if (m_body.size() + data.size() > kMaxBody)
            return fail(tr("%1 sent more than %2 MB; this does not look like a model list.")
                            .arg(m_url.toDisplayString())
                            .arg(kMaxBody / (1024 * 1024)));
        m_body += data;
    });
    connect(m_reply, &UpstreamReply::finished, this, &ProviderProbe::onFinished);
    connect(m_reply, &UpstreamReply::failed, this,
            [this](UpstreamReply::Error, const QString &message) {
                fail(tr("Could not reach %1: %2").arg(m_url.toDisplayString(), message));
            });
    m_timer.start(timeoutMs);
}

void ProviderProbe::onFinished()
{
    const int status = m_reply ? m_reply->status() : 0;
    const QByteArray body = m_body;
    const QString where = m_url.toDisplayString();
    if (status == 401 || status == 403) {
        const QString detail = upstreamMessage(body);
        return fail(
            detail.isEmpty()
                ? tr("%1 refused the API key (HTTP %2).").arg(where).arg(status)
                : tr("%1 refused the API key (HTTP %2): %3").arg(where).arg(status).arg(detail));
    }
    if (status < 200 || status >= 300) {
        const QString detail = upstreamMessage(body);
        return fail(detail.isEmpty()
                        ? tr("%1 answered HTTP %2.").arg(where).arg(status)
                        : tr("%1 answered HTTP %2: %3").arg(where).arg(status).arg(detail));
    }
    QStringList models;
    if (!parseModels(body, &models))
        return fail(tr("%1 answered, but not with an OpenAI-style model list.").arg(where));
    release();
    emit succeeded(models);
}

void ProviderProbe::fail(const QString &message)
{
    if (!m_reply)
        return;
    release();
    emit failed(message);
}

void ProviderProbe::release()
{
    ++m_generation;
    m_invalidPending = false;
    m_timer.stop();
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    m_body.clear();
}

void ProviderProbe::abort()
{
    release();
}

} // namespace portico
