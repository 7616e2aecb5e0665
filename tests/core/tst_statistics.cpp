#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include "desk/statistics.h"
#include "deskfixture.h"
#include "tempdatabase.h"

using namespace Qt::Literals::StringLiterals;

namespace {

// Local time, as the dashboard counts days and hours.
qint64 at(int month, int day, int h, int m, int s = 0)
{
    return QDateTime(QDate(2026, month, day), QTime(h, m, s)).toMSecsSinceEpoch();
}

const QDate kMonday(2026, 11, 16);
const QDate kTuesday(2026, 11, 17);   // no data at all
const QDate kWednesday(2026, 11, 18); // "today" for the KPI tiles

} // namespace

// A week with known contents: Monday and Wednesday have conversations, Tuesday and the rest of
// the week have none, the week before has one (never counted).
class TestStatistics final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void weekAggregates();
    void dayAggregates();
    void dayWithNoData();
    void kpiTilesAreToday();
    void requestDeliversOnTheMainThread();

private:
    std::unique_ptr<TempKnowledgeDb> m_t;
    qint64 m_now = 0;
};

void TestStatistics::initTestCase()
{
    m_t = std::make_unique<TempKnowledgeDb>();
    QString error;
    QVERIFY2(m_t->open(u"tst_statistics"_s, &error), qPrintable(error));
    DeskFixture f(*m_t->db);
    // Monday
    const qint64 s1 = f.addSession(at(11, 16, 9, 0));
    const qint64 c1 = f.addCustomer(s1, u"车机没网"_s, at(11, 16, 9, 0, 0));
    QVERIFY(f.addBot(s1, c1, u"重启"_s, at(11, 16, 9, 0, 2)));
    QVERIFY(f.setAnalysis(s1, u"车机"_s, at(11, 16, 9, 1)));
    const qint64 s2 = f.addSession(at(11, 16, 9, 30), u"auto"_s, true);
    const qint64 c2 = f.addCustomer(s2, u"保险怎么买"_s, at(11, 16, 9, 30, 0));
    QVERIFY(f.addBot(s2, c2, u"转人工"_s, at(11, 16, 9, 30, 4), u"handoff"_s, true));
    QVERIFY(f.addOperator(s2, u"您好"_s, at(11, 16, 9, 40, 0)));
    QVERIFY(f.setAnalysis(s2, u"车机"_s, at(11, 16, 9, 31)));
    const qint64 s3 = f.addSession(at(11, 16, 14, 0), u"manual"_s);
    QVERIFY(f.addCustomer(s3, u"远程启动失败"_s, at(11, 16, 14, 0, 0)));
    QVERIFY(f.addOperator(s3, u"请稍等"_s, at(11, 16, 14, 1, 0)));
    QVERIFY(f.setAnalysis(s3, u"远程控制"_s, at(11, 16, 14, 2)));
    // Wednesday (review mode)
    const qint64 s4 = f.addSession(at(11, 18, 10, 0), u"review"_s);
    const qint64 c4 = f.addCustomer(s4, u"远程解锁"_s, at(11, 18, 10, 0, 0));
    QVERIFY(f.addDraft(s4, c4, u"approved"_s, at(11, 18, 10, 0, 5)));
    QVERIFY(f.addBot(s4, c4, u"按步骤"_s, at(11, 18, 10, 0, 10)));
    QVERIFY(f.setAnalysis(s4, u"远程控制"_s, at(11, 18, 10, 1)));
    const qint64 s5 = f.addSession(at(11, 18, 10, 5), u"review"_s);
    const qint64 c5 = f.addCustomer(s5, u"价格多少"_s, at(11, 18, 10, 5, 0));
    QVERIFY(f.addDraft(s5, c5, u"rejected"_s, at(11, 18, 10, 5, 3)));
    QVERIFY(f.addOperator(s5, u"人工回复"_s, at(11, 18, 10, 6, 5)));
    const qint64 s6 = f.addSession(at(11, 18, 11, 0), u"review"_s);
    const qint64 c6 = f.addCustomer(s6, u"蓝牙"_s, at(11, 18, 11, 0, 0));
    QVERIFY(f.addDraft(s6, c6, u"edited"_s, at(11, 18, 11, 0, 3)));
    QVERIFY(f.addOperator(s6, u"改过的回复"_s, at(11, 18, 11, 0, 30)));
    // The week before, and an ended session that once needed a person: never counted.
    const qint64 s0 = f.addSession(at(11, 10, 10, 0), u"auto"_s, true, u"ended"_s);
    const qint64 c0 = f.addCustomer(s0, u"上周的问题"_s, at(11, 10, 10, 0));
    QVERIFY(f.addBot(s0, c0, u"转人工"_s, at(11, 10, 10, 0, 1), u"handoff"_s, true));
    m_now = at(11, 18, 12, 0);
}

