// Knowledge base at scale: import of N generated entries (default 100,000), then search latency
// percentiles over realistic queries, and the database size. Not a test: it reports figures.
// Run by hand (nice'd on a shared machine):
//   nice -n 10 ./build-ci/tests/bench/bench_knowledge [entries] [rounds] [--keep DIR] [--invalidate]
// --invalidate drops the search's cached statistics before every round (as after a write).
// The entries are variations of the shipped demo KB (resources/knowledge/tsp-knowledge.jsonl):
// each one takes a ticket's fields, another model, a symptom of a sibling ticket in the same
// category, a unique ticket number and a few words from the KB's own vocabulary, so the posting
// lists and the vocabulary grow as in a real knowledge base. The queries are the dev and extra
// retrieval queries (../shared/data/retrieval-dev.jsonl, tests/retrieval/extra-queries.jsonl),
// or a built-in list when those files are not found.
#include <algorithm>
#include <random>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>

#include "knowledge/knowledgebase.h"
#include "knowledge/knowledgeformat.h"
#include "knowledge/knowledgesearch.h"
#include "storage/database.h"

using namespace Qt::Literals::StringLiterals;

namespace {

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

double percentile(QList<double> sorted, double p)
{
    if (sorted.isEmpty())
        return 0;
    const qsizetype idx =
        std::min<qsizetype>(sorted.size() - 1, qsizetype(p * double(sorted.size() - 1) + 0.5));
    return sorted.at(idx);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"tsp.*.info=false"_s);
    QStringList args = app.arguments().mid(1);
    QString keep;
    const bool invalidate = args.removeAll(u"--invalidate"_s) > 0;
    if (const qsizetype k = args.indexOf(u"--keep"_s); k >= 0 && k + 1 < args.size()) {
        keep = args.at(k + 1);
        args.remove(k, 2);
    }
    const qsizetype n = args.size() > 0 ? args.at(0).toLongLong() : 100000;
    const int rounds = args.size() > 1 ? args.at(1).toInt() : 5;
    QTextStream out(stdout);

    const QList<KnowledgeEntry> base = templates();
    if (base.isEmpty()) {
        out << "cannot read the demo knowledge base\n";
        return 1;
    }
    QTemporaryDir tmp;
    const QString dir = keep.isEmpty() ? tmp.path() : keep;
    QDir().mkpath(dir);
    const QString file = dir + u"/bench-knowledge.jsonl"_s;
    const QString dbPath = dir + u"/bench.db"_s;
    QFile::remove(dbPath);
    QFile::remove(dbPath + u"-wal"_s);
    QFile::remove(dbPath + u"-shm"_s);

    QElapsedTimer t;
    t.start();
    {
        const QByteArray data = KnowledgeFormat::toJsonl(generate(n, base));
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size()) {
            out << "cannot write " << file << "\n";
            return 1;
        }
    }
    out << "generated " << n << " entries (" << QString::number(QFileInfo(file).size() / 1048576.0, 'f', 1)
        << " MB JSONL) in " << t.elapsed() << " ms\n";
    out.flush();

    Database db(u"bench"_s);
    Database::Location loc;
    loc.kind = Database::Location::Sqlite;
    loc.sqlitePath = dbPath;
    if (!db.open(loc)) {
        out << "cannot open the database: " << db.errorString() << "\n";
        return 1;
    }
    KnowledgeBase kb(db);
    t.restart();
    const KnowledgeImportReport report = kb.importFile(file, u"bench"_s);
    const qint64 importMs = t.elapsed();
    if (!report.ok) {
        out << "import failed: " << report.error << "\n";
        return 1;
    }
    out << "import: " << report.created << " entries in " << QString::number(importMs / 1000.0, 'f', 2)
        << " s (" << qint64(double(report.created) * 1000.0 / std::max<qint64>(1, importMs))
        << " entries/s)\n";
    out.flush();

    {
        QSqlQuery q(db.db());
        q.exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s);
    }
    qint64 bytes = 0;
    for (const QString &suffix : {QString(), u"-wal"_s, u"-shm"_s})
        bytes += QFileInfo(dbPath + suffix).size();
    out << "database: " << QString::number(bytes / 1048576.0, 'f', 1) << " MB ("
        << QString::number(double(bytes) / n, 'f', 0) << " bytes/entry)\n";

    const QStringList qs = queries(QString::fromUtf8(TSP_SOURCE_DIR));
    KnowledgeSearch search(db);
    t.restart();
    const KnowledgeSearchResult first = search.search(qs.front(), 5);
    out << "first search (cold statistics): " << QString::number(t.nsecsElapsed() / 1e6, 'f', 2) << " ms, "
        << first.hits.size() << " hits\n";
    QList<double> ms;
    qint64 answerable = 0;
    for (int r = 0; r < rounds; ++r) {
        for (const QString &q : qs) {
            QElapsedTimer one;
            one.start();
            const KnowledgeSearchResult res = search.search(q, 5);
            ms.append(one.nsecsElapsed() / 1e6);
            answerable += res.answerable ? 1 : 0;
        }
        if (invalidate)
            search.invalidate(); // the next round re-reads the statistics like after a write
    }
    std::sort(ms.begin(), ms.end());
    double sum = 0;
    for (const double v : std::as_const(ms))
        sum += v;
    out << "search: " << ms.size() << " searches (" << qs.size() << " queries x " << rounds
        << " rounds), top 5\n"
        << "  p50 " << QString::number(percentile(ms, 0.50), 'f', 2) << " ms, p95 "
        << QString::number(percentile(ms, 0.95), 'f', 2) << " ms, p99 "
        << QString::number(percentile(ms, 0.99), 'f', 2) << " ms, max "
        << QString::number(ms.isEmpty() ? 0 : ms.back(), 'f', 2) << " ms, mean "
        << QString::number(ms.isEmpty() ? 0 : sum / ms.size(), 'f', 2) << " ms; answerable " << answerable
        << "/" << ms.size() << "\n";
    return 0;
}
