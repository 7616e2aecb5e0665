#include "draftbanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "conversationtext.h"
#include "desk/operatordesk.h"

DraftBanner::DraftBanner(OperatorDesk *desk, QWidget *parent)
    : QFrame(parent)
    , m_desk(desk)
{
    setObjectName(QStringLiteral("draftBanner"));
    setAccessibleName(tr("Draft"));
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(QStringLiteral(
        "#draftBanner { background: #fbf6e9; border: 1px solid #e3d3a6; border-radius: 4px; }"));

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("draftTitleLabel"));
    m_title->setWordWrap(true); // the hand-off note makes it long in a narrow thread pane
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("draftTextLabel"));
    m_text->setAccessibleName(tr("Draft text"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_sources = new QLabel(this);
    m_sources->setObjectName(QStringLiteral("draftSourcesLabel"));
    m_sources->setAccessibleName(tr("Draft sources"));
    m_sources->setWordWrap(true);
    m_warning = new QLabel(this);
    m_warning->setObjectName(QStringLiteral("draftWarningLabel"));
    m_warning->setAccessibleName(tr("Draft warning"));
    m_warning->setWordWrap(true);
    m_warning->setStyleSheet(QStringLiteral("color: #a5331f;"));
    m_warning->hide();

    m_approve = new QPushButton(tr("Approve"), this);
    m_approve->setObjectName(QStringLiteral("approveButton"));
    m_approve->setAccessibleName(tr("Approve"));
    m_approve->setToolTip(tr("Send the draft as it is (Ctrl+Shift+A)"));
    m_edit = new QPushButton(tr("Edit draft"), this);
    m_edit->setObjectName(QStringLiteral("editDraftButton"));
    m_edit->setAccessibleName(tr("Edit draft"));
    m_edit->setToolTip(tr("Put the draft into the reply box to change it before sending"));
    m_reject = new QPushButton(tr("Reject"), this);
    m_reject->setObjectName(QStringLiteral("rejectButton"));
    m_reject->setAccessibleName(tr("Reject"));
    m_reject->setToolTip(tr("Send nothing; the conversation stays with you"));
    m_reason = new QLineEdit(this);
    m_reason->setObjectName(QStringLiteral("rejectReasonEdit"));
    m_reason->setAccessibleName(tr("Reason for rejecting"));
    m_reason->setPlaceholderText(tr("Reason for rejecting (optional)"));
    m_reason->setClearButtonEnabled(true);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_approve);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_reject);
    buttons->addWidget(m_reason, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(4);
    layout->addWidget(m_title);
    layout->addWidget(m_text);
    layout->addWidget(m_sources);
    layout->addWidget(m_warning);
    layout->addLayout(buttons);

    connect(m_approve, &QPushButton::clicked, this, &DraftBanner::approve);
    connect(m_edit, &QPushButton::clicked, this, &DraftBanner::edit);
    connect(m_reject, &QPushButton::clicked, this, &DraftBanner::reject);
    connect(m_reason, &QLineEdit::returnPressed, this, &DraftBanner::reject);
    connect(desk, &OperatorDesk::draftStreaming, this, &DraftBanner::onStreaming);
    connect(desk, &OperatorDesk::draftCreated, this, [this](qint64 sessionId, qint64) {
        if (sessionId == m_sessionId)
            refresh();
    });
    connect(desk, &OperatorDesk::draftDecided, this, [this](qint64 sessionId, qint64, const QString &) {
        if (sessionId == m_sessionId)
            refresh();
    });
    connect(desk, &OperatorDesk::turnAdded, this, [this](qint64 sessionId, qint64) {
        if (sessionId == m_sessionId && m_draft.id > 0)
            refresh(); // the customer may have written again since the draft
    });
    hide();
}

DraftBanner::~DraftBanner() = default;

void DraftBanner::setSession(qint64 sessionId)
{
    if (sessionId != m_sessionId) {
        m_sessionId = sessionId;
        m_reason->clear();
        setConfirming(false);
    }
    refresh();
}

