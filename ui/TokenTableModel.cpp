#include "TokenTableModel.h"

#include "TokenService.h"

#include <QDateTime>
#include <QLocale>

namespace portico {

TokenTableModel::TokenTableModel(TokenService *tokens, QObject *parent)
    : QAbstractTableModel(parent)
    , m_service(tokens)
{}

void TokenTableModel::setTokens(const QList<TokenRecord> &tokens)
{
    beginResetModel();
    m_tokens = tokens;
    endResetModel();
}

TokenRecord TokenTableModel::tokenAt(int row) const
{
    return row >= 0 && row < m_tokens.size() ? m_tokens.at(row) : TokenRecord{};
}

void TokenTableModel::refreshLastUsed()
{
    if (!m_tokens.isEmpty())
        emit dataChanged(index(0, LastUsed), index(rowCount() - 1, LastUsed));
}

int TokenTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_tokens.size());
}

int TokenTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TokenTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TokenRecord &token = m_tokens.at(index.row());
    if (role == IdRole)
        return token.id;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case Name:
        return token.name;
    case Created:
        if (token.createdMs <= 0)
            return tr("unknown");
        return locale.toString(QDateTime::fromMSecsSinceEpoch(token.createdMs),
                               QLocale::ShortFormat);
    case LastUsed: {
        const QDateTime used = m_service ? m_service->lastUsed(token.name) : QDateTime();
        if (!used.isValid())
            return role == Qt::ToolTipRole ? tr("Not used since Portico started") : tr("not yet");
        return locale.toString(used, QLocale::ShortFormat);
    }
    default:
        return {};
    }
}

QVariant TokenTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Name");
    case Created:
        return tr("Created");
    case LastUsed:
        return tr("Last used");
    default:
        return {};
    }
}

} // namespace portico
