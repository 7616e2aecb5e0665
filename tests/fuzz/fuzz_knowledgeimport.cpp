// libFuzzer target: the knowledge import parsers (KnowledgeFormat::parseJsonl, parseCsv and
// parseJsonArray) on arbitrary bytes. The first byte chooses the parser; the rest is the file.
// Invariants besides "no crash, no sanitizer report":
//  - every rejected row has a reason, and at most kMaxErrors are listed (the rest are counted);
//  - each accepted entry has a source line (JSONL/CSV: >= 1), passes validate(), and no id is
//    accepted twice;
//  - the accepted entries survive export and re-import unchanged in all three formats
//    (parse(serialize(entries, f)) == entries, with no errors).
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
    switch (data[0] % 3) {
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
    if (!result.entries.isEmpty())
        checkRoundTrip(result.entries);
    return 0;
}
