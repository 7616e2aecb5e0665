#include "assistant/answerprovider.h"

#include <iterator>

namespace Answers {

namespace {

struct SourceName
{
    AnswerSource source;
    const char16_t *name;
};

// The one name table of AnswerSource.
constexpr SourceName kSourceNames[] = {
    {AnswerSource::Llm, u"llm"},         {AnswerSource::Knowledge, u"knowledge"},
    {AnswerSource::Handoff, u"handoff"}, {AnswerSource::SmallTalk, u"smalltalk"},
    {AnswerSource::Clarify, u"clarify"}, {AnswerSource::Fixed, u"fixed"},
};

} // namespace

QString answerSourceName(AnswerSource source)
{
    for (const SourceName &s : kSourceNames) {
        if (s.source == source)
            return QString::fromUtf16(s.name);
    }
    return QString();
}

std::optional<AnswerSource> answerSourceFromName(const QString &name)
{
    for (const SourceName &s : kSourceNames) {
        if (name == QStringView(s.name))
            return s.source;
    }
    return std::nullopt;
}

QString handoffText(bool afterFailedAttempt)
{
    if (afterFailedAttempt)
        return QStringLiteral("抱歉，之前的方法没能解决您的问题，已为您转交人工客服，工作人员会尽快跟进。"
                              "方便的话请补充车型、VIN（车架号）以及目前看到的提示信息。");
    return QStringLiteral(
        "您好，这个问题在知识库中暂时没有找到可靠的解决方案，已为您转交人工客服，工作人员会尽快跟进。"
        "方便的话请补充车型、VIN（车架号）以及问题出现的时间和提示信息，以便更快为您处理。");
}

} // namespace Answers
