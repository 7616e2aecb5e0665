#include "bot/ticketservice.h"

#include "chat/pipeline.h"
#include "config/appconfig.h"
#include "desk/ticketdesk.h"
#include "logging_p.h"
#include "tickets/bitablesync.h"
#include "tickets/ticketstore.h"

TicketService::TicketService(const AppConfig &config, Database *db, OpenApiClient *api,
                             KnowledgeBase *knowledge, Pipeline *pipeline, AuditLog *audit, QObject *parent)
    : QObject(parent)
    , m_store(std::make_unique<TicketStore>(db))
{
    m_store->setAuditLog(audit);
    BitableSync::Options options;
    if (!BitableSync::optionsFromConfig(config, &options, &m_configError)) {
        qCWarning(lcTickets).noquote() << "TICKETS_FIELD_MAP:" << m_configError << "- no ticket sync";
    } else if (api && !options.bitable.appToken.isEmpty() && !options.bitable.tableId.isEmpty()) {
        m_intervalMs = options.intervalMs;
        options.intervalMs = 0; // start() starts it
        m_sync = std::make_unique<BitableSync>(m_store.get(), api, options);
        connect(m_sync.get(), &BitableSync::progress, this, [](const QString &message, int, int) {
            qCInfo(lcTickets).noquote() << "ticket sync:" << message;
        });
    }
    m_desk = std::make_unique<TicketDesk>(m_store.get(), m_sync.get(), knowledge);
    m_desk->setAutoTicketOnEscalation(config.ticketOnEscalation);
    if (pipeline)
        connect(pipeline, &Pipeline::escalated, m_desk.get(), &TicketDesk::onEscalated);
}

TicketService::~TicketService()
{
    m_desk.reset(); // before the sync and the store it listens to
}

void TicketService::start()
{
    if (!m_sync)
        return;
    qCInfo(lcTickets).noquote()
        << (m_intervalMs > 0
                ? QStringLiteral("tickets sync with Bitable every %1 min").arg(m_intervalMs / 60000)
                : QStringLiteral("tickets sync with Bitable only on request"));
    m_sync->setInterval(m_intervalMs);
    m_sync->syncNow();
}
