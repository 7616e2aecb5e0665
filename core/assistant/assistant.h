#pragma once

#include <optional>

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include "assistant/answerprovider.h"
#include "assistant/llmclient.h"
#include "assistant/promptbuilder.h"
#include "knowledge/knowledgeentry.h"

class QTimer;
class RetrieverThread;

// Answers one customer turn: retrieval in context, prompt, LLM (when configured), and a fallback
// that is never silent:
//  - small talk ("你好", "好的谢谢")       -> a short polite reply / close, SmallTalk
//  - nothing in the KB fits              -> "a person will follow up", escalate, Handoff
//  - a fitting ticket, LLM configured    -> the LLM answer citing the tickets, Llm
//  - the LLM says the tickets do not fit -> [[NO_ANSWER]]: Handoff instead of a guess
//  - LLM failed / too slow / unsafe      -> the best ticket's steps, Knowledge, llmError set
//  - no LLM                              -> the best ticket's steps, Knowledge
// Follow-ups, after an earlier bot reply in the session (the policy, see Turn):
//  - "还是不行", "试过了", "还有其他方法吗" -> the next fitting entry not cited before in the
//    session (through the LLM when configured, told the earlier steps failed), or a hand-off;
//  - a turn with no new problem ("那我明天去4S店吧") -> answered in the context of the conversation
//    (the LLM gets the earlier turns and the entries cited before), never handed off only because
//    it retrieves nothing on its own;
//  - never the same text as an earlier bot reply of the session.
// A short, vague question that several entries fit about equally well, with different causes,
// gets the two most likely causes and one short clarifying question (Clarify) instead of a bet.
// Every answer carries decisionReason / decisionLead / decisionCoverage.
// Emergencies (accident, smoke, fire, people trapped) always get a safety line first and escalate.
// `done` is always called exactly once, from the event loop, within answerDeadlineMs (+ the
// knowledge lookup, whose network part — query embeddings — the retriever prepares without
// blocking, within the endpoint's timeout) — unless the Assistant is destroyed first.
class Assistant final : public QObject, public AnswerProvider
{
    Q_OBJECT
public:
    struct Options
    {
        int topK = 5;                   // hits fetched per search
        int maxTicketsForLlm = 3;       // tickets cited in the prompt
        double relatedScoreRatio = 0.6; // other hits join the best one when score >= ratio x best
        // After "还是不行": the next entries down to ratio x best. (0.4 until the re-ranking weighed the
        // translation figures, which put the runners-up up to 0.42 further below the first: with
        // 0.4, "远程解锁失败，APP提示超时" had no next entry at 0.511 against 1.284.)
        double retryScoreRatio = 0.3;
        double retryCoverageRatio = 0.75; // ...that cover at least ratio x what the best covers
        int contextTurns = 2;             // earlier customer turns used for a follow-up's retrieval
        int shortQuestionChars = 4;       // at most this many letters/digits/CJK: too short to search alone
        int answerDeadlineMs = 30000;     // the LLM path gives up after this and falls back
        int vagueQuestionChars = 16;      // at most this many: a question short enough to be vague
        // The runner-up within this of the best score: equally good. Over the read retrieval sets
        // (4,973 answerable questions), 66 of the short ones that the search answers have their
        // best entry lead by less than 0.17; in those the right entry is first 55% of the time and
        // among the first two 91%: two causes and a question beat a bet. (The re-ranking's
        // characters of the symptom line spread the scores: 0.15 took as many before.)
        double ambiguityMargin = 0.17;
        PromptBuilder::Limits promptLimits;
    };

    // How the knowledge search ran for a question.
    struct Retrieval
    {
        QString query;
        bool usedHistory = false;
        QString reason; // why history was (or was not) used
        KnowledgeSearchResult result;
        KnowledgeSearchResult alone; // the question's own search (the same as result without history)
    };

    // `retriever` and `llm` are not owned and may be null (no knowledge / no LLM).
    explicit Assistant(KnowledgeRetriever *retriever, LlmClient *llm = nullptr, QObject *parent = nullptr);
    ~Assistant() override;
    Q_DISABLE_COPY_MOVE(Assistant)

    void setOptions(const Options &options) { m_options = options; }
    const Options &options() const { return m_options; }
    void setRetriever(KnowledgeRetriever *retriever) { m_retriever = retriever; }
    // Searches for answers on `thread` instead of on this object's thread (not owned; may be null).
    // The retriever given above stays for retrieve(), and for answers when the thread has none.
    // Answers whose search is under way when the thread ends get no reply.
    void setRetrieverThread(RetrieverThread *thread) { m_retrieverThread = thread; }
    void setLlmClient(LlmClient *llm) { m_llm = llm; }

    void answer(const AnswerRequest &request, Done done) override;
    int pendingCount() const { return int(m_pending.size()); }

    // The search for a request, in context (public for tests and the console's "why this answer").
    Retrieval retrieve(const AnswerRequest &request) const;
    // The same with another retriever and options: what the retriever thread runs.
    static Retrieval retrieveWith(const KnowledgeRetriever *retriever, const Options &options,
                                  const AnswerRequest &request);
    // Every query retrieve() may search for a request (the question alone, and with the earlier
    // turns when there are any): what answer() asks the retriever to prepare.
    QStringList retrievalQueries(const AnswerRequest &request) const;

