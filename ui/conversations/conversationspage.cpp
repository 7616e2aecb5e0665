#include "conversationspage.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "composer.h"
#include "conversationdelegate.h"
#include "conversationfilterproxy.h"
#include "conversationlistmodel.h"
#include "conversationtext.h"
#include "desk/operatordesk.h"
#include "draftbanner.h"
#include "knowledge/promotedialog.h"
#include "knowledgedialogs.h"
#include "sidepanel.h"
#include "threadmodel.h"
#include "threadview.h"

namespace {

QLabel *emptyStateLabel(const QString &text, const QString &objectName, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    l->setObjectName(objectName);
    l->setAlignment(Qt::AlignCenter);
    l->setWordWrap(true);
    l->setAccessibleName(text);
    l->setStyleSheet(QStringLiteral("color: palette(mid); padding: 24px;"));
    return l;
}

QAction *pageAction(const QString &text, const QKeySequence &shortcut, QWidget *page)
{
    auto *a = new QAction(text, page);
    a->setShortcut(shortcut);
    a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    page->addAction(a);
    return a;
}

} // namespace

ConversationsPage::ConversationsPage(OperatorDesk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
    , m_model(new ConversationListModel(desk, this))
    , m_proxy(new ConversationFilterProxy(desk, this))
    , m_thread(new ThreadModel(desk, this))
{
    setObjectName(QStringLiteral("conversationsPage"));
    m_proxy->setSourceModel(m_model);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("conversationsSplitter"));
    m_splitter->setChildrenCollapsible(false);
    buildList();
    buildMiddle();
    m_side = new SidePanel(desk, m_splitter);
    m_side->setMinimumWidth(200);
    m_splitter->addWidget(m_side);
    m_side->hide(); // shown with a conversation
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 5);
    m_splitter->setStretchFactor(2, 2);
    m_splitter->setSizes({340, 620, 260});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);

    m_nextAttentionAction =
        pageAction(tr("Next conversation needing attention"), QKeySequence(Qt::CTRL | Qt::Key_J), this);
    m_takeOverAction =
        pageAction(tr("Take over / hand back"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T), this);
    m_approveAction = pageAction(tr("Approve draft"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A), this);
    m_searchAction = pageAction(tr("Search conversations"), QKeySequence(Qt::CTRL | Qt::Key_F), this);
    m_composerAction = pageAction(tr("Write a reply"), QKeySequence(Qt::CTRL | Qt::Key_R), this);
    connect(m_nextAttentionAction, &QAction::triggered, this, &ConversationsPage::selectNextNeedingAttention);
    connect(m_takeOverAction, &QAction::triggered, this, &ConversationsPage::takeOverOrHandBack);
    connect(m_approveAction, &QAction::triggered, this, &ConversationsPage::approveDraft);
    connect(m_searchAction, &QAction::triggered, this, &ConversationsPage::focusSearch);
    connect(m_composerAction, &QAction::triggered, this, &ConversationsPage::focusComposer);

    connect(desk, &OperatorDesk::sessionChanged, this, [this](qint64 id) {
        if (id == m_sessionId)
            refreshHeader();
    });
    connect(desk, &OperatorDesk::sessionAdded, this, [this] { reloadChats(); });
    connect(desk, &OperatorDesk::turnAdded, this, [this](qint64 sessionId, qint64) {
        if (sessionId == m_sessionId && isVisible())
            m_desk->markRead(sessionId); // the operator is looking at it
    });
    connect(m_side, &SidePanel::openSessionRequested, this, &ConversationsPage::openSession);
    connect(m_banner, &DraftBanner::editRequested, m_composer, &Composer::beginEditDraft);
    connect(m_banner, &DraftBanner::actionFailed, this, &ConversationsPage::showNotice);
    connect(m_composer, &Composer::actionFailed, this, &ConversationsPage::showNotice);
    connect(m_threadView, &ThreadView::citedEntryRequested, this,
            [this](const QString &id) { KnowledgeEntryDialog::open(m_desk, id, this); });
    connect(m_threadView, &ThreadView::promoteRequested, this, &ConversationsPage::promoteTurn);
    connect(m_threadView, &ThreadView::retryRequested, this, [this](qint64 turnId) {
        const DeskResult r = m_desk->retryDelivery(turnId);
        if (!r.ok)
            showNotice(r.error);
    });

    m_tick.setInterval(30000);
    connect(&m_tick, &QTimer::timeout, m_list->viewport(), qOverload<>(&QWidget::update));
    m_tick.start();
    m_noticeTimer.setSingleShot(true);
    m_noticeTimer.setInterval(10000);
    connect(&m_noticeTimer, &QTimer::timeout, m_notice, &QWidget::hide);

    reloadChats();
    updateListState();
    showSession(0);
}

