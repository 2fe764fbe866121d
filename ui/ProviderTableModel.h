#pragma once

#include "Config.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace portico {

class SecretCache;

// The configured providers: id, type, base URL, models and where the API key comes from.
class ProviderTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Type, BaseUrl, Models, ApiKey, ColumnCount };

    explicit ProviderTableModel(SecretCache *secrets, QObject *parent = nullptr);

    void setProviders(const QList<ProviderConfig> &providers);
    const QList<ProviderConfig> &providers() const { return m_providers; }
    ProviderConfig providerAt(int row) const;
    int rowOf(const QString &id) const;
    // Re-reads whether each provider has a key in the keychain.
    void refreshKeys();

    // "keychain", "$VAR" or "none", for display.
    static QString keySource(const ProviderConfig &provider, bool inKeychain);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QPointer<SecretCache> m_secrets;
    QList<ProviderConfig> m_providers;
};

} // namespace portico
