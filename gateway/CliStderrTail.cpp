#include "CliStderrTail.h"

#include "Redactor.h"

#include <QRegularExpression>

#include <functional>

namespace portico {

namespace {

const QString kRedacted = QStringLiteral("[REDACTED]");

// Replaces every match of `re`; `keep` is the number of the capture group to keep in front of
// the redaction (0: none). `accept` may veto a match.
QString replaceAll(const QString &text, const QRegularExpression &re, int keep,
                   const std::function<bool(const QString &)> &accept = {})
{
    QString out;
    qsizetype last = 0;
    auto it = re.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        if (accept && !accept(m.captured(0)))
            continue;
        out += QStringView(text).mid(last, m.capturedStart(0) - last);
        if (keep > 0)
            out += m.captured(keep);
        out += kRedacted;
        last = m.capturedEnd(0);
    }
    out += QStringView(text).mid(last);
    return out;
}

bool mixesLettersAndDigits(const QString &s)
{
    bool letter = false;
    bool digit = false;
    for (const QChar c : s) {
        letter = letter || c.isLetter();
        digit = digit || c.isDigit();
    }
    return letter && digit;
}

} // namespace

CliStderrTail::CliStderrTail(qsizetype limit)
    : m_limit(limit)
{}

void CliStderrTail::append(const QByteArray &data)
{
    m_tail.append(data);
    if (m_tail.size() > m_limit) {
        m_tail.remove(0, m_tail.size() - m_limit);
        m_truncated = true;
    }
}

QString CliStderrTail::text() const
{
    QByteArray bytes = m_tail;
    if (m_truncated) {
        // Drop a UTF-8 sequence cut in half at the front.
        qsizetype skip = 0;
        while (skip < bytes.size() && skip < 4 && (uchar(bytes.at(skip)) & 0xC0) == 0x80)
            ++skip;
        bytes.remove(0, skip);
    }
    QString text = redact(QString::fromUtf8(bytes).trimmed());
    if (m_truncated)
        text.prepend(QStringLiteral("…"));
    return text;
}

QString CliStderrTail::redact(const QString &input)
{
    // The gateway's shared patterns first (provider key shapes, credential headers and fields,
    // Bearer tokens), then shapes and names agent CLIs print that those do not cover.
    static const Redactor generic;
    static const QRegularExpression keyValue(
        QStringLiteral("((?:token|secret|credentials?)[A-Za-z0-9_-]*[\"']?\\s*[:=]\\s*[\"']?)"
                       "(?!\\[REDACTED\\]|(?:bearer|basic)\\s)[^\\s\"',;]{4,}"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression shapes(QStringLiteral(
        "\\b(?:(?:sk|pk|rk)-[A-Za-z0-9_-]{12,}|gh[pousr]_[A-Za-z0-9]{16,}|"
        "github_pat_[A-Za-z0-9_]{16,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|"
        "ya29\\.[0-9A-Za-z_-]{10,}|eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,})"));
    static const QRegularExpression opaque(QStringLiteral("[A-Za-z0-9_-]{32,}"));

    QString text = generic.redact(input);
    text = replaceAll(text, keyValue, 1);
    text = replaceAll(text, shapes, 0);
    text = replaceAll(text, opaque, 0, mixesLettersAndDigits);
    return text;
}

} // namespace portico
