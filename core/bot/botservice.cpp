#include "bot/botservice.h"

#include <QDateTime>
#include <QDir>

#include "assistant/analyzer.h"
#include "assistant/assistant.h"
#include "assistant/llmclient.h"
#include "bot/analysisscheduler.h"
#include "bot/memorytrimmer.h"
#include "bot/namedirectory.h"
#include "bot/pushinbox.h"
#include "bot/ticketservice.h"
#include "chat/draftstore.h"
#include "chat/outbox.h"
#include "chat/pipeline.h"
#include "chat/sessionmanager.h"
#include "desk/changefeed.h"
#include "desk/deskbackend.h"
#include "desk/healthmonitor.h"
#include "desk/knowledgedesk.h"
#include "desk/localchangesource.h"
#include "desk/operatordesk.h"
#include "desk/statistics.h"
#include "feishu/openapiclient.h"
#include "feishu/pushjournal.h"
#include "knowledge/embeddingclient.h"
#include "knowledge/knowledgebase.h"
#include "knowledge/knowledgesearch.h"
#include "knowledge/retrieverthread.h"
#include "logging/redact.h"
#include "logging_p.h"
#include "net/backoff.h"
#include "storage/analysisstore.h"
#include "storage/auditlog.h"
#include "storage/database.h"
#include "storage/eventledger.h"
#include "storage/settingsstore.h"
#include "storage/transaction.h"
#include "storage/walcheckpointer.h"

namespace {

const QString kBotOpenIdKey = QStringLiteral("feishu.bot_open_id");
constexpr int kMaxWaiting = 10000;                // pushes held while the bot's open_id is unknown
constexpr qint64 kInboxSliceNs = 2 * 1000 * 1000; // handling time before the socket is served again
constexpr int kTrimAfterIdleMs = 10000;           // quiet time after work before freed heap is returned

} // namespace

BotService::BotService(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    m_botInfoTimer.setSingleShot(true);
    connect(&m_botInfoTimer, &QTimer::timeout, this, &BotService::fetchBotInfo);
    m_outboxHealthTimer.setSingleShot(true);
    m_outboxHealthTimer.setInterval(300);
    connect(&m_outboxHealthTimer, &QTimer::timeout, this, &BotService::refreshOutboxHealth);
    m_inboxTimer.setSingleShot(true);
    m_inboxTimer.setInterval(0);
    connect(&m_inboxTimer, &QTimer::timeout, this, &BotService::drainInbox);
    m_incoming = std::make_unique<PushInbox>();
    connect(m_incoming.get(), &PushInbox::ready, this, &BotService::drainInbox);
    m_trimmer = std::make_unique<MemoryTrimmer>(kTrimAfterIdleMs, [this] {
        return !m_inbox.isEmpty() || (m_pipeline && !m_pipeline->isIdle()) ||
               (m_outbox && m_outbox->stats().inFlight > 0);
    });
    connect(&m_draftTimer, &QTimer::timeout, this, &BotService::expireDrafts);
    m_drainTimer.setInterval(50);
    connect(&m_drainTimer, &QTimer::timeout, this, &BotService::checkDrained);
}

BotService::~BotService()
{
    // The connection first, on its own thread; it has no database.
    if (m_ioThread) {
        if (m_connection) {
            QMetaObject::invokeMethod(m_connection, &LongConnection::stop, Qt::BlockingQueuedConnection);
            m_connection->deleteLater(); // the thread deletes it when its loop ends
            m_connection = nullptr;
        }
        m_ioThread->quit();
        m_ioThread->wait();
    }
    // Then the objects that hold the database.
    m_tickets.reset();
    m_statistics.reset();
    m_knowledgeDesk.reset();
    m_desk.reset();
    m_changeSource.reset();
    m_analysis.reset();
    m_names.reset();
    m_pipeline.reset();
    m_drafts.reset();
    m_outbox.reset();
    m_openApi.reset();
    m_audit.reset();
    m_ledger.reset();
    m_sessions.reset();
    m_analysisStore.reset();
    m_analyzer.reset();
    m_assistant.reset();
    m_searchThread.reset(); // its connection is its own; replies to the two above are dropped
    m_llm.reset();
    m_search.reset();
    m_knowledge.reset();
    m_checkpointer.reset();
    if (m_db)
        m_db->close();
}

