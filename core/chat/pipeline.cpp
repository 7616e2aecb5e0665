#include "chat/pipeline.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSqlQuery>
#include <QVariant>

#include "chat/draftstore.h"
#include "chat/outbox.h"
#include "chat/sessionmanager.h"
#include "logging_p.h"
#include "storage/auditlog.h"
#include "storage/database.h"
#include "storage/eventledger.h"
#include "storage/transaction.h"

namespace {

constexpr int kLogTextChars = 200;

// One log-friendly line: newlines shown as \n, cut at `max` characters.
QString oneLine(const QString &s, int max = kLogTextChars)
{
    QString out = s.left(max);
    out.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    out.replace(QLatin1Char('\r'), QStringLiteral("\\r"));
    if (s.size() > max)
        out += QStringLiteral("…(%1 chars)").arg(s.size());
    return QLatin1Char('"') + out + QLatin1Char('"');
}

// What recover() needs to redo a message: everything but rawContent and text, which the turn
// holds in its own columns.
QJsonObject inboundToJson(const InboundMessage &m)
{
    QJsonArray mentions;
    for (const InboundMention &x : m.mentions)
        mentions.append(QJsonObject{{QStringLiteral("key"), x.key},
                                    {QStringLiteral("open_id"), x.openId},
                                    {QStringLiteral("name"), x.name}});
    return QJsonObject{
        {QStringLiteral("event_id"), m.eventId},
        {QStringLiteral("event_type"), m.eventType},
        {QStringLiteral("chat_id"), m.chatId},
        {QStringLiteral("chat_type"), m.chatType},
        {QStringLiteral("thread_id"), m.threadId},
        {QStringLiteral("root_id"), m.rootId},
        {QStringLiteral("parent_id"), m.parentId},
        {QStringLiteral("sender_open_id"), m.senderOpenId},
        {QStringLiteral("sender_union_id"), m.senderUnionId},
        {QStringLiteral("sender_user_id"), m.senderUserId},
        {QStringLiteral("sender_type"), m.senderType},
        {QStringLiteral("tenant_key"), m.tenantKey},
        {QStringLiteral("message_type"), m.messageType},
        {QStringLiteral("mentions"), mentions},
        {QStringLiteral("mentions_bot"), m.mentionsBot},
        {QStringLiteral("mentions_all"), m.mentionsAll},
        {QStringLiteral("readable"), m.readable},
        {QStringLiteral("create_time_ms"), double(m.createTimeMs)},
    };
}

InboundMessage inboundFromTurn(const Turn &t)
{
    const QJsonObject o = t.meta;
    auto str = [&o](const char *k) { return o.value(QLatin1String(k)).toString(); };
    InboundMessage m;
    m.messageId = t.feishuMessageId;
    m.rawContent = t.rawContent;
    m.text = t.content;
    m.eventId = str("event_id");
    m.eventType = str("event_type");
    m.chatId = str("chat_id");
    m.chatType = str("chat_type");
    m.threadId = str("thread_id");
    m.rootId = str("root_id");
    m.parentId = str("parent_id");
    m.senderOpenId = str("sender_open_id");
    m.senderUnionId = str("sender_union_id");
    m.senderUserId = str("sender_user_id");
    m.senderType = str("sender_type");
    m.tenantKey = str("tenant_key");
    m.messageType = str("message_type");
    const QJsonArray mentions = o.value(QStringLiteral("mentions")).toArray();
    for (const QJsonValue &v : mentions) {
        const QJsonObject x = v.toObject();
        m.mentions.append({x.value(QStringLiteral("key")).toString(),
                           x.value(QStringLiteral("open_id")).toString(),
                           x.value(QStringLiteral("name")).toString()});
    }
    m.mentionsBot = o.value(QStringLiteral("mentions_bot")).toBool();
    m.mentionsAll = o.value(QStringLiteral("mentions_all")).toBool();
    m.readable = o.value(QStringLiteral("readable")).toBool(true);
    m.createTimeMs = qint64(o.value(QStringLiteral("create_time_ms")).toDouble());
    return m;
}

bool isBlank(const QString &s)
{
    return s.trimmed().isEmpty();
}

} // namespace

