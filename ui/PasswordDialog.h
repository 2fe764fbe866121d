#pragma once

#include "UiContext.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace portico {

// Sets or changes the gateway password (password auth mode). The password goes to the keychain
// only; the gateway picks it up at once.
class PasswordDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PasswordDialog(const UiContext &context, QWidget *parent = nullptr);

    void setPasswords(const QString &password, const QString &repeated);
    // Validates and stores; the dialog accepts when the keychain has it.
    void save();
    QString errorText() const;

    static constexpr int kMinimumLength = 8;

private:
    void showError(const QString &text);

    UiContext m_context;
    QLineEdit *m_password;
    QLineEdit *m_repeat;
    QLabel *m_error;
    QPushButton *m_save;
};

} // namespace portico