ConversationsPage::~ConversationsPage() = default;

void ConversationsPage::buildList()
{
    auto *pane = new QWidget(m_splitter);
    pane->setMinimumWidth(330);
    m_search = new QLineEdit(pane);
    m_search->setObjectName(QStringLiteral("searchEdit"));
    m_search->setAccessibleName(tr("Search conversations"));
    m_search->setPlaceholderText(tr("Search names and messages (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_attention = new QCheckBox(tr("Needs attention"), pane);
    m_attention->setObjectName(QStringLiteral("attentionCheck"));
    m_attention->setAccessibleName(tr("Only conversations that need attention"));
    m_modeFilter = new QComboBox(pane);
    m_modeFilter->setObjectName(QStringLiteral("modeFilterCombo"));
    m_modeFilter->setAccessibleName(tr("Filter by mode"));
    m_modeFilter->addItem(tr("All modes"), -1);
    for (SessionMode m : {SessionMode::Auto, SessionMode::Review, SessionMode::Manual})
        m_modeFilter->addItem(ConversationText::modeName(m), int(m));
    m_chatFilter = new QComboBox(pane);
    m_chatFilter->setObjectName(QStringLiteral("chatFilterCombo"));
    m_chatFilter->setAccessibleName(tr("Filter by chat"));
    m_chatFilter->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_chatFilter->setMinimumContentsLength(6);

    m_list = new QListView(pane);
    m_list->setObjectName(QStringLiteral("conversationList"));
    m_list->setAccessibleName(tr("Conversations"));
    m_list->setModel(m_proxy);
    m_list->setItemDelegate(new ConversationDelegate(m_list));
    m_list->setUniformItemSizes(true);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_listEmpty = emptyStateLabel(tr("No conversations yet: messages to the bot in Feishu appear here."),
                                  QStringLiteral("listEmptyLabel"), pane);
    m_listStack = new QStackedWidget(pane);
    m_listStack->addWidget(m_list);
    m_listStack->addWidget(m_listEmpty);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_attention);
    filters->addWidget(m_modeFilter);
    filters->addWidget(m_chatFilter, 1);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(4, 4, 0, 4);
    layout->addWidget(m_search);
    layout->addLayout(filters);
    layout->addWidget(m_listStack, 1);
    m_splitter->addWidget(pane);

    // The debounce: keystrokes that arrive in one pass of the event loop (a paste, an input
    // method committing several characters) make one lookup, with no fixed wait added to what
    // the operator sees. Typing faster than the lookups coalesces in the proxy: while the desk
    // looks one text up, only the newest text waits for the next lookup.
    m_searchDebounce.setSingleShot(true);
    m_searchDebounce.setInterval(0);
    connect(&m_searchDebounce, &QTimer::timeout, this, &ConversationsPage::applySearch);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchDebounce.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, &ConversationsPage::applySearch);
    connect(m_attention, &QCheckBox::toggled, this, [this](bool on) {
        m_proxy->setNeedsAttentionOnly(on);
        updateListState();
    });
    connect(m_modeFilter, &QComboBox::currentIndexChanged, this, [this] {
        const int m = m_modeFilter->currentData().toInt();
        m_proxy->setModeFilter(m < 0 ? std::nullopt : std::optional<SessionMode>(SessionMode(m)));
        updateListState();
    });
    connect(m_chatFilter, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setChatFilter(m_chatFilter->currentData().toString());
        updateListState();
    });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ConversationsPage::onCurrentRowChanged);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_proxy, signal, this, &ConversationsPage::updateListState);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &ConversationsPage::updateListState);
    connect(m_proxy, &ConversationFilterProxy::textFilterApplied, this, &ConversationsPage::updateListState);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &ConversationsPage::updateListState);
}

