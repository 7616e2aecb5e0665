#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>

#include "assistant/answerprovider.h"
#include "assistant/llmclient.h"
#include "assistant/promptbuilder.h"
#include "knowledge/knowledgeentry.h"

class QTimer;

// Answers one customer turn: retrieval in context, prompt, LLM (when configured), and a fallback
// that is never silent:
//  - small talk ("你好", "谢谢")          -> a short polite reply, source "smalltalk"
//  - nothing in the KB fits              -> "a person will follow up", escalate, source "handoff"
//  - a fitting ticket, LLM configured    -> the LLM answer citing the tickets, source "llm"
//  - LLM failed / too slow / unsafe      -> the best ticket's steps, source "knowledge", llmError set
//  - no LLM                              -> the best ticket's steps, source "knowledge"
// Emergencies (accident, smoke, fire, people trapped) always get a safety line first and escalate.
// `done` is always called exactly once, from the event loop, within answerDeadlineMs (+ the
// knowledge lookup) — unless the Assistant is destroyed first.
class Assistant final : public QObject, public AnswerProvider
{
    Q_OBJECT
public:
    struct Options
    {
        int topK = 5;                    // hits fetched per search
        int maxTicketsForLlm = 3;        // tickets cited in the prompt
        double relatedScoreRatio = 0.6;  // other hits join the best one when score >= ratio x best
        int contextTurns = 2;            // earlier customer turns used for a follow-up's retrieval
        int shortQuestionChars = 4;      // at most this many letters/digits/CJK: too short to search alone
        int answerDeadlineMs = 30000;    // the LLM path gives up after this and falls back
        PromptBuilder::Limits promptLimits;
    };

    // How the knowledge search ran for a question.
    struct Retrieval
    {
        QString query;
        bool usedHistory = false;
        QString reason;                 // why history was (or was not) used
        KnowledgeSearchResult result;
    };

    // `retriever` and `llm` are not owned and may be null (no knowledge / no LLM).
    explicit Assistant(KnowledgeRetriever *retriever, LlmClient *llm = nullptr, QObject *parent = nullptr);
    ~Assistant() override;
    Q_DISABLE_COPY_MOVE(Assistant)

    void setOptions(const Options &options) { m_options = options; }
    const Options &options() const { return m_options; }
    void setRetriever(KnowledgeRetriever *retriever) { m_retriever = retriever; }
    void setLlmClient(LlmClient *llm) { m_llm = llm; }

    void answer(const AnswerRequest &request, Done done) override;
    int pendingCount() const { return int(m_pending.size()); }

    // The search for a request, in context (public for tests and the console's "why this answer").
    Retrieval retrieve(const AnswerRequest &request) const;

    // The knowledge reply for a ticket: a short lead and the solution steps.
    static QString knowledgeAnswerText(const KnowledgeEntry &entry, bool afterFailedAttempt = false);
    static QString handoffText(bool afterFailedAttempt = false);
    static QString safetyText();

signals:
    // Streaming LLM text so far, for a console that shows the draft growing.
    void partialAnswer(const QString &sessionKey, const QString &textSoFar);
    void answered(const QString &sessionKey, const Answer &answer);

private:
    struct Pending;
    void onLlmDone(quint64 pendingId, const LlmResult &result);
    void onDeadline(quint64 pendingId);
    Answer fallbackAnswer(const AnswerRequest &request, const Retrieval &retrieval) const;
    void deliver(const AnswerRequest &request, Answer answer, Done done, qint64 elapsedMs);
    QList<KnowledgeHit> ticketsFor(const KnowledgeSearchResult &result) const;
    QString unsafeReason(const QString &llmText, const QString &promptText) const;

    QPointer<LlmClient> m_llm;
    KnowledgeRetriever *m_retriever = nullptr;
    Options m_options;
    QHash<quint64, Pending *> m_pending;
    quint64 m_nextPendingId = 1;
};
