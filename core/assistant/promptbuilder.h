#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include "assistant/answerprovider.h"
#include "assistant/llmclient.h"
#include "knowledge/knowledgeentry.h"

// Builds the chat messages for one answer: a TSP support system prompt (Chinese), the cited
// tickets, the conversation so far and the question.
//
// Citation format (the LLM stand-in and the reply checks depend on it): each ticket is a block
//
//   [KB-0012] 标题：远程解锁失败提示 E-1001
//   类别：远程控制(远程解锁/空调/寻车)
//   适用车型：云驰 E5、云驰 E7
//   常见描述：点解锁没反应；APP 提示 E-1001
//   原因：……
//   解决方案：
//   1. ……
//   2. ……
//
// separated by one empty line, under the heading "参考工单：". The model is told to cite the ids it
// used as "（参考：KB-0012）" and only those given, and to answer with a line of its own
// "[[NO_ANSWER]]" (Answers::kNoAnswerMarker) when the tickets do not answer the question.
class PromptBuilder
{
public:
    struct Limits
    {
        int maxTickets = 3;
        int maxTicketChars = 1200;  // per ticket block; longer solutions are cut at a line end
        int maxHistoryTurns = 8;    // the newest turns the caller passed
        int maxHistoryChars = 3000; // the newest turns that fit
        int maxQuestionChars = 2000;
    };

    PromptBuilder() = default;
    explicit PromptBuilder(const Limits &limits)
        : m_limits(limits)
    {}

    static QString systemPrompt();
    static QString formatTicket(const KnowledgeEntry &entry, int maxChars = 1200);

    // system (rules, the situation, tickets), then the history as user/assistant turns, then the
    // question. A last history turn that repeats the question (callers may include the current
    // turn) is dropped. `situation` (optional) tells the model where the conversation stands, e.g.
    // that the customer says the earlier steps did not help; it follows "当前情况：".
    QList<LlmMessage> build(const QString &question, const QList<ConversationTurn> &history,
                            const QList<KnowledgeHit> &tickets, const QString &situation = {}) const;

    // The ticket ids out of `givenIds` that `answer` mentions, in the order given.
    static QStringList citedIds(const QString &answer, const QStringList &givenIds);
    // Every ticket-like id ("KB-0123") that `answer` mentions.
    static QStringList mentionedTicketIds(const QString &answer);

    const Limits &limits() const { return m_limits; }

private:
    Limits m_limits;
};
