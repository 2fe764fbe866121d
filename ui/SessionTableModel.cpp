#include "SessionTableModel.h"

#include "SessionRegistry.h"

#include <QDateTime>
#include <QFont>
#include <QHash>
#include <QLocale>
#include <QSet>

namespace portico {

namespace {

bool sameRow(const SessionSnapshot &a, const SessionSnapshot &b)
{
    return a.agent == b.agent && a.clientName == b.clientName && a.user == b.user &&
           a.model == b.model && a.firstActivityMs == b.firstActivityMs &&
           a.lastActivityMs == b.lastActivityMs && a.requestCount == b.requestCount &&
           a.liveCount == b.liveCount && a.tokensIn == b.tokensIn && a.tokensOut == b.tokensOut;
}

QString timeText(qint64 ms)
{
    if (ms <= 0)
        return {};
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms);
    return QLocale().toString(t.time(), QStringLiteral("HH:mm:ss")) +
           (t.date() == QDate::currentDate()
                ? QString()
                : QLatin1Char(' ') + QLocale().toString(t.date(), QLocale::ShortFormat));
}

} // namespace

SessionTableModel::SessionTableModel(SessionRegistry *registry, QObject *parent)
    : QAbstractTableModel(parent)
    , m_registry(registry)
{
    connect(m_registry, &SessionRegistry::sessionsChanged, this, &SessionTableModel::refresh);
    refresh();
}

int SessionTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SessionTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int SessionTableModel::rowOf(const QString &key) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).key == key)
            return i;
    }
    return -1;
}

void SessionTableModel::refresh()
{
    const QList<SessionSnapshot> fresh = m_registry->sessions();
    QHash<QString, qsizetype> index;
    index.reserve(fresh.size());
    for (qsizetype i = 0; i < fresh.size(); ++i)
        index.insert(fresh.at(i).key, i);

    // Gone sessions, from the bottom up.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (index.contains(m_rows.at(row).key))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    // Changed ones in place.
    QSet<QString> known;
    for (int row = 0; row < m_rows.size(); ++row) {
        SessionSnapshot &old = m_rows[row];
        known.insert(old.key);
        const SessionSnapshot &now = fresh.at(index.value(old.key));
        if (sameRow(old, now))
            continue;
        old = now;
        emit dataChanged(this->index(row, 0), this->index(row, ColumnCount - 1));
    }
    // New ones at the end.
    QList<SessionSnapshot> added;
    for (const SessionSnapshot &s : fresh) {
        if (!known.contains(s.key))
            added.append(s);
    }
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
        m_rows += added;
        endInsertRows();
    }
}

QVariant SessionTableModel::display(const SessionSnapshot &s, int column) const
{
    switch (column) {
    case Key:
        return s.key;
    case Agent:
        return s.agent;
    case Client:
        return s.clientName;
    case User:
        return s.user;
    case Model:
        return s.model;
    case Requests:
        return QLocale().toString(s.requestCount);
    case Live:
        return s.liveCount > 0 ? QLocale().toString(s.liveCount) : QString();
    case TokensIn:
        return QLocale().toString(s.tokensIn);
    case TokensOut:
        return QLocale().toString(s.tokensOut);
    case FirstActivity:
        return timeText(s.firstActivityMs);
    case LastActivity:
        return timeText(s.lastActivityMs);
    default:
        return {};
    }
}

QVariant SessionTableModel::sortValue(const SessionSnapshot &s, int column) const
{
    switch (column) {
    case Requests:
        return s.requestCount;
    case Live:
        return s.liveCount;
    case TokensIn:
        return s.tokensIn;
    case TokensOut:
        return s.tokensOut;
    case FirstActivity:
        return s.firstActivityMs;
    case LastActivity:
        return s.lastActivityMs;
    default:
        return display(s, column);
    }
}

QVariant SessionTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SessionSnapshot &s = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(s, index.column());
    case Qt::ToolTipRole:
        if (index.column() == FirstActivity || index.column() == LastActivity) {
            const qint64 ms =
                index.column() == FirstActivity ? s.firstActivityMs : s.lastActivityMs;
            return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), QLocale::LongFormat);
        }
        return display(s, index.column());
    case Qt::TextAlignmentRole:
        if (index.column() >= Requests && index.column() <= TokensOut)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (s.liveCount > 0) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case SortRole:
        return sortValue(s, index.column());
    case KeyRole:
        return s.key;
    case LiveRole:
        return s.liveCount > 0;
    default:
        return {};
    }
}

QVariant SessionTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Key:
        return tr("Session");
    case Agent:
        return tr("Agent");
    case Client:
        return tr("Client");
    case User:
        return tr("User");
    case Model:
        return tr("Model");
    case Requests:
        return tr("Requests");
    case Live:
        return tr("Live");
    case TokensIn:
        return tr("Tokens in");
    case TokensOut:
        return tr("Tokens out");
    case FirstActivity:
        return tr("First activity");
    case LastActivity:
        return tr("Last activity");
    default:
        return {};
    }
}

} // namespace portico
