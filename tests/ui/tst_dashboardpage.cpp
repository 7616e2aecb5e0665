#include <QComboBox>
#include <QDateEdit>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>

#include "dashboard/chart.h"
#include "dashboard/dashboardpage.h"
#include "deskfixture.h"
#include "screenshot.h"
#include "tempdatabase.h"

using namespace Qt::Literals::StringLiterals;

namespace {

qint64 at(int day, int h, int m, int s = 0)
{
    return QDateTime(QDate(2026, 11, day), QTime(h, m, s)).toMSecsSinceEpoch();
}

} // namespace

class TestDashboardPage final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void weekShowsKpisAndCharts();
    void dayWithoutDataSaysSo();
    void periodChooserRequestsAgain();
    void screenshots();

private:
    std::unique_ptr<TempKnowledgeDb> m_t;
    std::unique_ptr<Statistics> m_stats;
};

void TestDashboardPage::initTestCase()
{
    Screenshot::loadTranslation();
    m_t = std::make_unique<TempKnowledgeDb>();
    QString error;
    QVERIFY2(m_t->open(u"tst_dashboardpage"_s, &error), qPrintable(error));
    DeskFixture f(*m_t->db);
    const QStringList categories{u"车机"_s, u"远程控制"_s, u"数字钥匙"_s};
    // Monday and Wednesday of the week of 2026-11-16 have conversations; Tuesday has none.
    int n = 0;
    for (const int day : {16, 18}) {
        for (int h = 8; h < 20; h += 2) {
            const qint64 s = f.addSession(at(day, h, 0), u"auto"_s, h == 18 && day == 18);
            const qint64 c = f.addCustomer(s, u"问题"_s, at(day, h, 0));
            const bool handoff = (n % 4) == 3;
            QVERIFY(f.addBot(s, c, u"回答"_s, at(day, h, 0, 2 + n % 5),
                             handoff ? u"handoff"_s : u"knowledge"_s, handoff));
            if (handoff)
                QVERIFY(f.addOperator(s, u"人工"_s, at(day, h, 3)));
            QVERIFY(f.setAnalysis(s, categories.at(n % 3), at(day, h, 1)));
            if (n % 5 == 0) {
                const qint64 r = f.addSession(at(day, h, 30), u"review"_s);
                const qint64 rc = f.addCustomer(r, u"复核问题"_s, at(day, h, 30));
                QVERIFY(f.addDraft(r, rc, n % 2 ? u"approved"_s : u"edited"_s, at(day, h, 30, 5)));
                QVERIFY(f.addOperator(r, u"复核"_s, at(day, h, 31)));
            }
            ++n;
        }
    }
    m_stats = std::make_unique<Statistics>(*m_t->db);
    m_stats->setNow(at(18, 21, 0));
}

void TestDashboardPage::cleanupTestCase()
{
    m_stats.reset();
    m_t.reset();
}

