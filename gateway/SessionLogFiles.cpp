#include "SessionLogFiles.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

#include <algorithm>

namespace portico {

namespace {

constexpr qint64 BlockSize = 64 * 1024;

const QRegularExpression &namePattern()
{
    static const QRegularExpression re(
        QStringLiteral("^sessions-(\\d{4}-\\d{2}-\\d{2})(?:\\.([1-9]\\d{0,5}))?\\.jsonl$"));
    return re;
}

bool isTornName(const QString &name)
{
    return name.startsWith(QLatin1String("torn-")) && name.endsWith(QLatin1String(".jsonl.part"));
}

// The position of the last '\n' before `limit`, or -1.
qint64 lastNewlineBefore(QFile &file, qint64 limit)
{
    qint64 end = limit;
    while (end > 0) {
        const qint64 start = std::max<qint64>(0, end - BlockSize);
        if (!file.seek(start))
            return -1;
        const QByteArray block = file.read(end - start);
        const qsizetype i = block.lastIndexOf('\n');
        if (i >= 0)
            return start + i;
        end = start;
    }
    return -1;
}

bool isJsonObject(const QByteArray &line)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    return error.error == QJsonParseError::NoError && doc.isObject();
}

QString uniqueTornPath(const QString &dir, qint64 nowMs)
{
    const QString stamp = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC)
                              .toString(QStringLiteral("yyyyMMdd'T'HHmmsszzz'Z'"));
    QString path = dir + QStringLiteral("/torn-") + stamp + QStringLiteral(".jsonl.part");
    for (int n = 1; QFileInfo::exists(path); ++n) {
        path = dir + QStringLiteral("/torn-") + stamp + QLatin1Char('-') + QString::number(n) +
               QStringLiteral(".jsonl.part");
    }
    return path;
}

bool copyTail(QFile &from, qint64 start, const QString &toPath, QString *error)
{
    QFile to(toPath);
    if (!to.open(QIODevice::WriteOnly | QIODevice::NewOnly,
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        *error = to.errorString();
        return false;
    }
    if (!from.seek(start)) {
        *error = from.errorString();
        return false;
    }
    while (!from.atEnd()) {
        const QByteArray block = from.read(BlockSize);
        if (block.isEmpty() || to.write(block) != block.size()) {
            *error = block.isEmpty() ? from.errorString() : to.errorString();
            to.remove();
            return false;
        }
    }
    return true;
}

} // namespace

QString SessionLogFiles::fileName(QDate day, int index)
{
    QString name = QStringLiteral("sessions-") + day.toString(Qt::ISODate);
    if (index > 0)
        name += QLatin1Char('.') + QString::number(index);
    return name + QStringLiteral(".jsonl");
}

bool SessionLogFiles::parseFileName(const QString &name, QDate *day, int *index)
{
    const QRegularExpressionMatch m = namePattern().match(name);
    if (!m.hasMatch())
        return false;
    const QDate d = QDate::fromString(m.captured(1), Qt::ISODate);
    if (!d.isValid())
        return false;
    *day = d;
    *index = m.capturedLength(2) > 0 ? m.captured(2).toInt() : 0;
    return true;
}

QList<SessionLogFiles::Entry> SessionLogFiles::list(const QString &dir)
{
    QList<Entry> entries;
    const QFileInfoList infos =
        QDir(dir).entryInfoList({QStringLiteral("sessions-*.jsonl")}, QDir::Files);
    for (const QFileInfo &info : infos) {
        Entry e;
        if (!parseFileName(info.fileName(), &e.day, &e.index))
            continue;
        e.path = info.absoluteFilePath();
        e.size = info.size();
        entries.append(e);
    }
    std::sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
        return a.day != b.day ? a.day < b.day : a.index < b.index;
    });
    return entries;
}

QDate SessionLogFiles::dayOf(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).date();
}

qint64 SessionLogFiles::dayStartMs(QDate day)
{
    return day.startOfDay(Qt::UTC).toMSecsSinceEpoch();
}

int SessionLogFiles::removeExpired(const QString &dir, int retentionDays, qint64 nowMs)
{
    if (retentionDays <= 0)
        return 0;
    const qint64 keepMs = retentionDays * DayMs;
    int removed = 0;
    for (const Entry &e : list(dir)) {
        if (dayStartMs(e.day.addDays(1)) + keepMs <= nowMs && QFile::remove(e.path))
            ++removed;
    }
    const QFileInfoList torn =
        QDir(dir).entryInfoList({QStringLiteral("torn-*.jsonl.part")}, QDir::Files);
    for (const QFileInfo &info : torn) {
        if (isTornName(info.fileName()) &&
            info.lastModified().toMSecsSinceEpoch() + keepMs <= nowMs &&
            QFile::remove(info.absoluteFilePath()))
            ++removed;
    }
    return removed;
}

SessionLogFiles::TornLine SessionLogFiles::recoverTornLine(const QString &path, const QString &dir,
                                                           qint64 nowMs)
{
    TornLine result;
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite))
        return result;
    const qint64 size = file.size();
    char last = 0;
    if (size == 0 || !file.seek(size - 1) || !file.getChar(&last))
        return result;

    qint64 tornStart = 0;
    if (last != '\n') {
        tornStart = lastNewlineBefore(file, size) + 1;
    } else {
        const qint64 lineStart = lastNewlineBefore(file, size - 1) + 1;
        if (!file.seek(lineStart))
            return result;
        if (isJsonObject(file.read(size - 1 - lineStart)))
            return result;
        tornStart = lineStart;
    }

    result.bytes = size - tornStart;
    result.partPath = uniqueTornPath(dir, nowMs);
    if (copyTail(file, tornStart, result.partPath, &result.error)) {
        if (!file.resize(tornStart))
            result.error = file.errorString();
    } else {
        result.partPath.clear();
    }
    if (!result.error.isEmpty() && last != '\n') {
        // Could not set it aside: at least end it, so the next record has its own line.
        file.seek(size);
        file.write("\n", 1);
    }
    return result;
}

} // namespace portico
