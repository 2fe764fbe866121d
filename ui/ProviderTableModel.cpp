#include "ProviderTableModel.h"

#include "SecretCache.h"
#include "SecretStore.h"

namespace portico {

ProviderTableModel::ProviderTableModel(SecretCache *secrets, QObject *parent)
    : QAbstractTableModel(parent)
    , m_secrets(secrets)
{}

void ProviderTableModel::setProviders(const QList<ProviderConfig> &providers)
{
    beginResetModel();
    m_providers = providers;
    endResetModel();
}

ProviderConfig ProviderTableModel::providerAt(int row) const
{
    return row >= 0 && row < m_providers.size() ? m_providers.at(row) : ProviderConfig{};
}

int ProviderTableModel::rowOf(const QString &id) const
{
    for (int row = 0; row < m_providers.size(); ++row) {
        if (m_providers.at(row).id == id)
            return row;
    }
    return -1;
}

void ProviderTableModel::refreshKeys()
{
    if (!m_providers.isEmpty())
        emit dataChanged(index(0, ApiKey), index(rowCount() - 1, ApiKey));
}

QString ProviderTableModel::keySource(const ProviderConfig &provider, bool inKeychain)
{
    if (provider.type != QLatin1String("openai") && provider.type != QLatin1String("anthropic"))
        return tr("not needed");
    if (!provider.apiKeyEnv.isEmpty() &&
        !qEnvironmentVariableIsEmpty(provider.apiKeyEnv.toLocal8Bit().constData()))
        return QLatin1Char('$') + provider.apiKeyEnv;
    if (inKeychain)
        return tr("keychain");
    if (!provider.apiKeyEnv.isEmpty())
        return tr("$%1 (not set)").arg(provider.apiKeyEnv);
    return tr("none");
}

int ProviderTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_providers.size());
}

int ProviderTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProviderTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ProviderConfig &provider = m_providers.at(index.row());
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Id:
        return provider.id;
    case Type:
        return provider.type;
    case BaseUrl:
        if (provider.type == QLatin1String("cli")) {
            const QString command = provider.raw.value(QStringLiteral("command")).toString();
            const QString preset = provider.raw.value(QStringLiteral("preset")).toString();
            return tr("runs %1").arg(!command.isEmpty()  ? command
                                     : !preset.isEmpty() ? preset
                                                         : provider.id);
        }
        return provider.baseUrl.toDisplayString();
    case Models:
        if (role == Qt::ToolTipRole)
            return provider.models.join(QLatin1Char('\n'));
        if (provider.models.size() > 2)
            return tr("%1, … (%2 models)")
                .arg(provider.models.mid(0, 2).join(QStringLiteral(", ")))
                .arg(provider.models.size());
        return provider.models.join(QStringLiteral(", "));
    case ApiKey: {
        const bool inKeychain =
            m_secrets && m_secrets->contains(SecretStore::providerApiKeyKey(provider.id));
        return keySource(provider, inKeychain);
    }
    default:
        return {};
    }
}

QVariant ProviderTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Id:
        return tr("ID");
    case Type:
        return tr("Type");
    case BaseUrl:
        return tr("Base URL");
    case Models:
        return tr("Models");
    case ApiKey:
        return tr("API key");
    default:
        return {};
    }
}

} // namespace portico
