#include "ticketdetail.h"

#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QFrame>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include "conversations/conversationtext.h"
#include "desk/ticketdesk.h"
#include "knowledge/knowledgeentry.h"
#include "tickettext.h"

namespace {

QLabel *valueLabel(const QString &objectName, const QString &accessibleName, QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setObjectName(objectName);
    l->setAccessibleName(accessibleName);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return l;
}

QString orDash(const QString &s)
{
    return s.isEmpty() ? QStringLiteral("–") : s;
}

QString when(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                  : QString();
}

} // namespace

TicketDetail::TicketDetail(TicketDesk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
{
    setObjectName(QStringLiteral("ticketDetail"));
    m_heading = new QLabel(this);
    m_heading->setObjectName(QStringLiteral("ticketHeading"));
    m_heading->setAccessibleName(tr("Ticket title"));
    m_heading->setWordWrap(true);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont hf = m_heading->font();
    hf.setBold(true);
    hf.setPointSizeF(hf.pointSizeF() * 1.2);
    m_heading->setFont(hf);

    // The sync line, with the conflict's way out beside it.
    m_sync = valueLabel(QStringLiteral("ticketSyncLabel"), tr("Sync state"), this);
    m_conflict = new QPushButton(tr("Resolve conflict…"), this);
    m_conflict->setObjectName(QStringLiteral("resolveConflictButton"));
    m_conflict->setAccessibleName(tr("Resolve conflict"));
    auto *syncRow = new QHBoxLayout;
    syncRow->addWidget(m_sync, 1);
    syncRow->addWidget(m_conflict);

    // What the operator changes.
    auto *work = new QGroupBox(tr("Handling"), this);
    m_status = new QComboBox(work);
    m_status->setObjectName(QStringLiteral("ticketStatusCombo"));
    m_status->setAccessibleName(tr("Ticket status"));
    for (const QString &code : TicketStatus::codes())
        m_status->addItem(TicketText::status(code), code);
    m_assignee = new QLineEdit(work);
    m_assignee->setObjectName(QStringLiteral("ticketAssigneeEdit"));
    m_assignee->setAccessibleName(tr("Assignee"));
    m_assignee->setPlaceholderText(tr("Who handles it (Enter saves)"));
    m_resolution = new QPlainTextEdit(work);
    m_resolution->setObjectName(QStringLiteral("ticketResolutionEdit"));
    m_resolution->setAccessibleName(tr("Resolution"));
    m_resolution->setPlaceholderText(tr("How the problem was solved"));
    m_resolution->setTabChangesFocus(true);
    m_resolution->setFixedHeight(m_resolution->fontMetrics().lineSpacing() * 4 + 12);
    m_resolve = new QPushButton(tr("Resolve"), work);
    m_resolve->setObjectName(QStringLiteral("resolveTicketButton"));
    m_resolve->setAccessibleName(tr("Resolve the ticket"));
    auto *workForm = new QFormLayout(work);
    workForm->setRowWrapPolicy(QFormLayout::WrapLongRows);
    workForm->addRow(tr("Status"), m_status);
    workForm->addRow(tr("Assignee"), m_assignee);
    workForm->addRow(tr("Resolution"), m_resolution);
    workForm->addRow(QString(), m_resolve);

    // The offer after resolving.
    m_offer = new QFrame(this);
    m_offer->setObjectName(QStringLiteral("promoteOffer"));
    m_offer->setFrameShape(QFrame::StyledPanel);
    m_offerText = new QLabel(m_offer);
    m_offerText->setWordWrap(true);
    m_promote = new QPushButton(m_offer);
    m_promote->setObjectName(QStringLiteral("promoteButton"));
    auto *dismiss = new QPushButton(tr("Not now"), m_offer);
    dismiss->setObjectName(QStringLiteral("dismissPromoteButton"));
    dismiss->setAccessibleName(tr("Do not make a knowledge entry"));
    auto *ol = new QVBoxLayout(m_offer);
    ol->addWidget(m_offerText);
    auto *ob = new QHBoxLayout;
    ob->addStretch(1);
    ob->addWidget(dismiss);
    ob->addWidget(m_promote);
    ol->addLayout(ob);
    m_offer->hide();

    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("ticketNotice"));
    m_notice->setAccessibleName(tr("Ticket message"));
    m_notice->setWordWrap(true);
    m_notice->hide();

    // What the ticket says.
    auto *facts = new QGroupBox(tr("Ticket"), this);
    m_number = valueLabel(QStringLiteral("ticketNumberLabel"), tr("Number"), facts);
    m_customer = valueLabel(QStringLiteral("ticketCustomerLabel"), tr("Customer"), facts);
    m_vehicle = valueLabel(QStringLiteral("ticketVehicleLabel"), tr("Vehicle"), facts);
    m_category = valueLabel(QStringLiteral("ticketCategoryLabel"), tr("Category"), facts);
    m_urgency = valueLabel(QStringLiteral("ticketUrgencyLabel"), tr("Urgency"), facts);
    m_times = valueLabel(QStringLiteral("ticketTimesLabel"), tr("Created and updated"), facts);
    m_summary = valueLabel(QStringLiteral("ticketSummaryLabel"), tr("Description"), facts);
    m_knowledge = valueLabel(QStringLiteral("ticketKnowledgeLabel"), tr("Knowledge entry"), facts);
    auto *factForm = new QFormLayout(facts);
    factForm->setRowWrapPolicy(QFormLayout::WrapLongRows);
    factForm->addRow(tr("Number"), m_number);
    factForm->addRow(tr("Customer"), m_customer);
    factForm->addRow(tr("Vehicle"), m_vehicle);
    factForm->addRow(tr("Category"), m_category);
    factForm->addRow(tr("Urgency"), m_urgency);
    factForm->addRow(tr("Created / updated"), m_times);
    factForm->addRow(tr("Description"), m_summary);
    factForm->addRow(tr("Knowledge"), m_knowledge);

    auto *links = new QGroupBox(tr("Linked conversations"), this);
    m_conversations = new QListWidget(links);
    m_conversations->setObjectName(QStringLiteral("ticketConversationList"));
    m_conversations->setAccessibleName(tr("Linked conversations"));
    m_conversations->setToolTip(tr("Double-click or press Enter to open it in Conversations"));
    m_conversations->setMaximumHeight(m_conversations->fontMetrics().lineSpacing() * 4 + 12);
    m_openConversation = new QPushButton(tr("Open conversation"), links);
    m_openConversation->setObjectName(QStringLiteral("openConversationButton"));
    m_openConversation->setAccessibleName(tr("Open conversation"));
    auto *cl = new QVBoxLayout(links);
    cl->addWidget(m_conversations);
    cl->addWidget(m_openConversation, 0, Qt::AlignRight);

    auto *content = new QWidget(this);
    auto *cv = new QVBoxLayout(content);
    cv->setContentsMargins(0, 0, 0, 0);
    cv->addWidget(m_heading);
    cv->addLayout(syncRow);
    cv->addWidget(m_notice);
    cv->addWidget(m_offer);
    cv->addWidget(work);
    cv->addWidget(links);
    cv->addWidget(facts);
    cv->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(content);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);

    connect(m_status, &QComboBox::currentIndexChanged, this, &TicketDetail::onStatusChosen);
    connect(m_assignee, &QLineEdit::editingFinished, this, [this] {
        const auto v = m_desk->ticket(m_ticketId);
        if (!v || m_updating || m_assignee->text().trimmed() == v->ticket.assignee)
            return;
        const DeskResult r = m_desk->setAssignee(m_ticketId, m_assignee->text());
        showNotice(r.ok ? tr("Assignee saved.") : r.error, !r.ok);
    });
    connect(m_resolve, &QPushButton::clicked, this, &TicketDetail::resolveTicket);
    connect(m_conflict, &QPushButton::clicked, this, [this] { emit conflictRequested(m_ticketId); });
    connect(m_conversations, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        emit openSessionRequested(item->data(Qt::UserRole).toLongLong());
    });
    connect(m_openConversation, &QPushButton::clicked, this, [this] {
        QListWidgetItem *item = m_conversations->currentItem();
        if (!item && m_conversations->count() > 0)
            item = m_conversations->item(m_conversations->count() - 1); // the newest link
        if (item)
            emit openSessionRequested(item->data(Qt::UserRole).toLongLong());
    });
    connect(m_promote, &QPushButton::clicked, this, &TicketDetail::promote);
    connect(dismiss, &QPushButton::clicked, m_offer, &QWidget::hide);
    connect(m_desk, &TicketDesk::ticketChanged, this, [this](qint64 id) {
        if (id == m_ticketId)
            refresh();
    });
    connect(m_desk, &TicketDesk::syncFinished, this, &TicketDetail::refresh);
}

