#pragma once

#include <QByteArray>
#include <QString>

namespace portico {

// Keeps the last bytes a CLI wrote to stderr, for the error a failed call reports, and redacts
// anything that looks like a secret before that text leaves the gateway.
class CliStderrTail
{
public:
    explicit CliStderrTail(qsizetype limit = 2048);

    void append(const QByteArray &data);
    bool isEmpty() const { return m_tail.isEmpty(); }
    // The kept bytes as text, trimmed, redacted; "…" in front when earlier bytes were dropped.
    QString text() const;

    // Replaces secrets with "[REDACTED]": what the gateway's Redactor finds (provider keys,
    // credential headers and fields, Bearer tokens), plus `token`/`secret`/`credentials` values,
    // GitHub, Slack, AWS and Google OAuth token shapes, JWTs and any other run of 32 or more
    // letters, digits, '_' or '-' that mixes letters and digits.
    static QString redact(const QString &text);

private:
    QByteArray m_tail;
    qsizetype m_limit;
    bool m_truncated = false;
};

} // namespace portico
