// End to end, one row per key of the settings table: the key is set in the .env of the real
// tsp-assistant binary (--headless, against FeishuSandbox and LlmStandIn on 127.0.0.1) and its
// effect is observed from outside: in the requests the stand-ins receive, the replies, the
// database or the log. A key of the table without a check here fails the test, so a new key
// cannot ship untested.
#include <functional>

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include "botprocess.h"
#include "config/settingstable.h"
#include "sandbox/bitablesandbox.h"
#include "sandbox/feishusandbox.h"
#include "sandbox/llmstandin.h"
#include "testutil.h"

using namespace Qt::StringLiterals;

namespace {

constexpr int kReplyMs = 30000;
const QString kQuestion = QStringLiteral("车机没网");

// An HTTP proxy that only records what it is asked (and never forwards).
class RecordingProxy final : public QObject
{
public:
    bool start()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                QObject::connect(s, &QTcpSocket::readyRead, this, [this, s] { m_seen += s->readAll(); });
                QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
        return m_server.listen(QHostAddress::LocalHost);
    }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()); }
    QByteArray seen() const { return m_seen; }

private:
    QTcpServer m_server;
    QByteArray m_seen;
};

bool isAnswerRequest(const QJsonObject &request)
{
    return !request.contains(QLatin1String("response_format")); // the analysis asks for JSON
}

} // namespace

class TestSettingKeys final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void everyKeyHasAnEffect_data();
    void everyKeyHasAnEffect();

private:
    struct Check
    {
        QString value;                 // written to the .env (a function of the fixture: see below)
        std::function<void()> arrange; // before the start (faults, delays)
        std::function<void()> observe; // after the start
    };
    QHash<QString, std::function<Check()>> checks();
    bool startBot(bool waitForBotInfo = true);
    QString push(const QString &text);
    QString replyTextTo(const QString &imId) const;
    bool waitForReply(const QString &imId, int timeoutMs = kReplyMs);
    QList<QJsonObject> answerRequests() const;
    // The console (not --headless) on the same .env and data dir, offscreen, in English, with an
    // empty config dir; returns what it printed by the time it logged its window (then it is
    // stopped). The headless bot is stopped first (one instance per data dir).
    QString consoleLog();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FeishuSandbox> m_sandbox;
    std::unique_ptr<LlmStandIn> m_llm;
    std::unique_ptr<LlmStandIn> m_otherLlm;
    std::unique_ptr<RecordingProxy> m_proxy;
    std::unique_ptr<BotProcess> m_bot;
    QHash<QString, QString> m_env;
    FeishuSandbox::Options m_sandboxOptions;
};

void TestSettingKeys::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_sandboxOptions = {};
    m_sandboxOptions.repushDelayMs = 0;
    m_sandbox = std::make_unique<FeishuSandbox>(m_sandboxOptions);
    m_sandbox->setClientConfig(QJsonObject{{QStringLiteral("PingInterval"), 30},
                                           {QStringLiteral("ReconnectCount"), -1},
                                           {QStringLiteral("ReconnectInterval"), 1},
                                           {QStringLiteral("ReconnectNonce"), 1}});
    QVERIFY(m_sandbox->start());
    m_llm = std::make_unique<LlmStandIn>();
    QVERIFY(m_llm->start());
    m_otherLlm = std::make_unique<LlmStandIn>();
    QVERIFY(m_otherLlm->start());
    m_proxy = std::make_unique<RecordingProxy>();
    QVERIFY(m_proxy->start());
    m_bot = std::make_unique<BotProcess>(m_dir->path());
    m_env = BotProcess::sandboxEnv(*m_sandbox, *m_llm, QStringLiteral("sk-e2e-llm-secret-key"));
}

void TestSettingKeys::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << "bot log:\n" << m_bot->log().right(6000);
    m_bot.reset();
    m_proxy.reset();
    m_otherLlm.reset();
    m_llm.reset();
    m_sandbox.reset();
    m_dir.reset();
}

