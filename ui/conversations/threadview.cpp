#include "threadview.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDateTime>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTimer>

#include "conversationtext.h"
#include "threadmodel.h"

namespace {

constexpr int kMargin = 6; // around a bubble
constexpr int kInner = 8;  // inside a bubble
constexpr int kGap = 3;    // between the lines of a bubble

const QColor kFailed{0xc0, 0x39, 0x2b};

QFont smallFont(const QFont &base)
{
    return ConversationText::scaledFont(base, 0.88);
}

} // namespace

struct ThreadDelegate::Layout
{
    QRect bubble;
    QRect header;
    QRect text;
    QRect decision;
    QList<QPair<QRect, CitedEntry>> chips;
    QRect delivery;
    QRect retry;
    int height = 0;
};

struct ThreadDelegate::Cache
{
    struct Entry
    {
        int viewWidth = 0;
        int delivery = 0;
        Layout layout; // at (0, 0)
    };
    QHash<qint64, Entry> entries;
    QFont font;
};

ThreadDelegate::ThreadDelegate(QListView *view)
    : QStyledItemDelegate(view)
    , m_view(view)
    , m_cache(std::make_unique<Cache>())
{}

ThreadDelegate::~ThreadDelegate() = default;

void ThreadDelegate::clearLayoutCache()
{
    m_cache->entries.clear();
}

ThreadDelegate::Layout ThreadDelegate::layout(const QStyleOptionViewItem &option,
                                              const QModelIndex &index) const
{
    if (option.font != m_cache->font) {
        m_cache->entries.clear();
        m_cache->font = option.font;
    }
    const qint64 id = index.data(ThreadModel::TurnIdRole).toLongLong();
    const int viewW = m_view ? m_view->viewport()->width() : option.rect.width();
    const int delivery = index.data(ThreadModel::DeliveryRole).toInt();
    auto it = m_cache->entries.find(id);
    if (it == m_cache->entries.end() || it->viewWidth != viewW || it->delivery != delivery) {
        QStyleOptionViewItem atOrigin(option);
        atOrigin.rect.moveTopLeft(QPoint(0, 0));
        it = m_cache->entries.insert(id, Cache::Entry{viewW, delivery, measure(atOrigin, index)});
    }
    Layout l = it->layout;
    const QPoint at = option.rect.topLeft();
    for (QRect *r : {&l.bubble, &l.header, &l.text, &l.decision, &l.delivery, &l.retry})
        if (!r->isNull())
            r->translate(at);
    for (auto &chip : l.chips)
        chip.first.translate(at);
    return l;
}

