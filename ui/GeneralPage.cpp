#include "GeneralPage.h"

#include "AppStatus.h"
#include "AutostartEntry.h"
#include "ConfigStore.h"
#include "ConnectionInfo.h"

#include <QCheckBox>
#include <QClipboard>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

namespace portico {

namespace {

QLabel *errorLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setStyleSheet(QStringLiteral("color: #c62828;"));
    label->hide();
    return label;
}

} // namespace

GeneralPage::GeneralPage(const UiContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(QStringLiteral("<h2>%1</h2>").arg(tr("General")), this));
    layout->addWidget(buildEndpointGroup());
    layout->addWidget(buildAddressGroup());
    layout->addWidget(buildConnectionGroup());
    layout->addWidget(buildStartupGroup());
    layout->addWidget(buildConfigGroup());
    layout->addStretch(1);

    connect(m_context.config, &ConfigStore::changed, this, &GeneralPage::onConfigChanged);
    connect(m_context.config, &ConfigStore::loadFailed, this,
            [this](const QString &message) { showError(m_configError, message); });
    connect(m_context.status, &AppStatus::changed, this, &GeneralPage::refreshStatus);
    onConfigChanged(m_context.config->config());
}

QWidget *GeneralPage::buildEndpointGroup()
{
    auto *group = new QGroupBox(tr("Endpoint"), this);
    auto *layout = new QVBoxLayout(group);
    m_endpoint =
        new QCheckBox(tr("Answer chat completions (/v1/chat/completions, /v1/models)"), group);
    m_endpoint->setObjectName(QStringLiteral("endpointCheck"));
    connect(m_endpoint, &QCheckBox::clicked, this, &GeneralPage::setEndpointEnabled);
    layout->addWidget(m_endpoint);
    m_listening = new QLabel(group);
    m_listening->setObjectName(QStringLiteral("listeningLabel"));
    m_listening->setWordWrap(true);
    m_listening->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_listening);
    m_endpointError = errorLabel(QStringLiteral("endpointError"), group);
    layout->addWidget(m_endpointError);
    return group;
}

QWidget *GeneralPage::buildAddressGroup()
{
    auto *group = new QGroupBox(tr("Address"), this);
    auto *form = new QFormLayout(group);
    m_bind = new QLineEdit(group);
    m_bind->setObjectName(QStringLiteral("bindEdit"));
    m_bind->setPlaceholderText(QStringLiteral("127.0.0.1"));
    m_bind->setToolTip(tr("127.0.0.1 or ::1 keeps Portico on this computer. Any other address "
                          "makes it reachable from the network and needs a token or password."));
    connect(m_bind, &QLineEdit::textEdited, this, &GeneralPage::markAddressDirty);
    form->addRow(tr("Listen on address:"), m_bind);

    m_port = new QSpinBox(group);
    m_port->setObjectName(QStringLiteral("portSpin"));
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("any free port"));
    m_port->setKeyboardTracking(false);
    connect(m_port, &QSpinBox::valueChanged, this, &GeneralPage::markAddressDirty);
    auto *row = new QHBoxLayout;
    row->addWidget(m_port);
    m_applyAddress = new QPushButton(tr("Apply"), group);
    m_applyAddress->setObjectName(QStringLiteral("applyAddressButton"));
    m_applyAddress->setEnabled(false);
    connect(m_applyAddress, &QPushButton::clicked, this, &GeneralPage::applyAddress);
    row->addWidget(m_applyAddress);
    m_revertAddress = new QPushButton(tr("Revert"), group);
    m_revertAddress->setEnabled(false);
    connect(m_revertAddress, &QPushButton::clicked, this, [this] {
        m_addressDirty = false;
        onConfigChanged(m_context.config->config());
    });
    row->addWidget(m_revertAddress);
    row->addStretch(1);
    form->addRow(tr("Port:"), row);

    m_addressNote = new QLabel(group);
    m_addressNote->setWordWrap(true);
    m_addressNote->hide();
    form->addRow(m_addressNote);
    m_addressError = errorLabel(QStringLiteral("addressError"), group);
    form->addRow(m_addressError);
    return group;
}

QWidget *GeneralPage::buildConnectionGroup()
{
    auto *group = new QGroupBox(tr("Connect a client"), this);
    auto *form = new QFormLayout(group);
    m_baseUrl = new QLineEdit(group);
    m_baseUrl->setObjectName(QStringLiteral("baseUrlEdit"));
    m_baseUrl->setReadOnly(true);
    auto *row = new QHBoxLayout;
    row->addWidget(m_baseUrl, 1);
    auto *copyUrl = new QPushButton(tr("Copy"), group);
    connect(copyUrl, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_context.status->baseUrl()); });
    row->addWidget(copyUrl);
    form->addRow(tr("Base URL:"), row);
    auto *copyExample = new QPushButton(tr("Copy curl example"), group);
    copyExample->setToolTip(tr("The example reads the token from $PORTICO_TOKEN; it never "
                               "contains the token itself."));
    connect(copyExample, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(ConnectionInfo::curlExample(
            m_context.status->baseUrl(), m_context.status->exampleModel()));
    });
    auto *exampleRow = new QHBoxLayout;
    exampleRow->addWidget(copyExample);
    exampleRow->addStretch(1);
    form->addRow(tr("Example:"), exampleRow);
    return group;
}

