#include "ticketspage.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "conflictview.h"
#include "desk/ticketdesk.h"
#include "ticketdetail.h"
#include "ticketfilterproxy.h"
#include "ticketlistmodel.h"
#include "tickettext.h"

namespace {

QComboBox *filterCombo(const QString &objectName, const QString &accessibleName, QWidget *parent)
{
    auto *c = new QComboBox(parent);
    c->setObjectName(objectName);
    c->setAccessibleName(accessibleName);
    // Long choices ("Waiting for the customer") show whole in the popup, not widen the bar.
    c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    c->setMinimumContentsLength(9);
    return c;
}

// Refills a filter with "all" and `values`, keeping the current choice when it is still there.
void fill(QComboBox *combo, const QString &all, const QList<QPair<QString, QString>> &values)
{
    const QString current = combo->currentData().toString();
    const QSignalBlocker block(combo);
    combo->clear();
    combo->addItem(all, QString());
    for (const auto &[text, data] : values)
        combo->addItem(text, data);
    combo->setCurrentIndex(qMax(0, combo->findData(current)));
}

} // namespace

TicketsPage::TicketsPage(TicketDesk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
{
    setObjectName(QStringLiteral("ticketsPage"));
    m_model = new TicketListModel(desk, this);
    m_proxy = new TicketFilterProxy(this);
    m_proxy->setSourceModel(m_model);

    // Filters and the sync, above the list.
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("ticketSearchEdit"));
    m_search->setAccessibleName(tr("Search tickets"));
    m_search->setPlaceholderText(tr("Number, title, customer, VIN or plate"));
    m_search->setClearButtonEnabled(true);
    m_statusFilter = filterCombo(QStringLiteral("ticketStatusFilter"), tr("Status filter"), this);
    m_assigneeFilter = filterCombo(QStringLiteral("ticketAssigneeFilter"), tr("Assignee filter"), this);
    m_categoryFilter = filterCombo(QStringLiteral("ticketCategoryFilter"), tr("Category filter"), this);
    m_syncButton = new QPushButton(tr("Sync now"), this);
    m_syncButton->setObjectName(QStringLiteral("syncTicketsButton"));
    m_syncButton->setAccessibleName(tr("Sync tickets"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("ticketSyncProgress"));
    m_progress->setAccessibleName(tr("Sync progress"));
    m_progress->setMaximumWidth(160);
    m_progress->hide();
    m_syncMessage = new QLabel(this);
    m_syncMessage->setObjectName(QStringLiteral("ticketSyncMessage"));
    m_syncMessage->setAccessibleName(tr("Sync message"));
    m_syncMessage->setWordWrap(true);
    m_syncMessage->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_progress);
    top->addWidget(m_syncButton);
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_statusFilter);
    filters->addWidget(m_assigneeFilter);
    filters->addWidget(m_categoryFilter);
    filters->addStretch(1);

    // The list, or what to do when it is empty.
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("ticketList"));
    m_view->setAccessibleName(tr("Tickets"));
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(TicketListModel::TitleColumn, QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(TicketListModel::SyncColumn, QHeaderView::Interactive);
    m_view->horizontalHeader()->resizeSection(TicketListModel::SyncColumn, 110);
    m_empty = new QLabel(this);
    m_empty->setObjectName(QStringLiteral("ticketsEmptyLabel"));
    m_empty->setAccessibleName(tr("No tickets"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setMargin(24);
    m_listStack = new QStackedWidget(this);
    m_listStack->addWidget(m_view);
    m_listStack->addWidget(m_empty);

    auto *left = new QWidget(this);
    auto *lv = new QVBoxLayout(left);
    lv->setContentsMargins(0, 0, 0, 0);
    lv->addLayout(top);
    lv->addLayout(filters);
    lv->addWidget(m_syncMessage);
    lv->addWidget(m_listStack, 1);

    m_noSelection = new QLabel(tr("Select a ticket to see it here."), this);
    m_noSelection->setAlignment(Qt::AlignCenter);
    m_noSelection->setWordWrap(true);
    m_detail = new TicketDetail(desk, this);
    m_conflictView = new ConflictView(desk, this);
    m_rightStack = new QStackedWidget(this);
    m_rightStack->addWidget(m_noSelection);
    m_rightStack->addWidget(m_detail);
    m_rightStack->addWidget(m_conflictView);
    m_rightStack->setMinimumWidth(340);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(left);
    splitter->addWidget(m_rightStack);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({640, 600});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    reloadFilterChoices();
    updateSyncAvailability();
    updateEmptyState();

    connect(m_search, &QLineEdit::textChanged, this, &TicketsPage::applyFilters);
    for (QComboBox *c : {m_statusFilter, m_assigneeFilter, m_categoryFilter})
        connect(c, &QComboBox::currentIndexChanged, this, &TicketsPage::applyFilters);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TicketsPage::onCurrentChanged);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &TicketsPage::updateEmptyState);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &TicketsPage::updateEmptyState);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &TicketsPage::updateEmptyState);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &TicketsPage::updateEmptyState);
    connect(m_desk, &TicketDesk::ticketChanged, this, &TicketsPage::reloadFilterChoices);
    // A reload (after a sync) keeps the ticket shown selected, and the pane as it is.
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] {
        const qint64 shown = m_detail->ticketId();
        if (shown <= 0 || m_rightStack->currentWidget() == m_noSelection)
            return;
        const QModelIndex i = m_proxy->mapFromSource(m_model->index(m_model->rowOf(shown), 0));
        if (!i.isValid())
            return;
        m_restoringSelection = true;
        m_view->setCurrentIndex(i);
        m_restoringSelection = false;
    });
    connect(m_syncButton, &QPushButton::clicked, this, &TicketsPage::syncNow);
    connect(m_desk, &TicketDesk::syncStarted, this, [this] {
        m_syncButton->setEnabled(false);
        m_progress->setRange(0, 0);
        m_progress->show();
        m_syncMessage->setStyleSheet(QString());
        m_syncMessage->setText(tr("Syncing with Bitable…"));
    });
    connect(m_desk, &TicketDesk::syncProgress, this, [this](const BitableSync::Progress &p) {
        const int done = p.done;
        const int total = p.total;
        const QString message = TicketText::syncProgress(p);
        if (total > 0) {
            m_progress->setRange(0, total);
            m_progress->setValue(qBound(0, done, total));
        } else {
            m_progress->setRange(0, 0); // busy: the step's size is not known
        }
        m_progress->show();
        m_progress->setToolTip(message);
        m_syncMessage->setText(tr("Syncing with Bitable: %1").arg(message));
    });
    connect(m_desk, &TicketDesk::syncFinished, this, [this](const BitableSync::Report &r) {
        const bool ok = r.ok;
        const QString summary = TicketText::syncOutcome(r);
        m_progress->hide();
        m_syncButton->setEnabled(true);
        m_syncMessage->setStyleSheet(ok ? QString() : QStringLiteral("color: #c62828;"));
        m_syncMessage->setText(ok ? tr("Last sync: %1").arg(summary) : tr("Sync failed: %1").arg(summary));
        reloadFilterChoices();
        if (m_rightStack->currentWidget() == m_conflictView && !m_desk->conflict(m_conflictView->ticketId()))
            m_rightStack->setCurrentWidget(m_detail);
    });
    connect(m_detail, &TicketDetail::openSessionRequested, this, &TicketsPage::openSessionRequested);
    connect(m_detail, &TicketDetail::knowledgeEntryPromoted, this, &TicketsPage::knowledgeEntryPromoted);
    connect(m_detail, &TicketDetail::conflictRequested, this, &TicketsPage::showConflict);
    connect(m_conflictView, &ConflictView::resolved, this, [this](qint64 id) {
        m_rightStack->setCurrentWidget(m_detail);
        m_detail->setTicket(id);
    });
    connect(m_conflictView, &ConflictView::cancelled, this,
            [this] { m_rightStack->setCurrentWidget(m_detail); });
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex &index) {
        if (index.data(TicketListModel::SyncStateRole).toInt() == int(TicketSyncState::Conflict))
            showConflict(index.data(TicketListModel::IdRole).toLongLong());
    });
}

