#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>

#include "desk/knowledgedesk.h"
#include "deskfixture.h"
#include "knowledge/knowledgeentryform.h"
#include "knowledge/knowledgeformat.h"
#include "knowledge/knowledgepage.h"
#include "knowledge/knowledgesearch.h"
#include "knowledge/knowledgetablemodel.h"
#include "screenshot.h"
#include "tempdatabase.h"

using namespace Qt::Literals::StringLiterals;

namespace {

template<typename T> T *byName(QWidget *root, const QString &accessibleName)
{
    const QList<T *> all = root->findChildren<T *>();
    for (T *w : all) {
        if (w->accessibleName() == accessibleName)
            return w;
    }
    return nullptr;
}

KnowledgeEntry entry(int i, const QString &category = u"车机"_s)
{
    KnowledgeEntry e;
    e.id = u"KB-%1"_s.arg(i, 4, 10, QLatin1Char('0'));
    e.title = u"问题 %1"_s.arg(i);
    e.category = category;
    e.symptoms = {u"症状 %1"_s.arg(i)};
    e.solution = u"处理 %1"_s.arg(i);
    return e;
}

} // namespace

class TestKnowledgePage final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void modelPagesWithFetchMore();
    void accessibleNames();
    void searchAndCategoryFilter();
    void saveShowsValidationMessages();
    void editAndSaveUpdatesTableAndSearch();
    void selectingARowOpensItLikeAScreenReader();
    void similarEntriesFollowTheForm();
    void historyShowsDiffsAndRestores();
    void gapStartsAPrefilledEntry();
    void importShowsProgressAndErrors();
    void titleColumnGetsTheRoom();
    void screenshots();

private:
    void seed(int n);
    std::unique_ptr<TempKnowledgeDb> m_t;
    std::unique_ptr<KnowledgeDesk> m_desk;
};

void TestKnowledgePage::initTestCase()
{
    Screenshot::loadTranslation();
}

void TestKnowledgePage::init()
{
    m_t = std::make_unique<TempKnowledgeDb>();
    QString error;
    QVERIFY2(m_t->open(u"tst_knowledgepage"_s, &error), qPrintable(error));
    m_desk = std::make_unique<KnowledgeDesk>(*m_t->db, *m_t->kb);
    m_desk->setOperatorName(u"alice"_s);
}

void TestKnowledgePage::cleanup()
{
    m_desk.reset();
    m_t.reset();
}

void TestKnowledgePage::seed(int n)
{
    QList<KnowledgeEntry> entries;
    for (int i = 1; i <= n; ++i)
        entries << entry(i, i % 3 == 0 ? u"远程控制"_s : u"车机"_s);
    const KnowledgeImportReport r =
        m_t->kb->importData(KnowledgeFormat::toJsonl(entries), KnowledgeFormat::Format::Jsonl, u"seed"_s);
    QVERIFY2(r.ok, qPrintable(r.error));
}