QWidget *GeneralPage::buildStartupGroup()
{
    auto *group = new QGroupBox(tr("Startup"), this);
    auto *layout = new QVBoxLayout(group);
    m_autostart = new QCheckBox(tr("Start Portico when I log in"), group);
    m_autostart->setObjectName(QStringLiteral("autostartCheck"));
    m_autostart->setChecked(AutostartEntry::isEnabled());
    m_autostart->setToolTip(AutostartEntry::path());
    m_autostartError = errorLabel(QStringLiteral("autostartError"), group);
    connect(m_autostart, &QCheckBox::clicked, this, [this](bool enabled) {
        QString error;
        if (AutostartEntry::setEnabled(enabled, &error)) {
            m_autostartError->hide();
        } else {
            m_autostart->setChecked(!enabled);
            showError(m_autostartError, error);
        }
    });
    layout->addWidget(m_autostart);
    layout->addWidget(m_autostartError);
    return group;
}

QWidget *GeneralPage::buildConfigGroup()
{
    auto *group = new QGroupBox(tr("Configuration file"), this);
    auto *layout = new QVBoxLayout(group);
    auto *path = new QLabel(QDir::toNativeSeparators(m_context.config->path()), group);
    path->setObjectName(QStringLiteral("configPathLabel"));
    path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    path->setWordWrap(true);
    layout->addWidget(path);
    auto *row = new QHBoxLayout;
    auto *open = new QPushButton(tr("Open folder"), group);
    connect(open, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(
            QUrl::fromLocalFile(QFileInfo(m_context.config->path()).absolutePath()));
    });
    row->addWidget(open);
    auto *reload = new QPushButton(tr("Reload from disk"), group);
    reload->setObjectName(QStringLiteral("reloadButton"));
    reload->setToolTip(tr("Read the file again after editing it by hand."));
    connect(reload, &QPushButton::clicked, this, [this] {
        QString error;
        if (!m_context.config->load(&error) || !m_context.config->reapply(&error))
            showError(m_configError, error);
        else
            m_configError->hide();
    });
    row->addWidget(reload);
    row->addStretch(1);
    layout->addLayout(row);
    m_configError = errorLabel(QStringLiteral("configError"), group);
    layout->addWidget(m_configError);
    return group;
}

void GeneralPage::showError(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

void GeneralPage::setEndpointEnabled(bool enabled)
{
    QString error;
    if (m_context.config->update(
            [enabled](Config &config) { config.gateway.chatCompletionsEnabled = enabled; },
            &error)) {
        m_endpointError->hide();
    } else {
        showError(m_endpointError, tr("The endpoint could not be switched: %1").arg(error));
    }
    m_endpoint->setChecked(m_context.config->config().gateway.chatCompletionsEnabled);
}

void GeneralPage::markAddressDirty()
{
    const GatewayConfig &g = m_context.config->config().gateway;
    m_addressDirty = m_bind->text().trimmed() != g.bind || m_port->value() != g.port;
    m_applyAddress->setEnabled(m_addressDirty);
    m_revertAddress->setEnabled(m_addressDirty);
    const QString bind = m_bind->text().trimmed();
    const bool beyondLoopback = !bind.isEmpty() && !Config::isLoopbackBind(bind);
    m_addressNote->setText(
        tr("Other computers will be able to reach Portico on this address. Requests still need "
           "a token or the password."));
    m_addressNote->setVisible(beyondLoopback);
}

bool GeneralPage::applyAddress()
{
    const QString bind = m_bind->text().trimmed();
    const auto port = static_cast<quint16>(m_port->value());
    if (bind != QLatin1String("localhost") && QHostAddress(bind).isNull()) {
        showError(m_addressError, tr("\"%1\" is not an IP address. Use 127.0.0.1 to stay on "
                                     "this computer, or 0.0.0.0 for every network.")
                                      .arg(bind));
        return false;
    }
    const QString before = m_context.status->baseUrl();
    QString error;
    const bool ok = m_context.config->update(
        [&](Config &config) {
            config.gateway.bind = bind;
            config.gateway.port = port;
        },
        &error);
    if (!ok) {
        showError(m_addressError,
                  tr("%1\nNothing was changed: Portico keeps answering on %2.").arg(error, before));
        return false;
    }
    m_addressError->hide();
    m_addressDirty = false;
    onConfigChanged(m_context.config->config());
    return true;
}

QString GeneralPage::addressError() const
{
    return !m_addressError->isHidden() ? m_addressError->text() : QString();
}

void GeneralPage::onConfigChanged(const Config &config)
{
    m_endpoint->setChecked(config.gateway.chatCompletionsEnabled);
    if (!m_addressDirty) {
        m_bind->setText(config.gateway.bind);
        const QSignalBlocker blocker(m_port);
        m_port->setValue(config.gateway.port);
        markAddressDirty();
    }
    if (m_context.config->loadError().isEmpty())
        m_configError->hide();
    refreshStatus();
}

void GeneralPage::refreshStatus()
{
    const QString problem = m_context.status->problem(AppStatus::Problem::Gateway);
    m_baseUrl->setText(m_context.status->baseUrl());
    if (!problem.isEmpty()) {
        m_listening->setText(tr("Not listening: %1").arg(problem));
        return;
    }
    m_listening->setText(m_context.status->endpointEnabled()
                             ? tr("Answering on %1").arg(m_context.status->baseUrl())
                             : tr("Listening on %1, but every /v1 request gets 404 until the "
                                  "endpoint is switched on.")
                                   .arg(m_context.status->baseUrl()));
}

} // namespace portico
