#include "assistant/assistant.h"

#include <algorithm>

#include <QRegularExpression>
#include <QTimer>

#include "assistant/entityextractor.h"
#include "assistant/tspvocabulary.h"
#include "logging_p.h"

namespace {

// The text without the customer's identifiers (VIN, plate, phone, IMEI, ICCID): they say who is
// asking, not what the problem is, and only dilute the search. Codes, versions and models stay.
QString withoutIdentifiers(const QString &text)
{
    QList<Entity> ids;
    for (const Entity &e : EntityExtractor::extract(text)) {
        if (e.start >= 0 && e.length > 0 &&
            (e.type == Entity::Type::Vin || e.type == Entity::Type::Plate || e.type == Entity::Type::Phone ||
             e.type == Entity::Type::Imei || e.type == Entity::Type::Iccid))
            ids << e;
    }
    if (ids.isEmpty())
        return text;
    std::sort(ids.begin(), ids.end(), [](const Entity &a, const Entity &b) { return a.start > b.start; });
    QString out = text;
    qsizetype lastStart = out.size();
    for (const Entity &e : std::as_const(ids)) {
        if (e.start + e.length > lastStart || e.start + e.length > out.size())
            continue; // overlaps one already removed
        out.replace(e.start, e.length, QLatin1Char(' '));
        lastStart = e.start;
    }
    return out;
}

const QRegularExpression &stepNumber()
{
    static const QRegularExpression re(
        QStringLiteral("^\\s*(?:[0-9]{1,2}\\s*[.、．)）:：]|[（(][0-9]{1,2}[)）]|[-*•·])\\s*"));
    return re;
}

QStringList solutionSteps(const QString &solution)
{
    QStringList steps;
    for (const QString &raw : solution.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        QString s = raw;
        s.remove(stepNumber());
        s = s.trimmed();
        if (!s.isEmpty())
            steps << s;
    }
    return steps;
}

QString firstSentence(const QString &text, int maxChars)
{
    QString s = text.simplified();
    const qsizetype end = s.indexOf(QStringLiteral("。"));
    if (end >= 0)
        s = s.left(end + 1);
    if (s.size() > maxChars)
        s = s.left(maxChars) + QStringLiteral("…");
    return s;
}

const QRegularExpression &codePattern()
{
    static const QRegularExpression re(
        QStringLiteral("(?<![A-Za-z0-9])(?:[EAKUC]-?[0-9]{4}|[PBCU][0-3][0-9A-F]{3})(?![A-Za-z0-9])"),
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

// Did an earlier bot turn already give this ticket's answer?
bool alreadyGiven(const KnowledgeEntry &entry, const QList<ConversationTurn> &history)
{
    const QStringList steps = solutionSteps(entry.solution);
    for (const ConversationTurn &t : history) {
        if (t.role == ConversationTurn::Role::Customer)
            continue;
        if (!entry.title.isEmpty() && t.text.contains(entry.title))
            return true;
        if (!steps.isEmpty() && steps.first().size() >= 6 && t.text.contains(steps.first()))
            return true;
    }
    return false;
}

QString refsForLog(const QList<KnowledgeRef> &refs)
{
    QStringList parts;
    for (const KnowledgeRef &r : refs)
        parts << QStringLiteral("%1(%2)").arg(r.id).arg(r.score, 0, 'f', 2);
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(QLatin1Char(' '));
}

} // namespace

struct Assistant::Pending
{
    AnswerRequest request;
    AnswerProvider::Done done;
    Retrieval retrieval;
    QList<KnowledgeHit> tickets;
    QString promptText;
    LlmClient::RequestId llmId = 0;
    QTimer *deadline = nullptr;
    QElapsedTimer elapsed;
};

Assistant::Assistant(KnowledgeRetriever *retriever, LlmClient *llm, QObject *parent)
    : QObject(parent)
    , m_llm(llm)
    , m_retriever(retriever)
{}

Assistant::~Assistant()
{
    for (Pending *p : std::as_const(m_pending)) {
        if (m_llm)
            m_llm->cancel(p->llmId);
        delete p->deadline;
        delete p;
    }
    m_pending.clear();
}

Assistant::Retrieval Assistant::retrieve(const AnswerRequest &request) const
{
    using namespace TspVocabulary;
    Retrieval out;
    const QString q = withoutIdentifiers(request.question).trimmed();
    out.query = q;
    if (!m_retriever) {
        out.reason = QStringLiteral("no knowledge base");
        return out;
    }
    const int topK = qMax(1, m_options.topK);
    const KnowledgeSearchResult alone = m_retriever->search(q, topK);

    QStringList reasons;
    bool contextPreferred = false; // the question alone is not a trustworthy query
    if (isFollowUp(q)) {
        reasons << QStringLiteral("follow-up phrase");
        contextPreferred = true;
    }
    const bool domain = hasDomainTerm(q);
    if (!domain) {
        reasons << QStringLiteral("no domain terms");
        contextPreferred = true;
    }
    if (meaningfulLength(q) <= m_options.shortQuestionChars) {
        reasons << QStringLiteral("short question");
        contextPreferred = true;
    }
    if (!alone.answerable)
        reasons << QStringLiteral("not answerable alone");

    // Earlier customer turns, newest last (the caller may or may not include the current turn).
    QList<ConversationTurn> turns = request.history;
    if (!turns.isEmpty() && turns.last().role == ConversationTurn::Role::Customer &&
        turns.last().text.trimmed() == request.question.trimmed())
        turns.removeLast();
    // Turns that carry content: a chain of "还是不行" must not push the actual problem out.
    QStringList earlier;
    for (qsizetype i = turns.size() - 1; i >= 0 && earlier.size() < m_options.contextTurns; --i) {
        const QString text = withoutIdentifiers(turns.at(i).text).trimmed();
        if (turns.at(i).role == ConversationTurn::Role::Customer && hasDomainTerm(text))
            earlier.prepend(text);
    }

    if (reasons.isEmpty()) {
        out.reason = QStringLiteral("the question alone is answerable");
        out.result = alone;
        return out;
    }
    if (earlier.isEmpty()) {
        out.reason = reasons.join(QStringLiteral(", ")) + QStringLiteral("; no earlier customer turns");
        out.result = alone;
        return out;
    }
    const QString contextQuery = earlier.join(QLatin1Char('\n')) + QLatin1Char('\n') + q;
    const KnowledgeSearchResult withContext = m_retriever->search(contextQuery, topK);
    bool useContext;
    if (withContext.answerable)
        useContext = contextPreferred || !alone.answerable;
    else // the context did not help: keep the question alone when it is a real domain question
        useContext = !(alone.answerable && domain && !isFollowUp(q));
    out.reason =
        reasons.join(QStringLiteral(", ")) +
        (useContext ? QStringLiteral("; searched with %1 earlier customer turn(s)").arg(earlier.size())
                    : QStringLiteral("; the context search did not help, kept the question alone"));
    out.usedHistory = useContext;
    out.query = useContext ? contextQuery : q;
    out.result = useContext ? withContext : alone;
    return out;
}

QList<KnowledgeHit> Assistant::ticketsFor(const KnowledgeSearchResult &result) const
{
    QList<KnowledgeHit> out;
    if (result.hits.isEmpty())
        return out;
    const double best = result.hits.first().score;
    for (const KnowledgeHit &h : result.hits) {
        if (out.size() >= m_options.maxTicketsForLlm)
            break;
        if (out.isEmpty() || h.score >= best * m_options.relatedScoreRatio)
            out << h;
    }
    return out;
}

QString Assistant::knowledgeAnswerText(const KnowledgeEntry &entry, bool afterFailedAttempt)
{
    QString text = afterFailedAttempt
                       ? QStringLiteral("抱歉，刚才的方法没能解决问题。您的情况也可能与“%1”有关。")
                             .arg(entry.title.simplified())
                       : QStringLiteral("您好，您的情况可能与“%1”有关。").arg(entry.title.simplified());
    if (!entry.cause.trimmed().isEmpty())
        text += QStringLiteral("可能原因：") + firstSentence(entry.cause, 90);
    const QStringList steps = solutionSteps(entry.solution);
    if (!steps.isEmpty()) {
        text += QStringLiteral("\n可以按以下步骤处理：\n");
        for (qsizetype i = 0; i < steps.size(); ++i)
            text += QString::number(i + 1) + QStringLiteral(". ") + steps.at(i) + QLatin1Char('\n');
    } else {
        text += QLatin1Char('\n');
    }
    text += QStringLiteral(
        "如果按以上步骤仍未解决，请回复车型和 17 位 VIN（车架号），我们会安排工程师进一步跟进。");
    return text;
}

QString Assistant::handoffText(bool afterFailedAttempt)
{
    if (afterFailedAttempt)
        return QStringLiteral("抱歉，之前的方法没能解决您的问题，已为您转交人工客服，工作人员会尽快跟进。"
                              "方便的话请补充车型、VIN（车架号）以及目前看到的提示信息。");
    return QStringLiteral(
        "您好，这个问题在知识库中暂时没有找到可靠的解决方案，已为您转交人工客服，工作人员会尽快跟进。"
        "方便的话请补充车型、VIN（车架号）以及问题出现的时间和提示信息，以便更快为您处理。");
}

QString Assistant::safetyText()
{
    return QStringLiteral("如果发生事故或车辆冒烟、起火，请先确保人员安全并远离车辆，必要时拨打 110/119/120，"
                          "或按车内 SOS 键联系救援中心。");
}

void Assistant::answer(const AnswerRequest &request, Done done)
{
    QElapsedTimer elapsed;
    elapsed.start();
    const QString q = request.question.trimmed();
    const Retrieval retrieval = retrieve(request);
    qCDebug(lcAssistant).noquote() << "retrieval for" << request.sessionKey << ":" << retrieval.reason
                                   << "- hits" << retrieval.result.hits.size()
                                   << (retrieval.result.answerable ? "answerable" : "not answerable");

    Answer base;
    base.retrievalQuery = retrieval.query;
    base.retrievalUsedHistory = retrieval.usedHistory;

    if (!retrieval.result.answerable) {
        Answer a = base;
        const auto talk = TspVocabulary::smallTalk(q);
        if (TspVocabulary::meaningfulLength(q) == 0) {
            a.source = QStringLiteral("smalltalk");
            a.text = QStringLiteral(
                "您好，目前只能处理文字消息，请用文字描述您遇到的问题（例如车型、现象和提示信息）。");
        } else if (talk == TspVocabulary::SmallTalk::Greeting) {
            a.source = QStringLiteral("smalltalk");
            a.text = QStringLiteral("您好！我是驰联车联网服务助手。请描述您遇到的问题（例如车型、现象和提示信"
                                    "息），我会尽快为您解答。");
        } else if (talk == TspVocabulary::SmallTalk::Thanks) {
            a.source = QStringLiteral("smalltalk");
            a.text = QStringLiteral("不客气！如果还有其他问题，随时告诉我。");
        } else if (talk == TspVocabulary::SmallTalk::Acknowledgement) {
            a.source = QStringLiteral("smalltalk");
            a.text = QStringLiteral("好的，如果还有其他问题，随时告诉我。");
        } else {
            a.source = QStringLiteral("handoff");
            a.escalate = true;
            a.text = handoffText();
        }
        deliver(request, a, std::move(done), elapsed.elapsed());
        return;
    }

    QString why;
    if (!m_llm || !m_llm->isConfigured(&why)) {
        deliver(request, fallbackAnswer(request, retrieval), std::move(done), elapsed.elapsed());
        return;
    }

    const quint64 pid = m_nextPendingId++;
    auto *p = new Pending;
    p->request = request;
    p->done = std::move(done);
    p->retrieval = retrieval;
    p->tickets = ticketsFor(retrieval.result);
    p->elapsed = elapsed;
    const QList<LlmMessage> messages =
        PromptBuilder(m_options.promptLimits).build(q, request.history, p->tickets);
    for (const LlmMessage &m : messages)
        p->promptText += m.content + QLatin1Char('\n');
    p->deadline = new QTimer(this);
    p->deadline->setSingleShot(true);
    connect(p->deadline, &QTimer::timeout, this, [this, pid] { onDeadline(pid); });
    m_pending.insert(pid, p);
    p->deadline->start(qMax(1, m_options.answerDeadlineMs));
    const QString sessionKey = request.sessionKey;
    const auto partial = request.partial;
    p->llmId = m_llm->complete(
        messages, {}, [this, pid](const LlmResult &r) { onLlmDone(pid, r); },
        [this, sessionKey, partial](const QString &, const QString &soFar) {
            emit partialAnswer(sessionKey, soFar);
            if (partial)
                partial(soFar);
        });
}

QString Assistant::unsafeReason(const QString &llmText, const QString &promptText) const
{
    // Codes the model mentions must come from the question, the history or the tickets.
    for (auto it = codePattern().globalMatch(llmText); it.hasNext();) {
        const QString code = it.next().captured(0);
        const QString normal = TspVocabulary::normalizeCode(code);
        if (!promptText.contains(code, Qt::CaseInsensitive) &&
            !promptText.contains(normal, Qt::CaseInsensitive))
            return QStringLiteral("the LLM answer mentions the code %1, which is in no cited ticket nor the "
                                  "conversation")
                .arg(normal);
    }
    QStringList given;
    for (const auto &id : PromptBuilder::mentionedTicketIds(promptText))
        given << id;
    for (const QString &id : PromptBuilder::mentionedTicketIds(llmText)) {
        if (!given.contains(id))
            return QStringLiteral("the LLM answer cites %1, which was not given to it").arg(id);
    }
    return {};
}

void Assistant::onLlmDone(quint64 pendingId, const LlmResult &result)
{
    Pending *p = m_pending.take(pendingId);
    if (!p)
        return;
    p->deadline->stop();
    p->deadline->deleteLater();
    Answer a;
    QString problem = result.ok() ? unsafeReason(result.text, p->promptText) : result.errorString;
    if (result.ok() && problem.isEmpty()) {
        a.source = QStringLiteral("llm");
        a.text = result.text.trimmed();
        QStringList ids;
        for (const KnowledgeHit &h : std::as_const(p->tickets))
            ids << h.entry.id;
        const QStringList cited = PromptBuilder::citedIds(a.text, ids);
        for (const KnowledgeHit &h : std::as_const(p->tickets)) {
            if (cited.isEmpty() || cited.contains(h.entry.id))
                a.refs.append({h.entry.id, h.score});
        }
        // The model was told to say so when the tickets do not fit.
        a.escalate = a.text.contains(QStringLiteral("转人工"));
    } else {
        qCWarning(lcAssistant).noquote() << "LLM answer for" << p->request.sessionKey
                                         << "not used:" << problem << "- answering from the knowledge base";
        a = fallbackAnswer(p->request, p->retrieval);
        a.llmError = problem;
    }
    a.retrievalQuery = p->retrieval.query;
    a.retrievalUsedHistory = p->retrieval.usedHistory;
    deliver(p->request, a, std::move(p->done), p->elapsed.elapsed());
    delete p;
}

void Assistant::onDeadline(quint64 pendingId)
{
    Pending *p = m_pending.take(pendingId);
    if (!p)
        return;
    if (m_llm)
        m_llm->cancel(p->llmId);
    p->deadline->deleteLater();
    const QString problem =
        QStringLiteral("the LLM did not answer within %1 ms").arg(m_options.answerDeadlineMs);
    qCWarning(lcAssistant).noquote() << "answer for" << p->request.sessionKey << ":" << problem
                                     << "- answering from the knowledge base";
    Answer a = fallbackAnswer(p->request, p->retrieval);
    a.llmError = problem;
    deliver(p->request, a, std::move(p->done), p->elapsed.elapsed());
    delete p;
}

Answer Assistant::fallbackAnswer(const AnswerRequest &request, const Retrieval &retrieval) const
{
    Answer a;
    a.retrievalQuery = retrieval.query;
    a.retrievalUsedHistory = retrieval.usedHistory;
    const QList<KnowledgeHit> &hits = retrieval.result.hits;
    if (!retrieval.result.answerable || hits.isEmpty()) {
        a.source = QStringLiteral("handoff");
        a.escalate = true;
        a.text = handoffText();
        return a;
    }
    const KnowledgeHit &best = hits.first();
    // "还是不行" after we gave this very answer: offer the next fitting ticket, or a person.
    if (TspVocabulary::isFollowUp(request.question) && alreadyGiven(best.entry, request.history)) {
        for (qsizetype i = 1; i < hits.size(); ++i) {
            const KnowledgeHit &h = hits.at(i);
            if (h.score < best.score * m_options.relatedScoreRatio)
                break;
            if (alreadyGiven(h.entry, request.history))
                continue;
            a.source = QStringLiteral("knowledge");
            a.text = knowledgeAnswerText(h.entry, true);
            a.refs.append({h.entry.id, h.score});
            return a;
        }
        a.source = QStringLiteral("handoff");
        a.escalate = true;
        a.text = handoffText(true);
        a.refs.append({best.entry.id, best.score});
        return a;
    }
    a.source = QStringLiteral("knowledge");
    a.text = knowledgeAnswerText(best.entry);
    a.refs.append({best.entry.id, best.score});
    return a;
}

void Assistant::deliver(const AnswerRequest &request, Answer answer, Done done, qint64 elapsedMs)
{
    if (TspVocabulary::isEmergency(request.question)) {
        if (!answer.text.contains(QStringLiteral("安全")))
            answer.text = safetyText() + QLatin1Char('\n') + answer.text;
        answer.escalate = true;
    }
    if (answer.text.trimmed().isEmpty()) { // never silent
        answer.text = handoffText();
        answer.escalate = true;
        if (answer.source.isEmpty())
            answer.source = QStringLiteral("handoff");
    }
    qCInfo(lcAssistant).noquote() << "answer for" << request.sessionKey << "in" << elapsedMs << "ms: source"
                                  << answer.source << "refs" << refsForLog(answer.refs)
                                  << (answer.escalate ? "escalate" : "")
                                  << (answer.retrievalUsedHistory ? "(retrieved with earlier turns)" : "")
                                  << (answer.llmError.isEmpty()
                                          ? QString()
                                          : QString(QStringLiteral("llm error: ") + answer.llmError));
    const QString key = request.sessionKey;
    QMetaObject::invokeMethod(
        this,
        [this, key, answer, done = std::move(done)] {
            if (done)
                done(answer);
            emit answered(key, answer);
        },
        Qt::QueuedConnection);
}
