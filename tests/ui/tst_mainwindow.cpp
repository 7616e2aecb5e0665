#include <QAction>
#include <QLabel>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include "mainwindow.h"
#include "statuspanel.h"

// Stands in for the Conversations page: records which of its slots the shortcuts reached.
class FakeConversations final : public QWidget
{
    Q_OBJECT
public:
    QStringList calls;
    qint64 opened = 0;
public slots:
    void openSession(qint64 id)
    {
        calls << QStringLiteral("openSession");
        opened = id;
    }
    void selectNextNeedingAttention() { calls << QStringLiteral("next"); }
    void takeOverOrHandBack() { calls << QStringLiteral("takeOver"); }
    void approveDraft() { calls << QStringLiteral("approve"); }
    void focusSearch() { calls << QStringLiteral("search"); }
    void focusComposer() { calls << QStringLiteral("composer"); }
};

class TestMainWindow final : public QObject
{
    Q_OBJECT
private slots:
    void statusBarShowsHealth_data();
    void statusBarShowsHealth();
    void statusBarShowsCounts();
    void placeholdersUntilPagesArrive();
    void shortcutsReachTheConversationsPage();
    void shortcutKeysAreCtrlCombinations();
    void ticketsPageHasItsShortcut();
    void closeHidesOnlyWithATray();
    void geometryIsPersisted();
};

void TestMainWindow::statusBarShowsHealth_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<bool>("paused");
    QTest::addColumn<QString>("word");
    QTest::addColumn<QColor>("color");
    QTest::newRow("connected") << int(ConnectionHealth::State::Connected) << false
                               << QStringLiteral("Connected") << QColor(0x2e, 0x9d, 0x52);
    QTest::newRow("reconnecting") << int(ConnectionHealth::State::Reconnecting) << false
                                  << QStringLiteral("Reconnecting") << QColor(0xe0, 0x8e, 0x0b);
    QTest::newRow("failed") << int(ConnectionHealth::State::Failed) << false
                            << QStringLiteral("Connection failed") << QColor(0xd0, 0x31, 0x2d);
    QTest::newRow("paused") << int(ConnectionHealth::State::Connected) << true
                            << QStringLiteral("Connected · bot paused") << QColor(0x2e, 0x9d, 0x52);
}

void TestMainWindow::statusBarShowsHealth()
{
    QFETCH(int, state);
    QFETCH(bool, paused);
    QFETCH(QString, word);
    QFETCH(QColor, color);
    MainWindow window;
    window.show();
    StatusPanel *status = window.statusPanel();
    QVERIFY(window.statusBar()->isVisible());
    QVERIFY(status->isVisible());
    ConnectionHealth h;
    h.state = ConnectionHealth::State(state);
    h.paused = paused;
    h.lastError = QStringLiteral("token refused");
    status->setHealth(h);
    QCOMPARE(status->connectionText(), word);
    QCOMPARE(status->connectionColor(), color);
    auto *label = status->findChild<QLabel *>(QStringLiteral("connectionStateLabel"));
    QVERIFY(label);
    QCOMPARE(label->accessibleDescription(), word); // readable over AT-SPI
    QVERIFY(label->toolTip().contains(QStringLiteral("token refused")));
}

void TestMainWindow::statusBarShowsCounts()
{
    MainWindow window;
    window.show();
    StatusPanel *status = window.statusPanel();
    status->setCounts(3, 7);
    QVERIFY(status->attentionText().contains(QLatin1Char('3')));
    QVERIFY(status->draftsText().contains(QLatin1Char('7')));
    status->setCounts(0, 1);
    QVERIFY(status->attentionText().contains(QLatin1Char('0')));
    QVERIFY(!status->attentionText().contains(QLatin1Char('3')));
    QVERIFY(status->draftsText().contains(QLatin1Char('1')));
    QCOMPARE(status->needsAttention(), 0);
    QCOMPARE(status->draftsPending(), 1);

    // Clicking the count goes to the next conversation that needs a person.
    auto *page = new FakeConversations;
    window.setPage(MainWindow::Page::Conversations, page);
    window.showPage(MainWindow::Page::Logs);
    auto *count = status->findChild<QLabel *>(QStringLiteral("attentionCountLabel"));
    QTest::mouseClick(count, Qt::LeftButton);
    QCOMPARE(window.currentPage(), MainWindow::Page::Conversations);
    QCOMPARE(page->calls, QStringList{QStringLiteral("next")});
}

