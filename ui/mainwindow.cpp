#include "mainwindow.h"

#include <QAction>
#include <QCloseEvent>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>

#include "pageplaceholder.h"
#include "statuspanel.h"

namespace {

constexpr int kPageRole = Qt::UserRole;

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("TSP Assistant"));

    m_nav = new QListWidget(this);
    m_nav->setObjectName(QStringLiteral("navigationList"));
    m_nav->setAccessibleName(tr("Navigation"));
    m_nav->setFrameShape(QFrame::NoFrame);
    m_nav->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_nav->setSpacing(2);
    m_nav->setStyleSheet(QStringLiteral("QListWidget { background: palette(window); }"
                                        "QListWidget::item { padding: 8px 10px; border-radius: 4px; }"
                                        "QListWidget::item:selected { background: palette(highlight);"
                                        " color: palette(highlighted-text); }"));
    m_stack = new QStackedWidget(this);
    m_stack->setObjectName(QStringLiteral("pageStack"));

    addNavigation(
        Page::Conversations, tr("Conversations"),
        tr("The live conversations, review and takeover. This build has no conversations page yet."));
    addNavigation(Page::Knowledge, tr("Knowledge"),
                  tr("The knowledge base editor. This build has no knowledge page yet."));
    addNavigation(Page::Dashboard, tr("Dashboard"),
                  tr("Charts of the bot's work and the connection health. This build has no dashboard yet."));
    addNavigation(Page::Logs, tr("Logs"), QString());
    addNavigation(Page::Tickets, tr("Tickets"), QString());
    addNavigation(Page::Settings, tr("Settings"), QString());
    m_nav->item(int(Page::Tickets))->setHidden(true);
    m_nav->item(int(Page::Settings))->setHidden(true);

    // Narrow, but wide enough for the longest name in the current language.
    int widest = 0;
    const QFontMetrics fm(m_nav->font());
    for (int i = 0; i < m_nav->count(); ++i)
        widest = qMax(widest, fm.horizontalAdvance(m_nav->item(i)->text()));
    m_nav->setFixedWidth(widest + 44);

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_nav);
    auto *line = new QFrame(central);
    line->setFrameShape(QFrame::VLine);
    line->setFrameShadow(QFrame::Sunken);
    layout->addWidget(line);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);

    m_status = new StatusPanel(this);
    statusBar()->setObjectName(QStringLiteral("statusBar"));
    statusBar()->addPermanentWidget(m_status, 1);
    statusBar()->setSizeGripEnabled(true);

    connect(m_nav, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    connect(m_status, &StatusPanel::attentionClicked, this, [this] {
        showPage(Page::Conversations);
        invokeOnConversations("selectNextNeedingAttention");
    });
    m_nav->setCurrentRow(0);

    addShortcut(tr("Next conversation that needs a person"), {QKeySequence(Qt::CTRL | Qt::Key_J)},
                "selectNextNeedingAttention");
    addShortcut(tr("Take over / hand back"), {QKeySequence(Qt::CTRL | Qt::Key_T)}, "takeOverOrHandBack");
    addShortcut(tr("Approve the draft"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A)}, "approveDraft");
    addShortcut(tr("Write a reply"), {QKeySequence(Qt::CTRL | Qt::Key_R)}, "focusComposer");
    QAction *search = addShortcut(tr("Search"), {QKeySequence(Qt::CTRL | Qt::Key_F)}, nullptr);
    connect(search, &QAction::triggered, this, [this] {
        QWidget *current = m_stack->currentWidget();
        if (current && current->metaObject()->indexOfSlot("focusSearch()") >= 0) {
            QMetaObject::invokeMethod(current, "focusSearch");
            return;
        }
        showPage(Page::Conversations);
        invokeOnConversations("focusSearch");
    });
    const Page pages[] = {Page::Conversations, Page::Knowledge, Page::Dashboard, Page::Logs};
    for (int i = 0; i < 4; ++i) {
        const Page p = pages[i];
        QAction *go = addShortcut(tr("Show %1").arg(m_nav->item(int(p))->text()),
                                  {QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i))}, nullptr);
        connect(go, &QAction::triggered, this, [this, p] { showPage(p); });
    }
    QAction *tickets = addShortcut(tr("Show %1").arg(m_nav->item(int(Page::Tickets))->text()),
                                   {QKeySequence(Qt::CTRL | Qt::Key_5)}, nullptr);
    connect(tickets, &QAction::triggered, this, [this] {
        if (!m_nav->item(int(Page::Tickets))->isHidden())
            showPage(Page::Tickets);
    });
    QAction *cheat = addShortcut(tr("Keyboard shortcuts"),
                                 {QKeySequence(Qt::CTRL | Qt::Key_Slash), QKeySequence(Qt::Key_F1)}, nullptr);
    connect(cheat, &QAction::triggered, this, &MainWindow::showShortcuts);
    QAction *quit = addShortcut(tr("Quit"), {QKeySequence(Qt::CTRL | Qt::Key_Q)}, nullptr);
    connect(quit, &QAction::triggered, this, [this] {
        if (confirmQuit())
            emit quitRequested();
    });

    resize(1200, 760);
}

MainWindow::~MainWindow() = default;

