#include "conversationfilterproxy.h"

#include "conversationlistmodel.h"
#include "desk/operatordesk.h"

ConversationFilterProxy::ConversationFilterProxy(OperatorDesk *desk, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_desk(desk)
{
    setDynamicSortFilter(true);
    sort(0);
    // New turns can make a session match the text search: ask again when content changes.
    connect(desk, &OperatorDesk::turnAdded, this, [this](qint64 sessionId, qint64 turnId) {
        const bool applied = !m_text.isEmpty() && !m_contentMatches.contains(sessionId);
        const bool awaited = m_wanted != m_text && !m_wanted.isEmpty(); // the lookup may not see it
        if (!applied && !awaited)
            return;
        const std::optional<TurnView> t = m_desk->turn(turnId);
        if (!t)
            return;
        if (awaited && t->text.contains(m_wanted, Qt::CaseInsensitive))
            m_liveMatches.insert(sessionId);
        if (applied && t->text.contains(m_text, Qt::CaseInsensitive)) {
            m_contentMatches.insert(sessionId);
            invalidateRowsFilter();
        }
    });
    connect(desk, &OperatorDesk::contentMatchesReady, this, &ConversationFilterProxy::onContentMatches);
    desk->warmUpContentSearch(); // the first keystroke would open the worker's connection
}

ConversationFilterProxy::~ConversationFilterProxy() = default;

void ConversationFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    m_list = qobject_cast<ConversationListModel *>(model);
    Q_ASSERT_X(m_list, "ConversationFilterProxy", "the source must be a ConversationListModel");
    QSortFilterProxyModel::setSourceModel(model);
    sort(0);
}

bool ConversationFilterProxy::needsAttention(const SessionSummary &s)
{
    return s.needsOperator || s.draftPending || s.unread > 0;
}

void ConversationFilterProxy::setNeedsAttentionOnly(bool on)
{
    if (m_attentionOnly == on)
        return;
    m_attentionOnly = on;
    invalidateRowsFilter();
}

void ConversationFilterProxy::setModeFilter(std::optional<SessionMode> mode)
{
    if (m_mode == mode)
        return;
    m_mode = mode;
    invalidateRowsFilter();
}

void ConversationFilterProxy::setChatFilter(const QString &chatId)
{
    if (m_chatId == chatId)
        return;
    m_chatId = chatId;
    invalidateRowsFilter();
}

void ConversationFilterProxy::setTextFilter(const QString &text)
{
    const QString t = text.trimmed();
    if (m_wanted == t)
        return;
    m_wanted = t;
    m_liveMatches.clear();
    if (t.isEmpty()) {
        // Nothing to look up: every row again, at once.
        m_text.clear();
        m_contentMatches.clear();
        invalidateRowsFilter();
        emit textFilterApplied(m_text, 0);
        return;
    }
    m_desk->requestContentMatches(t);
}

void ConversationFilterProxy::onContentMatches(const QString &text, const QList<qint64> &ids, double queryMs)
{
    if (text != m_wanted || text.isEmpty())
        return; // an older text (typed over), or another list's
    m_text = text;
    m_contentMatches = QSet<qint64>(ids.cbegin(), ids.cend());
    m_contentMatches.unite(m_liveMatches);
    m_liveMatches.clear();
    invalidateRowsFilter();
    emit textFilterApplied(m_text, queryMs);
}

void ConversationFilterProxy::clearFilters()
{
    m_attentionOnly = false;
    m_mode.reset();
    m_chatId.clear();
    m_text.clear();
    m_wanted.clear();
    m_contentMatches.clear();
    m_liveMatches.clear();
    invalidateRowsFilter();
}

bool ConversationFilterProxy::isFiltering() const
{
    return m_attentionOnly || m_mode || !m_chatId.isEmpty() || !m_text.isEmpty();
}

bool ConversationFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid() || !m_list)
        return false;
    const SessionSummary &s = m_list->summaryAt(sourceRow);
    if (m_attentionOnly && !needsAttention(s))
        return false;
    if (m_mode && s.mode != *m_mode)
        return false;
    if (!m_chatId.isEmpty() && s.chatId != m_chatId)
        return false;
    if (m_text.isEmpty() || m_contentMatches.contains(s.id))
        return true;
    return s.userName.contains(m_text, Qt::CaseInsensitive) ||
           s.openId.contains(m_text, Qt::CaseInsensitive) ||
           s.chatName.contains(m_text, Qt::CaseInsensitive) ||
           s.lastPreview.contains(m_text, Qt::CaseInsensitive);
}

bool ConversationFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const SessionSummary &a = m_list->summaryAt(left.row());
    const SessionSummary &b = m_list->summaryAt(right.row());
    const int pa = ConversationListModel::priorityOf(a);
    const int pb = ConversationListModel::priorityOf(b);
    if (pa != pb)
        return pa < pb;
    // Within a group: whoever waits comes before whoever does not, the longest waiting first.
    const bool wa = a.waitingSince > 0;
    const bool wb = b.waitingSince > 0;
    if (wa != wb)
        return wa;
    if (wa && a.waitingSince != b.waitingSince)
        return a.waitingSince < b.waitingSince;
    // Then the most recently active first.
    if (a.lastActiveAt != b.lastActiveAt)
        return a.lastActiveAt > b.lastActiveAt;
    return a.id > b.id;
}
