#include "AgentDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace portico {

AgentDialog::AgentDialog(const Config &config, const AgentConfig *existing, Commit commit,
                         QWidget *parent)
    : QDialog(parent)
    , m_config(config)
    , m_commit(std::move(commit))
    , m_id(new QLineEdit(this))
    , m_provider(new QComboBox(this))
    , m_model(new QComboBox(this))
    , m_prompt(new QPlainTextEdit(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(existing ? tr("Edit agent %1").arg(existing->id) : tr("Add agent"));
    setMinimumWidth(520);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_id->setObjectName(QStringLiteral("idEdit"));
    m_id->setPlaceholderText(QStringLiteral("coder"));
    m_id->setReadOnly(existing != nullptr);
    form->addRow(tr("Agent:"), m_id);

    m_provider->setObjectName(QStringLiteral("providerCombo"));
    for (const ProviderConfig &provider : m_config.providers)
        m_provider->addItem(QStringLiteral("%1 (%2)").arg(provider.id, provider.type), provider.id);
    m_provider->addItem(tr("diagnostic (built in)"), QStringLiteral("diagnostic"));
    connect(m_provider, &QComboBox::currentIndexChanged, this, &AgentDialog::fillModels);
    form->addRow(tr("Provider:"), m_provider);

    m_model->setObjectName(QStringLiteral("modelCombo"));
    m_model->setEditable(true);
    m_model->setInsertPolicy(QComboBox::NoInsert);
    m_model->lineEdit()->setPlaceholderText(tr("empty: the model the client asks for"));
    form->addRow(tr("Model:"), m_model);

    m_prompt->setObjectName(QStringLiteral("promptEdit"));
    m_prompt->setPlaceholderText(tr("optional; sent as the first system message"));
    m_prompt->setTabChangesFocus(true);
    form->addRow(tr("System prompt:"), m_prompt);
    layout->addLayout(form, 1);

    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();
    layout->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &AgentDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    if (existing)
        setFields(existing->id, existing->provider, existing->model, existing->systemPrompt);
    else
        fillModels();
}

void AgentDialog::fillModels()
{
    const QString current = m_model->currentText();
    m_model->clear();
    if (const ProviderConfig *provider = m_config.provider(m_provider->currentData().toString()))
        m_model->addItems(provider->models);
    m_model->setEditText(current);
}

void AgentDialog::setFields(const QString &id, const QString &provider, const QString &model,
                            const QString &systemPrompt)
{
    m_id->setText(id);
    int index = m_provider->findData(provider);
    if (index < 0) {
        m_provider->addItem(provider, provider);
        index = m_provider->count() - 1;
    }
    m_provider->setCurrentIndex(index);
    fillModels();
    m_model->setEditText(model);
    m_prompt->setPlainText(systemPrompt);
}

AgentConfig AgentDialog::agent() const
{
    AgentConfig agent;
    agent.id = m_id->text().trimmed();
    agent.provider = m_provider->currentData().toString();
    agent.model = m_model->currentText().trimmed();
    agent.systemPrompt = m_prompt->toPlainText();
    return agent;
}

void AgentDialog::save()
{
    QString error;
    const AgentConfig value = agent();
    if (value.id.isEmpty()) {
        error = tr("An agent needs a name, such as \"coder\".");
    } else if (m_commit(value, &error)) {
        accept();
        return;
    }
    m_error->setText(error);
    m_error->show();
}

QString AgentDialog::errorText() const
{
    return !m_error->isHidden() ? m_error->text() : QString();
}

} // namespace portico
