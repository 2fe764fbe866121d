#include "LogViewFilterBar.h"

#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace portico {

namespace {

enum Range { AnyTime, LastHour, LastDay, LastWeek, LastMonth, Custom };
enum StatusChoice { AnyStatus, Success, Errors, ClientErrors, ServerErrors };

struct StatusRange
{
    int from;
    int to;
};
constexpr StatusRange kStatus[] = {{0, 0}, {200, 299}, {400, 599}, {400, 499}, {500, 599}};

QComboBox *valueCombo(const QString &placeholder, const QString &name, QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    combo->setEditable(true);
    combo->setInsertPolicy(QComboBox::NoInsert);
    combo->lineEdit()->setPlaceholderText(placeholder);
    combo->lineEdit()->setClearButtonEnabled(true);
    combo->setMinimumContentsLength(12);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setAccessibleName(name);
    combo->addItem(QString());
    return combo;
}

void addValues(QComboBox *combo, const QSet<QString> &values)
{
    QStringList missing;
    for (const QString &v : values) {
        if (!v.isEmpty() && combo->findText(v, Qt::MatchFixedString | Qt::MatchCaseSensitive) < 0)
            missing.append(v);
    }
    if (missing.isEmpty())
        return;
    std::sort(missing.begin(), missing.end());
    const QString text = combo->currentText();
    const QSignalBlocker block(combo);
    combo->addItems(missing.mid(0, std::max<qsizetype>(0, 1000 - combo->count())));
    combo->setEditText(text);
}

} // namespace

LogViewFilterBar::LogViewFilterBar(QWidget *parent)
    : QWidget(parent)
    , m_range(new QComboBox(this))
    , m_from(new QDateTimeEdit(QDateTime::currentDateTime().addDays(-1), this))
    , m_to(new QDateTimeEdit(QDateTime::currentDateTime().addSecs(3600), this))
    , m_session(valueCombo(tr("Any session"), tr("Session filter"), this))
    , m_agent(valueCombo(tr("Any agent"), tr("Agent filter"), this))
    , m_model(valueCombo(tr("Any model"), tr("Model filter"), this))
    , m_status(new QComboBox(this))
    , m_text(new QLineEdit(this))
{
    m_range->addItems({tr("Any time"), tr("Last hour"), tr("Last 24 hours"), tr("Last 7 days"),
                       tr("Last 30 days"), tr("Custom range")});
    m_range->setAccessibleName(tr("Time range"));
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        edit->setVisible(false);
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, &LogViewFilterBar::schedule);
    }
    m_from->setAccessibleName(tr("From"));
    m_to->setAccessibleName(tr("Until"));
    m_status->addItems({tr("Any status"), tr("Success (2xx)"), tr("Errors (4xx, 5xx)"),
                        tr("Client errors (4xx)"), tr("Server errors (5xx)")});
    m_status->setAccessibleName(tr("Status filter"));
    m_text->setPlaceholderText(tr("Search text…"));
    m_text->setClearButtonEnabled(true);
    m_text->setAccessibleName(tr("Text filter"));
    auto *reload = new QPushButton(tr("Reload"), this);

    // Two rows, so the page fits the settings window in every language: when, status, text and
    // Reload above; what (session, agent, model) below.
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    for (QWidget *w : std::initializer_list<QWidget *>{m_range, m_from, m_to, m_status})
        top->addWidget(w);
    top->addWidget(m_text, 1);
    top->addWidget(reload);
    auto *bottom = new QHBoxLayout;
    for (QWidget *w : std::initializer_list<QWidget *>{m_session, m_agent, m_model})
        bottom->addWidget(w, 1);
    layout->addLayout(top);
    layout->addLayout(bottom);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(300);
    connect(&m_debounce, &QTimer::timeout, this, &LogViewFilterBar::changed);
    connect(m_range, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_from->setVisible(index == Custom);
        m_to->setVisible(index == Custom);
        schedule();
    });
    connect(m_status, &QComboBox::currentIndexChanged, this, &LogViewFilterBar::schedule);
    for (QComboBox *combo : {m_session, m_agent, m_model})
        connect(combo, &QComboBox::editTextChanged, this, &LogViewFilterBar::schedule);
    connect(m_text, &QLineEdit::textChanged, this, &LogViewFilterBar::schedule);
    connect(reload, &QPushButton::clicked, this, [this] {
        m_debounce.stop();
        emit reloadRequested();
    });
}

void LogViewFilterBar::schedule()
{
    if (!m_quiet)
        m_debounce.start();
}

LogFilter LogViewFilterBar::filter() const
{
    LogFilter f;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    constexpr qint64 hour = 3600LL * 1000;
    constexpr qint64 back[] = {0, hour, 24 * hour, 7 * 24 * hour, 30 * 24 * hour};
    const int range = m_range->currentIndex();
    if (range == Custom) {
        f.since = m_from->dateTime().toMSecsSinceEpoch();
        f.until = m_to->dateTime().toMSecsSinceEpoch();
    } else if (range > AnyTime && range < Custom) {
        f.since = now - back[range];
    }
    f.sessionKey = m_session->currentText().trimmed();
    f.agent = m_agent->currentText().trimmed();
    f.model = m_model->currentText().trimmed();
    const int status = std::clamp(m_status->currentIndex(), 0, int(std::size(kStatus)) - 1);
    f.statusFrom = kStatus[status].from;
    f.statusTo = kStatus[status].to;
    f.text = m_text->text().trimmed();
    return f;
}

void LogViewFilterBar::setFilter(const LogFilter &f)
{
    m_quiet = true;
    if (f.since >= 0 || f.until >= 0) {
        m_range->setCurrentIndex(Custom);
        m_from->setDateTime(QDateTime::fromMSecsSinceEpoch(std::max<qint64>(f.since, 0)));
        m_to->setDateTime(f.until >= 0 ? QDateTime::fromMSecsSinceEpoch(f.until)
                                       : QDateTime::currentDateTime().addYears(1));
    } else {
        m_range->setCurrentIndex(AnyTime);
    }
    m_session->setEditText(f.sessionKey);
    m_agent->setEditText(f.agent);
    m_model->setEditText(f.model);
    int status = AnyStatus;
    for (int i = 1; i < int(std::size(kStatus)); ++i) {
        if (kStatus[i].from == f.statusFrom && kStatus[i].to == f.statusTo)
            status = i;
    }
    m_status->setCurrentIndex(status);
    m_text->setText(f.text);
    m_debounce.stop();
    m_quiet = false;
}

void LogViewFilterBar::addKnownValues(const QSet<QString> &sessions, const QSet<QString> &agents,
                                      const QSet<QString> &models)
{
    addValues(m_session, sessions);
    addValues(m_agent, agents);
    addValues(m_model, models);
}

} // namespace portico
