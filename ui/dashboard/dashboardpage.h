#pragma once

#include <QHash>
#include <QWidget>

#include "desk/statistics.h"

class BarChart;
class HeatMap;
class QComboBox;
class QDateEdit;
class QLabel;
class QPushButton;
class QTimer;

// The dashboard: KPI tiles (today) on top, then the charts of a chosen day or week, all from
// Statistics (SQL aggregates computed off the main thread). A chart without data says so.
class DashboardPage final : public QWidget
{
    Q_OBJECT
public:
    explicit DashboardPage(Statistics *statistics, QWidget *parent = nullptr);
    ~DashboardPage() override;
    Q_DISABLE_COPY_MOVE(DashboardPage)

    StatsPeriod period() const;
    void setPeriod(const StatsPeriod &period);
    void refresh();
    const DashboardStats &stats() const { return m_stats; }
    // The KPI tile values as shown (conversations, botShare, waiting, firstReply), for tests.
    QString kpiText(const QString &key) const;

    // Charts by name (perHour, heat, ended, firstReply, categories, drafts), for tests.
    BarChart *chart(const QString &name) const;
    HeatMap *heatMap() const { return m_heat; }

    static QString durationText(qint64 ms);

signals:
    void updated();

protected:
    void showEvent(class QShowEvent *event) override;

private:
    void showStats(const DashboardStats &stats);
    QWidget *tile(const QString &key, const QString &caption, const QString &accessible);

    Statistics *m_statistics = nullptr;
    DashboardStats m_stats;
    QComboBox *m_kind = nullptr;
    QDateEdit *m_date = nullptr;
    QPushButton *m_refresh = nullptr;
    QLabel *m_status = nullptr;
    QHash<QString, QLabel *> m_kpis;
    QHash<QString, BarChart *> m_charts;
    HeatMap *m_heat = nullptr;
    QTimer *m_timer = nullptr;
};