void MainWindow::addNavigation(Page which, const QString &text, const QString &hint)
{
    auto *item = new QListWidgetItem(text, m_nav);
    item->setData(kPageRole, int(which));
    QWidget *placeholder = new PagePlaceholder(text, hint, m_stack);
    placeholder->setObjectName(QStringLiteral("placeholder%1").arg(int(which)));
    m_stack->addWidget(placeholder);
    m_pages.insert(int(which), placeholder);
}

void MainWindow::setPage(Page which, QWidget *page)
{
    QWidget *old = m_pages.value(int(which));
    const int index = m_stack->indexOf(old);
    const bool wasCurrent = m_stack->currentIndex() == index;
    m_stack->insertWidget(index, page);
    m_stack->removeWidget(old);
    delete old;
    m_pages.insert(int(which), page);
    m_nav->item(int(which))->setHidden(false);
    if (wasCurrent)
        m_stack->setCurrentIndex(index);
}

QWidget *MainWindow::page(Page which) const
{
    return m_pages.value(int(which));
}

MainWindow::Page MainWindow::currentPage() const
{
    return Page(m_nav->currentRow());
}

void MainWindow::showPage(Page which)
{
    m_nav->setCurrentRow(int(which));
}

QList<ShortcutsDialog::Entry> MainWindow::shortcuts() const
{
    QList<ShortcutsDialog::Entry> entries;
    for (const QAction *a : m_shortcutActions) {
        for (const QKeySequence &keys : a->shortcuts())
            entries << ShortcutsDialog::Entry{a->text(), keys};
    }
    // Keys the conversation page's own widgets handle.
    entries << ShortcutsDialog::Entry{tr("Send the reply (in the reply box)"),
                                      QKeySequence(Qt::CTRL | Qt::Key_Return)};
    entries << ShortcutsDialog::Entry{tr("Insert a knowledge entry (in the reply box)"),
                                      QKeySequence(Qt::CTRL | Qt::Key_K)};
    return entries;
}

QAction *MainWindow::addShortcut(const QString &what, const QList<QKeySequence> &keys,
                                 const char *conversationSlot)
{
    auto *action = new QAction(what, this);
    action->setShortcuts(keys);
    action->setShortcutContext(Qt::WindowShortcut);
    addAction(action);
    m_shortcutActions << action;
    if (conversationSlot) {
        connect(action, &QAction::triggered, this, [this, conversationSlot] {
            showPage(Page::Conversations);
            invokeOnConversations(conversationSlot);
        });
    }
    return action;
}

bool MainWindow::invokeOnConversations(const char *slot)
{
    QWidget *conversations = page(Page::Conversations);
    const QByteArray signature = QByteArray(slot) + "()";
    if (!conversations || conversations->metaObject()->indexOfMethod(signature.constData()) < 0)
        return false;
    return QMetaObject::invokeMethod(conversations, slot);
}

void MainWindow::openSession(qint64 sessionId)
{
    bringToFront();
    showPage(Page::Conversations);
    QWidget *conversations = page(Page::Conversations);
    if (sessionId <= 0) {
        invokeOnConversations("selectNextNeedingAttention");
        return;
    }
    if (conversations && conversations->metaObject()->indexOfMethod("openSession(qint64)") >= 0)
        QMetaObject::invokeMethod(conversations, "openSession", Q_ARG(qint64, sessionId));
}

void MainWindow::showShortcuts()
{
    ShortcutsDialog dialog(shortcuts(), this);
    dialog.exec();
}

void MainWindow::bringToFront()
{
    if (isMinimized())
        setWindowState(windowState() & ~Qt::WindowMinimized);
    show();
    raise();
    activateWindow();
}

void MainWindow::toggleVisible()
{
    if (isVisible() && !isMinimized())
        hide();
    else
        bringToFront();
}

bool MainWindow::confirmQuit()
{
    if (m_quitting)
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Quit TSP Assistant"),
        tr("Quit the console? The bot stops answering in Feishu until the console or the headless bot "
           "runs again."),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    return answer == QMessageBox::Yes;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_quitting) {
        event->accept();
        return;
    }
    event->ignore();
    if (m_hideToTray) {
        hide(); // the tray's menu shows it again or quits
        return;
    }
    if (confirmQuit())
        emit quitRequested();
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    emit visibilityChanged(true);
}

void MainWindow::hideEvent(QHideEvent *event)
{
    QMainWindow::hideEvent(event);
    emit visibilityChanged(false);
}

void MainWindow::saveWindowState(QSettings &settings) const
{
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/page"), int(currentPage()));
}

void MainWindow::restoreWindowState(const QSettings &settings)
{
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        // First start: most of the screen (an operator works in it all day), at least 1200x760.
        if (const QScreen *screen = this->screen()) {
            const QRect available = screen->availableGeometry();
            resize(qMin(available.width(), qMax(1200, available.width() * 9 / 10)),
                   qMin(available.height(), qMax(760, available.height() * 9 / 10)));
            move(available.center() - rect().center());
        }
    }
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    const int p = settings.value(QStringLiteral("window/page"), 0).toInt();
    if (p >= 0 && p < m_nav->count() && !m_nav->item(p)->isHidden())
        showPage(Page(p));
}
