#pragma once

#include <optional>

#include <QSet>
#include <QSortFilterProxyModel>

#include "desk/desktypes.h"

class OperatorDesk;
class ConversationListModel;

// The conversation list as the operator sees it: what needs a person first (escalated, then a
// draft waiting, then unread, then the bot handling it), the longest waiting first within each
// group, then the most recently active. Filters: needs attention, mode, chat, and text. The
// text matches names, chat names and previews here, in memory, and turn content through the
// desk, whose lookup runs on a worker: setTextFilter() returns at once and the new text takes
// effect, names and content together, when the desk answers (textFilterApplied). Typing faster
// than the lookups coalesces: only the newest text is looked up next.
class ConversationFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ConversationFilterProxy(OperatorDesk *desk, QObject *parent = nullptr);
    ~ConversationFilterProxy() override;
    Q_DISABLE_COPY_MOVE(ConversationFilterProxy)

    void setSourceModel(QAbstractItemModel *model) override;

    void setNeedsAttentionOnly(bool on);
    bool needsAttentionOnly() const { return m_attentionOnly; }
    void setModeFilter(std::optional<SessionMode> mode);
    std::optional<SessionMode> modeFilter() const { return m_mode; }
    void setChatFilter(const QString &chatId); // '' = every chat
    QString chatFilter() const { return m_chatId; }
    void setTextFilter(const QString &text);
    QString textFilter() const { return m_text; }            // the text in effect
    QString requestedTextFilter() const { return m_wanted; } // the newest asked for
    void clearFilters();
    bool isFiltering() const;

    // Whether a row of the source needs a person (the "needs attention" filter).
    static bool needsAttention(const SessionSummary &s);

signals:
    // The text filter `text` is in effect (the rows are filtered by it); queryMs is the desk's
    // lookup time on its worker (0 when no lookup was needed).
    void textFilterApplied(const QString &text, double queryMs);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void onContentMatches(const QString &text, const QList<qint64> &ids, double queryMs);

    OperatorDesk *m_desk = nullptr;
    ConversationListModel *m_list = nullptr;
    bool m_attentionOnly = false;
    std::optional<SessionMode> m_mode;
    QString m_chatId;
    QString m_text;                // in effect
    QString m_wanted;              // asked for; equals m_text unless a lookup is on its way
    QSet<qint64> m_contentMatches; // sessions whose turns contain m_text (from the desk)
    QSet<qint64> m_liveMatches;    // sessions whose new turns contain m_wanted since it was asked
};
