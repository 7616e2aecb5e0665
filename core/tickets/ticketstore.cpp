#include "tickets/ticketstore.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

#include "assistant/analyzer.h"
#include "logging_p.h"
#include "storage/analysisstore.h"
#include "storage/auditlog.h"
#include "storage/database.h"
#include "storage/transaction.h"

namespace {

const QString kColumns = QStringLiteral(
    "id, number, record_id, title, customer_open_id, customer_name, chat_id, vin, plate, vehicle_model,"
    " category, urgency, status, assignee, summary, resolution, knowledge_id, origin, created_at, updated_at,"
    " remote_updated_at");

QVariant orNull(const QString &s)
{
    return s.isEmpty() ? QVariant() : QVariant(s);
}

Ticket readTicket(const QSqlQuery &q)
{
    Ticket t;
    t.id = q.value(0).toLongLong();
    t.number = q.value(1).toString();
    t.recordId = q.value(2).toString();
    t.title = q.value(3).toString();
    t.customerOpenId = q.value(4).toString();
    t.customerName = q.value(5).toString();
    t.chatId = q.value(6).toString();
    t.vin = q.value(7).toString();
    t.plate = q.value(8).toString();
    t.vehicleModel = q.value(9).toString();
    t.category = q.value(10).toString();
    t.urgency = q.value(11).toString();
    t.status = q.value(12).toString();
    t.assignee = q.value(13).toString();
    t.summary = q.value(14).toString();
    t.resolution = q.value(15).toString();
    t.knowledgeId = q.value(16).toString();
    t.origin = q.value(17).toString();
    t.createdAt = q.value(18).toLongLong();
    t.updatedAt = q.value(19).toLongLong();
    t.remoteUpdatedAt = q.value(20).toLongLong();
    return t;
}

QString jsonText(const QHash<QString, QString> &values)
{
    if (values.isEmpty())
        return {};
    return QString::fromUtf8(QJsonDocument(TicketFields::toJson(values)).toJson(QJsonDocument::Compact));
}

QHash<QString, QString> fromJsonText(const QString &text)
{
    if (text.isEmpty())
        return {};
    return TicketFields::fromJson(QJsonDocument::fromJson(text.toUtf8()).object());
}

} // namespace

TicketStore::TicketStore(Database *db, QObject *parent)
    : QObject(parent)
    , m_db(db)
{}

TicketStore::~TicketStore() = default;

QString TicketStore::numberFor(qint64 id)
{
    return QStringLiteral("TK-%1").arg(id, 6, 10, QLatin1Char('0'));
}