Pipeline::Pipeline(Database *db, EventLedger *ledger, SessionManager *sessions, Outbox *outbox,
                   DraftStore *drafts, AuditLog *audit, AnswerProvider *answers, QObject *parent)
    : QObject(parent)
    , m_conn(db ? db->connectionName() : QString())
    , m_ledger(ledger)
    , m_sessions(sessions)
    , m_outbox(outbox)
    , m_drafts(drafts)
    , m_audit(audit)
    , m_answers(answers)
    , m_unreadableReply(
          QStringLiteral("抱歉，我目前只能阅读文字和富文本消息，暂时无法查看图片、文件、语音等内容。"
                         "请用文字描述您遇到的问题，我会尽快为您解答。"))
    , m_emptyPrompt(QStringLiteral("请问有什么可以帮您？请直接描述您遇到的问题。"))
    , m_handoffReply(Answers::handoffText())
{
    m_maintenance.setInterval(DefaultMaintenanceIntervalMs);
    m_pruneTimer.setInterval(DefaultPruneIntervalMs);
    connect(&m_maintenance, &QTimer::timeout, this, &Pipeline::maintain);
    connect(&m_pruneTimer, &QTimer::timeout, this, &Pipeline::prune);
}

Pipeline::~Pipeline() = default;

void Pipeline::setMaintenanceIntervalMs(int ms)
{
    m_maintenance.setInterval(qMax(1, ms));
}

void Pipeline::setPruneIntervalMs(int ms)
{
    m_pruneTimer.setInterval(qMax(1, ms));
}

void Pipeline::start()
{
    recover();
    if (m_outbox)
        m_outbox->resumePending();
    prune();
    maintain();
    m_maintenance.start();
    m_pruneTimer.start();
}

void Pipeline::maintain()
{
    if (m_sessions)
        m_sessions->expireIdle();
}

void Pipeline::prune()
{
    if (m_ledger)
        m_ledger->prune();
}

Pipeline::Stats Pipeline::stats() const
{
    Stats s = m_stats;
    s.running = int(m_running.size());
    s.queued = 0;
    for (const auto &q : m_queues)
        s.queued += int(q.size());
    return s;
}

QString Pipeline::ledgerKey(const InboundMessage &msg) const
{
    return msg.messageId.isEmpty() ? msg.eventId : msg.messageId;
}

