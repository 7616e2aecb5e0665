#pragma once

#include <memory>

#include <QListView>
#include <QStyledItemDelegate>

#include "desk/desktypes.h"

class QAction;
class ThreadModel;

// Paints one turn as a bubble: customer turns on the left, the bot's and operators' on the
// right, system notes in the middle. The header says who and when (and, for outgoing turns,
// the delivery state); bot turns show why the bot answered (a small line, the full text in
// the tooltip) and the knowledge entries they cited as clickable chips; a failed delivery
// shows its reason and a Retry link.
class ThreadDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit ThreadDelegate(QListView *view);
    ~ThreadDelegate() override;
    Q_DISABLE_COPY_MOVE(ThreadDelegate)

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    // Forgets the bubbles measured so far (the view shows another session).
    void clearLayoutCache();

signals:
    void citedEntryClicked(const QString &entryId);
    void retryClicked(qint64 turnId);

protected:
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;

private:
    struct Layout;
    struct Cache;
    // Where the parts of a bubble go at option.rect. Measuring wrapped text is the costly part of
    // showing a thread (every bubble is measured for the scroll range, then again to paint): a
    // bubble's layout is kept per turn until the width, the font or its delivery state changes.
    Layout layout(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    Layout measure(const QStyleOptionViewItem &option, const QModelIndex &index) const;

    QListView *m_view = nullptr;
    std::unique_ptr<Cache> m_cache;
};

// The thread of the selected session: the newest turns at the bottom, older ones load when
// scrolled to the top. Keyboard: the context menu (and the actions) retry a failed delivery,
// open a cited entry of the current turn and promote a reply to knowledge.
class ThreadView final : public QListView
{
    Q_OBJECT
public:
    explicit ThreadView(QWidget *parent = nullptr);
    ~ThreadView() override;
    Q_DISABLE_COPY_MOVE(ThreadView)

    void setThreadModel(ThreadModel *model);
    QAction *retryAction() const { return m_retryAction; }
    // "Promote to knowledge": the current turn when it is a reply (operator or bot, not failed),
    // otherwise the newest operator reply of the thread. Disabled when there is none.
    QAction *promoteAction() const { return m_promoteAction; }
    // The turn promoteAction() works on (0 = none) and the entries the bot cited for it: its own,
    // or those of the nearest earlier bot turn that cited any.
    qint64 promotableTurnId() const;
    QList<CitedEntry> citedForPromotion(qint64 turnId) const;
    // The current turn's id (0 = none).
    qint64 currentTurnId() const;
    void scrollToNewest();

signals:
    void citedEntryRequested(const QString &entryId);
    void retryRequested(qint64 turnId);
    void promoteRequested(qint64 turnId, const QList<CitedEntry> &cited);

protected:
    void contextMenuEvent(QContextMenuEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void onScrolled(int value);
    void loadOlderKeepingPosition();
    void updateActions();

    ThreadModel *m_model = nullptr;
    ThreadDelegate *m_delegate = nullptr;
    QAction *m_retryAction = nullptr;
    QAction *m_promoteAction = nullptr;
    bool m_followNewest = true;
    bool m_loadingOlder = false;
};
