#pragma once

#include "Config.h"
#include "UiContext.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace portico {

class AgentDialog;
class AgentTableModel;
class RouteDialog;
class RouteTableModel;

// Agents (a name → provider, model, system prompt) and model routes (a pattern on the requested
// model → agent or provider), edited through dialogs and saved at once.
class AgentsPage : public QWidget
{
    Q_OBJECT
public:
    explicit AgentsPage(const UiContext &context, QWidget *parent = nullptr);

    AgentTableModel *agentModel() const { return m_agents; }
    RouteTableModel *routeModel() const { return m_routes; }

    AgentDialog *openAgentDialog(const QString &id = {});
    RouteDialog *openRouteDialog(int row = -1);
    bool saveAgent(const AgentConfig &agent, QString *error);
    bool removeAgent(const QString &id);
    // `row` -1 appends.
    bool saveRoute(int row, const RouteConfig &route, QString *error);
    bool removeRoute(int row);
    bool moveRoute(int row, int delta);

    QString messageText() const;

private:
    QWidget *buildAgents();
    QWidget *buildRoutes();
    void onConfigChanged(const Config &config);
    void updateButtons();
    int selectedRow(QTableView *view) const;
    void showMessage(const QString &text, bool error);

    UiContext m_context;
    AgentTableModel *m_agents;
    RouteTableModel *m_routes;
    QTableView *m_agentView = nullptr;
    QTableView *m_routeView = nullptr;
    QPushButton *m_editAgent = nullptr;
    QPushButton *m_removeAgent = nullptr;
    QPushButton *m_editRoute = nullptr;
    QPushButton *m_removeRoute = nullptr;
    QPushButton *m_up = nullptr;
    QPushButton *m_down = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace portico
