#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include "knowledge/knowledgeentry.h"

// A rejected row of an import file.
struct KnowledgeRowError
{
    qint64 line = 0; // 1-based physical line where the row starts; 0 when unknown (JSON array items)
    QString reason;

    bool operator==(const KnowledgeRowError &) const = default;
};

struct KnowledgeParseResult
{
    QList<KnowledgeEntry> entries;
    QList<qint64> lines; // the source line of each entry
    QList<KnowledgeRowError> errors;
    qint64 droppedErrors = 0; // errors beyond kMaxErrors, counted but not listed

    bool ok() const { return errors.isEmpty() && droppedErrors == 0; }
};

// Reading and writing knowledge files. No database: the parsers are pure functions over bytes
// (fuzzed by tests/fuzz/fuzz_knowledgeimport.cpp).
//
// JSONL (.jsonl, .ndjson, and .json that does not start with '['): one JSON object per line
// (LF or CRLF ends a line), the fields of shared/data/tsp-knowledge.jsonl plus optional "source".
// Blank lines are skipped.
// JSON (.json starting with '['): an array of the same objects.
// CSV (.csv): RFC 4180 (fields with comma, quote or line break are quoted; "" is a quote inside
// a quoted field). CRLF, LF or a lone CR ends a line, for the row ends and for the line numbers
// in errors alike. The first row is the header and names the columns, in any order: id, title,
// category, vehicle_models, symptoms, cause, solution, tags, source, updated_at (id and title
// required; unknown columns are ignored).
// A list cell (vehicle_models, symptoms, tags) is either items joined with '|' ("车机|T-Box"), or
// a JSON array of strings when it starts with '[' (needed when an item contains '|').
// Export writes '|' unless an item contains '|' or starts with '[', then a JSON array.
//
// A UTF-8 BOM is skipped at the very start of a file only; a second one (typically where two
// files were joined) is an error with its line: in CSV it starts a field (a header cell or a
// value), in JSON it is outside a string or starts one. No value (nor list item) may start with
// U+FEFF, however written (raw or \ufeff): SQLite would drop it on storage, so "\uFEFFK2" would
// silently become, and overwrite, "K2". U+FEFF inside a value is kept.
//
// Every row is checked: valid UTF-8 (anywhere in the row), valid JSON/CSV, an object, id and
// title present and non-empty strings, no string with a lone surrogate (a \ud800 escape without
// its pair is not text) or starting with U+FEFF, every field of the right type and size, source
// one of imported/operator/promoted/bitable, updated_at ISO-8601, and no id twice in one file.
class KnowledgeFormat
{
public:
    enum class Format { Unknown, Jsonl, Json, Csv };

    static Format formatForPath(const QString &path);
    static QString formatName(Format format);

    static KnowledgeParseResult parse(const QByteArray &data, Format format);
    static KnowledgeParseResult parseJsonl(const QByteArray &data);
    static KnowledgeParseResult parseJsonArray(const QByteArray &data);
    static KnowledgeParseResult parseCsv(const QByteArray &data);

    // One JSON object -> entry, with the checks above. Returns false and sets *error otherwise.
    static bool entryFromJson(const QJsonObject &object, KnowledgeEntry *entry, QString *error);
    // Checks an entry built in code (operator edits): empty when it is acceptable.
    static QString validate(const KnowledgeEntry &entry);

    // Field order as in the shared data; compact, UTF-8, `": "` and `", "` like Python's json.dumps.
    static QByteArray toJsonLine(const KnowledgeEntry &entry);
    static QByteArray toJsonl(const QList<KnowledgeEntry> &entries);
    static QByteArray toJsonArray(const QList<KnowledgeEntry> &entries);
    // With a UTF-8 BOM (spreadsheets need it to read Chinese) and CRLF line ends.
    static QByteArray toCsv(const QList<KnowledgeEntry> &entries);
    static QByteArray serialize(const QList<KnowledgeEntry> &entries, Format format);

    static const QStringList &csvColumns();
    static const QStringList &sources();

    static constexpr qsizetype kMaxFileBytes = qsizetype(1) << 30; // 1 GiB
    static constexpr qsizetype kMaxRecordBytes = qsizetype(1) << 20;
    static constexpr qsizetype kMaxErrors = 1000;
    static constexpr qsizetype kMaxIdLength = 128;
    static constexpr qsizetype kMaxShortText = 1000;  // title, category, list items
    static constexpr qsizetype kMaxLongText = 100000; // cause, solution
    static constexpr qsizetype kMaxListItems = 500;
};
