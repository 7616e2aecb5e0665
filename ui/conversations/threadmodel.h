#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QList>

#include "desk/desktypes.h"

class OperatorDesk;

// The turns of one session, oldest at the top. It starts with the newest page and loads older
// pages on request (the view asks when scrolled to the top); new turns and delivery changes
// arrive live from the desk.
class ThreadModel final : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        TurnIdRole = Qt::UserRole,
        SpeakerRole,  // int(TurnRole)
        TurnViewRole, // TurnView
        TextRole,
        CreatedAtRole,
        AuthorRole,   // "Customer", "Bot", the operator's name, ...
        CitedRole,    // "KB-0012 “车机没网” · ..." ('' when none)
        DeliveryRole, // int(Desk::DeliveryState)
        DeliveryErrorRole,
        DecisionRole, // a short line: why the bot answered or handed off ('' when not a bot turn)
    };
    Q_ENUM(Role)

    explicit ThreadModel(OperatorDesk *desk, QObject *parent = nullptr);
    ~ThreadModel() override;
    Q_DISABLE_COPY_MOVE(ThreadModel)

    // Shows `sessionId` (0 = none) from its newest page.
    void setSession(qint64 sessionId);
    qint64 sessionId() const { return m_sessionId; }
    bool hasOlder() const { return m_hasOlder; }
    // Loads the next older page at the top; returns the number of rows inserted.
    int loadOlder();
    void setPageSize(int n) { m_pageSize = n; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    const TurnView &turnAt(int row) const { return m_turns.at(row); }
    int rowOfTurn(qint64 turnId) const;
    static QString decisionLine(const TurnView &t);
    static QString authorOf(const TurnView &t);

private:
    void onTurnAdded(qint64 sessionId, qint64 turnId);
    void onDeliveryChanged(qint64 sessionId, qint64 turnId, Desk::DeliveryState state, const QString &error);

    OperatorDesk *m_desk = nullptr;
    qint64 m_sessionId = 0;
    QList<TurnView> m_turns; // oldest first
    bool m_hasOlder = false;
    int m_pageSize = 50;
};
