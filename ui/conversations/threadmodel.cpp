#include "threadmodel.h"

#include <algorithm>

#include <QDateTime>

#include "conversationtext.h"
#include "desk/operatordesk.h"

ThreadModel::ThreadModel(OperatorDesk *desk, QObject *parent)
    : QAbstractListModel(parent)
    , m_desk(desk)
{
    connect(desk, &OperatorDesk::turnAdded, this, &ThreadModel::onTurnAdded);
    connect(desk, &OperatorDesk::deliveryChanged, this, &ThreadModel::onDeliveryChanged);
}

ThreadModel::~ThreadModel() = default;

void ThreadModel::setSession(qint64 sessionId)
{
    beginResetModel();
    m_sessionId = sessionId;
    m_turns.clear();
    m_hasOlder = false;
    if (sessionId > 0) {
        const TurnPage page = m_desk->turns(sessionId, 0, m_pageSize);
        m_turns.reserve(page.turns.size());
        std::reverse_copy(page.turns.cbegin(), page.turns.cend(), std::back_inserter(m_turns));
        m_hasOlder = page.hasOlder;
    }
    endResetModel();
}

int ThreadModel::loadOlder()
{
    if (m_sessionId <= 0 || !m_hasOlder || m_turns.isEmpty())
        return 0;
    const TurnPage page = m_desk->turns(m_sessionId, m_turns.first().id, m_pageSize);
    m_hasOlder = page.hasOlder;
    if (page.turns.isEmpty())
        return 0;
    const int n = int(page.turns.size());
    beginInsertRows({}, 0, n - 1);
    QList<TurnView> older;
    older.reserve(n + m_turns.size());
    std::reverse_copy(page.turns.cbegin(), page.turns.cend(), std::back_inserter(older));
    older.append(m_turns);
    m_turns = std::move(older);
    endInsertRows();
    return n;
}

int ThreadModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_turns.size());
}

int ThreadModel::rowOfTurn(qint64 turnId) const
{
    // Live changes are nearly always about the newest turns: search from the end.
    for (int i = int(m_turns.size()) - 1; i >= 0; --i)
        if (m_turns.at(i).id == turnId)
            return i;
    return -1;
}

QString ThreadModel::authorOf(const TurnView &t)
{
    if (t.role == TurnRole::Operator && !t.operatorName.isEmpty())
        return ConversationText::tr("Operator %1").arg(t.operatorName);
    return ConversationText::roleName(t.role);
}

QString ThreadModel::decisionLine(const TurnView &t)
{
    if (t.role != TurnRole::Bot || t.decisionReason.isEmpty())
        return {};
    QString line = t.decisionReason;
    if (t.decisionLead >= 0)
        line += QStringLiteral(" · ") + ConversationText::tr("lead %1").arg(t.decisionLead, 0, 'f', 2);
    if (t.decisionCoverage >= 0)
        line += QStringLiteral(" · ") +
                ConversationText::tr("coverage %1%").arg(qRound(t.decisionCoverage * 100));
    return line;
}

QVariant ThreadModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TurnView &t = m_turns.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole: {
        QString s = authorOf(t) + QStringLiteral(", ") +
                    ConversationText::clockText(t.createdAt, QDateTime::currentMSecsSinceEpoch()) +
                    QStringLiteral(": ") + t.text;
        if (t.delivery != Desk::DeliveryState::None)
            s += QStringLiteral(" (") + ConversationText::deliveryName(t.delivery) +
                 (t.deliveryError.isEmpty() ? QString() : QStringLiteral(": ") + t.deliveryError) +
                 QStringLiteral(")");
        return s;
    }
    case Qt::ToolTipRole:
        return decisionLine(t);
    case TurnIdRole:
        return t.id;
    case SpeakerRole:
        return int(t.role);
    case TurnViewRole:
        return QVariant::fromValue(t);
    case TextRole:
        return t.text;
    case CreatedAtRole:
        return t.createdAt;
    case AuthorRole:
        return authorOf(t);
    case CitedRole:
        return ConversationText::citedList(t.cited);
    case DeliveryRole:
        return int(t.delivery);
    case DeliveryErrorRole:
        return t.deliveryError;
    case DecisionRole:
        return decisionLine(t);
    default:
        return {};
    }
}

QHash<int, QByteArray> ThreadModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(TurnIdRole, "turnId");
    names.insert(SpeakerRole, "role");
    names.insert(TurnViewRole, "turn");
    names.insert(TextRole, "text");
    names.insert(CreatedAtRole, "createdAt");
    names.insert(AuthorRole, "author");
    names.insert(CitedRole, "cited");
    names.insert(DeliveryRole, "delivery");
    names.insert(DeliveryErrorRole, "deliveryError");
    names.insert(DecisionRole, "decision");
    return names;
}

void ThreadModel::onTurnAdded(qint64 sessionId, qint64 turnId)
{
    if (sessionId != m_sessionId || rowOfTurn(turnId) >= 0)
        return;
    const std::optional<TurnView> t = m_desk->turn(turnId);
    if (!t)
        return;
    // Turns arrive in id order; one that is older than the newest shown goes in its place.
    int at = int(m_turns.size());
    while (at > 0 && m_turns.at(at - 1).id > t->id)
        --at;
    if (at == 0 && m_hasOlder)
        return; // older than what is shown: it comes with the older pages
    beginInsertRows({}, at, at);
    m_turns.insert(at, *t);
    endInsertRows();
}

void ThreadModel::onDeliveryChanged(qint64 sessionId, qint64 turnId, Desk::DeliveryState state,
                                    const QString &error)
{
    if (sessionId != m_sessionId)
        return;
    const int row = rowOfTurn(turnId);
    if (row < 0)
        return;
    TurnView &t = m_turns[row];
    t.delivery = state;
    t.deliveryError = state == Desk::DeliveryState::Failed ? error : QString();
    const QModelIndex i = index(row);
    emit dataChanged(i, i);
}
