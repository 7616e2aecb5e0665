#include "composer.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "conversationtext.h"
#include "desk/operatordesk.h"
#include "knowledgedialogs.h"

namespace {

void fillModes(QComboBox *box)
{
    for (SessionMode m : {SessionMode::Auto, SessionMode::Review, SessionMode::Manual})
        box->addItem(ConversationText::modeName(m), int(m));
}

} // namespace

ReplyEdit::ReplyEdit(QWidget *parent)
    : QPlainTextEdit(parent)
{}

ReplyEdit::~ReplyEdit() = default;

void ReplyEdit::keyPressEvent(QKeyEvent *event)
{
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) &&
        (event->modifiers() & Qt::ControlModifier)) {
        emit sendRequested();
        event->accept();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

Composer::Composer(OperatorDesk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
{
    setObjectName(QStringLiteral("composer"));

    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("sessionStateLabel"));
    m_state->setAccessibleName(tr("Conversation state"));
    m_state->setWordWrap(true);
    m_takeOver = new QPushButton(tr("Take over"), this);
    m_takeOver->setObjectName(QStringLiteral("takeOverButton"));
    m_takeOver->setAccessibleName(tr("Take over"));
    m_takeOver->setToolTip(
        tr("Handle this conversation yourself; the bot stops answering it (Ctrl+Shift+T)"));
    m_handBack = new QPushButton(tr("Hand back"), this);
    m_handBack->setObjectName(QStringLiteral("handBackButton"));
    m_handBack->setAccessibleName(tr("Hand back"));
    m_handBack->setToolTip(tr("Let the bot answer this conversation again (Ctrl+Shift+T)"));
    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("modeCombo"));
    m_mode->setAccessibleName(tr("Mode"));
    m_mode->setToolTip(
        tr("How this conversation is handled: the bot answers (Auto), drafts for you (Review), "
           "or stays quiet (Manual)"));
    fillModes(m_mode);
    auto *defaultLabel = new QLabel(tr("New conversations:"), this);
    m_defaultMode = new QComboBox(this);
    m_defaultMode->setObjectName(QStringLiteral("defaultModeCombo"));
    m_defaultMode->setAccessibleName(tr("Default mode for new conversations"));
    fillModes(m_defaultMode);
    defaultLabel->setBuddy(m_defaultMode);

    m_edit = new ReplyEdit(this);
    m_edit->setObjectName(QStringLiteral("replyEdit"));
    m_edit->setAccessibleName(tr("Reply"));
    m_edit->setTabChangesFocus(true);
    m_edit->setMinimumHeight(m_edit->fontMetrics().height() * 3 + 12);
    m_edit->setMaximumHeight(m_edit->fontMetrics().height() * 8 + 12);
    m_send = new QPushButton(tr("Send"), this);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setAccessibleName(tr("Send"));
    m_send->setToolTip(tr("Send the reply (Ctrl+Enter)"));
    m_knowledge = new QPushButton(tr("Knowledge…"), this);
    m_knowledge->setObjectName(QStringLiteral("knowledgeButton"));
    m_knowledge->setAccessibleName(tr("Insert from knowledge"));
    m_knowledge->setToolTip(tr("Search the knowledge base and insert a solution (Ctrl+K)"));
    m_knowledgeAction = new QAction(tr("Insert from knowledge"), this);
    m_knowledgeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_knowledgeAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_knowledgeAction);

    auto *modeLabel = new QLabel(tr("Mode:"), this);
    modeLabel->setBuddy(m_mode);
    auto *controls = new QHBoxLayout;
    controls->addWidget(m_takeOver);
    controls->addWidget(m_handBack);
    controls->addSpacing(8);
    controls->addWidget(modeLabel);
    controls->addWidget(m_mode);
    controls->addStretch(1);
    controls->addWidget(defaultLabel);
    controls->addWidget(m_defaultMode);
    auto *side = new QVBoxLayout;
    side->addWidget(m_send);
    side->addWidget(m_knowledge);
    side->addStretch();
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_edit, 1);
    bottom->addLayout(side);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_state);
    layout->addLayout(controls);
    layout->addLayout(bottom);

    connect(m_edit, &ReplyEdit::sendRequested, this, &Composer::send);
    connect(m_send, &QPushButton::clicked, this, &Composer::send);
    connect(m_takeOver, &QPushButton::clicked, this, &Composer::takeOver);
    connect(m_handBack, &QPushButton::clicked, this, &Composer::handBack);
    connect(m_knowledge, &QPushButton::clicked, this, &Composer::openKnowledgeSearch);
    connect(m_knowledgeAction, &QAction::triggered, this, &Composer::openKnowledgeSearch);
    // currentIndexChanged, not activated: a screen reader or AT-SPI selects an item without "activating" it.
    connect(m_mode, &QComboBox::currentIndexChanged, this, &Composer::onModeChosen);
    connect(m_defaultMode, &QComboBox::activated, this, &Composer::onDefaultModeChosen);
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        if (m_edit->toPlainText().isEmpty())
            m_editingDraft = 0; // cleared: back to a plain reply
        m_send->setEnabled(!m_edit->isReadOnly() && !m_edit->toPlainText().trimmed().isEmpty());
    });
    connect(desk, &OperatorDesk::defaultModeChanged, this, [this](SessionMode) { updateState(); });
    connect(desk, &OperatorDesk::draftDecided, this, [this](qint64, qint64 draftId, const QString &) {
        if (draftId == m_editingDraft && m_desk->draft(draftId) &&
            m_desk->draft(draftId)->state != QLatin1String("pending"))
            m_editingDraft = 0; // decided elsewhere: a Send is a plain reply now
    });
    updateState();
}