void Pipeline::handle(const InboundMessage &msg)
{
    ++m_stats.received;
    const QString key = ledgerKey(msg);
    if (key.isEmpty()) {
        ++m_stats.ignored;
        qCWarning(lcSession)
            << "inbound message without message_id and event_id, ignored (cannot be deduplicated or"
               " replied to)";
        emit handled(QString(), Ledger::outcomeName(Ledger::Outcome::Ignored));
        emit statsChanged();
        return;
    }
    const QString kind = msg.eventType.isEmpty() ? QStringLiteral("im.message.receive_v1") : msg.eventType;
    const bool addressed = !msg.isGroup() || msg.mentionsBot;
    const QString sessionKey = SessionManager::sessionKey(msg.chatType, msg.chatId, msg.senderOpenId);
    auto inboundLine = [&](const QString &sessionPart) -> QString {
        return QStringLiteral("inbound %1: chat %2 (%3), sender %4, type %5, raw %6, text %7, %8")
            .arg(key, msg.chatId, msg.chatType, msg.senderOpenId, msg.messageType, oneLine(msg.rawContent),
                 oneLine(msg.text), sessionPart);
    };

    const bool noSender = addressed && msg.senderOpenId.isEmpty();
    // Not for the bot: recorded as decided at once, in one statement (most pushes of a busy group
    // end here).
    const bool ignore = !addressed || noSender;

    const QSqlDatabase db = Sql::connection(m_conn);
    Transaction tx(db);
    const EventLedger::Mark mark =
        m_ledger->mark(key, kind, ignore ? Ledger::Outcome::Ignored : Ledger::Outcome::Received);
    if (mark == EventLedger::Mark::Duplicate) {
        tx.commit();
        ++m_stats.duplicates;
        const auto first = m_ledger->entry(key);
        qCInfo(lcSession).noquote()
            << QStringLiteral("duplicate delivery of %1, ignored").arg(key)
            << (first
                    ? QStringLiteral("(first seen %1, outcome %2)")
                          .arg(QDateTime::fromMSecsSinceEpoch(first->firstSeenAt).toString(Qt::ISODateWithMs),
                               first->outcome ? Ledger::outcomeName(*first->outcome) : QStringLiteral("?"))
                    : QString());
        emit handled(key, QStringLiteral("duplicate"));
        emit statsChanged();
        return;
    }
    if (mark == EventLedger::Mark::Error) {
        tx.rollback();
        ++m_stats.errors;
        qCCritical(lcSession).noquote()
            << "cannot record inbound" << key << "in the event ledger (database error); it is not answered";
        emit handled(key, QStringLiteral("error"));
        emit statsChanged();
        return;
    }
    if (noSender)
        qCWarning(lcSession).noquote() << "inbound" << key
                                       << "has no sender open_id, so its conversation cannot be "
                                          "kept apart from other people's; ignored";
    if (ignore) {
        if (!tx.commit()) {
            ++m_stats.errors;
            emit statsChanged();
            return;
        }
        ++m_stats.ignored;
        // One line, not two: most pushes of a busy group end here.
        qCInfo(lcSession).noquote() << inboundLine(QStringLiteral("no session")) << "- outcome: ignored,"
                                    << (noSender ? "no sender"
                                                 : "group message that does not @-mention the bot");
        emit handled(key, Ledger::outcomeName(Ledger::Outcome::Ignored));
        emit statsChanged();
        return;
    }

    const SessionManager::Opened opened =
        m_sessions->openSession(sessionKey, msg.chatId, msg.chatType, msg.senderOpenId);
    Turn turn;
    turn.sessionId = opened.session.id;
    turn.role = TurnRole::Customer;
    turn.content = msg.readable
                       ? msg.text
                       : QStringLiteral("[%1]").arg(msg.messageType.isEmpty() ? QStringLiteral("unknown")
                                                                              : msg.messageType);
    turn.rawContent = msg.rawContent;
    turn.feishuMessageId = msg.messageId;
    turn.meta = inboundToJson(msg);
    const qint64 turnId = opened.ok ? m_sessions->addTurn(turn) : 0;
    if (turnId == 0 || !tx.commit()) {
        tx.rollback();
        ++m_stats.errors;
        qCCritical(lcSession).noquote() << "cannot store inbound" << key
                                        << "(database error); it is not answered and Feishu may redeliver it";
        emit handled(key, QStringLiteral("error"));
        emit statsChanged();
        return;
    }
    qCInfo(lcSession).noquote() << inboundLine(
        QStringLiteral("session %1 #%2 (new session: %3)")
            .arg(sessionKey)
            .arg(opened.session.id)
            .arg(opened.created ? QStringLiteral("yes") : QStringLiteral("no")));
    if (!msg.readable)
        qCInfo(lcSession).noquote() << "message" << key << "is of type" << msg.messageType
                                    << "which the bot cannot read; it will say what it can read";

    Job job;
    job.msg = msg;
    job.ledgerKey = key;
    job.sessionKey = sessionKey;
    job.sessionId = opened.session.id;
    job.turnId = turnId;
    enqueue(std::move(job));
}

