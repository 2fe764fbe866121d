#include "HeaderBlock.h"

#include <cstring>

namespace portico {

void HeaderBlock::appendLine(QByteArrayView line)
{
    if (m_lines.isEmpty())
        m_lines.reserve(qMax<qsizetype>(512, line.size() + 1)); // the whole block, nearly always
    m_lines.append(line).append('\n');
}

template<typename F> void HeaderBlock::forEach(F f) const
{
    const char *p = m_lines.constData();
    const char *const end = p + m_lines.size();
    while (p < end) {
        const auto *nl = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        const QByteArrayView line(p, nl - p); // every line ends with '\n' (appendLine)
        const qsizetype colon = indexOfByte(line, ':');
        if (f(line.first(colon), line.sliced(colon + 1).trimmed()))
            return;
        p = nl + 1;
    }
}

QByteArray HeaderBlock::value(QByteArrayView lowerName) const
{
    QByteArray found;
    forEach([&](QByteArrayView name, QByteArrayView value) {
        if (!isHeaderNameIgnoringCase(name, lowerName))
            return false;
        found = value.isEmpty() ? QByteArray("") : value.toByteArray();
        return true;
    });
    return found;
}

HeaderList HeaderBlock::toList() const
{
    HeaderList list;
    forEach([&](QByteArrayView name, QByteArrayView value) {
        list.append({lowerCaseHeaderName(name), value.toByteArray()});
        return false;
    });
    return list;
}

} // namespace portico
