#pragma once

#include "Config.h"

#include <QDialog>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;

namespace portico {

// Adds or edits a model route: requests whose model matches a glob ("gpt-*") go to an agent or
// a provider. `commit` saves; on failure its message is shown and the dialog stays open.
class RouteDialog : public QDialog
{
    Q_OBJECT
public:
    using Commit = std::function<bool(const RouteConfig &route, QString *error)>;

    RouteDialog(const Config &config, const RouteConfig *existing, Commit commit,
                QWidget *parent = nullptr);

    RouteConfig route() const;
    void save();
    QString errorText() const;

private:
    void fillTargets();

    Config m_config;
    Commit m_commit;
    QLineEdit *m_match;
    QComboBox *m_kind;
    QComboBox *m_target;
    QLabel *m_error;
};

} // namespace portico