    // What kind of turn the question is, in its conversation.
    enum class Turn {
        Fresh,      // a question of its own (or the first of the session)
        Retry,      // "还是不行", "试过了", "还有其他方法吗": the last reply did not help
        Contextual, // no new problem ("那我明天去4S店吧", "那怎么办"): answer in context
    };
    static Turn classify(const AnswerRequest &request);

    // How a knowledge reply opens: as the first answer, after the customer said the last one did not
    // help, or after a clarifying question the customer did not answer (no steps were given yet).
    enum class Opening { Fresh, AfterFailedAttempt, AfterClarifyingQuestion };
    // The knowledge reply for a ticket: a short lead and the solution steps.
    static QString knowledgeAnswerText(const KnowledgeEntry &entry, Opening opening = Opening::Fresh);
    // Two entries fit a vague question about equally: their causes and one short question back.
    static QString clarifyText(const KnowledgeEntry &first, const KnowledgeEntry &second);
    // A reply in context when the customer states a next step (no LLM): built from the entry cited before.
    // After a clarifying question whose answer points to no entry, it asks for what an engineer needs.
    static QString contextText(const QString &question, const KnowledgeEntry *cited,
                               bool afterClarifyingQuestion = false);
    static QString handoffText(bool afterFailedAttempt = false)
    {
        return Answers::handoffText(afterFailedAttempt);
    }
    static QString safetyText();
    // The entry's steps alone, for "怎么弄" after its answer ('' when it has none).
    static QString stepsText(const KnowledgeEntry &entry);
    // A follow-up answered by one sentence of the entry the conversation is about.
    static QString inContextText(const KnowledgeEntry &entry, const QString &sentence);
    // The hand-off when the customer asks for a person ("转人工").
    static QString personAskedText();
    // The hand-off for a question the bot cannot answer in context (nothing failed, nothing missing
    // from the knowledge base: it needs someone who can look).
    static QString needsPersonText();
    // A reply in context that would repeat an earlier one: a short acknowledgement.
    static QString acknowledgementText();
    // The hand-off for a complaint nothing in the knowledge base answers ("你们这车质量太差了").
    static QString complaintText();

signals:
    // Streaming LLM text so far, for a console that shows the draft growing.
    void partialAnswer(const QString &sessionKey, const QString &textSoFar);
    void answered(const QString &sessionKey, const Answer &answer);

private:
    struct Pending;
    // What the policy chose for a turn: the tickets to answer from and how.
    struct Plan
    {
        enum class Kind { Handoff, Answer, Clarify, Context };
        Kind kind = Kind::Handoff;
        QList<KnowledgeHit> tickets; // best first
        bool afterFailedAttempt = false;
        bool afterClarifyingQuestion = false; // steps for a cause only named in the question before
        QString situation;                    // for the LLM prompt
        QString reason;                       // for operators
    };
    Plan plan(const AnswerRequest &request, Turn turn, const Retrieval &retrieval) const;
    // answer(), once the retriever is prepared (and with its search, when it ran on the thread).
    void answerPrepared(const AnswerRequest &request, Done done, const QElapsedTimer &elapsed,
                        const std::optional<Retrieval> &searched);
    // The retriever thread's search for request `id` is in (none: search here).
    void retrieved(quint64 id, std::optional<Retrieval> retrieval);
    QStringList earlierCustomerTurns(const AnswerRequest &request) const;
    static QStringList earlierCustomerTurns(const AnswerRequest &request, int contextTurns);
    static QString contextQueryOf(const QStringList &earlier, const QString &question);
    void startLlm(const AnswerRequest &request, const Retrieval &retrieval, const Plan &plan, Done done,
                  const QElapsedTimer &elapsed);
    void onLlmDone(quint64 pendingId, const LlmResult &result);
    void onDeadline(quint64 pendingId);
    Answer fallbackAnswer(const AnswerRequest &request, const Retrieval &retrieval, const Plan &plan) const;
    void deliver(const AnswerRequest &request, Answer answer, Done done, qint64 elapsedMs);
    QList<KnowledgeHit> ticketsFor(const KnowledgeSearchResult &result) const;
    QString unsafeReason(const QString &llmText, const QString &promptText) const;

    QPointer<LlmClient> m_llm;
    KnowledgeRetriever *m_retriever = nullptr;
    RetrieverThread *m_retrieverThread = nullptr;
    Options m_options;
    void answerSomePrepared();

    // Requests whose retrieval is ready, answered a slice of the event loop at a time.
    struct Prepared
    {
        AnswerRequest request;
        Done done;
        QElapsedTimer elapsed;
        std::optional<Retrieval> retrieval; // searched on the retriever thread
    };
    static constexpr qint64 kPreparedSliceNs = 5 * 1000 * 1000;

    QHash<quint64, Pending *> m_pending;
    quint64 m_nextPendingId = 1;
    QList<Prepared> m_prepared;
    QHash<quint64, Prepared> m_retrieving; // searching on the retriever thread
    QTimer m_preparedTimer;
};