TicketDetail::~TicketDetail() = default;

void TicketDetail::setTicket(qint64 ticketId)
{
    if (ticketId != m_ticketId) {
        m_offer->hide();
        m_notice->hide();
    }
    m_ticketId = ticketId;
    refresh();
}

void TicketDetail::refresh()
{
    const auto v = m_desk->ticket(m_ticketId);
    setEnabled(bool(v));
    if (!v) {
        m_heading->setText(tr("This ticket no longer exists."));
        return;
    }
    const Ticket &t = v->ticket;
    m_updating = true;
    m_heading->setText(t.title.isEmpty() ? t.number : t.title);
    m_number->setText(t.recordId.isEmpty() ? t.number
                                           : tr("%1 (Bitable record %2)").arg(t.number, t.recordId));
    QString customer = t.customerName.isEmpty() ? t.customerOpenId : t.customerName;
    if (!t.chatId.isEmpty())
        customer = tr("%1 in %2").arg(orDash(customer), t.chatId);
    m_customer->setText(orDash(customer));
    QStringList vehicle;
    for (const QString &part : {t.vin, t.plate, t.vehicleModel}) {
        if (!part.isEmpty())
            vehicle << part;
    }
    m_vehicle->setText(orDash(vehicle.join(QStringLiteral(" · "))));
    m_category->setText(orDash(t.category));
    const QString urgency = TicketUrgency::label(t.urgency);
    m_urgency->setText(orDash(urgency.isEmpty() ? t.urgency : urgency));
    m_times->setText(tr("%1 / %2").arg(orDash(when(t.createdAt)), orDash(when(t.updatedAt))));
    m_summary->setText(orDash(t.summary));
    m_knowledge->setText(orDash(t.knowledgeId));
    m_status->setCurrentIndex(qMax(0, m_status->findData(t.status)));
    if (!m_assignee->hasFocus())
        m_assignee->setText(t.assignee);
    if (!m_resolution->hasFocus() && m_resolution->toPlainText().trimmed() != t.resolution)
        m_resolution->setPlainText(t.resolution);
    m_sync->setText(tr("Sync: %1").arg(TicketText::syncLine(v->syncState, v->why)));
    m_sync->setStyleSheet(QStringLiteral("color: %1;").arg(TicketText::syncColour(v->syncState).name()));
    m_conflict->setVisible(v->syncState == TicketSyncState::Conflict);

    m_conversations->clear();
    for (const TicketStore::SessionLink &link : m_desk->conversations(t.id)) {
        // Who and where, in the Conversations list's words: the name (or the open_id) and the
        // chat (or a direct chat).
        SessionSummary s;
        s.id = link.sessionId;
        s.openId = link.openId;
        s.userName = link.userName;
        s.chatId = link.chatId;
        s.chatType = link.chatType;
        s.chatName = link.chatName;
        QString who = ConversationText::customerName(s);
        if (who.isEmpty())
            who = tr("Conversation %1").arg(link.sessionId);
        const QString where = ConversationText::chatLabel(s);
        auto *item =
            new QListWidgetItem(where.isEmpty() ? who : tr("%1 · %2").arg(who, where), m_conversations);
        item->setData(Qt::UserRole, link.sessionId);
        item->setToolTip(tr("Conversation %1: %2 (%3)").arg(link.sessionId).arg(link.openId, link.chatId));
    }
    if (t.sessionIds.isEmpty()) {
        auto *item = new QListWidgetItem(
            tr("No linked conversation (imported from Bitable or made by hand)."), m_conversations);
        item->setFlags(Qt::NoItemFlags);
    }
    m_openConversation->setEnabled(!t.sessionIds.isEmpty());
    m_updating = false;
}

