#include "dashboard/dashboardpage.h"

#include <QComboBox>
#include <QDateEdit>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QShowEvent>
#include <QTimer>
#include <QVBoxLayout>

#include "dashboard/chart.h"

using namespace Qt::Literals::StringLiterals;

namespace {

const QColor kCustomer(0x42, 0x85, 0xf4);
const QColor kBot(0x34, 0xa8, 0x53);
const QColor kOperator(0xfb, 0x8c, 0x00);
const QColor kHandoff(0xea, 0x43, 0x35);

} // namespace

DashboardPage::DashboardPage(Statistics *statistics, QWidget *parent)
    : QWidget(parent)
    , m_statistics(statistics)
{
    setObjectName(u"dashboardPage"_s);
    setAccessibleName(tr("Dashboard"));
    auto *outer = new QVBoxLayout(this);

    auto *bar = new QHBoxLayout;
    auto *title = new QLabel(tr("Dashboard"), this);
    QFont f = title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.2);
    title->setFont(f);
    bar->addWidget(title);
    bar->addStretch(1);
    m_kind = new QComboBox(this);
    m_kind->setObjectName(u"periodCombo"_s);
    m_kind->setAccessibleName(tr("Period"));
    m_kind->addItem(tr("Day"), int(StatsPeriod::Kind::Day));
    m_kind->addItem(tr("Week"), int(StatsPeriod::Kind::Week));
    m_date = new QDateEdit(QDate::currentDate(), this);
    m_date->setObjectName(u"dateEdit"_s);
    m_date->setAccessibleName(tr("Date"));
    m_date->setCalendarPopup(true);
    m_date->setDisplayFormat(u"yyyy-MM-dd"_s);
    m_refresh = new QPushButton(tr("Refresh"), this);
    m_refresh->setObjectName(u"refreshButton"_s);
    m_refresh->setAccessibleName(tr("Refresh dashboard"));
    m_status = new QLabel(this);
    m_status->setObjectName(u"statusLabel"_s);
    bar->addWidget(m_status);
    bar->addWidget(m_kind);
    bar->addWidget(m_date);
    bar->addWidget(m_refresh);
    outer->addLayout(bar);

    auto *tiles = new QHBoxLayout;
    tiles->addWidget(tile(u"conversations"_s, tr("Conversations today"), tr("Conversations today")));
    tiles->addWidget(
        tile(u"botShare"_s, tr("Answered by the bot alone"), tr("Share answered by the bot alone")));
    tiles->addWidget(
        tile(u"waiting"_s, tr("Waiting for a person now"), tr("Conversations waiting for a person")));
    tiles->addWidget(tile(u"firstReply"_s, tr("Median first reply today"), tr("Median first reply")));
    outer->addLayout(tiles);

    auto *grid = new QGridLayout;
    const auto addChart = [this, grid](const QString &name, int row, int column) {
        BarChart *c = BarChart::create(this);
        c->setObjectName(name + u"Chart"_s);
        m_charts.insert(name, c);
        grid->addWidget(c, row, column);
    };
    addChart(u"perHour"_s, 0, 0);
    m_heat = new HeatMap(this);
    m_heat->setObjectName(u"heatMap"_s);
    grid->addWidget(m_heat, 0, 1);
    addChart(u"ended"_s, 0, 2);
    addChart(u"firstReply"_s, 1, 0);
    addChart(u"categories"_s, 1, 1);
    addChart(u"drafts"_s, 1, 2);
    for (int c = 0; c < 3; ++c)
        grid->setColumnStretch(c, 1);
    outer->addLayout(grid, 1);

    m_charts.value(u"perHour"_s)->setTitle(tr("Messages per hour"));
    m_heat->setTitle(tr("Customer messages by day and hour"));
    m_charts.value(u"ended"_s)->setTitle(tr("How conversations ended"));
    m_charts.value(u"firstReply"_s)->setTitle(tr("Time to first reply (seconds)"));
    m_charts.value(u"categories"_s)->setTitle(tr("Top categories (bot-alone share)"));
    m_charts.value(u"drafts"_s)->setTitle(tr("Draft outcomes (review mode)"));
    for (BarChart *c : std::as_const(m_charts))
        c->showNoData(tr("Loading…"));
    m_heat->showNoData(tr("Loading…"));

    m_timer = new QTimer(this);
    m_timer->setInterval(60 * 1000);
    connect(m_timer, &QTimer::timeout, this, &DashboardPage::refresh);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &DashboardPage::refresh);
    connect(m_date, &QDateEdit::dateChanged, this, &DashboardPage::refresh);
    connect(m_refresh, &QPushButton::clicked, this, &DashboardPage::refresh);
    connect(m_statistics, &Statistics::ready, this, &DashboardPage::showStats);
}

