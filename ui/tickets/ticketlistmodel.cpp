#include "ticketlistmodel.h"

#include <QBrush>
#include <QStringList>

#include "tickettext.h"

TicketListModel::TicketListModel(TicketDesk *desk, QObject *parent)
    : QAbstractTableModel(parent)
    , m_desk(desk)
{
    connect(m_desk, &TicketDesk::ticketChanged, this, &TicketListModel::refreshTicket);
    // A sync changes sync states (and may import many tickets) without a signal per row.
    connect(m_desk, &TicketDesk::syncFinished, this, &TicketListModel::reload);
    reload();
}

TicketListModel::~TicketListModel() = default;

int TicketListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TicketListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TicketListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TicketView &v = m_rows.at(index.row());
    const Ticket &t = v.ticket;
    switch (role) {
    case IdRole:
        return t.id;
    case StatusRole:
        return t.status;
    case AssigneeRole:
        return t.assignee;
    case CategoryRole:
        return t.category;
    case SyncStateRole:
        return int(v.syncState);
    case SyncReasonRole:
        return v.syncReason;
    case SearchTextRole:
        return QStringList{t.number, t.title, t.customerName, t.customerOpenId, t.vin, t.plate}.join(
            QLatin1Char('\n'));
    case Qt::DisplayRole:
        switch (index.column()) {
        case NumberColumn:
            return t.number;
        case TitleColumn:
            return t.title.isEmpty() ? tr("(no title)") : t.title;
        case StatusColumn:
            return TicketText::status(t.status);
        case AssigneeColumn:
            return t.assignee;
        case CategoryColumn:
            return t.category;
        case SyncColumn:
            return TicketText::syncLine(v.syncState, v.why);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == SyncColumn)
            return TicketText::syncLine(v.syncState, v.why);
        if (index.column() == TitleColumn)
            return t.summary.isEmpty() ? t.title : t.summary;
        return {};
    case Qt::ForegroundRole:
        if (index.column() == SyncColumn)
            return QBrush(TicketText::syncColour(v.syncState));
        return {};
    default:
        return {};
    }
}

QVariant TicketListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NumberColumn:
        return tr("Number");
    case TitleColumn:
        return tr("Title");
    case StatusColumn:
        return tr("Status");
    case AssigneeColumn:
        return tr("Assignee");
    case CategoryColumn:
        return tr("Category");
    case SyncColumn:
        return tr("Sync");
    default:
        return {};
    }
}

int TicketListModel::rowOf(qint64 ticketId) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).ticket.id == ticketId)
            return int(i);
    }
    return -1;
}

qint64 TicketListModel::idAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).ticket.id : 0;
}

void TicketListModel::reload()
{
    beginResetModel();
    m_rows = m_desk->tickets();
    endResetModel();
}

void TicketListModel::refreshTicket(qint64 ticketId)
{
    const int row = rowOf(ticketId);
    const auto fresh = m_desk->ticket(ticketId);
    if (!fresh) {
        if (row >= 0) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
        return;
    }
    if (row < 0) {
        beginInsertRows({}, 0, 0);
        m_rows.prepend(*fresh);
        endInsertRows();
        return;
    }
    m_rows[row] = *fresh;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}
