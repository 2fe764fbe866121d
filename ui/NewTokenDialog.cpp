#include "NewTokenDialog.h"

#include "ConfigStore.h"
#include "TokenService.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace portico {

NewTokenDialog::NewTokenDialog(const UiContext &context, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_steps(new QStackedWidget(this))
    , m_name(new QLineEdit(this))
    , m_create(new QPushButton(tr("Create"), this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("New token"));
    setMinimumWidth(520);
    auto *layout = new QVBoxLayout(this);

    // Step 1: the name.
    auto *ask = new QWidget(m_steps);
    auto *askLayout = new QVBoxLayout(ask);
    askLayout->setContentsMargins(0, 0, 0, 0);
    auto *intro = new QLabel(tr("Give the token the name of the program that will use it, such "
                                "as \"VS Code\" or \"scripts\", so you can revoke it alone."),
                             ask);
    intro->setWordWrap(true);
    askLayout->addWidget(intro);
    auto *form = new QFormLayout;
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_name->setMaxLength(64);
    form->addRow(tr("Name:"), m_name);
    askLayout->addLayout(form);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();
    askLayout->addWidget(m_error);
    auto *askButtons = new QDialogButtonBox(QDialogButtonBox::Cancel, ask);
    m_create->setObjectName(QStringLiteral("createButton"));
    m_create->setDefault(true);
    askButtons->addButton(m_create, QDialogButtonBox::ActionRole);
    connect(askButtons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_create, &QPushButton::clicked, this, &NewTokenDialog::create);
    connect(m_name, &QLineEdit::returnPressed, this, &NewTokenDialog::create);
    askLayout->addStretch(1);
    askLayout->addWidget(askButtons);
    m_steps->addWidget(ask);

    // Step 2: the secret, shown once.
    auto *show = new QWidget(m_steps);
    auto *showLayout = new QVBoxLayout(show);
    showLayout->setContentsMargins(0, 0, 0, 0);
    m_secretHint = new QLabel(show);
    m_secretHint->setTextFormat(Qt::PlainText);
    m_secretHint->setWordWrap(true);
    showLayout->addWidget(m_secretHint);
    auto *row = new QHBoxLayout;
    m_secret = new QLineEdit(show);
    m_secret->setObjectName(QStringLiteral("secretEdit"));
    m_secret->setReadOnly(true);
    m_secret->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    row->addWidget(m_secret, 1);
    auto *copy = new QPushButton(tr("Copy"), show);
    copy->setObjectName(QStringLiteral("copySecretButton"));
    connect(copy, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_secret->text()); });
    row->addWidget(copy);
    showLayout->addLayout(row);
    auto *note = new QLabel(tr("The token is stored in your keychain. It is not shown here again; "
                               "copy it later from the token list or the tray menu."),
                            show);
    note->setWordWrap(true);
    showLayout->addWidget(note);
    showLayout->addStretch(1);
    auto *done = new QDialogButtonBox(QDialogButtonBox::Close, show);
    connect(done, &QDialogButtonBox::rejected, this, &QDialog::accept);
    showLayout->addWidget(done);
    m_steps->addWidget(show);

    layout->addWidget(m_steps);
}

void NewTokenDialog::setName(const QString &name)
{
    m_name->setText(name);
}

QString NewTokenDialog::secret() const
{
    return m_secret->text();
}

QString NewTokenDialog::errorText() const
{
    return !m_error->isHidden() ? m_error->text() : QString();
}

void NewTokenDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void NewTokenDialog::create()
{
    if (m_busy || m_steps->currentIndex() != 0)
        return;
    const QString name = m_name->text().trimmed();
    const QString problem =
        TokenService::nameProblem(m_context.config->config().gateway.tokens, name);
    if (!problem.isEmpty())
        return showError(problem);
    m_busy = true;
    m_create->setEnabled(false);
    showError({});
    m_context.tokens->createToken(name, this, [this](const TokenResult &result) {
        m_busy = false;
        m_create->setEnabled(true);
        if (!result.ok())
            return showError(tr("The token could not be created: %1").arg(result.errorString));
        QString error;
        const TokenRecord record = result.record;
        if (!m_context.config->update(
                [&record](Config &config) { config.gateway.tokens.append(record); }, &error)) {
            // Do not leave a secret behind that no configuration refers to.
            m_context.tokens->revoke(record.id, nullptr, {});
            return showError(tr("The token could not be saved: %1").arg(error));
        }
        showSecret(record, result.secret);
        emit created(record);
    });
}

void NewTokenDialog::showSecret(const TokenRecord &record, const QByteArray &secret)
{
    m_secretHint->setText(tr("The token \"%1\" is ready and the gateway accepts it now. Copy it "
                             "into your program:")
                              .arg(record.name));
    m_secret->setText(QString::fromUtf8(secret));
    m_secret->selectAll();
    m_steps->setCurrentIndex(1);
}

} // namespace portico
