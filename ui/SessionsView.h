#pragma once

#include "RequestSnapshot.h"

#include <QBasicTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace portico {

class RequestTableModel;
class SessionRegistry;
class SessionTableModel;
class StreamTextView;

// The Sessions page: live sessions; the requests of the selected one; the selected request's
// output as it streams, with its timing, and a Stop button for a live one. Everything comes from
// the SessionRegistry's batched signals, so it repaints a few times a second however fast tokens
// arrive. Works on its own (as a window) or inside the settings window.
class SessionsView : public QWidget
{
    Q_OBJECT
public:
    explicit SessionsView(SessionRegistry *registry, QWidget *parent = nullptr);

    // Selects a session / a request of the selected session; false if it is not listed.
    bool selectSession(const QString &key);
    bool selectRequest(const QString &requestId);
    QString currentSessionKey() const;
    QString currentRequestId() const;

    QTableView *sessionsTable() const { return m_sessionsTable; }
    QTableView *requestsTable() const { return m_requestsTable; }
    SessionTableModel *sessionModel() const { return m_sessionModel; }
    RequestTableModel *requestModel() const { return m_requestModel; }
    StreamTextView *streamView() const { return m_stream; }
    QPushButton *stopButton() const { return m_stop; }
    QLabel *timingLabel() const { return m_timing; }

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void onSessionSelected();
    void onRequestSelected();
    void onRequestUpdated(const portico::RequestSnapshot &request);
    void onLiveTextChanged(const QString &requestId);
    void onRequestsChanged(const QString &sessionKey);
    void stopCurrent();
    void updateTicker();

    SessionRegistry *m_registry;
    SessionTableModel *m_sessionModel;
    RequestTableModel *m_requestModel;
    QSortFilterProxyModel *m_sessionProxy;
    QSortFilterProxyModel *m_requestProxy;
    QTableView *m_sessionsTable;
    QTableView *m_requestsTable;
    StreamTextView *m_stream;
    QLabel *m_timing;
    QPushButton *m_stop;
    QPushButton *m_clear;
    QBasicTimer m_ticker; // runs only while a live request is on show, for its clock
    RequestSnapshot m_shown;
};

} // namespace portico
