#include "RequestTableModel.h"

#include "SessionRegistry.h"

#include <QDateTime>
#include <QFont>
#include <QHash>
#include <QLocale>
#include <QSet>

#include <algorithm>

namespace portico {

namespace {

bool sameRow(const RequestSnapshot &a, const RequestSnapshot &b)
{
    return a.state == b.state && a.chunks == b.chunks && a.bytes == b.bytes &&
           a.ttftMs == b.ttftMs && a.endedMs == b.endedMs && a.status == b.status &&
           a.completionTokens == b.completionTokens && a.promptTokens == b.promptTokens;
}

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

RequestTableModel::RequestTableModel(SessionRegistry *registry, QObject *parent)
    : QAbstractTableModel(parent)
    , m_registry(registry)
{
    connect(m_registry, &SessionRegistry::requestsChanged, this,
            &RequestTableModel::onRequestsChanged);
}

void RequestTableModel::setSessionKey(const QString &key)
{
    if (key == m_key)
        return;
    beginResetModel();
    m_key = key;
    m_rows = key.isEmpty() ? QList<RequestSnapshot>() : m_registry->requests(key);
    endResetModel();
}

void RequestTableModel::onRequestsChanged(const QString &key)
{
    if (!m_key.isEmpty() && key == m_key)
        refresh();
}

int RequestTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RequestTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int RequestTableModel::rowOf(const QString &requestId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).requestId == requestId)
            return i;
    }
    return -1;
}

bool RequestTableModel::hasLive() const
{
    return std::any_of(m_rows.cbegin(), m_rows.cend(),
                       [](const RequestSnapshot &r) { return r.isLive(); });
}

void RequestTableModel::refresh()
{
    const QList<RequestSnapshot> fresh =
        m_key.isEmpty() ? QList<RequestSnapshot>() : m_registry->requests(m_key);
    QHash<QString, qsizetype> index;
    index.reserve(fresh.size());
    for (qsizetype i = 0; i < fresh.size(); ++i)
        index.insert(fresh.at(i).requestId, i);

    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (index.contains(m_rows.at(row).requestId))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    QSet<QString> known;
    for (int row = 0; row < m_rows.size(); ++row) {
        RequestSnapshot &old = m_rows[row];
        known.insert(old.requestId);
        const RequestSnapshot &fresher = fresh.at(index.value(old.requestId));
        if (sameRow(old, fresher) && !fresher.isLive())
            continue;
        old = fresher;
        emit dataChanged(this->index(row, 0), this->index(row, ColumnCount - 1));
    }
    // The registry lists newest first: append the new ones oldest first.
    QList<RequestSnapshot> added;
    for (qsizetype i = fresh.size() - 1; i >= 0; --i) {
        if (!known.contains(fresh.at(i).requestId))
            added.append(fresh.at(i));
    }
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
        m_rows += added;
        endInsertRows();
    }
}

QString RequestTableModel::stateText(RequestSnapshot::State state)
{
    using S = RequestSnapshot::State;
    switch (state) {
    case S::Waiting:
        return tr("Waiting");
    case S::Streaming:
        return tr("Streaming");
    case S::Stopping:
        return tr("Stopping");
    case S::Succeeded:
        return tr("Done");
    case S::Failed:
        return tr("Failed");
    case S::Stopped:
        return tr("Stopped");
    case S::ClientGone:
        return tr("Client left");
    }
    return {};
}

QString RequestTableModel::durationText(qint64 ms)
{
    if (ms < 0)
        return {};
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    return tr("%1 s").arg(QLocale().toString(double(ms) / 1000.0, 'f', 1));
}

QString RequestTableModel::bytesText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QVariant RequestTableModel::display(const RequestSnapshot &r, int column) const
{
    switch (column) {
    case Started:
        return QLocale().toString(QDateTime::fromMSecsSinceEpoch(r.startedMs).time(),
                                  QStringLiteral("HH:mm:ss"));
    case Model:
        return r.model;
    case Provider:
        return r.provider;
    case State:
        return stateText(r.state);
    case Ttft:
        return r.ttftMs >= 0 ? durationText(r.ttftMs) : QString();
    case TokensPerSecond: {
        const double rate = r.tokensPerSecond(now());
        return rate > 0 ? QLocale().toString(rate, 'f', 1) : QString();
    }
    case Tokens:
        if (r.chunks == 0 && r.completionTokens < 0)
            return QString();
        return r.outputTokensEstimated() ? tr("~%1").arg(r.outputTokens())
                                         : QLocale().toString(r.outputTokens());
    case Bytes:
        return bytesText(r.bytes);
    case Duration:
        return durationText(r.elapsedMs(now()));
    case Status:
        return r.status > 0 ? QString::number(r.status) : QString();
    default:
        return {};
    }
}

QVariant RequestTableModel::sortValue(const RequestSnapshot &r, int column) const
{
    switch (column) {
    case Started:
        return r.startedMs;
    case Ttft:
        return r.ttftMs;
    case TokensPerSecond:
        return r.tokensPerSecond(now());
    case Tokens:
        return r.outputTokens();
    case Bytes:
        return r.bytes;
    case Duration:
        return r.elapsedMs(now());
    case Status:
        return r.status;
    case State:
        return int(r.state);
    default:
        return display(r, column);
    }
}

QVariant RequestTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RequestSnapshot &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(r, index.column());
    case Qt::ToolTipRole:
        if (index.column() == State || index.column() == Status)
            return r.error.isEmpty() ? stateText(r.state) : r.error.left(500);
        if (index.column() == Tokens && r.outputTokensEstimated())
            return tr("Estimated from the number of chunks: the upstream reported no usage.");
        return display(r, index.column());
    case Qt::TextAlignmentRole:
        if (index.column() >= Ttft && index.column() <= Status)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (r.isLive()) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case SortRole:
        return sortValue(r, index.column());
    case RequestIdRole:
        return r.requestId;
    case LiveRole:
        return r.isLive();
    default:
        return {};
    }
}

QVariant RequestTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Started:
        return tr("Started");
    case Model:
        return tr("Model");
    case Provider:
        return tr("Provider");
    case State:
        return tr("State");
    case Ttft:
        return tr("First token");
    case TokensPerSecond:
        return tr("Tokens/s");
    case Tokens:
        return tr("Tokens out");
    case Bytes:
        return tr("Bytes");
    case Duration:
        return tr("Duration");
    case Status:
        return tr("Status");
    default:
        return {};
    }
}

} // namespace portico