bool BotService::open(QString *error)
{
    const AppConfig &c = m_options.config;

    NetworkOptions network;
    QString why;
    if (!networkOptions(c, &network, error))
        return false;

    const Database::Location location = Database::parseUrl(c.databaseUrl, c.dataDir);
    if (location.kind == Database::Location::Invalid) {
        *error = QStringLiteral("DATABASE_URL: %1").arg(location.error);
        return false;
    }
    m_db = std::make_unique<Database>(QStringLiteral("tsp-bot"));
    if (!m_db->open(location)) {
        *error = m_db->errorString();
        return false;
    }

    if (m_db->isSqlite()) {
        m_checkpointer = std::make_unique<WalCheckpointer>(m_db.get());
        if (QString ckptError; !m_checkpointer->start(&ckptError)) {
            qCWarning(lcDb).noquote() << ckptError << "- SQLite checkpoints on the main thread instead";
            m_checkpointer.reset();
        }
    }

    m_knowledge = std::make_unique<KnowledgeBase>(*m_db);
    if (!m_knowledge->ensureSeeded(&why)) {
        *error = QStringLiteral("knowledge base: %1").arg(why);
        return false;
    }
    m_search = std::make_unique<KnowledgeSearch>(*m_db);
    if (const EmbeddingOptions embeddings = EmbeddingOptions::fromConfig(c); embeddings.isEnabled())
        m_search->setEmbeddingOptions(embeddings);
    // The main thread never waits on the endpoint: the assistant and the analyzer prepare() first.
    m_search->setWaitForEmbeddings(false);

    m_assistant = std::make_unique<Assistant>(m_search.get());
    m_analyzer = std::make_unique<Analyzer>(m_search.get());
    // The answers' and analyses' searches leave the main thread: a SQLite file can be read by a
    // second connection on a thread of its own. (PostgreSQL: they stay here, prepared as above.)
    if (RetrieverThread::canSearchOn(*m_db)) {
        m_searchThread = std::make_unique<RetrieverThread>(
            QStringLiteral("bot-search"),
            RetrieverThread::searchOn(*m_db, m_search->options(), EmbeddingOptions::fromConfig(c)));
        m_assistant->setRetrieverThread(m_searchThread.get());
        m_analyzer->setRetrieverThread(m_searchThread.get());
    }
    applyLlm(c, network);
    m_analysisStore = std::make_unique<AnalysisStore>(m_db.get());

    m_sessions = std::make_unique<SessionManager>(m_db.get());
    m_sessions->setIdleTimeoutMs(qint64(c.sessionIdleMinutes) * 60 * 1000);
    applyHistoryWindow(c);
    if (c.sources.value(QStringLiteral("DEFAULT_MODE")) != AppConfig::Source::Default) {
        if (const auto mode = parseSessionMode(c.defaultMode); mode && *mode != m_sessions->defaultMode())
            m_sessions->setDefaultMode(*mode);
    }
    m_ledger = std::make_unique<EventLedger>(m_db.get());
    m_audit = std::make_unique<AuditLog>(m_db.get());

    OpenApiClient::Options api;
    api.domain = c.feishuDomain.toString();
    api.appId = c.appId;
    api.appSecret = c.appSecret;
    api.network = network;
    m_openApi = std::make_unique<OpenApiClient>(api);
    m_outbox = std::make_unique<Outbox>(m_db.get(), m_openApi.get());
    m_drafts = std::make_unique<DraftStore>(m_db.get(), m_sessions.get(), m_outbox.get(), m_audit.get());
    m_pipeline = std::make_unique<Pipeline>(m_db.get(), m_ledger.get(), m_sessions.get(), m_outbox.get(),
                                            m_drafts.get(), m_audit.get(), m_assistant.get());
    m_analysis = std::make_unique<AnalysisScheduler>(m_sessions.get(), m_analyzer.get(),
                                                     m_analysisStore.get(), m_options.analysisDebounceMs);
    connect(m_sessions.get(), &SessionManager::messageAdded, m_analysis.get(),
            [this](qint64 sessionId, qint64) { m_analysis->schedule(sessionId); });
    m_names = std::make_unique<NameDirectory>(m_openApi.get(), m_sessions.get());

    // The pushes the last run ACKed and may not have recorded: handled first, like any other
    // (the event ledger drops the ones that were recorded).
    m_journal = std::make_unique<PushJournal>(QDir(c.dataDir).filePath(QStringLiteral("pushes.journal")));
    QList<PushJournal::Record> leftOver;
    if (QString journalError; !m_journal->open(&leftOver, &journalError)) {
        qCWarning(lcApp).noquote() << journalError
                                   << "- running without it: a push ACKed just before a crash can be lost";
        m_journal.reset();
    }
    for (const PushJournal::Record &r : std::as_const(leftOver))
        m_inbox.append(r.payload);
    m_counters.events += leftOver.size();

    m_connection = new LongConnection(connectionOptions(c, network));
    m_connection->setJournal(m_journal.get());
    // Direct: runs on the I/O thread right after the ACK, and only queues the payload.
    connect(
        m_connection, &LongConnection::eventReceived, this,
        [this](const QByteArray &payload, const QByteArray &frameType, const QByteArray &) {
            if (frameType != "event" && frameType != "card")
                qCInfo(lcEvent).noquote()
                    << "push with frame type" << QString::fromLatin1(frameType) << "handled as an event";
            m_incoming->append(payload);
        },
        Qt::DirectConnection);
    connect(m_connection, &LongConnection::eventsDelivered, m_incoming.get(), &PushInbox::batchDone,
            Qt::DirectConnection);
    connect(m_connection, &LongConnection::connected, this, [this] {
        if (!m_readyEmitted) {
            m_readyEmitted = true;
            emit ready();
        }
    });
    connect(m_connection, &LongConnection::fatalError, this, &BotService::fatalError);
    // The operator API, fed from one change feed.
    m_feed = std::make_unique<ChangeFeed>();
    m_health = std::make_unique<HealthMonitor>();
    DeskBackend backend;
    backend.db = m_db.get();
    backend.sessions = m_sessions.get();
    backend.drafts = m_drafts.get();
    backend.outbox = m_outbox.get();
    backend.pipeline = m_pipeline.get();
    backend.audit = m_audit.get();
    backend.knowledge = m_knowledge.get();
    backend.search = m_search.get();
    backend.analysis = m_analysisStore.get();
    backend.health = m_health.get();
    backend.reconnect = [this] {
        if (m_connection && !m_stopping)
            QMetaObject::invokeMethod(m_connection, &LongConnection::restart, Qt::QueuedConnection);
    };
    m_changeSource = std::make_unique<LocalChangeSource>(backend, m_feed.get());
    connect(m_analysis.get(), &AnalysisScheduler::saved, m_changeSource.get(),
            &LocalChangeSource::analysisSaved);
    m_desk = std::make_unique<OperatorDesk>(backend, m_feed.get());
    m_knowledgeDesk = std::make_unique<KnowledgeDesk>(*m_db, *m_knowledge);
    m_statistics = std::make_unique<Statistics>(*m_db);
    wireHealth();
    m_tickets = std::make_unique<TicketService>(c, m_db.get(), m_openApi.get(), m_knowledge.get(),
                                                m_pipeline.get(), m_audit.get());
    if (!m_tickets->configError().isEmpty())
        qCWarning(lcConfig).noquote() << "TICKETS_FIELD_MAP:" << m_tickets->configError();

    m_ioThread = std::make_unique<QThread>();
    m_ioThread->setObjectName(QStringLiteral("feishu-io"));
    m_connection->moveToThread(m_ioThread.get());
    m_ioThread->start();

    const QString cached = SettingsStore(m_db.get()).value(kBotOpenIdKey);
    if (!cached.isEmpty()) {
        m_parser.setBotOpenId(cached);
        m_botKnown = true;
    }
    return true;
}