void TestStatistics::cleanupTestCase()
{
    m_t.reset();
}

void TestStatistics::weekAggregates()
{
    const DashboardStats s =
        Statistics::compute(*m_t->db, StatsPeriod{StatsPeriod::Kind::Week, kWednesday}, m_now);
    QVERIFY2(s.ok, qPrintable(s.error));
    QCOMPARE(s.period.first(), kMonday);
    QCOMPARE(s.fromMs, at(11, 16, 0, 0));
    QCOMPARE(s.toMs, at(11, 23, 0, 0));

    QList<int> customer(24, 0), replies(24, 0);
    customer[9] = 2;
    customer[14] = 1;
    customer[10] = 2;
    customer[11] = 1;
    replies[9] = 3;
    replies[14] = 1;
    replies[10] = 2;
    replies[11] = 1;
    QCOMPARE(s.customerPerHour, customer);
    QCOMPARE(s.repliesPerHour, replies);
    QCOMPARE(s.heat.size(), 7);
    QCOMPARE(s.heat.at(0).at(9), 2);
    QCOMPARE(s.heat.at(0).at(14), 1);
    QCOMPARE(s.heat.at(1), QList<int>(24, 0)); // Tuesday: the gap
    QCOMPARE(s.heat.at(2).at(10), 2);
    QCOMPARE(s.heat.at(2).at(11), 1);
    for (int d = 3; d < 7; ++d)
        QCOMPARE(s.heat.at(d), QList<int>(24, 0));

    QCOMPARE(s.endedBot, 2);      // S1, S4 (an approved draft is the bot's answer)
    QCOMPARE(s.endedHandoff, 1);  // S2
    QCOMPARE(s.endedTakeover, 3); // S3 (manual), S5 and S6 (operator replies)
    QCOMPARE(s.open, 0);

    QCOMPARE(s.botFirstReply.count, 3); // 2 s, 4 s, 10 s
    QCOMPARE(s.botFirstReply.medianMs, 4000);
    QCOMPARE(s.botFirstReply.p90Ms, 10000);
    QCOMPARE(s.operatorFirstReply.count, 4); // 30 s, 60 s, 65 s, 600 s
    QCOMPARE(s.operatorFirstReply.medianMs, 60000);
    QCOMPARE(s.operatorFirstReply.p90Ms, 600000);

    QCOMPARE(s.topCategories.size(), 2);
    QCOMPARE(s.topCategories.at(0).category, u"车机"_s);
    QCOMPARE(s.topCategories.at(0).conversations, 2);
    QCOMPARE(s.topCategories.at(0).botAlone, 1);
    QCOMPARE(s.topCategories.at(1).category, u"远程控制"_s);
    QCOMPARE(s.topCategories.at(1).conversations, 2);
    QCOMPARE(s.topCategories.at(1).botAloneShare(), 0.5);

    QCOMPARE(s.draftsApproved, 1);
    QCOMPARE(s.draftsEdited, 1);
    QCOMPARE(s.draftsRejected, 1);
    QCOMPARE(s.draftsPending, 0);
}