int Pipeline::recover()
{
    QSqlQuery q(Sql::connection(m_conn));
    if (!Sql::run(q,
                  QStringLiteral("SELECT l.key, m.id FROM event_ledger l LEFT JOIN messages m"
                                 " ON m.feishu_message_id = l.key AND m.role = 'customer'"
                                 " WHERE l.outcome = 'received' ORDER BY m.id"),
                  {}, "find undecided messages"))
        return 0;
    QList<QPair<QString, qint64>> rows;
    while (q.next())
        rows.append({q.value(0).toString(), q.value(1).toLongLong()});
    q.finish();
    int count = 0;
    for (const auto &[key, turnId] : std::as_const(rows)) {
        if (turnId > 0 && m_knownTurns.contains(turnId))
            continue; // queued or running in this process
        const auto turn = turnId > 0 ? m_sessions->turn(turnId) : std::nullopt;
        const auto session = turn ? m_sessions->session(turn->sessionId) : std::nullopt;
        if (!turn || !session) {
            qCWarning(lcSession).noquote()
                << "event ledger entry" << key
                << "was never decided and its message is not stored; marking it lost";
            m_ledger->setOutcome(key, Ledger::Outcome::Lost);
            continue;
        }
        Job job;
        job.msg = inboundFromTurn(*turn);
        job.ledgerKey = key;
        job.sessionKey = session->key;
        job.sessionId = session->id;
        job.turnId = turn->id;
        job.recovered = true;
        qCInfo(lcSession).noquote() << "recovering" << key << "of session" << session->key
                                    << QStringLiteral("#%1").arg(session->id)
                                    << "- it arrived before the last shutdown but was not decided yet";
        ++m_stats.recovered;
        ++count;
        enqueue(std::move(job));
    }
    if (count > 0)
        qCInfo(lcSession) << "recovered" << count << "undecided message(s)";
    return count;
}

void Pipeline::enqueue(Job job)
{
    const QString key = job.sessionKey;
    m_knownTurns.insert(job.turnId);
    m_queues[key].enqueue(std::move(job));
    emit statsChanged();
    if (Transaction::inTransaction(Sql::connection(m_conn))) {
        // Inside a write batch (BotService handles a slice of pushes in one transaction): the
        // answer starts once the slice has committed, so the inbound turn is durable before the
        // assistant, the LLM or the outbox see it, and no knowledge write runs in the batch.
        QMetaObject::invokeMethod(
            this, [this, key] { runNext(key); }, Qt::QueuedConnection);
        return;
    }
    runNext(key);
}

void Pipeline::runNext(const QString &sessionKey)
{
    if (m_running.contains(sessionKey))
        return;
    auto it = m_queues.find(sessionKey);
    if (it == m_queues.end())
        return;
    Job job = it->dequeue();
    if (it->isEmpty())
        m_queues.erase(it);
    job.token = ++m_nextToken;
    m_running.insert(sessionKey, job);
    process(job);
}

void Pipeline::process(const Job &job)
{
    const auto session = m_sessions->session(job.sessionId);
    if (!session) {
        ++m_stats.errors;
        qCWarning(lcSession).noquote() << QStringLiteral("session #%1").arg(job.sessionId) << "of"
                                       << job.ledgerKey << "is gone (deleted?); the message is not answered";
        finish(job, QStringLiteral("error"), QStringLiteral("session missing"));
        return;
    }
    const SessionMode mode = session->mode;
    if (!job.msg.readable) {
        decide(
            job, mode,
            Decision{m_unreadableReply, AnswerSource::Fixed, Ledger::Outcome::Unreadable, {}, false, {}, {}});
        return;
    }
    if (isBlank(job.msg.text)) {
        decide(job, mode,
               Decision{m_emptyPrompt, AnswerSource::Fixed, Ledger::Outcome::Prompted, {}, false, {}, {}});
        return;
    }
    if (mode == SessionMode::Manual) {
        decideManual(job);
        return;
    }
    const quint64 token = job.token;
    const QString key = job.sessionKey;
    if (!m_answers) {
        Answer none;
        none.escalate = true;
        none.source = AnswerSource::Handoff;
        none.llmError = QStringLiteral("no answer provider is configured");
        onAnswer(key, token, none, false);
        return;
    }
    AnswerRequest req;
    req.sessionKey = key;
    req.question = job.msg.text;
    req.history = SessionManager::toConversation(m_sessions->historyWindow(job.sessionId, job.turnId));
    {
        QPointer<Pipeline> progress(this);
        const qint64 sessionId = job.sessionId;
        req.partial = [progress, key, token, sessionId](const QString &textSoFar) {
            if (!progress)
                return;
            const auto it = progress->m_running.constFind(key);
            if (it != progress->m_running.constEnd() && it->token == token)
                emit progress->answerProgress(sessionId, textSoFar);
        };
    }
    QTimer::singleShot(m_answerTimeoutMs, this, [this, key, token] {
        const auto it = m_running.constFind(key);
        if (it == m_running.constEnd() || it->token != token)
            return;
        ++m_stats.answerTimeouts;
        Answer late;
        late.escalate = true;
        late.source = AnswerSource::Handoff;
        late.llmError = QStringLiteral("the assistant did not answer within %1 ms").arg(m_answerTimeoutMs);
        onAnswer(key, token, late, true);
    });
    QPointer<Pipeline> self(this);
    m_answers->answer(req, [self, key, token](const Answer &a) {
        if (self)
            self->onAnswer(key, token, a, false);
    });
}

