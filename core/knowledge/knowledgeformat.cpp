#include "knowledge/knowledgeformat.h"

#include <QDateTime>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QStringDecoder>

using namespace Qt::Literals::StringLiterals;

namespace {

const QByteArray kBom("\xEF\xBB\xBF");

class ErrorSink
{
public:
    explicit ErrorSink(KnowledgeParseResult *result)
        : m_result(result)
    {}
    void add(qint64 line, const QString &reason)
    {
        if (m_result->errors.size() < KnowledgeFormat::kMaxErrors)
            m_result->errors.append({line, reason});
        else
            ++m_result->droppedErrors;
    }

private:
    KnowledgeParseResult *m_result;
};

bool decodeUtf8(QByteArrayView bytes, QString *out)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    *out = decoder.decode(bytes);
    return !decoder.hasError();
}

// Like QString::fromUtf8 (invalid bytes become U+FFFD), but a U+FEFF at the start is text, not
// a BOM to drop: the caller has already skipped the file's BOM.
QString decodeUtf8KeepingBom(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    return decoder.decode(bytes);
}

// A line ends with CRLF, LF or a lone CR. The CSV reader ends a row on each, so its line numbers
// and those of the UTF-8 check must both count lines this way. Returns the length of the line
// end at pos, 0 when there is none.
template<typename Text> qsizetype lineEndAt(const Text &text, qsizetype pos)
{
    if (text[pos] == u'\n')
        return 1;
    if (text[pos] != u'\r')
        return 0;
    return pos + 1 < text.size() && text[pos + 1] == u'\n' ? 2 : 1;
}

// Empty, or why s is not valid text: half a surrogate pair without the other half (only a JSON
// \u escape can make one; export would write it as '?').
QString loneSurrogateProblem(const QString &s)
{
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c.isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate()) {
            ++i;
            continue;
        }
        if (c.isSurrogate())
            return u"contains a lone surrogate (\\u%1), which is not valid text"_s.arg(c.unicode(), 4, 16,
                                                                                       QLatin1Char('0'));
    }
    return {};
}

// QJsonDocument::fromJson, except that a U+FEFF at the start of a string reaches the checks
// (fromJson takes it for a BOM and drops it) and one outside a string is an error. Sets *error
// (empty when the text parsed) and *errorOffset (a byte offset into json).
QJsonDocument parseJson(QByteArrayView json, QString *error, qsizetype *errorOffset = nullptr)
{
    error->clear();
    auto fail = [&](const QString &reason, qsizetype offset) {
        *error = reason;
        if (errorOffset)
            *errorOffset = offset;
        return QJsonDocument();
    };
    // Writes each U+FEFF inside a string as \ufeff (the same string), notes where (in json) so that
    // an error offset can be mapped back, and rejects one outside a string (fromJson would skip
    // it at the start of the text). Multi-byte UTF-8 sequences never contain '"' or '\\'.
    QByteArray text;
    QList<qsizetype> escaped; // offsets in json of the BOMs written as \ufeff
    if (json.contains(kBom)) {
        text.reserve(json.size() + 16);
        bool inString = false;
        for (qsizetype i = 0; i < json.size(); ++i) {
            const char c = json.at(i);
            if (c == kBom.front() && json.sliced(i).startsWith(kBom)) {
                if (!inString)
                    return fail(u"a byte order mark (U+FEFF) outside a string"_s, i);
                escaped << i;
                text += "\\ufeff";
                i += kBom.size() - 1;
                continue;
            }
            text += c;
            if (inString && c == '\\' && i + 1 < json.size()) {
                text += json.at(++i);
                continue;
            }
            if (c == '"')
                inString = !inString;
        }
    } else {
        text = json.toByteArray();
    }
    QJsonParseError pe;
    QJsonDocument doc = QJsonDocument::fromJson(text, &pe);
    if (pe.error != QJsonParseError::NoError) {
        // Each \ufeff before the error is 3 bytes longer than the BOM it stands for.
        qsizetype offset = pe.offset;
        qsizetype longer = 0; // how much longer text is than json before offset
        for (const qsizetype at : escaped) {
            if (offset < at + longer + 6) {
                offset = std::min(offset, at + longer); // within a \ufeff: at its start
                break;
            }
            longer += 3;
        }
        return fail(pe.errorString(), offset - longer);
    }
    return doc;
}

