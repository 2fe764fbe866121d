#include "RouteDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace portico {

RouteDialog::RouteDialog(const Config &config, const RouteConfig *existing, Commit commit,
                         QWidget *parent)
    : QDialog(parent)
    , m_config(config)
    , m_commit(std::move(commit))
    , m_match(new QLineEdit(this))
    , m_kind(new QComboBox(this))
    , m_target(new QComboBox(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(existing ? tr("Edit route") : tr("Add route"));
    setMinimumWidth(440);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_match->setObjectName(QStringLiteral("matchEdit"));
    m_match->setPlaceholderText(QStringLiteral("gpt-4o*"));
    m_match->setToolTip(tr("A pattern on the model a client asks for: * matches any text, ? one "
                           "character."));
    form->addRow(tr("Requested model:"), m_match);
    m_kind->setObjectName(QStringLiteral("kindCombo"));
    m_kind->addItem(tr("Agent"), QStringLiteral("agent"));
    m_kind->addItem(tr("Provider"), QStringLiteral("provider"));
    connect(m_kind, &QComboBox::currentIndexChanged, this, &RouteDialog::fillTargets);
    form->addRow(tr("Goes to:"), m_kind);
    m_target->setObjectName(QStringLiteral("targetCombo"));
    form->addRow(QString(), m_target);
    layout->addLayout(form);

    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();
    layout->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &RouteDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    if (existing) {
        m_match->setText(existing->match);
        m_kind->setCurrentIndex(existing->agent.isEmpty() ? 1 : 0);
    }
    fillTargets();
    if (existing)
        m_target->setCurrentIndex(qMax(
            0,
            m_target->findData(existing->agent.isEmpty() ? existing->provider : existing->agent)));
}

void RouteDialog::fillTargets()
{
    m_target->clear();
    if (m_kind->currentData().toString() == QLatin1String("agent")) {
        for (const AgentConfig &agent : m_config.agents)
            m_target->addItem(agent.id, agent.id);
    } else {
        for (const ProviderConfig &provider : m_config.providers)
            m_target->addItem(provider.id, provider.id);
        m_target->addItem(tr("diagnostic (built in)"), QStringLiteral("diagnostic"));
    }
}

RouteConfig RouteDialog::route() const
{
    RouteConfig route;
    route.match = m_match->text().trimmed();
    const QString target = m_target->currentData().toString();
    if (m_kind->currentData().toString() == QLatin1String("agent"))
        route.agent = target;
    else
        route.provider = target;
    return route;
}

void RouteDialog::save()
{
    QString error;
    const RouteConfig value = route();
    if (value.match.isEmpty())
        error = tr("Enter the model name or pattern this route matches.");
    else if (value.agent.isEmpty() && value.provider.isEmpty())
        error = tr("Choose where the route goes; add an agent first if the list is empty.");
    else if (m_commit(value, &error))
        return accept();
    m_error->setText(error);
    m_error->show();
}

QString RouteDialog::errorText() const
{
    return !m_error->isHidden() ? m_error->text() : QString();
}

} // namespace portico
