#pragma once

#include <functional>
#include <optional>

#include <QList>
#include <QObject>
#include <QString>

namespace Answers {
Q_NAMESPACE

// Where a reply comes from. One vocabulary for the assistant, the pipeline, the stored turn
// meta ("source"), drafts, logs and the console; answerSourceName() is the stored spelling.
enum class AnswerSource {
    Llm,       // the LLM's answer citing knowledge entries
    Knowledge, // an entry's steps (no LLM, or the LLM failed), or a reply built from the entries cited before
    Handoff,   // nothing fits: a person follows up (escalates)
    SmallTalk, // a greeting, thanks or "好的": nothing to look up
    Clarify,   // one short question back (several entries fit a vague question about equally)
    Fixed,     // a canned reply the pipeline sends without the assistant (empty or unreadable message)
};
Q_ENUM_NS(AnswerSource)

// "llm", "knowledge", "handoff", "smalltalk", "clarify", "fixed".
QString answerSourceName(AnswerSource source);
// The inverse; nullopt for a name not in the table.
std::optional<AnswerSource> answerSourceFromName(const QString &name);

// The one hand-off text (Assistant and Pipeline): a person follows up. After a failed attempt it
// says the earlier steps did not help instead of "nothing found".
QString handoffText(bool afterFailedAttempt = false);

// The structured marker an LLM writes, on a line of its own, when the cited tickets do not answer
// the question (PromptBuilder tells it so; the assistant then hands off instead of sending a guess).
inline constexpr char16_t kNoAnswerMarker[] = u"[[NO_ANSWER]]";

} // namespace Answers

using Answers::AnswerSource;

struct KnowledgeRef
{
    QString id;
    double score = 0.0;
};

// One earlier turn of the conversation, oldest first.
struct ConversationTurn
{
    enum class Role { Customer, Bot, Operator };
    Role role = Role::Customer;
    QString text;
    QList<KnowledgeRef> refs; // bot turns: the knowledge entries the reply cited (may be empty)
    bool askedBack = false;   // bot turns: a clarifying question, which the customer's next turn answers
};

struct AnswerRequest
{
    QString sessionKey;
    QString question;                // the cleaned customer text
    QList<ConversationTurn> history; // within the session's history window, oldest first
    // Optional: called with the whole text so far while an LLM streams the answer (the console
    // shows a draft growing). Never called after `done`.
    std::function<void(const QString &textSoFar)> partial;
};

struct Answer
{
    QString text;          // never empty: the assistant always says something
    bool escalate = false; // hand the conversation to a person (nothing fits / failure)
    AnswerSource source = AnswerSource::Llm;
    QList<KnowledgeRef> refs;          // the tickets the answer rests on, with their scores
    QString llmError;                  // why the LLM was not used, when it was configured but failed
    QString retrievalQuery;            // the text the knowledge search ran on
    bool retrievalUsedHistory = false; // retrievalQuery includes earlier customer turns (a follow-up)
    // Why the bot answered or handed off, for operators (the console shows it next to the turn).
    QString decisionReason;
    double decisionLead = -1;     // best score minus the runner-up's; -1 when not known
    double decisionCoverage = -1; // 0..1 share of the question the best entry covers; -1 when not known
    bool askedBack = false;       // a clarifying question: the customer's next turn answers it
};

// Produces the reply for one customer turn. Assistant implements it.
class AnswerProvider
{
public:
    using Done = std::function<void(const Answer &)>;
    virtual ~AnswerProvider() = default;
    virtual void answer(const AnswerRequest &request, Done done) = 0;
};