ThreadDelegate::Layout ThreadDelegate::measure(const QStyleOptionViewItem &option,
                                               const QModelIndex &index) const
{
    Layout l;
    const auto t = index.data(ThreadModel::TurnViewRole).value<TurnView>();
    const QFontMetrics fm(option.font);
    const QFontMetrics sfm(smallFont(option.font));
    const int viewW = m_view ? m_view->viewport()->width() : option.rect.width();
    const int bubbleMaxW = qMax(120, (viewW - 2 * kMargin) * 4 / 5);
    const int innerMaxW = bubbleMaxW - 2 * kInner;

    // Content height and the widest line.
    const QString header = ThreadModel::authorOf(t) + QStringLiteral(" · ") +
                           ConversationText::clockText(t.createdAt, QDateTime::currentMSecsSinceEpoch());
    const QString deliveryText = ConversationText::deliveryName(t.delivery);
    // +1 on measured text: the advance is rounded down, and elidedText() at exactly that width
    // drops the last letters.
    int contentW = sfm.horizontalAdvance(header) + 1 +
                   (deliveryText.isEmpty() ? 0 : sfm.horizontalAdvance(deliveryText) + 16);
    const QRect textBox = fm.boundingRect(QRect(0, 0, innerMaxW, 1 << 20), Qt::TextWordWrap, t.text);
    contentW = qMax(contentW, textBox.width());
    int y = kInner;
    l.header = QRect(kInner, y, 0, sfm.height());
    y += sfm.height() + kGap;
    l.text = QRect(kInner, y, textBox.width(), textBox.height());
    y += textBox.height();
    const QString decision = ThreadModel::decisionLine(t);
    if (!decision.isEmpty()) {
        y += kGap;
        l.decision = QRect(kInner, y, innerMaxW, sfm.height());
        contentW = qMax(contentW, qMin(innerMaxW, sfm.horizontalAdvance(decision) + 1));
        y += sfm.height();
    }
    if (!t.cited.isEmpty()) {
        y += kGap;
        int x = kInner;
        for (const CitedEntry &c : t.cited) {
            const QString label = QStringLiteral("%1 %2").arg(c.id, QString::number(c.score, 'f', 2));
            const int w = sfm.horizontalAdvance(label) + sfm.height();
            if (x > kInner && x + w > kInner + innerMaxW) {
                x = kInner;
                y += sfm.height() + kGap;
            }
            l.chips.append({QRect(x, y, w, sfm.height()), c});
            x += w + kGap * 2;
            contentW = qMax(contentW, qMin(innerMaxW, x - kInner));
        }
        y += sfm.height();
    }
    if (t.delivery == Desk::DeliveryState::Failed) {
        y += kGap;
        const QString retry = tr("Retry");
        const int retryW = sfm.horizontalAdvance(retry) + sfm.height();
        l.delivery = QRect(kInner, y, innerMaxW - retryW - kGap, sfm.height());
        l.retry = QRect(kInner + innerMaxW - retryW, y, retryW, sfm.height());
        contentW = innerMaxW;
        y += sfm.height();
    }
    y += kInner;
    const int bubbleW = qMin(bubbleMaxW, contentW + 2 * kInner);
    l.header.setWidth(bubbleW - 2 * kInner);
    l.decision.setWidth(l.decision.isNull() ? 0 : bubbleW - 2 * kInner);
    if (!l.retry.isNull()) {
        l.retry.moveRight(bubbleW - kInner);
        l.delivery.setWidth(l.retry.left() - kGap - kInner);
    }

    int left = kMargin;
    if (t.role == TurnRole::Bot || t.role == TurnRole::Operator)
        left = viewW - kMargin - bubbleW;
    else if (t.role == TurnRole::System)
        left = (viewW - bubbleW) / 2;
    const QPoint origin(option.rect.left() + left, option.rect.top() + kMargin);
    l.bubble = QRect(origin, QSize(bubbleW, y));
    l.header.translate(origin);
    l.text.translate(origin);
    l.decision.translate(origin);
    for (auto &chip : l.chips)
        chip.first.translate(origin);
    l.delivery.translate(origin);
    l.retry.translate(origin);
    l.height = y + 2 * kMargin;
    return l;
}

QSize ThreadDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const Layout l = layout(option, index);
    const int viewW = m_view ? m_view->viewport()->width() : option.rect.width();
    return {qMax(1, viewW), l.height};
}

