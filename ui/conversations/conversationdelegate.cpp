#include "conversationdelegate.h"

#include <QApplication>
#include <QDateTime>
#include <QPainter>

#include "conversationlistmodel.h"
#include "conversationtext.h"

namespace {

constexpr int kPad = 6;

struct Palette
{
    QColor escalated{0xc0, 0x39, 0x2b};
    QColor draft{0xb9, 0x77, 0x0e};
    QColor unread{0x2e, 0x6d, 0xb4};
    QColor autoMode{0x5f, 0x8f, 0x6a};
    QColor reviewMode{0xb9, 0x77, 0x0e};
    QColor manualMode{0x6c, 0x5b, 0xa8};
};

QColor modeColour(SessionMode mode)
{
    const Palette p;
    switch (mode) {
    case SessionMode::Auto:
        return p.autoMode;
    case SessionMode::Review:
        return p.reviewMode;
    case SessionMode::Manual:
        return p.manualMode;
    }
    return p.autoMode;
}

// A rounded badge with `text`, right-aligned so that its right edge is `right`; returns its left.
int drawBadge(QPainter *p, const QFont &font, int right, int centreY, const QString &text, const QColor &fill,
              const QColor &textColour, int minWidth = 0)
{
    const QFontMetrics fm(font);
    const int h = fm.height();
    const int w = qMax(minWidth, fm.horizontalAdvance(text) + h / 2 + 4);
    const QRect r(right - w, centreY - h / 2, w, h);
    p->setPen(Qt::NoPen);
    p->setBrush(fill);
    p->drawRoundedRect(r, h / 2.0, h / 2.0);
    p->setPen(textColour);
    p->setFont(font);
    p->drawText(r, Qt::AlignCenter, text);
    return r.left();
}

} // namespace

ConversationDelegate::ConversationDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

ConversationDelegate::~ConversationDelegate() = default;

QSize ConversationDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics fm(option.font);
    // The width follows the view (no horizontal scrolling): the row elides what does not fit.
    return {fm.averageCharWidth() * 16, 2 * fm.height() + 3 * kPad};
}

void ConversationDelegate::paint(QPainter *p, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    const auto s = index.data(ConversationListModel::SummaryRole).value<SessionSummary>();
    QStyleOptionViewItem opt(option);
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *w = option.widget;
    QStyle *style = w ? w->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, p, w); // selection and hover background

    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette &pal = option.palette;
    const QColor text = selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(0.62f);

    QFont nameFont = option.font;
    nameFont.setBold(s.unread > 0 || s.needsOperator);
    const QFont small = ConversationText::scaledFont(option.font, 0.88);
    const QFontMetrics fm(option.font);
    const QFontMetrics sfm(small);

    const QRect r = option.rect.adjusted(kPad, kPad, -kPad, -kPad);
    const int line1 = r.top() + fm.height() / 2;
    const int line2 = r.top() + fm.height() + kPad + fm.height() / 2;
    const Palette colours;

    // The flags column: a red dot for needs-a-person, an amber one for a draft waiting.
    const int flagW = fm.height() / 2 + 2;
    int x = r.left();
    if (s.needsOperator || s.draftPending) {
        p->setPen(Qt::NoPen);
        p->setBrush(s.needsOperator ? colours.escalated : colours.draft);
        const int d = fm.height() / 2;
        p->drawEllipse(QRect(x, line1 - d / 2, d, d));
        if (s.needsOperator && s.draftPending) {
            p->setBrush(colours.draft);
            p->drawEllipse(QRect(x, line2 - d / 2, d, d));
        }
    }
    x += flagW + 2;

    // Right column, line 1: the time since the last activity.
    const QString since = ConversationText::sinceText(s.lastActiveAt, QDateTime::currentMSecsSinceEpoch());
    const int timeW = sfm.horizontalAdvance(QStringLiteral("99 min")) + 2;
    p->setFont(small);
    p->setPen(dim);
    p->drawText(QRect(r.right() - timeW, r.top(), timeW, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                since);

    // Line 1: name · chat, elided to what is left.
    const int nameRight = r.right() - timeW - kPad;
    const QString name = ConversationText::customerName(s);
    const QString chat = ConversationText::chatLabel(s);
    const QFontMetrics nfm(nameFont);
    const int avail = qMax(0, nameRight - x);
    // +1: the advance is rounded down, and elidedText() at exactly that width drops the last
    // letters (seen with bold DejaVu Sans: "ou_demo_s…").
    const int nameW = qMin(nfm.horizontalAdvance(name) + 1, avail * 3 / 5);
    p->setFont(nameFont);
    p->setPen(text);
    p->drawText(QRect(x, r.top(), nameW, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                nfm.elidedText(name, Qt::ElideRight, nameW));
    const int chatX = x + nameW + kPad;
    p->setFont(small);
    p->setPen(dim);
    p->drawText(QRect(chatX, r.top(), qMax(0, nameRight - chatX), fm.height()),
                Qt::AlignLeft | Qt::AlignVCenter,
                sfm.elidedText(chat, Qt::ElideRight, qMax(0, nameRight - chatX)));

    // Line 2, right: the mode badge in a fixed-width column, the unread count left of it.
    const QString modes[] = {ConversationText::modeName(SessionMode::Auto),
                             ConversationText::modeName(SessionMode::Review),
                             ConversationText::modeName(SessionMode::Manual)};
    int modeW = 0;
    for (const QString &m : modes)
        modeW = qMax(modeW, sfm.horizontalAdvance(m));
    modeW += sfm.height() / 2 + 4;
    QColor modeFill = modeColour(s.mode);
    modeFill.setAlphaF(selected ? 0.9f : 0.18f);
    const QColor modeText = selected ? pal.color(QPalette::HighlightedText) : modeColour(s.mode).darker(130);
    int left =
        drawBadge(p, small, r.right(), line2, ConversationText::modeName(s.mode), modeFill, modeText, modeW);
    const int unreadColW = sfm.horizontalAdvance(QStringLiteral("99+")) + sfm.height() / 2 + 4;
    const int unreadRight = left - kPad;
    if (s.unread > 0) {
        const QString n = s.unread > 99 ? QStringLiteral("99+") : QString::number(s.unread);
        drawBadge(p, small, unreadRight, line2, n, colours.unread, Qt::white, sfm.height());
    }
    left = unreadRight - unreadColW;

    // Line 2, left: the preview, one line.
    QString preview = s.lastPreview;
    preview.replace(QLatin1Char('\n'), QLatin1Char(' '));
    if (s.lastRole != TurnRole::Customer && !preview.isEmpty())
        preview = ConversationText::roleName(s.lastRole) + QStringLiteral(": ") + preview;
    p->setFont(option.font);
    p->setPen(dim);
    const int previewW = qMax(0, left - kPad - x);
    p->drawText(QRect(x, r.top() + fm.height() + kPad, previewW, fm.height()),
                Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(preview, Qt::ElideRight, previewW));
    p->restore();
}
