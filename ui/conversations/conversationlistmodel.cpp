#include "conversationlistmodel.h"

#include <QDateTime>

namespace {
// A burst (hundreds of pushes a second) is shown in frames: the first change after a quiet spell
// is applied on the next event-loop pass, later ones at most once per frame, so each changed
// session is read once per frame and the proxy re-sorts once per frame, not once per push.
constexpr qint64 kFrameMs = 100;
} // namespace

#include "conversationtext.h"
#include "desk/operatordesk.h"

ConversationListModel::ConversationListModel(OperatorDesk *desk, QObject *parent)
    : QAbstractListModel(parent)
    , m_desk(desk)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &ConversationListModel::flushPending);
    connect(desk, &OperatorDesk::sessionAdded, this, &ConversationListModel::markDirty);
    connect(desk, &OperatorDesk::sessionChanged, this, &ConversationListModel::markDirty);
    connect(desk, &OperatorDesk::turnAdded, this, [this](qint64 sessionId, qint64) { markDirty(sessionId); });
    connect(desk, &OperatorDesk::draftCreated, this,
            [this](qint64 sessionId, qint64) { markDirty(sessionId); });
    connect(desk, &OperatorDesk::draftDecided, this,
            [this](qint64 sessionId, qint64, const QString &) { markDirty(sessionId); });
    reload();
}

ConversationListModel::~ConversationListModel() = default;

void ConversationListModel::reload()
{
    beginResetModel();
    m_rows = m_desk->sessions();
    m_rowOf.clear();
    m_rowOf.reserve(m_rows.size());
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowOf.insert(m_rows.at(i).id, i);
    endResetModel();
}

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConversationListModel::priorityOf(const SessionSummary &s)
{
    if (s.needsOperator)
        return 0;
    if (s.draftPending)
        return 1;
    if (s.unread > 0)
        return 2;
    return 3;
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SessionSummary &s = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return ConversationText::accessibleRow(s,
                                               m_nowMs > 0 ? m_nowMs : QDateTime::currentMSecsSinceEpoch());
    case Qt::ToolTipRole:
        return s.lastPreview;
    case SessionIdRole:
        return s.id;
    case SummaryRole:
        return QVariant::fromValue(s);
    case CustomerNameRole:
        return ConversationText::customerName(s);
    case ChatLabelRole:
        return ConversationText::chatLabel(s);
    case ChatIdRole:
        return s.chatId;
    case PreviewRole:
        return s.lastPreview;
    case ModeRole:
        return int(s.mode);
    case NeedsOperatorRole:
        return s.needsOperator;
    case DraftPendingRole:
        return s.draftPending;
    case UnreadRole:
        return s.unread;
    case LastActiveRole:
        return s.lastActiveAt;
    case WaitingSinceRole:
        return s.waitingSince;
    case PriorityRole:
        return priorityOf(s);
    default:
        return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(SessionIdRole, "sessionId");
    names.insert(SummaryRole, "summary");
    names.insert(CustomerNameRole, "customerName");
    names.insert(ChatLabelRole, "chatLabel");
    names.insert(ChatIdRole, "chatId");
    names.insert(PreviewRole, "preview");
    names.insert(ModeRole, "mode");
    names.insert(NeedsOperatorRole, "needsOperator");
    names.insert(DraftPendingRole, "draftPending");
    names.insert(UnreadRole, "unread");
    names.insert(LastActiveRole, "lastActive");
    names.insert(WaitingSinceRole, "waitingSince");
    names.insert(PriorityRole, "priority");
    return names;
}

void ConversationListModel::markDirty(qint64 sessionId)
{
    if (!m_dirty.contains(sessionId)) {
        m_dirty.insert(sessionId);
        m_dirtyOrder.append(sessionId);
    }
    if (m_flushTimer.isActive())
        return;
    const qint64 sinceFlush = m_lastFlush.isValid() ? m_lastFlush.elapsed() : kFrameMs;
    m_flushTimer.start(int(qMax<qint64>(0, kFrameMs - sinceFlush)));
}

void ConversationListModel::flushPending()
{
    m_flushTimer.stop();
    m_lastFlush.start();
    const QList<qint64> order = std::exchange(m_dirtyOrder, {});
    m_dirty.clear();
    for (qint64 id : order)
        refreshRow(id);
}

void ConversationListModel::refreshRow(qint64 sessionId)
{
    const std::optional<SessionSummary> s = m_desk->session(sessionId);
    if (!s)
        return; // gone (never happens today: sessions are not deleted); keep what is shown
    const int row = rowOf(sessionId);
    if (row < 0) {
        const int at = int(m_rows.size());
        beginInsertRows({}, at, at);
        m_rows.append(*s);
        m_rowOf.insert(sessionId, at);
        endInsertRows();
        return;
    }
    if (m_rows.at(row) == *s)
        return;
    m_rows[row] = *s;
    const QModelIndex i = index(row);
    emit dataChanged(i, i);
}
