#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace portico {

// A settings page whose content comes from elsewhere (the sessions and log views). Until a
// widget is set it says that the view is not available.
class HostPage : public QWidget
{
    Q_OBJECT
public:
    HostPage(const QString &title, const QString &unavailableText, QWidget *parent = nullptr);

    // Shows `widget` (the page takes ownership); null shows the "not available" text again.
    void setWidget(QWidget *widget);
    QWidget *widget() const { return m_widget; }

private:
    QVBoxLayout *m_layout;
    QLabel *m_placeholder;
    QPointer<QWidget> m_widget;
};

} // namespace portico