bool TestSettingKeys::startBot(bool waitForBotInfo)
{
    const int before = m_sandbox->totalConnections();
    if (!m_bot->start())
        return false;
    QDeadlineTimer deadline(20000);
    while (m_sandbox->totalConnections() <= before ||
           (waitForBotInfo && !m_bot->log().contains(QLatin1String("open_id ou_sandbox_bot")))) {
        if (deadline.hasExpired() || !m_bot->isRunning())
            return false;
        QTest::qWait(20);
    }
    return true;
}

QString TestSettingKeys::push(const QString &text)
{
    FeishuSandbox::TextPush p;
    p.text = text;
    p.chatType = QStringLiteral("p2p");
    p.senderOpenId = QStringLiteral("ou_user_a");
    return m_sandbox->pushText(p);
}

QString TestSettingKeys::replyTextTo(const QString &imId) const
{
    QString text;
    for (const FeishuSandbox::SentMessage &m : m_sandbox->sentMessages())
        if (m.kind == QLatin1String("reply") && m.target == imId)
            text += m.text;
    return text;
}

bool TestSettingKeys::waitForReply(const QString &imId, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (replyTextTo(imId).isEmpty()) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(20);
    }
    return true;
}

QList<QJsonObject> TestSettingKeys::answerRequests() const
{
    QList<QJsonObject> out;
    for (const QJsonObject &r : m_llm->requests())
        if (isAnswerRequest(r))
            out << r;
    return out;
}

QString TestSettingKeys::consoleLog()
{
    m_bot->terminate();
    QProcess console;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    env.insert(u"LANG"_s, u"en_US.UTF-8"_s);
    env.insert(u"LC_ALL"_s, u"en_US.UTF-8"_s);
    env.insert(u"LANGUAGE"_s, u"en"_s);
    env.insert(u"XDG_CONFIG_HOME"_s, m_dir->filePath(u"xdg-config"_s));
    env.remove(u"QT_LOGGING_RULES"_s);
    console.setProcessEnvironment(env);
    console.setProcessChannelMode(QProcess::MergedChannels);
    console.setWorkingDirectory(m_dir->path());
    console.start(TestUtil::appBinary(),
                  {u"--env-file"_s, m_bot->envFilePath(), u"--data-dir"_s, m_dir->path()});
    QString log;
    QDeadlineTimer deadline(20000);
    while (!log.contains(QLatin1String("console window")) && !deadline.hasExpired() &&
           console.state() != QProcess::NotRunning) {
        console.waitForReadyRead(100);
        log += QString::fromUtf8(console.readAll());
    }
    console.terminate();
    if (!console.waitForFinished(10000))
        console.kill();
    log += QString::fromUtf8(console.readAll());
    return log;
}