Composer::~Composer() = default;

void Composer::setSession(const std::optional<SessionSummary> &session)
{
    const bool other = (session ? session->id : 0) != sessionId();
    m_session = session;
    if (other) {
        m_edit->clear();
        m_editingDraft = 0;
    }
    updateState();
}

void Composer::updateState()
{
    m_updating = true;
    const SessionMode def = m_desk->defaultMode();
    m_defaultMode->setCurrentIndex(m_defaultMode->findData(int(def)));
    const bool has = m_session.has_value();
    m_takeOver->setEnabled(has);
    m_handBack->setEnabled(has);
    m_mode->setEnabled(has);
    QString state;
    if (!has) {
        state = tr("No conversation selected.");
        m_edit->setReadOnly(true);
        m_edit->setPlaceholderText(tr("Pick a conversation on the left to reply."));
    } else {
        const SessionMode mode = m_session->mode;
        m_mode->setCurrentIndex(m_mode->findData(int(mode)));
        m_takeOver->setVisible(mode != SessionMode::Manual);
        m_handBack->setVisible(mode != SessionMode::Auto);
        state = ConversationText::modeName(mode) + QStringLiteral(" — ") +
                ConversationText::modeDescription(mode);
        if (m_session->needsOperator)
            state += QLatin1Char(' ') + tr("Needs a person.");
        m_edit->setReadOnly(mode == SessionMode::Auto);
        m_edit->setPlaceholderText(
            mode == SessionMode::Auto
                ? tr("The bot is handling this conversation. Take over to reply yourself.")
                : tr("Write a reply; Ctrl+Enter sends it."));
    }
    m_state->setText(state);
    m_state->setAccessibleDescription(state);
    m_send->setEnabled(!m_edit->isReadOnly() && !m_edit->toPlainText().trimmed().isEmpty());
    m_knowledge->setEnabled(!m_edit->isReadOnly());
    m_knowledgeAction->setEnabled(!m_edit->isReadOnly());
    m_updating = false;
}

void Composer::send()
{
    const QString text = m_edit->toPlainText().trimmed();
    if (!m_session || m_edit->isReadOnly() || text.isEmpty())
        return;
    const DeskResult r = m_editingDraft > 0 ? m_desk->sendEditedDraft(m_editingDraft, text)
                                            : m_desk->sendReply(m_session->id, text);
    if (!r.ok) {
        emit actionFailed(r.error); // the text stays in the box
        return;
    }
    m_editingDraft = 0;
    m_edit->clear();
    emit sent(r.id);
}

void Composer::takeOver()
{
    if (!m_session)
        return;
    const DeskResult r = m_desk->takeOver(m_session->id);
    if (!r.ok) {
        emit actionFailed(r.error);
        return;
    }
    m_session = m_desk->session(m_session->id);
    updateState();
    m_edit->setFocus();
}

void Composer::handBack()
{
    if (!m_session)
        return;
    const DeskResult r = m_desk->handBack(m_session->id);
    if (!r.ok) {
        emit actionFailed(r.error);
        return;
    }
    m_session = m_desk->session(m_session->id);
    updateState();
}

void Composer::takeOverOrHandBack()
{
    if (!m_session)
        return;
    if (m_session->mode == SessionMode::Manual)
        handBack();
    else
        takeOver();
}

void Composer::onModeChosen(int index)
{
    if (m_updating || !m_session)
        return;
    const auto mode = SessionMode(m_mode->itemData(index).toInt());
    if (mode == m_session->mode)
        return;
    const DeskResult r = m_desk->setMode(m_session->id, mode);
    if (!r.ok)
        emit actionFailed(r.error);
    m_session = m_desk->session(m_session->id);
    updateState();
}

void Composer::onDefaultModeChosen(int index)
{
    if (m_updating)
        return;
    const DeskResult r = m_desk->setDefaultMode(SessionMode(m_defaultMode->itemData(index).toInt()));
    if (!r.ok)
        emit actionFailed(r.error);
    updateState();
}

void Composer::beginEditDraft(qint64 draftId, const QString &text)
{
    m_editingDraft = draftId;
    m_edit->setPlainText(text);
    m_editingDraft = draftId; // setPlainText went through textChanged
    m_edit->moveCursor(QTextCursor::End);
    m_edit->setFocus();
}

void Composer::openKnowledgeSearch()
{
    if (m_edit->isReadOnly())
        return;
    auto *dialog = new KnowledgeSearchDialog(m_desk, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &KnowledgeSearchDialog::solutionChosen, this, &Composer::insertText);
    const QString selected = m_edit->textCursor().selectedText();
    if (!selected.isEmpty())
        dialog->setQuery(selected);
    dialog->open();
}

void Composer::insertText(const QString &text)
{
    if (m_edit->isReadOnly())
        return;
    m_edit->insertPlainText(text);
    m_edit->setFocus();
}
