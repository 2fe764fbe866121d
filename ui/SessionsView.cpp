#include "SessionsView.h"

#include "RequestTableModel.h"
#include "SessionRegistry.h"
#include "SessionTableModel.h"
#include "StreamTextView.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTimerEvent>
#include <QVBoxLayout>

namespace portico {

namespace {

QTableView *makeTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setSortingEnabled(true);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    return table;
}

QSortFilterProxyModel *makeProxy(QAbstractItemModel *source, int sortRole, QObject *parent)
{
    auto *proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(source);
    proxy->setSortRole(sortRole);
    proxy->setDynamicSortFilter(true);
    return proxy;
}

} // namespace

SessionsView::SessionsView(SessionRegistry *registry, QWidget *parent)
    : QWidget(parent)
    , m_registry(registry)
    , m_sessionModel(new SessionTableModel(registry, this))
    , m_requestModel(new RequestTableModel(registry, this))
    , m_sessionProxy(makeProxy(m_sessionModel, SessionTableModel::SortRole, this))
    , m_requestProxy(makeProxy(m_requestModel, RequestTableModel::SortRole, this))
    , m_sessionsTable(makeTable(m_sessionProxy, this))
    , m_requestsTable(makeTable(m_requestProxy, this))
    , m_stream(new StreamTextView(this))
    , m_timing(new QLabel(this))
    , m_stop(new QPushButton(tr("Stop"), this))
    , m_clear(new QPushButton(tr("Clear finished"), this))
{
    m_sessionsTable->sortByColumn(SessionTableModel::LastActivity, Qt::DescendingOrder);
    m_requestsTable->sortByColumn(RequestTableModel::Started, Qt::DescendingOrder);
    m_sessionsTable->setAccessibleName(tr("Sessions"));
    m_requestsTable->setAccessibleName(tr("Requests of the selected session"));
    m_stream->setAccessibleName(tr("Output of the selected request"));
    m_stop->setToolTip(tr("Cancel the selected request: the client gets an error and the "
                          "upstream call is aborted."));
    m_stop->setEnabled(false);
    m_clear->setToolTip(tr("Forget finished requests and idle sessions."));
    m_timing->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *streamBar = new QHBoxLayout;
    streamBar->addWidget(m_timing, 1);
    streamBar->addWidget(m_stop);
    auto *streamPanel = new QWidget(this);
    auto *streamLayout = new QVBoxLayout(streamPanel);
    streamLayout->setContentsMargins(0, 0, 0, 0);
    streamLayout->addLayout(streamBar);
    streamLayout->addWidget(m_stream, 1);

    auto *sessionsPanel = new QWidget(this);
    auto *sessionsLayout = new QVBoxLayout(sessionsPanel);
    sessionsLayout->setContentsMargins(0, 0, 0, 0);
    auto *sessionsBar = new QHBoxLayout;
    auto *title = new QLabel(tr("Sessions"), sessionsPanel);
    sessionsBar->addWidget(title, 1);
    sessionsBar->addWidget(m_clear);
    sessionsLayout->addLayout(sessionsBar);
    sessionsLayout->addWidget(m_sessionsTable, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(sessionsPanel);
    splitter->addWidget(m_requestsTable);
    splitter->addWidget(streamPanel);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 2);
    splitter->setStretchFactor(2, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_sessionsTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SessionsView::onSessionSelected);
    connect(m_requestsTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SessionsView::onRequestSelected);
    connect(m_stream, &StreamTextView::requestUpdated, this, &SessionsView::onRequestUpdated);
    connect(m_registry, &SessionRegistry::liveTextChanged, this, &SessionsView::onLiveTextChanged);
    connect(m_registry, &SessionRegistry::requestsChanged, this, &SessionsView::onRequestsChanged);
    connect(m_stop, &QPushButton::clicked, this, &SessionsView::stopCurrent);
    connect(m_clear, &QPushButton::clicked, m_registry, &SessionRegistry::clearFinished);
    onRequestUpdated(RequestSnapshot());
}

QString SessionsView::currentSessionKey() const
{
    return m_requestModel->sessionKey();
}

QString SessionsView::currentRequestId() const
{
    return m_stream->requestId();
}

bool SessionsView::selectSession(const QString &key)
{
    const int row = m_sessionModel->rowOf(key);
    if (row < 0)
        return false;
    const QModelIndex index = m_sessionProxy->mapFromSource(m_sessionModel->index(row, 0));
    m_sessionsTable->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    m_sessionsTable->scrollTo(index);
    return true;
}

