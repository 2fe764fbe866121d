#include "ProvidersPage.h"

#include "CliPresets.h"
#include "ConfigStore.h"
#include "ProviderDialog.h"
#include "ProviderTableModel.h"
#include "SecretCache.h"
#include "SecretStore.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace portico {

ProvidersPage::ProvidersPage(const UiContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_model(new ProviderTableModel(context.secrets, this))
    , m_view(new QTableView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(QStringLiteral("<h2>%1</h2>").arg(tr("Providers")), this));
    auto *intro = new QLabel(tr("The services requests are relayed to. Without one, the built-in "
                                "diagnostic model answers."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_view->setObjectName(QStringLiteral("providerView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ProviderTableModel::BaseUrl, QHeaderView::Stretch);
    header->setSectionResizeMode(ProviderTableModel::Models, QHeaderView::Stretch);
    connect(m_view, &QTableView::doubleClicked, this,
            [this](const QModelIndex &index) { openDialog(m_model->providerAt(index.row()).id); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ProvidersPage::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ProvidersPage::updateButtons);
    layout->addWidget(m_view, 1);

    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add…"), this);
    add->setObjectName(QStringLiteral("addProviderButton"));
    connect(add, &QPushButton::clicked, this, [this] { openDialog(); });
    buttons->addWidget(add);
    m_edit = new QPushButton(tr("Edit…"), this);
    connect(m_edit, &QPushButton::clicked, this, [this] { openDialog(selectedId()); });
    buttons->addWidget(m_edit);
    m_remove = new QPushButton(tr("Remove…"), this);
    connect(m_remove, &QPushButton::clicked, this, [this] { confirmRemove(selectedId()); });
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    auto *detect = new QPushButton(tr("Detect installed CLIs"), this);
    detect->setObjectName(QStringLiteral("detectClisButton"));
    detect->setToolTip(tr("Look for the claude, codex and gemini command-line agents."));
    connect(detect, &QPushButton::clicked, this, &ProvidersPage::detectClis);
    buttons->addWidget(detect);
    layout->addLayout(buttons);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("messageLabel"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    layout->addWidget(m_message);

    connect(m_context.config, &ConfigStore::changed, this, &ProvidersPage::onConfigChanged);
    connect(m_context.secrets, &SecretCache::changed, m_model, &ProviderTableModel::refreshKeys);
    onConfigChanged(m_context.config->config());
}

void ProvidersPage::onConfigChanged(const Config &config)
{
    const QString selected = selectedId();
    m_model->setProviders(config.providers);
    const int row = m_model->rowOf(selected);
    if (row >= 0)
        m_view->selectRow(row);
    updateButtons();
}

QString ProvidersPage::selectedId() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_model->providerAt(rows.constFirst().row()).id;
}

void ProvidersPage::updateButtons()
{
    const bool selected = !selectedId().isEmpty();
    m_edit->setEnabled(selected);
    m_remove->setEnabled(selected);
}

void ProvidersPage::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
    m_message->setVisible(!text.isEmpty());
}

QString ProvidersPage::messageText() const
{
    return !m_message->isHidden() ? m_message->text() : QString();
}

ProviderDialog *ProvidersPage::openDialog(const QString &id)
{
    const ProviderConfig *existing =
        id.isEmpty() ? nullptr : m_context.config->config().provider(id);
    if (!id.isEmpty() && !existing)
        return nullptr;
    auto *dialog = new ProviderDialog(m_context, existing, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ProviderDialog::saveRequested, this, [this, dialog] { save(dialog); });
    dialog->open();
    return dialog;
}

bool ProvidersPage::commit(const ProviderConfig &provider, QString *error)
{
    // Providers are kept sorted by id when the configuration is read back, so the position
    // does not matter.
    return m_context.config->update(
        [&](Config &config) {
            config.providers.removeIf([&](const ProviderConfig &p) { return p.id == provider.id; });
            config.providers.append(provider);
        },
        error);
}

void ProvidersPage::save(ProviderDialog *dialog)
{
    const ProviderConfig provider = dialog->provider();
    const bool isNew = dialog->isNew();
    if (provider.id.isEmpty())
        return dialog->showError(tr("A provider needs an ID, such as \"openrouter\"."));
    if (isNew && m_context.config->config().provider(provider.id))
        return dialog->showError(tr("There is already a provider \"%1\".").arg(provider.id));
    QString error;
    if (!m_context.config->check(
            [&](Config &config) {
                config.providers.removeIf(
                    [&](const ProviderConfig &p) { return p.id == provider.id; });
                config.providers.append(provider);
            },
            &error))
        return dialog->showError(error);

    const QString keyName = SecretStore::providerApiKeyKey(provider.id);
    const QByteArray key = dialog->enteredKey();
    const auto finish = [this, dialog, provider, isNew, keyName,
                         hadKeyBefore = m_context.secrets->contains(keyName),
                         wroteKey = !key.isEmpty()](SecretJob::Error keyError,
                                                    const QString &keyErrorString) {
        dialog->setBusy(false);
        if (keyError != SecretJob::Error::None)
            return dialog->showError(tr("The API key could not be stored: %1").arg(keyErrorString));
        QString why;
        if (!commit(provider, &why)) {
            // A brand-new provider's key must not stay behind without its provider.
            if (isNew && wroteKey && !hadKeyBefore)
                m_context.secrets->remove(keyName, nullptr, {});
            return dialog->showError(why);
        }
        showMessage(tr("Provider \"%1\" saved.").arg(provider.id), false);
        dialog->accept();
    };
    dialog->setBusy(true);
    dialog->showError({});
    if (!key.isEmpty())
        m_context.secrets->set(keyName, key, dialog, finish);
    else if (dialog->forgetKey())
        m_context.secrets->remove(keyName, dialog, finish);
    else
        finish(SecretJob::Error::None, {});
}

QMessageBox *ProvidersPage::confirmRemove(const QString &id)
{
    if (!m_context.config->config().provider(id))
        return nullptr;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Remove provider"),
                                tr("Remove the provider \"%1\" and its stored API key?").arg(id),
                                QMessageBox::Cancel, this);
    QPushButton *removeButton = box->addButton(tr("Remove"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this,
            [this, id, removeButton](QAbstractButton *button) {
                if (button == removeButton)
                    remove(id);
            });
    box->open();
    return box;
}

bool ProvidersPage::remove(const QString &id)
{
    QString error;
    if (!m_context.config->update(
            [&](Config &config) {
                config.providers.removeIf([&](const ProviderConfig &p) { return p.id == id; });
            },
            &error)) {
        showMessage(tr("The provider was not removed: %1").arg(error), true);
        return false;
    }
    showMessage(tr("Provider \"%1\" removed.").arg(id), false);
    m_context.secrets->remove(SecretStore::providerApiKeyKey(id), this,
                              [this, id](SecretJob::Error keyError, const QString &why) {
                                  if (keyError != SecretJob::Error::None)
                                      showMessage(tr("Provider \"%1\" removed, but its API key "
                                                     "could not be removed from the keychain: %2")
                                                      .arg(id, why),
                                                  true);
                              });
    return true;
}

QMessageBox *ProvidersPage::detectClis()
{
    QStringList found;
    for (const QString &preset : detectInstalledCliPresets()) {
        if (!m_context.config->config().provider(preset))
            found << preset;
    }
    if (found.isEmpty()) {
        showMessage(tr("No new agent CLI was found on PATH (looked for %1).")
                        .arg(CliPresets::names().join(QStringLiteral(", "))),
                    false);
        return nullptr;
    }
    auto *box = new QMessageBox(QMessageBox::Question, tr("Detect installed CLIs"),
                                tr("Found %1 on this computer. Add them as providers?")
                                    .arg(found.join(QStringLiteral(", "))),
                                QMessageBox::Cancel, this);
    QPushButton *addButton = box->addButton(tr("Add"), QMessageBox::AcceptRole);
    box->setDefaultButton(addButton);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this,
            [this, found, addButton](QAbstractButton *button) {
                if (button == addButton)
                    addCliProviders(found);
            });
    box->open();
    return box;
}

bool ProvidersPage::addCliProviders(const QStringList &presets)
{
    QString error;
    const bool ok = m_context.config->update(
        [&](Config &config) {
            for (const QString &preset : presets) {
                if (config.provider(preset))
                    continue;
                ProviderConfig p;
                p.id = preset;
                p.type = QStringLiteral("cli");
                p.raw = QJsonObject{{QStringLiteral("preset"), preset}};
                config.providers.append(p);
            }
        },
        &error);
    showMessage(ok ? tr("Added %1.").arg(presets.join(QStringLiteral(", ")))
                   : tr("The CLIs were not added: %1").arg(error),
                !ok);
    return ok;
}

} // namespace portico
