// Knowledge base at scale: import of N generated entries (default 100,000), then search latency
// percentiles over realistic queries, and the database size. Not a test: it reports figures.
// Run by hand (nice'd on a shared machine):
//   nice -n 10 ./build-ci/tests/bench/bench_knowledge [entries] [rounds] [--keep DIR] [--invalidate]
// --invalidate drops the search's cached statistics before every round (as after a write).
// The entries come from KbGenerator (support/kbgenerator.h), variations of the shipped demo KB:
// each one takes a ticket's fields, another model, a symptom of a sibling ticket in the same
// category, a unique ticket number and a few words from the KB's own vocabulary, so the posting
// lists and the vocabulary grow as in a real knowledge base. The queries are the dev and extra
// retrieval queries (../shared/data/retrieval-dev.jsonl, tests/retrieval/extra-queries.jsonl),
// or a built-in list when those files are not found.
// Last, the assistant's answers to the same queries (no LLM, each after an earlier customer turn):
// the longest the main event loop is held per answer, with the knowledge search on the main
// thread (as the bot searched before the retriever thread) and on a RetrieverThread (as it does now).
#include <algorithm>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include "assistant/assistant.h"
#include "kbgenerator.h"
#include "knowledge/knowledgebase.h"
#include "knowledge/knowledgeformat.h"
#include "knowledge/knowledgesearch.h"
#include "knowledge/retrieverthread.h"
#include "storage/database.h"

using namespace Qt::Literals::StringLiterals;

namespace {

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

    const QList<KnowledgeEntry> base = KbGenerator::templates();
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
        const QByteArray data = KnowledgeFormat::toJsonl(KbGenerator::generate(n, base));
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

    const QStringList qs = KbGenerator::queries(QString::fromUtf8(TSP_SOURCE_DIR));
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
    out.flush();

    // The assistant: per answer, the longest gap between two turns of the main loop (a zero timer
    // fires at every turn) and the time to the answer.
    const auto answers = [&](bool onThread) {
        Assistant assistant(&search);
        std::unique_ptr<RetrieverThread> thread;
        if (onThread) {
            thread = std::make_unique<RetrieverThread>(u"bench-search"_s, RetrieverThread::searchOn(db));
            assistant.setRetrieverThread(thread.get());
        }
        QList<double> held;
        QList<double> latency;
        QElapsedTimer clock;
        clock.start();
        qint64 lastTurn = 0;
        double longest = 0;
        QTimer ticker;
        ticker.setInterval(0);
        QObject::connect(&ticker, &QTimer::timeout, &ticker, [&] {
            const qint64 now = clock.nsecsElapsed();
            longest = std::max(longest, double(now - lastTurn) / 1e6);
            lastTurn = now;
        });
        ticker.start();
        QString previous = qs.back();
        for (const QString &q : qs) {
            AnswerRequest request;
            request.sessionKey = u"oc_bench:ou_bench"_s;
            request.question = q;
            request.history = {ConversationTurn{ConversationTurn::Role::Customer, previous, {}},
                               ConversationTurn{ConversationTurn::Role::Bot, u"好的"_s, {}},
                               ConversationTurn{ConversationTurn::Role::Customer, q, {}}};
            previous = q;
            bool done = false;
            QCoreApplication::processEvents();
            lastTurn = clock.nsecsElapsed();
            longest = 0;
            const qint64 asked = lastTurn;
            assistant.answer(request, [&](const Answer &) { done = true; });
            while (!done)
                QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
            const qint64 now = clock.nsecsElapsed();
            longest = std::max(longest, double(now - lastTurn) / 1e6);
            held.append(longest);
            latency.append(double(now - asked) / 1e6);
        }
        std::sort(held.begin(), held.end());
        std::sort(latency.begin(), latency.end());
        out << (onThread ? "  search on the retriever thread: " : "  search on the main thread:      ")
            << "loop held p50 " << QString::number(percentile(held, 0.50), 'f', 2) << " ms, p99 "
            << QString::number(percentile(held, 0.99), 'f', 2) << " ms, max "
            << QString::number(held.isEmpty() ? 0 : held.back(), 'f', 2) << " ms; answer in p50 "
            << QString::number(percentile(latency, 0.50), 'f', 2) << " ms, p99 "
            << QString::number(percentile(latency, 0.99), 'f', 2) << " ms\n";
        out.flush();
    };
    out << "assistant: " << qs.size() << " answers without an LLM, each after an earlier turn\n";
    answers(false);
    answers(true);
    return 0;
}
