#include "AccessPage.h"

#include "ConfigStore.h"
#include "NewTokenDialog.h"
#include "PasswordDialog.h"
#include "SecretCache.h"
#include "SecretStore.h"
#include "TokenClipboard.h"
#include "TokenService.h"
#include "TokenTableModel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace portico {

AccessPage::AccessPage(const UiContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_model(new TokenTableModel(context.tokens, this))
    , m_lastUsedTimer(new QTimer(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(QStringLiteral("<h2>%1</h2>").arg(tr("Access")), this));
    layout->addWidget(buildModeGroup());
    layout->addWidget(buildTokenGroup(), 1);
    layout->addWidget(buildPasswordGroup());
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("messageLabel"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    layout->addWidget(m_message);

    m_lastUsedTimer->setInterval(5'000);
    connect(m_lastUsedTimer, &QTimer::timeout, m_model, &TokenTableModel::refreshLastUsed);
    connect(m_context.tokens, &TokenService::tokenFirstUsed, m_model,
            &TokenTableModel::refreshLastUsed);
    connect(m_context.config, &ConfigStore::changed, this, &AccessPage::onConfigChanged);
    connect(m_context.secrets, &SecretCache::changed, this, [this](const QString &key) {
        if (key == SecretStore::passwordKey())
            refreshPassword();
    });
    onConfigChanged(m_context.config->config());
}

QWidget *AccessPage::buildModeGroup()
{
    auto *group = new QGroupBox(tr("Authentication"), this);
    auto *form = new QFormLayout(group);
    m_mode = new QComboBox(group);
    m_mode->setObjectName(QStringLiteral("authModeCombo"));
    m_mode->addItem(tr("Tokens (one per program)"), static_cast<int>(AuthMode::Token));
    m_mode->addItem(tr("Password"), static_cast<int>(AuthMode::Password));
    m_mode->addItem(tr("None (this computer only)"), static_cast<int>(AuthMode::None));
    connect(m_mode, &QComboBox::activated, this, [this](int index) {
        setAuthMode(static_cast<AuthMode>(m_mode->itemData(index).toInt()));
    });
    form->addRow(tr("Clients authenticate with:"), m_mode);
    m_modeNote = new QLabel(group);
    m_modeNote->setWordWrap(true);
    form->addRow(m_modeNote);
    return group;
}

QWidget *AccessPage::buildTokenGroup()
{
    auto *group = new QGroupBox(tr("Tokens"), this);
    auto *layout = new QVBoxLayout(group);
    m_view = new QTableView(group);
    m_view->setObjectName(QStringLiteral("tokenView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AccessPage::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &AccessPage::updateButtons);
    layout->addWidget(m_view, 1);

    auto *buttons = new QHBoxLayout;
    auto *create = new QPushButton(tr("New token…"), group);
    create->setObjectName(QStringLiteral("newTokenButton"));
    connect(create, &QPushButton::clicked, this, &AccessPage::openNewTokenDialog);
    buttons->addWidget(create);
    m_copy = new QPushButton(tr("Copy"), group);
    m_copy->setObjectName(QStringLiteral("copyTokenButton"));
    connect(m_copy, &QPushButton::clicked, this, &AccessPage::copySelected);
    buttons->addWidget(m_copy);
    m_rename = new QPushButton(tr("Rename…"), group);
    connect(m_rename, &QPushButton::clicked, this, [this] {
        const QString id = selectedId();
        const TokenRecord *record =
            TokenService::findById(m_context.config->config().gateway.tokens, id);
        if (!record)
            return;
        auto *dialog = new QInputDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setWindowTitle(tr("Rename token"));
        dialog->setLabelText(tr("New name for \"%1\":").arg(record->name));
        dialog->setTextValue(record->name);
        connect(dialog, &QInputDialog::textValueSelected, this,
                [this, id](const QString &name) { rename(id, name); });
        dialog->open();
    });
    buttons->addWidget(m_rename);
    m_revoke = new QPushButton(tr("Revoke…"), group);
    m_revoke->setObjectName(QStringLiteral("revokeButton"));
    connect(m_revoke, &QPushButton::clicked, this, [this] { confirmRevoke(selectedId()); });
    buttons->addWidget(m_revoke);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    return group;
}

QWidget *AccessPage::buildPasswordGroup()
{
    auto *group = new QGroupBox(tr("Password"), this);
    auto *layout = new QHBoxLayout(group);
    m_passwordState = new QLabel(group);
    m_passwordState->setWordWrap(true);
    layout->addWidget(m_passwordState, 1);
    auto *set = new QPushButton(tr("Set password…"), group);
    set->setObjectName(QStringLiteral("setPasswordButton"));
    connect(set, &QPushButton::clicked, this, &AccessPage::openPasswordDialog);
    layout->addWidget(set);
    m_removePassword = new QPushButton(tr("Remove password…"), group);
    m_removePassword->setObjectName(QStringLiteral("removePasswordButton"));
    connect(m_removePassword, &QPushButton::clicked, this, &AccessPage::confirmRemovePassword);
    layout->addWidget(m_removePassword);
    return group;
}

void AccessPage::showEvent(QShowEvent *event)
{
    m_model->refreshLastUsed();
    m_lastUsedTimer->start();
    QWidget::showEvent(event);
}

void AccessPage::hideEvent(QHideEvent *event)
{
    m_lastUsedTimer->stop();
    QWidget::hideEvent(event);
}

void AccessPage::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
    m_message->setVisible(!text.isEmpty());
}

QString AccessPage::messageText() const
{
    return !m_message->isHidden() ? m_message->text() : QString();
}

QString AccessPage::selectedId() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_model->tokenAt(rows.constFirst().row()).id;
}

void AccessPage::updateButtons()
{
    const bool selected = !selectedId().isEmpty();
    m_copy->setEnabled(selected);
    m_rename->setEnabled(selected);
    m_revoke->setEnabled(selected);
}

void AccessPage::onConfigChanged(const Config &config)
{
    const QString selected = selectedId();
    m_model->setTokens(config.gateway.tokens);
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->tokenAt(row).id == selected)
            m_view->selectRow(row);
    }
    m_mode->setCurrentIndex(m_mode->findData(static_cast<int>(config.gateway.authMode)));
    switch (config.gateway.authMode) {
    case AuthMode::Token:
        m_modeNote->setText(config.gateway.tokens.isEmpty()
                                ? tr("There is no token yet: every request gets 401. Create one.")
                                : tr("A client sends one of these tokens as its API key."));
        break;
    case AuthMode::Password:
        m_modeNote->setText(tr("A client sends the password as its API key; tokens are not "
                               "accepted in this mode."));
        break;
    case AuthMode::None:
        m_modeNote->setText(tr("Any program on this computer can use the gateway without a "
                               "key. Only allowed while Portico listens on a loopback "
                               "address."));
        break;
    }
    refreshPassword();
    updateButtons();
}

QMessageBox *AccessPage::confirmRemovePassword()
{
    if (!m_context.secrets->contains(SecretStore::passwordKey()))
        return nullptr;
    const bool passwordMode = m_context.config->config().gateway.authMode == AuthMode::Password;
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("Remove password"),
        passwordMode ? tr("Remove the password from the keychain? Portico is in password mode: "
                          "every request gets 401 until you set a new one or change the mode.")
                     : tr("Remove the password from the keychain?"),
        QMessageBox::Cancel, this);
    QPushButton *removeButton = box->addButton(tr("Remove"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, removeButton](QAbstractButton *button) {
        if (button == removeButton)
            removePassword();
    });
    box->open();
    return box;
}

