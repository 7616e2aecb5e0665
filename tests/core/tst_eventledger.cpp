#include <QMetaEnum>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "storage/database.h"
#include "storage/eventledger.h"
#include "storage/transaction.h"

namespace {

Database::Location sqliteAt(const QString &path)
{
    Database::Location loc;
    loc.kind = Database::Location::Sqlite;
    loc.sqlitePath = path;
    return loc;
}

constexpr qint64 kHour = 3600LL * 1000;

} // namespace

class TestEventLedger final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void firstMarkWinsSecondIsDuplicate();
    void duplicateAfterAnotherWriteStillDetected();
    void emptyKeyIsAnError();
    void outcomeAndUndecided();
    void outcomesAreStoredByTheirNames();
    void rollbackForgetsTheMark();
    void persistsAcrossReopen();
    void twoConnectionsOnlyOneWins();
    void pruneKeepsAtLeastEightHours();
    void pruneKeepsUndecidedEntries();
    void defaultRetentionIsADay();
    void preparedStatementsReusedAcrossCallsAndTransactions();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("ledger.db")); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<EventLedger> m_ledger;
    qint64 m_now = 1'700'000'000'000;
};

void TestEventLedger::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = std::make_unique<Database>(QStringLiteral("ledger"));
    QVERIFY2(m_db->open(sqliteAt(path())), qPrintable(m_db->errorString()));
    m_ledger = std::make_unique<EventLedger>(m_db.get());
    m_ledger->setClock([this] { return m_now; });
}

void TestEventLedger::cleanup()
{
    m_ledger.reset();
    m_db.reset();
    m_dir.reset();
}

void TestEventLedger::firstMarkWinsSecondIsDuplicate()
{
    const QString key = QStringLiteral("om_5ce6d572455d361153b7cb51da133945");
    QVERIFY(m_ledger->markSeen(key, QStringLiteral("im.message.receive_v1")));
    QVERIFY(!m_ledger->markSeen(key, QStringLiteral("im.message.receive_v1")));
    QCOMPARE(m_ledger->mark(key, QStringLiteral("im.message.receive_v1")), EventLedger::Mark::Duplicate);
    QVERIFY(m_ledger->markSeen(QStringLiteral("om_other"), QStringLiteral("im.message.receive_v1")));
    QCOMPARE(m_ledger->count(), 2);
    const auto e = m_ledger->entry(key);
    QVERIFY(e.has_value());
    QCOMPARE(e->outcome, std::optional(Ledger::Outcome::Received));
    QCOMPARE(e->firstSeenAt, m_now);
    QCOMPARE(e->kind, QStringLiteral("im.message.receive_v1"));
}

void TestEventLedger::duplicateAfterAnotherWriteStillDetected()
{
    // The changes count must describe the INSERT itself, not an earlier UPDATE.
    QVERIFY(m_ledger->markSeen(QStringLiteral("om_a"), QStringLiteral("im")));
    QVERIFY(m_ledger->markSeen(QStringLiteral("om_b"), QStringLiteral("im")));
    QVERIFY(m_ledger->setOutcome(QStringLiteral("om_b"), Ledger::Outcome::Answered));
    QVERIFY(!m_ledger->markSeen(QStringLiteral("om_a"), QStringLiteral("im")));
    QSqlQuery q(m_db->db());
    QVERIFY(q.exec(QStringLiteral("UPDATE event_ledger SET outcome = 'x'"))); // 2 rows changed
    QVERIFY(!m_ledger->markSeen(QStringLiteral("om_b"), QStringLiteral("im")));
}

void TestEventLedger::emptyKeyIsAnError()
{
    QCOMPARE(m_ledger->mark(QString(), QStringLiteral("im")), EventLedger::Mark::Error);
    QVERIFY(!m_ledger->markSeen(QString(), QStringLiteral("im")));
    QCOMPARE(m_ledger->count(), 0);
}

void TestEventLedger::outcomeAndUndecided()
{
    QVERIFY(m_ledger->markSeen(QStringLiteral("om_1"), QStringLiteral("im")));
    m_now += 10;
    QVERIFY(m_ledger->markSeen(QStringLiteral("om_2"), QStringLiteral("im")));
    m_now += 10;
    QVERIFY(m_ledger->markSeen(QStringLiteral("ev_3"), QStringLiteral("card.action.trigger")));
    QCOMPARE(m_ledger->undecided(),
             (QStringList{QStringLiteral("om_1"), QStringLiteral("om_2"), QStringLiteral("ev_3")}));
    m_now += 5;
    QVERIFY(m_ledger->setOutcome(QStringLiteral("om_2"), Ledger::Outcome::Answered));
    QCOMPARE(m_ledger->entry(QStringLiteral("om_2"))->outcome, std::optional(Ledger::Outcome::Answered));
    QCOMPARE(m_ledger->entry(QStringLiteral("om_2"))->updatedAt, m_now);
    QCOMPARE(m_ledger->undecided(), (QStringList{QStringLiteral("om_1"), QStringLiteral("ev_3")}));
    QVERIFY(!m_ledger->setOutcome(QStringLiteral("om_missing"), Ledger::Outcome::Answered));
}