// The checks. Each sets its key to a value that differs from the fixture's (or the default) and
// observes what only that value can cause.
QHash<QString, std::function<TestSettingKeys::Check()>> TestSettingKeys::checks()
{
    auto answered = [this] {
        const QString id = push(kQuestion);
        QVERIFY2(waitForReply(id), "no reply");
    };
    auto lastAnswerRequest = [this] {
        const QList<QJsonObject> r = answerRequests();
        return r.isEmpty() ? QJsonObject() : r.last();
    };
    QHash<QString, std::function<Check()>> c;
    // Feishu: the fixture's values are the ones that work; the bot reaches the sandbox with them
    // and the banner names where they came from.
    c[u"FEISHU_APP_ID"_s] = [=, this] {
        return Check{m_sandboxOptions.appId, {}, [=, this] {
                         QVERIFY(m_bot->log().contains(m_sandboxOptions.appId + QLatin1String(" (.env)")));
                         answered();
                     }};
    };
    c[u"FEISHU_APP_SECRET"_s] = [=, this] {
        return Check{m_sandboxOptions.appSecret, {}, [=, this] {
                         answered();
                         QVERIFY(!m_bot->log().contains(m_sandboxOptions.appSecret)); // a secret
                     }};
    };
    c[u"FEISHU_DOMAIN"_s] = [=, this] {
        return Check{m_sandbox->baseUrl().toString() + QLatin1Char('/'), {}, [=, this] {
                         QVERIFY(m_sandbox->totalConnections() >= 1);
                         answered();
                     }};
    };
    c[u"FEISHU_PROXY"_s] = [this] {
        // The bootstrap POST goes to the proxy (which never forwards): the sandbox sees nobody.
        return Check{m_proxy->url(), {}, [this] {
                         const QByteArray host = m_sandbox->baseUrl().authority().toUtf8();
                         QTRY_VERIFY_WITH_TIMEOUT(m_proxy->seen().contains(host), 20000);
                         QVERIFY(m_proxy->seen().startsWith("POST http://") ||
                                 m_proxy->seen().startsWith("CONNECT "));
                         QCOMPARE(m_sandbox->totalConnections(), 0);
                     }};
    };
    c[u"FEISHU_CA_FILE"_s] = [this] {
        return Check{m_dir->filePath(QStringLiteral("missing-ca.pem")), {}, [this] {
                         QCOMPARE(m_bot->waitForExit(20000), 2); // bad configuration
                         QVERIFY(m_bot->log().contains(QLatin1String("FEISHU_CA_FILE")));
                     }};
    };
    // Assistant
    c[u"LLM_PROVIDER"_s] = [=, this] {
        return Check{u"none"_s, {}, [=, this] {
                         answered(); // from the knowledge base
                         QCOMPARE(answerRequests().size(), 0);
                     }};
    };
    c[u"LLM_API_KEY"_s] = [=, this] {
        return Check{u"sk-e2e-another-key"_s, {}, [=, this] {
                         answered();
                         QCOMPARE(m_llm->lastAuthorization(), QByteArray("Bearer sk-e2e-another-key"));
                         QVERIFY(!m_bot->log().contains(QLatin1String("sk-e2e-another-key")));
                     }};
    };
    c[u"LLM_BASE_URL"_s] = [=, this] {
        return Check{m_otherLlm->baseUrl(), {}, [=, this] {
                         answered();
                         QVERIFY(m_otherLlm->requestCount() >= 1);
                         QCOMPARE(m_llm->requestCount(), 0);
                     }};
    };
    c[u"LLM_MODEL"_s] = [=, this] {
        return Check{u"e2e-model-x"_s, {}, [=, this] {
                         answered();
                         QCOMPARE(lastAnswerRequest().value(QLatin1String("model")).toString(),
                                  u"e2e-model-x"_s);
                     }};
    };
    c[u"LLM_TEMPERATURE"_s] = [=, this] {
        return Check{u"1.7"_s, {}, [=, this] {
                         answered();
                         QCOMPARE(lastAnswerRequest().value(QLatin1String("temperature")).toDouble(), 1.7);
                     }};
    };
    c[u"LLM_MAX_TOKENS"_s] = [=, this] {
        return Check{u"77"_s, {}, [=, this] {
                         answered();
                         QCOMPARE(lastAnswerRequest().value(QLatin1String("max_tokens")).toInt(), 77);
                     }};
    };
    c[u"LLM_TIMEOUT_MS"_s] = [=, this] {
        // The LLM never answers in time (20 s, below the default 60 s timeout): the knowledge
        // fallback answers after the 500 ms attempt, far inside the wait below.
        return Check{u"500"_s,
                     [this] {
                         m_llm->setDelay(20000);
                         m_env.insert(u"LLM_RETRIES"_s, u"0"_s);
                     },
                     [=, this] {
                         const QString id = push(kQuestion);
                         QVERIFY2(waitForReply(id, 15000),
                                  "no fallback reply before the stand-in's 20 s delay");
                         QCOMPARE(answerRequests().size(), 1);
                     }};
    };
    c[u"LLM_RETRIES"_s] = [=, this] {
        return Check{u"3"_s, [this] { m_llm->setFault(LlmStandIn::Fault::Http500); },
                     [=, this] {
                         answered(); // the fallback after 1 + 3 attempts
                         QCOMPARE(answerRequests().size(), 4);
                     }};
    };
    c[u"LLM_STREAM"_s] = [=, this] {
        return Check{u"false"_s, {}, [=, this] {
                         answered();
                         QCOMPARE(lastAnswerRequest().value(QLatin1String("stream")).toBool(true), false);
                     }};
    };
    auto withEmbeddings = [this] { m_env.insert(u"EMBEDDING_BASE_URL"_s, m_llm->baseUrl()); };
    c[u"EMBEDDING_BASE_URL"_s] = [=, this] {
        return Check{m_llm->baseUrl(), {}, [=, this] {
                         answered();
                         QVERIFY(m_llm->embeddingRequestCount() >= 1);
                         QVERIFY(m_bot->log().contains(QLatin1String("hybrid knowledge search")));
                     }};
    };
    c[u"EMBEDDING_API_KEY"_s] = [=, this] {
        return Check{u"sk-e2e-embedding-key"_s, withEmbeddings, [=, this] {
                         answered();
                         QCOMPARE(m_llm->lastEmbeddingAuthorization(),
                                  QByteArray("Bearer sk-e2e-embedding-key"));
                     }};
    };
    c[u"EMBEDDING_MODEL"_s] = [=, this] {
        return Check{u"e2e-embedding-model"_s, withEmbeddings, [=, this] {
                         answered();
                         QVERIFY(!m_llm->embeddingRequests().isEmpty());
                         QCOMPARE(m_llm->embeddingRequests().last().value(QLatin1String("model")).toString(),
                                  u"e2e-embedding-model"_s);
                     }};
    };
    c[u"EMBEDDING_DIMENSIONS"_s] = [=, this] {
        return Check{
            u"64"_s, withEmbeddings, [=, this] {
                answered();
                QVERIFY(!m_llm->embeddingRequests().isEmpty());
                QCOMPARE(m_llm->embeddingRequests().last().value(QLatin1String("dimensions")).toInt(), 64);
            }};
    };
    c[u"EMBEDDING_TIMEOUT_MS"_s] = [=, this] {
        // Embeddings answer after 3 s, inside the default 5 s timeout: only at 300 ms do the
        // calls time out (the search then ranks by keywords); the question is still answered.
        return Check{u"300"_s,
                     [=, this] {
                         withEmbeddings();
                         m_llm->setEmbeddingDelay(3000);
                     },
                     [=, this] {
                         answered();
                         QTRY_VERIFY_WITH_TIMEOUT(m_bot->log().contains(QLatin1String("timed out")), 15000);
                     }};
    };
    // Sessions
    // Tickets: a Bitable table in the sandbox; the bot syncs with it at start.
    auto withTable = [this](const QString &otherKey, const QString &otherValue) {
        m_sandbox->bitable()->createTable(u"bascnE2E"_s, u"tblE2E"_s);
        m_env.insert(otherKey, otherValue);
    };
    auto logShows = [this](const QString &text) {
        QDeadlineTimer deadline(kReplyMs);
        while (!m_bot->log().contains(text) && !deadline.hasExpired())
            QTest::qWait(50);
        QVERIFY2(m_bot->log().contains(text), qPrintable(text));
    };
    c[u"BITABLE_APP_TOKEN"_s] = [=, this] {
        return Check{u"bascnE2E"_s, [=, this] { withTable(u"BITABLE_TABLE_ID"_s, u"tblE2E"_s); },
                     [=, this] { logShows(u"ticket sync:"_s); }};
    };
    c[u"BITABLE_TABLE_ID"_s] = [=, this] {
        return Check{u"tblE2E"_s, [=, this] { withTable(u"BITABLE_APP_TOKEN"_s, u"bascnE2E"_s); },
                     [=, this] { logShows(u"ticket sync:"_s); }};
    };
    c[u"TICKETS_SYNC_MINUTES"_s] = [=, this] {
        return Check{u"3"_s,
                     [=, this] {
                         withTable(u"BITABLE_TABLE_ID"_s, u"tblE2E"_s);
                         m_env.insert(u"BITABLE_APP_TOKEN"_s, u"bascnE2E"_s);
                     },
                     [=, this] { logShows(u"tickets sync with Bitable every 3 min"_s); }};
    };
    c[u"TICKETS_FIELD_MAP"_s] = [=, this] {
        // The table has no field of that name: the sync stops before any write and says so.
        return Check{u"{\"title\":\"工单标题\"}"_s,
                     [=, this] {
                         withTable(u"BITABLE_TABLE_ID"_s, u"tblE2E"_s);
                         m_env.insert(u"BITABLE_APP_TOKEN"_s, u"bascnE2E"_s);
                     },
                     [=, this] { logShows(u"工单标题"_s); }};
    };
    c[u"TICKETS_AUTO_ON_ESCALATION"_s] = [=, this] {
        return Check{u"true"_s, {}, [=, this] {
                         push(u"我要投诉你们4S店的销售态度，给我一个说法"_s);
                         logShows(u"made for escalated session"_s);
                     }};
    };
    c[u"SESSION_IDLE_MINUTES"_s] = [this] {
        return Check{
            u"7"_s, {}, [this] { QVERIFY(m_bot->log().contains(QLatin1String("idle timeout 7 min"))); }};
    };
    c[u"DEFAULT_MODE"_s] = [this] {
        return Check{u"manual"_s, {}, [this] {
                         push(kQuestion);
                         QString mode;
                         QDeadlineTimer deadline(kReplyMs);
                         while (mode.isEmpty() && !deadline.hasExpired()) {
                             QTest::qWait(100);
                             QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"peek"_s);
                             db.setDatabaseName(m_dir->filePath(u"bot.db"_s));
                             db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
                             if (db.open()) {
                                 QSqlQuery q(db);
                                 if (q.exec(u"SELECT mode FROM sessions"_s) && q.next())
                                     mode = q.value(0).toString();
                             }
                             db = {};
                             QSqlDatabase::removeDatabase(u"peek"_s);
                         }
                         QCOMPARE(mode, u"manual"_s);
                     }};
    };
    // Review mode: without DRAFT_TIMEOUT_SECONDS a draft waits for an operator and the customer
    // hears nothing; with it, the policy decides after the timeout.
    c[u"DRAFT_TIMEOUT_SECONDS"_s] = [=, this] {
        return Check{u"1"_s, [this] { m_env.insert(u"DEFAULT_MODE"_s, u"review"_s); },
                     [=, this] {
                         const QString id = push(kQuestion);
                         QVERIFY2(waitForReply(id), "the draft was never decided");
                         QVERIFY(m_bot->waitForLog(u"handed to a person"_s, 5000)); // the default policy
                     }};
    };
    c[u"DRAFT_TIMEOUT_POLICY"_s] = [=, this] {
        return Check{u"send"_s,
                     [this] {
                         m_env.insert(u"DEFAULT_MODE"_s, u"review"_s);
                         m_env.insert(u"DRAFT_TIMEOUT_SECONDS"_s, u"1"_s);
                     },
                     [=, this] {
                         const QString id = push(kQuestion);
                         QVERIFY2(waitForReply(id), "the draft was never sent");
                         QVERIFY(m_bot->waitForLog(u"sent as written"_s, 5000));
                         QVERIFY(!m_bot->log().contains(QLatin1String("handed to a person")));
                     }};
    };
    c[u"DATABASE_URL"_s] = [=, this] {
        return Check{u"sqlite:///elsewhere.db"_s, {}, [=, this] {
                         answered();
                         QVERIFY(QFileInfo::exists(m_dir->filePath(u"elsewhere.db"_s)));
                         QVERIFY(!QFileInfo::exists(m_dir->filePath(u"bot.db"_s)));
                     }};
    };
    c[u"HISTORY_TURNS"_s] = [=, this] {
        // 0: the LLM sees the question alone, although the conversation has an earlier question
        // and answer (the default window of 8 would give it both).
        return Check{u"0"_s, {}, [=, this] {
                         answered();
                         const QString second = push(u"远程解锁失败怎么办"_s);
                         QVERIFY2(waitForReply(second), "no reply to the second question");
                         const QJsonObject last = lastAnswerRequest();
                         int user = 0, assistant = 0;
                         for (const QJsonValue &m : last.value(QLatin1String("messages")).toArray()) {
                             const QString role = m.toObject().value(QLatin1String("role")).toString();
                             user += role == QLatin1String("user");
                             assistant += role == QLatin1String("assistant");
                         }
                         QVERIFY2(answerRequests().size() >= 2, "the second question did not reach the LLM");
                         QCOMPARE(assistant, 0);
                         QCOMPARE(user, 1);
                     }};
    };
    // Interface: the console's own keys, observed on the console.
    c[u"UI_LANGUAGE"_s] = [=, this] {
        return Check{u"zh_CN"_s, {}, [=, this] {
                         const QString log = consoleLog();
                         QVERIFY2(log.contains(QLatin1String("interface language: zh_CN")), qPrintable(log));
                         // The window itself is in Chinese although the system is English.
                         QVERIFY2(log.contains(u"console window \"TSP 助手\""_s), qPrintable(log));
                     }};
    };
    c[u"START_MINIMIZED"_s] = [=, this] {
        return Check{u"true"_s, {}, [=, this] {
                         const QString log = consoleLog();
                         // Offscreen there is no tray: the window starts minimized, not shown.
                         QVERIFY2(log.contains(QLatin1String("minimized, no tray (START_MINIMIZED)")),
                                  qPrintable(log));
                     }};
    };
    // Logging
    c[u"LOG_FILE"_s] = [=, this] {
        // Relative: taken from the data dir; the folder is created.
        return Check{u"custom-logs/e2e.log"_s, {}, [=, this] {
                         answered();
                         QFile f(m_dir->filePath(u"custom-logs/e2e.log"_s));
                         QVERIFY(f.open(QIODevice::ReadOnly));
                         QVERIFY(f.readAll().contains("starting headless"));
                         QVERIFY(!QFileInfo::exists(m_dir->filePath(u"logs/tsp-assistant.log"_s)));
                     }};
    };
    c[u"LOG_LEVEL"_s] = [=, this] {
        return Check{u"ERROR"_s, {}, [=, this] {
                         answered();
                         QVERIFY(!m_bot->log().contains(QLatin1String("starting headless")));
                     }};
    };
    return c;
}