// A value may not start with U+FEFF: only the start of a file may have a byte order mark (a
// second one is most likely where two files were joined), and the database would drop it
// anyway (SQLite strips a leading U+FEFF from UTF-16 text), so "\uFEFFK2" would be stored as,
// and overwrite, "K2".
bool startsWithBom(const QString &s)
{
    return s.startsWith(QChar(0xFEFF));
}

const QString kBomProblem =
    u"starts with a byte order mark (U+FEFF): only the start of the file may have one"_s;

bool hasControlChars(const QString &s)
{
    for (QChar c : s) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return true;
    }
    return false;
}

// Adds the entry unless its id was seen before in this file.
void accept(KnowledgeParseResult *result, ErrorSink *sink, QHash<QString, qint64> *seen,
            KnowledgeEntry &&entry, qint64 line, const QString &where)
{
    const auto it = seen->constFind(entry.id);
    if (it != seen->constEnd()) {
        sink->add(line,
                  it.value() > 0
                      ? u"%1duplicate id \"%2\" (first on line %3)"_s.arg(where, entry.id).arg(it.value())
                      : u"%1duplicate id \"%2\""_s.arg(where, entry.id));
        return;
    }
    seen->insert(entry.id, line);
    result->entries.append(std::move(entry));
    result->lines.append(line);
}

bool readString(const QJsonObject &o, const QString &key, bool required, qsizetype maxLength, QString *out,
                QString *error)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull()) {
        if (required) {
            *error = u"missing \"%1\""_s.arg(key);
            return false;
        }
        out->clear();
        return true;
    }
    if (!v.isString()) {
        *error = u"\"%1\" must be a string"_s.arg(key);
        return false;
    }
    *out = v.toString();
    if (required && out->trimmed().isEmpty()) {
        *error = u"\"%1\" is empty"_s.arg(key);
        return false;
    }
    if (const QString problem = loneSurrogateProblem(*out); !problem.isEmpty()) {
        *error = u"\"%1\" %2"_s.arg(key, problem);
        return false;
    }
    if (startsWithBom(*out)) {
        *error = u"\"%1\" %2"_s.arg(key, kBomProblem);
        return false;
    }
    if (out->size() > maxLength) {
        *error = u"\"%1\" is longer than %2 characters"_s.arg(key).arg(maxLength);
        return false;
    }
    return true;
}

bool readList(const QJsonObject &o, const QString &key, QStringList *out, QString *error)
{
    out->clear();
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isArray()) {
        *error = u"\"%1\" must be an array of strings"_s.arg(key);
        return false;
    }
    const QJsonArray a = v.toArray();
    if (a.size() > KnowledgeFormat::kMaxListItems) {
        *error = u"\"%1\" has more than %2 items"_s.arg(key).arg(KnowledgeFormat::kMaxListItems);
        return false;
    }
    for (const QJsonValue &item : a) {
        if (!item.isString()) {
            *error = u"\"%1\" must be an array of strings"_s.arg(key);
            return false;
        }
        if (item.toString().size() > KnowledgeFormat::kMaxShortText) {
            *error = u"an item of \"%1\" is longer than %2 characters"_s.arg(key).arg(
                KnowledgeFormat::kMaxShortText);
            return false;
        }
        if (const QString problem = loneSurrogateProblem(item.toString()); !problem.isEmpty()) {
            *error = u"an item of \"%1\" %2"_s.arg(key, problem);
            return false;
        }
        if (startsWithBom(item.toString())) {
            *error = u"an item of \"%1\" %2"_s.arg(key, kBomProblem);
            return false;
        }
        *out << item.toString();
    }
    return true;
}

QByteArray jsonString(const QString &s)
{
    QByteArray out;
    out.reserve(s.size() * 3 + 2);
    out += '"';
    const QByteArray utf8 = s.toUtf8();
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (c < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xf];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
    return out;
}

QByteArray jsonList(const QStringList &list)
{
    QByteArray out = "[";
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i)
            out += ", ";
        out += jsonString(list.at(i));
    }
    out += ']';
    return out;
}

// ---- CSV ----

struct CsvRecord
{
    QStringList fields;
    qint64 line = 0;     // where the record starts
    qint64 lastLine = 0; // where it ends
    QString error;
};

