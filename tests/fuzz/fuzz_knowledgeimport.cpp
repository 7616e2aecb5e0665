// libFuzzer target: the knowledge import parsers (KnowledgeFormat::parseJsonl, parseCsv and
// parseJsonArray) on arbitrary bytes. The first byte chooses the parser; the rest is the file.
// Invariants besides "no crash, no sanitizer report":
//  - every rejected row has a reason, and at most kMaxErrors are listed (the rest are counted);
//  - each accepted entry has a source line (JSONL/CSV: >= 1), passes validate(), and no id is
//    accepted twice;
//  - the accepted entries survive export and re-import unchanged in all three formats
//    (parse(serialize(entries, f)) == entries, with no errors);
//  - JSONL and JSON: invalid UTF-8 is never accepted as U+FFFD (unless the input holds one, or a
//    \u escape that may stand for one).
// Known issues, exempted here until core/knowledge fixes them (see the ci branch report):
//  - a string value that starts with U+FEFF loses it in QJsonDocument::fromJson, so an entry
//    whose id (or another field) starts with U+FEFF, e.g. a row of a second CSV file that was
//    concatenated with its BOM, changes on the JSON round trip (corpus: csv_bom_mid_file);
//  - parseCsv numbers lines for its UTF-8 check on '\n' only while the reader also ends a row
//    on a lone '\r', so invalid UTF-8 after a lone CR is accepted as U+FFFD (corpus:
//    csv_lone_cr_invalid_utf8); that is why the U+FFFD check is not made for CSV;
//  - a JSON escape of a lone surrogate ("\ud800") is accepted, and export writes it as '?'
//    (corpus: jsonl_lone_surrogate_escape).
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

bool knownBadString(const QString &s)
{
    if (s.startsWith(QChar(0xFEFF)))
        return true;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s.at(i).isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate())
            ++i;
        else if (s.at(i).isSurrogate())
            return true; // a lone surrogate
    }
    return false;
}

bool hitsKnownIssue(const KnowledgeEntry &e)
{
    for (const QString *s : {&e.id, &e.title, &e.category, &e.cause, &e.solution, &e.source, &e.updatedAt}) {
        if (knownBadString(*s))
            return true;
    }
    for (const QStringList *list : {&e.vehicleModels, &e.symptoms, &e.tags}) {
        if (std::any_of(list->cbegin(), list->cend(), knownBadString))
            return true;
    }
    return false;
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
    if (std::any_of(entries.cbegin(), entries.cend(), hitsKnownIssue))
        return; // known issue, see the top of the file
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
    if (mode != 1 && !file.contains("\xEF\xBF\xBD") && !file.contains("\\u") &&
        std::any_of(result.entries.cbegin(), result.entries.cend(), holdsReplacementChar))
        fail(); // invalid UTF-8 slipped through as U+FFFD
    if (!result.entries.isEmpty())
        checkRoundTrip(result.entries);
    return 0;
}
