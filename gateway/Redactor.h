#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <memory>

namespace portico {

// Replaces secrets with "[REDACTED]": the literal secrets it was built with (gateway tokens, the
// password, provider keys) and anything that looks like a credential (the value of an
// Authorization / x-api-key / password header or field, a Bearer token, `sk-…`, `sk-ant-…`,
// `pt_…`, `gsk_…`, `xai-…` and `AIza…` keys). Immutable once built, so one instance may be used
// from any number of threads; copies are cheap (shared). Fast: one precompiled pattern for the
// literal secrets and Bearer tokens plus one character scan for the other shapes.
class Redactor
{
public:
    static constexpr int MinSecretLength = 4; // shorter literal secrets are ignored

    Redactor(); // generic patterns only
    explicit Redactor(const QStringList &secrets);

    static QString placeholder() { return QStringLiteral("[REDACTED]"); }

    // Returns `text` itself (shared, not copied) when nothing is redacted.
    QString redact(const QString &text) const;
    // Redacts JSON text (UTF-8) as a whole: secrets are also matched in their JSON-escaped
    // spelling, and a replacement never breaks the JSON (it contains no quote or backslash).
    QByteArray redactJsonText(const QByteArray &json) const;
    // Redacts every string in the value, object keys included. The value of a field named like a
    // credential ("authorization", "x-api-key", "password", …) is replaced as a whole.
    QJsonValue redact(const QJsonValue &value) const;
    QJsonObject redact(const QJsonObject &object) const;
    QJsonArray redact(const QJsonArray &array) const;

    int secretCount() const;

private:
    struct Data;
    QString redactString(const QString &text, bool *changed) const;
    bool redactInPlace(QJsonValue &value) const;
    bool redactInPlace(QJsonObject &object) const;
    bool redactInPlace(QJsonArray &array) const;

    std::shared_ptr<const Data> d;
};

} // namespace portico