void TestKnowledgePage::modelPagesWithFetchMore()
{
    seed(450);
    KnowledgeTableModel model(m_desk.get());
    QCOMPARE(model.columnCount(), int(KnowledgeTableModel::ColumnCount));
    QCOMPARE(model.rowCount(), 200);
    QVERIFY(model.canFetchMore({}));
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 400);
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 450);
    QVERIFY(!model.canFetchMore({}));
    QCOMPARE(model.index(0, KnowledgeTableModel::Id).data().toString(), u"KB-0001"_s);
    QCOMPARE(model.index(449, KnowledgeTableModel::Title).data().toString(), u"问题 450"_s);
    QCOMPARE(model.index(0, KnowledgeTableModel::Source).data().toString(), u"Imported"_s);
    QCOMPARE(model.index(0, KnowledgeTableModel::Citations).data().toInt(), 0);

    // From here on the tester watches every change (it fetches more pages itself).
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setQuery({QString(), u"远程控制"_s});
    QCOMPARE(model.rowCount(), 150);
    QVERIFY(!model.canFetchMore({}));
    // A search runs on the desk's worker: the listing stays until its hits replace it.
    QSignalSpy searching(&model, &KnowledgeTableModel::searchingChanged);
    model.setQuery({u"问题 17"_s, QString()});
    QVERIFY(model.isSearching());
    QCOMPARE(model.rowCount(), 150);
    QCOMPARE(model.index(0, KnowledgeTableModel::Category).data().toString(), u"远程控制"_s);
    QTRY_VERIFY(!model.isSearching());
    QCOMPARE(searching.size(), 2);
    QVERIFY(model.rowCount() > 0);
    QVERIFY(!model.canFetchMore({}));
    QCOMPARE(model.index(0, KnowledgeTableModel::Id).data().toString(), u"KB-0017"_s);
    // Typing on: only the newest search's hits are shown, whatever finishes first.
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.setQuery({u"问题 4"_s, QString()});
    model.setQuery({u"问题 23"_s, QString()});
    model.setQuery({u"问题 31"_s, QString()});
    QTRY_VERIFY(!model.isSearching());
    QCOMPARE(resets.size(), 1);
    QCOMPARE(model.index(0, KnowledgeTableModel::Id).data().toString(), u"KB-0031"_s);
    // A listing asked for while a search runs wins over it.
    model.setQuery({u"问题 5"_s, QString()});
    model.setQuery({QString(), u"车机"_s});
    QVERIFY(!model.isSearching());
    QCOMPARE(model.rowCount(), 200);
    QTest::qWait(50);
    QCOMPARE(model.index(0, KnowledgeTableModel::Category).data().toString(), u"车机"_s);
    QCOMPARE(model.rowCount(), 200);

    // An edit elsewhere reaches the loaded row; a new entry reloads.
    model.setQuery({});
    KnowledgeEntry e = *m_desk->entry(u"KB-0002"_s);
    e.title = u"改过的标题"_s;
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(m_desk->save(e, false).ok);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.index(1, KnowledgeTableModel::Title).data().toString(), u"改过的标题"_s);
    QCOMPARE(model.index(1, KnowledgeTableModel::Source).data().toString(), u"Imported"_s);
    resets.clear();
    QVERIFY(m_desk->save(entry(999), true).ok);
    QCOMPARE(resets.size(), 1);
    while (model.canFetchMore({}))
        model.fetchMore({});
    QCOMPARE(model.rowCount(), 451);
    QCOMPARE(model.rowOf(u"KB-0999"_s), 450);
}

void TestKnowledgePage::accessibleNames()
{
    KnowledgePage page(m_desk.get());
    page.show(); // clicks reach shown widgets only
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QVERIFY(byName<QTableView>(&page, u"Knowledge"_s));
    QVERIFY(byName<QLineEdit>(&page, u"Search knowledge"_s));
    QVERIFY(byName<QLineEdit>(&page, u"Title"_s));
    QVERIFY(byName<QPlainTextEdit>(&page, u"Solution"_s));
    QVERIFY(byName<QPushButton>(&page, u"Save"_s));
    // Every interactive control has a name.
    const QList<QWidget *> all = page.findChildren<QWidget *>();
    for (QWidget *w : all) {
        const bool interactive = qobject_cast<QLineEdit *>(w) || qobject_cast<QPlainTextEdit *>(w) ||
                                 qobject_cast<QPushButton *>(w) || qobject_cast<QComboBox *>(w) ||
                                 qobject_cast<QAbstractItemView *>(w) || qobject_cast<QProgressBar *>(w);
        if (!interactive || qobject_cast<QHeaderView *>(w) || w->parent()->inherits("QComboBox") ||
            w->parent()->inherits("QAbstractSpinBox") || w->inherits("QComboBoxListView") ||
            w->objectName().startsWith(u"qt_"_s))
            continue;
        QVERIFY2(!w->accessibleName().isEmpty(),
                 qPrintable(QString::fromLatin1(w->metaObject()->className()) + u" "_s + w->objectName()));
    }
}

void TestKnowledgePage::searchAndCategoryFilter()
{
    seed(30);
    KnowledgePage page(m_desk.get());
    page.show(); // clicks reach shown widgets only
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setSimilarDelay(0);
    auto *search = byName<QLineEdit>(&page, u"Search knowledge"_s);
    auto *category = page.findChild<QComboBox *>(u"categoryFilterCombo"_s);
    QCOMPARE(page.model()->rowCount(), 30);
    QCOMPARE(category->count(), 3); // all, 车机, 远程控制
    category->setCurrentIndex(category->findData(u"远程控制"_s));
    QCOMPARE(page.model()->rowCount(), 10);
    auto *count = page.findChild<QLabel *>(u"countLabel"_s);
    search->setText(u"问题 12"_s);
    QTRY_COMPARE(page.model()->query().text, u"问题 12"_s);
    QCOMPARE(count->text(), QCoreApplication::translate("KnowledgePage", "Searching…"));
    QTRY_VERIFY(!page.model()->isSearching());
    QVERIFY(page.model()->rowCount() >= 1);
    QCOMPARE(count->text(),
             QCoreApplication::translate("KnowledgePage", "%n hits", nullptr, page.model()->rowCount()));
    QCOMPARE(page.model()->index(0, KnowledgeTableModel::Id).data().toString(), u"KB-0012"_s);
    for (int r = 0; r < page.model()->rowCount(); ++r)
        QCOMPARE(page.model()->index(r, KnowledgeTableModel::Category).data().toString(), u"远程控制"_s);
}

