// The charts' data in words, for screen readers (accessible descriptions). Backend-independent.
#include <cmath>

#include <QLocale>

#include "dashboard/chart.h"

using namespace Qt::Literals::StringLiterals;

namespace {

QString number(double v)
{
    return QLocale().toString(v, 'f', v == std::floor(v) ? 0 : 1);
}

} // namespace

QString BarChart::summary(const QStringList &categories, const QList<ChartSeries> &series)
{
    // Few categories: every value. Many (the hours of a day): the total and the highest.
    constexpr int kListAll = 8;
    QStringList parts;
    for (const ChartSeries &s : series) {
        const qsizetype n = std::min(categories.size(), s.values.size());
        if (n <= kListAll) {
            QStringList values;
            for (qsizetype i = 0; i < n; ++i)
                values << tr("%1 %2").arg(categories.at(i), number(s.values.at(i)));
            parts << tr("%1: %2").arg(s.name, values.join(u", "_s));
            continue;
        }
        double total = 0;
        qsizetype best = 0;
        for (qsizetype i = 0; i < n; ++i) {
            total += s.values.at(i);
            if (s.values.at(i) > s.values.at(best))
                best = i;
        }
        parts << (total == 0
                      ? tr("%1: none").arg(s.name)
                      : tr("%1: %2 in all, the most (%3) at %4")
                            .arg(s.name, number(total), number(s.values.at(best)), categories.at(best)));
    }
    return parts.join(u"; "_s) + u"."_s;
}

QString HeatMap::summary(const QStringList &rowLabels, const QList<QList<int>> &values)
{
    qint64 total = 0;
    int best = -1, bestRow = 0, bestHour = 0;
    for (qsizetype r = 0; r < values.size(); ++r) {
        for (qsizetype h = 0; h < values.at(r).size(); ++h) {
            const int v = values.at(r).at(h);
            total += v;
            if (v > best) {
                best = v;
                bestRow = int(r);
                bestHour = int(h);
            }
        }
    }
    if (total == 0)
        return tr("No customer messages.");
    return tr("%1 customer messages in all; the busiest hour: %2 %3:00 (%4).")
        .arg(total)
        .arg(rowLabels.value(bestRow))
        .arg(bestHour)
        .arg(best);
}
