#include "logs/logfilter.h"

LogFilter::LogFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{}

void LogFilter::setMinimumLevel(LogModel::Level level)
{
    if (m_minimum == level)
        return;
    m_minimum = level;
    invalidateRowsFilter();
}

void LogFilter::setCategory(const QString &category)
{
    if (m_category == category)
        return;
    m_category = category;
    invalidateRowsFilter();
}

void LogFilter::setText(const QString &text)
{
    if (m_text == text)
        return;
    m_text = text;
    invalidateRowsFilter();
}

bool LogFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_minimum != LogModel::Level::Debug &&
        index.data(LogModel::LevelRole).value<LogModel::Level>() < m_minimum)
        return false;
    if (!m_category.isEmpty()) {
        const QString category = index.data(LogModel::CategoryRole).toString();
        if (category != m_category &&
            !(category.startsWith(m_category) && category.at(m_category.size()) == QLatin1Char('.')))
            return false;
    }
    if (!m_text.isEmpty() && !index.data(LogModel::LineRole).toString().contains(m_text, Qt::CaseInsensitive))
        return false;
    return true;
}