void BotService::start()
{
    if (m_started || !m_pipeline)
        return;
    m_started = true;
    // The connection first: it is the slow leg (bootstrap + upgrade), and it ACKs on its own.
    QMetaObject::invokeMethod(m_connection, &LongConnection::start, Qt::QueuedConnection);
    fetchBotInfo();
    m_pipeline->start();
    if (!m_inbox.isEmpty())
        m_inboxTimer.start(); // the journal's left-overs
    m_tickets->start();
    applyDraftTimeout(m_options.config);
}

void BotService::fetchBotInfo()
{
    if (m_stopping)
        return;
    ++m_botInfoAttempt;
    m_openApi->fetchBotInfo(
        [this](bool ok, const QString &openId, const QString &appName, const QString &error) {
            if (m_stopping)
                return;
            if (ok) {
                setBotOpenId(openId, appName);
                return;
            }
            if (!m_botKnown && !m_guessMentions) {
                m_guessMentions = true;
                qCWarning(lcFeishu)
                    << "the bot's open_id is unknown: until bot/v3/info answers, a group message with"
                       " exactly one @-mention counts as addressed to the bot";
                const QList<QByteArray> waiting = std::exchange(m_waiting, {});
                for (const QByteArray &payload : waiting)
                    dispatch(payload);
                settleJournal(int(waiting.size()));
            }
            const int delay = int(Backoff{1000, m_options.botInfoRetryMaxMs}.delayMs(m_botInfoAttempt));
            qCWarning(lcFeishu).noquote()
                << "cannot learn the bot's own open_id (bot/v3/info):" << error << "- retrying in" << delay
                << "ms" << (m_botKnown ? "(using the last known one meanwhile)" : "");
            m_botInfoTimer.start(delay);
        });
}

