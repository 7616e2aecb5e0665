#pragma once

#include <QColor>
#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

// One series of a bar chart: one value per category.
struct ChartSeries
{
    QString name;
    QList<double> values;
    QColor color;
};

// The dashboard's own chart interface. The pages draw through it only, so the backend (Qt
// Charts today, deprecated in later Qt versions) can be replaced in one file (qtchartsbarchart.cpp).
class BarChart : public QWidget
{
    Q_OBJECT
public:
    using QWidget::QWidget;
    ~BarChart() override = default;
    Q_DISABLE_COPY_MOVE(BarChart)

    virtual void setTitle(const QString &title) = 0;
    // Grouped bars; `valueLabel` names the value axis of horizontal bars (vertical ones leave
    // it to the chart's title).
    virtual void setData(const QStringList &categories, const QList<ChartSeries> &series,
                         const QString &valueLabel) = 0;
    // Bars from the left (long category names), instead of from the bottom. Before setData().
    virtual void setHorizontal(bool horizontal) = 0;
    // Many short, ordered categories (the hours of a day): the axis names only every `step`-th
    // one, so no label is elided. 1 (the default) names every category. Before setData().
    virtual void setCategoryLabelStep(int step) = 0;
    // What a screen reader says about the chart (its accessible description): the data in words.
    static QString summary(const QStringList &categories, const QList<ChartSeries> &series);
    // Replaces the chart by a sentence (a chart with no data says so).
    virtual void showNoData(const QString &message) = 0;
    virtual bool isShowingNoData() const = 0;

    // The backend in use.
    static BarChart *create(QWidget *parent = nullptr);
};

// A day-by-hour heat map (rows = days, columns = hours), drawn by hand: Qt Charts has none.
class HeatMap final : public QWidget
{
    Q_OBJECT
public:
    explicit HeatMap(QWidget *parent = nullptr);
    ~HeatMap() override;
    Q_DISABLE_COPY_MOVE(HeatMap)

    void setTitle(const QString &title);
    void setData(const QStringList &rowLabels, const QList<QList<int>> &values);
    void showNoData(const QString &message);
    bool isShowingNoData() const { return !m_noData.isEmpty(); }
    // The data in words (also the accessible description).
    static QString summary(const QStringList &rowLabels, const QList<QList<int>> &values);
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(class QPaintEvent *event) override;

private:
    QString m_title;
    QString m_noData;
    QStringList m_rows;
    QList<QList<int>> m_values;
};