bool SessionsView::selectRequest(const QString &requestId)
{
    const int row = m_requestModel->rowOf(requestId);
    if (row < 0)
        return false;
    const QModelIndex index = m_requestProxy->mapFromSource(m_requestModel->index(row, 0));
    m_requestsTable->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    m_requestsTable->scrollTo(index);
    return true;
}

void SessionsView::onSessionSelected()
{
    const QModelIndexList rows = m_sessionsTable->selectionModel()->selectedRows();
    const QString key =
        rows.isEmpty() ? QString() : rows.first().data(SessionTableModel::KeyRole).toString();
    if (key == m_requestModel->sessionKey())
        return;
    m_requestModel->setSessionKey(key);
    m_stream->showRequest(m_registry, QString());
    onRequestUpdated(RequestSnapshot());
}

void SessionsView::onRequestSelected()
{
    const QModelIndexList rows = m_requestsTable->selectionModel()->selectedRows();
    const QString id =
        rows.isEmpty() ? QString() : rows.first().data(RequestTableModel::RequestIdRole).toString();
    if (id.isEmpty()) {
        // A selection lost to a model reset keeps the request on show until another is chosen.
        if (m_requestModel->rowOf(m_stream->requestId()) >= 0)
            return;
        m_stream->showRequest(m_registry, QString());
        onRequestUpdated(RequestSnapshot());
        return;
    }
    m_stream->showRequest(m_registry, id);
}

void SessionsView::onLiveTextChanged(const QString &requestId)
{
    if (requestId == m_stream->requestId())
        m_stream->refresh();
}

void SessionsView::onRequestsChanged(const QString &sessionKey)
{
    // State changes (e.g. Stopping) come without new text.
    if (sessionKey == m_requestModel->sessionKey() && !m_stream->requestId().isEmpty())
        m_stream->refresh();
}

void SessionsView::onRequestUpdated(const RequestSnapshot &r)
{
    m_shown = r;
    m_stop->setEnabled(!r.requestId.isEmpty() && r.isLive() &&
                       r.state != RequestSnapshot::State::Stopping);
    updateTicker();
    if (r.requestId.isEmpty()) {
        m_timing->setText(tr("No request selected."));
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QStringList parts;
    parts << RequestTableModel::stateText(r.state);
    parts << (r.model.isEmpty() ? r.provider : tr("%1 via %2").arg(r.model, r.provider));
    parts << tr("elapsed %1").arg(RequestTableModel::durationText(r.elapsedMs(now)));
    if (r.ttftMs >= 0)
        parts << tr("first token after %1").arg(RequestTableModel::durationText(r.ttftMs));
    const double rate = r.tokensPerSecond(now);
    if (rate > 0)
        parts << tr("%1 tokens/s").arg(QLocale().toString(rate, 'f', 1));
    if (r.chunks > 0 || r.completionTokens >= 0)
        parts << (r.outputTokensEstimated() ? tr("~%1 tokens").arg(r.outputTokens())
                                            : tr("%1 tokens").arg(r.outputTokens()));
    parts << RequestTableModel::bytesText(r.bytes);
    if (r.status > 0)
        parts << tr("HTTP %1").arg(r.status);
    QString text = parts.join(QStringLiteral(" · "));
    if (!r.error.isEmpty())
        text += QLatin1Char('\n') + tr("Error: %1").arg(r.error.left(300));
    if (m_stream->isTruncated())
        text += QLatin1Char('\n') + tr("Only part of the output was kept.");
    m_timing->setText(text);
}

void SessionsView::stopCurrent()
{
    const QString id = m_stream->requestId();
    if (id.isEmpty())
        return;
    if (m_registry->stopRequest(id))
        m_stop->setEnabled(false);
}

void SessionsView::updateTicker()
{
    const bool live = !m_shown.requestId.isEmpty() && m_shown.isLive();
    if (live && !m_ticker.isActive())
        m_ticker.start(1000, Qt::CoarseTimer, this);
    else if (!live)
        m_ticker.stop();
}

void SessionsView::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_ticker.timerId())
        return QWidget::timerEvent(event);
    // The clock of a request that says nothing for a while still moves.
    onRequestUpdated(m_shown);
    if (m_requestModel->hasLive())
        m_requestModel->refresh();
}

} // namespace portico