void BotService::setBotOpenId(const QString &openId, const QString &appName)
{
    if (openId != m_parser.botOpenId()) {
        m_parser.setBotOpenId(openId);
        SettingsStore(m_db.get()).setValue(kBotOpenIdKey, openId);
    }
    qCInfo(lcFeishu).noquote() << QStringLiteral("bot is \"%1\" (open_id %2)").arg(appName, openId);
    m_botKnown = true;
    m_guessMentions = false;
    const QList<QByteArray> waiting = std::exchange(m_waiting, {});
    if (!waiting.isEmpty())
        qCInfo(lcFeishu) << "handling" << waiting.size() << "push(es) that waited for the bot's open_id";
    for (const QByteArray &payload : waiting)
        dispatch(payload);
    settleJournal(int(waiting.size()));
}

void BotService::takeIncoming()
{
    QList<QByteArray> incoming = m_incoming->take();
    if (incoming.isEmpty())
        return;
    m_counters.events += incoming.size();
    if (m_inbox.isEmpty())
        m_inbox.swap(incoming);
    else
        m_inbox.append(std::move(incoming));
    m_counters.inboxPeak = qMax<qint64>(m_counters.inboxPeak, m_inbox.size());
}

void BotService::drainInbox()
{
    takeIncoming();
    if (m_inbox.isEmpty())
        return;
    QElapsedTimer slice;
    slice.start();
    {
        // One commit for the slice; each push is still a unit of its own (a savepoint).
        int decided = 0;
        WriteBatch batch(m_db->db());
        while (!m_inbox.isEmpty()) {
            decided += handleEvent(m_inbox.takeFirst()) ? 1 : 0;
            if (slice.nsecsElapsed() >= kInboxSliceNs)
                break;
        }
        // Without a batch (BEGIN failed) every push committed on its own.
        if (batch.isActive() && !batch.commit()) {
            qCCritical(lcDb) << "the database did not commit a slice of" << decided
                             << "push(es); the push journal keeps every push from now on, for the next start";
            m_journalStuck = true;
        }
        settleJournal(decided);
    }
    takeIncoming();
    if (!m_inbox.isEmpty())
        m_inboxTimer.start();
    else
        m_trimmer->poke(); // restarted by every batch: trims once things have been quiet
}

bool BotService::handleEvent(const QByteArray &payload)
{
    if (!m_botKnown && !m_guessMentions) {
        if (m_waiting.size() >= kMaxWaiting) {
            qCWarning(lcEvent) << "too many pushes waiting for the bot's open_id; dropping one of"
                               << payload.size() << "bytes";
            return true;
        }
        ++m_counters.waitingForBot;
        m_waiting.append(payload);
        return false;
    }
    dispatch(payload);
    return true;
}

void BotService::settleJournal(int count)
{
    if (m_journal && !m_journalStuck)
        m_journal->settle(count);
}

