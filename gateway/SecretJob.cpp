#include "SecretJob.h"

namespace portico {

SecretJob::SecretJob(Kind kind, const QString &key, QObject *parent)
    : QObject(parent)
    , m_kind(kind)
    , m_key(key)
{}

QString SecretJob::errorName(Error error)
{
    switch (error) {
    case Error::None:
        return QStringLiteral("none");
    case Error::NotFound:
        return QStringLiteral("not found");
    case Error::NoBackend:
        return QStringLiteral("no keychain service");
    case Error::AccessDenied:
        return QStringLiteral("access denied");
    case Error::Other:
        break;
    }
    return QStringLiteral("error");
}

void SecretJob::finish(Error error, const QString &errorString, const QByteArray &data)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    m_errorString = errorString;
    m_data = data;
    Q_EMIT finished(this);
    deleteLater();
}

} // namespace portico
