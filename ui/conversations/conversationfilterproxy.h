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
// text matches names and chat names here and turn content through the desk (one query per
// text change; the matching ids are kept).
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
    QString textFilter() const { return m_text; }
    void clearFilters();
    bool isFiltering() const;

    // Whether a row of the source needs a person (the "needs attention" filter).
    static bool needsAttention(const SessionSummary &s);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void refreshContentMatches();

    OperatorDesk *m_desk = nullptr;
    ConversationListModel *m_list = nullptr;
    bool m_attentionOnly = false;
    std::optional<SessionMode> m_mode;
    QString m_chatId;
    QString m_text;
    QSet<qint64> m_contentMatches; // sessions whose turns contain m_text (from the desk)
};