void BotService::dispatch(const QByteArray &payload)
{
    ParsedEvent ev = m_parser.parse(payload);
    if (m_guessMentions && ev.kind == ParsedEvent::Kind::Message && ev.message.isGroup() &&
        !ev.message.mentionsBot && ev.message.mentions.size() == 1 &&
        !ev.message.mentions.first().openId.isEmpty()) {
        const EventParser guess(ev.message.mentions.first().openId);
        ev = guess.parse(payload);
    }
    switch (ev.kind) {
    case ParsedEvent::Kind::Message:
        ++m_counters.messages;
        m_pipeline->handle(ev.message);
        return;
    case ParsedEvent::Kind::Other:
        ++m_counters.otherEvents;
        qCInfo(lcEvent).noquote()
            << QStringLiteral("event %1 (%2) is not handled by the bot; ACKed and ignored")
                   .arg(ev.eventType.isEmpty() ? QStringLiteral("<no type>") : ev.eventType, ev.eventId);
        return;
    case ParsedEvent::Kind::Malformed:
        ++m_counters.malformed;
        qCWarning(lcEvent).noquote() << QStringLiteral("unusable push of %1 bytes ignored (ACKed): %2")
                                            .arg(payload.size())
                                            .arg(ev.reason);
        return;
    }
}

TicketDesk *BotService::ticketDesk() const
{
    return m_tickets ? m_tickets->desk() : nullptr;
}

void BotService::wireHealth()
{
    qRegisterMetaType<LongConnection::State>();
    HealthMonitor *h = m_health.get();
    // The connection lives on the I/O thread: these are queued, and only report.
    connect(m_connection, &LongConnection::stateChanged, h, &HealthMonitor::connectionStateChanged);
    connect(m_connection, &LongConnection::reconnecting, h, [h](int, int) { h->reconnectScheduled(); });
    connect(m_connection, &LongConnection::errorOccurred, h, &HealthMonitor::connectionError);
    connect(m_connection, &LongConnection::fatalError, h, &HealthMonitor::connectionFatal);
    connect(m_connection, &LongConnection::metricsReported, h, &HealthMonitor::metricsReported);
    // Main-thread reporters.
    connect(m_pipeline.get(), &Pipeline::handled, h, [h](const QString &, const QString &outcome) {
        if (outcome == QLatin1String("duplicate"))
            h->duplicateDropped();
    });
    connect(m_openApi.get(), &OpenApiClient::tokenRefreshed, h,
            [this] { m_health->setTokenExpiry(m_openApi->tokenExpiresAtMs()); });
    for (auto signal : {&Outbox::enqueued, &Outbox::attemptStarted})
        connect(m_outbox.get(), signal, this, [this](qint64) { m_outboxHealthTimer.start(); });
    connect(m_outbox.get(), &Outbox::delivered, this,
            [this](qint64, const QString &) { m_outboxHealthTimer.start(); });
    connect(m_outbox.get(), &Outbox::failed, this,
            [this](qint64, const QString &) { m_outboxHealthTimer.start(); });
}

bool BotService::networkOptions(const AppConfig &c, NetworkOptions *network, QString *error) const
{
    QString why;
    if (!NetworkOptions::parseProxy(c.proxy, network, &why)) {
        *error = QStringLiteral("FEISHU_PROXY: %1").arg(why);
        return false;
    }
    network->extraCaFile = c.caFile;
    if (!c.caFile.isEmpty()) {
        network->sslConfiguration(&why);
        if (!why.isEmpty()) {
            *error = QStringLiteral("FEISHU_CA_FILE: %1").arg(why);
            return false;
        }
    }
    return true;
}

LongConnection::Options BotService::connectionOptions(const AppConfig &c, const NetworkOptions &network) const
{
    LongConnection::Options lc;
    lc.domain = c.feishuDomain;
    lc.appId = c.appId;
    lc.appSecret = c.appSecret;
    lc.network = network;
    lc.secondMs = m_options.connectionSecondMs;
    lc.initialConfig = m_options.initialClientConfig;
    return lc;
}

