#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class TicketDesk;

// Beside a conversation: "Create ticket" (one click, prefilled from the conversation's analysis)
// or, when the conversation has an open ticket, "Open ticket TK-…". Either way it asks to show
// the ticket (openTicketRequested). Hidden without a conversation.
class SessionTicketButton final : public QWidget
{
    Q_OBJECT
public:
    explicit SessionTicketButton(TicketDesk *desk, QWidget *parent = nullptr);
    ~SessionTicketButton() override;
    Q_DISABLE_COPY_MOVE(SessionTicketButton)

    qint64 sessionId() const { return m_sessionId; }
    qint64 openTicketId() const { return m_ticketId; } // 0: none open for this conversation
    QPushButton *button() const { return m_button; }
    QLabel *message() const { return m_message; }

public slots:
    void setSession(qint64 sessionId);
    void refresh();
    // Creates the ticket or finds the open one, then asks to show it. False when it could not.
    bool trigger();

signals:
    void openTicketRequested(qint64 ticketId);

private:
    TicketDesk *m_desk = nullptr;
    qint64 m_sessionId = 0;
    qint64 m_ticketId = 0;
    QPushButton *m_button = nullptr;
    QLabel *m_message = nullptr;
};
