#include "CliOptions.h"

#include "Config.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>
#include <QStandardPaths>

#include <cmath>

namespace portico {

namespace {

constexpr int kMaxTimeoutSeconds = 86'400;
constexpr qint64 kMinOutputBytes = 4096;
constexpr qint64 kMaxOutputBytes = 1LL << 30;

QString expandHome(const QString &path)
{
    if (path == QLatin1String("~"))
        return QDir::homePath();
    if (path.startsWith(QLatin1String("~/")))
        return QDir::homePath() + path.mid(1);
    return path;
}

class KeyReader
{
public:
    KeyReader(const ProviderConfig &config, QString *error)
        : m_raw(config.raw)
        , m_prefix(QStringLiteral("providers.") + config.id + QLatin1Char('.'))
        , m_error(error)
    {}

    bool fail(const QString &key, const QString &problem) const
    {
        if (m_error)
            *m_error = m_prefix + key + QStringLiteral(": ") + problem;
        return false;
    }

    bool has(const QString &key) const
    {
        const QJsonValue v = m_raw.value(key);
        return !v.isUndefined() && !v.isNull();
    }

    bool string(const QString &key, QString *out) const
    {
        if (!has(key))
            return true;
        const QJsonValue v = m_raw.value(key);
        if (!v.isString())
            return fail(key, QStringLiteral("must be a string"));
        *out = v.toString();
        return true;
    }

    bool strings(const QString &key, QStringList *out) const
    {
        if (!has(key))
            return true;
        const QJsonValue v = m_raw.value(key);
        if (!v.isArray())
            return fail(key, QStringLiteral("must be an array of strings"));
        QStringList list;
        for (const QJsonValue &item : v.toArray()) {
            if (!item.isString())
                return fail(key, QStringLiteral("must be an array of strings"));
            list.append(item.toString());
        }
        *out = list;
        return true;
    }

    bool integer(const QString &key, qint64 min, qint64 max, qint64 *out) const
    {
        if (!has(key))
            return true;
        const QJsonValue v = m_raw.value(key);
        const double d = v.toDouble(std::nan(""));
        if (!v.isDouble() || std::floor(d) != d || d < double(min) || d > double(max))
            return fail(key,
                        QStringLiteral("must be a whole number from %1 to %2").arg(min).arg(max));
        *out = qint64(d);
        return true;
    }

private:
    QJsonObject m_raw;
    QString m_prefix;
    QString *m_error;
};

bool validEnvName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,127}$"));
    return re.match(name).hasMatch();
}

} // namespace

