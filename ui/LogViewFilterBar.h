#pragma once

#include "LogReader.h"

#include <QSet>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLineEdit;

namespace portico {

// The log view's filters: time range, session, agent, model, status and free text, and a
// Reload button. Edits are debounced into one changed() signal.
class LogViewFilterBar : public QWidget
{
    Q_OBJECT
public:
    explicit LogViewFilterBar(QWidget *parent = nullptr);

    LogFilter filter() const;
    // Shows `filter` without emitting changed().
    void setFilter(const LogFilter &filter);
    // Offers these values in the session, agent and model lists (they only ever grow).
    void addKnownValues(const QSet<QString> &sessions, const QSet<QString> &agents,
                        const QSet<QString> &models);

    QLineEdit *textEdit() const { return m_text; }

signals:
    void changed();
    void reloadRequested();

private:
    void schedule();

    QComboBox *m_range;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QComboBox *m_session;
    QComboBox *m_agent;
    QComboBox *m_model;
    QComboBox *m_status;
    QLineEdit *m_text;
    QTimer m_debounce;
    bool m_quiet = false;
};

} // namespace portico
