#pragma once

#include "SessionSnapshot.h"

#include <QAbstractTableModel>
#include <QList>

namespace portico {

class SessionRegistry;

// The registry's sessions as a table, kept up to date from sessionsChanged(). Rows keep their
// place (new sessions are appended, gone ones removed) so selections survive updates; sort with
// a proxy on SortRole.
class SessionTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Key,
        Agent,
        Client,
        User,
        Model,
        Requests,
        Live,
        TokensIn,
        TokensOut,
        FirstActivity,
        LastActivity,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole, KeyRole, LiveRole };

    explicit SessionTableModel(SessionRegistry *registry, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const SessionSnapshot &session(int row) const { return m_rows.at(row); }
    int rowOf(const QString &key) const;
    // Pulls a fresh snapshot from the registry.
    void refresh();

private:
    QVariant display(const SessionSnapshot &s, int column) const;
    QVariant sortValue(const SessionSnapshot &s, int column) const;

    SessionRegistry *m_registry;
    QList<SessionSnapshot> m_rows;
};

} // namespace portico
