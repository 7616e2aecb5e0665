#pragma once

#include <memory>

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>

#include "config/appconfig.h"
#include "feishu/eventparser.h"
#include "feishu/longconnection.h"

class AnalysisScheduler;
class NameDirectory;
class Analyzer;
class AnalysisStore;
class ChangeFeed;
class HealthMonitor;
class LocalChangeSource;
class MemoryTrimmer;
class OperatorDesk;
class KnowledgeDesk;
class Statistics;
class Assistant;
class AuditLog;
class Database;
class DraftStore;
class EventLedger;
class KnowledgeBase;
class KnowledgeSearch;
class LlmClient;
class OpenApiClient;
class Outbox;
class Pipeline;
class PushInbox;
class PushJournal;
class RetrieverThread;
class SessionManager;
class TicketDesk;
class TicketService;
class WalCheckpointer;

// The whole bot, wired once for the headless runner and (later) the console:
//
//   LongConnection (own I/O thread: read, ACK) --inbox (locked queue)--> EventParser --> Pipeline
//   Pipeline -> SessionManager, Assistant (KnowledgeSearch + LlmClient), Outbox -> OpenApiClient
//   SessionManager::messageAdded -> Analyzer (debounced per session) -> AnalysisStore
//
// open() does everything local (database, migrations, the demo knowledge base on a fresh
// install, the stores) and fails with a clear message instead of half-starting. start() goes
// onto the network: the bot's own open_id (GET bot/v3/info, retried until it answers; the last
// known one from the database is used meanwhile) and the long connection. Pushes that arrive
// before the bot's open_id is known wait in memory, so no group mention is misread. If the
// first bot/v3/info call fails and no open_id was ever known, the bot does not wait forever: a
// group message with exactly one @-mention counts as addressed to it (the platform only pushes
// group messages that mention the bot, unless the app may read all group messages) until the
// retried call answers.
// The long connection runs on an I/O thread of its own, so an ACK never waits for the database,
// the log or the assistant on the main thread (spec §5.5; the platform redelivers what is not
// ACKed within 3 s, and a slow ACK makes a burst slow). Everything else stays on the main thread.
// stop() closes the connection, gives the work in hand drainTimeoutMs to finish, and emits
// stopped(); whatever is still undecided or unsent stays in the database and is picked up by the
// next start (Pipeline::recover, Outbox::resumePending).
class BotService final : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        AppConfig config;
        int drainTimeoutMs = 4000;
        int analysisDebounceMs = 800;
        int botInfoRetryMaxMs = 30000;
        // Test and demo knobs for the long connection (ClientConfig "seconds", first config).
        int connectionSecondMs = 1000;
        LongConnection::ClientConfig initialClientConfig;
    };

    explicit BotService(Options options, QObject *parent = nullptr);
    ~BotService() override;
    Q_DISABLE_COPY_MOVE(BotService)

    // Local set-up. False with *error (database damaged or unreachable, bad proxy, ...).
    bool open(QString *error);
    // Network: bot info + the long connection + pipeline recovery. Call after open().
    void start();
    // Ends the connection, drains, emits stopped() (at most drainTimeoutMs later). Idempotent.
    void stop();
    bool isStopping() const { return m_stopping; }
    // Live reconfiguration (the console's settings page): the new values apply without a restart.
    // Feishu (domain, app, proxy, CA file): the OpenAPI client takes the new values and the long
    // connection closes and dials again, with a fresh endpoint bootstrap on the new domain; pushes
    // already ACKed stay queued and are handled, pushes not ACKed are redelivered by the platform
    // (the ledger drops a repeat), replies waiting in the outbox are sent with the new values.
    // LLM and embeddings: the clients take the new values for the next request (one already
    // running finishes with the old ones). Sessions: idle timeout and default mode.
    // False with *error (nothing changed) for values that cannot work (e.g. a bad proxy).
    // Ticket sync keeps the Bitable settings it started with.
    bool reconfigure(const AppConfig &config, QString *error);

    const AppConfig &config() const { return m_options.config; }
    Pipeline *pipeline() const { return m_pipeline.get(); }
    SessionManager *sessions() const { return m_sessions.get(); }
    DraftStore *drafts() const { return m_drafts.get(); }
    Outbox *outbox() const { return m_outbox.get(); }
    AuditLog *auditLog() const { return m_audit.get(); }
    KnowledgeBase *knowledge() const { return m_knowledge.get(); }
    KnowledgeSearch *search() const { return m_search.get(); }
    // The thread the long connection runs on (its state reaches the main thread only as the
    // desk's health snapshot).
    QThread *ioThread() const { return m_ioThread.get(); }
    OpenApiClient *openApi() const { return m_openApi.get(); }
    AnalysisStore *analysisStore() const { return m_analysisStore.get(); }
    QString botOpenId() const { return m_parser.botOpenId(); }
    // The operator API: the one thing a console talks to (made by open()).
    OperatorDesk *desk() const { return m_desk.get(); }
    // The knowledge editor's and the dashboard's ways into core (made by open(), like desk()).
    KnowledgeDesk *knowledgeDesk() const { return m_knowledgeDesk.get(); }
    Statistics *statistics() const { return m_statistics.get(); }
    // The feed the desk's signals come from (a team-mode source publishes into it too).
    ChangeFeed *changeFeed() const { return m_feed.get(); }
    // Tickets for the console (the periodic Bitable sync runs inside the bot).
    TicketDesk *ticketDesk() const;

    struct Counters
    {
        qint64 events = 0;        // pushes handed over by the connection
        qint64 messages = 0;      // im.message.receive_v1 given to the pipeline
        qint64 otherEvents = 0;   // well-formed events of other types (ACKed, not handled)
        qint64 malformed = 0;     // payloads that are not a usable event
        qint64 waitingForBot = 0; // held until the bot's open_id was known
        qint64 inboxPeak = 0;     // most ACKed pushes waiting to be handled at once
    };
    Counters counters() const { return m_counters; }