// RFC 4180 reader over decoded text. Never allocates more than the input.
class CsvReader
{
public:
    explicit CsvReader(const QString &text)
        : m_text(text)
    {}
    bool atEnd() const { return m_pos >= m_text.size(); }

    CsvRecord next()
    {
        CsvRecord rec;
        rec.line = m_line;
        QString field;
        bool quoted = false;    // inside a quoted field
        bool wasQuoted = false; // the current field was quoted (and closed)
        qsizetype recordChars = 0;
        const qsizetype n = m_text.size();
        while (m_pos < n) {
            const QChar c = m_text.at(m_pos);
            if (++recordChars > KnowledgeFormat::kMaxRecordBytes && rec.error.isEmpty())
                rec.error = u"the row is longer than %1 characters"_s.arg(KnowledgeFormat::kMaxRecordBytes);
            if (quoted) {
                if (c == QLatin1Char('"')) {
                    if (m_pos + 1 < n && m_text.at(m_pos + 1) == QLatin1Char('"')) {
                        field += QLatin1Char('"');
                        m_pos += 2;
                        continue;
                    }
                    quoted = false;
                    wasQuoted = true;
                    ++m_pos;
                    continue;
                }
                if (lineEndAt(m_text, m_pos) == 1)
                    ++m_line; // at LF or a lone CR (a CR followed by LF is counted at the LF)
                field += c;
                ++m_pos;
                continue;
            }
            if (c == QLatin1Char(',')) {
                rec.fields << field;
                field.clear();
                wasQuoted = false;
                ++m_pos;
                continue;
            }
            if (const qsizetype eol = lineEndAt(m_text, m_pos)) {
                m_pos += eol;
                rec.lastLine = m_line;
                ++m_line;
                rec.fields << field;
                return rec;
            }
            if (c == QLatin1Char('"') && field.isEmpty() && !wasQuoted) {
                quoted = true;
                ++m_pos;
                continue;
            }
            if (wasQuoted && rec.error.isEmpty())
                rec.error = u"unexpected text after a closing quote"_s;
            field += c;
            ++m_pos;
        }
        if (quoted && rec.error.isEmpty())
            rec.error = u"a quoted field is not closed"_s;
        rec.lastLine = m_line;
        rec.fields << field;
        return rec;
    }

private:
    const QString &m_text;
    qsizetype m_pos = 0;
    qint64 m_line = 1;
};

bool csvListToJson(const QString &cell, QJsonValue *out, QString *error)
{
    const QString t = cell.trimmed();
    if (t.isEmpty()) {
        *out = QJsonValue();
        return true;
    }
    if (t.startsWith(QLatin1Char('['))) {
        QString jsonError;
        const QJsonDocument doc = parseJson(t.toUtf8(), &jsonError);
        if (!jsonError.isEmpty() || !doc.isArray()) {
            *error = u"not a valid JSON array"_s;
            return false;
        }
        *out = doc.array(); // item types are checked by entryFromJson
        return true;
    }
    QJsonArray a;
    const QStringList parts = t.split(QLatin1Char('|'));
    for (const QString &p : parts) {
        const QString item = p.trimmed();
        if (!item.isEmpty())
            a.append(item);
    }
    *out = a;
    return true;
}

QByteArray csvField(const QString &s)
{
    const bool needsQuotes = s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')) ||
                             s.contains(QLatin1Char('\n')) || s.contains(QLatin1Char('\r')) ||
                             (!s.isEmpty() && (s.front().isSpace() || s.back().isSpace()));
    if (!needsQuotes)
        return s.toUtf8();
    QString q = s;
    q.replace(QLatin1String("\""), QLatin1String("\"\""));
    return '"' + q.toUtf8() + '"';
}

QString csvList(const QStringList &list)
{
    bool needJson = false;
    for (const QString &item : list)
        needJson = needJson || item.contains(QLatin1Char('|')) || item.trimmed() != item || item.isEmpty();
    if (!list.isEmpty() && list.front().startsWith(QLatin1Char('[')))
        needJson = true;
    if (needJson)
        return QString::fromUtf8(jsonList(list));
    return list.join(QLatin1Char('|'));
}

} // namespace

const QStringList &KnowledgeFormat::csvColumns()
{
    static const QStringList columns = {u"id"_s,       u"title"_s,     u"category"_s, u"vehicle_models"_s,
                                        u"symptoms"_s, u"cause"_s,     u"solution"_s, u"tags"_s,
                                        u"source"_s,   u"updated_at"_s};
    return columns;
}