void ConversationsPage::buildMiddle()
{
    m_middleStack = new QStackedWidget(m_splitter);
    m_middleStack->setMinimumWidth(380);
    m_middleStack->addWidget(emptyStateLabel(tr("No conversation selected — pick one on the left."),
                                             QStringLiteral("threadEmptyLabel"), m_middleStack));
    auto *pane = new QWidget(m_middleStack);
    m_title = new QLabel(pane);
    m_title->setObjectName(QStringLiteral("conversationTitleLabel"));
    m_title->setAccessibleName(tr("Conversation"));
    QFont f = ConversationText::scaledFont(m_title->font(), 1.1);
    f.setBold(true);
    m_title->setFont(f);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_subtitle = new QLabel(pane);
    m_subtitle->setObjectName(QStringLiteral("conversationModeLabel"));
    m_subtitle->setAccessibleName(tr("Mode and state"));
    m_threadView = new ThreadView(pane);
    m_thread->setParent(this);
    m_threadView->setThreadModel(m_thread);
    m_banner = new DraftBanner(m_desk, pane);
    m_notice = new QLabel(pane);
    m_notice->setObjectName(QStringLiteral("noticeLabel"));
    m_notice->setAccessibleName(tr("Notice"));
    m_notice->setWordWrap(true);
    m_notice->setStyleSheet(QStringLiteral("color: #a5331f;"));
    m_notice->hide();
    m_composer = new Composer(m_desk, pane);

    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_subtitle);
    auto *promote = new QToolButton(pane);
    promote->setObjectName(QStringLiteral("promoteButton"));
    promote->setDefaultAction(m_threadView->promoteAction());
    promote->setAccessibleName(tr("Promote to knowledge"));
    header->addWidget(promote);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(header);
    layout->addWidget(m_threadView, 1);
    layout->addWidget(m_banner);
    layout->addWidget(m_notice);
    layout->addWidget(m_composer);
    m_middleStack->addWidget(pane);
    m_splitter->addWidget(m_middleStack);
}

void ConversationsPage::applySearch()
{
    m_searchDebounce.stop();
    m_proxy->setTextFilter(m_search->text());
    updateListState();
}

void ConversationsPage::reloadChats()
{
    const QString current = m_chatFilter->currentData().toString();
    const QList<QPair<QString, QString>> chats = m_desk->chats();
    if (m_chatFilter->count() == chats.size() + 1)
        return; // nothing new
    const QSignalBlocker block(m_chatFilter);
    m_chatFilter->clear();
    m_chatFilter->addItem(tr("All chats"), QString());
    for (const auto &[id, name] : chats)
        m_chatFilter->addItem(name.isEmpty() ? id : name, id);
    m_chatFilter->setCurrentIndex(qMax(0, m_chatFilter->findData(current)));
}

void ConversationsPage::updateListState()
{
    if (m_model->rowCount() == 0) {
        m_listEmpty->setText(tr("No conversations yet: messages to the bot in Feishu appear here."));
        m_listStack->setCurrentWidget(m_listEmpty);
    } else if (m_proxy->rowCount() == 0) {
        m_listEmpty->setText(tr("No conversation matches — clear the search or the filters."));
        m_listStack->setCurrentWidget(m_listEmpty);
    } else {
        m_listStack->setCurrentWidget(m_list);
    }
    m_listEmpty->setAccessibleName(m_listEmpty->text());
}

void ConversationsPage::onCurrentRowChanged()
{
    const QModelIndex i = m_list->currentIndex();
    showSession(i.isValid() ? i.data(ConversationListModel::SessionIdRole).toLongLong() : 0);
}