void Pipeline::onAnswer(const QString &sessionKey, quint64 token, const Answer &answer, bool timedOut)
{
    const auto it = m_running.constFind(sessionKey);
    if (it == m_running.constEnd() || it->token != token) {
        qCInfo(lcSession).noquote() << "late answer for session" << sessionKey
                                    << "ignored (it was handed off already)";
        return;
    }
    const Job job = *it;
    Decision d;
    d.text = answer.text.trimmed();
    d.source = answer.source;
    d.outcome = Ledger::Outcome::Answered;
    d.refs = answer.refs;
    d.escalate = answer.escalate;
    d.llmError = answer.llmError;
    d.reason = answer.decisionReason;
    d.lead = answer.decisionLead;
    d.coverage = answer.decisionCoverage;
    d.askedBack = answer.askedBack;
    if (d.text.isEmpty()) {
        // The contract says never empty; if it happens anyway, the customer still hears from us.
        if (!timedOut && answer.llmError.isEmpty())
            qCWarning(lcSession).noquote()
                << "the assistant returned an empty answer for" << job.ledgerKey << "; handing off";
        d.text = m_handoffReply;
        d.source = AnswerSource::Handoff;
        d.escalate = true;
    }
    if (d.escalate) {
        if (timedOut || !answer.llmError.isEmpty())
            d.escalateReason = answer.llmError;
        else if (d.source == AnswerSource::Handoff)
            d.escalateReason = QStringLiteral("no knowledge entry fits the question");
        else
            d.escalateReason = QStringLiteral("the assistant asked for a person");
    }
    const auto session = m_sessions->session(job.sessionId);
    const SessionMode mode = session ? session->mode : SessionMode::Auto;
    if (mode == SessionMode::Manual) {
        qCInfo(lcSession).noquote()
            << QStringLiteral("session #%1").arg(job.sessionId)
            << "switched to manual while the assistant worked; its answer is not sent";
        decideManual(job);
        return;
    }
    decide(job, mode, d);
}

