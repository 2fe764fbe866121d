#pragma once

#include "Config.h"

#include <QAbstractTableModel>

namespace portico {

// The model routes in match order: a glob on the requested model and the agent or provider it
// goes to.
class RouteTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Match, Target, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setRoutes(const QList<RouteConfig> &routes);
    const QList<RouteConfig> &routes() const { return m_routes; }
    RouteConfig routeAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<RouteConfig> m_routes;
};

} // namespace portico
