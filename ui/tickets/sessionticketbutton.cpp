#include "sessionticketbutton.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "desk/ticketdesk.h"
#include "tickettext.h"

SessionTicketButton::SessionTicketButton(TicketDesk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
{
    setObjectName(QStringLiteral("sessionTicket"));
    m_button = new QPushButton(this);
    m_button->setObjectName(QStringLiteral("sessionTicketButton"));
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("sessionTicketMessage"));
    m_message->setAccessibleName(tr("Ticket message"));
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_message->hide();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_button);
    layout->addWidget(m_message);
    connect(m_button, &QPushButton::clicked, this, &SessionTicketButton::trigger);
    connect(m_desk, &TicketDesk::ticketChanged, this, &SessionTicketButton::refresh);
    setSession(0);
}

SessionTicketButton::~SessionTicketButton() = default;

void SessionTicketButton::setSession(qint64 sessionId)
{
    m_sessionId = sessionId;
    m_message->hide();
    refresh();
}

void SessionTicketButton::refresh()
{
    setVisible(m_sessionId > 0);
    m_ticketId = 0;
    if (m_sessionId <= 0)
        return;
    const auto v = m_desk->ticketForSession(m_sessionId);
    if (v && !TicketStatus::isFinal(v->ticket.status)) {
        m_ticketId = v->ticket.id;
        m_button->setText(
            tr("Open ticket %1 (%2)").arg(v->ticket.number, TicketText::status(v->ticket.status)));
        m_button->setAccessibleName(tr("Open ticket"));
        m_button->setToolTip(tr("Show this conversation's ticket in Tickets"));
    } else {
        m_button->setText(tr("Create ticket"));
        m_button->setAccessibleName(tr("Create ticket"));
        m_button->setToolTip(tr("Make a ticket for this conversation, filled in from its analysis"));
    }
}

bool SessionTicketButton::trigger()
{
    if (m_sessionId <= 0)
        return false;
    const DeskResult r = m_desk->createFromSession(m_sessionId); // the open one when there is one
    if (!r.ok) {
        m_message->setText(r.error);
        m_message->show();
        return false;
    }
    m_message->hide();
    refresh();
    emit openTicketRequested(r.id);
    return true;
}