void BotService::applyLlm(const AppConfig &c, const NetworkOptions &network)
{
    QString why;
    const LlmConfig llm = LlmConfig::fromConfig(c);
    const bool usable = c.hasLlm() && llm.isConfigured(&why);
    if (c.hasLlm() && !usable)
        qCWarning(lcConfig).noquote() << "LLM not usable:" << why << "- answers come from the knowledge base";
    if (usable && !m_llm) {
        m_llm = std::make_unique<LlmClient>();
        connect(m_llm.get(), &LlmClient::finished, this, [this](LlmClient::RequestId, const LlmResult &r) {
            if (m_health)
                m_health->llmFinished(r.elapsedMs, r.ok() ? QString() : r.errorString);
        });
    }
    if (usable) {
        m_llm->setConfig(llm);
        m_llm->setNetworkOptions(network);
    }
    // Without a usable LLM the client stays (a request of it may still be running) but is not used.
    m_assistant->setLlmClient(usable ? m_llm.get() : nullptr);
    m_analyzer->setLlmClient(usable ? m_llm.get() : nullptr);
}

void BotService::applyHistoryWindow(const AppConfig &c)
{
    // HISTORY_TURNS: the earlier turns the LLM sees. The session keeps at least its usual window
    // (follow-up questions are also resolved from it), more when the LLM is to see more.
    Assistant::Options options = m_assistant->options();
    options.promptLimits.maxHistoryTurns = c.historyTurns;
    m_assistant->setOptions(options);
    m_sessions->setHistoryLimits(qMax(SessionManager::DefaultHistoryTurns, c.historyTurns),
                                 m_sessions->historyChars());
}

void BotService::applyDraftTimeout(const AppConfig &c)
{
    if (c.draftTimeoutSeconds <= 0) {
        m_draftTimer.stop();
        return;
    }
    // Looked at a few times per timeout (at least every 30 s), so a draft waits at most ~1.5x.
    m_draftTimer.start(std::clamp(c.draftTimeoutSeconds * 1000 / 2, 500, 30000));
}

void BotService::expireDrafts()
{
    const AppConfig &c = m_options.config;
    if (m_stopping || c.draftTimeoutSeconds <= 0)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 limitMs = qint64(c.draftTimeoutSeconds) * 1000;
    const bool send = c.draftTimeoutPolicy == QLatin1String("send");
    const QString who = QStringLiteral("draft timeout");
    for (const DraftStore::Draft &d : m_drafts->pending()) {
        if (now - d.createdAt < limitMs)
            continue;
        bool ok = false;
        if (send) {
            ok = m_drafts->approve(d.id, who);
        } else {
            // The customer hears that a person takes over, and the conversation waits for one.
            ok = m_drafts->edit(d.id, Assistant::handoffText(), who) &&
                 m_pipeline->setSessionMode(d.sessionId, SessionMode::Manual, who);
        }
        if (ok)
            qCInfo(lcApp).noquote() << QStringLiteral("draft %1 waited over %2 s: %3")
                                           .arg(d.id)
                                           .arg(c.draftTimeoutSeconds)
                                           .arg(send ? QStringLiteral("sent as written")
                                                     : QStringLiteral("handed to a person"));
        else
            qCWarning(lcApp).noquote()
                << "draft" << d.id << "timed out but could not be decided:" << m_drafts->errorString();
    }
}