bool CliOptions::fromConfig(const ProviderConfig &config, CliOptions *out, QString *error)
{
    const KeyReader r(config, error);
    CliOptions o;
    o.providerId = config.id;
    o.models = config.models;

    QString preset;
    if (!r.string(QStringLiteral("preset"), &preset))
        return false;
    if (!r.has(QStringLiteral("preset")) && CliPresets::find(config.id))
        preset = config.id;
    if (preset == QLatin1String("none"))
        preset.clear();
    if (!preset.isEmpty()) {
        const auto p = CliPresets::find(preset);
        if (!p)
            return r.fail(QStringLiteral("preset"),
                          QStringLiteral("must be one of %1 or none")
                              .arg(CliPresets::names().join(QStringLiteral(", "))));
        o.preset = p->name;
        o.command = p->command;
        o.args = p->args;
        o.modelFlag = p->modelFlag;
        o.stdinArgs = p->stdinArgs;
        o.format = p->format;
    }

    if (!r.string(QStringLiteral("command"), &o.command))
        return false;
    o.command = expandHome(o.command.trimmed());
    if (o.command.isEmpty())
        return r.fail(QStringLiteral("command"), QStringLiteral("is required without a preset"));
    if (o.command.contains(QLatin1Char('/')) && !QDir::isAbsolutePath(o.command))
        return r.fail(QStringLiteral("command"),
                      QStringLiteral("must be a command name or an absolute path"));

    if (!r.strings(QStringLiteral("args"), &o.args) ||
        !r.string(QStringLiteral("modelFlag"), &o.modelFlag))
        return false;
    if (!o.modelFlag.isEmpty() && !o.modelFlag.startsWith(QLatin1Char('-')))
        return r.fail(QStringLiteral("modelFlag"), QStringLiteral("must start with '-'"));

    QString prompt;
    if (!r.string(QStringLiteral("prompt"), &prompt))
        return false;
    if (prompt == QLatin1String("argument"))
        o.promptMode = PromptMode::Argument;
    else if (!prompt.isEmpty() && prompt != QLatin1String("stdin"))
        return r.fail(QStringLiteral("prompt"),
                      QStringLiteral("must be \"stdin\" or \"argument\""));

    if (!r.string(QStringLiteral("workingDirectory"), &o.workingDirectory))
        return false;
    o.workingDirectory = expandHome(o.workingDirectory);
    if (!o.workingDirectory.isEmpty() && !QDir::isAbsolutePath(o.workingDirectory))
        return r.fail(QStringLiteral("workingDirectory"),
                      QStringLiteral("must be an absolute path"));

    if (!r.strings(QStringLiteral("env"), &o.envAllowlist))
        return false;
    for (const QString &name : std::as_const(o.envAllowlist)) {
        if (!validEnvName(name))
            return r.fail(QStringLiteral("env"),
                          QStringLiteral("\"%1\" is not a variable name").arg(name));
        if (name.startsWith(QLatin1String("PORTICO_"), Qt::CaseInsensitive))
            return r.fail(
                QStringLiteral("env"),
                QStringLiteral("%1: Portico's own variables never reach a CLI").arg(name));
    }

    qint64 timeout = o.timeoutSeconds;
    if (!r.integer(QStringLiteral("timeoutSeconds"), 1, kMaxTimeoutSeconds, &timeout) ||
        !r.integer(QStringLiteral("maxOutputBytes"), kMinOutputBytes, kMaxOutputBytes,
                   &o.maxOutputBytes))
        return false;
    o.timeoutSeconds = int(timeout);

    *out = o;
    return true;
}

bool CliOptions::isValidModelName(const QString &model)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$"));
    return re.match(model).hasMatch();
}

QStringList CliOptions::arguments(const QString &model, const QString &prompt) const
{
    QStringList argv = args;
    if (!model.isEmpty() && !modelFlag.isEmpty())
        argv << modelFlag << model;
    if (promptMode == PromptMode::Argument)
        argv << QStringLiteral("--") << prompt;
    else
        argv << stdinArgs;
    return argv;
}

bool CliOptions::isBaseEnvironmentName(const QString &name)
{
    static const QStringList exact = {
        QStringLiteral("PATH"),
        QStringLiteral("HOME"),
        QStringLiteral("USER"),
        QStringLiteral("LOGNAME"),
        QStringLiteral("SHELL"),
        QStringLiteral("LANG"),
        QStringLiteral("LANGUAGE"),
        QStringLiteral("TZ"),
        QStringLiteral("TERM"),
        QStringLiteral("TMPDIR"),
        QStringLiteral("SSL_CERT_FILE"),
        QStringLiteral("SSL_CERT_DIR"),
        QStringLiteral("NODE_EXTRA_CA_CERTS"),
    };
    static const QStringList proxies = {QStringLiteral("http_proxy"), QStringLiteral("https_proxy"),
                                        QStringLiteral("all_proxy"), QStringLiteral("no_proxy")};
    if (exact.contains(name) || proxies.contains(name, Qt::CaseInsensitive))
        return true;
    return name.startsWith(QLatin1String("LC_")) || name.startsWith(QLatin1String("XDG_"));
}

QProcessEnvironment CliOptions::environment(const QProcessEnvironment &from) const
{
    QProcessEnvironment env;
    for (const QString &name : from.keys()) {
        if (name.startsWith(QLatin1String("PORTICO_"), Qt::CaseInsensitive))
            continue;
        if (isBaseEnvironmentName(name) || envAllowlist.contains(name))
            env.insert(name, from.value(name));
    }
    return env;
}

QString CliOptions::effectiveWorkingDirectory() const
{
    if (!workingDirectory.isEmpty())
        return workingDirectory;
    return Config::dataDir() + QStringLiteral("/cli/") + providerId;
}

QString CliOptions::resolveProgram() const
{
    if (command.contains(QLatin1Char('/'))) {
        const QFileInfo info(command);
        return info.isFile() && info.isExecutable() ? command : QString();
    }
    return QStandardPaths::findExecutable(command);
}

} // namespace portico
