#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace portico {

// Appends `text` as UTF-8. Text of ASCII only (nearly every id, name and model a request log
// line holds) is narrowed straight into `out`, eight units at a time where SSE2 is there, without
// QString::toUtf8()'s allocation; anything else goes through toUtf8().
inline void appendUtf8(std::string &out, QStringView text)
{
    const qsizetype n = text.size();
    const char16_t *const p = text.utf16();
    const size_t at = out.size();
    out.resize(at + size_t(n));
    char *const dst = out.data() + at;
    qsizetype i = 0;
    bool ascii = true;
#if defined(__SSE2__)
    const __m128i high = _mm_set1_epi16(short(0xFF80));
    for (; i + 8 <= n; i += 8) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i));
        if (_mm_movemask_epi8(_mm_cmpeq_epi16(_mm_and_si128(v, high), _mm_setzero_si128())) !=
            0xFFFF) {
            ascii = false;
            break;
        }
        _mm_storel_epi64(reinterpret_cast<__m128i *>(dst + i), _mm_packus_epi16(v, v));
    }
#endif
    for (; ascii && i < n; ++i) {
        if (p[i] >= 0x80)
            ascii = false;
        else
            dst[i] = char(p[i]);
    }
    if (ascii)
        return;
    out.resize(at);
    const QByteArray utf8 = text.toUtf8();
    out.append(utf8.constData(), size_t(utf8.size()));
}

} // namespace portico
