// Fault soak: the real tsp-assistant binary (--headless) against FeishuSandbox and LlmStandIn on
// 127.0.0.1 for TSP_SOAK_SECONDS (default 120), with faults injected at random from a seeded
// generator (TSP_SOAK_SEED, else random; the seed is printed): killed sockets, invalid tokens,
// 429, 5xx, LLM timeouts and errors, redeliveries, fragmented and reordered pushes, and SIGKILL
// of the bot followed by a restart. At the end:
//  - every answerable message (p2p, or a group message that @-mentions the bot) is answered
//    exactly once, every part of the answer delivered; nothing else is answered. A push ACKed
//    just before a SIGKILL counts like any other (the bot's push journal keeps it);
//  - no ACK is missed: every pushed frame was ACKed in the end (the sandbox re-pushes a frame
//    that a killed bot or socket never ACKed, as the platform does), and no ACK was malformed;
//  - PRAGMA integrity_check of the bot's database says ok.
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QtTest>

#include "botprocess.h"
#include "sandbox/feishusandbox.h"
#include "sandbox/llmstandin.h"

namespace {

constexpr int kRepushDelayMs = 2000;
constexpr int kMaxRepushes = 6;   // a frame pushed to a dead bot is re-pushed for 12 s
constexpr int kSettleMs = 120000; // after the faults: time for every answer and ACK
// ... extended while the bot's outbox still holds pending replies whose next attempt is due
// within this horizon (its back-off grows to minutes after repeated failures and kills): such a
// reply is on its way, not lost, and the check waits for it to arrive instead.
constexpr qint64 kOutboxHorizonMs = 600000;
constexpr int kRestartMs = 20000;   // a restarted bot reconnects within this
constexpr int kLlmTimeoutMs = 2500; // the bot's LLM_TIMEOUT_MS: an unanswered LLM call ends

QTextStream out(stdout);

int soakSeconds()
{
    return qEnvironmentVariableIsSet("TSP_SOAK_SECONDS") ? qEnvironmentVariableIntValue("TSP_SOAK_SECONDS")
                                                         : 120;
}

struct Pushed
{
    QString imId;
    bool answerable = false;
};

} // namespace

class TestSoak final : public QObject
{
    Q_OBJECT

private slots:
    void soak();

private:
    void startBot();
    void sampleMemory();

    std::unique_ptr<FeishuSandbox> m_sandbox;
    std::unique_ptr<LlmStandIn> m_llm;
    std::unique_ptr<BotProcess> m_bot;
    qint64 m_peakRssKb = 0;
    qint64 m_lastRssKb = 0;
    QMap<QString, int> m_faults;
    // When each frame was ACKed (ms into the run): a loss is reported with its ACK and the next
    // SIGKILL after it, the window the bot's push journal covers.
    QHash<QByteArray, qint64> m_ackAtMs;
    QList<qint64> m_killAtMs;
    qint64 nextKillAfter(qint64 ms) const
    {
        const auto it = std::lower_bound(m_killAtMs.cbegin(), m_killAtMs.cend(), ms);
        return it == m_killAtMs.cend() ? -1 : *it;
    }
    QElapsedTimer m_clock;
};

void TestSoak::startBot()
{
    const int before = m_sandbox->totalConnections();
    QVERIFY(m_bot->start());
    QTRY_VERIFY_WITH_TIMEOUT(m_sandbox->totalConnections() > before, kRestartMs);
}

void TestSoak::sampleMemory()
{
    const qint64 rss = m_bot->statusKb("VmRSS");
    if (rss > 0) {
        m_lastRssKb = rss;
        m_peakRssKb = qMax(m_peakRssKb, rss);
    }
}

