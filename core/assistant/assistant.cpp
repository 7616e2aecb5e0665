#include "assistant/assistant.h"

#include <algorithm>

#include <QRegularExpression>
#include <QTimer>

#include "assistant/entityextractor.h"
#include "assistant/tspvocabulary.h"
#include "knowledge/domainlexicon.h"
#include "knowledge/retrieverthread.h"
#include "knowledge/segmenter.h"
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

bool containsAnyOf(const QString &text, std::initializer_list<const char16_t *> words)
{
    for (const char16_t *w : words) {
        if (text.contains(QString::fromUtf16(w), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

// "还是不行", "试过了", "还有其他方法吗": the last reply did not help.
bool saysItFailed(const QString &text)
{
    // "出来了还是离线", "等了半小时还是锁着", "设置了还是80": still the same. Not a choice ("是T-Box
    // 还是车机") nor a wish ("我还是想问一下").
    static const QRegularExpression still(QStringLiteral("还是(?!想|要|先|去|得|用|找|换|让|请)"));
    static const QRegularExpression choice(QStringLiteral("是.*还是"));
    if (still.match(text).hasMatch() && !choice.match(text).hasMatch())
        return true;
    return containsAnyOf(text, {u"还是不行", u"还不行",   u"也不行",   u"不行啊",   u"没用",
                                u"没有用",   u"不管用",   u"试过了",   u"都试过",   u"试了",
                                u"其他方法", u"别的方法", u"其他办法", u"别的办法", u"还有其他",
                                u"还有别的", u"还有吗",   u"还是一样", u"依然",     u"仍然",
                                u"照样",     u"还是没",   u"没解决",   u"没好",     u"重启过"});
}

// "那我明天去4S店吧", "我回头试试": the customer says what they will do next.
bool statesNextStep(const QString &text)
{
    return containsAnyOf(text, {u"4s店", u"去店", u"到店", u"去修", u"维修站", u"服务站", u"我去", u"我再试",
                                u"试试", u"回头试", u"明天", u"晚点", u"等会", u"待会", u"那我", u"那就"});
}

// "人工", "转人工", "我要找人工客服": the customer asks for a person.
bool asksForPerson(const QString &text)
{
    QString bare;
    for (const QChar c : text) {
        if (c.isLetterOrNumber())
            bare += c;
    }
    static const QStringList alone{QStringLiteral("人工"), QStringLiteral("真人"), QStringLiteral("客服")};
    return alone.contains(bare) ||
           containsAnyOf(bare, {u"转人工", u"找人工", u"要人工", u"接人工", u"人工客服", u"人工服务",
                                u"真人客服", u"转客服", u"找客服", u"联系客服", u"客服电话", u"人工电话"});
}

// "你们这车质量太差了", "我要投诉": the customer complains. When nothing in the knowledge base fits,
// the hand-off apologises instead of saying that no solution was found.
bool complains(const QString &text)
{
    return containsAnyOf(text.toLower(),
                         {u"投诉",   u"质量太差", u"质量差",   u"太差了", u"太烂", u"垃圾",  u"破车",
                          u"坑人",   u"坑爹",     u"退车",     u"差评",   u"曝光", u"12315", u"受够了",
                          u"太失望", u"失望透顶", u"什么玩意", u"骗子",   u"欺骗", u"气死"});
}

// Whether the turn asks something ("是不是要一直开着APP", "多久能好", "多少钱一个月"): a reply in
// context that only acknowledges does not answer it.
bool asksSomething(const QString &text)
{
    const QString t = text.trimmed();
    if (t.contains(QLatin1Char('?')) || t.contains(QStringLiteral("？")))
        return true;
    if (t.endsWith(QStringLiteral("吗")) || t.endsWith(QStringLiteral("呢")) ||
        t.endsWith(QStringLiteral("么")))
        return true;
    return containsAnyOf(t, {u"怎么",   u"怎样",     u"如何",     u"多久",   u"多少",   u"多长",
                             u"是不是", u"能不能",   u"可不可以", u"要不要", u"会不会", u"为什么",
                             u"为啥",   u"什么时候", u"哪里",     u"哪儿",   u"几天",   u"多远",
                             u"几公里", u"哪个",     u"哪种",     u"哪一个"});
}

// "怎么弄", "怎么设置充满": how to do what the last answer said (not "那怎么办", what now).
bool asksHow(const QString &text)
{
    return containsAnyOf(text, {u"怎么", u"如何", u"怎样", u"咋"}) &&
           !containsAnyOf(text, {u"怎么办", u"咋办"});
}

// What a follow-up question asks for, as the words that ask it and the words of a sentence that
// answers it: a cost ("会扣钱吗" and "误触不收取任何费用"), a time ("大概要多久" and "约 30~50
// 分钟"), a distance ("拖到多远以内免费" and "100km 内免费"), a place in the app ("在哪里充" and
// "APP【服务】-【流量商城】").
struct AskedFor
{
    std::initializer_list<const char16_t *> asks;
    std::initializer_list<const char16_t *> answers;
};

const AskedFor kAskedFor[] = {
    // Not 费 alone: "费电吗", "很费流量吗" ask how much is used, not what it costs.
    {{u"钱", u"收费", u"免费", u"扣费", u"付费", u"费用", u"收不收"}, {u"费", u"元", u"免费", u"收取"}},
    {{u"多久", u"多长时间", u"几分钟", u"几个小时", u"几小时", u"多少时间", u"几天", u"什么时候"},
     {u"分钟", u"小时", u"天", u"秒", u"工作日"}},
    {{u"多远", u"几公里", u"多少公里"}, {u"km", u"公里"}},
    {{u"在哪", u"哪里", u"哪儿", u"入口", u"去哪"}, {u"【"}},
};

// The sentence of `entry` (its cause, then each step of its solution) that answers what the
// follow-up `question` asks for, or an empty string. Among several, the one that also shares the
// most two-character words with the question.
QString sentenceThatAnswers(const QString &question, const KnowledgeEntry &entry)
{
    const QString q = question.toLower();
    QList<const AskedFor *> kinds;
    for (const AskedFor &k : kAskedFor) {
        if (containsAnyOf(q, k.asks))
            kinds << &k;
    }
    if (kinds.isEmpty())
        return {};
    static const QRegularExpression sentenceEnd(QStringLiteral("[。；;]"));
    QStringList sentences;
    for (const QString &part : entry.cause.split(sentenceEnd, Qt::SkipEmptyParts)) {
        if (!part.trimmed().isEmpty())
            sentences << part.trimmed() + QStringLiteral("。");
    }
    sentences += solutionSteps(entry.solution);
    QString best;
    int bestScore = 0;
    for (const QString &sentence : std::as_const(sentences)) {
        const QString lower = sentence.toLower();
        int score = 0;
        for (const AskedFor *k : std::as_const(kinds)) {
            if (containsAnyOf(lower, k->answers))
                score += 100;
        }
        if (score == 0)
            continue;
        for (qsizetype i = 0; i + 1 < q.size(); ++i) {
            if (Segmenter::isCjk(q.at(i)) && Segmenter::isCjk(q.at(i + 1)) && lower.contains(q.mid(i, 2)))
                ++score;
        }
        if (score > bestScore) {
            bestScore = score;
            best = sentence;
        }
    }
    return best;
}

// Whether `text` says something `entry` says that the customer's earlier turns did not: two CJK
// characters in a row, neither without topical content ("前两天刚换过电瓶" and the entry about a
// replaced battery share 电瓶).
bool addsWhatTheEntrySays(const QString &text, const QList<ConversationTurn> &history,
                          const KnowledgeEntry &entry)
{
    QString said;
    for (const ConversationTurn &t : history) {
        if (t.role == ConversationTurn::Role::Customer)
            said += t.text + QLatin1Char('\n');
    }
    const QString about = QStringList{entry.title, entry.symptoms.join(QLatin1Char('\n')), entry.cause,
                                      entry.solution, entry.tags.join(QLatin1Char('\n'))}
                              .join(QLatin1Char('\n'));
    const auto content = [](QChar c) {
        return Segmenter::isCjk(c) && !DomainLexicon::stopChars().contains(c);
    };
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (!content(text.at(i)) || !content(text.at(i + 1)))
            continue;
        const QString bigram = text.mid(i, 2);
        if (!said.contains(bigram) && about.contains(bigram))
            return true;
    }
    return false;
}

// Whether the last reply in the session was a clarifying question (which this turn answers).
bool lastReplyAskedBack(const QList<ConversationTurn> &history)
{
    for (auto it = history.crbegin(); it != history.crend(); ++it) {
        if (it->role != ConversationTurn::Role::Customer)
            return it->askedBack;
    }
    return false;
}

// The entry ids the bot's earlier replies in the session cited, oldest first.
QStringList citedBefore(const QList<ConversationTurn> &history)
{
    QStringList ids;
    for (const ConversationTurn &t : history) {
        if (t.role == ConversationTurn::Role::Customer)
            continue;
        for (const KnowledgeRef &r : t.refs) {
            if (!ids.contains(r.id))
                ids << r.id;
        }
    }
    return ids;
}

// Whether an earlier reply gave the entry's steps: cited it other than as a cause named in a
// clarifying question, or quoted its first step.
bool stepsGiven(const KnowledgeEntry &entry, const QList<ConversationTurn> &history)
{
    const QStringList steps = solutionSteps(entry.solution);
    for (const ConversationTurn &t : history) {
        if (t.role == ConversationTurn::Role::Customer || t.askedBack)
            continue;
        const bool cited = std::any_of(t.refs.cbegin(), t.refs.cend(),
                                       [&entry](const KnowledgeRef &r) { return r.id == entry.id; });
        if (cited || (!steps.isEmpty() && steps.first().size() >= 6 && t.text.contains(steps.first())))
            return true;
    }
    return false;
}

// Whether an earlier reply gave the entry: cited it or quoted its title or first step. A clarifying
// question, which only named the entry as a possible cause, does not count.
bool givenBefore(const KnowledgeEntry &entry, const QList<ConversationTurn> &history)
{
    QList<ConversationTurn> replies;
    for (const ConversationTurn &t : history) {
        if (t.role != ConversationTurn::Role::Customer && !t.askedBack)
            replies << t;
    }
    return citedBefore(replies).contains(entry.id) || alreadyGiven(entry, replies);
}

// Whether a bot or operator reply in the session already said `text`, word for word.
bool saidBefore(const QString &text, const QList<ConversationTurn> &history)
{
    return std::any_of(history.cbegin(), history.cend(), [&text](const ConversationTurn &t) {
        return t.role != ConversationTurn::Role::Customer && t.text.trimmed() == text.trimmed();
    });
}

// The entries the last reply named as causes, when it was a clarifying question.
QStringList namedInTheQuestion(const QList<ConversationTurn> &history)
{
    QStringList ids;
    if (!lastReplyAskedBack(history))
        return ids;
    for (auto it = history.crbegin(); it != history.crend(); ++it) {
        if (it->role == ConversationTurn::Role::Customer)
            continue;
        for (const KnowledgeRef &r : it->refs)
            ids << r.id;
        break;
    }
    return ids;
}

// Whether the question names the entry's category or a part of it: "车机没网了" names
// 车机联网/4G信号 (车机), not 语音助手.
bool namesTheCategory(const QString &question, const KnowledgeEntry &entry)
{
    static const QRegularExpression separators(QStringLiteral("[/()（）与、]"));
    static const QRegularExpression latinWord(QStringLiteral("[A-Za-z0-9][A-Za-z0-9-]+"));
    for (const QString &part : entry.category.split(separators, Qt::SkipEmptyParts)) {
        for (qsizetype i = 0; i + 1 < part.size(); ++i) {
            if (Segmenter::isCjk(part.at(i)) && Segmenter::isCjk(part.at(i + 1)) &&
                question.contains(QStringView(part).mid(i, 2)))
                return true;
        }
        for (auto m = latinWord.globalMatch(part); m.hasNext();) {
            if (question.contains(m.next().captured(), Qt::CaseInsensitive))
                return true;
        }
    }
    return false;
}

void setDecision(Answer *a, const KnowledgeSearchResult &result, const QString &reason)
{
    a->decisionReason = reason;
    if (!result.hits.isEmpty()) {
        a->decisionCoverage = result.hits.first().coverage;
        a->decisionLead = result.lead >= 0         ? result.lead
                          : result.hits.size() > 1 ? result.hits.at(0).score - result.hits.at(1).score
                                                   : result.hits.first().score;
    }
}

} // namespace

struct Assistant::Pending
{
    AnswerRequest request;
    AnswerProvider::Done done;
    Retrieval retrieval;
    Plan plan;
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
{
    m_preparedTimer.setSingleShot(true);
    m_preparedTimer.setInterval(0);
    connect(&m_preparedTimer, &QTimer::timeout, this, &Assistant::answerSomePrepared);
}

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

QStringList Assistant::earlierCustomerTurns(const AnswerRequest &request) const
{
    return earlierCustomerTurns(request, m_options.contextTurns);
}

QStringList Assistant::earlierCustomerTurns(const AnswerRequest &request, int contextTurns)
{
    using namespace TspVocabulary;
    // Earlier customer turns, newest last (the caller may or may not include the current turn).
    QList<ConversationTurn> turns = request.history;
    if (!turns.isEmpty() && turns.last().role == ConversationTurn::Role::Customer &&
        turns.last().text.trimmed() == request.question.trimmed())
        turns.removeLast();
    // Turns that carry content: a chain of "还是不行" must not push the actual problem out.
    QStringList earlier;
    for (qsizetype i = turns.size() - 1; i >= 0 && earlier.size() < contextTurns; --i) {
        const QString text = withoutIdentifiers(turns.at(i).text).trimmed();
        if (turns.at(i).role == ConversationTurn::Role::Customer && hasDomainTerm(text))
            earlier.prepend(text);
    }
    return earlier;
}

QString Assistant::contextQueryOf(const QStringList &earlier, const QString &question)
{
    // A follow-up that says only that the last reply did not help, or asks for more ("还有其他解决
    // 方法吗?", "试过了，还是不行"), adds no word of the problem: searched with the problem said
    // before, its words would only dilute the problem's, and whether the knowledge base answers the
    // problem would hang on how many of them there are (the seed's "车辆无法连接网络怎么办?" then
    // "还有其他解决方法吗?" was refused with them by a weight of 0.01).
    if (TspVocabulary::isFollowUp(question) && !TspVocabulary::hasDomainTerm(question))
        return earlier.join(QLatin1Char('\n'));
    return earlier.join(QLatin1Char('\n')) + QLatin1Char('\n') + question;
}

QStringList Assistant::retrievalQueries(const AnswerRequest &request) const
{
    const QString q = withoutIdentifiers(request.question).trimmed();
    QStringList queries{q};
    if (const QStringList earlier = earlierCustomerTurns(request); !earlier.isEmpty())
        queries << contextQueryOf(earlier, q);
    return queries;
}

Assistant::Retrieval Assistant::retrieve(const AnswerRequest &request) const
{
    return retrieveWith(m_retriever, m_options, request);
}

Assistant::Retrieval Assistant::retrieveWith(const KnowledgeRetriever *retriever, const Options &options,
                                             const AnswerRequest &request)
{
    using namespace TspVocabulary;
    Retrieval out;
    const QString q = withoutIdentifiers(request.question).trimmed();
    out.query = q;
    if (!retriever) {
        out.reason = QStringLiteral("no knowledge base");
        return out;
    }
    const int topK = qMax(1, options.topK);
    const KnowledgeSearchResult alone = retriever->search(q, topK);
    out.alone = alone;

    QStringList reasons;
    bool contextPreferred = false; // the question alone is not a trustworthy query
    if (isFollowUp(q)) {
        reasons << QStringLiteral("follow-up phrase");
        contextPreferred = true;
    }
    if (onlyNamesTheCar(q)) { // "朔风T3 2021款的": the car of the problem said before
        reasons << QStringLiteral("names only the car");
        contextPreferred = true;
    }
    if (onlyNamesThePlace(q)) { // "在露天停车场": where the car of the problem said before is
        reasons << QStringLiteral("names only where the car is");
        contextPreferred = true;
    }
    if (saysItFailed(q)) { // "出来了还是离线": the problem is the one said before
        reasons << QStringLiteral("says the last reply did not help");
        contextPreferred = true;
    }
    // A model or a place alone is no question.
    const bool domain = hasDomainTerm(q) && !onlyNamesTheCar(q) && !onlyNamesThePlace(q);
    if (!domain) {
        reasons << QStringLiteral("no domain terms");
        contextPreferred = true;
    }
    if (meaningfulLength(q) <= options.shortQuestionChars) {
        reasons << QStringLiteral("short question");
        contextPreferred = true;
    }
    if (!alone.answerable)
        reasons << QStringLiteral("not answerable alone");
    if (lastReplyAskedBack(request.history)) {
        reasons << QStringLiteral("answers the clarifying question");
        contextPreferred = true;
    }

    const QStringList earlier = earlierCustomerTurns(request, options.contextTurns);

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
    const QString contextQuery = contextQueryOf(earlier, q);
    const KnowledgeSearchResult withContext = retriever->search(contextQuery, topK);
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

QString Assistant::knowledgeAnswerText(const KnowledgeEntry &entry, Opening opening)
{
    const QString title = entry.title.simplified();
    QString text;
    switch (opening) {
    case Opening::Fresh:
        text = QStringLiteral("您好，您的情况可能与“%1”有关。").arg(title);
        break;
    case Opening::AfterFailedAttempt:
        text = QStringLiteral("抱歉，刚才的方法没能解决问题。您的情况也可能与“%1”有关。").arg(title);
        break;
    case Opening::AfterClarifyingQuestion:
        text = QStringLiteral("好的，那我们先按最常见的一种可能排查：“%1”。").arg(title);
        break;
    }
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

QString Assistant::clarifyText(const KnowledgeEntry &first, const KnowledgeEntry &second)
{
    QString text = QStringLiteral("您好，这个现象常见有两种可能：\n");
    int n = 0;
    for (const KnowledgeEntry *e : {&first, &second}) {
        text += QString::number(++n) + QStringLiteral(". “") + e->title.simplified() + QStringLiteral("”");
        if (!e->cause.trimmed().isEmpty())
            text += QStringLiteral("：") + firstSentence(e->cause, 60);
        text += QLatin1Char('\n');
    }
    text += QStringLiteral(
        "为了给您准确的步骤，想先确认一下：具体是哪些功能受影响（例如导航、音乐、APP 远程控制），"
        "最近是否更换过蓄电池或升级过车机？");
    return text;
}

QString Assistant::contextText(const QString &question, const KnowledgeEntry *cited,
                               bool afterClarifyingQuestion)
{
    if (containsAnyOf(question, {u"试试", u"试一下", u"试一试"}))
        return QStringLiteral("好的，您可以先按上面的步骤试一下。如果还有问题，随时告诉我们。");
    if (afterClarifyingQuestion)
        return QStringLiteral(
            "好的，收到。仅凭目前的信息还不能确定是哪一种情况。请回复车型和 17 位 VIN（车架号），"
            "我们会请工程师结合您说的情况进一步排查。");
    const bool store = containsAnyOf(question, {u"4s店", u"去店", u"到店", u"去修", u"维修站", u"服务站"});
    QString text = store ? QStringLiteral("好的。到店时可以把之前的情况告诉工作人员")
                         : QStringLiteral("好的。如果之后还有问题，可以把之前的情况告诉我们");
    if (cited)
        text += QStringLiteral("（“%1”，以及已经试过的步骤）").arg(cited->title.simplified());
    text += store ? QStringLiteral("，并带上行驶证、提供车型和 VIN（车架号），方便技师直接排查。"
                                   "如需我们提前登记，请回复车型和 VIN。")
                  : QStringLiteral("，并提供车型和 VIN（车架号），我们会继续跟进。");
    return text;
}

QString Assistant::inContextText(const KnowledgeEntry &entry, const QString &sentence)
{
    return QStringLiteral("关于“%1”：%2\n如果还有其他问题，请随时告诉我们。")
        .arg(entry.title.simplified(), sentence);
}

QString Assistant::stepsText(const KnowledgeEntry &entry)
{
    const QStringList steps = solutionSteps(entry.solution);
    if (steps.isEmpty())
        return {};
    QString text = QStringLiteral("关于“%1”，具体操作如下：\n").arg(entry.title.simplified());
    for (qsizetype i = 0; i < steps.size(); ++i)
        text += QString::number(i + 1) + QStringLiteral(". ") + steps.at(i) + QLatin1Char('\n');
    text += QStringLiteral("操作中遇到问题，可以告诉我们具体卡在哪一步。");
    return text;
}

QString Assistant::personAskedText()
{
    return QStringLiteral(
        "好的，已为您转交人工客服，工作人员会尽快跟进。方便的话请补充车型、VIN（车架号）和遇到的问题。");
}

QString Assistant::acknowledgementText()
{
    return QStringLiteral("好的，收到。有新的情况随时告诉我们。");
}

QString Assistant::complaintText()
{
    return QStringLiteral(
        "非常抱歉给您带来了不好的体验。已为您转交人工客服，工作人员会尽快联系您处理。方便的话请补充车型、"
        "VIN（车架号）和遇到的具体问题。");
}

QString Assistant::needsPersonText()
{
    return QStringLiteral(
        "这个问题需要工作人员进一步确认，已为您转交人工客服，工作人员会尽快回复您。方便的话请补充"
        "车型和 VIN（车架号）。");
}

QString Assistant::safetyText()
{
    return QStringLiteral("如果发生事故或车辆冒烟、起火，请先确保人员安全并远离车辆，必要时拨打 110/119/120，"
                          "或按车内 SOS 键联系救援中心。");
}

Assistant::Turn Assistant::classify(const AnswerRequest &request)
{
    const QString q = request.question.trimmed();
    bool replied = false; // an earlier bot or operator reply in the session
    for (const ConversationTurn &t : request.history) {
        if (t.role != ConversationTurn::Role::Customer && !t.text.trimmed().isEmpty())
            replied = true;
    }
    if (!replied)
        return Turn::Fresh;
    if (saysItFailed(q))
        return Turn::Retry;
    if (TspVocabulary::isFollowUp(q) || statesNextStep(q) || !TspVocabulary::hasDomainTerm(q) ||
        TspVocabulary::onlyNamesTheCar(q) || TspVocabulary::onlyNamesThePlace(q) ||
        lastReplyAskedBack(request.history))
        return Turn::Contextual;
    return Turn::Fresh;
}

Assistant::Plan Assistant::plan(const AnswerRequest &request, Turn turn, const Retrieval &retrieval) const
{
    Plan p;
    KnowledgeSearchResult result = retrieval.result; // the question alone may replace it below
    const QList<KnowledgeHit> &hits = result.hits;
    const QStringList earlier = citedBefore(request.history);
    const QString q = request.question.trimmed();

    // A contextual turn that turned out to carry a problem of its own is a fresh question.
    if (turn == Turn::Contextual && !retrieval.usedHistory && result.answerable &&
        TspVocabulary::hasDomainTerm(q) && !statesNextStep(q))
        turn = Turn::Fresh;
    // A turn without a word of failure whose best entry's steps were given already ("我是朔风T3",
    // "在地下车库" after the answer about a weak signal): a detail of the same problem, answered in
    // context; neither the same steps again nor a hand-off as if they had failed.
    if (turn == Turn::Fresh && result.answerable && !hits.isEmpty() &&
        stepsGiven(hits.first().entry, request.history))
        turn = Turn::Contextual;
    // A contextual turn that says something of the entry it points to with the problem said before
    // tells the causes apart: answered from that entry, without asking back again. The entry must
    // not have been cited yet, unless the turn answers a clarifying question, which only named
    // causes ("前两天刚换过电瓶" after "车机没网了" and "最近是否更换过蓄电池").
    bool detail = false;
    const bool answersQuestion = lastReplyAskedBack(request.history);
    if (turn == Turn::Contextual && retrieval.usedHistory && result.answerable && !hits.isEmpty() &&
        !statesNextStep(q) && !TspVocabulary::isFollowUp(q) &&
        addsWhatTheEntrySays(q, request.history, hits.first().entry) &&
        (answersQuestion || !earlier.contains(hits.first().entry.id))) {
        turn = Turn::Fresh;
        detail = true;
    }
    // An answer to the clarifying question whose own words find one of the causes it named first,
    // in words the entry does not share ("定为一直飘" after the question naming the drifting
    // position and the stale one): that cause.
    bool namedByItsWords = false;
    if (turn == Turn::Contextual && answersQuestion && !detail && retrieval.usedHistory &&
        retrieval.alone.answerable && !retrieval.alone.hits.isEmpty() && !statesNextStep(q) &&
        !TspVocabulary::isFollowUp(q) &&
        namedInTheQuestion(request.history).contains(retrieval.alone.hits.first().entry.id)) {
        result = retrieval.alone;
        turn = Turn::Fresh;
        detail = true;
        namedByItsWords = true;
    }

    if (turn == Turn::Retry) {
        p.afterFailedAttempt = true;
        if (!result.answerable || hits.isEmpty()) {
            p.reason = QStringLiteral("the customer says the last reply did not help and no entry fits (%1)")
                           .arg(result.reason);
            // Causes only named in a clarifying question were not tried.
            p.afterFailedAttempt = (!earlier.isEmpty() || !hits.isEmpty()) && !answersQuestion;
            return p;
        }
        const KnowledgeHit &best = hits.first();
        // After a clarifying question the customer did not answer ("还是不行"), the causes it named
        // come first, in its order: their steps were not given yet.
        const QStringList named = namedInTheQuestion(request.history);
        QList<KnowledgeHit> ordered = hits;
        std::stable_sort(ordered.begin(), ordered.end(),
                         [&named](const KnowledgeHit &a, const KnowledgeHit &b) {
                             const auto rank = [&named](const KnowledgeHit &h) {
                                 const qsizetype at = named.indexOf(h.entry.id);
                                 return at < 0 ? named.size() : at;
                             };
                             return rank(a) < rank(b);
                         });
        QStringList skipped;
        for (const KnowledgeHit &h : std::as_const(ordered)) {
            if (p.tickets.size() >= m_options.maxTicketsForLlm ||
                h.score < best.score * m_options.retryScoreRatio)
                break;
            if (givenBefore(h.entry, request.history)) {
                skipped << h.entry.id;
                continue;
            }
            // The next entry must fit the problem too: cover about as much of it as the best one
            // does (else a retry offers an entry that shares a side word, 续航 for 远程开空调). The
            // causes a clarifying question named fit by being named.
            if (best.coverage > 0 && h.coverage < best.coverage * m_options.retryCoverageRatio &&
                !named.contains(h.entry.id))
                continue;
            p.tickets << h;
        }
        if (p.tickets.isEmpty()) {
            p.tickets << best; // recorded with the hand-off: what was tried
            p.reason =
                QStringLiteral("the customer says the last reply did not help and every fitting entry was "
                               "given before (%1): a person takes over")
                    .arg(skipped.join(QStringLiteral(", ")));
            return p;
        }
        p.kind = Plan::Kind::Answer;
        if (named.contains(p.tickets.first().entry.id)) {
            p.afterFailedAttempt = false;
            p.afterClarifyingQuestion = true;
            p.situation = QStringLiteral(
                "客户没有说明是哪一种情况，只说问题仍然存在。请按第一条参考工单（最可能的原因）给出处理步骤，"
                "并请客户在情况不符时补充说明；如果参考工单都不适用，只输出一行 [[NO_ANSWER]]。");
            p.reason =
                QStringLiteral("the customer says it still fails without saying which cause the clarifying "
                               "question named: the steps of the first cause (%1)")
                    .arg(p.tickets.first().entry.id);
            return p;
        }
        QStringList tried = earlier;
        for (const QString &id : std::as_const(skipped)) {
            if (!tried.contains(id))
                tried << id;
        }
        p.situation =
            QStringLiteral(
                "客户表示之前的方法没有解决问题%1。不要重复之前的步骤，请根据下面的参考工单给出其他可能的原因"
                "和处理方法；如果它们也不适用，只输出一行 [[NO_ANSWER]]。")
                .arg(tried.isEmpty()
                         ? QString()
                         : QStringLiteral("（之前已提供：%1）").arg(tried.join(QStringLiteral("、"))));
        p.reason =
            QStringLiteral("the customer says the last reply did not help: the next fitting entry not cited "
                           "before (%1)%2")
                .arg(p.tickets.first().entry.id,
                     skipped.isEmpty()
                         ? QString()
                         : QStringLiteral(", skipped %1").arg(skipped.join(QStringLiteral(", "))));
        return p;
    }

    if (turn == Turn::Contextual) {
        // The entries cited before, as the context search found them again; else what it found.
        for (const KnowledgeHit &h : hits) {
            if (earlier.contains(h.entry.id) && p.tickets.size() < m_options.maxTicketsForLlm)
                p.tickets << h;
        }
        if (p.tickets.isEmpty() && result.answerable)
            p.tickets = ticketsFor(result);
        if (!p.tickets.isEmpty() || !earlier.isEmpty()) {
            p.kind = Plan::Kind::Context;
            // An answer to the clarifying question that says no cause; a next step ("那我明天去4S店吧")
            // is answered as one.
            p.afterClarifyingQuestion = answersQuestion && !statesNextStep(q);
            p.situation =
                p.afterClarifyingQuestion
                    ? QStringLiteral("客户的这句话是对之前澄清问题的回答，没有提出新的问题，"
                                     "但从回答中还不能确定是哪一种原因。"
                                     "请简短回应（1~3 句），不要给出完整步骤；"
                                     "请客户提供车型和 VIN（车架号），以便工程师结合这些情况进一步排查。")
                    : QStringLiteral(
                          "客户的这句话是对之前对话的回应，没有提出新的问题。"
                          "请结合上文简短回应（1~3 句），不要重复之前的步骤；"
                          "如客户要去 4S "
                          "店或联系客服，提醒可提供的信息（车型、VIN、之前的现象和已试过的步骤）。");
            p.reason =
                QStringLiteral("%1: answered in the context of the conversation (entries cited before: %2)")
                    .arg(p.afterClarifyingQuestion
                             ? QStringLiteral(
                                   "an answer to the clarifying question that points to no entry, no "
                                   "new problem")
                             : QStringLiteral("a turn with no new problem"),
                         earlier.isEmpty() ? QStringLiteral("none") : earlier.join(QStringLiteral(", ")));
            return p;
        }
        // Nothing in the conversation to stand on: handled like a question of its own.
    }

    if (!result.answerable || hits.isEmpty()) {
        p.reason = result.reason.isEmpty() ? QStringLiteral("no entry fits") : result.reason;
        return p;
    }
    // A short, vague question that two entries with different causes fit about equally well.
    if (!detail && hits.size() > 1 && TspVocabulary::meaningfulLength(q) <= m_options.vagueQuestionChars &&
        hits.at(1).score >= hits.at(0).score - m_options.ambiguityMargin &&
        hits.at(0).entry.cause.simplified() != hits.at(1).entry.cause.simplified()) {
        // One of the two was given already ("我确定密码是对的" after the locked account): the
        // customer's words leave the other one, not a question about both.
        const bool firstGiven = givenBefore(hits.at(0).entry, request.history);
        const bool secondGiven = givenBefore(hits.at(1).entry, request.history);
        if (firstGiven != secondGiven) {
            const KnowledgeHit &other = firstGiven ? hits.at(1) : hits.at(0);
            p.kind = Plan::Kind::Answer;
            p.tickets = {other};
            p.reason =
                QStringLiteral("a short turn that %1 and %2 fit about equally, and %3 was given before: "
                               "answered from %4")
                    .arg(hits.at(0).entry.id, hits.at(1).entry.id,
                         firstGiven ? hits.at(0).entry.id : hits.at(1).entry.id, other.entry.id);
            return p;
        }
        p.kind = Plan::Kind::Clarify;
        p.tickets = {hits.at(0), hits.at(1)};
        // The causes named: when the question names the categories of two entries about as good
        // (within twice the margin) with different causes, those ("车机没网了，导航和音乐都用不了"
        // names 车机, not the voice assistant whose entry mentions music and navigation).
        QList<KnowledgeHit> said;
        for (const KnowledgeHit &h : hits) {
            if (h.score >= hits.at(0).score - 2 * m_options.ambiguityMargin && namesTheCategory(q, h.entry))
                said << h;
        }
        const auto other = std::find_if(said.cbegin(), said.cend(), [&said](const KnowledgeHit &h) {
            return h.entry.cause.simplified() != said.first().entry.cause.simplified();
        });
        if (other != said.cend())
            p.tickets = {said.first(), *other};
        p.situation = QStringLiteral(
            "问题比较简短，两条参考工单都可能相关但原因不同。请简要说明这两种最可能的原因，并只问一个简短的"
            "澄清问题（例如哪些功能受影响、最近是否更换过蓄电池或升级过车机），不要给出完整步骤。");
        p.reason = QStringLiteral("a short question that %1 and %2 fit about equally (scores %3 and %4) with "
                                  "different causes: two likely causes and one question back")
                       .arg(hits.at(0).entry.id, hits.at(1).entry.id)
                       .arg(hits.at(0).score, 0, 'f', 2)
                       .arg(hits.at(1).score, 0, 'f', 2);
        if (p.tickets.at(0).entry.id != hits.at(0).entry.id ||
            p.tickets.at(1).entry.id != hits.at(1).entry.id)
            p.reason += QStringLiteral("; named %1 and %2, whose categories the question names first")
                            .arg(p.tickets.at(0).entry.id, p.tickets.at(1).entry.id);
        return p;
    }
    p.kind = Plan::Kind::Answer;
    p.tickets = ticketsFor(result);
    p.reason = result.reason.isEmpty() ? QStringLiteral("answerable: the best entry fits the question")
                                       : result.reason;
    if (namedByItsWords) {
        p.reason = QStringLiteral("the customer answers the clarifying question: alone, the answer finds %1 "
                                  "first, one of the causes the question named (%2)")
                       .arg(hits.first().entry.id, p.reason);
    } else if (detail) {
        p.reason = (answersQuestion ? QStringLiteral("the customer answers the clarifying question: with the "
                                                     "problem said before, it points to %1 (%2)")
                                    : QStringLiteral("the customer's detail, with the problem said before, "
                                                     "points to %1, not cited before: answered from it (%2)"))
                       .arg(hits.first().entry.id, p.reason);
    }
    return p;
}

void Assistant::answer(const AnswerRequest &request, Done done)
{
    QElapsedTimer elapsed;
    elapsed.start();
    if (m_retrieverThread) {
        // The searches run on the retriever thread (prepared there too); the answer goes on here.
        const quint64 id = m_nextPendingId++;
        m_retrieving.insert(id, Prepared{request, std::move(done), elapsed, std::nullopt});
        m_retrieverThread->run(
            this, [this, id, request, options = m_options, queries = retrievalQueries(request)](
                      KnowledgeRetriever *retriever, QObject *context, const RetrieverThread::Reply &reply) {
                // On the retriever thread: nothing of this object but its address is touched here.
                if (!retriever) { // the thread could not open its connection: searched here instead
                    reply([this, id] { retrieved(id, std::nullopt); });
                    return;
                }
                retriever->prepare(queries, context, [this, id, request, options, retriever, reply] {
                    Retrieval r = retrieveWith(retriever, options, request);
                    reply([this, id, r = std::move(r)] { retrieved(id, r); });
                });
            });
        return;
    }
    if (!m_retriever) {
        answerPrepared(request, std::move(done), elapsed, std::nullopt);
        return;
    }
    // The retriever fetches what it needs from the network (query embeddings) without blocking the
    // event loop; the answer goes on when that is in, or has failed.
    // Answering is the costly part of a push (the knowledge search, the decision), and a burst
    // readies many requests in one event (a query-embedding fetch readies all that waited for it;
    // the pipeline starts one per conversation): they queue and are answered a slice of the event
    // loop at a time, so the loop keeps turning. The answer reaches `done` queued in any case.
    m_retriever->prepare(retrievalQueries(request), this,
                         [this, request, done = std::move(done), elapsed]() mutable {
                             m_prepared.append({request, std::move(done), elapsed, std::nullopt});
                             if (!m_preparedTimer.isActive())
                                 m_preparedTimer.start();
                         });
}

void Assistant::retrieved(quint64 id, std::optional<Retrieval> retrieval)
{
    auto it = m_retrieving.find(id);
    if (it == m_retrieving.end())
        return;
    Prepared p = std::move(it.value());
    m_retrieving.erase(it);
    p.retrieval = std::move(retrieval);
    m_prepared.append(std::move(p));
    if (!m_preparedTimer.isActive())
        m_preparedTimer.start();
}

void Assistant::answerSomePrepared()
{
    QElapsedTimer slice;
    slice.start();
    while (!m_prepared.isEmpty()) {
        Prepared p = m_prepared.takeFirst();
        answerPrepared(p.request, std::move(p.done), p.elapsed, p.retrieval);
        if (slice.nsecsElapsed() >= kPreparedSliceNs)
            break;
    }
    if (!m_prepared.isEmpty())
        m_preparedTimer.start(); // the rest after the event loop turned
}

void Assistant::answerPrepared(const AnswerRequest &request, Done done, const QElapsedTimer &elapsed,
                               const std::optional<Retrieval> &searched)
{
    const QString q = request.question.trimmed();
    const Turn turn = classify(request);
    const Retrieval retrieval = searched ? *searched : retrieve(request);
    qCDebug(lcAssistant).noquote() << "retrieval for" << request.sessionKey << ":" << retrieval.reason
                                   << "- hits" << retrieval.result.hits.size()
                                   << (retrieval.result.answerable ? "answerable" : "not answerable");

    Answer base;
    base.retrievalQuery = retrieval.query;
    base.retrievalUsedHistory = retrieval.usedHistory;

    // Small talk: nothing to look up ("好的谢谢" after an answer is a short close).
    const auto talk = TspVocabulary::smallTalk(q);
    if (TspVocabulary::meaningfulLength(q) == 0 || talk != TspVocabulary::SmallTalk::None) {
        Answer a = base;
        a.source = AnswerSource::SmallTalk;
        a.decisionReason = QStringLiteral("small talk: nothing to look up");
        if (TspVocabulary::meaningfulLength(q) == 0)
            a.text = QStringLiteral(
                "您好，目前只能处理文字消息，请用文字描述您遇到的问题（例如车型、现象和提示信息）。");
        else if (talk == TspVocabulary::SmallTalk::Greeting)
            a.text = QStringLiteral("您好！我是驰联车联网服务助手。请描述您遇到的问题（例如车型、现象和提示信"
                                    "息），我会尽快为您解答。");
        else if (talk == TspVocabulary::SmallTalk::Thanks)
            a.text = QStringLiteral("不客气！如果还有其他问题，随时告诉我。");
        else if (!request.history.isEmpty() && containsAnyOf(q, {u"试试", u"试一下", u"试一试"}))
            a.text = contextText(q, nullptr, false); // "好的我试试" after an answer: the steps above
        else
            a.text = QStringLiteral("好的，如果还有其他问题，随时告诉我。");
        deliver(request, a, std::move(done), elapsed.elapsed());
        return;
    }

    // A person asked for: handed over at once, without a search or the LLM.
    if (asksForPerson(q)) {
        Answer a = base;
        a.source = AnswerSource::Handoff;
        a.escalate = true;
        a.text = personAskedText();
        a.decisionReason = QStringLiteral("the customer asks for a person: handed off");
        deliver(request, a, std::move(done), elapsed.elapsed());
        return;
    }

    const Plan p = plan(request, turn, retrieval);
    QString why;
    if (p.kind == Plan::Kind::Handoff || !m_llm || !m_llm->isConfigured(&why)) {
        deliver(request, fallbackAnswer(request, retrieval, p), std::move(done), elapsed.elapsed());
        return;
    }
    startLlm(request, retrieval, p, std::move(done), elapsed);
}

void Assistant::startLlm(const AnswerRequest &request, const Retrieval &retrieval, const Plan &plan,
                         Done done, const QElapsedTimer &elapsed)
{
    const quint64 pid = m_nextPendingId++;
    auto *p = new Pending;
    p->request = request;
    p->done = std::move(done);
    p->retrieval = retrieval;
    p->plan = plan;
    p->tickets = plan.tickets;
    p->elapsed = elapsed;
    const QList<LlmMessage> messages =
        PromptBuilder(m_options.promptLimits)
            .build(request.question.trimmed(), request.history, p->tickets, plan.situation);
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
    const QString problem = result.ok() ? unsafeReason(result.text, p->promptText) : result.errorString;
    if (result.ok() && result.text.contains(QStringView(Answers::kNoAnswerMarker))) {
        // The model says the tickets do not answer the question: a person, not a guess.
        a.source = AnswerSource::Handoff;
        a.escalate = true;
        a.text = handoffText(p->plan.afterFailedAttempt);
        setDecision(&a, p->retrieval.result,
                    QStringLiteral("the LLM said the cited entries do not answer the question (%1); %2")
                        .arg(QString::fromUtf16(Answers::kNoAnswerMarker), p->plan.reason));
    } else if (result.ok() && problem.isEmpty()) {
        a.source = AnswerSource::Llm;
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
        a.askedBack = p->plan.kind == Plan::Kind::Clarify;
        setDecision(&a, p->retrieval.result, p->plan.reason);
    } else {
        qCWarning(lcAssistant).noquote() << "LLM answer for" << p->request.sessionKey
                                         << "not used:" << problem << "- answering from the knowledge base";
        a = fallbackAnswer(p->request, p->retrieval, p->plan);
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
    Answer a = fallbackAnswer(p->request, p->retrieval, p->plan);
    a.llmError = problem;
    deliver(p->request, a, std::move(p->done), p->elapsed.elapsed());
    delete p;
}

Answer Assistant::fallbackAnswer(const AnswerRequest &request, const Retrieval &retrieval,
                                 const Plan &plan) const
{
    Answer a;
    a.retrievalQuery = retrieval.query;
    a.retrievalUsedHistory = retrieval.usedHistory;
    setDecision(&a, retrieval.result, plan.reason);
    switch (plan.kind) {
    case Plan::Kind::Handoff:
        a.source = AnswerSource::Handoff;
        a.escalate = true;
        a.text = handoffText(plan.afterFailedAttempt);
        if (!plan.afterFailedAttempt && complains(request.question)) {
            a.text = complaintText();
            a.decisionReason += QStringLiteral("; the customer complains: an apology with the hand-off");
        }
        for (const KnowledgeHit &h : plan.tickets)
            a.refs.append({h.entry.id, h.score});
        return a;
    case Plan::Kind::Clarify:
        a.source = AnswerSource::Clarify;
        a.askedBack = true;
        a.text = clarifyText(plan.tickets.at(0).entry, plan.tickets.at(1).entry);
        break;
    case Plan::Kind::Context:
        // Without the LLM a reply in context only acknowledges: a question it would leave
        // unanswered ("是不是要一直开着APP", "多久能好") goes to a person instead.
        if (asksSomething(request.question) && !statesNextStep(request.question)) {
            // What it costs, how long, how far, where: the sentence of the entry that says it.
            for (const KnowledgeHit &h : plan.tickets) {
                const QString sentence = sentenceThatAnswers(request.question, h.entry);
                if (sentence.isEmpty())
                    continue;
                const QString text = inContextText(h.entry, sentence);
                if (saidBefore(text, request.history))
                    continue;
                a.source = AnswerSource::Knowledge;
                a.text = text;
                a.decisionReason +=
                    QStringLiteral("; asks what %1 says in one sentence: answered from it").arg(h.entry.id);
                a.refs.append({h.entry.id, h.score});
                return a;
            }
            // How to do it: the steps of the entry the conversation is about, in other words.
            if (asksHow(request.question) && !plan.tickets.isEmpty()) {
                const QString steps = stepsText(plan.tickets.first().entry);
                if (!steps.isEmpty() && !saidBefore(steps, request.history)) {
                    a.source = AnswerSource::Knowledge;
                    a.text = steps;
                    a.decisionReason += QStringLiteral("; asks how: the steps of %1 again")
                                            .arg(plan.tickets.first().entry.id);
                    break;
                }
            }
            a.source = AnswerSource::Handoff;
            a.escalate = true;
            a.text = needsPersonText();
            a.decisionReason +=
                QStringLiteral("; a question that no entry answers and no LLM is configured to "
                               "answer in context: a person takes over");
            break;
        }
        a.source = AnswerSource::Knowledge;
        a.text = contextText(request.question, plan.tickets.isEmpty() ? nullptr : &plan.tickets.first().entry,
                             plan.afterClarifyingQuestion);
        // Said before in this conversation ("好的我试试" after "那我先重启一下"): a shorter one.
        if (saidBefore(a.text, request.history))
            a.text = acknowledgementText();
        break;
    case Plan::Kind::Answer:
        a.source = AnswerSource::Knowledge;
        a.text = knowledgeAnswerText(plan.tickets.first().entry,
                                     plan.afterClarifyingQuestion ? Opening::AfterClarifyingQuestion
                                     : plan.afterFailedAttempt    ? Opening::AfterFailedAttempt
                                                                  : Opening::Fresh);
        a.refs.append({plan.tickets.first().entry.id, plan.tickets.first().score});
        return a;
    }
    for (const KnowledgeHit &h : plan.tickets)
        a.refs.append({h.entry.id, h.score});
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
        answer.source = AnswerSource::Handoff;
    }
    // Never the same text twice in a session. A reply in context that would repeat one (the LLM's
    // "好的，…" to a second detail) becomes a short acknowledgement; any other repeat a hand-off.
    if (saidBefore(answer.text, request.history) && answer.source != AnswerSource::SmallTalk &&
        answer.source != AnswerSource::Handoff && classify(request) == Turn::Contextual &&
        !TspVocabulary::isFollowUp(request.question) && !saidBefore(acknowledgementText(), request.history)) {
        answer.decisionReason += QStringLiteral("; the reply in context would repeat an earlier one: a short "
                                                "acknowledgement instead");
        answer.text = acknowledgementText();
    }
    if (saidBefore(answer.text, request.history) && answer.source != AnswerSource::SmallTalk) {
        answer.decisionReason +=
            QStringLiteral("; the reply would repeat an earlier one word for word: handed off");
        answer.source = AnswerSource::Handoff;
        answer.escalate = true;
        answer.text = needsPersonText();
        if (saidBefore(answer.text, request.history))
            answer.text = QStringLiteral("已再次为您提醒人工客服，请稍候，工作人员会尽快联系您。");
    }
    if (answer.decisionReason.isEmpty())
        answer.decisionReason = QStringLiteral("no decision recorded");
    qCInfo(lcAssistant).noquote() << "answer for" << request.sessionKey << "in" << elapsedMs << "ms: source"
                                  << Answers::answerSourceName(answer.source) << "refs"
                                  << refsForLog(answer.refs) << (answer.escalate ? "escalate" : "")
                                  << (answer.retrievalUsedHistory ? "(retrieved with earlier turns)" : "")
                                  << (answer.llmError.isEmpty()
                                          ? QString()
                                          : QString(QStringLiteral("llm error: ") + answer.llmError))
                                  << "- why:" << answer.decisionReason;
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
