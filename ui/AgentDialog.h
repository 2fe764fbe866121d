#pragma once

#include "Config.h"

#include <QDialog>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace portico {

// Adds or edits an agent: a name clients can ask for ("agent:<id>") that stands for a provider,
// a model and a system prompt. `commit` saves; on failure its message is shown and the dialog
// stays open.
class AgentDialog : public QDialog
{
    Q_OBJECT
public:
    using Commit = std::function<bool(const AgentConfig &agent, QString *error)>;

    AgentDialog(const Config &config, const AgentConfig *existing, Commit commit,
                QWidget *parent = nullptr);

    AgentConfig agent() const;
    void setFields(const QString &id, const QString &provider, const QString &model,
                   const QString &systemPrompt);
    void save();
    QString errorText() const;

private:
    void fillModels();

    Config m_config;
    Commit m_commit;
    QLineEdit *m_id;
    QComboBox *m_provider;
    QComboBox *m_model;
    QPlainTextEdit *m_prompt;
    QLabel *m_error;
};

} // namespace portico