void TestEventLedger::rollbackForgetsTheMark()
{
    {
        Transaction tx(m_db->db());
        QVERIFY(tx.isActive());
        QVERIFY(m_ledger->markSeen(QStringLiteral("om_r"), QStringLiteral("im")));
        tx.rollback();
    }
    QVERIFY(!m_ledger->contains(QStringLiteral("om_r")));
    QVERIFY(m_ledger->markSeen(QStringLiteral("om_r"), QStringLiteral("im")));
}

void TestEventLedger::persistsAcrossReopen()
{
    QVERIFY(m_ledger->markSeen(QStringLiteral("om_p"), QStringLiteral("im")));
    QVERIFY(m_ledger->setOutcome(QStringLiteral("om_p"), Ledger::Outcome::Answered));
    m_ledger.reset();
    m_db.reset();
    m_db = std::make_unique<Database>(QStringLiteral("ledger2"));
    QVERIFY2(m_db->open(sqliteAt(path())), qPrintable(m_db->errorString()));
    EventLedger again(m_db.get());
    QVERIFY(!again.markSeen(QStringLiteral("om_p"), QStringLiteral("im")));
    QCOMPARE(again.entry(QStringLiteral("om_p"))->outcome, std::optional(Ledger::Outcome::Answered));
}

void TestEventLedger::twoConnectionsOnlyOneWins()
{
    // Two bot instances on one database: whoever commits the mark first wins, the other sees a duplicate.
    Database other(QStringLiteral("ledger-other"));
    QVERIFY2(other.open(sqliteAt(path())), qPrintable(other.errorString()));
    EventLedger second(&other);
    int wins = 0;
    for (int i = 0; i < 20; ++i) {
        const QString key = QStringLiteral("om_race_%1").arg(i);
        EventLedger *first = i % 2 ? &second : m_ledger.get();
        EventLedger *later = i % 2 ? m_ledger.get() : &second;
        {
            Transaction tx(i % 2 ? other.db() : m_db->db());
            if (first->markSeen(key, QStringLiteral("im")))
                ++wins;
            QVERIFY(tx.commit());
        }
        if (later->markSeen(key, QStringLiteral("im")))
            ++wins;
    }
    QCOMPARE(wins, 20);
    QCOMPARE(second.count(), 20);
}

void TestEventLedger::pruneKeepsAtLeastEightHours()
{
    const qint64 start = m_now;
    QVERIFY(m_ledger->markSeen(QStringLiteral("om_old"), QStringLiteral("im")));
    m_now = start + 7 * kHour;
    QVERIFY(m_ledger->markSeen(QStringLiteral("om_mid"), QStringLiteral("im")));
    m_now = start + 9 * kHour;
    QVERIFY(m_ledger->markSeen(QStringLiteral("om_new"), QStringLiteral("im")));
    for (const char *k : {"om_old", "om_mid", "om_new"})
        QVERIFY(m_ledger->setOutcome(QLatin1String(k), Ledger::Outcome::Answered));
    // Asking for 1 h is raised to the 8 h minimum: om_old (9 h) goes, om_mid (2 h) stays.
    QCOMPARE(m_ledger->prune(kHour), 1);
    QVERIFY(!m_ledger->contains(QStringLiteral("om_old")));
    QVERIFY(m_ledger->contains(QStringLiteral("om_mid")));
    QVERIFY(m_ledger->contains(QStringLiteral("om_new")));
    m_ledger->setRetentionMs(1000);
    QCOMPARE(m_ledger->retentionMs(), EventLedger::MinimumRetentionMs);
    m_now = start + 15 * kHour + 1; // om_mid is 8 h + 1 ms old
    QCOMPARE(m_ledger->prune(), 1);
    QVERIFY(!m_ledger->contains(QStringLiteral("om_mid")));
    QVERIFY(m_ledger->contains(QStringLiteral("om_new")));
    // A pruned key counts as new again (Feishu stops redelivering long before).
    QVERIFY(m_ledger->markSeen(QStringLiteral("om_old"), QStringLiteral("im")));
}

void TestEventLedger::pruneKeepsUndecidedEntries()
{
    const qint64 start = m_now;
    QVERIFY(m_ledger->markSeen(QStringLiteral("om_done"), QStringLiteral("im")));
    QVERIFY(m_ledger->setOutcome(QStringLiteral("om_done"), Ledger::Outcome::Answered));
    QVERIFY(m_ledger->markSeen(QStringLiteral("om_open"), QStringLiteral("im")));
    m_now = start + 48 * kHour;
    // The pipeline has not decided om_open yet (e.g. it waits for recovery): it must stay.
    QCOMPARE(m_ledger->prune(), 1);
    QVERIFY(!m_ledger->contains(QStringLiteral("om_done")));
    QVERIFY(m_ledger->contains(QStringLiteral("om_open")));
    QVERIFY(m_ledger->setOutcome(QStringLiteral("om_open"), Ledger::Outcome::Answered));
    QCOMPARE(m_ledger->prune(), 1);
    QCOMPARE(m_ledger->count(), 0);
}