bool BotService::reconfigure(const AppConfig &config, QString *error)
{
    if (!m_pipeline) {
        m_options.config = config; // not opened yet: open() takes it
        return true;
    }
    NetworkOptions network;
    if (!networkOptions(config, &network, error))
        return false;
    const AppConfig old = std::exchange(m_options.config, config);
    const bool feishuChanged = old.feishuDomain != config.feishuDomain || old.appId != config.appId ||
                               old.appSecret != config.appSecret || old.proxy != config.proxy ||
                               old.caFile != config.caFile;
    if (feishuChanged) {
        OpenApiClient::Options api;
        api.domain = config.feishuDomain.toString();
        api.appId = config.appId;
        api.appSecret = config.appSecret;
        api.network = network;
        m_openApi->setOptions(api);
        qCInfo(lcFeishu).noquote() << "Feishu settings changed: reconnecting to"
                                   << config.feishuDomain.toString();
        if (m_started && !m_stopping) {
            // On the I/O thread, in one go: what was ACKed is already queued for the main thread.
            LongConnection *connection = m_connection;
            const LongConnection::Options lc = connectionOptions(config, network);
            QMetaObject::invokeMethod(
                connection,
                [connection, lc] {
                    connection->stop();
                    connection->setOptions(lc);
                    connection->start();
                },
                Qt::QueuedConnection);
            if (old.appId != config.appId || old.feishuDomain != config.feishuDomain) {
                m_botInfoTimer.stop();
                m_botInfoAttempt = 0;
                fetchBotInfo(); // another app (or server) may be another bot
            }
        } else {
            QMetaObject::invokeMethod(m_connection,
                                      [connection = m_connection, lc = connectionOptions(config, network)] {
                                          connection->setOptions(lc);
                                      });
        }
    }
    applyLlm(config, network);
    if (old.embeddingBaseUrl != config.embeddingBaseUrl || old.embeddingApiKey != config.embeddingApiKey ||
        old.embeddingModel != config.embeddingModel || old.embeddingTimeoutMs != config.embeddingTimeoutMs ||
        old.embeddingDimensions != config.embeddingDimensions || old.proxy != config.proxy ||
        old.caFile != config.caFile) {
        m_search->setEmbeddingOptions(EmbeddingOptions::fromConfig(config));
        if (m_searchThread)
            m_searchThread->setEmbeddingOptions(EmbeddingOptions::fromConfig(config));
    }
    m_sessions->setIdleTimeoutMs(qint64(config.sessionIdleMinutes) * 60 * 1000);
    applyHistoryWindow(config);
    if (m_started && !m_stopping)
        applyDraftTimeout(config);
    if (old.defaultMode != config.defaultMode) {
        if (const auto mode = parseSessionMode(config.defaultMode);
            mode && *mode != m_sessions->defaultMode())
            m_sessions->setDefaultMode(*mode);
    }
    return true;
}

void BotService::refreshOutboxHealth()
{
    if (!m_outbox)
        return;
    m_health->setOutbox(m_outbox->stats().pending, m_outbox->oldestPendingAt());
}

void BotService::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_botInfoTimer.stop();
    m_outboxHealthTimer.stop();
    if (m_analysis)
        m_analysis->stop();
    if (m_names)
        m_names->stop();
    if (m_connection) {
        // Blocking: once it returns, nothing more is ACKed, and every push that was is queued.
        QMetaObject::invokeMethod(m_connection, &LongConnection::stop, Qt::BlockingQueuedConnection);
    }
    takeIncoming();
    m_stopClock.start();
    if (!m_waiting.isEmpty())
        qCWarning(lcApp)
            << m_waiting.size()
            << "push(es) never handled: the bot's open_id was still unknown (Feishu redelivers them)";
    checkDrained();
    if (!m_stopped)
        m_drainTimer.start();
}

void BotService::checkDrained()
{
    takeIncoming();
    const bool pipelineIdle = m_inbox.isEmpty() && (!m_pipeline || m_pipeline->isIdle());
    const bool outboxIdle = !m_outbox || m_outbox->stats().inFlight == 0;
    if (pipelineIdle && outboxIdle && !(m_analysis && m_analysis->isRunning())) {
        finishStop();
        return;
    }
    if (m_stopClock.elapsed() >= m_options.drainTimeoutMs) {
        const Pipeline::Stats s = m_pipeline ? m_pipeline->stats() : Pipeline::Stats{};
        qCWarning(lcApp).noquote()
            << QStringLiteral("stopping with work in hand (%1 message(s) being answered, %2 queued, %3 "
                              "repl(ies) in flight): it stays in the database and resumes at the next start")
                   .arg(s.running)
                   .arg(s.queued)
                   .arg(m_outbox ? m_outbox->stats().inFlight : 0);
        finishStop();
    }
}

void BotService::finishStop()
{
    if (m_stopped)
        return;
    // Pushes already ACKed are recorded before the end, or nothing would bring them back.
    takeIncoming();
    {
        WriteBatch batch(m_db->db());
        while (!m_inbox.isEmpty())
            handleEvent(m_inbox.takeFirst());
    }
    m_inboxTimer.stop();
    m_trimmer->stop();
    m_stopped = true;
    m_drainTimer.stop();
    emit stopped();
}