void TestKnowledgePage::saveShowsValidationMessages()
{
    KnowledgePage page(m_desk.get());
    page.show(); // clicks reach shown widgets only
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.newEntry();
    QVERIFY(!page.save());
    QVERIFY(!page.form()->errorText(u"title"_s).isEmpty());
    QVERIFY(!page.form()->errorText(u"solution"_s).isEmpty());
    QVERIFY(!page.form()->errorText(u"category"_s).isEmpty());
    QCOMPARE(m_desk->count(), 0);
    byName<QLineEdit>(&page, u"Title"_s)->setText(u"新问题"_s);
    page.findChild<QComboBox *>(u"categoryCombo"_s)->setCurrentText(u"车机"_s);
    byName<QPlainTextEdit>(&page, u"Solution"_s)->setPlainText(u"新方案"_s);
    QTest::mouseClick(byName<QPushButton>(&page, u"Save"_s), Qt::LeftButton);
    QVERIFY2(m_desk->count() == 1,
             qPrintable(page.findChild<QLabel *>(u"saveStatusLabel"_s)->text() + u" | "_s +
                        page.form()->errorText({}) + page.form()->errorText(u"title"_s)));
    QVERIFY(page.form()->errorText(u"title"_s).isEmpty());
    QCOMPARE(m_desk->entry(u"KB-0001"_s)->solution, u"新方案"_s);
    QVERIFY(!page.form()->isNew()); // the form now edits the saved entry
}

void TestKnowledgePage::editAndSaveUpdatesTableAndSearch()
{
    seed(5);
    KnowledgePage page(m_desk.get());
    page.show(); // clicks reach shown widgets only
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto *table = byName<QTableView>(&page, u"Knowledge"_s);
    table->setCurrentIndex(page.model()->index(2, 0));
    QCOMPARE(byName<QLineEdit>(&page, u"Title"_s)->text(), u"问题 3"_s);
    auto *solution = byName<QPlainTextEdit>(&page, u"Solution"_s);
    solution->setPlainText(u"拔掉OBD诊断接头静置五分钟"_s);
    QTest::mouseClick(byName<QPushButton>(&page, u"Save"_s), Qt::LeftButton);
    QCOMPARE(m_desk->entry(u"KB-0003"_s)->solution, u"拔掉OBD诊断接头静置五分钟"_s);
    // What `kb search` runs finds the new text at once.
    const KnowledgeSearch search(*m_t->db);
    const KnowledgeSearchResult r = search.search(u"OBD诊断接头"_s, 3);
    QVERIFY(!r.hits.isEmpty());
    QCOMPARE(r.hits.front().entry.id, u"KB-0003"_s);
    QCOMPARE(m_desk->history(u"KB-0003"_s).front().actor, u"alice"_s);
}

