#include "chat/outbox.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSqlQuery>
#include <QVariant>

#include "logging_p.h"
#include "storage/database.h"
#include "storage/transaction.h"

namespace {

// "#3" or "#3-#5": the outbox rows of one reply, for log lines.
QString outboxIds(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return QStringLiteral("-");
    if (ids.size() == 1)
        return QStringLiteral("#%1").arg(ids.first());
    return QStringLiteral("#%1-#%2").arg(ids.first()).arg(ids.last());
}

const QString kItemColumns =
    QStringLiteral("id, uuid, session_id, turn_id, part_index, part_count, kind, target, receive_id_type, "
                   "msg_type, content, state,"
                   " attempts, next_attempt_at, last_error, sent_message_id, created_at, sent_at");

Outbox::State parseState(const QString &s)
{
    if (s == QLatin1String("sent"))
        return Outbox::State::Sent;
    if (s == QLatin1String("failed"))
        return Outbox::State::Failed;
    return Outbox::State::Pending;
}

Outbox::Item readItem(const QSqlQuery &q)
{
    Outbox::Item it;
    it.id = q.value(0).toLongLong();
    it.uuid = q.value(1).toString();
    it.sessionId = q.value(2).toLongLong();
    it.turnId = q.value(3).toLongLong();
    it.partIndex = q.value(4).toInt();
    it.partCount = q.value(5).toInt();
    it.kind = q.value(6).toString();
    it.target = q.value(7).toString();
    it.receiveIdType = q.value(8).toString();
    it.msgType = q.value(9).toString();
    it.content = q.value(10).toString();
    it.state = parseState(q.value(11).toString());
    it.attempts = q.value(12).toInt();
    it.nextAttemptAt = q.value(13).toLongLong();
    it.lastError = q.value(14).toString();
    it.sentMessageId = q.value(15).toString();
    it.createdAt = q.value(16).toLongLong();
    it.sentAt = q.value(17).toLongLong();
    return it;
}

QString textContent(const QString &text)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("text"), text}}).toJson(QJsonDocument::Compact));
}

QString describe(const SendResult &r)
{
    QString s;
    if (r.code != 0)
        s = QStringLiteral("code %1: ").arg(r.code);
    s += r.message.isEmpty() ? QStringLiteral("no message") : r.message;
    if (r.httpStatus != 0)
        s += QStringLiteral(" (HTTP %1)").arg(r.httpStatus);
    return s;
}

QVariant intOrNull(qint64 v)
{
    return v > 0 ? QVariant(v) : QVariant();
}

// Where `window` (the first maxChars characters of what is left) is best cut: the end of the last
// paragraph, line, sentence or word that leaves at least 30 % of the window filled.
qsizetype cutPosition(QStringView window)
{
    const qsizetype minCut = qMax<qsizetype>(1, window.size() * 3 / 10);
    auto lastAfter = [&](auto &&isBoundary) -> qsizetype {
        for (qsizetype i = window.size() - 1; i >= minCut - 1; --i) {
            if (isBoundary(i))
                return i + 1;
        }
        return -1;
    };
    qsizetype cut =
        lastAfter([&](qsizetype i) { return window[i] == u'\n' && i > 0 && window[i - 1] == u'\n'; });
    if (cut < 0)
        cut = lastAfter([&](qsizetype i) { return window[i] == u'\n'; });
    if (cut < 0) {
        cut = lastAfter([&](qsizetype i) {
            const QChar c = window[i];
            if (c == u'。' || c == u'！' || c == u'？' || c == u'；' || c == u'…')
                return true;
            // ASCII sentence ends only before a space, so 1.5 or a URL is not cut.
            if (c == u'.' || c == u'!' || c == u'?' || c == u';')
                return i + 1 < window.size() && window[i + 1].isSpace();
            return false;
        });
    }
    if (cut < 0)
        cut = lastAfter(
            [&](qsizetype i) { return window[i].isSpace() || window[i] == u'，' || window[i] == u','; });
    if (cut < 0) {
        cut = window.size();
        if (cut > 1 && window[cut - 1].isHighSurrogate())
            --cut;
    }
    return cut;
}

} // namespace

QString Outbox::Item::text() const
{
    return QJsonDocument::fromJson(content.toUtf8()).object().value(QStringLiteral("text")).toString();
}

Outbox::Outbox(Database *db, ReplyTransport *transport, QObject *parent)
    : QObject(parent)
    , m_conn(db ? db->connectionName() : QString())
    , m_transport(transport)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Outbox::pump);
}

Outbox::~Outbox() = default;

void Outbox::setTransport(ReplyTransport *transport)
{
    m_transport = transport;
    m_warnedNoTransport = false;
    kick();
}

void Outbox::setBackoffMs(const QList<int> &backoff)
{
    if (!backoff.isEmpty())
        m_backoffMs = backoff;
}

