#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "desk/ticketdesk.h"

// The tickets list: one row per ticket from TicketDesk (newest change first), one column per
// shown field, the sync state in its own column (with the reason of an error or a conflict as
// its tooltip). Follows TicketDesk::ticketChanged row by row and reloads after a sync.
class TicketListModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        NumberColumn,
        TitleColumn,
        StatusColumn,
        AssigneeColumn,
        CategoryColumn,
        SyncColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        IdRole = Qt::UserRole,
        StatusRole,   // status code
        AssigneeRole, // assignee as stored
        CategoryRole,
        SyncStateRole, // TicketSyncState as int
        SyncReasonRole,
        SearchTextRole, // number, title, customer, VIN, plate, joined
    };
    Q_ENUM(Role)

    explicit TicketListModel(TicketDesk *desk, QObject *parent = nullptr);
    ~TicketListModel() override;
    Q_DISABLE_COPY_MOVE(TicketListModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    int rowOf(qint64 ticketId) const;
    qint64 idAt(int row) const;

public slots:
    void reload();
    // Re-reads one ticket: updates its row, adds it at the top, or removes it.
    void refreshTicket(qint64 ticketId);

private:
    TicketDesk *m_desk = nullptr;
    QList<TicketView> m_rows;
};
