#pragma once

#include <memory>

#include <QObject>
#include <QString>

class AuditLog;
class BitableSync;
class Database;
class KnowledgeBase;
class OpenApiClient;
class Pipeline;
class TicketDesk;
class TicketStore;
struct AppConfig;

// Tickets in the running bot (console or headless), in one object for the composition root:
// the TicketStore, the periodic BitableSync (when BITABLE_APP_TOKEN and BITABLE_TABLE_ID are
// set; every TICKETS_SYNC_MINUTES, progress lines in the log), the TicketDesk for the console,
// and tickets on escalation (TICKETS_AUTO_ON_ESCALATION) from the pipeline's escalated().
// Lives on the main thread beside the Database it is given.
class TicketService final : public QObject
{
    Q_OBJECT
public:
    TicketService(const AppConfig &config, Database *db, OpenApiClient *api, KnowledgeBase *knowledge,
                  Pipeline *pipeline, AuditLog *audit = nullptr, QObject *parent = nullptr);
    ~TicketService() override;
    Q_DISABLE_COPY_MOVE(TicketService)

    // Starts the periodic sync and runs one sync now (when configured). Call once the bot
    // started; not needed for the desk alone.
    void start();

    TicketStore *store() const { return m_store.get(); }
    BitableSync *sync() const { return m_sync.get(); } // null when Bitable is not configured
    TicketDesk *desk() const { return m_desk.get(); }
    QString configError() const { return m_configError; } // a bad TICKETS_FIELD_MAP

private:
    std::unique_ptr<TicketStore> m_store;
    std::unique_ptr<BitableSync> m_sync;
    std::unique_ptr<TicketDesk> m_desk;
    int m_intervalMs = 0;
    QString m_configError;
};
