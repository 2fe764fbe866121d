#pragma once

#include <QString>
#include <QStringView>

#include <string>

namespace portico {

// Appends `text` as UTF-8. Text of ASCII only (nearly every id, name and model a request log
// line holds) is narrowed in place, without QString::toUtf8()'s allocation.
inline void appendUtf8(std::string &out, QStringView text)
{
    const qsizetype n = text.size();
    const char16_t *p = text.utf16();
    char16_t any = 0;
    for (qsizetype i = 0; i < n; ++i)
        any |= p[i];
    if (any < 0x80) {
        const size_t at = out.size();
        out.resize(at + size_t(n));
        for (qsizetype i = 0; i < n; ++i)
            out[at + size_t(i)] = char(p[i]);
        return;
    }
    const QByteArray utf8 = text.toUtf8();
    out.append(utf8.constData(), size_t(utf8.size()));
}

} // namespace portico
