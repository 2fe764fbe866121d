#pragma once

// Shared by the CLI provider integration tests: the fake agent CLIs of tests/fixtures/cli copied
// into a temporary bin directory that is put first on PATH, one call run to its end, and the
// files the fakes record.

#include "CliProvider.h"
#include "Config.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>
#include <optional>

#include <sys/types.h>

namespace portico::test {

// The fake CLIs on PATH, and Portico's own secrets in the environment (which must not leak).
class CliBin
{
public:
    CliBin()
    {
        const QDir source(QStringLiteral(PORTICO_CLI_FIXTURES));
        for (const QString &name : source.entryList(QDir::Files)) {
            const QString to = m_dir.filePath(name);
            if (!QFile::copy(source.filePath(name), to) ||
                !QFile::setPermissions(to, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                               QFileDevice::ExeOwner))
                qFatal("cannot copy fixture %s", qPrintable(name));
        }
        m_oldPath = qgetenv("PATH");
        qputenv("PATH", m_dir.path().toLocal8Bit() + ':' + m_oldPath);
        qputenv("PORTICO_GATEWAY_TOKEN", "pt_gateway-token-must-not-leak");
        qputenv("PORTICO_GATEWAY_PASSWORD", "gateway-password-must-not-leak");
        qputenv("UNRELATED_SECRET", "unrelated-must-not-leak");
    }
    ~CliBin() { qputenv("PATH", m_oldPath); }

    QString path(const QString &name) const { return m_dir.filePath(name); }

private:
    QTemporaryDir m_dir;
    QByteArray m_oldPath;
};

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Alive and not a zombie (PID 1 of a container may never reap an orphan).
inline bool processAlive(qint64 pid)
{
    if (pid <= 0 || ::kill(pid_t(pid), 0) != 0)
        return false;
    const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
    const qsizetype paren = stat.lastIndexOf(')');
    return paren < 0 || paren + 2 >= stat.size() || stat.at(paren + 2) != 'Z';
}

// What one call produced.
struct CallResult
{
    QList<QJsonObject> chunks;
    int succeeded = 0;
    int failed = 0;
    ApiError error;

    QString content() const
    {
        QString text;
        for (const QJsonObject &c : chunks) {
            const QJsonArray choices = c.value(QStringLiteral("choices")).toArray();
            if (!choices.isEmpty())
                text += choices.first()
                            .toObject()
                            .value(QStringLiteral("delta"))
                            .toObject()
                            .value(QStringLiteral("content"))
                            .toString();
        }
        return text;
    }
};

inline QJsonObject messagesBody(const QString &userText)
{
    return QJsonObject{{QStringLiteral("messages"),
                        QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                               {QStringLiteral("content"), userText}}}}};
}

inline CallContext context(const QString &model, const QJsonObject &body, bool stream = true,
                           bool includeUsage = true)
{
    CallContext c;
    c.body = body;
    c.upstreamModel = model;
    c.stream = stream;
    c.includeUsage = includeUsage;
    c.requestId = QStringLiteral("chatcmpl-test1");
    c.created = 1'700'000'000;
    return c;
}

// One provider from a JSON config entry, with the recording directory and mode allowlisted.
inline std::shared_ptr<Provider> provider(const QString &id, QJsonObject raw)
{
    ProviderConfig config;
    config.id = id;
    config.type = QStringLiteral("cli");
    QJsonArray env = raw.value(QStringLiteral("env")).toArray();
    env.append(QStringLiteral("FAKE_CLI_DIR"));
    env.append(QStringLiteral("FAKE_CLI_MODE"));
    raw.insert(QStringLiteral("env"), env);
    config.raw = raw;
    QString error;
    auto p = createCliProvider(config, &error);
    if (!p)
        qWarning() << "config error:" << error;
    return p;
}

// Runs a call; the observers collect everything it emits until the test ends it.
class CallRun
{
public:
    CallRun(const Provider &provider, const CallContext &context)
        : m_call(provider.createCall(context, nullptr))
    {
        QObject::connect(m_call.get(), &ProviderCall::chunk, m_call.get(),
                         [this](const QByteArray &json) {
                             result.chunks.append(QJsonDocument::fromJson(json).object());
                         });
        QObject::connect(m_call.get(), &ProviderCall::succeeded, m_call.get(),
                         [this] { ++result.succeeded; });
        QObject::connect(m_call.get(), &ProviderCall::failed, m_call.get(),
                         [this](const ApiError &e) {
                             ++result.failed;
                             result.error = e;
                         });
        m_call->start();
    }

    ProviderCall *call() const { return m_call.get(); }
    void destroy() { m_call.reset(); }
    bool ended() const { return result.succeeded + result.failed > 0; }
    bool waitForEnd(int ms = 10'000)
    {
        return QTest::qWaitFor([this] { return ended(); }, ms);
    }

    CallResult result;

private:
    std::unique_ptr<ProviderCall> m_call;
};

inline QJsonObject chunk(const QString &model, const QJsonObject &delta,
                         const QJsonValue &finish = QJsonValue::Null)
{
    return QJsonObject{
        {QStringLiteral("id"), QStringLiteral("chatcmpl-test1")},
        {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
        {QStringLiteral("created"), 1'700'000'000},
        {QStringLiteral("model"), model},
        {QStringLiteral("choices"),
         QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                {QStringLiteral("delta"), delta},
                                {QStringLiteral("finish_reason"), finish}}}},
    };
}

inline QJsonObject usageChunk(const QString &model, int prompt, int completion, int cached)
{
    return QJsonObject{
        {QStringLiteral("id"), QStringLiteral("chatcmpl-test1")},
        {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
        {QStringLiteral("created"), 1'700'000'000},
        {QStringLiteral("model"), model},
        {QStringLiteral("choices"), QJsonArray{}},
        {QStringLiteral("usage"),
         QJsonObject{{QStringLiteral("prompt_tokens"), prompt},
                     {QStringLiteral("completion_tokens"), completion},
                     {QStringLiteral("total_tokens"), prompt + completion},
                     {QStringLiteral("prompt_tokens_details"),
                      QJsonObject{{QStringLiteral("cached_tokens"), cached}}}}},
    };
}

} // namespace portico::test
