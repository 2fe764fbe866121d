#include "HostPage.h"

#include <QLabel>
#include <QVBoxLayout>

namespace portico {

HostPage::HostPage(const QString &title, const QString &unavailableText, QWidget *parent)
    : QWidget(parent)
    , m_layout(new QVBoxLayout(this))
    , m_placeholder(new QLabel(unavailableText, this))
{
    auto *heading = new QLabel(QStringLiteral("<h2>%1</h2>").arg(title.toHtmlEscaped()), this);
    m_layout->addWidget(heading);
    m_placeholder->setObjectName(QStringLiteral("unavailableLabel"));
    m_placeholder->setWordWrap(true);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setEnabled(false);
    m_layout->addWidget(m_placeholder, 1);
}

void HostPage::setWidget(QWidget *widget)
{
    if (m_widget == widget)
        return;
    if (m_widget) {
        m_layout->removeWidget(m_widget);
        m_widget->deleteLater();
    }
    m_widget = widget;
    m_placeholder->setVisible(!widget);
    if (widget)
        m_layout->addWidget(widget, 1);
}

} // namespace portico