void ThreadDelegate::paint(QPainter *p, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const auto t = index.data(ThreadModel::TurnViewRole).value<TurnView>();
    const Layout l = layout(option, index);
    const QPalette &pal = option.palette;
    const QFont small = smallFont(option.font);

    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    QColor fill;
    switch (t.role) {
    case TurnRole::Customer:
        fill = pal.color(QPalette::Base).darker(104);
        break;
    case TurnRole::Bot:
        fill = QColor(0xe8, 0xf1, 0xea);
        break;
    case TurnRole::Operator:
        fill = QColor(0xe6, 0xee, 0xf8);
        break;
    case TurnRole::System:
        fill = QColor(0xf4, 0xf0, 0xe4);
        break;
    }
    const bool current = option.state & QStyle::State_HasFocus || option.state & QStyle::State_Selected;
    p->setPen(current ? QPen(pal.color(QPalette::Highlight), 1.5) : QPen(fill.darker(112), 1));
    p->setBrush(fill);
    p->drawRoundedRect(QRectF(l.bubble).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);

    const QColor text(0x20, 0x22, 0x24);
    QColor dim = text;
    dim.setAlphaF(0.6f);
    const QFontMetrics sfm(small);

    p->setFont(small);
    p->setPen(dim);
    const QString header = ThreadModel::authorOf(t) + QStringLiteral(" · ") +
                           ConversationText::clockText(t.createdAt, QDateTime::currentMSecsSinceEpoch());
    p->drawText(l.header, Qt::AlignLeft | Qt::AlignVCenter,
                sfm.elidedText(header, Qt::ElideRight, l.header.width()));
    if (t.delivery != Desk::DeliveryState::None && t.delivery != Desk::DeliveryState::Failed) {
        p->setPen(t.delivery == Desk::DeliveryState::Sent ? dim : QColor(0xb9, 0x77, 0x0e));
        const QString mark =
            t.delivery == Desk::DeliveryState::Sent ? QStringLiteral("✓ ") : QStringLiteral("… ");
        p->drawText(l.header, Qt::AlignRight | Qt::AlignVCenter,
                    mark + ConversationText::deliveryName(t.delivery));
    }

    p->setFont(option.font);
    p->setPen(text);
    p->drawText(l.text, Qt::TextWordWrap, t.text);

    p->setFont(small);
    if (!l.decision.isNull()) {
        p->setPen(dim);
        p->drawText(l.decision, Qt::AlignLeft | Qt::AlignVCenter,
                    sfm.elidedText(ThreadModel::decisionLine(t), Qt::ElideRight, l.decision.width()));
    }
    for (const auto &[rect, c] : l.chips) {
        p->setPen(Qt::NoPen);
        p->setBrush(QColor(0xff, 0xff, 0xff, 200));
        p->drawRoundedRect(rect, rect.height() / 2.0, rect.height() / 2.0);
        p->setPen(pal.color(QPalette::Link));
        p->drawText(rect, Qt::AlignCenter,
                    QStringLiteral("%1 %2").arg(c.id, QString::number(c.score, 'f', 2)));
    }
    if (!l.retry.isNull()) {
        p->setPen(kFailed);
        const QString failed =
            ConversationText::deliveryName(t.delivery) +
            (t.deliveryError.isEmpty() ? QString() : QStringLiteral(": ") + t.deliveryError);
        p->drawText(l.delivery, Qt::AlignLeft | Qt::AlignVCenter,
                    sfm.elidedText(failed, Qt::ElideRight, l.delivery.width()));
        p->setPen(Qt::NoPen);
        p->setBrush(kFailed);
        p->drawRoundedRect(l.retry, 3, 3);
        p->setPen(Qt::white);
        p->drawText(l.retry, Qt::AlignCenter, tr("Retry"));
    }
    p->restore();
}

bool ThreadDelegate::editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                                 const QModelIndex &index)
{
    if (event->type() == QEvent::MouseButtonRelease) {
        const auto *me = static_cast<QMouseEvent *>(event);
        if (me->button() == Qt::LeftButton) {
            const Layout l = layout(option, index);
            const QPoint pos = me->position().toPoint();
            for (const auto &[rect, c] : l.chips)
                if (rect.contains(pos)) {
                    emit citedEntryClicked(c.id);
                    return true;
                }
            if (l.retry.contains(pos)) {
                emit retryClicked(index.data(ThreadModel::TurnIdRole).toLongLong());
                return true;
            }
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

ThreadView::ThreadView(QWidget *parent)
    : QListView(parent)
    , m_delegate(new ThreadDelegate(this))
{
    setObjectName(QStringLiteral("threadView"));
    setAccessibleName(tr("Thread"));
    setItemDelegate(m_delegate);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setResizeMode(QListView::Adjust);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setMouseTracking(true);
    verticalScrollBar()->setSingleStep(24);

    m_retryAction = new QAction(tr("Retry delivery"), this);
    m_retryAction->setEnabled(false);
    connect(m_retryAction, &QAction::triggered, this, [this] {
        if (const qint64 id = currentTurnId(); id > 0)
            emit retryRequested(id);
    });
    addAction(m_retryAction);
    m_promoteAction = new QAction(tr("Promote to knowledge"), this);
    m_promoteAction->setObjectName(QStringLiteral("promoteAction"));
    m_promoteAction->setToolTip(
        tr("Make the selected reply (or the newest operator reply) a knowledge entry"));
    m_promoteAction->setEnabled(false);
    connect(m_promoteAction, &QAction::triggered, this, [this] {
        if (const qint64 id = promotableTurnId(); id > 0)
            emit promoteRequested(id, citedForPromotion(id));
    });
    addAction(m_promoteAction);

    connect(m_delegate, &ThreadDelegate::citedEntryClicked, this, &ThreadView::citedEntryRequested);
    connect(m_delegate, &ThreadDelegate::retryClicked, this, &ThreadView::retryRequested);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &ThreadView::onScrolled);
}

ThreadView::~ThreadView() = default;

void ThreadView::setThreadModel(ThreadModel *model)
{
    m_model = model;
    setModel(model);
    connect(model, &QAbstractItemModel::modelAboutToBeReset, m_delegate, &ThreadDelegate::clearLayoutCache);
    connect(selectionModel(), &QItemSelectionModel::currentChanged, this, &ThreadView::updateActions);
    connect(model, &QAbstractItemModel::dataChanged, this, &ThreadView::updateActions);
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        m_followNewest = true;
        updateActions();
        QTimer::singleShot(0, this, &ThreadView::scrollToNewest);
    });
    connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first, int) {
        updateActions();
        if (first > 0 && m_followNewest)
            QTimer::singleShot(0, this, &ThreadView::scrollToNewest);
    });
}

