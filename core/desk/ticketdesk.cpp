#include "desk/ticketdesk.h"

#include <QStringList>

#include "knowledge/knowledgebase.h"
#include "knowledge/knowledgeentry.h"
#include "logging_p.h"

TicketDesk::TicketDesk(TicketStore *store, BitableSync *sync, KnowledgeBase *knowledge, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_sync(sync)
    , m_knowledge(knowledge)
    , m_operator(qEnvironmentVariable("USER", QStringLiteral("operator")))
{
    connect(m_store, &TicketStore::ticketChanged, this, &TicketDesk::ticketChanged);
    if (m_sync) {
        connect(m_sync, &BitableSync::started, this, &TicketDesk::syncStarted);
        connect(m_sync, &BitableSync::stepped, this, &TicketDesk::syncProgress);
        connect(m_sync, &BitableSync::finished, this, &TicketDesk::syncFinished);
    }
}

TicketDesk::~TicketDesk() = default;

TicketView TicketDesk::view(const Ticket &t) const
{
    const TicketSyncInfo info = m_store->syncInfo(t.id);
    return TicketView{t, info.state, info.reason, BitableSync::Reason::parse(info.reason)};
}

QList<TicketView> TicketDesk::tickets(const TicketFilter &filter) const
{
    QList<TicketView> out;
    for (const Ticket &t : m_store->tickets(filter))
        out << view(t);
    return out;
}

std::optional<TicketView> TicketDesk::ticket(qint64 ticketId) const
{
    const auto t = m_store->ticket(ticketId);
    if (!t)
        return std::nullopt;
    return view(*t);
}

std::optional<TicketView> TicketDesk::ticketForSession(qint64 sessionId) const
{
    const auto t = m_store->ticketForSession(sessionId);
    if (!t)
        return std::nullopt;
    return view(*t);
}

QList<TicketConflict> TicketDesk::conflicts() const
{
    return m_store->conflicts();
}

std::optional<TicketConflict> TicketDesk::conflict(qint64 ticketId) const
{
    for (const TicketConflict &c : m_store->conflicts()) {
        if (c.ticketId == ticketId)
            return c;
    }
    return std::nullopt;
}

QStringList TicketDesk::assignees() const
{
    return m_store->assignees();
}

QStringList TicketDesk::categories() const
{
    return m_store->categories();
}

QList<TicketStore::SessionLink> TicketDesk::conversations(qint64 ticketId) const
{
    return m_store->sessionLinks(ticketId);
}

bool TicketDesk::isSyncConfigured() const
{
    return m_sync && m_sync->isConfigured();
}

bool TicketDesk::isSyncing() const
{
    return m_sync && m_sync->isRunning();
}

DeskResult TicketDesk::createFromSession(qint64 sessionId)
{
    if (const auto existing = m_store->ticketForSession(sessionId);
        existing && !TicketStatus::isFinal(existing->status))
        return DeskResult::success(existing->id);
    const auto t = m_store->createFromSession(sessionId, QStringLiteral("operator"), m_operator);
    if (!t)
        return DeskResult::failure(tr("The ticket could not be created: %1").arg(m_store->errorString()));
    return DeskResult::success(t->id);
}

DeskResult TicketDesk::save(const Ticket &ticket)
{
    if (!m_store->update(ticket, m_operator))
        return DeskResult::failure(tr("The ticket could not be saved: %1").arg(m_store->errorString()));
    return DeskResult::success(ticket.id);
}

DeskResult TicketDesk::setStatus(qint64 ticketId, const QString &status)
{
    auto t = m_store->ticket(ticketId);
    if (!t)
        return DeskResult::failure(tr("This ticket no longer exists."));
    if (!TicketStatus::isValid(status))
        return DeskResult::failure(tr("Unknown status \"%1\".").arg(status));
    t->status = status;
    return save(*t);
}

DeskResult TicketDesk::setAssignee(qint64 ticketId, const QString &assignee)
{
    auto t = m_store->ticket(ticketId);
    if (!t)
        return DeskResult::failure(tr("This ticket no longer exists."));
    t->assignee = assignee.trimmed();
    return save(*t);
}

DeskResult TicketDesk::resolve(qint64 ticketId, const QString &resolution)
{
    auto t = m_store->ticket(ticketId);
    if (!t)
        return DeskResult::failure(tr("This ticket no longer exists."));
    if (resolution.trimmed().isEmpty())
        return DeskResult::failure(tr("Write how the problem was solved first."));
    t->resolution = resolution.trimmed();
    t->status = QStringLiteral("resolved");
    return save(*t);
}

KnowledgeEntry TicketDesk::knowledgeDraft(qint64 ticketId) const
{
    KnowledgeEntry e;
    const auto t = m_store->ticket(ticketId);
    if (!t)
        return e;
    if (m_knowledge && !t->knowledgeId.isEmpty() && m_knowledge->entry(t->knowledgeId))
        e = *m_knowledge->entry(t->knowledgeId);
    e.title = t->title;
    e.category = t->category.isEmpty() ? e.category : t->category;
    if (!t->summary.isEmpty() && !e.symptoms.contains(t->summary))
        e.symptoms << t->summary;
    e.solution = t->resolution;
    if (!t->vehicleModel.isEmpty() && !e.vehicleModels.contains(t->vehicleModel))
        e.vehicleModels << t->vehicleModel;
    e.source = t->origin == QLatin1String("bitable") ? QStringLiteral("bitable") : QStringLiteral("promoted");
    if (!e.tags.contains(t->number))
        e.tags << t->number;
    return e;
}

DeskResult TicketDesk::promoteToKnowledge(qint64 ticketId, const KnowledgeEntry &input)
{
    if (!m_knowledge)
        return DeskResult::failure(tr("There is no knowledge base."));
    auto t = m_store->ticket(ticketId);
    if (!t)
        return DeskResult::failure(tr("This ticket no longer exists."));
    if (!TicketStatus::isFinal(t->status) || t->resolution.trimmed().isEmpty())
        return DeskResult::failure(tr("Only a resolved ticket with a resolution can become knowledge."));
    KnowledgeEntry entry = input;
    QString error;
    if (!entry.id.isEmpty() && m_knowledge->entry(entry.id)) {
        if (!m_knowledge->update(entry, m_operator, &error))
            return DeskResult::failure(tr("The knowledge entry could not be updated: %1").arg(error));
    } else {
        entry.id = m_knowledge->nextId();
        if (!m_knowledge->create(entry, m_operator, &error))
            return DeskResult::failure(tr("The knowledge entry could not be created: %1").arg(error));
    }
    t->knowledgeId = entry.id;
    m_store->update(*t, m_operator);
    DeskResult done = DeskResult::success(ticketId);
    done.entryId = entry.id;
    return done;
}

DeskResult TicketDesk::resolveConflict(qint64 ticketId, TicketStore::Resolution resolution,
                                       const QHash<QString, QString> &merged)
{
    if (!conflict(ticketId))
        return DeskResult::failure(tr("This ticket is no longer in conflict (a sync or another operator "
                                      "resolved it)."));
    if (!m_store->resolveConflict(ticketId, resolution, merged, m_operator))
        return DeskResult::failure(m_store->errorString());
    return DeskResult::success(ticketId);
}

DeskResult TicketDesk::syncNow()
{
    if (!isSyncConfigured())
        return DeskResult::failure(tr("Bitable is not configured (BITABLE_APP_TOKEN, BITABLE_TABLE_ID)."));
    if (!m_sync->syncNow())
        return DeskResult::failure(tr("A sync is already running."));
    return DeskResult::success();
}

void TicketDesk::onEscalated(qint64 sessionId, const QString &reason)
{
    if (!m_autoOnEscalation)
        return;
    if (const auto existing = m_store->ticketForSession(sessionId);
        existing && !TicketStatus::isFinal(existing->status))
        return;
    if (const auto t =
            m_store->createFromSession(sessionId, QStringLiteral("escalation"), QStringLiteral("bot")))
        qCInfo(lcTickets).noquote() << "ticket" << t->number << "made for escalated session" << sessionId
                                    << "(" << reason << ")";
    else
        qCWarning(lcTickets).noquote()
            << "no ticket for escalated session" << sessionId << ":" << m_store->errorString();
}