QStringList Outbox::splitText(const QString &text, int maxChars)
{
    maxChars = qMax(2, maxChars);
    QStringList parts;
    QString rest = text.trimmed();
    while (rest.size() > maxChars) {
        const qsizetype cut = cutPosition(QStringView(rest).left(maxChars));
        const QString part = rest.left(cut).trimmed();
        if (!part.isEmpty())
            parts.append(part);
        rest = rest.mid(cut).trimmed();
    }
    if (!rest.isEmpty())
        parts.append(rest);
    return parts;
}

QString Outbox::stableUuid(const QString &scope, int part)
{
    const QByteArray digest = QCryptographicHash::hash(
        (scope + QLatin1Char('#') + QString::number(part)).toUtf8(), QCryptographicHash::Sha1);
    return QStringLiteral("tsp1-") + QString::fromLatin1(digest.toHex());
}

QList<qint64> Outbox::enqueueReply(qint64 sessionId, const QString &replyToMessageId, const QString &text,
                                   const QString &purpose, qint64 turnId)
{
    return enqueue(sessionId, QStringLiteral("reply"), replyToMessageId, {}, text,
                   purpose + QLatin1Char(':') + replyToMessageId, turnId);
}

QList<qint64> Outbox::enqueueSend(qint64 sessionId, const QString &receiveIdType, const QString &receiveId,
                                  const QString &text, const QString &scope, qint64 turnId)
{
    return enqueue(sessionId, QStringLiteral("send"), receiveId, receiveIdType, text,
                   QStringLiteral("send:") + scope, turnId);
}

QList<qint64> Outbox::enqueue(qint64 sessionId, const QString &kind, const QString &target,
                              const QString &receiveIdType, const QString &text, const QString &scope,
                              qint64 turnId)
{
    if (target.isEmpty()) {
        qCWarning(lcOutbox) << "cannot queue a" << kind << "without a target; dropped";
        return {};
    }
    const QStringList parts = splitText(text, m_maxPartChars);
    if (parts.isEmpty()) {
        qCWarning(lcOutbox).noquote() << "refusing to queue an empty" << kind << "to" << target;
        return {};
    }
    const QSqlDatabase db = Sql::connection(m_conn);
    Transaction tx(db);
    const qint64 now = m_clock();
    QList<qint64> ids;
    QList<qint64> created;
    for (int i = 0; i < parts.size(); ++i) {
        const QString uuid = stableUuid(scope, i);
        QSqlQuery ins(db);
        if (!Sql::run(
                ins,
                QStringLiteral(
                    "INSERT OR IGNORE INTO outbox(uuid, session_id, turn_id, part_index, part_count, kind,"
                    " target, receive_id_type, msg_type, content, state, attempts, next_attempt_at,"
                    " created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, 'text', ?, 'pending', 0, 0, ?)"),
                {uuid, intOrNull(sessionId), intOrNull(turnId), i, int(parts.size()), kind, target,
                 receiveIdType.isEmpty() ? QVariant() : QVariant(receiveIdType), textContent(parts.at(i)),
                 now},
                "queue reply"))
            return {};
        QSqlQuery sel(db);
        if (!Sql::run(sel, QStringLiteral("SELECT id FROM outbox WHERE uuid = ?"), {uuid},
                      "read queued reply") ||
            !sel.next())
            return {};
        const qint64 id = sel.value(0).toLongLong();
        ids.append(id);
        if (ins.numRowsAffected() == 1)
            created.append(id);
        else
            qCInfo(lcOutbox).noquote() << "reply part" << i + 1 << "to" << target
                                       << QStringLiteral("is already queued as outbox #%1").arg(id)
                                       << "(same decision), not queued again";
    }
    if (!tx.commit())
        return {};
    qCInfo(lcOutbox).noquote() << "queued" << kind << "to" << target << "in" << parts.size() << "part(s),"
                               << text.size() << "chars, outbox" << outboxIds(ids);
    QPointer<Outbox> self(this);
    Transaction::afterCommit(db, [self, created] {
        if (!self)
            return;
        for (qint64 id : created)
            emit self->enqueued(id);
        self->kick();
    });
    return ids;
}

QList<Outbox::Item> Outbox::queryItems(const QString &where, const QVariantList &values,
                                       const QString &tail) const
{
    QList<Item> out;
    QSqlQuery q(Sql::connection(m_conn));
    QString sql = QStringLiteral("SELECT ") + kItemColumns + QStringLiteral(" FROM outbox");
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where;
    sql += tail;
    if (!Sql::run(q, sql, values, "read outbox"))
        return out;
    while (q.next())
        out.append(readItem(q));
    return out;
}