std::optional<Ticket> TicketStore::loadOne(const QString &where, const QVariant &value) const
{
    QSqlQuery q(m_db->db());
    if (!Sql::run(q, QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM tickets WHERE ") + where,
                  {value}, "load ticket")) {
        m_error = q.lastError().text();
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    Ticket t = readTicket(q);
    QSqlQuery links(m_db->db());
    if (Sql::run(
            links,
            QStringLiteral(
                "SELECT session_id FROM ticket_sessions WHERE ticket_id = ? ORDER BY linked_at, session_id"),
            {t.id}, "load ticket links")) {
        while (links.next())
            t.sessionIds << links.value(0).toLongLong();
    }
    return t;
}

std::optional<Ticket> TicketStore::ticket(qint64 id) const
{
    return loadOne(QStringLiteral("id = ?"), id);
}

std::optional<Ticket> TicketStore::byNumber(const QString &number) const
{
    if (number.isEmpty())
        return std::nullopt;
    return loadOne(QStringLiteral("number = ?"), number);
}

std::optional<Ticket> TicketStore::byRecordId(const QString &recordId) const
{
    if (recordId.isEmpty())
        return std::nullopt;
    return loadOne(QStringLiteral("record_id = ?"), recordId);
}

QList<Ticket> TicketStore::tickets(const TicketFilter &f, int limit) const
{
    QString sql = QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM tickets WHERE 1");
    QVariantList values;
    auto add = [&](const QString &cond, const QString &value) {
        if (value.isEmpty())
            return;
        sql += QStringLiteral(" AND ") + cond;
        values << value;
    };
    add(QStringLiteral("status = ?"), f.status);
    add(QStringLiteral("assignee = ?"), f.assignee);
    add(QStringLiteral("category = ?"), f.category);
    add(QStringLiteral(
            "COALESCE((SELECT state FROM ticket_sync WHERE ticket_id = tickets.id), 'pending') = ?"),
        f.syncState);
    if (!f.text.isEmpty()) {
        sql += QStringLiteral(" AND (instr(number, ?) OR instr(title, ?) OR instr(vin, ?) OR instr(plate, ?)"
                              " OR instr(customer_name, ?))");
        for (int i = 0; i < 5; ++i)
            values << f.text;
    }
    sql += QStringLiteral(" ORDER BY updated_at DESC, id DESC");
    if (limit >= 0)
        sql += QStringLiteral(" LIMIT %1").arg(limit);
    QSqlQuery q(m_db->db());
    QList<Ticket> out;
    if (!Sql::run(q, sql, values, "list tickets")) {
        m_error = q.lastError().text();
        return out;
    }
    while (q.next())
        out << readTicket(q);
    return out;
}

int TicketStore::count() const
{
    QSqlQuery q(m_db->db());
    if (!Sql::run(q, QStringLiteral("SELECT COUNT(*) FROM tickets"), {}, "count tickets") || !q.next())
        return 0;
    return q.value(0).toInt();
}

std::optional<Ticket> TicketStore::ticketForSession(qint64 sessionId) const
{
    QSqlQuery q(m_db->db());
    if (!Sql::run(q,
                  QStringLiteral("SELECT ticket_id FROM ticket_sessions WHERE session_id = ?"
                                 " ORDER BY ticket_id DESC LIMIT 1"),
                  {sessionId}, "ticket of a session") ||
        !q.next())
        return std::nullopt;
    return ticket(q.value(0).toLongLong());
}

TicketSyncInfo TicketStore::syncInfo(qint64 ticketId) const
{
    TicketSyncInfo info;
    info.ticketId = ticketId;
    QSqlQuery q(m_db->db());
    if (!Sql::run(
            q,
            QStringLiteral("SELECT state, reason, base, remote, client_token, updated_at FROM ticket_sync"
                           " WHERE ticket_id = ?"),
            {ticketId}, "load sync info") ||
        !q.next())
        return info;
    info.state = TicketSync::parseState(q.value(0).toString());
    info.reason = q.value(1).toString();
    info.base = fromJsonText(q.value(2).toString());
    info.remote = fromJsonText(q.value(3).toString());
    info.clientToken = q.value(4).toString();
    info.updatedAt = q.value(5).toLongLong();
    return info;
}

QList<qint64> TicketStore::idsInState(const QList<TicketSyncState> &states) const
{
    QStringList names;
    for (TicketSyncState s : states)
        names << QLatin1Char('\'') + TicketSync::stateName(s) + QLatin1Char('\'');
    QSqlQuery q(m_db->db());
    QList<qint64> out;
    if (!Sql::run(q,
                  QStringLiteral("SELECT ticket_id FROM ticket_sync WHERE state IN (%1) ORDER BY ticket_id")
                      .arg(names.join(QLatin1Char(','))),
                  {}, "tickets by sync state"))
        return out;
    while (q.next())
        out << q.value(0).toLongLong();
    return out;
}

QList<TicketConflict> TicketStore::conflicts() const
{
    QList<TicketConflict> out;
    for (qint64 id : idsInState({TicketSyncState::Conflict})) {
        const auto t = ticket(id);
        if (!t)
            continue;
        const TicketSyncInfo info = syncInfo(id);
        TicketConflict c;
        c.ticketId = id;
        c.local = TicketFields::values(*t);
        c.remote = info.remote;
        c.base = info.base;
        const QStringList local = TicketFields::changedKeys(c.base, c.local);
        for (const QString &k : TicketFields::changedKeys(c.base, c.remote)) {
            if (local.contains(k) && c.local.value(k) != c.remote.value(k))
                c.fields << k;
        }
        out << c;
    }
    return out;
}

QStringList TicketStore::distinctValues(const char *column) const
{
    QSqlQuery q(m_db->db());
    QStringList out;
    const QString c = QLatin1String(column);
    if (Sql::run(q, QStringLiteral("SELECT DISTINCT %1 FROM tickets WHERE %1 <> '' ORDER BY %1").arg(c), {},
                 "distinct ticket values")) {
        while (q.next())
            out << q.value(0).toString();
    }
    return out;
}

QStringList TicketStore::assignees() const
{
    return distinctValues("assignee");
}

QStringList TicketStore::categories() const
{
    return distinctValues("category");
}

bool TicketStore::writeTicket(const Ticket &t)
{
    QSqlQuery q(m_db->db());
    const bool ok =
        Sql::run(q,
                 QStringLiteral(
                     "UPDATE tickets SET number = ?, record_id = ?, title = ?, customer_open_id = ?,"
                     " customer_name = ?, chat_id = ?, vin = ?, plate = ?, vehicle_model = ?, category = ?,"
                     " urgency = ?, status = ?, assignee = ?, summary = ?, resolution = ?, knowledge_id = ?,"
                     " origin = ?, created_at = ?, updated_at = ?, remote_updated_at = ? WHERE id = ?"),
                 {orNull(t.number),
                  orNull(t.recordId),
                  t.title,
                  t.customerOpenId,
                  t.customerName,
                  t.chatId,
                  t.vin,
                  t.plate,
                  t.vehicleModel,
                  t.category,
                  t.urgency,
                  t.status,
                  t.assignee,
                  t.summary,
                  t.resolution,
                  t.knowledgeId,
                  t.origin,
                  t.createdAt,
                  t.updatedAt,
                  t.remoteUpdatedAt,
                  t.id},
                 "save ticket");
    if (!ok)
        m_error = q.lastError().text();
    return ok;
}

bool TicketStore::writeSync(const TicketSyncInfo &info)
{
    QSqlQuery q(m_db->db());
    const bool ok = Sql::run(
        q,
        QStringLiteral(
            "INSERT INTO ticket_sync (ticket_id, state, reason, base, remote, client_token, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(ticket_id) DO UPDATE SET state = excluded.state,"
            " reason = excluded.reason, base = excluded.base, remote = excluded.remote,"
            " client_token = excluded.client_token, updated_at = excluded.updated_at"),
        {info.ticketId, TicketSync::stateName(info.state), info.reason, orNull(jsonText(info.base)),
         orNull(jsonText(info.remote)), orNull(info.clientToken), m_clock()},
        "save ticket sync state");
    if (!ok)
        m_error = q.lastError().text();
    return ok;
}

void TicketStore::audit(const QString &actor, const QString &action, const Ticket &t, const QString &detail)
{
    if (m_audit)
        m_audit->record(actor, action, t.number, detail);
}

std::optional<Ticket> TicketStore::create(const Ticket &input, const QString &actor)
{
    Transaction tx(m_db->db());
    Ticket t = input;
    const qint64 now = m_clock();
    t.createdAt = t.createdAt > 0 ? t.createdAt : now;
    t.updatedAt = now;
    if (!TicketStatus::isValid(t.status))
        t.status = QStringLiteral("new");
    QSqlQuery q(m_db->db());
    if (!Sql::run(q, QStringLiteral("INSERT INTO tickets (number, created_at, updated_at) VALUES (?, ?, ?)"),
                  {orNull(t.number), t.createdAt, t.updatedAt}, "create ticket")) {
        m_error = q.lastError().text();
        return std::nullopt;
    }
    t.id = q.lastInsertId().toLongLong();
    if (t.number.isEmpty())
        t.number = numberFor(t.id);
    TicketSyncInfo info;
    info.ticketId = t.id;
    info.state = TicketSyncState::Pending;
    if (!writeTicket(t) || !writeSync(info))
        return std::nullopt;
    for (qint64 sid : std::as_const(input.sessionIds)) {
        if (!linkSession(t.id, sid))
            return std::nullopt;
    }
    audit(actor, QStringLiteral("ticket.create"), t, t.origin);
    if (!tx.commit()) {
        m_error = QStringLiteral("cannot commit the new ticket");
        return std::nullopt;
    }
    emit ticketChanged(t.id);
    return ticket(t.id);
}

QList<TicketStore::SessionLink> TicketStore::sessionLinks(qint64 ticketId) const
{
    QList<SessionLink> out;
    QSqlQuery q(m_db->db());
    if (!Sql::run(
            q,
            QStringLiteral("SELECT ts.session_id, COALESCE(s.open_id, ''), COALESCE(s.user_name, ''), "
                           "COALESCE(s.chat_id, ''), COALESCE(s.chat_type, ''), COALESCE(s.chat_name, '') "
                           "FROM ticket_sessions ts LEFT JOIN sessions s ON s.id = ts.session_id "
                           "WHERE ts.ticket_id = ? ORDER BY ts.linked_at, ts.session_id"),
            {ticketId}, "a ticket's conversations"))
        return out;
    while (q.next())
        out.append(SessionLink{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                               q.value(3).toString(), q.value(4).toString(), q.value(5).toString()});
    return out;
}

std::optional<Ticket> TicketStore::createFromSession(qint64 sessionId, const QString &origin,
                                                     const QString &actor)
{
    QSqlQuery q(m_db->db());
    if (!Sql::run(q, QStringLiteral("SELECT open_id, user_name, chat_id FROM sessions WHERE id = ?"),
                  {sessionId}, "session for a ticket")) {
        m_error = q.lastError().text();
        return std::nullopt;
    }
    if (!q.next()) {
        m_error = QStringLiteral("session %1 does not exist").arg(sessionId);
        return std::nullopt;
    }
    Ticket t;
    t.customerOpenId = q.value(0).toString();
    t.customerName = q.value(1).toString();
    t.chatId = q.value(2).toString();
    t.origin = origin;
    t.sessionIds = {sessionId};
    const AnalysisStore analyses(m_db);
    if (const auto record = analyses.load(sessionId)) {
        const auto a = std::optional<Analysis>(Analysis::fromRecord(*record));
        t.category = a->category;
        t.urgency = a->urgency;
        t.summary = a->summary;
        t.knowledgeId = a->knowledgeId;
        for (const Entity &e : a->entities) {
            if (e.type == Entity::Type::Vin && t.vin.isEmpty() && e.valid)
                t.vin = e.value;
            else if (e.type == Entity::Type::Plate && t.plate.isEmpty())
                t.plate = e.value;
            else if (e.type == Entity::Type::VehicleModel && t.vehicleModel.isEmpty())
                t.vehicleModel = e.value;
        }
        if (t.vin.isEmpty()) { // only invalid ones: better than none, the operator sees it
            for (const Entity &e : a->entities) {
                if (e.type == Entity::Type::Vin) {
                    t.vin = e.value;
                    break;
                }
            }
        }
        t.title = a->summary.section(QRegularExpression(QStringLiteral("[。！？\\n]")), 0, 0).left(40);
    }
    if (t.title.isEmpty())
        t.title = t.category.isEmpty()
                      ? QStringLiteral("%1 的问题")
                            .arg(t.customerName.isEmpty() ? t.customerOpenId : t.customerName)
                      : t.category;
    return create(t, actor);
}

bool TicketStore::update(const Ticket &input, const QString &actor)
{
    const auto old = ticket(input.id);
    if (!old) {
        m_error = QStringLiteral("ticket %1 does not exist").arg(input.id);
        return false;
    }
    if (!TicketStatus::isValid(input.status)) {
        m_error = QStringLiteral("unknown ticket status \"%1\"").arg(input.status);
        return false;
    }
    Ticket t = *old;
    TicketFields::apply(&t, TicketFields::values(input));
    t.customerOpenId = input.customerOpenId;
    t.chatId = input.chatId;
    t.knowledgeId = input.knowledgeId;
    const QStringList changed =
        TicketFields::changedKeys(TicketFields::values(*old), TicketFields::values(t));
    if (changed.isEmpty() && t == *old)
        return true;
    t.updatedAt = std::max(m_clock(), old->updatedAt + 1);
    Transaction tx(m_db->db());
    if (!writeTicket(t))
        return false;
    if (!changed.isEmpty()) {
        TicketSyncInfo info = syncInfo(t.id);
        if (info.state != TicketSyncState::Conflict) {
            info.state = TicketSyncState::Pending;
            info.reason.clear();
        }
        if (!writeSync(info))
            return false;
        audit(actor, QStringLiteral("ticket.update"), t, changed.join(QLatin1Char(',')));
    }
    if (!tx.commit())
        return false;
    emit ticketChanged(t.id);
    return true;
}

bool TicketStore::linkSession(qint64 ticketId, qint64 sessionId)
{
    QSqlQuery q(m_db->db());
    if (!Sql::run(q,
                  QStringLiteral("INSERT OR IGNORE INTO ticket_sessions (ticket_id, session_id, linked_at)"
                                 " VALUES (?, ?, ?)"),
                  {ticketId, sessionId, m_clock()}, "link a session to a ticket")) {
        m_error = q.lastError().text();
        return false;
    }
    return true;
}

std::optional<Ticket> TicketStore::insertFromRemote(const Ticket &input, const TicketSyncInfo &syncInfoIn)
{
    Transaction tx(m_db->db());
    Ticket t = input;
    t.origin = QStringLiteral("bitable");
    if (t.createdAt <= 0)
        t.createdAt = m_clock();
    if (t.updatedAt <= 0)
        t.updatedAt = m_clock();
    QSqlQuery q(m_db->db());
    if (!Sql::run(q, QStringLiteral("INSERT INTO tickets (number, created_at, updated_at) VALUES (?, ?, ?)"),
                  {orNull(t.number), t.createdAt, t.updatedAt}, "import ticket")) {
        m_error = q.lastError().text();
        return std::nullopt;
    }
    t.id = q.lastInsertId().toLongLong();
    const bool numbered = t.number.isEmpty();
    if (numbered)
        t.number = numberFor(t.id);
    TicketSyncInfo info = syncInfoIn;
    info.ticketId = t.id;
    if (numbered)
        info.state = TicketSyncState::Pending; // the new number is written back
    if (!writeTicket(t) || !writeSync(info) || !tx.commit())
        return std::nullopt;
    emit ticketChanged(t.id);
    return t;
}

bool TicketStore::saveSynced(const Ticket &t, const TicketSyncInfo &info)
{
    Transaction tx(m_db->db());
    if (!writeTicket(t) || !writeSync(info) || !tx.commit())
        return false;
    emit ticketChanged(t.id);
    return true;
}

bool TicketStore::setSyncInfo(const TicketSyncInfo &info)
{
    if (!writeSync(info))
        return false;
    emit ticketChanged(info.ticketId);
    return true;
}

qint64 TicketStore::cursor(const QString &appToken, const QString &tableId) const
{
    QSqlQuery q(m_db->db());
    if (!Sql::run(q,
                  QStringLiteral(
                      "SELECT last_modified FROM ticket_sync_cursor WHERE app_token = ? AND table_id = ?"),
                  {appToken, tableId}, "load sync cursor") ||
        !q.next())
        return 0;
    return q.value(0).toLongLong();
}

bool TicketStore::setCursor(const QString &appToken, const QString &tableId, qint64 lastModified)
{
    QSqlQuery q(m_db->db());
    return Sql::run(
        q,
        QStringLiteral("INSERT INTO ticket_sync_cursor (app_token, table_id, last_modified, last_sync_at)"
                       " VALUES (?, ?, ?, ?) ON CONFLICT(app_token, table_id) DO UPDATE SET"
                       " last_modified = MAX(last_modified, excluded.last_modified),"
                       " last_sync_at = excluded.last_sync_at"),
        {appToken, tableId, lastModified, m_clock()}, "save sync cursor");
}

bool TicketStore::resolveConflict(qint64 ticketId, Resolution resolution,
                                  const QHash<QString, QString> &merged, const QString &actor)
{
    auto t = ticket(ticketId);
    TicketSyncInfo info = syncInfo(ticketId);
    if (!t || info.state != TicketSyncState::Conflict) {
        m_error = QStringLiteral("ticket %1 is not in conflict").arg(ticketId);
        return false;
    }
    if (resolution == Resolution::Merge && merged.contains(QStringLiteral("status")) &&
        !TicketStatus::isValid(merged.value(QStringLiteral("status")))) {
        m_error = QStringLiteral("unknown ticket status \"%1\"").arg(merged.value(QStringLiteral("status")));
        return false;
    }
    const QHash<QString, QString> remote = info.remote;
    QString how;
    switch (resolution) {
    case Resolution::KeepLocal:
        how = QStringLiteral("keep local");
        break;
    case Resolution::TakeRemote:
        TicketFields::apply(&*t, remote);
        how = QStringLiteral("take Bitable");
        break;
    case Resolution::Merge:
        TicketFields::apply(&*t, merged);
        how = QStringLiteral("merge");
        break;
    }
    // Bitable holds `remote` now: that is the new common ground; whatever differs is pushed.
    info.base = remote;
    info.remote.clear();
    info.reason.clear();
    const bool differs = !TicketFields::changedKeys(remote, TicketFields::values(*t)).isEmpty();
    info.state = differs ? TicketSyncState::Pending : TicketSyncState::Synced;
    if (differs || resolution != Resolution::KeepLocal)
        t->updatedAt = std::max(m_clock(), t->updatedAt + 1);
    Transaction tx(m_db->db());
    if (!writeTicket(*t) || !writeSync(info))
        return false;
    audit(actor, QStringLiteral("ticket.resolve_conflict"), *t, how);
    if (!tx.commit())
        return false;
    emit ticketChanged(ticketId);
    return true;
}
