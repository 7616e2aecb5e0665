#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// The words of the connected-car support domain that the assistant and the analyzer share:
// the 15 knowledge categories with weighted keywords, domain terms, follow-up phrases,
// emergencies and small talk. Matching is case-insensitive on plain substrings, which works for
// Chinese without a segmenter because the keywords are whole domain words.
namespace TspVocabulary {

struct Keyword
{
    QString word;
    int weight = 1;
};

struct Category
{
    QString name; // exactly as in the knowledge base
    QList<Keyword> keywords;
    QString codePrefix; // the project's error-code family for this category ("E-10"), may be empty
};

// The 15 categories of shared/data/tsp-knowledge.jsonl, in the README's order.
const QList<Category> &categories();
QStringList categoryNames();
bool isCategory(const QString &name);

struct CategoryScore
{
    QString name;
    int score = 0;
};
// Keyword scores per category, best first; categories that scored 0 are left out.
QList<CategoryScore> scoreCategories(const QString &text);

// "e1001" -> "E-1001", "U4020" -> "U-4020" (project codes), "u0100" -> "U0100" (OBD/UDS codes keep
// their form). Project families: E-10xx remote control, A-20xx account, K-30xx key, U-40xx OTA,
// C-60xx charging; a U or C followed by 0-3 is a standard trouble code.
QString normalizeCode(const QString &code);

// Does the text name anything of the domain (a category keyword, 车/车机/APP, a model, a code)?
bool hasDomainTerm(const QString &text);
// "还是不行", "还有其他方法吗", "试过了" ...: a turn that only makes sense with the ones before.
bool isFollowUp(const QString &text);
// "朔风T3 2021款的", "我是云驰E5": nothing but the car (its model, year or trim), no problem.
bool onlyNamesTheCar(const QString &text);
// "在露天停车场", "车停在地下车库": nothing but where the car is, no problem: a detail of the one
// said before.
bool onlyNamesThePlace(const QString &text);
// Accidents, smoke, fire, injuries, people trapped: safety comes before any troubleshooting.
bool isEmergency(const QString &text);

enum class SmallTalk { None, Greeting, Thanks, Acknowledgement };
// A whole message that is only a greeting / thanks / "好的" (nothing to answer from the KB).
SmallTalk smallTalk(const QString &text);

// Letters, digits and CJK characters in the text (punctuation, spaces and emoji not counted).
int meaningfulLength(const QString &text);

} // namespace TspVocabulary