void TestMainWindow::placeholdersUntilPagesArrive()
{
    MainWindow window;
    window.show();
    auto *nav = window.findChild<QListWidget *>(QStringLiteral("navigationList"));
    QVERIFY(nav);
    QCOMPARE(nav->accessibleName(), QStringLiteral("Navigation"));
    QVERIFY(window.page(MainWindow::Page::Knowledge));
    QCOMPARE(window.page(MainWindow::Page::Knowledge)->metaObject()->className(), "PagePlaceholder");
    QVERIFY(nav->item(int(MainWindow::Page::Settings))->isHidden());

    QPointer<QWidget> placeholder = window.page(MainWindow::Page::Knowledge);
    window.showPage(MainWindow::Page::Knowledge);
    auto *real = new QLabel(QStringLiteral("knowledge page"));
    window.setPage(MainWindow::Page::Knowledge, real);
    QVERIFY(placeholder.isNull()); // replaced and deleted
    QCOMPARE(window.page(MainWindow::Page::Knowledge), real);
    QCOMPARE(window.findChild<QStackedWidget *>()->currentWidget(), real); // still on screen
    QCOMPARE(window.currentPage(), MainWindow::Page::Knowledge);

    window.setPage(MainWindow::Page::Settings, new QLabel(QStringLiteral("settings")));
    QVERIFY(!nav->item(int(MainWindow::Page::Settings))->isHidden());
    nav->setCurrentRow(int(MainWindow::Page::Settings));
    QCOMPARE(window.findChild<QStackedWidget *>()->currentWidget()->property("text").toString(),
             QStringLiteral("settings"));
}

void TestMainWindow::shortcutsReachTheConversationsPage()
{
    MainWindow window;
    auto *page = new FakeConversations;
    window.setPage(MainWindow::Page::Conversations, page);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.showPage(MainWindow::Page::Logs);

    QTest::keyClick(&window, Qt::Key_J, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), MainWindow::Page::Conversations);
    QTest::keyClick(&window, Qt::Key_T, Qt::ControlModifier);
    QTest::keyClick(&window, Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier);
    QTest::keyClick(&window, Qt::Key_R, Qt::ControlModifier);
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    QCOMPARE(page->calls,
             (QStringList{QStringLiteral("next"), QStringLiteral("takeOver"), QStringLiteral("approve"),
                          QStringLiteral("composer"), QStringLiteral("search")}));
    QTest::keyClick(&window, Qt::Key_4, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), MainWindow::Page::Logs);

    window.openSession(42);
    QCOMPARE(window.currentPage(), MainWindow::Page::Conversations);
    QCOMPARE(page->opened, qint64(42));
}

void TestMainWindow::shortcutKeysAreCtrlCombinations()
{
    MainWindow window;
    const QList<ShortcutsDialog::Entry> entries = window.shortcuts();
    QVERIFY(entries.size() >= 10);
    bool cheatSheet = false, f1 = false, send = false;
    for (const ShortcutsDialog::Entry &e : entries) {
        const QKeyCombination k = e.keys[0];
        if (k.key() == Qt::Key_F1) {
            f1 = true;
            continue;
        }
        QVERIFY2(k.keyboardModifiers() & Qt::ControlModifier, qPrintable(e.what));
        QVERIFY2(!(k.keyboardModifiers() & Qt::AltModifier), qPrintable(e.what));
        cheatSheet |= k.key() == Qt::Key_Slash;
        send |= k.key() == Qt::Key_Return;
    }
    QVERIFY(cheatSheet);
    QVERIFY(f1);
    QVERIFY(send);
}

void TestMainWindow::ticketsPageHasItsShortcut()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto *nav = window.findChild<QListWidget *>(QStringLiteral("navigationList"));
    QVERIFY(nav->item(int(MainWindow::Page::Tickets))->isHidden());
    QTest::keyClick(&window, Qt::Key_5, Qt::ControlModifier); // no page yet: ignored
    QCOMPARE(window.currentPage(), MainWindow::Page::Conversations);
    window.setPage(MainWindow::Page::Tickets, new QLabel(QStringLiteral("tickets")));
    QVERIFY(!nav->item(int(MainWindow::Page::Tickets))->isHidden());
    QTest::keyClick(&window, Qt::Key_5, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), MainWindow::Page::Tickets);
    // Listed in the cheat sheet, and no key does two things.
    QList<QKeySequence> keys;
    bool listed = false;
    for (const ShortcutsDialog::Entry &e : window.shortcuts()) {
        QVERIFY2(!keys.contains(e.keys), qPrintable(e.keys.toString()));
        keys << e.keys;
        listed |= e.keys == QKeySequence(Qt::CTRL | Qt::Key_5) && e.what.contains(QStringLiteral("Tickets"));
    }
    QVERIFY(listed);
}

void TestMainWindow::closeHidesOnlyWithATray()
{
    MainWindow window;
    QSignalSpy quit(&window, &MainWindow::quitRequested);
    window.show();
    window.setHideToTray(true);
    QVERIFY(!window.close()); // hidden, not closed
    QVERIFY(!window.isVisible());
    QCOMPARE(quit.count(), 0);
    window.bringToFront();
    QVERIFY(window.isVisible());

    // Quitting: closing is allowed without asking.
    window.setQuitting();
    QVERIFY(window.close());
}

void TestMainWindow::geometryIsPersisted()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
    {
        MainWindow window;
        window.show();
        window.resize(1000, 650);
        window.showPage(MainWindow::Page::Logs);
        window.saveWindowState(settings);
    }
    MainWindow again;
    again.restoreWindowState(settings);
    again.show();
    QCOMPARE(again.size(), QSize(1000, 650));
    QCOMPARE(again.currentPage(), MainWindow::Page::Logs);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