void Pipeline::decide(const Job &job, SessionMode mode, const Decision &d)
{
    if (mode == SessionMode::Manual) {
        decideManual(job);
        return;
    }
    const QSqlDatabase db = Sql::connection(m_conn);
    Transaction tx(db);
    bool ok = true;
    qint64 draftId = 0;
    int parts = 0;
    if (mode == SessionMode::Auto) {
        Turn bot;
        bot.sessionId = job.sessionId;
        bot.role = TurnRole::Bot;
        bot.content = d.text;
        bot.refs = d.refs;
        bot.meta = QJsonObject{{QStringLiteral("source"), Answers::answerSourceName(d.source)},
                               {QStringLiteral("in_reply_to"), job.msg.messageId},
                               {QStringLiteral("escalate"), d.escalate}};
        if (!d.llmError.isEmpty())
            bot.meta.insert(QStringLiteral("llm_error"), d.llmError);
        const QJsonObject decision = d.decisionMeta();
        for (auto it = decision.constBegin(); it != decision.constEnd(); ++it)
            bot.meta.insert(it.key(), it.value());
        const qint64 turnId = m_sessions->addTurn(bot);
        const QList<qint64> rows = turnId > 0
                                       ? m_outbox->enqueueReply(job.sessionId, job.msg.messageId, d.text,
                                                                QStringLiteral("answer"), turnId)
                                       : QList<qint64>{};
        parts = int(rows.size());
        ok = !rows.isEmpty() && m_ledger->setOutcome(job.ledgerKey, d.outcome);
    } else {
        draftId = m_drafts->create(job.sessionId, job.turnId, job.msg.messageId, d.text, d.refs,
                                   Answers::answerSourceName(d.source), d.escalate, d.decisionMeta());
        ok = draftId > 0 && m_ledger->setOutcome(job.ledgerKey, Ledger::Outcome::Draft);
    }
    if (ok && d.escalate)
        ok = m_sessions->setNeedsOperator(job.sessionId, true);
    if (!ok || !tx.commit()) {
        tx.rollback();
        ++m_stats.errors;
        qCCritical(lcSession).noquote()
            << "cannot store the decision for" << job.ledgerKey
            << "(database error); it stays undecided and is retried at the next start";
        finish(job, QStringLiteral("error"), QStringLiteral("decision not stored"));
        return;
    }

    QString outcome;
    QString detail;
    if (mode == SessionMode::Auto) {
        if (d.outcome == Ledger::Outcome::Answered) {
            outcome = Ledger::outcomeName(d.outcome) + QLatin1Char('/') + Answers::answerSourceName(d.source);
            ++m_stats.answered;
            switch (d.source) {
            case AnswerSource::Llm:
                ++m_stats.answeredLlm;
                break;
            case AnswerSource::Knowledge:
                ++m_stats.answeredKnowledge;
                break;
            case AnswerSource::Handoff:
                ++m_stats.answeredHandoff;
                break;
            case AnswerSource::SmallTalk:
                ++m_stats.answeredSmallTalk;
                break;
            case AnswerSource::Clarify:
                ++m_stats.answeredClarify;
                break;
            case AnswerSource::Fixed:
                break;
            }
        } else {
            outcome = Ledger::outcomeName(d.outcome);
            ++(d.outcome == Ledger::Outcome::Unreadable ? m_stats.unreadable : m_stats.prompted);
        }
        detail = QStringLiteral("reply %1 chars in %2 part(s)").arg(d.text.size()).arg(parts);
        if (!d.refs.isEmpty()) {
            QStringList ids;
            for (const KnowledgeRef &r : d.refs)
                ids << r.id;
            detail += QStringLiteral(", knowledge ") + ids.join(QLatin1Char(','));
        }
    } else {
        outcome = Ledger::outcomeName(Ledger::Outcome::Draft);
        ++m_stats.drafts;
        if (d.outcome == Ledger::Outcome::Unreadable)
            ++m_stats.unreadable;
        else if (d.outcome == Ledger::Outcome::Prompted)
            ++m_stats.prompted;
        detail = QStringLiteral("draft #%1 (%2, %3 chars) waits for an operator's review")
                     .arg(draftId)
                     .arg(d.outcome == Ledger::Outcome::Answered ? Answers::answerSourceName(d.source)
                                                                 : Ledger::outcomeName(d.outcome))
                     .arg(d.text.size());
        emit attentionNeeded(job.sessionId, QStringLiteral("a draft reply waits for review"));
    }
    if (!d.llmError.isEmpty())
        detail += QStringLiteral(", LLM not used: ") + d.llmError;
    if (d.escalate) {
        ++m_stats.escalations;
        detail += QStringLiteral(", escalated: ") + d.escalateReason;
        qCInfo(lcSession).noquote() << QStringLiteral("session #%1").arg(job.sessionId)
                                    << "needs an operator:" << d.escalateReason;
        emit escalated(job.sessionId, d.escalateReason);
    }
    finish(job, outcome, detail);
}

void Pipeline::decideManual(const Job &job)
{
    const QSqlDatabase db = Sql::connection(m_conn);
    Transaction tx(db);
    const bool ok = m_ledger->setOutcome(job.ledgerKey, Ledger::Outcome::Manual) &&
                    m_sessions->setNeedsOperator(job.sessionId, true);
    if (!ok || !tx.commit()) {
        tx.rollback();
        ++m_stats.errors;
        qCCritical(lcSession).noquote()
            << "cannot store the decision for" << job.ledgerKey
            << "(database error); it stays undecided and is retried at the next start";
        finish(job, QStringLiteral("error"), QStringLiteral("decision not stored"));
        return;
    }
    ++m_stats.manual;
    if (!job.msg.readable)
        ++m_stats.unreadable;
    emit attentionNeeded(job.sessionId, QStringLiteral("new customer message in a manually handled session"));
    finish(job, Ledger::outcomeName(Ledger::Outcome::Manual),
           QStringLiteral("no bot reply, operator notified"));
}