DashboardPage::~DashboardPage() = default;

QWidget *DashboardPage::tile(const QString &key, const QString &caption, const QString &accessible)
{
    auto *frame = new QFrame(this);
    frame->setObjectName(key + u"Tile"_s);
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setStyleSheet(u"#%1Tile { background: palette(base); border-radius: 6px; }"_s.arg(key));
    auto *box = new QVBoxLayout(frame);
    auto *value = new QLabel(u"–"_s, frame);
    value->setObjectName(key + u"Value"_s);
    QFont big = value->font();
    big.setPointSizeF(big.pointSizeF() * 2.0);
    big.setBold(true);
    value->setFont(big);
    value->setAccessibleDescription(accessible);
    value->setProperty("kpiCaption", accessible);
    auto *label = new QLabel(caption, frame);
    label->setWordWrap(true);
    box->addWidget(value);
    box->addWidget(label);
    m_kpis.insert(key, value);
    return frame;
}

QString DashboardPage::kpiText(const QString &key) const
{
    const QLabel *l = m_kpis.value(key);
    return l ? l->text() : QString();
}

BarChart *DashboardPage::chart(const QString &name) const
{
    return m_charts.value(name);
}

StatsPeriod DashboardPage::period() const
{
    return StatsPeriod{StatsPeriod::Kind(m_kind->currentData().toInt()), m_date->date()};
}

void DashboardPage::setPeriod(const StatsPeriod &period)
{
    const QSignalBlocker a(m_kind);
    const QSignalBlocker b(m_date);
    m_kind->setCurrentIndex(period.kind == StatsPeriod::Kind::Day ? 0 : 1);
    m_date->setDate(period.date);
    refresh();
}

void DashboardPage::refresh()
{
    m_status->setText(tr("Updating…"));
    m_statistics->request(period());
}

void DashboardPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!event->spontaneous()) {
        refresh();
        m_timer->start();
    }
}

QString DashboardPage::durationText(qint64 ms)
{
    if (ms < 0)
        return u"–"_s;
    if (ms < 60 * 1000)
        return tr("%1 s").arg(double(ms) / 1000.0, 0, 'f', ms < 10000 ? 1 : 0);
    return tr("%1 min").arg(double(ms) / 60000.0, 0, 'f', 1);
}