void ConversationsPage::showSession(qint64 sessionId)
{
    if (sessionId == m_sessionId && sessionId != 0)
        return;
    m_sessionId = sessionId;
    const std::optional<SessionSummary> s = sessionId > 0 ? m_desk->session(sessionId) : std::nullopt;
    if (!s) {
        m_sessionId = 0;
        m_thread->setSession(0);
        m_banner->setSession(0);
        m_composer->setSession(std::nullopt);
        m_side->setSession(std::nullopt);
        m_middleStack->setCurrentIndex(0);
        emit currentSessionChanged(0);
        return;
    }
    m_thread->setSession(sessionId);
    m_banner->setSession(sessionId);
    m_composer->setSession(s);
    m_side->setSession(s);
    m_notice->hide();
    showHeader(*s);
    m_middleStack->setCurrentIndex(1);
    if (s->unread > 0)
        m_desk->markRead(sessionId);
    emit currentSessionChanged(sessionId);
}

void ConversationsPage::refreshHeader()
{
    const std::optional<SessionSummary> s = m_desk->session(m_sessionId);
    if (!s)
        return;
    showHeader(*s);
    m_composer->setSession(s);
    m_banner->refresh();
}

void ConversationsPage::showHeader(const SessionSummary &s)
{
    m_title->setText(ConversationText::customerName(s) + QStringLiteral(" · ") +
                     ConversationText::chatLabel(s));
    QString state = ConversationText::modeName(s.mode);
    if (s.needsOperator)
        state += QStringLiteral(" · ") + tr("needs a person");
    if (s.draftPending)
        state += QStringLiteral(" · ") + tr("draft waiting");
    m_subtitle->setText(state);
    m_subtitle->setAccessibleDescription(state);
}

PromoteDialog *ConversationsPage::promoteTurn(qint64 turnId, const QList<CitedEntry> &cited)
{
    auto *dialog = new PromoteDialog(m_desk, turnId, cited, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PromoteDialog::promoted, this,
            [this](const QString &entryId) { showNotice(tr("Saved as knowledge entry %1.").arg(entryId)); });
    dialog->open();
    return dialog;
}

void ConversationsPage::showNotice(const QString &message)
{
    m_notice->setText(message);
    m_notice->setAccessibleDescription(message);
    m_notice->show();
    m_noticeTimer.start();
}

void ConversationsPage::openSession(qint64 sessionId)
{
    if (m_model->rowOf(sessionId) < 0)
        m_model->flushPending(); // a session announced a moment ago
    const int row = m_model->rowOf(sessionId);
    if (row < 0) {
        showNotice(tr("That conversation is not known (yet)."));
        return;
    }
    QModelIndex i = m_proxy->mapFromSource(m_model->index(row));
    if (!i.isValid()) {
        // Hidden by the filters: clear them so the operator sees where it is.
        const QSignalBlocker b1(m_search), b2(m_attention), b3(m_modeFilter), b4(m_chatFilter);
        m_search->clear();
        m_attention->setChecked(false);
        m_modeFilter->setCurrentIndex(0);
        m_chatFilter->setCurrentIndex(0);
        m_proxy->clearFilters();
        updateListState();
        i = m_proxy->mapFromSource(m_model->index(row));
    }
    m_list->setCurrentIndex(i);
    m_list->scrollTo(i);
}

void ConversationsPage::selectNextNeedingAttention()
{
    const int n = m_proxy->rowCount();
    if (n == 0)
        return;
    const int start = m_list->currentIndex().isValid() ? m_list->currentIndex().row() : -1;
    for (int k = 1; k <= n; ++k) {
        const QModelIndex i = m_proxy->index((start + k) % n, 0);
        const auto s = i.data(ConversationListModel::SummaryRole).value<SessionSummary>();
        if (ConversationFilterProxy::needsAttention(s) && s.id != m_sessionId) {
            m_list->setCurrentIndex(i);
            m_list->scrollTo(i);
            return;
        }
    }
}

void ConversationsPage::takeOverOrHandBack()
{
    m_composer->takeOverOrHandBack();
}

void ConversationsPage::approveDraft()
{
    m_banner->approve();
}

void ConversationsPage::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void ConversationsPage::focusComposer()
{
    m_composer->editor()->setFocus(Qt::ShortcutFocusReason);
}
