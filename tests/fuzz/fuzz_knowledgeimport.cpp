// libFuzzer target: the knowledge import parsers (KnowledgeFormat::parseJsonl, parseCsv and
// parseJsonArray) on arbitrary bytes. The first byte chooses the parser; the rest is the file.
// Invariants besides "no crash, no sanitizer report":
//  - every rejected row has a reason, and at most kMaxErrors are listed (the rest are counted);
//  - each accepted entry has a source line (JSONL/CSV: >= 1), passes validate(), and no id is
//    accepted twice;
//  - the accepted entries survive export and re-import unchanged in all three formats
//    (parse(serialize(entries, f)) == entries, with no errors);
//  - invalid UTF-8 is never accepted as U+FFFD (unless the input holds one, or a \u escape that
//    may stand for one), in all three formats.
// Seeds for bugs this found, fixed in core/knowledge: csv_bom_mid_file (a value starting with
// U+FEFF, which QJsonDocument::fromJson and SQLite drop, is now rejected), csv_lone_cr_invalid_utf8
// (the CSV UTF-8 check now numbers lines like the reader: CRLF, LF or a lone CR) and
// jsonl_lone_surrogate_escape (a lone surrogate, which export wrote as '?', is now rejected).
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include <QLoggingCategory>
#include <QSet>

#include "knowledge/knowledgeformat.h"

namespace {

[[noreturn]] void fail()
{
    std::abort();
}

void check(const KnowledgeParseResult &r, bool hasLines)
{
    if (r.entries.size() != r.lines.size())
        fail();
    if (r.errors.size() > KnowledgeFormat::kMaxErrors || r.droppedErrors < 0)
        fail();
    if (r.droppedErrors > 0 && r.errors.size() != KnowledgeFormat::kMaxErrors)
        fail();
    for (const KnowledgeRowError &e : r.errors) {
        if (e.reason.isEmpty() || e.line < 0)
            fail();
    }
    QSet<QString> ids;
    for (qsizetype i = 0; i < r.entries.size(); ++i) {
        const KnowledgeEntry &e = r.entries.at(i);
        if (!KnowledgeFormat::validate(e).isEmpty())
            fail();
        if (ids.contains(e.id))
            fail();
        ids.insert(e.id);
        if (hasLines && r.lines.at(i) < 1)
            fail();
    }
}

bool holdsReplacementChar(const KnowledgeEntry &e)
{
    const QChar r(QChar::ReplacementCharacter);
    for (const QString *s : {&e.id, &e.title, &e.category, &e.cause, &e.solution, &e.source, &e.updatedAt}) {
        if (s->contains(r))
            return true;
    }
    for (const QStringList *list : {&e.vehicleModels, &e.symptoms, &e.tags}) {
        for (const QString &item : *list) {
            if (item.contains(r))
                return true;
        }
    }
    return false;
}

void checkRoundTrip(const QList<KnowledgeEntry> &entries)
{
    using F = KnowledgeFormat::Format;
    for (const F format : {F::Jsonl, F::Json, F::Csv}) {
        const QByteArray bytes = KnowledgeFormat::serialize(entries, format);
        const KnowledgeParseResult again = KnowledgeFormat::parse(bytes, format);
        if (!again.ok() || again.entries != entries)
            fail();
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    QLoggingCategory::setFilterRules(QStringLiteral("tsp.*=false"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > (1 << 20))
        return 0;
    const QByteArray file(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    KnowledgeParseResult result;
    const int mode = data[0] % 3;
    switch (mode) {
    case 0:
        result = KnowledgeFormat::parseJsonl(file);
        check(result, true);
        break;
    case 1:
        result = KnowledgeFormat::parseCsv(file);
        check(result, true);
        break;
    default:
        result = KnowledgeFormat::parseJsonArray(file);
        check(result, false);
        break;
    }
    if (!file.contains("\xEF\xBF\xBD") && !file.contains("\\u") &&
        std::any_of(result.entries.cbegin(), result.entries.cend(), holdsReplacementChar))
        fail(); // invalid UTF-8 slipped through as U+FFFD
    if (!result.entries.isEmpty())
        checkRoundTrip(result.entries);
    return 0;
}
