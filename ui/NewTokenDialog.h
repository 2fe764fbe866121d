#pragma once

#include "Config.h"
#include "UiContext.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace portico {

// "New token": asks for a name, creates the token (secret in the keychain, record in the
// config, applied to the gateway at once) and then shows the secret in full, once, with a Copy
// button.
class NewTokenDialog : public QDialog
{
    Q_OBJECT
public:
    explicit NewTokenDialog(const UiContext &context, QWidget *parent = nullptr);

    void setName(const QString &name);
    // Starts creating the token with the name entered; ends with created() or an error shown.
    void create();
    QString secret() const;
    QString errorText() const;

signals:
    void created(const portico::TokenRecord &record);

private:
    void showError(const QString &text);
    void showSecret(const TokenRecord &record, const QByteArray &secret);

    UiContext m_context;
    QStackedWidget *m_steps;
    QLineEdit *m_name;
    QPushButton *m_create;
    QLabel *m_error;
    QLineEdit *m_secret = nullptr;
    QLabel *m_secretHint = nullptr;
    bool m_busy = false;
};

} // namespace portico
