#pragma once

#include "LogViewRow.h"

#include <QAbstractTableModel>
#include <QList>

namespace portico {

// The session log's records as the log view lists them, newest first, in the order the loader
// delivers them (appended batch by batch). Holds only the light LogViewRow of each record.
class LogTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Time,
        Status,
        Latency,
        Ttft,
        Tokens,
        Agent,
        Model,
        Session,
        Client,
        Message,
        Error,
        ColumnCount
    };
    enum Role { RowRole = Qt::UserRole };

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void appendRows(const QList<LogViewRow> &rows);
    void clear();
    const LogViewRow &row(int row) const { return m_rows.at(row); }

private:
    QVariant display(const LogViewRow &r, int column) const;

    QList<LogViewRow> m_rows;
};

} // namespace portico
