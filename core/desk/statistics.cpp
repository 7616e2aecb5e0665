#include "desk/statistics.h"

#include <atomic>

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariantList>

#include "logging_p.h"
#include "storage/database.h"

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr qint64 kHourMs = 3600 * 1000;

bool run(QSqlQuery &q, const QString &sql, const QVariantList &values, QString *error)
{
    q.setForwardOnly(true);
    if (!q.prepare(sql)) {
        *error = q.lastError().text();
        qCWarning(lcDb) << "statistics query failed:" << sql.left(200) << q.lastError().text();
        return false;
    }
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec()) {
        *error = q.lastError().text();
        qCWarning(lcDb) << "statistics query failed:" << sql.left(200) << q.lastError().text();
        return false;
    }
    return true;
}

// How each session that started in [?, ?) went: bot, handoff, takeover or open.
QString endedSql()
{
    return u"SELECT se.id AS id, CASE"
           "  WHEN EXISTS(SELECT 1 FROM messages m WHERE m.session_id = se.id AND m.role = 'bot'"
           "              AND CASE WHEN json_valid(m.meta) THEN json_extract(m.meta, '$.escalate') END = 1)"
           "    OR EXISTS(SELECT 1 FROM drafts d WHERE d.session_id = se.id AND d.escalate = 1) THEN "
           "'handoff'"
           "  WHEN se.mode = 'manual' OR EXISTS(SELECT 1 FROM messages m WHERE m.session_id = se.id"
           "              AND m.role = 'operator') THEN 'takeover'"
           "  WHEN EXISTS(SELECT 1 FROM messages m WHERE m.session_id = se.id AND m.role = 'bot') THEN 'bot'"
           "  WHEN se.needs_operator = 1 THEN 'handoff'"
           "  ELSE 'open' END AS ended"
           " FROM sessions se WHERE se.created_at >= ? AND se.created_at < ?"_s;
}

// Nearest-rank median and p90 of first customer turn -> first reply by `roles`, per session
// whose first customer turn in [from, to) there is.
bool firstReply(const QSqlDatabase &db, qint64 from, qint64 to, const QString &roles, DurationStats *out,
                QString *error)
{
    QSqlQuery q(db);
    const QString sql =
        u"WITH f AS (SELECT session_id AS sid, min(created_at) AS t0 FROM messages"
        "  WHERE role = 'customer' AND created_at >= ? AND created_at < ? GROUP BY session_id),"
        " lat AS (SELECT (SELECT min(r.created_at) FROM messages r WHERE r.session_id = f.sid"
        "  AND r.role IN ("_s +
        roles +
        u") AND r.created_at >= f.t0) - f.t0 AS ms FROM f),"
        " ranked AS (SELECT ms, row_number() OVER (ORDER BY ms) AS rn, count(*) OVER () AS n"
        "  FROM lat WHERE ms IS NOT NULL)"
        " SELECT max(n), max(CASE WHEN rn = (n + 1) / 2 THEN ms END),"
        "  max(CASE WHEN rn = (9 * n + 9) / 10 THEN ms END) FROM ranked"_s;
    if (!run(q, sql, {from, to}, error))
        return false;
    *out = DurationStats{};
    if (q.next() && !q.value(0).isNull()) {
        out->count = q.value(0).toInt();
        out->medianMs = q.value(1).toLongLong();
        out->p90Ms = q.value(2).toLongLong();
    }
    return true;
}

qint64 startOf(const QDate &date)
{
    return date.startOfDay().toMSecsSinceEpoch();
}

} // namespace

QDate StatsPeriod::first() const
{
    if (kind == Kind::Day)
        return date;
    return date.addDays(1 - date.dayOfWeek()); // Monday
}

bool DashboardStats::hasMessages() const
{
    for (int i = 0; i < customerPerHour.size(); ++i) {
        if (customerPerHour.at(i) > 0 || repliesPerHour.value(i) > 0)
            return true;
    }
    return false;
}

