#pragma once

#include "Config.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace portico {

class TokenService;

// The configured client tokens: name, created, last used (this run). Never holds a secret.
class TokenTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Created, LastUsed, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1 };

    explicit TokenTableModel(TokenService *tokens, QObject *parent = nullptr);

    void setTokens(const QList<TokenRecord> &tokens);
    const QList<TokenRecord> &tokens() const { return m_tokens; }
    TokenRecord tokenAt(int row) const;
    // Re-reads the last-used times from the token service.
    void refreshLastUsed();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QPointer<TokenService> m_service;
    QList<TokenRecord> m_tokens;
};

} // namespace portico
