#pragma once

#include "Config.h"
#include "UiContext.h"

#include <QWidget>

class QLabel;
class QMessageBox;
class QPushButton;
class QTableView;

namespace portico {

class ProviderDialog;
class ProviderTableModel;

// The upstreams requests go to: add, edit and remove providers (API keys in the keychain), test
// them, and add the agent CLIs found on this computer.
class ProvidersPage : public QWidget
{
    Q_OBJECT
public:
    explicit ProvidersPage(const UiContext &context, QWidget *parent = nullptr);

    ProviderTableModel *providerModel() const { return m_model; }
    QTableView *providerView() const { return m_view; }

    // `id` empty: a new provider.
    ProviderDialog *openDialog(const QString &id = {});
    // Saves what `dialog` holds: key to the keychain, then the configuration; accepts the dialog
    // or shows the error in it.
    void save(ProviderDialog *dialog);
    QMessageBox *confirmRemove(const QString &id);
    bool remove(const QString &id);
    // Finds claude/codex/gemini on PATH and offers to add the ones not configured yet.
    QMessageBox *detectClis();
    bool addCliProviders(const QStringList &presets);

    QString messageText() const;

private:
    void onConfigChanged(const Config &config);
    void updateButtons();
    QString selectedId() const;
    void showMessage(const QString &text, bool error);
    bool commit(const ProviderConfig &provider, QString *error);

    UiContext m_context;
    ProviderTableModel *m_model;
    QTableView *m_view;
    QPushButton *m_edit = nullptr;
    QPushButton *m_remove = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace portico