void AccessPage::removePassword()
{
    m_removePassword->setEnabled(false); // until the keychain answers
    m_context.secrets->remove(
        SecretStore::passwordKey(), this,
        [this](SecretJob::Error error, const QString &errorString) {
            refreshPassword();
            if (error != SecretJob::Error::None)
                return showMessage(tr("The password was not removed: %1").arg(errorString), true);
            showMessage(tr("The password was removed from the keychain."), false);
        });
}

void AccessPage::refreshPassword()
{
    const bool set = m_context.secrets->contains(SecretStore::passwordKey());
    m_removePassword->setEnabled(set);
    const bool passwordMode = m_context.config->config().gateway.authMode == AuthMode::Password;
    if (set)
        m_passwordState->setText(tr("A password is stored in the keychain."));
    else if (passwordMode)
        m_passwordState->setText(
            tr("No password is set: every request gets 401 until you set one."));
    else
        m_passwordState->setText(tr("No password is set. It is only used in password mode."));
}

bool AccessPage::setAuthMode(AuthMode mode)
{
    QString error;
    const bool ok = m_context.config->update(
        [mode](Config &config) { config.gateway.authMode = mode; }, &error);
    if (!ok) {
        showMessage(tr("The mode was not changed: %1").arg(error), true);
        onConfigChanged(m_context.config->config());
        return false;
    }
    showMessage({}, false);
    return true;
}

