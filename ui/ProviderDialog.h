#pragma once

#include "Config.h"
#include "UiContext.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace portico {

class ProviderProbe;

// Adds or edits one provider: id, type, base URL, API key (kept in the keychain), the variable
// that overrides it, and the models. Test asks the upstream for its models. Saving is the
// page's job: it listens to saveRequested() and calls accept() or showError().
class ProviderDialog : public QDialog
{
    Q_OBJECT
public:
    // `existing` null: a new provider.
    ProviderDialog(const UiContext &context, const ProviderConfig *existing,
                   QWidget *parent = nullptr);

    bool isNew() const { return m_isNew; }
    // The provider as entered (type-specific keys of an existing one are kept).
    ProviderConfig provider() const;
    // The key typed in (empty: keep whatever is stored).
    QByteArray enteredKey() const;
    bool forgetKey() const;

    void setFields(const QString &id, const QString &baseUrl, const QString &apiKey,
                   const QStringList &models);
    // Runs the Test button's probe.
    void test();
    ProviderProbe *probe() const { return m_probe; }
    QString testResult() const;
    QStringList foundModels() const { return m_found; }

    void setBusy(bool busy);
    void showError(const QString &text);
    QString errorText() const;

signals:
    void saveRequested();

private:
    void updateFields();
    QByteArray keyForTest() const;

    UiContext m_context;
    bool m_isNew;
    ProviderConfig m_original;
    QLineEdit *m_id;
    QComboBox *m_type;
    QLineEdit *m_baseUrl;
    QLineEdit *m_key;
    QCheckBox *m_forgetKey;
    QLineEdit *m_keyEnv;
    QPlainTextEdit *m_models;
    QPushButton *m_test;
    QPushButton *m_useModels;
    QLabel *m_testResult;
    QLabel *m_error;
    QPushButton *m_save;
    ProviderProbe *m_probe;
    QStringList m_found;
};

} // namespace portico
