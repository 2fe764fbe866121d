#pragma once

#include "AppStatus.h"

#include <QObject>
#include <QPointer>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace portico {

// The tray icon and its menu, a small facade over QSystemTrayIcon that copes with no tray being
// available (the menu is still built, for the window and for tests). It shows AppStatus and
// turns menu choices into signals; it never touches the gateway itself.
class TrayController : public QObject
{
    Q_OBJECT
public:
    explicit TrayController(AppStatus *status, QObject *parent = nullptr);
    ~TrayController() override;

    // Whether the desktop has a system tray (false on some desktops and offscreen).
    static bool isSystemTrayAvailable();
    // Shows the icon when there is a tray; returns whether it is shown.
    bool show();
    bool isVisible() const;

    // For the sessions view: the number of live streams (shown in the tooltip, the status line
    // and the icon).
    void setLiveStreamCount(int count);

    // A desktop notification (only when the icon is shown); returns whether one was shown.
    enum class Urgency { Information, Warning, Critical };
    bool notify(const QString &title, const QString &message,
                Urgency urgency = Urgency::Information);

    QMenu *menu() const { return m_menu; }
    QAction *statusAction() const { return m_statusAction; }
    QAction *endpointAction() const { return m_endpointAction; }
    QAction *copyTokenAction() const { return m_copyTokenAction; }
    QAction *copyBaseUrlAction() const { return m_copyBaseUrlAction; }
    QAction *copyExampleAction() const { return m_copyExampleAction; }
    QAction *sessionsAction() const { return m_sessionsAction; }
    QAction *settingsAction() const { return m_settingsAction; }
    QAction *quitAction() const { return m_quitAction; }

    // "2 live streams"
    static QString liveStreamsText(int count);
    QString toolTip() const;
    // Shows the status again (e.g. after a menu choice that did not take effect).
    void refresh();
    QString statusText() const;
    QIcon icon() const;

signals:
    // The user switched the chat-completions endpoint in the menu.
    void endpointToggled(bool enabled);
    void copyTokenRequested();
    void sessionsRequested();
    void settingsRequested();
    void quitRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildMenu();

    AppStatus *m_status;
    QMenu *m_menu; // owned
    QSystemTrayIcon *m_tray = nullptr;
    QAction *m_statusAction = nullptr;
    QAction *m_endpointAction = nullptr;
    QAction *m_copyTokenAction = nullptr;
    QAction *m_copyBaseUrlAction = nullptr;
    QAction *m_copyExampleAction = nullptr;
    QAction *m_sessionsAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_quitAction = nullptr;
};

} // namespace portico
