#include "AgentsPage.h"

#include "AgentDialog.h"
#include "AgentTableModel.h"
#include "ConfigStore.h"
#include "RouteDialog.h"
#include "RouteTableModel.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace portico {

namespace {

QTableView *makeView(QAbstractItemModel *model, const QString &name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    return view;
}

} // namespace

AgentsPage::AgentsPage(const UiContext &context, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_agents(new AgentTableModel(this))
    , m_routes(new RouteTableModel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(QStringLiteral("<h2>%1</h2>").arg(tr("Agents & routes")), this));
    layout->addWidget(buildAgents(), 3);
    layout->addWidget(buildRoutes(), 2);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("messageLabel"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->hide();
    layout->addWidget(m_message);
    connect(m_context.config, &ConfigStore::changed, this, &AgentsPage::onConfigChanged);
    onConfigChanged(m_context.config->config());
}

QWidget *AgentsPage::buildAgents()
{
    auto *group = new QGroupBox(tr("Agents"), this);
    auto *layout = new QVBoxLayout(group);
    auto *intro = new QLabel(tr("A client picks an agent with the model \"agent:<name>\" or the "
                                "X-Portico-Agent-Id header."),
                             group);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_agentView = makeView(m_agents, QStringLiteral("agentView"), group);
    connect(m_agentView, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        openAgentDialog(m_agents->agentAt(index.row()).id);
    });
    connect(m_agentView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AgentsPage::updateButtons);
    layout->addWidget(m_agentView, 1);
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add…"), group);
    connect(add, &QPushButton::clicked, this, [this] { openAgentDialog(); });
    buttons->addWidget(add);
    m_editAgent = new QPushButton(tr("Edit…"), group);
    connect(m_editAgent, &QPushButton::clicked, this,
            [this] { openAgentDialog(m_agents->agentAt(selectedRow(m_agentView)).id); });
    buttons->addWidget(m_editAgent);
    m_removeAgent = new QPushButton(tr("Remove"), group);
    connect(m_removeAgent, &QPushButton::clicked, this,
            [this] { removeAgent(m_agents->agentAt(selectedRow(m_agentView)).id); });
    buttons->addWidget(m_removeAgent);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    return group;
}

QWidget *AgentsPage::buildRoutes()
{
    auto *group = new QGroupBox(tr("Model routes"), this);
    auto *layout = new QVBoxLayout(group);
    auto *intro = new QLabel(tr("Checked from top to bottom; the first pattern that matches the "
                                "requested model decides."),
                             group);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_routeView = makeView(m_routes, QStringLiteral("routeView"), group);
    connect(m_routeView, &QTableView::doubleClicked, this,
            [this](const QModelIndex &index) { openRouteDialog(index.row()); });
    connect(m_routeView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AgentsPage::updateButtons);
    layout->addWidget(m_routeView, 1);
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add…"), group);
    connect(add, &QPushButton::clicked, this, [this] { openRouteDialog(); });
    buttons->addWidget(add);
    m_editRoute = new QPushButton(tr("Edit…"), group);
    connect(m_editRoute, &QPushButton::clicked, this,
            [this] { openRouteDialog(selectedRow(m_routeView)); });
    buttons->addWidget(m_editRoute);
    m_removeRoute = new QPushButton(tr("Remove"), group);
    connect(m_removeRoute, &QPushButton::clicked, this,
            [this] { removeRoute(selectedRow(m_routeView)); });
    buttons->addWidget(m_removeRoute);
    m_up = new QPushButton(tr("Move up"), group);
    connect(m_up, &QPushButton::clicked, this, [this] { moveRoute(selectedRow(m_routeView), -1); });
    buttons->addWidget(m_up);
    m_down = new QPushButton(tr("Move down"), group);
    connect(m_down, &QPushButton::clicked, this,
            [this] { moveRoute(selectedRow(m_routeView), 1); });
    buttons->addWidget(m_down);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    return group;
}

