#include "knowledge/kbcommand.h"

#include <optional>

#include <QFileInfo>

#include "knowledge/knowledgebase.h"
#include "knowledge/knowledgesearch.h"
#include "storage/database.h"

using namespace Qt::Literals::StringLiterals;

namespace {

int badUsage(QTextStream &err, const QString &problem)
{
    err << "tsp-assistant kb: " << problem << "\n" << KbCommand::usage();
    err.flush();
    return KbCommand::kUsage;
}

QString jsonString(const QString &s)
{
    QString out = u"\""_s;
    for (const QChar c : s) {
        switch (c.unicode()) {
        case '"':
            out += u"\\\""_s;
            break;
        case '\\':
            out += u"\\\\"_s;
            break;
        case '\n':
            out += u"\\n"_s;
            break;
        case '\r':
            out += u"\\r"_s;
            break;
        case '\t':
            out += u"\\t"_s;
            break;
        default:
            if (c.unicode() < 0x20)
                out += u"\\u%1"_s.arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    return out + u"\""_s;
}

// Display width of a string in a terminal: CJK characters take two columns.
int displayWidth(const QString &s)
{
    int w = 0;
    for (const QChar c : s)
        w += (c.unicode() >= 0x1100 &&
              (c.unicode() <= 0x115f || (c.unicode() >= 0x2e80 && c.unicode() <= 0xa4cf) ||
               (c.unicode() >= 0xac00 && c.unicode() <= 0xd7a3) ||
               (c.unicode() >= 0xf900 && c.unicode() <= 0xfaff) ||
               (c.unicode() >= 0xff00 && c.unicode() <= 0xff60)))
                 ? 2
                 : 1;
    return w;
}

QString pad(const QString &s, int width)
{
    return s + QString(std::max(0, width - displayWidth(s)), QLatin1Char(' '));
}

int runImport(Database &db, const QStringList &args, QTextStream &out, QTextStream &err)
{
    if (args.size() != 1)
        return badUsage(err, u"import takes one FILE"_s);
    const QString path = args.front();
    if (KnowledgeFormat::formatForPath(path) == KnowledgeFormat::Format::Unknown)
        return badUsage(err, u"%1: unknown file type (use .jsonl, .json or .csv)"_s.arg(path));
    KnowledgeBase kb(db);
    int lastPercent = -1;
    const KnowledgeImportReport report =
        kb.importFile(path, u"cli"_s, [&err, &lastPercent](qint64 done, qint64 total) {
            const int percent = total > 0 ? int(done * 100 / total) : 100;
            if (percent == lastPercent || (percent % 10 != 0 && done != total))
                return;
            lastPercent = percent;
            err << "importing: " << done << "/" << total << " (" << percent << "%)\n";
            err.flush();
        });
    if (!report.ok) {
        for (const KnowledgeRowError &e : report.errors) {
            if (e.line > 0)
                err << path << ":" << e.line << ": " << e.reason << "\n";
            else
                err << path << ": " << e.reason << "\n";
        }
        if (report.droppedErrors > 0)
            err << path << ": ... and " << report.droppedErrors << " more errors\n";
        err << "tsp-assistant kb import: " << report.error << "\n";
        err.flush();
        return KbCommand::kFailed;
    }
    out << "imported " << report.total << " entries from " << path << " (" << report.created << " created, "
        << report.updated << " updated, " << report.unchanged << " unchanged); the knowledge base has "
        << kb.count() << " entries\n";
    out.flush();
    return KbCommand::kOk;
}

int runExport(Database &db, const QStringList &args, QTextStream &out, QTextStream &err)
{
    if (args.size() != 1)
        return badUsage(err, u"export takes one FILE"_s);
    const QString path = args.front();
    if (KnowledgeFormat::formatForPath(path) == KnowledgeFormat::Format::Unknown)
        return badUsage(err, u"%1: unknown file type (use .jsonl, .json or .csv)"_s.arg(path));
    KnowledgeBase kb(db);
    QString error;
    qint64 count = 0;
    if (!kb.exportFile(path, &error, &count)) {
        err << "tsp-assistant kb export: " << error << "\n";
        err.flush();
        return KbCommand::kFailed;
    }
    out << "exported " << count << " entries to " << path << "\n";
    out.flush();
    return KbCommand::kOk;
}

int runSearch(Database &db, const QStringList &args, QTextStream &out, QTextStream &err,
              const EmbeddingOptions &emb, KnowledgeSearch *shared)
{
    int top = 5;
    bool json = false;
    QStringList words;
    bool optionsDone = false;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (!optionsDone && a == u"--"_s) {
            optionsDone = true;
        } else if (!optionsDone && a == u"--json"_s) {
            json = true;
        } else if (!optionsDone && (a == u"--top"_s || a.startsWith(u"--top="_s))) {
            QString value;
            if (a == u"--top"_s) {
                if (i + 1 >= args.size())
                    return badUsage(err, u"--top needs a number"_s);
                value = args.at(++i);
            } else {
                value = a.mid(6);
            }
            bool ok = false;
            top = value.toInt(&ok);
            if (!ok || top < 1 || top > KbCommand::kMaxTop)
                return badUsage(err, u"--top must be a number from 1 to %1"_s.arg(KbCommand::kMaxTop));
        } else if (!optionsDone && a.startsWith(u"-"_s) && a.size() > 1) {
            return badUsage(err, u"unknown option %1"_s.arg(a));
        } else {
            words << a;
        }
    }
    const QString query = words.join(QLatin1Char(' ')).trimmed();
    if (query.isEmpty())
        return badUsage(err, u"search needs a QUERY"_s);

    KnowledgeBase kb(db);
    QString error;
    if (!kb.ensureIndex(&error)) {
        err << "tsp-assistant kb search: " << error << "\n";
        err.flush();
        return KbCommand::kFailed;
    }
    std::optional<KnowledgeSearch> own;
    if (!shared) {
        own.emplace(db);
        if (emb.isEnabled())
            own->setEmbeddingOptions(emb);
    }
    const KnowledgeSearchResult result = (shared ? *shared : *own).search(query, top);
    if (json) {
        QString line = u"{\"query\":"_s + jsonString(query) + u",\"results\":["_s;
        for (qsizetype i = 0; i < result.hits.size(); ++i) {
            const KnowledgeHit &h = result.hits.at(i);
            if (i)
                line += QLatin1Char(',');
            line += u"{\"id\":"_s + jsonString(h.entry.id) + u",\"title\":"_s + jsonString(h.entry.title) +
                    u",\"score\":"_s + QString::number(h.score, 'f', 4) + QLatin1Char('}');
        }
        line += u"],\"answerable\":"_s + (result.answerable ? u"true"_s : u"false"_s) + QLatin1Char('}');
        out << line << "\n";
        out.flush();
        return KbCommand::kOk;
    }
    if (result.hits.isEmpty()) {
        out << "no matching entries (" << result.reason << ")\n";
    } else {
        int idWidth = 2;
        for (const KnowledgeHit &h : result.hits)
            idWidth = std::max(idWidth, displayWidth(h.entry.id));
        out << pad(u"#"_s, 3) << pad(u"score"_s, 8) << pad(u"cover"_s, 7) << pad(u"id"_s, idWidth + 2)
            << "title\n";
        for (qsizetype i = 0; i < result.hits.size(); ++i) {
            const KnowledgeHit &h = result.hits.at(i);
            out << pad(QString::number(i + 1), 3) << pad(QString::number(h.score, 'f', 3), 8)
                << pad(QString::number(qRound(h.coverage * 100)) + u"%"_s, 7) << pad(h.entry.id, idWidth + 2)
                << h.entry.title << "\n";
        }
        out << "answerable: " << (result.answerable ? "yes" : "no") << " (" << result.reason << ")\n";
    }
    out.flush();
    return KbCommand::kOk;
}

} // namespace

QString KbCommand::usage()
{
    return u"usage: tsp-assistant kb import FILE          import knowledge (.jsonl, .json or .csv)\n"
           "       tsp-assistant kb export FILE          export knowledge (.jsonl, .json or .csv)\n"
           "       tsp-assistant kb search [--top K] [--json] QUERY\n"
           "                                             ranked hits (default top 5); --json prints one object\n"_s;
}

int KbCommand::run(Database &db, const QStringList &args, QTextStream &out, QTextStream &err,
                   const EmbeddingOptions &embeddings, KnowledgeSearch *search)
{
    out.setEncoding(QStringConverter::Utf8);
    err.setEncoding(QStringConverter::Utf8);
    // The program's global options may be left in by the caller; they are not ours.
    QStringList own;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a == u"--data-dir"_s || a == u"--env-file"_s) {
            ++i;
            continue;
        }
        if (a.startsWith(u"--data-dir="_s) || a.startsWith(u"--env-file="_s))
            continue;
        own << a;
    }
    if (own.isEmpty())
        return badUsage(err, u"missing command"_s);
    const QString command = own.front();
    const QStringList rest = own.mid(1);
    if (command == u"import"_s)
        return runImport(db, rest, out, err);
    if (command == u"export"_s)
        return runExport(db, rest, out, err);
    if (command == u"search"_s)
        return runSearch(db, rest, out, err, embeddings, search);
    if (command == u"--help"_s || command == u"-h"_s || command == u"help"_s) {
        out << usage();
        out.flush();
        return kOk;
    }
    return badUsage(err, u"unknown command \"%1\""_s.arg(command));
}