const QStringList &KnowledgeFormat::sources()
{
    static const QStringList list = {u"imported"_s, u"operator"_s, u"promoted"_s, u"bitable"_s};
    return list;
}

KnowledgeFormat::Format KnowledgeFormat::formatForPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("jsonl") || suffix == QLatin1String("ndjson"))
        return Format::Jsonl;
    if (suffix == QLatin1String("json"))
        return Format::Json;
    if (suffix == QLatin1String("csv"))
        return Format::Csv;
    return Format::Unknown;
}

QString KnowledgeFormat::formatName(Format format)
{
    switch (format) {
    case Format::Jsonl:
        return u"JSONL"_s;
    case Format::Json:
        return u"JSON"_s;
    case Format::Csv:
        return u"CSV"_s;
    case Format::Unknown:
        break;
    }
    return u"unknown"_s;
}

bool KnowledgeFormat::entryFromJson(const QJsonObject &o, KnowledgeEntry *entry, QString *error)
{
    KnowledgeEntry e;
    if (!readString(o, u"id"_s, true, kMaxIdLength, &e.id, error))
        return false;
    e.id = e.id.trimmed();
    if (hasControlChars(e.id)) {
        *error = u"\"id\" contains control characters"_s;
        return false;
    }
    if (startsWithBom(e.id)) { // after spaces
        *error = u"\"id\" "_s + kBomProblem;
        return false;
    }
    if (!readString(o, u"title"_s, true, kMaxShortText, &e.title, error) ||
        !readString(o, u"category"_s, false, kMaxShortText, &e.category, error) ||
        !readList(o, u"vehicle_models"_s, &e.vehicleModels, error) ||
        !readList(o, u"symptoms"_s, &e.symptoms, error) ||
        !readString(o, u"cause"_s, false, kMaxLongText, &e.cause, error) ||
        !readString(o, u"solution"_s, false, kMaxLongText, &e.solution, error) ||
        !readList(o, u"tags"_s, &e.tags, error))
        return false;
    QString source;
    if (!readString(o, u"source"_s, false, 32, &source, error))
        return false;
    if (!source.isEmpty()) {
        if (!sources().contains(source)) {
            *error = u"\"source\" must be one of %1"_s.arg(sources().join(u", "_s));
            return false;
        }
        e.source = source;
    }
    if (!readString(o, u"updated_at"_s, false, 64, &e.updatedAt, error))
        return false;
    if (!e.updatedAt.isEmpty() && !QDateTime::fromString(e.updatedAt, Qt::ISODateWithMs).isValid()) {
        *error = u"\"updated_at\" is not an ISO-8601 date-time: %1"_s.arg(e.updatedAt.left(40));
        return false;
    }
    *entry = std::move(e);
    return true;
}

QString KnowledgeFormat::validate(const KnowledgeEntry &e)
{
    if (e.id.trimmed().isEmpty())
        return u"the id is empty"_s;
    if (e.id.trimmed() != e.id)
        return u"the id has leading or trailing spaces"_s;
    if (e.id.size() > kMaxIdLength || hasControlChars(e.id))
        return u"the id is too long or contains control characters"_s;
    if (e.title.trimmed().isEmpty())
        return u"the title is empty"_s;
    if (e.title.size() > kMaxShortText || e.category.size() > kMaxShortText)
        return u"the title or category is longer than %1 characters"_s.arg(kMaxShortText);
    if (e.cause.size() > kMaxLongText || e.solution.size() > kMaxLongText)
        return u"the cause or solution is longer than %1 characters"_s.arg(kMaxLongText);
    for (const QStringList *list : {&e.vehicleModels, &e.symptoms, &e.tags}) {
        if (list->size() > kMaxListItems)
            return u"a list has more than %1 items"_s.arg(kMaxListItems);
        for (const QString &item : *list) {
            if (item.size() > kMaxShortText)
                return u"a list item is longer than %1 characters"_s.arg(kMaxShortText);
        }
    }
    if (!sources().contains(e.source))
        return u"the source must be one of %1"_s.arg(sources().join(u", "_s));
    const std::pair<QString, const QString *> texts[] = {
        {u"id"_s, &e.id},       {u"title"_s, &e.title},       {u"category"_s, &e.category},
        {u"cause"_s, &e.cause}, {u"solution"_s, &e.solution}, {u"updated_at"_s, &e.updatedAt}};
    for (const auto &[name, text] : texts) {
        if (const QString problem = loneSurrogateProblem(*text); !problem.isEmpty())
            return u"\"%1\" %2"_s.arg(name, problem);
        if (startsWithBom(*text))
            return u"\"%1\" %2"_s.arg(name, kBomProblem);
    }
    const std::pair<QString, const QStringList *> lists[] = {
        {u"vehicle_models"_s, &e.vehicleModels}, {u"symptoms"_s, &e.symptoms}, {u"tags"_s, &e.tags}};
    for (const auto &[name, list] : lists) {
        for (const QString &item : *list) {
            if (const QString problem = loneSurrogateProblem(item); !problem.isEmpty())
                return u"an item of \"%1\" %2"_s.arg(name, problem);
            if (startsWithBom(item))
                return u"an item of \"%1\" %2"_s.arg(name, kBomProblem);
        }
    }
    return {};
}

