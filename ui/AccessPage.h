#pragma once

#include "Config.h"
#include "UiContext.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QMessageBox;
class QPushButton;
class QTableView;
class QTimer;

namespace portico {

class NewTokenDialog;
class PasswordDialog;
class TokenTableModel;

// Who may use the gateway: the auth mode, the named tokens (create, copy, rename, revoke) and
// the password. Dialogs open window-modal without blocking (open(), not exec()).
class AccessPage : public QWidget
{
    Q_OBJECT
public:
    explicit AccessPage(const UiContext &context, QWidget *parent = nullptr);

    TokenTableModel *tokenModel() const { return m_model; }
    QTableView *tokenView() const { return m_view; }

    NewTokenDialog *openNewTokenDialog();
    PasswordDialog *openPasswordDialog();
    // Asks for confirmation, then removes the stored password from the keychain.
    QMessageBox *confirmRemovePassword();
    // Removes it without asking; the outcome shows in the page's message line.
    void removePassword();
    // Asks for confirmation, then revokes the token with this id (record first, then secret).
    QMessageBox *confirmRevoke(const QString &tokenId);
    // Revokes without asking.
    bool revoke(const QString &tokenId);
    bool rename(const QString &tokenId, const QString &newName);
    void copySelected();
    bool setAuthMode(AuthMode mode);

    QString messageText() const;

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QWidget *buildModeGroup();
    QWidget *buildTokenGroup();
    QWidget *buildPasswordGroup();
    void onConfigChanged(const Config &config);
    void refreshPassword();
    void updateButtons();
    QString selectedId() const;
    void showMessage(const QString &text, bool error);

    UiContext m_context;
    TokenTableModel *m_model;
    QTableView *m_view = nullptr;
    QComboBox *m_mode = nullptr;
    QLabel *m_modeNote = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_rename = nullptr;
    QPushButton *m_revoke = nullptr;
    QLabel *m_passwordState = nullptr;
    QPushButton *m_removePassword = nullptr;
    QLabel *m_message = nullptr;
    QTimer *m_lastUsedTimer;
};

} // namespace portico
