#pragma once

#include "UiContext.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace portico {

struct Config;

// General settings: the chat-completions endpoint, the address and port, what to copy into a
// client, start at login and the configuration file.
class GeneralPage : public QWidget
{
    Q_OBJECT
public:
    explicit GeneralPage(const UiContext &context, QWidget *parent = nullptr);

    // Applies the address and port fields; on failure shows why and keeps the running address.
    bool applyAddress();
    QString addressError() const;
    void setEndpointEnabled(bool enabled);

private:
    QWidget *buildEndpointGroup();
    QWidget *buildAddressGroup();
    QWidget *buildConnectionGroup();
    QWidget *buildStartupGroup();
    QWidget *buildConfigGroup();
    void onConfigChanged(const Config &config);
    void refreshStatus();
    void markAddressDirty();
    void showError(QLabel *label, const QString &text);

    UiContext m_context;
    QCheckBox *m_endpoint = nullptr;
    QLabel *m_endpointError = nullptr;
    QLabel *m_listening = nullptr;
    QLineEdit *m_bind = nullptr;
    QSpinBox *m_port = nullptr;
    QPushButton *m_applyAddress = nullptr;
    QPushButton *m_revertAddress = nullptr;
    QLabel *m_addressNote = nullptr;
    QLabel *m_addressError = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QCheckBox *m_autostart = nullptr;
    QLabel *m_autostartError = nullptr;
    QLabel *m_configError = nullptr;
    bool m_addressDirty = false;
};

} // namespace portico
