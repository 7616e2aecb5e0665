// The Qt Charts backend of BarChart: the only file that includes Qt Charts.
#include <algorithm>
#include <cmath>

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QStackedLayout>
#include <QValueAxis>

#include "dashboard/chart.h"

using namespace Qt::Literals::StringLiterals;

namespace {

class QtChartsBarChart final : public BarChart
{
public:
    explicit QtChartsBarChart(QWidget *parent)
        : BarChart(parent)
        , m_chart(new QChart)
        , m_view(new QChartView(m_chart, this))
        , m_empty(new QLabel(this))
    {
        m_layout = new QStackedLayout(this);
        m_layout->setStackingMode(QStackedLayout::StackOne);
        m_chart->legend()->setAlignment(Qt::AlignBottom);
        m_chart->setMargins(QMargins(2, 2, 2, 2));
        m_chart->setBackgroundRoundness(0);
        m_view->setRenderHint(QPainter::Antialiasing);
        m_empty->setAlignment(Qt::AlignCenter);
        m_empty->setWordWrap(true);
        m_empty->setFrameShape(QFrame::StyledPanel);
        m_empty->setObjectName(u"noDataLabel"_s);
        m_layout->addWidget(m_view);
        m_layout->addWidget(m_empty);
        setMinimumSize(260, 180);
    }

    void setTitle(const QString &title) override
    {
        m_title = title;
        m_chart->setTitle(title);
        setAccessibleName(title);
        if (isShowingNoData())
            showNoData(m_message);
    }

    void setData(const QStringList &categories, const QList<ChartSeries> &series,
                 const QString &valueLabel) override
    {
        m_chart->removeAllSeries();
        const QList<QAbstractAxis *> axes = m_chart->axes();
        for (QAbstractAxis *axis : axes) {
            m_chart->removeAxis(axis);
            delete axis;
        }
        QAbstractBarSeries *bars = m_horizontal ? static_cast<QAbstractBarSeries *>(new QHorizontalBarSeries)
                                                : static_cast<QAbstractBarSeries *>(new QBarSeries);
        double max = 0;
        bool integral = true;
        for (const ChartSeries &s : series) {
            auto *set = new QBarSet(s.name);
            if (s.color.isValid())
                set->setColor(s.color);
            for (double v : s.values) {
                *set << v;
                max = std::max(max, v);
                integral = integral && v == std::floor(v);
            }
            bars->append(set);
        }
        m_chart->addSeries(bars);
        QAbstractAxis *x = nullptr;
        if (m_labelStep > 1 && !m_horizontal) {
            // Bars sit at 0 .. n-1 on a value axis; its ticks name every step-th category. A
            // category axis would squeeze every name into one bar's width and elide it.
            auto *numbers = new QValueAxis;
            numbers->setRange(-0.5, double(categories.size()) - 0.5);
            numbers->setTickType(QValueAxis::TicksDynamic);
            numbers->setTickAnchor(0);
            numbers->setTickInterval(m_labelStep);
            numbers->setLabelFormat(u"%d"_s);
            numbers->setGridLineVisible(false);
            x = numbers;
        } else {
            auto *names = new QBarCategoryAxis;
            names->append(categories);
            x = names;
        }
        auto *y = new QValueAxis;
        // A vertical value axis with one-digit labels elides its rotated title in Chinese (a Qt
        // Charts sizing quirk); the chart titles name the quantity, so only the bottom axis of
        // horizontal bars carries one.
        y->setTitleText(m_horizontal ? valueLabel : QString());
        y->setRange(0, std::max(integral ? 4.0 : 1.0, max * 1.1));
        y->applyNiceNumbers();
        y->setLabelFormat(integral || max >= 10 ? u"%d"_s : u"%.1f"_s);
        m_chart->addAxis(x, m_horizontal ? Qt::AlignLeft : Qt::AlignBottom);
        m_chart->addAxis(y, m_horizontal ? Qt::AlignBottom : Qt::AlignLeft);
        bars->attachAxis(x);
        bars->attachAxis(y);
        m_chart->legend()->setVisible(series.size() > 1);
        m_message.clear();
        m_layout->setCurrentWidget(m_view);
        setAccessibleDescription(summary(categories, series));
    }

    void showNoData(const QString &message) override
    {
        m_message = message;
        m_empty->setText(u"<b>%1</b><br><br>%2"_s.arg(m_title.toHtmlEscaped(), message.toHtmlEscaped()));
        m_empty->setAccessibleName(m_title);
        m_empty->setAccessibleDescription(message);
        m_layout->setCurrentWidget(m_empty);
        setAccessibleDescription(message);
    }

    bool isShowingNoData() const override { return m_layout->currentWidget() == m_empty; }
    void setHorizontal(bool horizontal) override { m_horizontal = horizontal; }
    void setCategoryLabelStep(int step) override { m_labelStep = std::max(1, step); }

private:
    QChart *m_chart = nullptr;
    QChartView *m_view = nullptr;
    QLabel *m_empty = nullptr;
    QStackedLayout *m_layout = nullptr;
    QString m_title;
    QString m_message;
    bool m_horizontal = false;
    int m_labelStep = 1;
};

} // namespace

BarChart *BarChart::create(QWidget *parent)
{
    return new QtChartsBarChart(parent);
}
