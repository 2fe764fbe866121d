#pragma once

#include "Config.h"

#include <QAbstractTableModel>

namespace portico {

// The configured agents: id, provider, model and system prompt (first line).
class AgentTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Provider, Model, SystemPrompt, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setAgents(const QList<AgentConfig> &agents);
    const QList<AgentConfig> &agents() const { return m_agents; }
    AgentConfig agentAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<AgentConfig> m_agents;
};

} // namespace portico