void TestSoak::soak()
{
    const int seconds = soakSeconds();
    QVERIFY2(seconds > 0, "TSP_SOAK_SECONDS must be a positive number");
    const quint32 seed = qEnvironmentVariableIsSet("TSP_SOAK_SEED")
                             ? quint32(qEnvironmentVariableIntValue("TSP_SOAK_SEED"))
                             : QRandomGenerator::global()->bounded(1u, 1u << 31);
    out << "soak: " << seconds << " s, seed " << seed << " (TSP_SOAK_SEED=" << seed << " repeats it)\n";
    out.flush();
    QRandomGenerator rng(seed);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    FeishuSandbox::Options o;
    o.repushDelayMs = kRepushDelayMs;
    o.maxRepushes = kMaxRepushes;
    o.seed = seed;
    m_sandbox = std::make_unique<FeishuSandbox>(o);
    m_sandbox->setClientConfig(QJsonObject{{QStringLiteral("PingInterval"), 10},
                                           {QStringLiteral("ReconnectCount"), -1},
                                           {QStringLiteral("ReconnectInterval"), 1},
                                           {QStringLiteral("ReconnectNonce"), 1}});
    m_sandbox->setRateLimitResetSeconds(1);
    QVERIFY(m_sandbox->start());
    m_llm = std::make_unique<LlmStandIn>();
    QVERIFY(m_llm->start());
    m_bot = std::make_unique<BotProcess>(dir.path());
    m_bot->writeEnv({{QStringLiteral("FEISHU_APP_ID"), o.appId},
                     {QStringLiteral("FEISHU_APP_SECRET"), o.appSecret},
                     {QStringLiteral("FEISHU_DOMAIN"), m_sandbox->baseUrl().toString()},
                     {QStringLiteral("FEISHU_PROXY"), QStringLiteral("none")},
                     {QStringLiteral("LLM_PROVIDER"), QStringLiteral("custom")},
                     {QStringLiteral("LLM_BASE_URL"), m_llm->baseUrl()},
                     {QStringLiteral("LLM_MODEL"), m_llm->model()},
                     {QStringLiteral("LLM_API_KEY"), QStringLiteral("sk-soak")},
                     {QStringLiteral("LLM_TIMEOUT_MS"), QString::number(kLlmTimeoutMs)},
                     {QStringLiteral("LLM_RETRIES"), QStringLiteral("1")},
                     {QStringLiteral("LOG_LEVEL"), QStringLiteral("INFO")},
                     {QStringLiteral("DATABASE_URL"), QStringLiteral("sqlite:///bot.db")}});
    m_clock.start();
    connect(m_sandbox.get(), &FeishuSandbox::ackReceived, this,
            [this](const QByteArray &frameId) { m_ackAtMs.insert(frameId, m_clock.elapsed()); });
    startBot();
    if (QTest::currentTestFailed())
        return;
    QVERIFY(m_bot->waitForLog(QStringLiteral("open_id ou_sandbox_bot"), kRestartMs));

    const QStringList questions{
        QStringLiteral("车机没网了，导航也用不了"),   QStringLiteral("远程解锁失败，APP提示超时"),
        QStringLiteral("数字钥匙用不了，蓝牙连不上"), QStringLiteral("OTA升级失败怎么办"),
        QStringLiteral("车辆定位不准，差了好几公里"), QStringLiteral("还是不行，有别的办法吗")};
    QList<Pushed> pushed;
    QDeadlineTimer end(qint64(seconds) * 1000);
    int kills = 0;
    while (!end.hasExpired()) {
        QTest::qWait(int(rng.bounded(40, 200)));
        if (!m_bot->isRunning()) {
            // It must not die by itself; a SIGKILL below restarts it at once.
            QFAIL(qPrintable(QStringLiteral("the bot exited on its own:\n") + m_bot->log().right(4000)));
        }

        // A message: p2p (answerable), group with a mention (answerable), group without (not).
        FeishuSandbox::TextPush p;
        const int kind = int(rng.bounded(10));
        const int user = int(rng.bounded(40));
        p.senderOpenId = QStringLiteral("ou_soak_%1").arg(user);
        p.text = questions.at(int(rng.bounded(qsizetype(questions.size()))));
        if (kind < 4) {
            p.chatType = QStringLiteral("p2p");
            p.chatId = QStringLiteral("oc_p2p_soak_%1").arg(user);
        } else {
            p.chatType = QStringLiteral("group");
            p.chatId = QStringLiteral("oc_soak_group_%1").arg(user % 5);
            p.mentionBot = kind < 8;
        }
        if (rng.bounded(5) == 0) {
            p.push.fragments = int(rng.bounded(2, 6));
            p.push.shuffle = true;
            p.push.duplicateFragment = rng.bounded(2) == 0;
            ++m_faults[QStringLiteral("fragmented+reordered push")];
        }
        pushed.append(Pushed{m_sandbox->pushText(p), p.chatType == QLatin1String("p2p") || p.mentionBot});

        // A fault, about one every 1.5 s.
        if (rng.bounded(10) != 0)
            continue;
        switch (rng.bounded(9)) {
        case 0:
            m_sandbox->killConnections();
            ++m_faults[QStringLiteral("killed socket")];
            break;
        case 1:
            m_sandbox->revokeTokens();
            ++m_faults[QStringLiteral("invalid token (revoked)")];
            break;
        case 2:
            m_sandbox->injectFault(FeishuSandbox::Fault::InvalidToken);
            ++m_faults[QStringLiteral("invalid token (99991663)")];
            break;
        case 3:
            m_sandbox->injectFault(FeishuSandbox::Fault::RateLimit, int(rng.bounded(1, 3)));
            ++m_faults[QStringLiteral("429 rate limit")];
            break;
        case 4:
            m_sandbox->injectFault(rng.bounded(2) ? FeishuSandbox::Fault::ServerError
                                                  : FeishuSandbox::Fault::DropConnection,
                                   int(rng.bounded(1, 3)));
            ++m_faults[QStringLiteral("5xx / dropped OpenAPI call")];
            break;
        case 5:
            m_llm->setFault(rng.bounded(2) ? LlmStandIn::Fault::NoAnswer : LlmStandIn::Fault::Http500, 1);
            ++m_faults[QStringLiteral("LLM timeout / 500")];
            break;
        case 6:
        case 7: {
            const Pushed &old = pushed.at(int(rng.bounded(qsizetype(pushed.size()))));
            m_sandbox->redeliver(old.imId);
            ++m_faults[QStringLiteral("redelivery")];
            break;
        }
        case 8: {
            sampleMemory();
            m_bot->kill();
            m_killAtMs.append(m_clock.elapsed());
            ++kills;
            ++m_faults[QStringLiteral("SIGKILL + restart")];
            startBot();
            if (QTest::currentTestFailed())
                return;
            break;
        }
        }
        sampleMemory();
    }

    // Settle: no more faults; everything answerable gets its answer, every frame its ACK.
    m_sandbox->clearFaults();
    m_llm->clearFaults();
    QHash<QString, bool> answerable;
    for (const Pushed &p : std::as_const(pushed))
        answerable.insert(p.imId, p.answerable);
    auto answered = [this] {
        QSet<QString> ids;
        for (const FeishuSandbox::SentMessage &m : m_sandbox->sentMessages()) {
            if (m.kind == QLatin1String("reply"))
                ids.insert(m.target);
        }
        return ids;
    };
    // The latest next_attempt_at of the bot's pending replies (ms since the epoch; 0 if none),
    // read from its database while it runs (WAL allows a second reader).
    auto latestPendingAttempt = [&dir]() -> qint64 {
        qint64 latest = 0;
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("soak-peek"));
            db.setDatabaseName(dir.filePath(QStringLiteral("bot.db")));
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=2000"));
            if (db.open()) {
                QSqlQuery q(db);
                if (q.exec(
                        QStringLiteral("SELECT max(next_attempt_at) FROM outbox WHERE state = 'pending'")) &&
                    q.next())
                    latest = q.value(0).toLongLong();
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("soak-peek"));
        return latest;
    };
    QDeadlineTimer settle(kSettleMs);
    const QDeadlineTimer hardLimit(kSettleMs + kOutboxHorizonMs);
    int extensions = 0;
    while (true) {
        const QSet<QString> ids = answered();
        bool all = m_sandbox->unackedCount() == 0;
        for (auto it = answerable.cbegin(); all && it != answerable.cend(); ++it)
            all = !it.value() || ids.contains(it.key());
        if (all)
            break;
        if (settle.hasExpired()) {
            const qint64 due = latestPendingAttempt() - QDateTime::currentMSecsSinceEpoch();
            if (due < -30000 || due > kOutboxHorizonMs || hardLimit.hasExpired())
                break;
            settle.setRemainingTime(std::max<qint64>(due, 0) + 30000);
            ++extensions;
            out << "soak: waiting " << (std::max<qint64>(due, 0) + 30000) / 1000
                << " s more for replies still pending in the bot's outbox (back-off)\n";
            out.flush();
        }
        QTest::qWait(200);
    }
    out << "soak: settle phase extended " << extensions << " time(s) for pending outbox replies\n";
    QTest::qWait(1500); // a late duplicate would show up now
    sampleMemory();
    const int exitCode = m_bot->terminate(15000);

    // Replies per IM message, counted per part through the bot's outbox (uuid -> part).
    QString integrity;
    QHash<QString, QPair<int, int>> partOfUuid; // uuid -> (part_index, part_count)
    QHash<QString, QString> ledgerOutcome;      // IM id -> event_ledger outcome
    QHash<QString, QString> outboxState;        // IM id -> state of its reply in the outbox
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("soak"));
        db.setDatabaseName(dir.filePath(QStringLiteral("bot.db")));
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA integrity_check")));
        while (q.next())
            integrity += q.value(0).toString();
        QVERIFY(q.exec(QStringLiteral("SELECT uuid, part_index, part_count FROM outbox")));
        while (q.next())
            partOfUuid.insert(q.value(0).toString(), {q.value(1).toInt(), q.value(2).toInt()});
        // What the bot recorded, to tell why a message went unanswered.
        QVERIFY(q.exec(QStringLiteral("SELECT key, outcome FROM event_ledger")));
        while (q.next())
            ledgerOutcome.insert(q.value(0).toString(), q.value(1).toString());
        QVERIFY(q.exec(QStringLiteral("SELECT target, state, attempts, COALESCE(last_error, '') FROM outbox"
                                      " WHERE kind = 'reply'")));
        while (q.next())
            outboxState.insert(q.value(0).toString(), QStringLiteral("%1 after %2 attempt(s) %3")
                                                          .arg(q.value(1).toString())
                                                          .arg(q.value(2).toInt())
                                                          .arg(q.value(3).toString().left(200)));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("soak"));

    QHash<QString, QHash<int, int>> partsSent; // IM id -> part index -> deliveries
    QHash<QString, int> partCount;
    int unknownUuids = 0;
    for (const FeishuSandbox::SentMessage &m : m_sandbox->sentMessages()) {
        if (m.kind != QLatin1String("reply"))
            continue;
        const auto part = partOfUuid.value(m.uuid, {-1, 1});
        unknownUuids += part.first < 0;
        ++partsSent[m.target][qMax(0, part.first)];
        partCount[m.target] = qMax(partCount.value(m.target), part.second);
    }
    int answerableCount = 0, duplicates = 0, losses = 0, answeredUnanswerable = 0, incomplete = 0;
    QStringList problems;
    for (auto it = answerable.cbegin(); it != answerable.cend(); ++it) {
        const QHash<int, int> parts = partsSent.value(it.key());
        const QByteArray frame = m_sandbox->frameMessageIdOf(it.key());
        if (!it.value()) {
            if (!parts.isEmpty()) {
                ++answeredUnanswerable;
                problems << QStringLiteral("answered a message it must ignore: %1").arg(it.key());
            }
            continue;
        }
        ++answerableCount;
        if (parts.isEmpty()) {
            // A push ACKed just before a SIGKILL is no excuse: the journal hands it to the next start.
            ++losses;
            problems << QStringLiteral(
                            "never answered: %1 (ledger: %2; outbox: %3; ACKed %4 ms into the run)")
                            .arg(it.key(), ledgerOutcome.value(it.key(), QStringLiteral("no entry")),
                                 outboxState.value(it.key(), QStringLiteral("no reply queued")))
                            .arg(m_ackAtMs.value(frame, -1))
                     << QStringLiteral("  next SIGKILL after that ACK: %1 ms into the run")
                            .arg(nextKillAfter(m_ackAtMs.value(frame, -1)));
            continue;
        }
        int most = 0;
        for (int n : parts)
            most = qMax(most, n);
        if (most > 1) {
            duplicates += most - 1;
            problems << QStringLiteral("answered %1 times: %2").arg(most).arg(it.key());
        }
        if (parts.size() < partCount.value(it.key())) {
            ++incomplete;
            problems << QStringLiteral("%1 of %2 parts delivered: %3")
                            .arg(parts.size())
                            .arg(partCount.value(it.key()))
                            .arg(it.key());
        }
    }

    out << "soak figures (seed " << seed << "):\n";
    out << "  messages pushed: " << pushed.size() << ", answerable: " << answerableCount
        << ", frames pushed: " << m_sandbox->pushCount() << ", re-pushes: " << m_sandbox->repushCount()
        << ", ACKs: " << m_sandbox->ackCount() << '\n';
    out << "  faults:";
    for (auto it = m_faults.cbegin(); it != m_faults.cend(); ++it)
        out << ' ' << it.key() << ' ' << it.value() << ';';
    out << "\n  replies sent: " << m_sandbox->sentMessages().size()
        << ", repeated uuids answered from the platform's memory: " << m_sandbox->duplicateUuidRequests()
        << '\n';
    out << "  duplicates: " << duplicates << ", losses: " << losses
        << ", answered but should not: " << answeredUnanswerable << ", incomplete: " << incomplete
        << ", replies with a uuid the outbox does not know: " << unknownUuids << '\n';
    out << "  ACKs missed (frames never ACKed): " << m_sandbox->unackedCount()
        << ", malformed ACKs: " << m_sandbox->badAcks() << ", unknown ACKs: " << m_sandbox->unknownAcks()
        << '\n';
    out << "  bot RSS: last " << m_lastRssKb / 1024.0 << " MB, peak " << m_peakRssKb / 1024.0
        << " MB; SIGKILLs: " << kills << ", exit code at the end: " << exitCode << '\n';
    out << "  integrity_check: " << integrity << '\n';
    out.flush();
    if (!problems.isEmpty())
        qWarning().noquote() << problems.mid(0, 20).join(QLatin1Char('\n'));
    if (losses || duplicates || incomplete)
        qWarning().noquote() << "bot log (end):\n" << m_bot->log().right(6000);

    QCOMPARE(integrity, QStringLiteral("ok"));
    QCOMPARE(duplicates, 0);
    QCOMPARE(losses, 0);
    QCOMPARE(answeredUnanswerable, 0);
    QCOMPARE(incomplete, 0);
    QCOMPARE(unknownUuids, 0);
    QCOMPARE(m_sandbox->unackedCount(), 0);
    QCOMPARE(m_sandbox->badAcks(), 0);
    QCOMPARE(exitCode, 0);
}

int main(int argc, char **argv)
{
    // QtTest ends a test function after 5 minutes; the soak and its settling may take longer.
    if (!qEnvironmentVariableIsSet("QTEST_FUNCTION_TIMEOUT"))
        qputenv("QTEST_FUNCTION_TIMEOUT", QByteArray::number((qint64(qMax(0, soakSeconds())) + 900) * 1000));
    QCoreApplication app(argc, argv);
    TestSoak test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_soak.moc"
