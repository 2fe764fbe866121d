#include "LogViewRecordDialog.h"

#include "LogViewCurl.h"

#include <QClipboard>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace portico {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped().replace(QLatin1Char('\n'), QLatin1String("<br>"));
}

QString contentHtml(const QJsonValue &content)
{
    if (content.isString())
        return esc(content.toString());
    QString html;
    for (const QJsonValue &part : content.toArray()) {
        const QJsonObject p = part.toObject();
        const QString type = p.value(QStringLiteral("type")).toString();
        if (type == QLatin1String("text"))
            html += esc(p.value(QStringLiteral("text")).toString()) + QLatin1String("<br>");
        else
            html += QLatin1String("<i>[") + esc(type) + QLatin1String("]</i><br>");
    }
    return html;
}

QString toolCallsHtml(const QJsonArray &calls)
{
    QString html;
    for (const QJsonValue &c : calls) {
        const QJsonObject function = c.toObject().value(QStringLiteral("function")).toObject();
        html += QLatin1String("<div style=\"color:#1a6fb5\"><b>") +
                esc(QCoreApplication::translate("portico::LogViewRecordDialog", "Tool call: %1")
                        .arg(function.value(QStringLiteral("name")).toString())) +
                QLatin1String("</b><pre>") +
                function.value(QStringLiteral("arguments")).toString().toHtmlEscaped() +
                QLatin1String("</pre></div>");
    }
    return html;
}

QString messageHtml(const QString &role, const QJsonObject &m)
{
    QString html = QLatin1String("<h4>") + esc(role) + QLatin1String("</h4>");
    const QString reasoning = m.value(QStringLiteral("reasoning_content")).toString();
    if (!reasoning.isEmpty())
        html += QLatin1String("<p style=\"color:#777777\"><i>") + esc(reasoning) +
                QLatin1String("</i></p>");
    html += QLatin1String("<p>") + contentHtml(m.value(QStringLiteral("content"))) +
            QLatin1String("</p>");
    html += toolCallsHtml(m.value(QStringLiteral("tool_calls")).toArray());
    return html;
}

} // namespace

QString LogViewRecordDialog::exchangeHtml(const LogRecord &r)
{
    const QLocale locale;
    QString html = QLatin1String("<table cellspacing=\"2\">");
    const auto row = [&html](const QString &name, const QString &value) {
        if (!value.isEmpty())
            html += QLatin1String("<tr><td><b>") + esc(name) + QLatin1String("</b></td><td>") +
                    esc(value) + QLatin1String("</td></tr>");
    };
    row(tr("Time"), locale.toString(QDateTime::fromMSecsSinceEpoch(r.time), QLocale::LongFormat));
    row(tr("Status"), r.status > 0 ? QString::number(r.status) : QString());
    row(tr("Error"), r.error);
    row(tr("Session"), r.sessionKey);
    row(tr("Agent"), r.agent);
    row(tr("Provider"), r.provider);
    row(tr("Model"), r.upstreamModel);
    row(tr("Client"), r.clientTokenName);
    row(tr("Request id"), r.requestId);
    row(tr("Latency"), r.latencyMs >= 0 ? tr("%1 ms").arg(r.latencyMs) : QString());
    row(tr("First token"), r.ttftMs >= 0 ? tr("%1 ms").arg(r.ttftMs) : QString());
    if (r.usage.isKnown())
        row(tr("Tokens"), tr("%1 prompt, %2 completion, %3 total")
                              .arg(r.usage.promptTokens)
                              .arg(r.usage.completionTokens)
                              .arg(r.usage.totalTokens));
    row(tr("Streamed"), r.stream ? tr("yes") : tr("no"));
    html += QLatin1String("</table><hr>");
    if (!r.hasContent())
        html += QLatin1String("<p><i>") +
                esc(tr("The log kept only the metadata of this request.")) +
                QLatin1String("</i></p>");
    for (const QJsonValue &v : r.requestMessages) {
        const QJsonObject m = v.toObject();
        html += messageHtml(m.value(QStringLiteral("role")).toString(), m);
    }
    if (!r.response.isEmpty()) {
        html += QLatin1String("<hr>");
        html += messageHtml(tr("Response"), r.response);
    }
    return html;
}

LogViewRecordDialog::LogViewRecordDialog(const LogRecord &record, const QString &gatewayBaseUrl,
                                         QWidget *parent)
    : QDialog(parent)
    , m_record(record)
    , m_baseUrl(gatewayBaseUrl)
    , m_exchange(new QTextBrowser(this))
    , m_json(new QPlainTextEdit(this))
{
    setWindowTitle(
        tr("Request %1").arg(record.requestId.isEmpty() ? tr("(refused)") : record.requestId));
    m_exchange->setOpenLinks(false);
    m_exchange->setHtml(exchangeHtml(record));
    m_json->setReadOnly(true);
    m_json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_json->setPlainText(QString::fromUtf8(QJsonDocument(record.toJson()).toJson()));

    auto *tabs = new QTabWidget(this);
    tabs->addTab(m_exchange, tr("Exchange"));
    tabs->addTab(m_json, tr("JSON"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *curl = buttons->addButton(tr("Copy as curl"), QDialogButtonBox::ActionRole);
    curl->setEnabled(!record.requestMessages.isEmpty());
    curl->setToolTip(tr("Copies a curl command that sends this request again; it reads the "
                        "token from $PORTICO_TOKEN."));
    connect(curl, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(curlCommandFor(m_record, m_baseUrl)); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs, 1);
    layout->addWidget(buttons);
    resize(760, 620);
}

} // namespace portico
