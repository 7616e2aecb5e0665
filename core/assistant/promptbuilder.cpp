#include "assistant/promptbuilder.h"

#include <QRegularExpression>

namespace {

QString clip(const QString &s, int maxChars)
{
    if (s.size() <= maxChars)
        return s;
    return s.left(maxChars) + QStringLiteral("…");
}

} // namespace

QString PromptBuilder::systemPrompt()
{
    return QStringLiteral(
        "你是“驰联”车联网（TSP）服务的在线客服助手，在飞书群聊和私聊中回答车主、车队管理员和一线服务人员的问"
        "题。\n"
        "请遵守以下规则：\n"
        "1. "
        "只依据下面“参考工单”中的信息回答，不要编造工单中没有的故障码、版本号、菜单路径、收费标准或政策。\n"
        "2. 用简体中文回答，简洁礼貌：先用一句话说明可能原因，再给出编号步骤（不超过 6 步）。\n"
        "3. 在回答末尾注明所依据的工单编号，格式为“（参考：KB-0012）”；只能引用下面给出的编号。\n"
        "4. 需要后台查询或判断具体车辆时，请客户提供车型和 17 位 VIN（车架号）；不要索要密码或验证码。\n"
        "5. 如果参考工单不能回答客户的问题（与问题不符，或你没有把握），不要猜测：只输出一行 [[NO_ANSWER]]，"
        "系统会转人工客服跟进。\n"
        "6. 涉及事故、冒烟、起火、人员受伤或被困等紧急情况时，先提醒客户确保人身安全，必要时拨打 110/119/120 "
        "或按车内 SOS 键。\n");
}

QString PromptBuilder::formatTicket(const KnowledgeEntry &e, int maxChars)
{
    QString head =
        QLatin1Char('[') + e.id + QStringLiteral("] 标题：") + e.title.simplified() + QLatin1Char('\n');
    if (!e.category.isEmpty())
        head += QStringLiteral("类别：") + e.category + QLatin1Char('\n');
    if (!e.vehicleModels.isEmpty())
        head += QStringLiteral("适用车型：") + e.vehicleModels.join(QStringLiteral("、")) + QLatin1Char('\n');
    if (!e.symptoms.isEmpty())
        head += QStringLiteral("常见描述：") + clip(e.symptoms.join(QStringLiteral("；")).simplified(), 200) +
                QLatin1Char('\n');
    if (!e.cause.isEmpty())
        head += QStringLiteral("原因：") + clip(e.cause.simplified(), 300) + QLatin1Char('\n');
    QString block = head + QStringLiteral("解决方案：\n");
    const QStringList steps = e.solution.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &raw : steps) {
        const QString step = raw.trimmed();
        if (step.isEmpty())
            continue;
        // Never an empty line inside a block (it separates tickets), never a line that looks like a
        // ticket head.
        const QString line =
            (step.startsWith(QLatin1Char('[')) ? QStringLiteral("- ") + step : step) + QLatin1Char('\n');
        if (block.size() + line.size() > maxChars) {
            block += QStringLiteral("……（其余步骤略）\n");
            break;
        }
        block += line;
    }
    return block;
}

QList<LlmMessage> PromptBuilder::build(const QString &question, const QList<ConversationTurn> &history,
                                       const QList<KnowledgeHit> &tickets, const QString &situation) const
{
    QString system = systemPrompt();
    if (!situation.trimmed().isEmpty())
        system += QStringLiteral("\n当前情况：") + situation.trimmed() + QLatin1Char('\n');
    system += QLatin1Char('\n');
    if (tickets.isEmpty()) {
        system += QStringLiteral("参考工单：无。知识库中没有找到相关工单，请礼貌说明会转人工客服跟进。\n");
    } else {
        system += QStringLiteral("参考工单：\n");
        const int n = int(qMin<qsizetype>(tickets.size(), m_limits.maxTickets));
        for (int i = 0; i < n; ++i) {
            system += formatTicket(tickets.at(i).entry, m_limits.maxTicketChars);
            if (i + 1 < n)
                system += QLatin1Char('\n');
        }
    }
    QList<LlmMessage> messages{{LlmMessage::Role::System, system}};

    QList<ConversationTurn> turns = history;
    const QString q = question.trimmed();
    if (!turns.isEmpty() && turns.last().role == ConversationTurn::Role::Customer &&
        turns.last().text.trimmed() == q)
        turns.removeLast();
    // The newest turns that fit, oldest first.
    QList<LlmMessage> past;
    int chars = 0;
    for (qsizetype i = turns.size() - 1; i >= 0 && past.size() < m_limits.maxHistoryTurns; --i) {
        const ConversationTurn &t = turns.at(i);
        const QString text = t.text.trimmed();
        if (text.isEmpty())
            continue;
        if (chars + text.size() > m_limits.maxHistoryChars)
            break;
        chars += int(text.size());
        switch (t.role) {
        case ConversationTurn::Role::Customer:
            past.prepend({LlmMessage::Role::User, text});
            break;
        case ConversationTurn::Role::Bot:
            past.prepend({LlmMessage::Role::Assistant, text});
            break;
        case ConversationTurn::Role::Operator:
            past.prepend({LlmMessage::Role::Assistant, QStringLiteral("（人工客服）") + text});
            break;
        }
    }
    messages += past;
    messages.append({LlmMessage::Role::User, clip(q, m_limits.maxQuestionChars)});
    return messages;
}

QStringList PromptBuilder::citedIds(const QString &answer, const QStringList &givenIds)
{
    QStringList out;
    for (const QString &id : givenIds) {
        if (!id.isEmpty() && answer.contains(id, Qt::CaseInsensitive) && !out.contains(id))
            out << id;
    }
    return out;
}

QStringList PromptBuilder::mentionedTicketIds(const QString &answer)
{
    static const QRegularExpression re(QStringLiteral("(?<![A-Za-z0-9])KB-[0-9]{3,6}(?![0-9])"),
                                       QRegularExpression::CaseInsensitiveOption);
    QStringList out;
    for (auto it = re.globalMatch(answer); it.hasNext();) {
        const QString id = it.next().captured(0).toUpper();
        if (!out.contains(id))
            out << id;
    }
    return out;
}