KnowledgeParseResult KnowledgeFormat::parse(const QByteArray &data, Format format)
{
    switch (format) {
    case Format::Jsonl:
        return parseJsonl(data);
    case Format::Csv:
        return parseCsv(data);
    case Format::Json: {
        QByteArrayView view(data);
        if (view.startsWith(kBom))
            view = view.sliced(3);
        const QByteArrayView trimmed = view.trimmed();
        return trimmed.startsWith('[') ? parseJsonArray(data) : parseJsonl(data);
    }
    case Format::Unknown:
        break;
    }
    KnowledgeParseResult r;
    r.errors.append({0, u"unknown file format (use .jsonl, .json or .csv)"_s});
    return r;
}

KnowledgeParseResult KnowledgeFormat::parseJsonl(const QByteArray &data)
{
    KnowledgeParseResult result;
    ErrorSink sink(&result);
    if (data.size() > kMaxFileBytes) {
        sink.add(0, u"the file is larger than %1 bytes"_s.arg(kMaxFileBytes));
        return result;
    }
    QHash<QString, qint64> seen;
    QByteArrayView rest(data);
    if (rest.startsWith(kBom))
        rest = rest.sliced(3);
    qint64 lineNo = 0;
    while (!rest.isEmpty()) {
        ++lineNo;
        const qsizetype nl = rest.indexOf('\n');
        QByteArrayView line = nl < 0 ? rest : rest.first(nl);
        rest = nl < 0 ? QByteArrayView() : rest.sliced(nl + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty())
            continue;
        if (line.size() > kMaxRecordBytes) {
            sink.add(lineNo, u"the line is longer than %1 bytes"_s.arg(kMaxRecordBytes));
            continue;
        }
        QString text;
        if (!decodeUtf8(line, &text)) {
            sink.add(lineNo, u"invalid UTF-8"_s);
            continue;
        }
        QString jsonError;
        qsizetype offset = 0;
        const QJsonDocument doc = parseJson(line, &jsonError, &offset);
        if (!jsonError.isEmpty()) {
            sink.add(lineNo, u"bad JSON: %1 at offset %2"_s.arg(jsonError).arg(offset));
            continue;
        }
        if (!doc.isObject()) {
            sink.add(lineNo, u"not a JSON object"_s);
            continue;
        }
        KnowledgeEntry entry;
        QString error;
        if (!entryFromJson(doc.object(), &entry, &error)) {
            sink.add(lineNo, error);
            continue;
        }
        accept(&result, &sink, &seen, std::move(entry), lineNo, QString());
    }
    return result;
}