void Pipeline::finish(const Job &job, const QString &outcome, const QString &detail)
{
    qCInfo(lcSession).noquote() << QStringLiteral("outcome %1 (session #%2): %3, %4%5")
                                       .arg(job.ledgerKey)
                                       .arg(job.sessionId)
                                       .arg(outcome, detail,
                                            job.recovered ? QStringLiteral(" [recovered after restart]")
                                                          : QString());
    m_running.remove(job.sessionKey);
    m_knownTurns.remove(job.turnId);
    emit handled(job.msg.messageId.isEmpty() ? job.ledgerKey : job.msg.messageId, outcome);
    emit statsChanged();
    const QString key = job.sessionKey;
    QMetaObject::invokeMethod(
        this,
        [this, key] {
            runNext(key);
            if (isIdle())
                emit idle();
        },
        Qt::QueuedConnection);
}

qint64 Pipeline::sendOperatorReply(qint64 sessionId, const QString &text, const QString &operatorName)
{
    m_error.clear();
    const QString body = text.trimmed();
    if (body.isEmpty()) {
        m_error = QStringLiteral("the reply is empty");
        return 0;
    }
    const auto customer = m_sessions->lastCustomerTurn(sessionId);
    if (!customer || customer->feishuMessageId.isEmpty()) {
        m_error = QStringLiteral("session #%1 has no customer message to reply to").arg(sessionId);
        return 0;
    }
    const QString actor =
        operatorName.trimmed().isEmpty() ? QStringLiteral("operator") : operatorName.trimmed();
    const QSqlDatabase db = Sql::connection(m_conn);
    Transaction tx(db);
    Turn turn;
    turn.sessionId = sessionId;
    turn.role = TurnRole::Operator;
    turn.content = body;
    turn.meta = QJsonObject{{QStringLiteral("operator"), actor},
                            {QStringLiteral("in_reply_to"), customer->feishuMessageId}};
    const qint64 turnId = m_sessions->addTurn(turn);
    bool ok = turnId > 0 && !m_outbox
                                 ->enqueueReply(sessionId, customer->feishuMessageId, body,
                                                QStringLiteral("operator:%1").arg(turnId), turnId)
                                 .isEmpty();
    if (ok && m_audit)
        ok = m_audit->record(
                 actor, QStringLiteral("reply.send"), QStringLiteral("session:%1").arg(sessionId),
                 QStringLiteral("%1 chars to %2").arg(body.size()).arg(customer->feishuMessageId)) > 0;
    if (ok)
        ok = m_sessions->setNeedsOperator(sessionId, false);
    if (!ok || !tx.commit()) {
        tx.rollback();
        m_error = QStringLiteral("database error; the reply was not queued");
        return 0;
    }
    qCInfo(lcSession).noquote() << "operator" << actor
                                << QStringLiteral("replied in session #%1").arg(sessionId)
                                << QStringLiteral("(%1 chars)").arg(body.size());
    return turnId;
}

bool Pipeline::setSessionMode(qint64 sessionId, SessionMode mode, const QString &operatorName)
{
    m_error.clear();
    const QString actor =
        operatorName.trimmed().isEmpty() ? QStringLiteral("operator") : operatorName.trimmed();
    const QSqlDatabase db = Sql::connection(m_conn);
    Transaction tx(db);
    bool ok = m_sessions->setMode(sessionId, mode);
    if (ok && m_audit)
        ok = m_audit->record(actor, QStringLiteral("session.mode"),
                             QStringLiteral("session:%1").arg(sessionId), sessionModeName(mode)) > 0;
    if (!ok || !tx.commit()) {
        tx.rollback();
        m_error = QStringLiteral("cannot change the mode of session #%1").arg(sessionId);
        return false;
    }
    return true;
}
