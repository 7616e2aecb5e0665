#pragma once

#include <QAbstractListModel>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QSet>
#include <QTimer>

#include "desk/desktypes.h"

class OperatorDesk;

// Every session of the desk, one row each, in the order they were loaded (the proxy sorts).
// All rows are loaded once; live changes from the desk update single rows (insert or
// dataChanged, never a reset), so a view's selection and scroll position stay. Changes that
// arrive in a burst are coalesced: one desk query per changed session per frame (the next
// event-loop pass after a quiet spell, then at most one flush per 100 ms).
class ConversationListModel final : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        SessionIdRole = Qt::UserRole,
        SummaryRole,      // SessionSummary
        CustomerNameRole, // name, or open_id until known
        ChatLabelRole,    // chat name, or "Direct chat"
        ChatIdRole,
        PreviewRole,
        ModeRole,          // int(SessionMode)
        NeedsOperatorRole, // bool
        DraftPendingRole,  // bool
        UnreadRole,        // int
        LastActiveRole,    // qint64 ms since the epoch
        WaitingSinceRole,  // qint64 ms since the epoch, 0 = nothing waits
        PriorityRole,      // int: 0 escalated, 1 draft waiting, 2 unread, 3 the bot handles it
    };
    Q_ENUM(Role)

    explicit ConversationListModel(OperatorDesk *desk, QObject *parent = nullptr);
    ~ConversationListModel() override;
    Q_DISABLE_COPY_MOVE(ConversationListModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The row of a session, -1 when not loaded.
    int rowOf(qint64 sessionId) const { return m_rowOf.value(sessionId, -1); }
    const SessionSummary &summaryAt(int row) const { return m_rows.at(row); }
    static int priorityOf(const SessionSummary &s);

    // Applies the pending live changes now (normally done on the next event-loop pass).
    void flushPending();

    // "Now" for the time texts (tests fix it; 0 = the wall clock).
    void setNow(qint64 nowMs) { m_nowMs = nowMs; }

private:
    void reload();
    void markDirty(qint64 sessionId);
    void refreshRow(qint64 sessionId);

    OperatorDesk *m_desk = nullptr;
    QList<SessionSummary> m_rows;
    QHash<qint64, int> m_rowOf;
    QSet<qint64> m_dirty;
    QList<qint64> m_dirtyOrder; // first change first, so new sessions are appended in order
    QTimer m_flushTimer;
    QElapsedTimer m_lastFlush; // since the last flush (invalid before the first)
    qint64 m_nowMs = 0;
};
