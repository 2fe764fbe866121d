#include "SettingsWindow.h"

#include "AccessPage.h"
#include "AgentsPage.h"
#include "AppStatus.h"
#include "GeneralPage.h"
#include "HostPage.h"
#include "ProvidersPage.h"
#include "TrayIcons.h"

#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace portico {

namespace {

const QString kConfigNotice = QStringLiteral("config");
const QString kGatewayNotice = QStringLiteral("gateway");
const QString kKeychainNotice = QStringLiteral("keychain");

} // namespace

SettingsWindow::SettingsWindow(const UiContext &context, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_context(context)
    , m_sidebar(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_notices(new QVBoxLayout)
    , m_general(new GeneralPage(context))
    , m_access(new AccessPage(context))
    , m_providers(new ProvidersPage(context))
    , m_agents(new AgentsPage(context))
    , m_sessions(new HostPage(tr("Sessions"),
                              tr("The live sessions view is not available in this build.")))
    , m_log(new HostPage(tr("Log"), tr("The log view is not available in this build.")))
{
    setObjectName(QStringLiteral("settingsWindow"));
    setWindowTitle(tr("Portico Settings"));
    setWindowIcon(TrayIcons::appIcon());
    resize(900, 640);

    auto *layout = new QVBoxLayout(this);
    m_notices->setSpacing(6);
    layout->addLayout(m_notices);
    auto *body = new QHBoxLayout;
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setSelectionMode(QAbstractItemView::SingleSelection);
    m_sidebar->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_sidebar->setStyleSheet(QStringLiteral("QListWidget#sidebar::item { padding: 6px 10px; }"));
    body->addWidget(m_sidebar);
    body->addWidget(m_pages, 1);
    layout->addLayout(body, 1);

    addPage(tr("General"), m_general);
    addPage(tr("Access"), m_access);
    addPage(tr("Providers"), m_providers);
    addPage(tr("Agents & routes"), m_agents);
    addPage(tr("Sessions"), m_sessions);
    addPage(tr("Log"), m_log);
    m_sidebar->setFixedWidth(m_sidebar->sizeHintForColumn(0) + 2 * m_sidebar->frameWidth() + 24);
    connect(m_sidebar, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    m_sidebar->setCurrentRow(0);

    connect(m_context.status, &AppStatus::changed, this, &SettingsWindow::refreshProblems);
    refreshProblems();
}

void SettingsWindow::addPage(const QString &title, QWidget *page)
{
    // Pages scroll rather than squeeze when the window is small.
    auto *scroll = new QScrollArea(m_pages);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(page);
    m_pages->addWidget(scroll);
    m_sidebar->addItem(title);
}

void SettingsWindow::showPage(Page page)
{
    m_sidebar->setCurrentRow(static_cast<int>(page));
}

SettingsWindow::Page SettingsWindow::currentPage() const
{
    return static_cast<Page>(m_sidebar->currentRow());
}

void SettingsWindow::present()
{
    if (isMinimized())
        setWindowState(windowState() & ~Qt::WindowMinimized);
    show();
    raise();
    activateWindow();
}

void SettingsWindow::setSessionsWidget(QWidget *widget)
{
    m_sessions->setWidget(widget);
}

void SettingsWindow::setLogWidget(QWidget *widget)
{
    m_log->setWidget(widget);
}

void SettingsWindow::setNotice(const QString &key, const QString &text)
{
    QLabel *label = m_noticeLabels.value(key);
    if (text.isEmpty()) {
        if (label) {
            m_noticeLabels.remove(key);
            label->deleteLater();
        }
        return;
    }
    if (!label) {
        label = new QLabel(this);
        label->setObjectName(QStringLiteral("notice-") + key);
        label->setWordWrap(true);
        label->setTextFormat(Qt::PlainText);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setStyleSheet(QStringLiteral("QLabel { background: #fff4e5; color: #5d4037; "
                                            "border: 1px solid #f0b46c; border-radius: 4px; "
                                            "padding: 6px; }"));
        m_notices->addWidget(label);
        m_noticeLabels.insert(key, label);
    }
    label->setText(text);
}

QString SettingsWindow::notice(const QString &key) const
{
    const QLabel *label = m_noticeLabels.value(key);
    return label ? label->text() : QString();
}

void SettingsWindow::refreshProblems()
{
    const QString config = m_context.status->problem(AppStatus::Problem::Config);
    setNotice(kConfigNotice,
              config.isEmpty()
                  ? QString()
                  : tr("The configuration file is invalid, so the gateway is not running and "
                       "nothing is saved until it is fixed: %1\nFix the file (General → Open "
                       "folder), then choose Reload from disk.")
                        .arg(config));
    const QString gateway = m_context.status->problem(AppStatus::Problem::Gateway);
    setNotice(kGatewayNotice,
              gateway.isEmpty()
                  ? QString()
                  : tr("The endpoint is not running: %1\nChoose another port on the General "
                       "page, or stop the program that uses it.")
                        .arg(gateway));
    const QString keychain = m_context.status->problem(AppStatus::Problem::Keychain);
    setNotice(kKeychainNotice,
              keychain.isEmpty()
                  ? QString()
                  : tr("Keychain: %1\nPortico never stores secrets in plain text: until the "
                       "keychain works, tokens cannot be created or copied and the password "
                       "and provider keys cannot be read. Existing tokens keep working.")
                        .arg(keychain));
}

void SettingsWindow::setMainWindowMode(bool mainWindow)
{
    m_mainWindow = mainWindow;
}

void SettingsWindow::closeEvent(QCloseEvent *event)
{
    if (m_mainWindow) {
        // The application decides (it may ask first because of live streams).
        event->ignore();
        emit quitRequested();
        return;
    }
    QWidget::closeEvent(event);
}

} // namespace portico
