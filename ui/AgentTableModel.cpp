#include "AgentTableModel.h"

namespace portico {

void AgentTableModel::setAgents(const QList<AgentConfig> &agents)
{
    beginResetModel();
    m_agents = agents;
    endResetModel();
}

AgentConfig AgentTableModel::agentAt(int row) const
{
    return row >= 0 && row < m_agents.size() ? m_agents.at(row) : AgentConfig{};
}

int AgentTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_agents.size());
}

int AgentTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AgentTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const AgentConfig &agent = m_agents.at(index.row());
    switch (index.column()) {
    case Id:
        return agent.id;
    case Provider:
        return agent.provider;
    case Model:
        if (agent.model.isEmpty())
            return role == Qt::DisplayRole ? tr("(as requested)") : tr("The client's model");
        return agent.model;
    case SystemPrompt:
        if (role == Qt::ToolTipRole)
            return agent.systemPrompt;
        return agent.systemPrompt.section(QLatin1Char('\n'), 0, 0).left(80);
    default:
        return {};
    }
}

QVariant AgentTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Id:
        return tr("Agent");
    case Provider:
        return tr("Provider");
    case Model:
        return tr("Model");
    case SystemPrompt:
        return tr("System prompt");
    default:
        return {};
    }
}

} // namespace portico
