#include "ticketfilterproxy.h"

#include "ticketlistmodel.h"

TicketFilterProxy::TicketFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{}

TicketFilterProxy::~TicketFilterProxy() = default;

void TicketFilterProxy::refilter()
{
    // Qt 6.4 has no begin/endFilterChange; invalidateFilter() re-runs filterAcceptsRow.
    invalidateFilter();
}

void TicketFilterProxy::setStatus(const QString &code)
{
    if (code == m_status)
        return;
    m_status = code;
    refilter();
}

void TicketFilterProxy::setAssignee(const QString &assignee)
{
    if (assignee == m_assignee)
        return;
    m_assignee = assignee;
    refilter();
}

void TicketFilterProxy::setCategory(const QString &category)
{
    if (category == m_category)
        return;
    m_category = category;
    refilter();
}

void TicketFilterProxy::setText(const QString &text)
{
    const QString t = text.trimmed();
    if (t == m_text)
        return;
    m_text = t;
    refilter();
}

bool TicketFilterProxy::isFiltering() const
{
    return !m_status.isEmpty() || !m_assignee.isEmpty() || !m_category.isEmpty() || !m_text.isEmpty();
}

void TicketFilterProxy::clearFilters()
{
    m_status.clear();
    m_assignee.clear();
    m_category.clear();
    m_text.clear();
    refilter();
}

bool TicketFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_status.isEmpty() && i.data(TicketListModel::StatusRole).toString() != m_status)
        return false;
    if (!m_assignee.isEmpty() && i.data(TicketListModel::AssigneeRole).toString() != m_assignee)
        return false;
    if (!m_category.isEmpty() && i.data(TicketListModel::CategoryRole).toString() != m_category)
        return false;
    if (!m_text.isEmpty() &&
        !i.data(TicketListModel::SearchTextRole).toString().contains(m_text, Qt::CaseInsensitive))
        return false;
    return true;
}