void DraftBanner::refresh()
{
    const std::optional<DraftView> d = m_sessionId > 0 ? m_desk->pendingDraft(m_sessionId) : std::nullopt;
    if (!d) {
        m_draft = {};
        setConfirming(false);
        hide();
        return;
    }
    if (d->id != m_draft.id)
        setConfirming(false);
    m_draft = *d;
    showDraft();
}

void DraftBanner::showDraft()
{
    m_title->setText(
        m_draft.coverage >= 0
            ? tr("Draft from the bot · covers %1% of the question").arg(qRound(m_draft.coverage * 100))
            : tr("Draft from the bot"));
    m_text->setText(m_draft.botText);
    m_text->setAccessibleDescription(m_draft.botText); // the name hides a label's text on AT-SPI
    const QString cited = ConversationText::citedList(m_draft.cited);
    m_sources->setText(cited.isEmpty() ? tr("No knowledge entry cited") : tr("Sources: %1").arg(cited));
    m_sources->setToolTip(cited.isEmpty()
                              ? QString()
                              : tr("Search scores (relative; the best entry may score above 1): %1")
                                    .arg(ConversationText::citedScores(m_draft.cited)));
    m_sources->setVisible(true);
    if (m_draft.escalate)
        m_title->setText(m_title->text() + QStringLiteral(" · ") + tr("the bot would hand this to a person"));
    for (QWidget *w : {static_cast<QWidget *>(m_approve), static_cast<QWidget *>(m_edit),
                       static_cast<QWidget *>(m_reject), static_cast<QWidget *>(m_reason)})
        w->setEnabled(true);
    if (m_draft.customerWroteSince && !m_confirming) {
        m_warning->setText(tr("The customer wrote again after this draft was made."));
        m_warning->show();
    } else if (!m_confirming) {
        m_warning->hide();
    }
    show();
}

void DraftBanner::onStreaming(qint64 sessionId, const QString &textSoFar)
{
    if (sessionId != m_sessionId || m_draft.id > 0)
        return;
    const std::optional<SessionSummary> s = m_desk->session(sessionId);
    if (!s || s->mode != SessionMode::Review)
        return; // an answer in auto mode: the thread shows it when it is sent
    m_title->setText(tr("The bot is writing a draft…"));
    m_text->setText(textSoFar);
    m_text->setAccessibleDescription(QString());
    m_sources->hide();
    m_warning->hide();
    for (QWidget *w : {static_cast<QWidget *>(m_approve), static_cast<QWidget *>(m_edit),
                       static_cast<QWidget *>(m_reject), static_cast<QWidget *>(m_reason)})
        w->setEnabled(false);
    show();
}

void DraftBanner::setConfirming(bool on)
{
    m_confirming = on;
    if (on) {
        m_warning->setText(tr("The customer wrote again after this draft was made. Approve anyway? "
                              "Press Approve again to send it."));
        m_warning->show();
        m_approve->setText(tr("Approve anyway"));
    } else {
        m_warning->hide();
        m_approve->setText(tr("Approve"));
    }
    m_warning->setAccessibleDescription(m_warning->isVisible() ? m_warning->text() : QString());
}

void DraftBanner::approve()
{
    if (m_draft.id <= 0)
        return;
    if (m_draft.customerWroteSince && !m_confirming) {
        setConfirming(true);
        return;
    }
    const DeskResult r = m_desk->approveDraft(m_draft.id, m_confirming);
    if (!r.ok) {
        refresh();
        if (m_draft.id > 0 && m_draft.customerWroteSince && !m_confirming)
            setConfirming(true);
        else
            emit actionFailed(r.error);
        return;
    }
    setConfirming(false);
    refresh();
}

void DraftBanner::edit()
{
    if (m_draft.id <= 0)
        return;
    emit editRequested(m_draft.id, m_draft.botText);
}

void DraftBanner::reject()
{
    if (m_draft.id <= 0)
        return;
    const DeskResult r = m_desk->rejectDraft(m_draft.id, m_reason->text().trimmed());
    if (!r.ok) {
        emit actionFailed(r.error);
        return;
    }
    m_reason->clear();
    refresh();
}
