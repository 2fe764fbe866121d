#include "LogTableModel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QLocale>

namespace portico {

int LogTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LogTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void LogTableModel::appendRows(const QList<LogViewRow> &rows)
{
    if (rows.isEmpty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size() - 1));
    m_rows += rows;
    endInsertRows();
}

void LogTableModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    m_rows.squeeze();
    endResetModel();
}

QVariant LogTableModel::display(const LogViewRow &r, int column) const
{
    const QLocale locale;
    switch (column) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(r.time).toString(
            QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Status:
        return r.status > 0 ? QString::number(r.status) : QString();
    case Latency:
        return r.latencyMs >= 0 ? tr("%1 ms").arg(locale.toString(r.latencyMs)) : QString();
    case Ttft:
        return r.ttftMs >= 0 ? tr("%1 ms").arg(locale.toString(r.ttftMs)) : QString();
    case Tokens:
        if (!r.usage.isKnown())
            return QString();
        return tr("%1 → %2").arg(
            r.usage.promptTokens >= 0 ? locale.toString(r.usage.promptTokens) : QStringLiteral("?"),
            r.usage.completionTokens >= 0 ? locale.toString(r.usage.completionTokens)
                                          : QStringLiteral("?"));
    case Agent:
        return r.agent.isEmpty() ? r.provider : r.agent;
    case Model:
        return r.model;
    case Session:
        return r.sessionKey;
    case Client:
        return r.client;
    case Message:
        return r.preview;
    case Error:
        return r.error;
    default:
        return {};
    }
}

QVariant LogTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LogViewRow &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(r, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Time)
            return QLocale().toString(QDateTime::fromMSecsSinceEpoch(r.time), QLocale::LongFormat);
        if (index.column() == Tokens && r.usage.isKnown())
            return tr("%1 prompt, %2 completion, %3 total tokens")
                .arg(r.usage.promptTokens)
                .arg(r.usage.completionTokens)
                .arg(r.usage.totalTokens);
        return display(r, index.column());
    case Qt::TextAlignmentRole:
        if (index.column() >= Status && index.column() <= Tokens)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (index.column() == Status && r.status >= 400)
            return QBrush(QColor(0xc0, 0x39, 0x2b));
        return {};
    case RowRole:
        return QVariant::fromValue(r);
    default:
        return {};
    }
}

QVariant LogTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case Status:
        return tr("Status");
    case Latency:
        return tr("Latency");
    case Ttft:
        return tr("First token");
    case Tokens:
        return tr("Tokens");
    case Agent:
        return tr("Agent");
    case Model:
        return tr("Model");
    case Session:
        return tr("Session");
    case Client:
        return tr("Client");
    case Message:
        return tr("Message");
    case Error:
        return tr("Error");
    default:
        return {};
    }
}

} // namespace portico
