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
};

// Produces the reply for one customer turn. Assistant implements it.
class AnswerProvider
{
public:
    using Done = std::function<void(const Answer &)>;
    virtual ~AnswerProvider() = default;
    virtual void answer(const AnswerRequest &request, Done done) = 0;
};