int AgentsPage::selectedRow(QTableView *view) const
{
    const QModelIndexList rows = view->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.constFirst().row();
}

void AgentsPage::updateButtons()
{
    const bool agent = selectedRow(m_agentView) >= 0;
    m_editAgent->setEnabled(agent);
    m_removeAgent->setEnabled(agent);
    const int route = selectedRow(m_routeView);
    m_editRoute->setEnabled(route >= 0);
    m_removeRoute->setEnabled(route >= 0);
    m_up->setEnabled(route > 0);
    m_down->setEnabled(route >= 0 && route + 1 < m_routes->rowCount());
}

void AgentsPage::onConfigChanged(const Config &config)
{
    m_agents->setAgents(config.agents);
    m_routes->setRoutes(config.routes);
    m_agentView->resizeColumnsToContents();
    m_routeView->resizeColumnToContents(RouteTableModel::Match);
    updateButtons();
}

void AgentsPage::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
    m_message->setVisible(!text.isEmpty());
}

QString AgentsPage::messageText() const
{
    return !m_message->isHidden() ? m_message->text() : QString();
}

AgentDialog *AgentsPage::openAgentDialog(const QString &id)
{
    const AgentConfig *existing = id.isEmpty() ? nullptr : m_context.config->config().agent(id);
    auto *dialog = new AgentDialog(
        m_context.config->config(), existing,
        [this](const AgentConfig &agent, QString *error) { return saveAgent(agent, error); }, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

RouteDialog *AgentsPage::openRouteDialog(int row)
{
    const QList<RouteConfig> &routes = m_context.config->config().routes;
    const RouteConfig *existing = row >= 0 && row < routes.size() ? &routes.at(row) : nullptr;
    auto *dialog = new RouteDialog(
        m_context.config->config(), existing,
        [this, row = existing ? row : -1](const RouteConfig &route, QString *error) {
            return saveRoute(row, route, error);
        },
        this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

bool AgentsPage::saveAgent(const AgentConfig &agent, QString *error)
{
    const bool ok = m_context.config->update(
        [&](Config &config) {
            config.agents.removeIf([&](const AgentConfig &a) { return a.id == agent.id; });
            config.agents.append(agent);
        },
        error);
    if (ok)
        showMessage(tr("Agent \"%1\" saved.").arg(agent.id), false);
    return ok;
}

bool AgentsPage::removeAgent(const QString &id)
{
    QString error;
    const bool ok = m_context.config->update(
        [&](Config &config) {
            config.agents.removeIf([&](const AgentConfig &a) { return a.id == id; });
        },
        &error);
    showMessage(ok ? tr("Agent \"%1\" removed.").arg(id)
                   : tr("The agent was not removed: %1").arg(error),
                !ok);
    return ok;
}

bool AgentsPage::saveRoute(int row, const RouteConfig &route, QString *error)
{
    const bool ok = m_context.config->update(
        [&](Config &config) {
            if (row >= 0 && row < config.routes.size())
                config.routes[row] = route;
            else
                config.routes.append(route);
        },
        error);
    if (ok)
        showMessage(tr("Route \"%1\" saved.").arg(route.match), false);
    return ok;
}

bool AgentsPage::removeRoute(int row)
{
    QString error;
    const bool ok = m_context.config->update(
        [&](Config &config) {
            if (row >= 0 && row < config.routes.size())
                config.routes.removeAt(row);
        },
        &error);
    showMessage(ok ? QString() : tr("The route was not removed: %1").arg(error), !ok);
    return ok;
}

bool AgentsPage::moveRoute(int row, int delta)
{
    const int target = row + delta;
    if (row < 0 || target < 0 || target >= m_routes->rowCount())
        return false;
    QString error;
    const bool ok =
        m_context.config->update([&](Config &config) { config.routes.move(row, target); }, &error);
    if (ok)
        m_routeView->selectRow(target);
    else
        showMessage(error, true);
    return ok;
}

} // namespace portico