void TestSettingKeys::everyKeyHasAnEffect_data()
{
    QTest::addColumn<QString>("key");
    for (const SettingSpec &s : SettingsTable::all())
        QTest::newRow(s.key) << s.name();
}

void TestSettingKeys::everyKeyHasAnEffect()
{
    QFETCH(QString, key);
    const auto all = checks();
    if (!all.contains(key))
        QFAIL(qPrintable(u"no end-to-end check for %1: add one to tst_settingkeys"_s.arg(key)));
    const Check check = all.value(key)();
    if (check.arrange)
        check.arrange();
    m_env.insert(key, check.value);
    m_bot->writeEnv(m_env);
    const bool startMustFail = key == QLatin1String("FEISHU_PROXY") || key == QLatin1String("FEISHU_CA_FILE");
    if (startMustFail) {
        QVERIFY(m_bot->start());
    } else {
        // At LOG_LEVEL=ERROR the info line about the bot's open_id is (rightly) not logged.
        QVERIFY2(startBot(key != QLatin1String("LOG_LEVEL")), "the bot did not connect to the sandbox");
        QVERIFY2(!m_bot->log().contains(QLatin1String("(typo?)")), "the key was taken for a typo");
    }
    check.observe();
}

QTEST_GUILESS_MAIN(TestSettingKeys)
#include "tst_settingkeys.moc"