TicketsPage::~TicketsPage() = default;

void TicketsPage::reloadFilterChoices()
{
    QList<QPair<QString, QString>> statuses;
    for (const QString &code : TicketStatus::codes())
        statuses.append({TicketText::status(code), code});
    fill(m_statusFilter, tr("All statuses"), statuses);
    QList<QPair<QString, QString>> assignees;
    for (const QString &a : m_desk->assignees())
        assignees.append({a, a});
    fill(m_assigneeFilter, tr("All assignees"), assignees);
    QList<QPair<QString, QString>> categories;
    for (const QString &c : m_desk->categories())
        categories.append({c, c});
    fill(m_categoryFilter, tr("All categories"), categories);
    applyFilters(); // a choice that went away is "all" now
}

void TicketsPage::applyFilters()
{
    m_proxy->setText(m_search->text());
    m_proxy->setStatus(m_statusFilter->currentData().toString());
    m_proxy->setAssignee(m_assigneeFilter->currentData().toString());
    m_proxy->setCategory(m_categoryFilter->currentData().toString());
    updateEmptyState();
}

void TicketsPage::updateEmptyState()
{
    if (m_proxy->rowCount() > 0) {
        m_listStack->setCurrentWidget(m_view);
        return;
    }
    if (m_model->rowCount() > 0) {
        m_empty->setText(
            tr("No ticket matches these filters. Clear the search or pick \"All\" in the filters."));
    } else if (m_desk->isSyncConfigured()) {
        m_empty->setText(tr("No tickets yet.\n\nOpen a conversation and press \"Create ticket\" in its side "
                            "panel, or press \"Sync now\" to bring in the tickets of the Bitable table."));
    } else {
        m_empty->setText(tr("No tickets yet.\n\nOpen a conversation and press \"Create ticket\" in its side "
                            "panel. To share tickets with a Feishu Bitable, set BITABLE_APP_TOKEN and "
                            "BITABLE_TABLE_ID in the settings."));
    }
    m_listStack->setCurrentWidget(m_empty);
}