void TestStatistics::dayAggregates()
{
    const DashboardStats s =
        Statistics::compute(*m_t->db, StatsPeriod{StatsPeriod::Kind::Day, kMonday}, m_now);
    QVERIFY(s.ok);
    QCOMPARE(s.heat.size(), 1);
    QCOMPARE(s.customerPerHour.at(9), 2);
    QCOMPARE(s.customerPerHour.at(10), 0);
    QCOMPARE(s.endedBot, 1);
    QCOMPARE(s.endedHandoff, 1);
    QCOMPARE(s.endedTakeover, 1);
    QCOMPARE(s.botFirstReply.count, 2);
    QCOMPARE(s.botFirstReply.medianMs, 2000); // nearest rank of {2 s, 4 s}
    QCOMPARE(s.operatorFirstReply.medianMs, 60000);
    QCOMPARE(s.operatorFirstReply.p90Ms, 600000);
    QCOMPARE(s.draftsTotal(), 0);
}

void TestStatistics::dayWithNoData()
{
    const DashboardStats s =
        Statistics::compute(*m_t->db, StatsPeriod{StatsPeriod::Kind::Day, kTuesday}, m_now);
    QVERIFY(s.ok);
    QVERIFY(!s.hasMessages());
    QCOMPARE(s.customerPerHour, QList<int>(24, 0));
    QCOMPARE(s.endedTotal(), 0);
    QCOMPARE(s.botFirstReply.count, 0);
    QCOMPARE(s.botFirstReply.medianMs, -1);
    QCOMPARE(s.operatorFirstReply.p90Ms, -1);
    QVERIFY(s.topCategories.isEmpty());
    QCOMPARE(s.draftsTotal(), 0);
}

void TestStatistics::kpiTilesAreToday()
{
    // Whatever the period, the tiles are about "today" (Wednesday).
    const DashboardStats s =
        Statistics::compute(*m_t->db, StatsPeriod{StatsPeriod::Kind::Day, kTuesday}, m_now);
    QCOMPARE(s.conversationsToday, 3);
    QCOMPARE(s.botAloneShareToday, 1.0 / 3.0);
    QCOMPARE(s.waitingNow, 1);            // S2; the ended session does not wait
    QCOMPARE(s.firstReplyToday.count, 3); // 10 s, 30 s, 65 s
    QCOMPARE(s.firstReplyToday.medianMs, 30000);
    const DashboardStats quiet =
        Statistics::compute(*m_t->db, StatsPeriod{StatsPeriod::Kind::Day, kTuesday}, at(11, 17, 12, 0));
    QCOMPARE(quiet.conversationsToday, 0);
    QCOMPARE(quiet.botAloneShareToday, -1.0);
    QCOMPARE(quiet.firstReplyToday.medianMs, -1);
}

void TestStatistics::requestDeliversOnTheMainThread()
{
    Statistics stats(*m_t->db);
    stats.setNow(m_now);
    QThread *deliveredOn = nullptr;
    QList<StatsPeriod> periods;
    connect(&stats, &Statistics::ready, this, [&](const DashboardStats &s) {
        deliveredOn = QThread::currentThread();
        periods << s.period;
    });
    QSignalSpy ready(&stats, &Statistics::ready);
    const StatsPeriod week{StatsPeriod::Kind::Week, kMonday};
    const StatsPeriod day{StatsPeriod::Kind::Day, kTuesday};
    stats.request(week);
    QVERIFY(stats.isBusy());
    stats.request(day); // waits, then runs
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 2, 30000);
    QCOMPARE(deliveredOn, QThread::currentThread());
    QCOMPARE(periods, (QList<StatsPeriod>{week, day}));
    const auto first = ready.at(0).at(0).value<DashboardStats>();
    QCOMPARE(first.endedTakeover, 3);
    QCOMPARE(first.conversationsToday, 3);
    QVERIFY(!stats.isBusy());
}

QTEST_GUILESS_MAIN(TestStatistics)
#include "tst_statistics.moc"
