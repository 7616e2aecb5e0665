#include "kbgenerator.h"

#include <algorithm>
#include <random>

#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>

#include "knowledge/knowledgebase.h"
#include "knowledge/knowledgeformat.h"

using namespace Qt::Literals::StringLiterals;

namespace {

QStringList queriesFrom(const QString &path)
{
    QStringList out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    while (!f.atEnd()) {
        const QJsonObject o = QJsonDocument::fromJson(f.readLine()).object();
        if (o.contains(u"query"_s))
            out << o.value(u"query"_s).toString();
    }
    return out;
}

} // namespace

namespace KbGenerator {

QList<KnowledgeEntry> templates()
{
    QFile f(KnowledgeBase::bundledResource());
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return KnowledgeFormat::parseJsonl(f.readAll()).entries;
}

QList<KnowledgeEntry> generate(qsizetype n, const QList<KnowledgeEntry> &base)
{
    std::mt19937 rng(20260101);
    QHash<QString, QList<qsizetype>> byCategory;
    QString vocabulary; // the KB's own CJK characters, as a word source
    for (qsizetype i = 0; i < base.size(); ++i) {
        byCategory[base.at(i).category].append(i);
        const QString text = base.at(i).title + base.at(i).cause;
        for (const QChar c : text) {
            if (c.unicode() >= 0x4e00 && c.unicode() <= 0x9fff)
                vocabulary += c;
        }
    }
    const QStringList models{u"云驰 E5"_s, u"云驰 E7"_s, u"云驰 E7 Pro"_s, u"朔风 T3"_s,
                             u"朔风 T5"_s, u"凌霄 L7"_s, u"青屿 Q1"_s,     u"青屿 Q3"_s,
                             u"远岫 R6"_s, u"铂岸 M8"_s, u"墨川 V5"_s,     u"墨川 V7"_s};
    auto pick = [&rng](qsizetype size) {
        return qsizetype(std::uniform_int_distribution<qsizetype>(0, size - 1)(rng));
    };
    auto word = [&] {
        const qsizetype len = 2 + pick(2);
        QString w;
        for (qsizetype k = 0; k < len; ++k)
            w += vocabulary.at(pick(vocabulary.size()));
        return w;
    };
    QList<KnowledgeEntry> out;
    out.reserve(n);
    for (qsizetype i = 0; i < n; ++i) {
        KnowledgeEntry e = base.at(i % base.size());
        const QList<qsizetype> &siblings = byCategory.value(e.category);
        const KnowledgeEntry &sibling = base.at(siblings.at(pick(siblings.size())));
        e.id = u"KB-%1"_s.arg(i + 1, 6, 10, QLatin1Char('0'));
        const QString model = models.at(pick(models.size()));
        const QString ticket = u"GD-%1"_s.arg(100000 + qsizetype(i));
        e.title = e.title + u"（"_s + model + u" "_s + word() + u"）"_s;
        e.vehicleModels = {model};
        if (!sibling.symptoms.isEmpty())
            e.symptoms.append(sibling.symptoms.at(pick(sibling.symptoms.size())));
        std::shuffle(e.symptoms.begin(), e.symptoms.end(), rng);
        e.cause = e.cause + u" 工单 "_s + ticket + u"，"_s + word() + word();
        e.tags.append(word());
        e.updatedAt = u"2026-%1-%2T10:00:00+08:00"_s.arg(1 + pick(12), 2, 10, QLatin1Char('0'))
                          .arg(1 + pick(28), 2, 10, QLatin1Char('0'));
        out.append(std::move(e));
    }
    return out;
}

QStringList queries(const QString &sourceDir)
{
    QStringList out = queriesFrom(sourceDir + u"/../shared/data/retrieval-dev.jsonl"_s);
    if (out.isEmpty())
        out = queriesFrom(sourceDir + u"/../../shared/data/retrieval-dev.jsonl"_s);
    out += queriesFrom(sourceDir + u"/tests/retrieval/extra-queries.jsonl"_s);
    if (out.isEmpty()) {
        out = {u"车机没网"_s,        u"远程开不了门"_s,   u"app连不上"_s,    u"车钥匙用不了"_s,
               u"T-Box离线怎么办"_s, u"ota升级失败"_s,    u"E-1023"_s,       u"收不到验证吗"_s,
               u"导航不准"_s,        u"充电预约没反应"_s, u"车险怎么理赔"_s, u"esim流量用完了"_s,
               u"ecall误触发"_s,     u"P0562什么意思"_s};
    }
    return out;
}

} // namespace KbGenerator