KnowledgeParseResult KnowledgeFormat::parseJsonArray(const QByteArray &data)
{
    KnowledgeParseResult result;
    ErrorSink sink(&result);
    if (data.size() > kMaxFileBytes) {
        sink.add(0, u"the file is larger than %1 bytes"_s.arg(kMaxFileBytes));
        return result;
    }
    QByteArrayView view(data);
    if (view.startsWith(kBom))
        view = view.sliced(3);
    // Report invalid UTF-8 by line, as the other formats do.
    qint64 lineNo = 0;
    bool utf8Ok = true;
    for (QByteArrayView rest = view; !rest.isEmpty();) {
        ++lineNo;
        const qsizetype nl = rest.indexOf('\n');
        const QByteArrayView line = nl < 0 ? rest : rest.first(nl);
        rest = nl < 0 ? QByteArrayView() : rest.sliced(nl + 1);
        QString ignored;
        if (!decodeUtf8(line, &ignored)) {
            sink.add(lineNo, u"invalid UTF-8"_s);
            utf8Ok = false;
        }
    }
    if (!utf8Ok)
        return result;
    QString jsonError;
    qsizetype offset = 0;
    const QJsonDocument doc = parseJson(view, &jsonError, &offset);
    if (!jsonError.isEmpty()) {
        const qint64 line = view.first(std::clamp<qsizetype>(offset, 0, view.size())).count('\n') + 1;
        sink.add(line, u"bad JSON: %1"_s.arg(jsonError));
        return result;
    }
    if (!doc.isArray()) {
        sink.add(1, u"not a JSON array"_s);
        return result;
    }
    QHash<QString, qint64> seen;
    const QJsonArray items = doc.array();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString where = u"item %1: "_s.arg(i + 1);
        if (!items.at(i).isObject()) {
            sink.add(0, where + u"not a JSON object"_s);
            continue;
        }
        KnowledgeEntry entry;
        QString error;
        if (!entryFromJson(items.at(i).toObject(), &entry, &error)) {
            sink.add(0, where + error);
            continue;
        }
        accept(&result, &sink, &seen, std::move(entry), 0, where);
    }
    return result;
}

KnowledgeParseResult KnowledgeFormat::parseCsv(const QByteArray &data)
{
    KnowledgeParseResult result;
    ErrorSink sink(&result);
    if (data.size() > kMaxFileBytes) {
        sink.add(0, u"the file is larger than %1 bytes"_s.arg(kMaxFileBytes));
        return result;
    }
    QByteArrayView view(data);
    if (view.startsWith(kBom))
        view = view.sliced(3);
    // Lines with invalid UTF-8, numbered like CsvReader numbers them; rows that touch one are
    // rejected. (Line ends are ASCII, which no invalid sequence swallows.)
    QList<qint64> badLines;
    {
        qint64 lineNo = 1;
        qsizetype start = 0;
        for (qsizetype i = 0; i <= view.size(); ++i) {
            const qsizetype eol = i < view.size() ? lineEndAt(view, i) : 1;
            if (eol == 0)
                continue;
            QString ignored;
            if (!decodeUtf8(view.sliced(start, i - start), &ignored))
                badLines << lineNo;
            ++lineNo;
            i += eol - 1;
            start = i + 1;
        }
    }
    const QString text = decodeUtf8KeepingBom(view);
    CsvReader reader(text);
    auto touchesBadLine = [&badLines](const CsvRecord &rec) {
        for (const qint64 l : badLines) {
            if (l >= rec.line && l <= rec.lastLine)
                return true;
        }
        return false;
    };

    // Header.
    QHash<QString, qsizetype> column; // name -> index
    qsizetype headerSize = 0;
    while (!reader.atEnd()) {
        const CsvRecord header = reader.next();
        if (header.fields.size() == 1 && header.fields.front().trimmed().isEmpty() && header.error.isEmpty())
            continue; // blank lines before the header
        if (touchesBadLine(header)) {
            sink.add(header.line, u"invalid UTF-8"_s);
            return result;
        }
        if (!header.error.isEmpty()) {
            sink.add(header.line, u"header: "_s + header.error);
            return result;
        }
        headerSize = header.fields.size();
        for (qsizetype i = 0; i < header.fields.size(); ++i) {
            const QString name = header.fields.at(i).trimmed().toLower();
            if (startsWithBom(name)) {
                sink.add(header.line,
                         u"header: the column \"%1\" %2"_s.arg(name.mid(1).left(100), kBomProblem));
                return result;
            }
            if (column.contains(name)) {
                sink.add(header.line, u"header: the column \"%1\" appears twice"_s.arg(name));
                return result;
            }
            column.insert(name, i);
        }
        if (!column.contains(u"id"_s) || !column.contains(u"title"_s)) {
            sink.add(header.line, u"header: the columns \"id\" and \"title\" are required (found: %1)"_s.arg(
                                      header.fields.join(u","_s).left(200)));
            return result;
        }
        break;
    }
    if (headerSize == 0) {
        sink.add(1, u"the file has no header row"_s);
        return result;
    }

    static const QStringList listColumns = {u"vehicle_models"_s, u"symptoms"_s, u"tags"_s};
    QHash<QString, qint64> seen;
    while (!reader.atEnd()) {
        const CsvRecord rec = reader.next();
        if (rec.fields.size() == 1 && rec.fields.front().trimmed().isEmpty() && rec.error.isEmpty())
            continue; // blank line
        if (touchesBadLine(rec)) {
            sink.add(rec.line, u"invalid UTF-8"_s);
            continue;
        }
        if (!rec.error.isEmpty()) {
            sink.add(rec.line, rec.error);
            continue;
        }
        if (rec.fields.size() != headerSize) {
            sink.add(rec.line,
                     u"the row has %1 fields, the header has %2"_s.arg(rec.fields.size()).arg(headerSize));
            continue;
        }
        QJsonObject o;
        QString error;
        for (const QString &name : csvColumns()) {
            const auto it = column.constFind(name);
            if (it == column.constEnd())
                continue;
            const QString &cell = rec.fields.at(it.value());
            if (listColumns.contains(name)) {
                QJsonValue v;
                if (!csvListToJson(cell, &v, &error)) {
                    error = u"\"%1\": %2"_s.arg(name, error);
                    break;
                }
                if (!v.isNull())
                    o.insert(name, v);
            } else if (!cell.isEmpty()) {
                o.insert(name, cell);
            }
        }
        KnowledgeEntry entry;
        if (!error.isEmpty() || !entryFromJson(o, &entry, &error)) {
            sink.add(rec.line, error);
            continue;
        }
        accept(&result, &sink, &seen, std::move(entry), rec.line, QString());
    }
    return result;
}

