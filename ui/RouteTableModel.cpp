#include "RouteTableModel.h"

namespace portico {

void RouteTableModel::setRoutes(const QList<RouteConfig> &routes)
{
    beginResetModel();
    m_routes = routes;
    endResetModel();
}

RouteConfig RouteTableModel::routeAt(int row) const
{
    return row >= 0 && row < m_routes.size() ? m_routes.at(row) : RouteConfig{};
}

int RouteTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_routes.size());
}

int RouteTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RouteTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const RouteConfig &route = m_routes.at(index.row());
    switch (index.column()) {
    case Match:
        return route.match;
    case Target:
        return route.agent.isEmpty() ? tr("provider %1").arg(route.provider)
                                     : tr("agent %1").arg(route.agent);
    default:
        return {};
    }
}

QVariant RouteTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Match:
        return tr("Requested model");
    case Target:
        return tr("Goes to");
    default:
        return {};
    }
}

} // namespace portico