void TestKnowledgePage::selectingARowOpensItLikeAScreenReader()
{
    // AT-SPI's Table selection selects a row without moving the current index.
    seed(5);
    KnowledgePage page(m_desk.get());
    auto *table = byName<QTableView>(&page, u"Knowledge"_s);
    table->selectionModel()->select(page.model()->index(3, 0),
                                    QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QCOMPARE(page.form()->entry().id, u"KB-0004"_s);
    QCOMPARE(table->currentIndex().row(), 3); // the page then moves the current row along
    QVERIFY(!page.form()->isNew());
    QCOMPARE(byName<QLineEdit>(&page, u"Title"_s)->text(), u"问题 4"_s);
}

void TestKnowledgePage::similarEntriesFollowTheForm()
{
    KnowledgeEntry key = entry(1);
    key.title = u"数字钥匙无法解锁车辆"_s;
    key.symptoms = {u"手机钥匙打不开车门"_s};
    QVERIFY(m_desk->save(key, true).ok);
    KnowledgePage page(m_desk.get());
    page.show(); // clicks reach shown widgets only
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setSimilarDelay(0);
    page.newEntry();
    auto *similar = byName<QListWidget>(&page, u"Similar entries"_s);
    // As typed (QTest::keyClicks cannot type Chinese): the text, then the edit signal.
    auto *title = byName<QLineEdit>(&page, u"Title"_s);
    title->setText(u"手机钥匙打不开"_s);
    emit title->textEdited(title->text());
    QTRY_VERIFY(similar->count() > 0 && similar->item(0)->data(Qt::UserRole).toString() == u"KB-0001"_s);
    // Activating it opens the existing entry instead of writing a duplicate.
    emit similar->itemActivated(similar->item(0));
    QVERIFY(!page.form()->isNew());
    QCOMPARE(page.form()->entry().id, u"KB-0001"_s);
}

void TestKnowledgePage::historyShowsDiffsAndRestores()
{
    QVERIFY(m_desk->save(entry(1), true).ok);
    KnowledgeEntry e = *m_desk->entry(u"KB-0001"_s);
    e.solution = u"第二版方案"_s;
    QVERIFY(m_desk->save(e, false).ok);
    KnowledgePage page(m_desk.get());
    page.show(); // clicks reach shown widgets only
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.openEntry(u"KB-0001"_s);
    auto *versions = byName<QTreeWidget>(&page, u"Versions"_s);
    auto *diff = byName<QTreeWidget>(&page, u"Changes of the version"_s);
    auto *restore = byName<QPushButton>(&page, u"Restore this version"_s);
    QCOMPARE(versions->topLevelItemCount(), 2);
    versions->setCurrentItem(versions->topLevelItem(0)); // version 2, the current one
    QCOMPARE(diff->topLevelItemCount(), 1);
    QCOMPARE(diff->topLevelItem(0)->text(0), u"Solution"_s);
    QCOMPARE(diff->topLevelItem(0)->text(1), u"处理 1"_s);
    QCOMPARE(diff->topLevelItem(0)->text(2), u"第二版方案"_s);
    QVERIFY(!restore->isEnabled());
    versions->setCurrentItem(versions->topLevelItem(1)); // version 1
    QVERIFY(restore->isEnabled());
    QTest::mouseClick(restore, Qt::LeftButton);
    QCOMPARE(m_desk->entry(u"KB-0001"_s)->solution, u"处理 1"_s);
    QCOMPARE(byName<QPlainTextEdit>(&page, u"Solution"_s)->toPlainText(), u"处理 1"_s);
    QCOMPARE(versions->topLevelItemCount(), 3);
    QCOMPARE(versions->topLevelItem(0)->text(0), u"3"_s);
}

void TestKnowledgePage::gapStartsAPrefilledEntry()
{
    DeskFixture f(*m_t->db);
    const qint64 t = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < 2; ++i) {
        const qint64 s = f.addSession(t - 10000 + i);
        const qint64 c = f.addCustomer(s, u"车机怎么升级系统"_s, t - 9000 + i);
        QVERIFY(f.addBot(s, c, u"转人工"_s, t - 8000 + i, u"handoff"_s, true) > 0);
    }
    KnowledgePage page(m_desk.get());
    page.show(); // clicks reach shown widgets only
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto *gaps = byName<QTreeWidget>(&page, u"Knowledge gaps"_s);
    QCOMPARE(gaps->topLevelItemCount(), 1);
    QCOMPARE(gaps->topLevelItem(0)->text(0), u"2"_s);
    QCOMPARE(gaps->topLevelItem(0)->text(1), u"车机怎么升级系统"_s);
    gaps->setCurrentItem(gaps->topLevelItem(0));
    QTest::mouseClick(byName<QPushButton>(&page, u"New entry from this group"_s), Qt::LeftButton);
    QVERIFY(page.form()->isNew());
    QCOMPARE(byName<QLineEdit>(&page, u"Title"_s)->text(), u"车机怎么升级系统"_s);
    QCOMPARE(byName<QPlainTextEdit>(&page, u"Symptoms"_s)->toPlainText(), u"车机怎么升级系统"_s);
}