signals:
    // The long connection is up for the first time since start().
    void ready();
    // Something the bot cannot get past on its own (bad credentials, app not allowed to use the
    // long connection): the connection has given up.
    void fatalError(int code, const QString &message);
    void stopped();

private:
    void fetchBotInfo();
    bool networkOptions(const AppConfig &c, NetworkOptions *network, QString *error) const;
    LongConnection::Options connectionOptions(const AppConfig &c, const NetworkOptions &network) const;
    void applyLlm(const AppConfig &c, const NetworkOptions &network);
    void applyHistoryWindow(const AppConfig &c);
    void applyDraftTimeout(const AppConfig &c);
    // DRAFT_TIMEOUT_SECONDS / _POLICY: decides the drafts that waited too long.
    void expireDrafts();
    void setBotOpenId(const QString &openId, const QString &appName);
    // Main thread: moves what the I/O thread queued into m_inbox.
    void takeIncoming();
    void drainInbox();
    // True when the push is decided (handled or dropped); false when it waits for the bot's open_id.
    bool handleEvent(const QByteArray &payload);
    // `count` more pushes, oldest first, are recorded for good: the journal may forget them.
    void settleJournal(int count);
    void dispatch(const QByteArray &payload);
    void wireHealth();
    void refreshOutboxHealth();
    void checkDrained();
    void finishStop();

    Options m_options;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<WalCheckpointer> m_checkpointer; // the main connection's WAL fsyncs, off the main thread
    std::unique_ptr<KnowledgeBase> m_knowledge;
    std::unique_ptr<KnowledgeSearch> m_search;
    std::unique_ptr<RetrieverThread> m_searchThread; // the answers' and analyses' searches (SQLite)
    std::unique_ptr<LlmClient> m_llm;
    std::unique_ptr<Assistant> m_assistant;
    std::unique_ptr<Analyzer> m_analyzer;
    std::unique_ptr<AnalysisStore> m_analysisStore;
    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<EventLedger> m_ledger;
    std::unique_ptr<AuditLog> m_audit;
    std::unique_ptr<OpenApiClient> m_openApi;
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<DraftStore> m_drafts;
    std::unique_ptr<Pipeline> m_pipeline;
    std::unique_ptr<QThread> m_ioThread;
    LongConnection *m_connection = nullptr; // on m_ioThread, deleted there

    EventParser m_parser;
    bool m_botKnown = false;
    bool m_guessMentions = false; // bot/v3/info failed and no open_id is known: see dispatch()
    QList<QByteArray> m_waiting;  // pushes that arrived before the bot's open_id was known
    // ACKed pushes not yet handled. They are handled in slices of a few milliseconds, so the
    // event loop gets back to the socket between slices and a burst is ACKed at the speed of
    // reading, not of handling (spec §5.5: ACK at once, then process in a queue).
    QList<QByteArray> m_inbox;
    QTimer m_inboxTimer;
    // Handed over by the I/O thread; one wake-up is posted per batch, not one per push.
    std::unique_ptr<PushInbox> m_incoming;
    std::unique_ptr<MemoryTrimmer> m_trimmer;
    // What the I/O thread ACKed and the main thread has not recorded yet, on disk (pushes.journal
    // in the data dir): a killed bot handles it at its next start. Outlives m_connection.
    std::unique_ptr<PushJournal> m_journal;
    bool m_journalStuck = false; // a batch failed to commit: nothing more is settled this run
    int m_botInfoAttempt = 0;
    QTimer m_botInfoTimer;

    std::unique_ptr<AnalysisScheduler> m_analysis;
    std::unique_ptr<NameDirectory> m_names; // customer and group names for the console
    std::unique_ptr<ChangeFeed> m_feed;
    std::unique_ptr<LocalChangeSource> m_changeSource;
    std::unique_ptr<HealthMonitor> m_health;
    std::unique_ptr<OperatorDesk> m_desk;
    std::unique_ptr<TicketService> m_tickets;
    std::unique_ptr<KnowledgeDesk> m_knowledgeDesk;
    std::unique_ptr<Statistics> m_statistics;
    QTimer m_outboxHealthTimer; // coalesces outbox changes into one health refresh
    QTimer m_draftTimer;        // looks for drafts past DRAFT_TIMEOUT_SECONDS

    bool m_started = false;
    bool m_readyEmitted = false;
    bool m_stopping = false;
    bool m_stopped = false;
    QElapsedTimer m_stopClock;
    QTimer m_drainTimer;
    Counters m_counters;
};