QByteArray KnowledgeFormat::toJsonLine(const KnowledgeEntry &e)
{
    QByteArray out;
    out.reserve(1024);
    out += "{\"id\": " + jsonString(e.id);
    out += ", \"title\": " + jsonString(e.title);
    out += ", \"category\": " + jsonString(e.category);
    out += ", \"vehicle_models\": " + jsonList(e.vehicleModels);
    out += ", \"symptoms\": " + jsonList(e.symptoms);
    out += ", \"cause\": " + jsonString(e.cause);
    out += ", \"solution\": " + jsonString(e.solution);
    out += ", \"tags\": " + jsonList(e.tags);
    out += ", \"source\": " + jsonString(e.source);
    out += ", \"updated_at\": " + jsonString(e.updatedAt);
    out += '}';
    return out;
}

QByteArray KnowledgeFormat::toJsonl(const QList<KnowledgeEntry> &entries)
{
    QByteArray out;
    for (const KnowledgeEntry &e : entries)
        out += toJsonLine(e) + '\n';
    return out;
}

QByteArray KnowledgeFormat::toJsonArray(const QList<KnowledgeEntry> &entries)
{
    QByteArray out = "[\n";
    for (qsizetype i = 0; i < entries.size(); ++i)
        out += "  " + toJsonLine(entries.at(i)) + (i + 1 < entries.size() ? ",\n" : "\n");
    out += "]\n";
    return out;
}

QByteArray KnowledgeFormat::toCsv(const QList<KnowledgeEntry> &entries)
{
    QByteArray out = kBom;
    out += csvColumns().join(u","_s).toUtf8() + "\r\n";
    for (const KnowledgeEntry &e : entries) {
        const QList<QByteArray> cells = {csvField(e.id),
                                         csvField(e.title),
                                         csvField(e.category),
                                         csvField(csvList(e.vehicleModels)),
                                         csvField(csvList(e.symptoms)),
                                         csvField(e.cause),
                                         csvField(e.solution),
                                         csvField(csvList(e.tags)),
                                         csvField(e.source),
                                         csvField(e.updatedAt)};
        for (qsizetype i = 0; i < cells.size(); ++i) {
            if (i)
                out += ',';
            out += cells.at(i);
        }
        out += "\r\n";
    }
    return out;
}

QByteArray KnowledgeFormat::serialize(const QList<KnowledgeEntry> &entries, Format format)
{
    switch (format) {
    case Format::Jsonl:
        return toJsonl(entries);
    case Format::Json:
        return toJsonArray(entries);
    case Format::Csv:
        return toCsv(entries);
    case Format::Unknown:
        break;
    }
    return {};
}
