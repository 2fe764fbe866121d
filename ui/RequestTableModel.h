#pragma once

#include "RequestSnapshot.h"

#include <QAbstractTableModel>
#include <QList>

namespace portico {

class SessionRegistry;

// The requests of one session (in flight and recently finished), kept up to date from the
// registry's requestsChanged(). Rows keep their place; sort with a proxy on SortRole.
class RequestTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Started,
        Model,
        Provider,
        State,
        Ttft,
        TokensPerSecond,
        Tokens,
        Bytes,
        Duration,
        Status,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole, RequestIdRole, LiveRole };

    explicit RequestTableModel(SessionRegistry *registry, QObject *parent = nullptr);

    void setSessionKey(const QString &key);
    QString sessionKey() const { return m_key; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const RequestSnapshot &request(int row) const { return m_rows.at(row); }
    int rowOf(const QString &requestId) const;
    bool hasLive() const;
    // Pulls a fresh snapshot of the session's requests (live rows always repaint: their
    // durations move on).
    void refresh();

    static QString stateText(RequestSnapshot::State state);
    static QString durationText(qint64 ms);
    static QString bytesText(qint64 bytes);

private:
    void onRequestsChanged(const QString &key);
    QVariant display(const RequestSnapshot &r, int column) const;
    QVariant sortValue(const RequestSnapshot &r, int column) const;

    SessionRegistry *m_registry;
    QString m_key;
    QList<RequestSnapshot> m_rows;
};

} // namespace portico