void TicketsPage::updateSyncAvailability()
{
    const bool configured = m_desk->isSyncConfigured();
    m_syncButton->setEnabled(configured && !m_desk->isSyncing());
    if (!configured) {
        m_syncButton->setToolTip(tr("Bitable is not configured"));
        m_syncMessage->setText(tr("Bitable is not configured: tickets stay on this computer. Set "
                                  "BITABLE_APP_TOKEN and BITABLE_TABLE_ID in the settings to sync them."));
    } else {
        m_syncButton->setToolTip(tr("Pull the changes from Bitable and push the local ones"));
        m_syncMessage->clear();
    }
    m_syncMessage->setVisible(true);
}

void TicketsPage::syncNow()
{
    const DeskResult r = m_desk->syncNow();
    if (!r.ok) {
        m_syncMessage->setStyleSheet(QStringLiteral("color: #c62828;"));
        m_syncMessage->setText(r.error);
    }
}

void TicketsPage::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

qint64 TicketsPage::currentTicketId() const
{
    const QModelIndex i = m_view->currentIndex();
    return i.isValid() ? i.data(TicketListModel::IdRole).toLongLong() : 0;
}

bool TicketsPage::isShowingConflict() const
{
    return m_rightStack->currentWidget() == m_conflictView;
}

bool TicketsPage::isShowingEmptyState() const
{
    return m_listStack->currentWidget() == m_empty;
}

void TicketsPage::onCurrentChanged()
{
    if (m_restoringSelection)
        return;
    const qint64 id = currentTicketId();
    if (id <= 0) {
        m_rightStack->setCurrentWidget(m_noSelection);
        return;
    }
    m_detail->setTicket(id);
    m_rightStack->setCurrentWidget(m_detail);
}

void TicketsPage::openTicket(qint64 ticketId)
{
    int row = m_model->rowOf(ticketId);
    if (row < 0) {
        m_model->refreshTicket(ticketId);
        row = m_model->rowOf(ticketId);
    }
    if (row < 0)
        return;
    QModelIndex proxyIndex = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!proxyIndex.isValid()) {
        m_search->clear();
        for (QComboBox *c : {m_statusFilter, m_assigneeFilter, m_categoryFilter})
            c->setCurrentIndex(0);
        applyFilters();
        proxyIndex = m_proxy->mapFromSource(m_model->index(row, 0));
    }
    m_view->setCurrentIndex(proxyIndex);
    m_view->scrollTo(proxyIndex);
    onCurrentChanged();
}

void TicketsPage::showConflict(qint64 ticketId)
{
    if (m_conflictView->setTicket(ticketId))
        m_rightStack->setCurrentWidget(m_conflictView);
}