void TestKnowledgePage::importShowsProgressAndErrors()
{
    KnowledgePage page(m_desk.get());
    page.show(); // clicks reach shown widgets only
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto *progress = page.findChild<QProgressBar *>(u"transferProgressBar"_s);
    auto *errors = byName<QListWidget>(&page, u"Import errors"_s);
    QList<KnowledgeEntry> entries;
    for (int i = 1; i <= 500; ++i)
        entries << entry(i);
    const QString good = m_t->dir.filePath(u"good.jsonl"_s);
    {
        QFile f(good);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(KnowledgeFormat::toJsonl(entries));
    }
    QSignalSpy finished(m_desk.get(), &KnowledgeDesk::transferFinished);
    QSignalSpy progressed(m_desk.get(), &KnowledgeDesk::transferProgress);
    QVERIFY(page.importFile(good));
    QVERIFY(progress->isVisibleTo(&page));
    QVERIFY(finished.wait(30000) || finished.size() == 1);
    QVERIFY(progressed.size() >= 2);
    QCOMPARE(progress->value(), progress->maximum());
    QVERIFY(!progress->isVisibleTo(&page));
    QCOMPARE(page.model()->rowCount(), 200); // reloaded after the import
    QVERIFY(!errors->isVisibleTo(&page));

    const QString bad = m_t->dir.filePath(u"bad.csv"_s);
    {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("id,title,solution\r\nX-1,,nothing\r\nX-2,ok,fine\r\n");
    }
    QVERIFY(page.importFile(bad));
    QVERIFY(finished.wait(30000) || finished.size() == 2);
    QVERIFY(errors->isVisibleTo(&page));
    QCOMPARE(errors->count(), 1);
    QVERIFY2(errors->item(0)->text().startsWith(bad + u":2: "_s), qPrintable(errors->item(0)->text()));
    QVERIFY(QFile::exists(KnowledgeDesk::errorFileFor(bad)));
    QVERIFY(page.findChild<QLabel *>(u"transferStatusLabel"_s)
                ->text()
                .contains(KnowledgeDesk::errorFileFor(bad)));
    QVERIFY(!m_desk->entry(u"X-2"_s));
}

// At 1280x800 the page sits beside the navigation (about 1100 px wide): the Title column, which
// says what an entry is about, gets the room; the short columns keep to their content.
void TestKnowledgePage::titleColumnGetsTheRoom()
{
    seed(5);
    KnowledgePage page(m_desk.get());
    page.resize(1100, 760);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto *table = byName<QTableView>(&page, u"Knowledge"_s);
    QVERIFY(table);
    const int title = table->columnWidth(KnowledgeTableModel::Title);
    int others = 0;
    for (int c = 0; c < KnowledgeTableModel::ColumnCount; ++c) {
        if (c == KnowledgeTableModel::Title)
            continue;
        QVERIFY2(table->columnWidth(c) < title,
                 qPrintable(u"column %1: %2 px, title %3 px"_s.arg(c).arg(table->columnWidth(c)).arg(title)));
        others += table->columnWidth(c);
    }
    // A Chinese title of 12 characters fits whole, and the title has at least a quarter of the table.
    QVERIFY(title * 4 >= table->viewport()->width());
    QVERIFY2(title >= table->fontMetrics().horizontalAdvance(u"车机网络图标显示网速很慢"_s) + 8,
             qPrintable(u"title %1 px, the others %2 px"_s.arg(title).arg(others)));
}

void TestKnowledgePage::screenshots()
{
    if (qEnvironmentVariableIsEmpty("TSP_SCREENSHOT_DIR"))
        QSKIP("set TSP_SCREENSHOT_DIR to save screenshots");
    QString error;
    QVERIFY(m_t->kb->seedIfEmpty(&error));
    DeskFixture f(*m_t->db);
    const qint64 t = QDateTime::currentMSecsSinceEpoch();
    const QStringList questions{u"车机怎么升级系统"_s, u"车机系统怎么升级"_s, u"保险理赔电话是多少"_s};
    for (const QString &q : questions) {
        const qint64 s = f.addSession(t - 10000);
        const qint64 c = f.addCustomer(s, q, t - 9000);
        f.addBot(s, c, u"转人工"_s, t - 8000, u"handoff"_s, true);
    }
    KnowledgePage page(m_desk.get());
    page.show(); // clicks reach shown widgets only
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.openEntry(u"KB-0003"_s);
    Screenshot::save(&page, u"knowledge"_s);
    page.newEntry();
    page.save();
    Screenshot::save(&page, u"knowledge-validation"_s);
}

QTEST_MAIN(TestKnowledgePage)
#include "tst_knowledgepage.moc"
