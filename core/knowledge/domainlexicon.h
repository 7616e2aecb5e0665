#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

// The connected-car (TSP) vocabulary the knowledge search relies on. All terms are written in
// the normalised form Segmenter::basicNormalize produces (lower case, half-width, "T-Box" as
// "tbox", "E-1023" as "e1023"). The lists are general domain knowledge, not tuned to any query.
class DomainLexicon
{
public:
    // Domain terms indexed as whole tokens besides their bigrams (车机, tbox, 数字钥匙, 远程控制 ...).
    static const QStringList &terms();

    // True synonyms: every variant is rewritten to its canonical form in documents and queries
    // alike, so both sides meet on one spelling (电瓶 -> 蓄电池, 登陆 -> 登录, 没网 -> 无网络).
    // A variant written with '_' stands for a space ("remote_unlock").
    static const QList<QPair<QString, QStringList>> &synonymGroups();

    // Colloquial phrases and the formal wording the knowledge base uses for them (开不了门 ->
    // 远程解锁 失败). Applied to queries only: the phrase stays and its expansion is added.
    static const QList<QPair<QString, QString>> &colloquialRewrites();

    // Words an owner puts inside a colloquial phrase without changing it ("账号想彻底删掉" is
    // 账号删掉): particles, pronouns and adverbs of degree and manner.
    static const QStringList &phraseFillers();

    // Question templates and discourse fillers (什么意思, 怎么办, 一直 ...): they carry no
    // information a knowledge entry has to cover.
    static const QStringList &stopPhrases();
    // Single characters without topical content: particles, pronouns, numerals.
    static const QString &stopChars();

    // Topics a connected-car service desk does not handle (prices, insurance, traffic rules,
    // mechanical repair and consumables, sales and delivery, complaints, home chargers, specs,
    // everyday life ...), written from the desk's remit (see domainlexicon.cpp for the source of
    // truth). When a query mentions one, the best hit has to cover it, or the query is treated
    // as out of scope. A term does not count inside its exception words (保险 in 保险丝).
    struct OutOfScopeTerm
    {
        QString term;
        QString topic;          // price, insurance, repair ... (for the decision's reason)
        QStringList exceptions; // longer words that contain the term but mean something else
        bool context = false;   // often a side detail: weighs, but does not refuse on its own
    };
    static const QList<OutOfScopeTerm> &outOfScope();
    static const QStringList &outOfScopeTerms(); // the terms of outOfScope()

    // Greetings, thanks, acknowledgements and closings ("嗯嗯", "知道了", "好的", "辛苦"): a query
    // made only of these, stop phrases and particles is small talk, not a question. The one list
    // of them: the search refuses such a query, and the assistant answers it with a short reply
    // chosen by the kind of word (TspVocabulary::smallTalk).
    static const QStringList &conversationalWords();  // all four kinds below
    static const QStringList &greetingWords();        // 你好, 在吗, 有人没 ...
    static const QStringList &thanksWords();          // 谢谢, 辛苦 ...
    static const QStringList &acknowledgementWords(); // 好的, 收到, 明白 ...
    // 再见, "问题已经解决了", "我再试试": the customer closes the conversation or will come back.
    static const QStringList &closingWords();

    // Phone platforms, each with the words that name it (lower case). Entries about the digital
    // key and the app often come in twins, one per platform ("安卓手机…不自动解锁", "iPhone 升级
    // iOS 后蓝牙钥匙失灵"), and the platform the customer names says which.
    static const QList<QPair<QString, QStringList>> &phonePlatforms();
    // The platforms text names (normalised, lower case).
    static QStringList platformsIn(const QString &text);

    // Changes whenever any list above changes; stored with the index so it is rebuilt.
    static QString fingerprint();
};