NewTokenDialog *AccessPage::openNewTokenDialog()
{
    auto *dialog = new NewTokenDialog(m_context, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &NewTokenDialog::created, this, [this](const TokenRecord &record) {
        showMessage(tr("Token \"%1\" created.").arg(record.name), false);
    });
    dialog->open();
    return dialog;
}

PasswordDialog *AccessPage::openPasswordDialog()
{
    auto *dialog = new PasswordDialog(m_context, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this] { showMessage(tr("The password was stored in the keychain."), false); });
    dialog->open();
    return dialog;
}

void AccessPage::copySelected()
{
    const TokenRecord *record =
        TokenService::findById(m_context.config->config().gateway.tokens, selectedId());
    if (!record)
        return;
    const QString name = record->name;
    TokenClipboard::copy(m_context.tokens, *record, this, [this, name](const TokenResult &result) {
        if (result.ok())
            showMessage(tr("Token \"%1\" copied to the clipboard.").arg(name), false);
        else
            showMessage(result.errorString, true);
    });
}

bool AccessPage::rename(const QString &tokenId, const QString &newName)
{
    QString error;
    Config check = m_context.config->config();
    if (!TokenService::rename(check.gateway.tokens, tokenId, newName, &error)) {
        showMessage(error, true);
        return false;
    }
    const bool ok = m_context.config->update(
        [&](Config &config) {
            TokenService::rename(config.gateway.tokens, tokenId, newName, nullptr);
        },
        &error);
    showMessage(ok ? tr("Token renamed to \"%1\".").arg(newName.trimmed()) : error, !ok);
    return ok;
}

QMessageBox *AccessPage::confirmRevoke(const QString &tokenId)
{
    const TokenRecord *record =
        TokenService::findById(m_context.config->config().gateway.tokens, tokenId);
    if (!record)
        return nullptr;
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Revoke token"),
                                tr("Revoke the token \"%1\"? Programs that use it get 401 from "
                                   "their next request. This cannot be undone.")
                                    .arg(record->name),
                                QMessageBox::Cancel, this);
    QPushButton *revokeButton = box->addButton(tr("Revoke"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this,
            [this, tokenId, revokeButton](QAbstractButton *button) {
                if (button == revokeButton)
                    revoke(tokenId);
            });
    box->open();
    return box;
}

bool AccessPage::revoke(const QString &tokenId)
{
    const TokenRecord *record =
        TokenService::findById(m_context.config->config().gateway.tokens, tokenId);
    if (!record)
        return false;
    const QString name = record->name;
    // The record goes first: the gateway refuses the token from the next request on, whatever
    // the keychain does.
    QString error;
    if (!m_context.config->update(
            [&](Config &config) {
                config.gateway.tokens.removeIf(
                    [&](const TokenRecord &token) { return token.id == tokenId; });
            },
            &error)) {
        showMessage(tr("The token was not revoked: %1").arg(error), true);
        return false;
    }
    showMessage(tr("Token \"%1\" revoked.").arg(name), false);
    m_context.tokens->revoke(tokenId, this, [this, name](const TokenResult &result) {
        if (!result.ok())
            showMessage(tr("Token \"%1\" is revoked, but its secret could not be removed from "
                           "the keychain: %2")
                            .arg(name, result.errorString),
                        true);
    });
    return true;
}

} // namespace portico