DashboardStats Statistics::compute(Database &database, const StatsPeriod &period, qint64 nowMs)
{
    DashboardStats s;
    s.period = period;
    const QDate first = period.first();
    s.fromMs = startOf(first);
    s.toMs = startOf(first.addDays(period.days()));
    s.customerPerHour = QList<int>(24, 0);
    s.repliesPerHour = QList<int>(24, 0);
    s.heat = QList<QList<int>>(period.days(), QList<int>(24, 0));
    const QSqlDatabase db = database.db();
    QString error;

    // Messages by day and hour: the hour index from the period's start (days stay 24 h long
    // within a period unless the local clock changes, which China's does not).
    {
        QSqlQuery q(db);
        if (!run(q,
                 u"SELECT (created_at - ?) / ? AS h, role = 'customer', count(*) FROM messages"
                 " WHERE created_at >= ? AND created_at < ? AND role IN ('customer', 'bot', 'operator')"
                 " GROUP BY h, role = 'customer'"_s,
                 {s.fromMs, kHourMs, s.fromMs, s.toMs}, &error)) {
            s.error = error;
            return s;
        }
        while (q.next()) {
            const int h = q.value(0).toInt();
            const int n = q.value(2).toInt();
            if (h < 0 || h >= 24 * period.days())
                continue;
            if (q.value(1).toBool()) {
                s.customerPerHour[h % 24] += n;
                s.heat[h / 24][h % 24] += n;
            } else {
                s.repliesPerHour[h % 24] += n;
            }
        }
    }
    // How conversations went, and the top categories with their bot-alone share.
    {
        QSqlQuery q(db);
        if (!run(q, u"SELECT ended, count(*) FROM ("_s + endedSql() + u") GROUP BY ended"_s,
                 {s.fromMs, s.toMs}, &error)) {
            s.error = error;
            return s;
        }
        while (q.next()) {
            const QString ended = q.value(0).toString();
            const int n = q.value(1).toInt();
            if (ended == u"bot"_s)
                s.endedBot = n;
            else if (ended == u"handoff"_s)
                s.endedHandoff = n;
            else if (ended == u"takeover"_s)
                s.endedTakeover = n;
            else
                s.open = n;
        }
        QSqlQuery c(db);
        if (!run(
                c,
                u"SELECT coalesce(a.category, '') AS cat, count(*) AS n, sum(e.ended = 'bot') FROM ("_s +
                    endedSql() +
                    u") e JOIN analysis a ON a.session_id = e.id GROUP BY cat ORDER BY n DESC, cat LIMIT 8"_s,
                {s.fromMs, s.toMs}, &error)) {
            s.error = error;
            return s;
        }
        while (c.next())
            s.topCategories << CategoryStats{c.value(0).toString(), c.value(1).toInt(), c.value(2).toInt()};
    }
    if (!firstReply(db, s.fromMs, s.toMs, u"'bot'"_s, &s.botFirstReply, &error) ||
        !firstReply(db, s.fromMs, s.toMs, u"'operator'"_s, &s.operatorFirstReply, &error)) {
        s.error = error;
        return s;
    }
    {
        QSqlQuery q(db);
        if (!run(
                q,
                u"SELECT state, count(*) FROM drafts WHERE created_at >= ? AND created_at < ? GROUP BY state"_s,
                {s.fromMs, s.toMs}, &error)) {
            s.error = error;
            return s;
        }
        while (q.next()) {
            const QString state = q.value(0).toString();
            const int n = q.value(1).toInt();
            if (state == u"approved"_s)
                s.draftsApproved = n;
            else if (state == u"edited"_s)
                s.draftsEdited = n;
            else if (state == u"rejected"_s)
                s.draftsRejected = n;
            else
                s.draftsPending += n;
        }
    }
    // KPI tiles: today.
    {
        const QDate today = QDateTime::fromMSecsSinceEpoch(nowMs).date();
        const qint64 from = startOf(today);
        const qint64 to = startOf(today.addDays(1));
        QSqlQuery q(db);
        if (!run(q,
                 u"SELECT count(*), sum(ended = 'bot'), sum(ended <> 'open') FROM ("_s + endedSql() + u")"_s,
                 {from, to}, &error)) {
            s.error = error;
            return s;
        }
        if (q.next()) {
            s.conversationsToday = q.value(0).toInt();
            const int decided = q.value(2).toInt();
            if (decided > 0)
                s.botAloneShareToday = double(q.value(1).toInt()) / decided;
        }
        QSqlQuery w(db);
        if (!run(w, u"SELECT count(*) FROM sessions WHERE state = 'active' AND needs_operator = 1"_s, {},
                 &error)) {
            s.error = error;
            return s;
        }
        if (w.next())
            s.waitingNow = w.value(0).toInt();
        if (!firstReply(db, from, to, u"'bot', 'operator'"_s, &s.firstReplyToday, &error)) {
            s.error = error;
            return s;
        }
    }
    s.ok = true;
    return s;
}

Statistics::Statistics(Database &db, QObject *parent)
    : QObject(parent)
    , m_db(db)
{
    qRegisterMetaType<DashboardStats>();
}

Statistics::~Statistics()
{
    if (m_thread)
        m_thread->wait();
}

void Statistics::request(const StatsPeriod &period)
{
    if (m_thread) {
        m_pending = period;
        return;
    }
    start(period);
}

void Statistics::start(const StatsPeriod &period)
{
    static std::atomic<int> serial{0};
    const QString connection = u"%1-stats-%2"_s.arg(m_db.connectionName()).arg(++serial);
    Database &mainDb = m_db;
    const qint64 now = m_nowMs > 0 ? m_nowMs : QDateTime::currentMSecsSinceEpoch();
    QPointer<Statistics> self(this);
    QThread *thread = QThread::create([self, &mainDb, period, connection, now] {
        DashboardStats stats;
        {
            Database db(connection);
            if (db.openLike(mainDb)) {
                stats = compute(db, period, now);
            } else {
                stats.period = period;
                stats.error = u"cannot open the database: %1"_s.arg(db.errorString());
            }
        }
        QMetaObject::invokeMethod(
            self,
            [self, stats] {
                if (!self)
                    return;
                self->m_thread = nullptr;
                emit self->ready(stats);
                if (self && self->m_pending) {
                    const StatsPeriod next = *self->m_pending;
                    self->m_pending.reset();
                    self->start(next);
                }
            },
            Qt::QueuedConnection);
    });
    m_thread = thread;
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}
