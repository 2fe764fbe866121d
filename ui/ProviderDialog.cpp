#include "ProviderDialog.h"

#include "ProviderProbe.h"
#include "SecretCache.h"
#include "SecretStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace portico {

namespace {

bool usesHttp(const QString &type)
{
    return type == QLatin1String("openai") || type == QLatin1String("anthropic");
}

} // namespace

ProviderDialog::ProviderDialog(const UiContext &context, const ProviderConfig *existing,
                               QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_isNew(existing == nullptr)
    , m_original(existing ? *existing : ProviderConfig{})
    , m_id(new QLineEdit(this))
    , m_type(new QComboBox(this))
    , m_baseUrl(new QLineEdit(this))
    , m_key(new QLineEdit(this))
    , m_forgetKey(new QCheckBox(tr("Remove the stored key"), this))
    , m_keyEnv(new QLineEdit(this))
    , m_models(new QPlainTextEdit(this))
    , m_test(new QPushButton(tr("Test"), this))
    , m_useModels(new QPushButton(tr("Use these models"), this))
    , m_testResult(new QLabel(this))
    , m_error(new QLabel(this))
    , m_save(new QPushButton(tr("Save"), this))
    , m_probe(new ProviderProbe(this))
{
    setWindowTitle(m_isNew ? tr("Add provider") : tr("Edit provider %1").arg(m_original.id));
    setMinimumWidth(560);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;

    m_id->setObjectName(QStringLiteral("idEdit"));
    m_id->setPlaceholderText(QStringLiteral("openrouter"));
    m_id->setText(m_original.id);
    m_id->setReadOnly(!m_isNew);
    form->addRow(tr("ID:"), m_id);

    m_type->setObjectName(QStringLiteral("typeCombo"));
    m_type->addItem(tr("OpenAI-compatible"), QStringLiteral("openai"));
    m_type->addItem(tr("Anthropic"), QStringLiteral("anthropic"));
    if (!m_isNew && m_type->findData(m_original.type) < 0)
        m_type->addItem(m_original.type, m_original.type);
    m_type->setCurrentIndex(
        qMax(0, m_type->findData(m_isNew ? QStringLiteral("openai") : m_original.type)));
    m_type->setEnabled(m_isNew);
    connect(m_type, &QComboBox::currentIndexChanged, this, &ProviderDialog::updateFields);
    form->addRow(tr("Type:"), m_type);

    m_baseUrl->setObjectName(QStringLiteral("baseUrlEdit"));
    m_baseUrl->setPlaceholderText(QStringLiteral("https://api.example.com/v1"));
    m_baseUrl->setText(m_original.baseUrl.toString());
    form->addRow(tr("Base URL:"), m_baseUrl);

    const bool stored =
        !m_isNew && m_context.secrets->contains(SecretStore::providerApiKeyKey(m_original.id));
    m_key->setObjectName(QStringLiteral("apiKeyEdit"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(stored ? tr("stored in the keychain; type to replace")
                                     : tr("kept in the keychain, never in the file"));
    auto *keyRow = new QVBoxLayout;
    keyRow->addWidget(m_key);
    m_forgetKey->setVisible(stored);
    keyRow->addWidget(m_forgetKey);
    form->addRow(tr("API key:"), keyRow);

    m_keyEnv->setObjectName(QStringLiteral("apiKeyEnvEdit"));
    m_keyEnv->setPlaceholderText(tr("optional, e.g. OPENROUTER_API_KEY"));
    m_keyEnv->setText(m_original.apiKeyEnv);
    m_keyEnv->setToolTip(tr("When this environment variable is set, its value is used instead "
                            "of the stored key."));
    form->addRow(tr("Key variable:"), m_keyEnv);

    m_models->setObjectName(QStringLiteral("modelsEdit"));
    m_models->setPlaceholderText(tr("one model per line; empty: whatever the client asks for"));
    m_models->setPlainText(m_original.models.join(QLatin1Char('\n')));
    m_models->setTabChangesFocus(true);
    m_models->setFixedHeight(m_models->fontMetrics().lineSpacing() * 6);
    form->addRow(tr("Models:"), m_models);

    auto *testRow = new QHBoxLayout;
    m_test->setObjectName(QStringLiteral("testButton"));
    m_test->setToolTip(tr("Ask the provider which models it offers (GET <base URL>/models)."));
    connect(m_test, &QPushButton::clicked, this, &ProviderDialog::test);
    testRow->addWidget(m_test);
    m_useModels->setObjectName(QStringLiteral("useModelsButton"));
    m_useModels->hide();
    connect(m_useModels, &QPushButton::clicked, this,
            [this] { m_models->setPlainText(m_found.join(QLatin1Char('\n'))); });
    testRow->addWidget(m_useModels);
    testRow->addStretch(1);
    form->addRow(QString(), testRow);
    m_testResult->setObjectName(QStringLiteral("testResultLabel"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextFormat(Qt::PlainText);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_testResult->hide();
    form->addRow(m_testResult);
    layout->addLayout(form);

    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();
    layout->addWidget(m_error);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setDefault(true);
    buttons->addButton(m_save, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_save, &QPushButton::clicked, this, &ProviderDialog::saveRequested);
    layout->addWidget(buttons);

    connect(m_probe, &ProviderProbe::succeeded, this, [this](const QStringList &models) {
        m_test->setEnabled(true);
        m_found = models;
        m_testResult->setStyleSheet(QStringLiteral("color: #2e7d32;"));
        m_testResult->setText(
            models.isEmpty() ? tr("The provider answered, but lists no models.")
                             : tr("Models found (%n): %1", nullptr, static_cast<int>(models.size()))
                                   .arg(models.mid(0, 12).join(QStringLiteral(", ")) +
                                        (models.size() > 12 ? QStringLiteral(", …") : QString())));
        m_testResult->show();
        m_useModels->setVisible(!models.isEmpty());
    });
    connect(m_probe, &ProviderProbe::failed, this, [this](const QString &message) {
        m_test->setEnabled(true);
        m_found.clear();
        m_testResult->setStyleSheet(QStringLiteral("color: #c62828;"));
        m_testResult->setText(message);
        m_testResult->show();
        m_useModels->hide();
    });
    updateFields();
}

void ProviderDialog::updateFields()
{
    const bool http = usesHttp(m_type->currentData().toString());
    m_baseUrl->setEnabled(http);
    m_key->setEnabled(http);
    m_keyEnv->setEnabled(http);
    m_test->setEnabled(http && !m_probe->isRunning());
    if (m_isNew && m_type->currentData().toString() == QLatin1String("anthropic") &&
        m_baseUrl->text().isEmpty())
        m_baseUrl->setText(QStringLiteral("https://api.anthropic.com"));
}

ProviderConfig ProviderDialog::provider() const
{
    ProviderConfig p = m_original;
    p.id = m_id->text().trimmed();
    p.type = m_type->currentData().toString();
    p.apiKeyEnv = m_keyEnv->text().trimmed();
    p.baseUrl = QUrl(m_baseUrl->text().trimmed());
    if (!usesHttp(p.type))
        p.baseUrl = m_original.baseUrl;
    p.models.clear();
    const QStringList lines = m_models->toPlainText().split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        for (const QString &part : line.split(QLatin1Char(','))) {
            const QString model = part.trimmed();
            if (!model.isEmpty() && !p.models.contains(model))
                p.models << model;
        }
    }
    return p;
}

QByteArray ProviderDialog::enteredKey() const
{
    return m_key->text().trimmed().toUtf8();
}

bool ProviderDialog::forgetKey() const
{
    return m_forgetKey->isVisible() && m_forgetKey->isChecked() && m_key->text().isEmpty();
}

void ProviderDialog::setFields(const QString &id, const QString &baseUrl, const QString &apiKey,
                               const QStringList &models)
{
    if (m_isNew)
        m_id->setText(id);
    m_baseUrl->setText(baseUrl);
    m_key->setText(apiKey);
    m_models->setPlainText(models.join(QLatin1Char('\n')));
}

QByteArray ProviderDialog::keyForTest() const
{
    if (!enteredKey().isEmpty())
        return enteredKey();
    const QString env = m_keyEnv->text().trimmed();
    if (!env.isEmpty() && !qEnvironmentVariableIsEmpty(env.toLocal8Bit().constData()))
        return qgetenv(env.toLocal8Bit().constData());
    if (!m_isNew && !forgetKey())
        return m_context.secrets->value(SecretStore::providerApiKeyKey(m_original.id));
    return {};
}

void ProviderDialog::test()
{
    m_test->setEnabled(false);
    m_testResult->setStyleSheet(QString());
    m_testResult->setText(
        tr("Asking %1…")
            .arg(ProviderProbe::modelsUrl(QUrl(m_baseUrl->text().trimmed())).toDisplayString()));
    m_testResult->show();
    m_useModels->hide();
    m_probe->start(QUrl(m_baseUrl->text().trimmed()), keyForTest(),
                   m_type->currentData().toString());
}

QString ProviderDialog::testResult() const
{
    return m_testResult->text();
}

void ProviderDialog::setBusy(bool busy)
{
    m_save->setEnabled(!busy);
}

void ProviderDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

QString ProviderDialog::errorText() const
{
    return !m_error->isHidden() ? m_error->text() : QString();
}

} // namespace portico
