#pragma once

#include "UiContext.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QListWidget;
class QStackedWidget;
class QVBoxLayout;

namespace portico {

class AccessPage;
class AgentsPage;
class GeneralPage;
class HostPage;
class ProvidersPage;

// The settings window: a sidebar of pages (General, Access, Providers, Agents & routes,
// Sessions, Log) and, above them, notices about what needs attention. Closing hides it, unless
// it is the application's main window (no system tray), where closing asks to quit.
class SettingsWindow : public QWidget
{
    Q_OBJECT
public:
    enum class Page { General, Access, Providers, Agents, Sessions, Log };
    Q_ENUM(Page)

    explicit SettingsWindow(const UiContext &context, QWidget *parent = nullptr);

    void showPage(Page page);
    Page currentPage() const;
    // Shows the window and brings it to the front.
    void present();

    // The live sessions and log views come from elsewhere; the window takes ownership.
    void setSessionsWidget(QWidget *widget);
    void setLogWidget(QWidget *widget);

    // A notice above the pages, replaced by key; empty text removes it.
    void setNotice(const QString &key, const QString &text);
    QString notice(const QString &key) const;

    // As the main window (no tray), closing the window quits (after quitRequested()).
    void setMainWindowMode(bool mainWindow);
    bool isMainWindowMode() const { return m_mainWindow; }

    GeneralPage *generalPage() const { return m_general; }
    AccessPage *accessPage() const { return m_access; }
    ProvidersPage *providersPage() const { return m_providers; }
    AgentsPage *agentsPage() const { return m_agents; }
    HostPage *sessionsPage() const { return m_sessions; }
    HostPage *logPage() const { return m_log; }

signals:
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void addPage(const QString &title, QWidget *page);
    void refreshProblems();

    UiContext m_context;
    QListWidget *m_sidebar;
    QStackedWidget *m_pages;
    QVBoxLayout *m_notices;
    QHash<QString, QLabel *> m_noticeLabels;
    GeneralPage *m_general;
    AccessPage *m_access;
    ProvidersPage *m_providers;
    AgentsPage *m_agents;
    HostPage *m_sessions;
    HostPage *m_log;
    bool m_mainWindow = false;
};

} // namespace portico
