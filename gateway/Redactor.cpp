#include "Redactor.h"

#include "CredentialScan.h"

#include <QByteArrayMatcher>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QStringMatcher>

#include <algorithm>

namespace portico {

using namespace CredentialScan;

namespace {

// Found by the regular expression: a Bearer token anywhere (after the literal secrets, which
// are prepended as escaped alternatives). \K starts the replaced part after the scheme.
const char BearerPattern[] = R"((?i:\bbearer)\s+\K[A-Za-z0-9._~+/=\-]{8,})";

// The shortest text a generic rule can match ("apikey:abc").
constexpr int MinGenericLength = 10;

bool isSensitiveKey(const QString &key)
{
    static const QSet<QString> names = [] {
        QSet<QString> s;
        for (const char *n : {"authorization", "proxy-authorization", "x-api-key", "api-key",
                              "api_key", "apikey", "x-goog-api-key", "password", "passwd",
                              "client_secret", "access_token", "refresh_token", "secret_key"})
            s.insert(QString::fromLatin1(n));
        return s;
    }();
    return key.size() <= 24 && names.contains(key.toLower());
}

} // namespace

struct Redactor::Data
{
    QList<QByteArrayMatcher> asciiLiterals; // the literal secrets that are ASCII, as bytes
    QList<QStringMatcher> literals;         // the literal secrets, each spelling
    QRegularExpression pattern;             // the literal secrets and Bearer tokens
    int minLength = MinGenericLength;
    int secretCount = 0;
};

Redactor::Redactor()
    : Redactor(QStringList())
{}

Redactor::Redactor(const QStringList &secrets)
{
    auto data = std::make_shared<Data>();
    QStringList literals;
    const auto add = [&literals](const QString &s) {
        if (s.size() >= MinSecretLength && !literals.contains(s))
            literals.append(s);
    };
    for (const QString &s : secrets) {
        add(s);
        // How the secret reads inside JSON text, for redactJsonText().
        const QByteArray quoted = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
        add(QString::fromUtf8(quoted.mid(2, quoted.size() - 4)));
    }
    // Longest first, so a secret that contains another one is replaced whole.
    std::sort(literals.begin(), literals.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
    QString pattern;
    for (const QString &s : std::as_const(literals)) {
        data->literals.append(QStringMatcher(s));
        if (isAscii(s.toUtf8()))
            data->asciiLiterals.append(QByteArrayMatcher(s.toLatin1()));
        pattern += QRegularExpression::escape(s) + QLatin1Char('|');
        data->minLength = std::min<int>(data->minLength, s.size());
    }
    pattern += QLatin1String(BearerPattern);
    data->secretCount = literals.size();
    data->pattern.setPattern(pattern);
    data->pattern.optimize(); // compile now, once; matching is then read-only
    Q_ASSERT(data->pattern.isValid());
    d = std::move(data);
}

int Redactor::secretCount() const
{
    return d->secretCount;
}

QString Redactor::redactString(const QString &text, bool *changed) const
{
    if (text.size() < d->minLength)
        return text;
    QList<Range> ranges;
    const bool mayMatch =
        mentionsBearer(text) ||
        std::any_of(d->literals.cbegin(), d->literals.cend(),
                    [&text](const QStringMatcher &m) { return m.indexIn(text) >= 0; });
    if (!mayMatch) {
        scanShapes(text, &ranges);
        if (ranges.isEmpty())
            return text;
        *changed = true;
        return replaceRanges(QStringView(text), std::move(ranges));
    }
    QRegularExpressionMatchIterator it = d->pattern.globalMatch(text);
    if (!it.isValid()) {
        // Ill-formed UTF-16 (a lone surrogate) makes the matcher refuse the subject; match a
        // well-formed copy instead of letting a secret through. If even that fails, keep
        // nothing of the text.
        *changed = true;
        const QString clean = QString::fromUtf8(text.toUtf8());
        bool unused = false;
        return clean == text ? placeholder() : redactString(clean, &unused);
    }
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        ranges.append({m.capturedStart(0), m.capturedEnd(0)});
    }
    scanShapes(text, &ranges);
    if (ranges.isEmpty())
        return text;
    *changed = true;
    return replaceRanges(QStringView(text), std::move(ranges));
}

QString Redactor::redact(const QString &text) const
{
    bool changed = false;
    return redactString(text, &changed);
}

bool Redactor::redactInPlace(QJsonValue &value) const
{
    switch (value.type()) {
    case QJsonValue::String: {
        bool changed = false;
        QString s = redactString(value.toString(), &changed);
        if (changed)
            value = s;
        return changed;
    }
    case QJsonValue::Array: {
        QJsonArray a = value.toArray();
        if (!redactInPlace(a))
            return false;
        value = a;
        return true;
    }
    case QJsonValue::Object: {
        QJsonObject o = value.toObject();
        if (!redactInPlace(o))
            return false;
        value = o;
        return true;
    }
    default:
        return false;
    }
}

bool Redactor::redactInPlace(QJsonArray &array) const
{
    bool any = false;
    for (qsizetype i = 0; i < array.size(); ++i) {
        QJsonValue v = array.at(i);
        if (redactInPlace(v)) {
            array.replace(i, v);
            any = true;
        }
    }
    return any;
}

bool Redactor::redactInPlace(QJsonObject &object) const
{
    bool any = false;
    const QStringList keys = object.keys();
    for (const QString &key : keys) {
        QJsonValue v = object.value(key);
        bool changed = false;
        if (isSensitiveKey(key) && v.isString() && !v.toString().isEmpty()) {
            changed = v.toString() != placeholder();
            v = placeholder();
        } else {
            changed = redactInPlace(v);
        }
        bool keyChanged = false;
        const QString newKey = redactString(key, &keyChanged);
        if (keyChanged) {
            object.remove(key);
            object.insert(newKey, v);
            any = true;
        } else if (changed) {
            object.insert(key, v);
            any = true;
        }
    }
    return any;
}

QJsonValue Redactor::redact(const QJsonValue &value) const
{
    QJsonValue v = value;
    redactInPlace(v);
    return v;
}

QJsonObject Redactor::redact(const QJsonObject &object) const
{
    QJsonObject o = object;
    redactInPlace(o);
    return o;
}

QJsonArray Redactor::redact(const QJsonArray &array) const
{
    QJsonArray a = array;
    redactInPlace(a);
    return a;
}

QByteArray Redactor::redactJsonText(const QByteArray &json) const
{
    // A line of ASCII (most are: JSON escapes what it must) that names no Bearer token and no
    // secret is scanned as it is, with no conversion to UTF-16 and back.
    if (json.size() < d->minLength)
        return json;
    if (isAscii(json) && !mentionsBearer(QByteArrayView(json)) &&
        std::none_of(d->asciiLiterals.cbegin(), d->asciiLiterals.cend(),
                     [&json](const QByteArrayMatcher &m) { return m.indexIn(json) >= 0; })) {
        QList<Range> ranges;
        scanShapes(QByteArrayView(json), &ranges);
        return ranges.isEmpty() ? json : replaceRanges(QByteArrayView(json), std::move(ranges));
    }
    bool changed = false;
    const QString text = redactString(QString::fromUtf8(json), &changed);
    return changed ? text.toUtf8() : json;
}

} // namespace portico