qint64 ThreadView::currentTurnId() const
{
    const QModelIndex i = currentIndex();
    return i.isValid() ? i.data(ThreadModel::TurnIdRole).toLongLong() : 0;
}

namespace {

bool isPromotable(const TurnView &t)
{
    return (t.role == TurnRole::Operator || t.role == TurnRole::Bot) && !t.text.trimmed().isEmpty() &&
           t.delivery != Desk::DeliveryState::Failed;
}

} // namespace

qint64 ThreadView::promotableTurnId() const
{
    if (!m_model)
        return 0;
    const QModelIndex current = currentIndex();
    if (current.isValid() && isPromotable(m_model->turnAt(current.row())))
        return m_model->turnAt(current.row()).id;
    for (int row = m_model->rowCount() - 1; row >= 0; --row) {
        const TurnView &t = m_model->turnAt(row);
        if (t.role == TurnRole::Operator && isPromotable(t))
            return t.id;
    }
    return 0;
}

QList<CitedEntry> ThreadView::citedForPromotion(qint64 turnId) const
{
    if (!m_model)
        return {};
    for (int row = m_model->rowOfTurn(turnId); row >= 0; --row) {
        const TurnView &t = m_model->turnAt(row);
        if (!t.cited.isEmpty() && (t.id == turnId || t.role == TurnRole::Bot))
            return t.cited;
    }
    return {};
}

void ThreadView::scrollToNewest()
{
    if (m_model && m_model->rowCount() > 0)
        scrollToBottom();
}

void ThreadView::updateActions()
{
    const QModelIndex i = currentIndex();
    m_retryAction->setEnabled(i.isValid() &&
                              i.data(ThreadModel::DeliveryRole).toInt() == int(Desk::DeliveryState::Failed));
    m_promoteAction->setEnabled(promotableTurnId() > 0);
}

void ThreadView::onScrolled(int value)
{
    QScrollBar *bar = verticalScrollBar();
    m_followNewest = value >= bar->maximum() - 4;
    if (value == bar->minimum() && bar->maximum() > bar->minimum() && m_model && m_model->hasOlder() &&
        !m_loadingOlder) {
        m_loadingOlder = true;
        QTimer::singleShot(0, this, &ThreadView::loadOlderKeepingPosition);
    }
}

void ThreadView::loadOlderKeepingPosition()
{
    QScrollBar *bar = verticalScrollBar();
    const int fromBottom = bar->maximum() - bar->value();
    if (m_model->loadOlder() > 0) {
        doItemsLayout();
        bar->setValue(bar->maximum() - fromBottom);
    }
    m_loadingOlder = false;
}

void ThreadView::contextMenuEvent(QContextMenuEvent *event)
{
    const QModelIndex i = indexAt(event->pos()).isValid() ? indexAt(event->pos()) : currentIndex();
    if (!i.isValid())
        return;
    setCurrentIndex(i);
    QMenu menu(this);
    menu.addAction(m_retryAction);
    updateActions();
    menu.addAction(m_promoteAction);
    const auto t = i.data(ThreadModel::TurnViewRole).value<TurnView>();
    for (const CitedEntry &c : t.cited) {
        const QString label = c.title.isEmpty() ? c.id : QStringLiteral("%1 %2").arg(c.id, c.title);
        const QString id = c.id;
        menu.addAction(tr("Open %1").arg(label), this, [this, id] { emit citedEntryRequested(id); });
    }
    menu.addAction(tr("Copy text"), this, [t] { QApplication::clipboard()->setText(t.text); });
    menu.exec(event->globalPos());
}

void ThreadView::resizeEvent(QResizeEvent *event)
{
    QListView::resizeEvent(event);
    scheduleDelayedItemsLayout(); // the bubbles' heights depend on the width
}
