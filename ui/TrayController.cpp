#include "TrayController.h"

#include "ConnectionInfo.h"
#include "TrayIcons.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QMenu>
#include <QSystemTrayIcon>

namespace portico {

TrayController::TrayController(AppStatus *status, QObject *parent)
    : QObject(parent)
    , m_status(status)
    , m_menu(new QMenu)
{
    buildMenu();
    m_tray = new QSystemTrayIcon(this);
    m_tray->setContextMenu(m_menu);
    connect(m_tray, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                    emit settingsRequested();
            });
    connect(m_status, &AppStatus::changed, this, &TrayController::refresh);
    qApp->installEventFilter(this);
    refresh();
}

TrayController::~TrayController()
{
    delete m_menu; // a context menu is not owned by the tray icon
}

bool TrayController::isSystemTrayAvailable()
{
    return QSystemTrayIcon::isSystemTrayAvailable();
}

void TrayController::buildMenu()
{
    m_menu->setObjectName(QStringLiteral("trayMenu"));
    m_statusAction = m_menu->addAction(QString());
    m_statusAction->setEnabled(false);
    m_menu->addSeparator();

    m_endpointAction = m_menu->addAction(tr("Chat completions endpoint"));
    m_endpointAction->setCheckable(true);
    // triggered (not toggled): only the user's choice is reported, not refresh()'s.
    connect(m_endpointAction, &QAction::triggered, this, &TrayController::endpointToggled);
    m_menu->addSeparator();

    m_copyTokenAction = m_menu->addAction(tr("Copy token"));
    connect(m_copyTokenAction, &QAction::triggered, this, &TrayController::copyTokenRequested);
    m_copyBaseUrlAction = m_menu->addAction(tr("Copy base URL"));
    connect(m_copyBaseUrlAction, &QAction::triggered, this,
            [this] { QGuiApplication::clipboard()->setText(m_status->baseUrl()); });
    m_copyExampleAction = m_menu->addAction(tr("Copy example"));
    m_copyExampleAction->setToolTip(tr("A curl command that reads the token from $PORTICO_TOKEN"));
    connect(m_copyExampleAction, &QAction::triggered, this, [this] {
        QGuiApplication::clipboard()->setText(
            ConnectionInfo::curlExample(m_status->baseUrl(), m_status->exampleModel()));
    });
    m_menu->addSeparator();

    m_sessionsAction = m_menu->addAction(tr("Sessions…"));
    connect(m_sessionsAction, &QAction::triggered, this, &TrayController::sessionsRequested);
    m_settingsAction = m_menu->addAction(tr("Settings…"));
    connect(m_settingsAction, &QAction::triggered, this, &TrayController::settingsRequested);
    m_menu->addSeparator();
    m_quitAction = m_menu->addAction(tr("Quit"));
    connect(m_quitAction, &QAction::triggered, this, &TrayController::quitRequested);
}

bool TrayController::show()
{
    if (!isSystemTrayAvailable())
        return false;
    m_tray->show();
    return true;
}

bool TrayController::isVisible() const
{
    return m_tray->isVisible();
}

void TrayController::setLiveStreamCount(int count)
{
    m_status->setLiveStreamCount(count);
}

bool TrayController::notify(const QString &title, const QString &message, Urgency urgency)
{
    if (!m_tray->isVisible() || !QSystemTrayIcon::supportsMessages())
        return false;
    const QSystemTrayIcon::MessageIcon icon =
        urgency == Urgency::Critical  ? QSystemTrayIcon::Critical
        : urgency == Urgency::Warning ? QSystemTrayIcon::Warning
                                      : QSystemTrayIcon::Information;
    m_tray->showMessage(title, message, icon, 10'000);
    return true;
}

QString TrayController::liveStreamsText(int count)
{
    // English needs the singular without a translation file; other languages get every plural
    // form through %n.
    if (count == 1)
        return tr("1 live stream");
    return tr("%n live streams", nullptr, count);
}

QString TrayController::statusText() const
{
    const QString problem = m_status->firstProblem();
    if (!problem.isEmpty()) {
        QString line = problem.section(QLatin1Char('\n'), 0, 0);
        if (line.size() > 56)
            line = line.left(55) + QChar(0x2026);
        return tr("Needs attention: %1").arg(line);
    }
    if (!m_status->endpointEnabled())
        return tr("%1 · endpoint off").arg(m_status->baseUrl());
    return m_status->baseUrl() + QStringLiteral(" · ") +
           liveStreamsText(m_status->liveStreamCount());
}

QString TrayController::toolTip() const
{
    const QString problem = m_status->firstProblem();
    QString text = tr("Portico") + QLatin1Char('\n') + m_status->baseUrl() + QLatin1Char('\n');
    if (!problem.isEmpty())
        text += problem;
    else if (!m_status->endpointEnabled())
        text += tr("Chat completions endpoint off");
    else
        text += liveStreamsText(m_status->liveStreamCount());
    return text;
}

QIcon TrayController::icon() const
{
    return TrayIcons::icon(m_status->state(), TrayIcons::paletteIsDark());
}

void TrayController::refresh()
{
    m_statusAction->setText(statusText());
    m_endpointAction->setChecked(m_status->endpointEnabled());
    m_tray->setIcon(icon());
    m_tray->setToolTip(toolTip());
}

bool TrayController::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == qApp && event->type() == QEvent::ApplicationPaletteChange)
        refresh();
    return QObject::eventFilter(watched, event);
}

} // namespace portico