std::optional<Outbox::Item> Outbox::item(qint64 outboxId) const
{
    const auto list = queryItems(QStringLiteral("id = ?"), {outboxId}, {});
    if (list.isEmpty())
        return std::nullopt;
    return list.first();
}

QList<Outbox::Item> Outbox::items(qint64 sessionId) const
{
    return queryItems(QStringLiteral("session_id = ?"), {sessionId}, QStringLiteral(" ORDER BY id"));
}

QList<Outbox::Item> Outbox::itemsForTurn(qint64 turnId) const
{
    return queryItems(QStringLiteral("turn_id = ?"), {turnId}, QStringLiteral(" ORDER BY part_index, id"));
}

qint64 Outbox::oldestPendingAt() const
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q, QStringLiteral("SELECT MIN(created_at) FROM outbox WHERE state = 'pending'"), {},
                  "oldest pending reply") ||
        !q.next())
        return 0;
    return q.value(0).toLongLong();
}

QList<Outbox::Item> Outbox::pendingItems() const
{
    return queryItems(QStringLiteral("state = 'pending'"), {}, QStringLiteral(" ORDER BY id"));
}

Outbox::Stats Outbox::stats() const
{
    Stats s;
    QSqlQuery q(Sql::connection(m_conn));
    if (Sql::run(q, QStringLiteral("SELECT state, COUNT(*) FROM outbox GROUP BY state"), {},
                 "count outbox")) {
        while (q.next()) {
            switch (parseState(q.value(0).toString())) {
            case State::Pending:
                s.pending = q.value(1).toInt();
                break;
            case State::Sent:
                s.sent = q.value(1).toInt();
                break;
            case State::Failed:
                s.failed = q.value(1).toInt();
                break;
            }
        }
    }
    s.inFlight = int(m_inFlight.size());
    s.attempts = m_attempts;
    s.retries = m_retries;
    return s;
}

int Outbox::resumePending()
{
    const auto pending = pendingItems();
    if (!pending.isEmpty())
        qCInfo(lcOutbox)
            << "resuming" << pending.size()
            << "pending repl(ies) from before; they go out under their original uuid, so Feishu drops "
               "any that were already delivered";
    pump();
    return int(pending.size());
}

bool Outbox::retry(qint64 outboxId)
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q,
                  QStringLiteral("UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = 0"
                                 " WHERE id = ? AND state = 'failed'"),
                  {outboxId}, "retry failed reply") ||
        q.numRowsAffected() != 1)
        return false;
    qCInfo(lcOutbox).noquote() << QStringLiteral("outbox #%1").arg(outboxId) << "will be tried again";
    kick();
    return true;
}

void Outbox::kick()
{
    // Coalesces wake-ups and never recurses into a transport callback.
    m_timer.start(0);
}

qint64 Outbox::backoffFor(int attempts) const
{
    const int index = qBound(0, attempts - 1, int(m_backoffMs.size()) - 1);
    return m_backoffMs.at(index);
}

void Outbox::pump()
{
    if (!m_transport) {
        if (!m_warnedNoTransport)
            qCWarning(lcOutbox) << "no connection to Feishu's message API yet; replies wait in the outbox";
        m_warnedNoTransport = true;
        return;
    }
    const qint64 now = m_clock();
    // Only the oldest pending row of each session (or target) may go; the rest wait their turn.
    const auto pending =
        queryItems(QStringLiteral("state = 'pending'"), {}, QStringLiteral(" ORDER BY id LIMIT 2000"));
    QSet<QString> seenGroups;
    qint64 earliest = -1;
    for (const Item &it : pending) {
        const QString group =
            it.sessionId > 0 ? QStringLiteral("s%1").arg(it.sessionId) : QStringLiteral("t:") + it.target;
        if (seenGroups.contains(group))
            continue;
        seenGroups.insert(group);
        if (m_busyGroups.contains(group) || m_inFlight.contains(it.id))
            continue;
        if (it.nextAttemptAt > now) {
            if (earliest < 0 || it.nextAttemptAt < earliest)
                earliest = it.nextAttemptAt;
            continue;
        }
        start(it, group);
    }
    if (earliest >= 0 && !m_timer.isActive())
        m_timer.start(int(qBound<qint64>(0, earliest - now, 24LL * 3600 * 1000)));
}