void TestDashboardPage::weekShowsKpisAndCharts()
{
    DashboardPage page(m_stats.get());
    QCOMPARE(page.accessibleName(), u"Dashboard"_s);
    QSignalSpy updated(&page, &DashboardPage::updated);
    page.setPeriod(StatsPeriod{StatsPeriod::Kind::Week, QDate(2026, 11, 18)});
    QVERIFY(updated.wait(30000) || updated.size() == 1);
    const DashboardStats &s = page.stats();
    QVERIFY(s.ok);
    QCOMPARE(page.kpiText(u"conversations"_s), QString::number(s.conversationsToday));
    QCOMPARE(s.conversationsToday, 6 + 1); // 6 auto sessions and 1 review session on Wednesday
    QCOMPARE(page.kpiText(u"waiting"_s), u"1"_s);
    QVERIFY(page.kpiText(u"botShare"_s).endsWith(u"%"_s));
    QCOMPARE(page.kpiText(u"firstReply"_s), DashboardPage::durationText(s.firstReplyToday.medianMs));
    for (const QString &name : {u"perHour"_s, u"ended"_s, u"firstReply"_s, u"categories"_s, u"drafts"_s})
        QVERIFY2(!page.chart(name)->isShowingNoData(), qPrintable(name));
    QVERIFY(!page.heatMap()->isShowingNoData());

    // Screen readers get the data in words: 15 customer messages (12 auto, 3 review), three at
    // 8:00 (two auto, one review) and never more in an hour; the three endings one by one.
    const QString perHour = page.chart(u"perHour"_s)->accessibleDescription();
    QVERIFY2(perHour.startsWith(u"Customers: 15 in all, the most (3) at 8:00; Replies: "_s),
             qPrintable(perHour));
    const QString ended = page.chart(u"ended"_s)->accessibleDescription();
    QVERIFY2(ended.startsWith(
                 u"Conversations: Bot alone %1, Handed to a person %2, Operator takeover %3"_s.arg(s.endedBot)
                     .arg(s.endedHandoff)
                     .arg(s.endedTakeover)),
             qPrintable(ended));
    QVERIFY2(page.heatMap()->accessibleDescription().startsWith(u"15 customer messages in all"_s),
             qPrintable(page.heatMap()->accessibleDescription()));
    // A tile reads as its caption and its figure.
    QCOMPARE(page.findChild<QLabel *>(u"conversationsValue"_s)->accessibleDescription(),
             u"Conversations today: 7"_s);
}

void TestDashboardPage::dayWithoutDataSaysSo()
{
    DashboardPage page(m_stats.get());
    QSignalSpy updated(&page, &DashboardPage::updated);
    page.setPeriod(StatsPeriod{StatsPeriod::Kind::Day, QDate(2026, 11, 17)});
    QVERIFY(updated.wait(30000) || updated.size() == 1);
    for (const QString &name : {u"perHour"_s, u"ended"_s, u"firstReply"_s, u"categories"_s, u"drafts"_s})
        QVERIFY2(page.chart(name)->isShowingNoData(), qPrintable(name));
    QVERIFY(page.heatMap()->isShowingNoData());
    QCOMPARE(page.chart(u"perHour"_s)->accessibleDescription(), u"No data for this day."_s);
    // The tiles are about today all the same.
    QCOMPARE(page.kpiText(u"conversations"_s), u"7"_s);
}

void TestDashboardPage::periodChooserRequestsAgain()
{
    DashboardPage page(m_stats.get());
    QSignalSpy updated(&page, &DashboardPage::updated);
    page.setPeriod(StatsPeriod{StatsPeriod::Kind::Day, QDate(2026, 11, 17)});
    QVERIFY(updated.wait(30000) || updated.size() == 1);
    auto *kind = page.findChild<QComboBox *>(u"periodCombo"_s);
    QCOMPARE(kind->accessibleName(), u"Period"_s);
    kind->setCurrentIndex(1); // Week
    QTRY_VERIFY_WITH_TIMEOUT(page.stats().period.kind == StatsPeriod::Kind::Week, 30000);
    QVERIFY(!page.chart(u"perHour"_s)->isShowingNoData());
}

void TestDashboardPage::screenshots()
{
    if (qEnvironmentVariableIsEmpty("TSP_SCREENSHOT_DIR"))
        QSKIP("set TSP_SCREENSHOT_DIR to save screenshots");
    DashboardPage page(m_stats.get());
    QSignalSpy updated(&page, &DashboardPage::updated);
    page.setPeriod(StatsPeriod{StatsPeriod::Kind::Week, QDate(2026, 11, 18)});
    QVERIFY(updated.wait(30000) || updated.size() >= 1);
    Screenshot::save(&page, u"dashboard-week"_s);
    page.setPeriod(StatsPeriod{StatsPeriod::Kind::Day, QDate(2026, 11, 17)});
    QTRY_VERIFY_WITH_TIMEOUT(page.stats().period.kind == StatsPeriod::Kind::Day, 30000);
    Screenshot::save(&page, u"dashboard-empty-day"_s);
}

QTEST_MAIN(TestDashboardPage)
#include "tst_dashboardpage.moc"
