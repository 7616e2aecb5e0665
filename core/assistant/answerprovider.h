#pragma once

#include <functional>

#include <QList>
#include <QString>

// One earlier turn of the conversation, oldest first.
struct ConversationTurn
{
    enum class Role { Customer, Bot, Operator };
    Role role = Role::Customer;
    QString text;
};

struct AnswerRequest
{
    QString sessionKey;
    QString question;               // the cleaned customer text
    QList<ConversationTurn> history; // within the session's history window, oldest first
    // Optional: called with the whole text so far while an LLM streams the answer (the console
    // shows a draft growing). Never called after `done`.
    std::function<void(const QString &textSoFar)> partial;
};

struct KnowledgeRef
{
    QString id;
    double score = 0.0;
};

struct Answer
{
    QString text;                // never empty: the assistant always says something
    bool escalate = false;       // hand the conversation to a person (nothing fits / failure)
    QString source;              // llm, knowledge, handoff, smalltalk (a greeting/thanks, nothing to look up)
    QList<KnowledgeRef> refs;    // the tickets the answer rests on, with their scores
    QString llmError;            // why the LLM was not used, when it was configured but failed
    QString retrievalQuery;      // the text the knowledge search ran on
    bool retrievalUsedHistory = false; // retrievalQuery includes earlier customer turns (a follow-up)
    // Why the bot answered or handed off, for operators (the console shows it next to the turn).
    QString decisionReason;
    double decisionLead = -1;     // best score minus the runner-up's; -1 when not known
    double decisionCoverage = -1; // 0..1 share of the question the best entry covers; -1 when not known
};

// Produces the reply for one customer turn. Assistant implements it.
class AnswerProvider
{
public:
    using Done = std::function<void(const Answer &)>;
    virtual ~AnswerProvider() = default;
    virtual void answer(const AnswerRequest &request, Done done) = 0;
};
