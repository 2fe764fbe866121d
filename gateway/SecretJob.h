#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

namespace portico {

// One asynchronous operation on a SecretStore: read, write or remove one secret.
// It emits `finished` exactly once, always from the event loop (never inside the call that
// started it), then deletes itself. Read the results inside the slot connected to `finished`.
class SecretJob : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Read, Write, Remove };
    Q_ENUM(Kind)

    enum class Error {
        None,         // success
        NotFound,     // no secret is stored under this key (read only; removing is idempotent)
        NoBackend,    // no keychain service is available (e.g. no Secret Service on D-Bus)
        AccessDenied, // the keychain is locked or refused access
        Other,        // anything else; errorString() says what
    };
    Q_ENUM(Error)

    Kind kind() const { return m_kind; }
    const QString &key() const { return m_key; }
    Error error() const { return m_error; }
    // A human-readable, actionable description of error(); empty on success.
    const QString &errorString() const { return m_errorString; }
    // The secret read (Kind::Read, on success). Secrets are UTF-8 text.
    const QByteArray &data() const { return m_data; }
    bool isFinished() const { return m_finished; }

    static QString errorName(Error error);

Q_SIGNALS:
    void finished(portico::SecretJob *job);

protected:
    SecretJob(Kind kind, const QString &key, QObject *parent = nullptr);

    // Ends the job: records the outcome, emits `finished` and schedules deletion. Only the first
    // call has an effect, so racing paths (a result and a timeout) cannot end it twice.
    void finish(Error error, const QString &errorString = {}, const QByteArray &data = {});

private:
    Kind m_kind;
    QString m_key;
    Error m_error = Error::None;
    QString m_errorString;
    QByteArray m_data;
    bool m_finished = false;
};

} // namespace portico