void TicketDetail::onStatusChosen()
{
    if (m_updating || m_ticketId == 0)
        return;
    const QString code = m_status->currentData().toString();
    const auto v = m_desk->ticket(m_ticketId);
    if (!v || v->ticket.status == code)
        return;
    if (code == QLatin1String("resolved")) {
        if (!resolveTicket())
            refresh(); // back to the stored status
        return;
    }
    const DeskResult r = m_desk->setStatus(m_ticketId, code);
    if (!r.ok) {
        showNotice(r.error, true);
        refresh();
        return;
    }
    showNotice(tr("Status set to %1.").arg(TicketText::status(code)), false);
}

bool TicketDetail::resolveTicket()
{
    const DeskResult r = m_desk->resolve(m_ticketId, m_resolution->toPlainText());
    if (!r.ok) {
        showNotice(r.error, true);
        m_resolution->setFocus();
        return false;
    }
    showNotice(tr("Resolved."), false);
    showOffer();
    return true;
}

void TicketDetail::showOffer()
{
    const auto v = m_desk->ticket(m_ticketId);
    if (!v)
        return;
    const bool update = !v->ticket.knowledgeId.isEmpty();
    m_offerText->setText(update
                             ? tr("This ticket came from knowledge entry %1. Update that entry with this "
                                  "resolution, so the bot answers with it?")
                                   .arg(v->ticket.knowledgeId)
                             : tr("Turn this ticket into a knowledge entry, so the bot can answer the next "
                                  "customer with the same problem?"));
    m_promote->setText(update ? tr("Update knowledge entry") : tr("Create knowledge entry"));
    m_promote->setAccessibleName(m_promote->text());
    m_offer->show();
}

bool TicketDetail::promote()
{
    const KnowledgeEntry draft = m_desk->knowledgeDraft(m_ticketId);
    const DeskResult r = m_desk->promoteToKnowledge(m_ticketId, draft);
    if (!r.ok) {
        showNotice(r.error, true);
        return false;
    }
    m_offer->hide();
    showNotice(tr("Knowledge entry %1 saved. It can be edited in Knowledge.").arg(r.entryId), false);
    emit knowledgeEntryPromoted(r.entryId);
    return true;
}

void TicketDetail::showNotice(const QString &text, bool error)
{
    m_notice->setText(text);
    m_notice->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
    m_notice->show();
}
