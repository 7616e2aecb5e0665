// The knowledge editor at scale (#11: "it stays fast at 100,000 entries"): the real
// KnowledgeDesk and KnowledgePage (offscreen) over a SQLite file holding N generated entries
// (KbGenerator, as bench_knowledge). Not a test: it reports figures. Run by hand:
//   QT_QPA_PLATFORM=offscreen build-ci/tests/bench/bench_knowledgepage [--entries=100000] [--repeat=30]
// Measured, each from the call to the painted table (events processed):
//  - the page built and shown (the first page of rows, the categories);
//  - scrolling: each further page of rows fetched (canFetchMore/fetchMore) as the view reaches it;
//  - a search (the bot's retrieval over the whole base, on the desk's worker), with realistic
//    queries: to the hits painted, and how long the call held the event loop;
//  - a category filter;
//  - opening an entry (form, similar entries, version history);
//  - VmRSS before and with the page.
#include <QApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextStream>

#include "benchsupport.h"
#include "desk/knowledgedesk.h"
#include "kbgenerator.h"
#include "knowledge/knowledgebase.h"
#include "knowledge/knowledgeformat.h"
#include "knowledge/knowledgepage.h"
#include "knowledge/knowledgetablemodel.h"
#include "storage/database.h"

using namespace Qt::Literals::StringLiterals;

namespace {

double msSince(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

// Runs what the call posted (model resets, layout, paint) before the clock stops.
void settle()
{
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
}

QString mb(qint64 kb)
{
    return QString::number(double(kb) / 1024.0, 'f', 1) + u" MB"_s;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"tsp.*.info=false"_s);
    const QStringList args = app.arguments().mid(1);
    const int entries = Bench::intOption(args, u"entries"_s, 100000);
    const int repeat = qMax(1, Bench::intOption(args, u"repeat"_s, 30));
    QTextStream out(stdout);

    const QList<KnowledgeEntry> base = KbGenerator::templates();
    if (base.isEmpty()) {
        out << "cannot read the demo knowledge base\n";
        return 1;
    }
    QTemporaryDir dir;
    const QString jsonl = dir.filePath(u"entries.jsonl"_s);
    {
        const QByteArray data = KnowledgeFormat::toJsonl(KbGenerator::generate(entries, base));
        QFile f(jsonl);
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size()) {
            out << "cannot write " << jsonl << "\n";
            return 1;
        }
    }
    Database db(u"bench"_s);
    Database::Location loc;
    loc.kind = Database::Location::Sqlite;
    loc.sqlitePath = dir.filePath(u"bench.db"_s);
    if (!db.open(loc)) {
        out << "cannot open the database: " << db.errorString() << "\n";
        return 1;
    }
    KnowledgeBase kb(db);
    QElapsedTimer t;
    t.start();
    const KnowledgeImportReport report = kb.importFile(jsonl, u"bench"_s);
    if (!report.ok) {
        out << "import failed: " << report.error << "\n";
        return 1;
    }
    out << "imported " << report.created << " entries in " << QString::number(msSince(t) / 1000.0, 'f', 1)
        << " s\n";
    out.flush();

    const Bench::Memory before = Bench::memoryOf(QCoreApplication::applicationPid());
    KnowledgeDesk desk(db, kb);
    t.restart();
    KnowledgePage page(&desk);
    page.resize(1280, 760);
    page.show();
    settle();
    auto *table = page.findChild<QTableView *>();
    KnowledgeTableModel *model = page.model();
    out << "page built and shown: " << QString::number(msSince(t), 'f', 1) << " ms; " << model->rowCount()
        << " rows loaded of " << desk.count() << "\n";

    // Scrolling to the bottom, page by page, as a person dragging the scroll bar would.
    std::vector<double> fetches;
    for (int i = 0; i < repeat && model->canFetchMore({}); ++i) {
        t.restart();
        table->verticalScrollBar()->setValue(table->verticalScrollBar()->maximum());
        settle();
        fetches.push_back(msSince(t));
    }
    out << "scroll to the bottom (a page of rows fetched and painted): "
        << Bench::formatMs(Bench::percentiles(fetches)) << "; " << model->rowCount() << " rows loaded\n";

    // Searches: what the search box applies (after its debounce) through the model.
    const QStringList queries = KbGenerator::queries(QString::fromUtf8(TSP_SOURCE_DIR));
    // The search runs on the desk's worker: the event loop is held only by the call itself; the
    // hits are painted once the worker delivers them.
    std::vector<double> searches;
    std::vector<double> searchCalls;
    for (int i = 0; i < repeat && !queries.isEmpty(); ++i) {
        t.restart();
        model->setQuery(KnowledgeQuery{queries.at(i % queries.size()), {}});
        searchCalls.push_back(msSince(t));
        while (model->isSearching())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
        settle();
        searches.push_back(msSince(t));
    }
    out << "search (" << queries.size()
        << " queries available), to the hits painted: " << Bench::formatMs(Bench::percentiles(searches))
        << "\n";
    out << "  of which the event loop was held by the call: "
        << Bench::formatMs(Bench::percentiles(searchCalls)) << "\n";

    const QStringList categories = desk.categories();
    std::vector<double> filters;
    for (int i = 0; i < repeat && !categories.isEmpty(); ++i) {
        t.restart();
        model->setQuery(KnowledgeQuery{{}, categories.at(i % categories.size())});
        settle();
        filters.push_back(msSince(t));
    }
    out << "category filter (" << categories.size()
        << " categories): " << Bench::formatMs(Bench::percentiles(filters)) << "\n";
    model->setQuery(KnowledgeQuery{});
    settle();

    std::vector<double> opens;
    for (int i = 0; i < repeat; ++i) {
        const QString id = u"KB-%1"_s.arg(1 + (qint64(i) * 7919) % entries, 6, 10, QLatin1Char('0'));
        t.restart();
        page.openEntry(id);
        settle();
        opens.push_back(msSince(t));
    }
    out << "open an entry (form, similar entries, history): " << Bench::formatMs(Bench::percentiles(opens))
        << "\n";

    const Bench::Memory after = Bench::memoryOf(QCoreApplication::applicationPid());
    out << "VmRSS before the page " << mb(before.rssKb) << ", with the page " << mb(after.rssKb) << "\n";
    return 0;
}
