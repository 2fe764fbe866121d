#include "LogView.h"

#include "Config.h"
#include "LogLoader.h"
#include "LogTableModel.h"
#include "LogViewCurl.h"
#include "LogViewFilterBar.h"
#include "LogViewRecordDialog.h"

#include <QClipboard>
#include <QFileDialog>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QSaveFile>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace portico {

LogView::LogView(const QString &logDirectory, QWidget *parent)
    : QWidget(parent)
    , m_dir(logDirectory.isEmpty() ? Config::dataDir() + QStringLiteral("/logs") : logDirectory)
    , m_loader(new LogLoader(this))
    , m_model(new LogTableModel(this))
    , m_filters(new LogViewFilterBar(this))
    , m_table(new QTableView(this))
{
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Fixed row heights: no per-row measuring, whatever the number of rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setAccessibleName(tr("Session log"));
    const int wide = m_table->fontMetrics().horizontalAdvance(QLatin1Char('x'));
    m_table->setColumnWidth(LogTableModel::Time, wide * 21);
    m_table->setColumnWidth(LogTableModel::Status, wide * 7);
    m_table->setColumnWidth(LogTableModel::Message, wide * 40);

    m_info = new QLabel(this);
    auto *actions = new QHBoxLayout;
    auto *open = new QPushButton(tr("Open"), this);
    auto *curl = new QPushButton(tr("Copy as curl"), this);
    auto *exportButton = new QPushButton(tr("Export selection…"), this);
    curl->setToolTip(tr("Copies a curl command that sends the selected request again; it reads "
                        "the token from $PORTICO_TOKEN."));
    actions->addWidget(m_info, 1);
    actions->addWidget(open);
    actions->addWidget(curl);
    actions->addWidget(exportButton);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filters);
    layout->addWidget(m_table, 1);
    layout->addLayout(actions);

    connect(m_filters, &LogViewFilterBar::changed, this, &LogView::reload);
    connect(m_filters, &LogViewFilterBar::reloadRequested, this, &LogView::reload);
    connect(m_loader, &LogLoader::rowsLoaded, this, &LogView::onRowsLoaded);
    connect(m_loader, &LogLoader::progress, this, [this](qint64 scanned, qint64 total) {
        m_scanned = scanned;
        m_total = total;
        updateStatus();
    });
    connect(m_loader, &LogLoader::finished, this, &LogView::onFinished);
    connect(m_table, &QTableView::activated, this,
            [this](const QModelIndex &index) { openRow(index.row()); });
    connect(m_table, &QWidget::customContextMenuRequested, this, &LogView::showContextMenu);
    connect(open, &QPushButton::clicked, this, [this] {
        const QList<int> rows = selectedRows();
        if (!rows.isEmpty())
            openRow(rows.first());
    });
    connect(curl, &QPushButton::clicked, this, &LogView::copyCurl);
    connect(exportButton, &QPushButton::clicked, this, &LogView::exportSelectionInteractively);
    updateStatus();
}

LogFilter LogView::filter() const
{
    return m_filters->filter();
}

void LogView::setFilter(const LogFilter &filter)
{
    m_filters->setFilter(filter);
    reload();
}

bool LogView::isLoading() const
{
    return m_loader->isLoading();
}

void LogView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_everLoaded)
        reload();
}

void LogView::reload()
{
    m_everLoaded = true;
    m_model->clear();
    m_unreadable = 0;
    m_scanned = 0;
    m_total = 0;
    m_loader->start(m_dir, filter());
    updateStatus();
}

void LogView::onRowsLoaded(const QList<LogViewRow> &rows)
{
    m_model->appendRows(rows);
    for (const LogViewRow &r : rows) {
        if (m_sessions.size() < 1000)
            m_sessions.insert(r.sessionKey);
        m_agents.insert(r.agent.isEmpty() ? r.provider : r.agent);
        m_models.insert(r.model);
    }
}

void LogView::onFinished(bool canceled, int unreadable)
{
    m_unreadable = unreadable;
    updateStatus();
    if (canceled)
        return;
    m_filters->addKnownValues(m_sessions, m_agents, m_models);
    emit loadFinished(m_model->rowCount());
}

void LogView::updateStatus()
{
    const QLocale locale;
    QString text = tr("%n record(s)", nullptr, m_model->rowCount());
    if (m_loader->isLoading()) {
        const int percent = m_total > 0 ? int(m_scanned * 100 / m_total) : 0;
        text += QStringLiteral(" · ") + tr("loading… %1%").arg(percent);
    }
    if (m_unreadable > 0)
        text += QStringLiteral(" · ") + tr("%n unreadable line(s) skipped", nullptr, m_unreadable);
    m_info->setText(text);
}

QList<int> LogView::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

void LogView::openRow(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    LogRecord record;
    if (!m_loader->readRecord(m_model->row(row).where, &record)) {
        m_info->setText(tr("This record can no longer be read (the log file changed)."));
        return;
    }
    auto *dialog = new LogViewRecordDialog(record, m_baseUrl, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

QString LogView::curlForRow(int row) const
{
    if (row < 0 || row >= m_model->rowCount())
        return {};
    LogRecord record;
    if (!m_loader->readRecord(m_model->row(row).where, &record))
        return {};
    return curlCommandFor(record, m_baseUrl);
}

void LogView::copyCurl()
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        return;
    const QString command = curlForRow(rows.first());
    if (command.isEmpty()) {
        m_info->setText(tr("This record has no messages: the log keeps only metadata."));
        return;
    }
    QGuiApplication::clipboard()->setText(command);
    m_info->setText(tr("Copied a curl command; set PORTICO_TOKEN before running it."));
}

bool LogView::exportSelection(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    for (int row : selectedRows()) {
        // The line as logged (already redacted), content included.
        QByteArray line = m_loader->readLine(m_model->row(row).where);
        if (line.isEmpty())
            continue;
        line += '\n';
        if (file.write(line) != line.size()) {
            if (error)
                *error = file.errorString();
            file.cancelWriting();
            return false;
        }
    }
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void LogView::exportSelectionInteractively()
{
    if (selectedRows().isEmpty()) {
        m_info->setText(tr("Select the records to export first."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Export records"),
                                                      QStringLiteral("portico-log.jsonl"),
                                                      tr("JSON Lines (*.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (exportSelection(path, &error))
        m_info->setText(tr("Exported %n record(s).", nullptr, int(selectedRows().size())));
    else
        m_info->setText(tr("Export failed: %1").arg(error));
}

void LogView::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_table->indexAt(pos);
    if (!index.isValid())
        return;
    QMenu menu(this);
    menu.addAction(tr("Open"), this, [this, row = index.row()] { openRow(row); });
    menu.addAction(tr("Copy as curl"), this, &LogView::copyCurl);
    menu.addAction(tr("Export selection…"), this, &LogView::exportSelectionInteractively);
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

} // namespace portico