void TestEventLedger::defaultRetentionIsADay()
{
    QCOMPARE(m_ledger->retentionMs(), 24 * kHour);
    const qint64 start = m_now;
    QVERIFY(m_ledger->markSeen(QStringLiteral("om_a"), QStringLiteral("im")));
    QVERIFY(m_ledger->setOutcome(QStringLiteral("om_a"), Ledger::Outcome::Ignored));
    m_now = start + 23 * kHour;
    QCOMPARE(m_ledger->prune(), 0);
    QVERIFY(m_ledger->contains(QStringLiteral("om_a")));
    m_now = start + 25 * kHour;
    QCOMPARE(m_ledger->prune(), 1);
    QCOMPARE(m_ledger->count(), 0);
}

void TestEventLedger::preparedStatementsReusedAcrossCallsAndTransactions()
{
    // mark() and setOutcome() keep their prepared statements: every call binds afresh, and a
    // statement left from an earlier call or transaction does not leak into the next one.
    const QSqlDatabase db = QSqlDatabase::database(m_db->connectionName());
    for (int i = 0; i < 300; ++i) {
        const QString key = QStringLiteral("om_%1").arg(i);
        Transaction tx(db);
        QCOMPARE(m_ledger->mark(key, QStringLiteral("im.message.receive_v1")), EventLedger::Mark::New);
        QCOMPARE(m_ledger->mark(key, QStringLiteral("im.message.receive_v1")), EventLedger::Mark::Duplicate);
        QVERIFY(m_ledger->setOutcome(key, i % 2 ? Ledger::Outcome::Ignored : Ledger::Outcome::Answered));
        if (i % 3 == 0) {
            tx.rollback();
        } else {
            QVERIFY(tx.commit());
        }
    }
    QCOMPARE(m_ledger->count(), 200);
    QVERIFY(!m_ledger->contains(QStringLiteral("om_0")));
    QCOMPARE(m_ledger->entry(QStringLiteral("om_1"))->outcome, std::optional(Ledger::Outcome::Ignored));
    QCOMPARE(m_ledger->entry(QStringLiteral("om_2"))->outcome, std::optional(Ledger::Outcome::Answered));
    QVERIFY(!m_ledger->setOutcome(QStringLiteral("om_0"), Ledger::Outcome::Ignored)); // rolled back
    QCOMPARE(m_ledger->mark(QStringLiteral("om_0"), QString()), EventLedger::Mark::New);
    QCOMPARE(m_ledger->entry(QStringLiteral("om_0"))->kind, QString());
}

void TestEventLedger::outcomesAreStoredByTheirNames()
{
    // The database keeps the texts it always kept (no migration); the enum's one name table maps them.
    const QList<QPair<Ledger::Outcome, QString>> expected = {
        {Ledger::Outcome::Received, QStringLiteral("received")},
        {Ledger::Outcome::Answered, QStringLiteral("answered")},
        {Ledger::Outcome::Draft, QStringLiteral("draft")},
        {Ledger::Outcome::Manual, QStringLiteral("manual")},
        {Ledger::Outcome::Ignored, QStringLiteral("ignored")},
        {Ledger::Outcome::Unreadable, QStringLiteral("unreadable")},
        {Ledger::Outcome::Prompted, QStringLiteral("prompted")},
        {Ledger::Outcome::Lost, QStringLiteral("lost")},
    };
    QCOMPARE(qsizetype(QMetaEnum::fromType<Ledger::Outcome>().keyCount()), expected.size());
    QSqlQuery q(m_db->db());
    for (const auto &[outcome, name] : expected) {
        QCOMPARE(Ledger::outcomeName(outcome), name);
        QCOMPARE(Ledger::parseOutcome(name), std::optional(outcome));
        const QString key = QStringLiteral("om_") + name;
        QCOMPARE(m_ledger->mark(key, QStringLiteral("im")), EventLedger::Mark::New);
        QVERIFY(m_ledger->setOutcome(key, outcome));
        QVERIFY(q.exec(QStringLiteral("SELECT outcome FROM event_ledger WHERE key = '%1'").arg(key)));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), name);
    }
    QVERIFY(!Ledger::parseOutcome(QStringLiteral("x")));
    QVERIFY(q.exec(QStringLiteral("UPDATE event_ledger SET outcome = 'x' WHERE key = 'om_lost'")));
    QVERIFY(!m_ledger->entry(QStringLiteral("om_lost"))->outcome); // a name this version does not know
}

QTEST_GUILESS_MAIN(TestEventLedger)
#include "tst_eventledger.moc"
