#include "PasswordDialog.h"

#include "SecretCache.h"
#include "SecretStore.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace portico {

PasswordDialog::PasswordDialog(const UiContext &context, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_password(new QLineEdit(this))
    , m_repeat(new QLineEdit(this))
    , m_error(new QLabel(this))
    , m_save(new QPushButton(tr("Save"), this))
{
    setWindowTitle(tr("Gateway password"));
    setMinimumWidth(420);
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Clients send the password as their API key. It is kept in your "
                                "keychain, never in the configuration file."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    m_password->setObjectName(QStringLiteral("passwordEdit"));
    m_password->setEchoMode(QLineEdit::Password);
    m_repeat->setObjectName(QStringLiteral("repeatEdit"));
    m_repeat->setEchoMode(QLineEdit::Password);
    form->addRow(tr("New password:"), m_password);
    form->addRow(tr("Repeat:"), m_repeat);
    layout->addLayout(form);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();
    layout->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setDefault(true);
    buttons->addButton(m_save, QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    disconnect(buttons, &QDialogButtonBox::accepted, nullptr, nullptr);
    connect(m_save, &QPushButton::clicked, this, &PasswordDialog::save);
    layout->addWidget(buttons);
}

void PasswordDialog::setPasswords(const QString &password, const QString &repeated)
{
    m_password->setText(password);
    m_repeat->setText(repeated);
}

QString PasswordDialog::errorText() const
{
    return !m_error->isHidden() ? m_error->text() : QString();
}

void PasswordDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void PasswordDialog::save()
{
    if (!m_save->isEnabled())
        return;
    const QString password = m_password->text();
    if (password.size() < kMinimumLength)
        return showError(tr("Use at least %1 characters.").arg(kMinimumLength));
    if (password != m_repeat->text())
        return showError(tr("The two passwords differ."));
    showError({});
    m_save->setEnabled(false);
    m_context.secrets->set(SecretStore::passwordKey(), password.toUtf8(), this,
                           [this](SecretJob::Error error, const QString &errorString) {
                               m_save->setEnabled(true);
                               if (error != SecretJob::Error::None)
                                   return showError(
                                       tr("The password could not be stored: %1").arg(errorString));
                               accept();
                           });
}

} // namespace portico
