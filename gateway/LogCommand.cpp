#include "LogCommand.h"

#include "Config.h"
#include "LogReader.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTextStream>

namespace portico {

namespace {

constexpr int ExitUsage = 2;

// The translation context of this command's messages (lupdate reads the macro).
class LogCommandText
{
    Q_DECLARE_TR_FUNCTIONS(portico::LogCommand)
};
constexpr int TextColumns = 80;

const char *const UsageText = QT_TRANSLATE_NOOP(
    "portico::LogCommand",
    "Usage: portico log [options]\n"
    "Prints the session log, oldest first.\n"
    "\n"
    "Options:\n"
    "  --session KEY   only the records of this session\n"
    "  --since TIME    only records from TIME on\n"
    "  --until TIME    only records before TIME\n"
    "  --agent NAME    only this agent's records\n"
    "  --model NAME    only records for this upstream model\n"
    "  --status CODE   only this HTTP status (e.g. 429) or class (e.g. 5xx)\n"
    "  --grep TEXT     only records whose JSON contains TEXT (any case)\n"
    "  -n, --limit N   only the newest N records\n"
    "  --json          print the records as JSON Lines\n"
    "  -h, --help      show this help\n"
    "\n"
    "TIME is ISO 8601 (2024-05-01, 2024-05-01T13:45:00, UTC unless it has an offset)\n"
    "or a span back from now: 30s, 15m, 2h, 3d, 1w.\n");

struct Options
{
    LogFilter filter;
    bool json = false;
    bool help = false;
    qint64 limit = -1;
};

bool parseStatus(const QString &s, LogFilter *f)
{
    static const QRegularExpression re(QStringLiteral("^([1-5])(?:xx|XX|(\\d\\d))$"));
    const QRegularExpressionMatch m = re.match(s);
    if (!m.hasMatch())
        return false;
    const int hundreds = m.captured(1).toInt() * 100;
    const bool isClass = m.capturedLength(2) == 0;
    f->statusFrom = isClass ? hundreds : hundreds + m.captured(2).toInt();
    f->statusTo = isClass ? hundreds + 99 : f->statusFrom;
    return true;
}

// Fills `o`; on a usage error returns false with `error` set.
bool parseArgs(const QStringList &args, qint64 nowMs, Options *o, QString *error)
{
    for (qsizetype i = 0; i < args.size(); ++i) {
        QString name = args.at(i);
        QString value;
        bool hasValue = false;
        const qsizetype eq = name.indexOf(QLatin1Char('='));
        if (name.startsWith(QLatin1String("--")) && eq > 0) {
            value = name.mid(eq + 1);
            name.truncate(eq);
            hasValue = true;
        }
        if (name == QLatin1String("--json") || name == QLatin1String("-h") ||
            name == QLatin1String("--help")) {
            if (hasValue) {
                *error = LogCommandText::tr("%1 takes no value.").arg(name);
                return false;
            }
            (name == QLatin1String("--json") ? o->json : o->help) = true;
            continue;
        }
        static const QStringList withValue{
            QStringLiteral("--session"), QStringLiteral("--since"), QStringLiteral("--until"),
            QStringLiteral("--agent"),   QStringLiteral("--model"), QStringLiteral("--status"),
            QStringLiteral("--grep"),    QStringLiteral("--limit"), QStringLiteral("-n")};
        if (!withValue.contains(name)) {
            *error = LogCommandText::tr("Unknown argument \"%1\".").arg(args.at(i));
            return false;
        }
        if (!hasValue) {
            if (++i >= args.size()) {
                *error = LogCommandText::tr("%1 needs a value.").arg(name);
                return false;
            }
            value = args.at(i);
        }
        LogFilter &f = o->filter;
        bool ok = true;
        if (name == QLatin1String("--session")) {
            f.sessionKey = value;
        } else if (name == QLatin1String("--agent")) {
            f.agent = value;
        } else if (name == QLatin1String("--model")) {
            f.model = value;
        } else if (name == QLatin1String("--grep")) {
            f.text = value;
        } else if (name == QLatin1String("--since") || name == QLatin1String("--until")) {
            const qint64 t = parseLogTime(value, nowMs);
            ok = t >= 0;
            (name == QLatin1String("--since") ? f.since : f.until) = t;
        } else if (name == QLatin1String("--status")) {
            ok = parseStatus(value, &f);
        } else { // --limit, -n
            o->limit = value.toLongLong(&ok);
            ok = ok && o->limit >= 0;
        }
        if (!ok || value.isEmpty()) {
            *error = LogCommandText::tr("Invalid value for %1: \"%2\".").arg(name, value);
            return false;
        }
    }
    return true;
}

} // namespace

qint64 parseLogTime(const QString &text, qint64 nowMs)
{
    static const QRegularExpression span(QStringLiteral("^(\\d{1,7})([smhdw])$"));
    const QRegularExpressionMatch m = span.match(text);
    if (m.hasMatch()) {
        static const QString units = QStringLiteral("smhdw");
        static const qint64 unitMs[] = {1000, 60'000, 3'600'000, 86'400'000, 604'800'000};
        const qint64 back = m.captured(1).toLongLong() * unitMs[units.indexOf(m.captured(2))];
        return std::max<qint64>(0, nowMs - back);
    }
    QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!dt.isValid()) {
        const QDate date = QDate::fromString(text, Qt::ISODate);
        if (!date.isValid())
            return -1;
        dt = date.startOfDay(Qt::UTC);
    }
    if (dt.timeSpec() == Qt::LocalTime)
        dt.setTimeSpec(Qt::UTC); // no offset given: the time is UTC, like the log's own
    const qint64 ms = dt.toMSecsSinceEpoch();
    return ms >= 0 ? ms : -1;
}

QString formatLogLine(const LogRecord &r)
{
    const QString time = QDateTime::fromMSecsSinceEpoch(r.time, Qt::UTC)
                             .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
    const QString latency = r.latencyMs >= 0 ? QString::number(r.latencyMs) + QStringLiteral("ms")
                                             : QStringLiteral("-");
    QString who = r.agent.isEmpty() ? r.provider : r.agent;
    if (!r.upstreamModel.isEmpty())
        who += QLatin1Char('/') + r.upstreamModel;
    QString text = r.lastUserText().simplified();
    if (text.size() > TextColumns)
        text = text.left(TextColumns - 1) + QChar(0x2026);
    QString line = time + QStringLiteral("  ") + QString::number(r.status).rightJustified(3) +
                   QStringLiteral("  ") + latency.rightJustified(8) + QStringLiteral("  ") +
                   (who.isEmpty() ? QStringLiteral("-") : who) + QStringLiteral("  ") +
                   (r.sessionKey.isEmpty() ? QStringLiteral("-") : r.sessionKey) +
                   QStringLiteral("  ") + text;
    if (!r.error.isEmpty())
        line += QStringLiteral("  ! ") + r.error.simplified().left(TextColumns);
    return line;
}

int runLogCommand(const QStringList &args, QTextStream &out, QTextStream &err,
                  const QString &logDir)
{
    Options o;
    QString error;
    if (!parseArgs(args, QDateTime::currentMSecsSinceEpoch(), &o, &error)) {
        err << QStringLiteral("portico log: ") << error << "\n\n" << LogCommandText::tr(UsageText);
        err.flush();
        return ExitUsage;
    }
    if (o.help) {
        out << LogCommandText::tr(UsageText);
        out.flush();
        return 0;
    }
    const QString dir = logDir.isEmpty() ? Config::dataDir() + QStringLiteral("/logs") : logDir;
    if (!QFileInfo(dir).isDir()) {
        err << LogCommandText::tr("portico log: no session log in %1").arg(dir) << '\n';
        err.flush();
        return 0;
    }

    // Read newest first, keep only what printing needs, print oldest first.
    LogReader reader(dir, o.filter);
    QStringList lines;
    QList<LogLocation> where;
    LogRecord record;
    LogLocation location;
    while ((o.limit < 0 || lines.size() + where.size() < o.limit) &&
           reader.next(&record, nullptr, o.json ? &location : nullptr)) {
        if (o.json)
            where.append(location);
        else
            lines.append(formatLogLine(record));
    }
    for (qsizetype i = where.size() - 1; i >= 0; --i) {
        const QByteArray line = reader.readLine(where.at(i));
        if (line.isEmpty()) {
            err << LogCommandText::tr("portico log: cannot read %1")
                       .arg(reader.files().value(where.at(i).file))
                << '\n';
            err.flush();
            out.flush();
            return 1;
        }
        out << QString::fromUtf8(line) << '\n';
    }
    for (qsizetype i = lines.size() - 1; i >= 0; --i)
        out << lines.at(i) << '\n';
    out.flush();
    return 0;
}

} // namespace portico
