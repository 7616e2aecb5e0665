#pragma once

#include <QStyledItemDelegate>

// Paints one conversation row densely, in two lines:
//   [flags] customer name · chat                      time
//           one-line preview            [unread] [mode badge]
// Badges are right-aligned in fixed columns so they line up from row to row; text is elided,
// never clipped. Every row has the same height (the view can use uniform item sizes).
class ConversationDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit ConversationDelegate(QObject *parent = nullptr);
    ~ConversationDelegate() override;
    Q_DISABLE_COPY_MOVE(ConversationDelegate)

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};
