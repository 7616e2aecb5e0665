#pragma once

#include <QWidget>

class ConflictView;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTableView;
class TicketDesk;
class TicketDetail;
class TicketFilterProxy;
class TicketListModel;

// The Tickets page: filters (text, status, assignee, category) and "Sync now" with its progress
// above the list | the selected ticket (TicketDetail), or its conflict side by side
// (ConflictView). Talks to core only through TicketDesk.
class TicketsPage final : public QWidget
{
    Q_OBJECT
public:
    explicit TicketsPage(TicketDesk *desk, QWidget *parent = nullptr);
    ~TicketsPage() override;
    Q_DISABLE_COPY_MOVE(TicketsPage)

    TicketListModel *model() const { return m_model; }
    TicketFilterProxy *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    QLineEdit *searchEdit() const { return m_search; }
    QComboBox *statusFilter() const { return m_statusFilter; }
    QComboBox *assigneeFilter() const { return m_assigneeFilter; }
    QComboBox *categoryFilter() const { return m_categoryFilter; }
    QPushButton *syncButton() const { return m_syncButton; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *syncMessage() const { return m_syncMessage; }
    QLabel *emptyLabel() const { return m_empty; }
    TicketDetail *detail() const { return m_detail; }
    ConflictView *conflictView() const { return m_conflictView; }
    bool isShowingConflict() const;
    bool isShowingEmptyState() const;
    qint64 currentTicketId() const;

public slots:
    // Selects the ticket (clearing filters that hide it) and shows it.
    void openTicket(qint64 ticketId);
    void showConflict(qint64 ticketId);
    void syncNow();
    void focusSearch();

signals:
    void openSessionRequested(qint64 sessionId);
    void knowledgeEntryPromoted(const QString &entryId);

private:
    void reloadFilterChoices();
    void applyFilters();
    void onCurrentChanged();
    void updateEmptyState();
    void updateSyncAvailability();

    TicketDesk *m_desk = nullptr;
    bool m_restoringSelection = false;
    TicketListModel *m_model = nullptr;
    TicketFilterProxy *m_proxy = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_statusFilter = nullptr;
    QComboBox *m_assigneeFilter = nullptr;
    QComboBox *m_categoryFilter = nullptr;
    QPushButton *m_syncButton = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_syncMessage = nullptr;
    QStackedWidget *m_listStack = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_empty = nullptr;
    QStackedWidget *m_rightStack = nullptr;
    QLabel *m_noSelection = nullptr;
    TicketDetail *m_detail = nullptr;
    ConflictView *m_conflictView = nullptr;
};
