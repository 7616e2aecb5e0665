#pragma once

#include <QWidget>

class QComboBox;
class QFormLayout;
class QFrame;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class TicketDesk;

// One ticket: its fields, its sync state, the linked conversations (activating one asks to open
// it in the Conversations page), and the operator's edits through TicketDesk: status, assignee,
// resolve with a resolution. Resolving offers to turn the ticket into a knowledge entry (or to
// update the entry it came from). A ticket in conflict offers the side-by-side view.
class TicketDetail final : public QWidget
{
    Q_OBJECT
public:
    explicit TicketDetail(TicketDesk *desk, QWidget *parent = nullptr);
    ~TicketDetail() override;
    Q_DISABLE_COPY_MOVE(TicketDetail)

    qint64 ticketId() const { return m_ticketId; }
    void setTicket(qint64 ticketId);

    QComboBox *statusCombo() const { return m_status; }
    QLineEdit *assigneeEdit() const { return m_assignee; }
    QPlainTextEdit *resolutionEdit() const { return m_resolution; }
    QPushButton *resolveButton() const { return m_resolve; }
    QLabel *syncLabel() const { return m_sync; }
    QPushButton *conflictButton() const { return m_conflict; }
    QListWidget *conversationList() const { return m_conversations; }
    QPushButton *openConversationButton() const { return m_openConversation; }
    QFrame *promoteOffer() const { return m_offer; }
    QPushButton *promoteButton() const { return m_promote; }
    QLabel *notice() const { return m_notice; }

public slots:
    void refresh();
    // Resolves with the resolution box's text (the status box's "Resolved" does the same).
    bool resolveTicket();
    bool promote();

signals:
    void openSessionRequested(qint64 sessionId);
    void conflictRequested(qint64 ticketId);
    void knowledgeEntryPromoted(const QString &entryId);

private:
    void onStatusChosen();
    void showNotice(const QString &text, bool error);
    void showOffer();

    TicketDesk *m_desk = nullptr;
    qint64 m_ticketId = 0;
    bool m_updating = false;
    QLabel *m_heading = nullptr;
    QLabel *m_number = nullptr;
    QLabel *m_customer = nullptr;
    QLabel *m_vehicle = nullptr;
    QLabel *m_category = nullptr;
    QLabel *m_urgency = nullptr;
    QLabel *m_times = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_knowledge = nullptr;
    QComboBox *m_status = nullptr;
    QLineEdit *m_assignee = nullptr;
    QPlainTextEdit *m_resolution = nullptr;
    QPushButton *m_resolve = nullptr;
    QLabel *m_sync = nullptr;
    QPushButton *m_conflict = nullptr;
    QListWidget *m_conversations = nullptr;
    QPushButton *m_openConversation = nullptr;
    QFrame *m_offer = nullptr;
    QLabel *m_offerText = nullptr;
    QPushButton *m_promote = nullptr;
    QLabel *m_notice = nullptr;
};
