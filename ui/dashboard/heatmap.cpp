#include <QPaintEvent>
#include <QPainter>

#include "dashboard/chart.h"

using namespace Qt::Literals::StringLiterals;

HeatMap::HeatMap(QWidget *parent)
    : QWidget(parent)
{
    setMinimumSize(minimumSizeHint());
}

HeatMap::~HeatMap() = default;

QSize HeatMap::minimumSizeHint() const
{
    return {300, 150};
}

void HeatMap::setTitle(const QString &title)
{
    m_title = title;
    setAccessibleName(title);
    update();
}

void HeatMap::setData(const QStringList &rowLabels, const QList<QList<int>> &values)
{
    m_rows = rowLabels;
    m_values = values;
    m_noData.clear();
    setAccessibleDescription(summary(rowLabels, values));
    update();
}

void HeatMap::showNoData(const QString &message)
{
    m_noData = message;
    setAccessibleDescription(message);
    update();
}

void HeatMap::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const QFontMetrics fm = fontMetrics();
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(QRect(0, 4, width(), fm.height()), Qt::AlignHCenter, m_title);
    p.setFont(font());
    const int top = fm.height() + 10;
    if (!m_noData.isEmpty() || m_values.isEmpty()) {
        p.drawText(rect().adjusted(8, top, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_noData);
        return;
    }
    int labelWidth = 0;
    for (const QString &r : m_rows)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(r));
    const int left = labelWidth + 10;
    const int bottom = fm.height() + 6;
    const double cellW = double(width() - left - 8) / 24.0;
    const double cellH = double(height() - top - bottom) / std::max<qsizetype>(1, m_values.size());
    int max = 1;
    for (const QList<int> &row : m_values)
        for (int v : row)
            max = std::max(max, v);
    for (qsizetype r = 0; r < m_values.size(); ++r) {
        const QRectF labelRect(0, top + r * cellH, labelWidth + 4, cellH);
        p.setPen(palette().text().color());
        p.drawText(labelRect, Qt::AlignRight | Qt::AlignVCenter, m_rows.value(r));
        for (int h = 0; h < 24 && h < m_values.at(r).size(); ++h) {
            const int v = m_values.at(r).at(h);
            const double t = double(v) / max;
            const QColor c = v == 0 ? QColor(0xf0, 0xf0, 0xf0)
                                    : QColor::fromRgbF(float(1.0 - 0.85 * t), float(1.0 - 0.45 * t), 1.0f);
            const QRectF cell(left + h * cellW, top + r * cellH, cellW - 1, cellH - 1);
            p.fillRect(cell, c);
            if (v > 0 && cellW > fm.horizontalAdvance(QString::number(v)) + 2 && cellH > fm.height()) {
                p.setPen(t > 0.6 ? Qt::white : Qt::black);
                p.drawText(cell, Qt::AlignCenter, QString::number(v));
            }
        }
    }
    p.setPen(palette().text().color());
    for (int h = 0; h < 24; h += 3)
        p.drawText(QRectF(left + h * cellW, height() - bottom + 2, cellW * 3, bottom), Qt::AlignLeft,
                   QString::number(h));
}