void DashboardPage::showStats(const DashboardStats &s)
{
    if (s.period != period())
        return; // an older request; the current one follows
    m_stats = s;
    m_status->setText(s.ok ? QString() : tr("Cannot compute the figures: %1").arg(s.error));
    emit updated();
    if (!s.ok)
        return;
    const QString none =
        s.period.kind == StatsPeriod::Kind::Day ? tr("No data for this day.") : tr("No data for this week.");

    m_kpis.value(u"conversations"_s)->setText(QString::number(s.conversationsToday));
    m_kpis.value(u"botShare"_s)
        ->setText(s.botAloneShareToday < 0
                      ? u"–"_s
                      : QString(QLocale().toString(s.botAloneShareToday * 100, 'f', 0) + u" %"_s));
    m_kpis.value(u"waiting"_s)->setText(QString::number(s.waitingNow));
    m_kpis.value(u"firstReply"_s)->setText(durationText(s.firstReplyToday.medianMs));
    // A screen reader reads a tile as "Conversations today: 12".
    for (QLabel *l : std::as_const(m_kpis))
        l->setAccessibleDescription(tr("%1: %2").arg(l->property("kpiCaption").toString(), l->text()));

    QStringList hours;
    for (int h = 0; h < 24; ++h)
        hours << u"%1:00"_s.arg(h);
    BarChart *perHour = m_charts.value(u"perHour"_s);
    perHour->setCategoryLabelStep(3); // 24 labels do not fit: every third hour is named
    if (!s.hasMessages()) {
        perHour->showNoData(none);
        m_heat->showNoData(none);
    } else {
        QList<double> customer, replies;
        for (int h = 0; h < 24; ++h) {
            customer << s.customerPerHour.value(h);
            replies << s.repliesPerHour.value(h);
        }
        perHour->setData(hours, {{tr("Customers"), customer, kCustomer}, {tr("Replies"), replies, kBot}},
                         tr("Messages"));
        QStringList days;
        const QDate first = s.period.first();
        for (int d = 0; d < s.period.days(); ++d)
            days << QLocale().toString(first.addDays(d), u"ddd"_s);
        m_heat->setData(days, s.heat);
    }

    BarChart *ended = m_charts.value(u"ended"_s);
    if (s.endedTotal() == 0) {
        ended->showNoData(none);
    } else {
        ended->setHorizontal(true); // the endings' names are long in English
        ended->setData({tr("Bot alone"), tr("Handed to a person"), tr("Operator takeover")},
                       {{tr("Conversations"),
                         {double(s.endedBot), double(s.endedHandoff), double(s.endedTakeover)},
                         kCustomer}},
                       tr("Conversations"));
    }

    BarChart *first = m_charts.value(u"firstReply"_s);
    if (s.botFirstReply.count == 0 && s.operatorFirstReply.count == 0) {
        first->showNoData(none);
    } else {
        const auto secs = [](qint64 ms) { return ms < 0 ? 0.0 : double(ms) / 1000.0; };
        first->setData(
            {tr("Bot"), tr("Operator")},
            {{tr("Median"), {secs(s.botFirstReply.medianMs), secs(s.operatorFirstReply.medianMs)}, kBot},
             {tr("90th percentile"),
              {secs(s.botFirstReply.p90Ms), secs(s.operatorFirstReply.p90Ms)},
              kOperator}},
            tr("Seconds"));
    }

    BarChart *categories = m_charts.value(u"categories"_s);
    if (s.topCategories.isEmpty()) {
        categories->showNoData(none);
    } else {
        QStringList names;
        QList<double> counts;
        for (const CategoryStats &c : s.topCategories) {
            // "远程控制(远程解锁/空调/寻车)" → "远程控制": the axis has room for the name and the share.
            QString name = c.category.section(QRegularExpression(u"[(（]"_s), 0, 0).trimmed();
            if (name.isEmpty())
                name = c.category.isEmpty() ? tr("none") : c.category;
            const int share = qRound(c.botAloneShare() * 100);
            QString label = u"%1 (%2%)"_s.arg(name).arg(share);
            if (names.contains(label)) // category names must stay distinct
                label = u"%1 (%2%)"_s.arg(c.category).arg(share);
            names << label;
            counts << c.conversations;
        }
        categories->setHorizontal(true);
        categories->setData(names, {{tr("Conversations"), counts, kCustomer}}, tr("Conversations"));
    }

    BarChart *drafts = m_charts.value(u"drafts"_s);
    if (s.draftsTotal() == 0)
        drafts->showNoData(s.draftsPending > 0
                               ? tr("%n draft(s) waiting; none decided yet.", nullptr, s.draftsPending)
                               : none);
    else
        drafts->setData({tr("Approved"), tr("Edited"), tr("Rejected")},
                        {{tr("Drafts"),
                          {double(s.draftsApproved), double(s.draftsEdited), double(s.draftsRejected)},
                          kOperator}},
                        tr("Drafts"));
}