void Outbox::start(const Item &item, const QString &group)
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(
            q, QStringLiteral("UPDATE outbox SET attempts = attempts + 1 WHERE id = ? AND state = 'pending'"),
            {item.id}, "count send attempt") ||
        q.numRowsAffected() != 1)
        return;
    const quint64 generation = ++m_generation;
    m_inFlight.insert(item.id, Attempt{generation, group});
    m_busyGroups.insert(group);
    ++m_attempts;
    qCInfo(lcOutbox).noquote()
        << QStringLiteral("sending outbox #%1").arg(item.id)
        << QStringLiteral("(part %1/%2,").arg(item.partIndex + 1).arg(item.partCount) << item.kind << "to"
        << item.target + QStringLiteral(", attempt %1, uuid %2)").arg(item.attempts + 1).arg(item.uuid);

    const qint64 id = item.id;
    emit attemptStarted(id);
    QPointer<Outbox> self(this);
    QTimer::singleShot(m_sendTimeoutMs, this, [this, id, generation] {
        const auto it = m_inFlight.constFind(id);
        if (it == m_inFlight.constEnd() || it->generation != generation)
            return;
        SendResult r;
        r.retryable = true;
        r.message = QStringLiteral("no answer from the message API within %1 ms").arg(m_sendTimeoutMs);
        finishAttempt(id, generation, r, true);
    });
    auto done = [self, id, generation](const SendResult &r) {
        if (self)
            self->finishAttempt(id, generation, r, false);
    };
    if (item.kind == QLatin1String("send"))
        m_transport->sendMessage(item.receiveIdType, item.target, item.msgType, item.content, item.uuid,
                                 done);
    else
        m_transport->replyMessage(item.target, item.msgType, item.content, item.uuid, done);
}

void Outbox::finishAttempt(qint64 id, quint64 generation, const SendResult &result, bool timedOut)
{
    const auto flight = m_inFlight.constFind(id);
    const bool current = flight != m_inFlight.constEnd() && flight->generation == generation;
    if (!current) {
        // A result after the attempt was given up (timeout). A success still counts: Feishu has the
        // message, and the uuid keeps any later attempt from posting it again.
        if (!result.ok)
            return;
        qCInfo(lcOutbox).noquote() << QStringLiteral("late confirmation for outbox #%1").arg(id);
    } else {
        m_busyGroups.remove(flight->group);
        m_inFlight.erase(flight);
    }
    kick();

    const QSqlDatabase db = Sql::connection(m_conn);
    const auto row = item(id);
    if (!row || row->state != State::Pending)
        return;
    const qint64 now = m_clock();
    if (result.ok) {
        Transaction tx(db);
        QSqlQuery q(db);
        if (!Sql::run(
                q,
                QStringLiteral(
                    "UPDATE outbox SET state = 'sent', sent_message_id = ?, sent_at = ?, last_error = NULL"
                    " WHERE id = ? AND state = 'pending'"),
                {result.sentMessageId, now, id}, "mark reply sent") ||
            q.numRowsAffected() != 1)
            return;
        if (row->turnId > 0 && row->partIndex == 0 && !result.sentMessageId.isEmpty()) {
            QSqlQuery t(db);
            Sql::run(
                t,
                QStringLiteral(
                    "UPDATE messages SET feishu_message_id = ? WHERE id = ? AND feishu_message_id IS NULL"),
                {result.sentMessageId, row->turnId}, "link sent message to its turn");
        }
        if (!tx.commit())
            return;
        qCInfo(lcOutbox).noquote()
            << QStringLiteral("delivered outbox #%1").arg(id)
            << QStringLiteral("(part %1/%2)").arg(row->partIndex + 1).arg(row->partCount) << "to"
            << row->target << "as" << result.sentMessageId << "after" << row->attempts << "attempt(s)";
        emit delivered(id, result.sentMessageId);
        return;
    }

    const QString error = describe(result);
    if (result.retryable && row->attempts < m_maxAttempts) {
        qint64 delay = backoffFor(row->attempts);
        if (result.retryAfterMs > 0)
            delay = qMax<qint64>(delay, result.retryAfterMs);
        QSqlQuery q(db);
        if (!Sql::run(q,
                      QStringLiteral("UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ? AND "
                                     "state = 'pending'"),
                      {now + delay, error, id}, "schedule reply retry"))
            return;
        ++m_retries;
        qCWarning(lcOutbox).noquote()
            << QStringLiteral("outbox #%1 not delivered%2: %3; retry %4 of %5 in %6 ms")
                   .arg(id)
                   .arg(timedOut ? QStringLiteral(" (timeout)") : QString(), error)
                   .arg(row->attempts + 1)
                   .arg(m_maxAttempts)
                   .arg(delay);
        emit retryScheduled(id, row->attempts + 1, delay);
        return;
    }
    const QString finalError =
        result.retryable ? QStringLiteral("gave up after %1 attempts: %2").arg(row->attempts).arg(error)
                         : error;
    QSqlQuery q(db);
    if (!Sql::run(
            q,
            QStringLiteral(
                "UPDATE outbox SET state = 'failed', last_error = ? WHERE id = ? AND state = 'pending'"),
            {finalError, id}, "mark reply failed"))
        return;
    qCWarning(lcOutbox).noquote() << QStringLiteral("outbox #%1").arg(id) << "to" << row->target
                                  << "failed for good:" << finalError;
    emit failed(id, finalError);
}
