#pragma once

#include <QTimer>
#include <QWidget>

#include "desk/desktypes.h"

class Composer;
class ConversationFilterProxy;
class ConversationListModel;
class DraftBanner;
class OperatorDesk;
class PromoteDialog;
class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QSplitter;
class QStackedWidget;
class SidePanel;
class ThreadModel;
class ThreadView;

// The Conversations page: the list (search and filters above it) | the thread, the draft
// banner and the composer | the side panel. The shell hosts it and binds its shortcuts; the
// page's actions (actions()) carry Ctrl-based shortcuts that work while the page has focus.
class ConversationsPage final : public QWidget
{
    Q_OBJECT
public:
    explicit ConversationsPage(OperatorDesk *desk, QWidget *parent = nullptr);
    ~ConversationsPage() override;
    Q_DISABLE_COPY_MOVE(ConversationsPage)

    qint64 currentSessionId() const { return m_sessionId; }

    ConversationListModel *listModel() const { return m_model; }
    ConversationFilterProxy *proxy() const { return m_proxy; }
    ThreadModel *threadModel() const { return m_thread; }
    QListView *listView() const { return m_list; }
    ThreadView *threadView() const { return m_threadView; }
    Composer *composer() const { return m_composer; }
    DraftBanner *draftBanner() const { return m_banner; }
    SidePanel *sidePanel() const { return m_side; }
    QLineEdit *searchEdit() const { return m_search; }

    QAction *nextAttentionAction() const { return m_nextAttentionAction; }
    QAction *takeOverAction() const { return m_takeOverAction; }
    QAction *approveAction() const { return m_approveAction; }
    QAction *searchAction() const { return m_searchAction; }
    QAction *composerAction() const { return m_composerAction; }

public slots:
    // Selects the session (clearing filters that hide it) and shows it.
    void openSession(qint64 sessionId);
    // The next conversation in the list (after the current one, wrapping) that needs a person.
    void selectNextNeedingAttention();
    void takeOverOrHandBack();
    void approveDraft();
    void focusSearch();
    void focusComposer();
    // Opens the knowledge form prefilled from the reply `turnId` (a new entry, or a new version
    // of one of `cited`); the dialog deletes itself when closed.
    PromoteDialog *promoteTurn(qint64 turnId, const QList<CitedEntry> &cited);

signals:
    // The session shown changed (0 = none).
    void currentSessionChanged(qint64 sessionId);

private:
    void buildList();
    void buildMiddle();
    void applySearch();
    void onCurrentRowChanged();
    void showSession(qint64 sessionId);
    void refreshHeader();                           // reads the session again (it changed)
    void showHeader(const SessionSummary &session); // title and mode line
    void updateListState();
    void showNotice(const QString &message);
    void reloadChats();

    OperatorDesk *m_desk = nullptr;
    ConversationListModel *m_model = nullptr;
    ConversationFilterProxy *m_proxy = nullptr;
    ThreadModel *m_thread = nullptr;
    qint64 m_sessionId = 0;

    QSplitter *m_splitter = nullptr;
    QLineEdit *m_search = nullptr;
    QCheckBox *m_attention = nullptr;
    QComboBox *m_modeFilter = nullptr;
    QComboBox *m_chatFilter = nullptr;
    QStackedWidget *m_listStack = nullptr;
    QListView *m_list = nullptr;
    QLabel *m_listEmpty = nullptr;
    QStackedWidget *m_middleStack = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_subtitle = nullptr;
    ThreadView *m_threadView = nullptr;
    DraftBanner *m_banner = nullptr;
    Composer *m_composer = nullptr;
    QLabel *m_notice = nullptr;
    SidePanel *m_side = nullptr;
    QTimer m_searchDebounce;
    QTimer m_tick; // repaints the "time since" texts
    QTimer m_noticeTimer;

    QAction *m_nextAttentionAction = nullptr;
    QAction *m_takeOverAction = nullptr;
    QAction *m_approveAction = nullptr;
    QAction *m_searchAction = nullptr;
    QAction *m_composerAction = nullptr;
};
