#pragma once

#include "LogReader.h"
#include "LogViewRow.h"

#include <QSet>
#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;

namespace portico {

class LogLoader;
class LogTableModel;
class LogViewFilterBar;

// The Log page: the session log newest first, filtered by time range, session, agent, model,
// status and free text; loaded incrementally off the GUI thread so a large log opens at once.
// Opens a record in full, exports the selected records as JSON Lines and copies a request as a
// curl command (with $PORTICO_TOKEN in place of the token). Works on its own or as a page.
class LogView : public QWidget
{
    Q_OBJECT
public:
    // An empty directory means the session log's default one.
    explicit LogView(const QString &logDirectory = QString(), QWidget *parent = nullptr);

    void setGatewayBaseUrl(const QString &url) { m_baseUrl = url; }
    QString gatewayBaseUrl() const { return m_baseUrl; }
    QString logDirectory() const { return m_dir; }

    // The filter the widgets describe; setFilter() shows one (and reloads).
    LogFilter filter() const;
    void setFilter(const LogFilter &filter);

    bool isLoading() const;
    LogTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    LogViewFilterBar *filterBar() const { return m_filters; }

    // Writes the selected records, as logged, one JSON line each (newest first, like the view).
    bool exportSelection(const QString &path, QString *error = nullptr) const;
    // The curl command for a row; empty when the record kept no messages.
    QString curlForRow(int row) const;
    QList<int> selectedRows() const;

public slots:
    void reload();
    void openRow(int row);
    void copyCurl();
    void exportSelectionInteractively();

signals:
    void loadFinished(int rows);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void onRowsLoaded(const QList<portico::LogViewRow> &rows);
    void onFinished(bool canceled, int unreadable);
    void updateStatus();
    void showContextMenu(const QPoint &pos);

    QString m_dir;
    QString m_baseUrl;
    LogLoader *m_loader;
    LogTableModel *m_model;
    LogViewFilterBar *m_filters;
    QTableView *m_table;
    QLabel *m_info;
    bool m_everLoaded = false;
    int m_unreadable = 0;
    qint64 m_scanned = 0;
    qint64 m_total = 0;
    QSet<QString> m_sessions, m_agents, m_models; // values seen, for the filter lists
};

} // namespace portico
