#include "statuspanel.h"

#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>

#include "connectionlook.h"
#include "health/healthtext.h"

namespace {

// A label whose text is readable by screen readers and automation: a QLabel with an accessible
// name hides its text over AT-SPI, so the text goes into the description as well.
void setLabelText(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setAccessibleDescription(text);
}

} // namespace

StatusPanel::StatusPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("statusPanel"));
    m_dot = new QLabel(this);
    m_dot->setObjectName(QStringLiteral("connectionDotLabel"));
    m_dot->setFixedSize(12, 12);
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("connectionStateLabel"));
    m_attention = new QLabel(this);
    m_attention->setObjectName(QStringLiteral("attentionCountLabel"));
    m_attention->setCursor(Qt::PointingHandCursor);
    m_attention->installEventFilter(this);
    m_drafts = new QLabel(this);
    m_drafts->setObjectName(QStringLiteral("draftCountLabel"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 0, 6, 0);
    layout->setSpacing(6);
    layout->addWidget(m_dot, 0, Qt::AlignVCenter);
    layout->addWidget(m_state);
    layout->addSpacing(14);
    layout->addWidget(m_attention);
    layout->addSpacing(10);
    layout->addWidget(m_drafts);
    layout->addStretch(1); // the counts stay next to the state, not spread over the bar
    refresh();
}

StatusPanel::~StatusPanel() = default;

void StatusPanel::setHealth(const ConnectionHealth &health)
{
    m_health = health;
    refresh();
}

void StatusPanel::setCounts(int needsAttention, int draftsPending)
{
    m_needsAttention = needsAttention;
    m_draftsPending = draftsPending;
    refresh();
}

QString StatusPanel::connectionText() const
{
    return m_state->text();
}

QColor StatusPanel::connectionColor() const
{
    return ConnectionLook::color(ConnectionLook::tone(m_health.state));
}

QString StatusPanel::attentionText() const
{
    return m_attention->text();
}

QString StatusPanel::draftsText() const
{
    return m_drafts->text();
}

void StatusPanel::refresh()
{
    const QColor color = connectionColor();
    m_dot->setStyleSheet(QStringLiteral("background: %1; border-radius: 6px;").arg(color.name()));
    QString state = ConnectionLook::word(m_health.state);
    if (m_health.paused)
        state = tr("%1 · bot paused").arg(state);
    setLabelText(m_state, state);
    m_state->setAccessibleName(tr("Connection state"));
    const QString tip = HealthText::tooltip(m_health, QDateTime::currentMSecsSinceEpoch());
    m_state->setToolTip(tip);
    m_dot->setToolTip(tip);

    setLabelText(m_attention, tr("Needs a person: %1").arg(m_needsAttention));
    m_attention->setAccessibleName(tr("Conversations that need a person"));
    m_attention->setToolTip(tr("Click to open the next conversation that needs a person"));
    QFont bold = m_attention->font();
    bold.setBold(m_needsAttention > 0);
    m_attention->setFont(bold);
    setLabelText(m_drafts, tr("Drafts waiting: %1").arg(m_draftsPending));
    m_drafts->setAccessibleName(tr("Drafts waiting for review"));
}

bool StatusPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_attention && event->type() == QEvent::MouseButtonRelease &&
        static_cast<QMouseEvent *>(event)->button() == Qt::LeftButton) {
        emit attentionClicked();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void StatusPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        refresh();
    QWidget::changeEvent(event);
}
