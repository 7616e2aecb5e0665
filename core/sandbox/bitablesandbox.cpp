#include "sandbox/bitablesandbox.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTimer>

#include "logging_p.h"

namespace {

QByteArray compactJson(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray codeAnswer(int code, const QString &msg)
{
    return compactJson({{QStringLiteral("code"), code}, {QStringLiteral("msg"), msg}});
}

QByteArray okAnswer(const QJsonObject &data)
{
    return compactJson({{QStringLiteral("code"), 0},
                        {QStringLiteral("msg"), QStringLiteral("success")},
                        {QStringLiteral("data"), data}});
}

QString messageFor(int code)
{
    switch (code) {
    case 1254290:
        return QStringLiteral("TooManyRequest");
    case 1254291:
        return QStringLiteral("Write conflict");
    case 1254607:
        return QStringLiteral("Data not ready, please try again later");
    case 1255040:
        return QStringLiteral("Request timed out, please try again later");
    case 1254302:
        return QStringLiteral("Permission denied");
    default:
        return QStringLiteral("error %1").arg(code);
    }
}

// Text as it comes in: a string or an array of segments.
bool readTextValue(const QJsonValue &v, QString *out)
{
    if (v.isString()) {
        *out = v.toString();
        return true;
    }
    if (!v.isArray())
        return false;
    QString s;
    for (const QJsonValue &seg : v.toArray()) {
        if (!seg.isObject() || !seg.toObject().value(QStringLiteral("text")).isString())
            return false;
        s += seg.toObject().value(QStringLiteral("text")).toString();
    }
    *out = s;
    return true;
}

} // namespace

BitableSandbox::BitableSandbox(QObject *parent)
    : QObject(parent)
{}

BitableSandbox::~BitableSandbox() = default;

QList<BitableSandbox::Field> BitableSandbox::ticketFields()
{
    return {{QStringLiteral("工单编号"), 1, {}},
            {QStringLiteral("标题"), 1, {}},
            {QStringLiteral("客户"), 1, {}},
            {QStringLiteral("车架号"), 1, {}},
            {QStringLiteral("车牌"), 1, {}},
            {QStringLiteral("车型"), 1, {}},
            {QStringLiteral("分类"),
             3,
             {QStringLiteral("远程控制"), QStringLiteral("车联网"), QStringLiteral("其他")}},
            {QStringLiteral("紧急程度"),
             3,
             {QStringLiteral("低"), QStringLiteral("中"), QStringLiteral("高"), QStringLiteral("紧急")}},
            {QStringLiteral("状态"),
             3,
             {QStringLiteral("新建"), QStringLiteral("处理中"), QStringLiteral("待客户反馈"),
              QStringLiteral("已解决"), QStringLiteral("已关闭")}},
            {QStringLiteral("处理人"), 1, {}},
            {QStringLiteral("问题描述"), 1, {}},
            {QStringLiteral("解决方案"), 1, {}},
            {QStringLiteral("创建时间"), 5, {}},
            {QStringLiteral("更新时间"), 1002, {}}};
}

void BitableSandbox::createTable(const QString &appToken, const QString &tableId, const QList<Field> &fields)
{
    Table t;
    t.fields = fields;
    m_tables.insert(key(appToken, tableId), t);
}

bool BitableSandbox::hasTable(const QString &appToken, const QString &tableId) const
{
    return m_tables.contains(key(appToken, tableId));
}

qint64 BitableSandbox::stamp(Table &t)
{
    t.lastModified = std::max(QDateTime::currentMSecsSinceEpoch(), t.lastModified + 1);
    return t.lastModified;
}

QString BitableSandbox::newRecordId()
{
    return QStringLiteral("rec%1").arg(m_nextId++, 10, 36, QLatin1Char('0'));
}

QStringList BitableSandbox::addRecords(const QString &appToken, const QString &tableId,
                                       const QList<QJsonObject> &fields)
{
    QStringList ids;
    auto it = m_tables.find(key(appToken, tableId));
    if (it == m_tables.end())
        return ids;
    for (const QJsonObject &f : fields) {
        Record r;
        r.id = newRecordId();
        r.createdTime = r.modifiedTime = stamp(*it);
        QString msg;
        writeFields(*it, r, f, &msg);
        it->records << r;
        ids << r.id;
    }
    return ids;
}

bool BitableSandbox::editRecord(const QString &appToken, const QString &tableId, const QString &recordId,
                                const QJsonObject &fields)
{
    auto it = m_tables.find(key(appToken, tableId));
    if (it == m_tables.end())
        return false;
    for (Record &r : it->records) {
        if (r.id == recordId) {
            QString msg;
            if (writeFields(*it, r, fields, &msg) != 0)
                return false;
            r.modifiedTime = stamp(*it);
            return true;
        }
    }
    return false;
}

QList<BitableSandbox::Record> BitableSandbox::records(const QString &appToken, const QString &tableId) const
{
    return m_tables.value(key(appToken, tableId)).records;
}

std::optional<BitableSandbox::Record> BitableSandbox::record(const QString &appToken, const QString &tableId,
                                                             const QString &recordId) const
{
    for (const Record &r : m_tables.value(key(appToken, tableId)).records) {
        if (r.id == recordId)
            return r;
    }
    return std::nullopt;
}

void BitableSandbox::injectError(int code, int count, Op op)
{
    for (int i = 0; i < count; ++i)
        m_faults << Fault{op, code};
}

void BitableSandbox::injectTimeout(Op op, int count)
{
    for (int i = 0; i < count; ++i)
        m_faults << Fault{op, 0};
}

void BitableSandbox::clearFaults()
{
    m_faults.clear();
}

QJsonValue BitableSandbox::readValue(const Field &f, const Record &r) const
{
    if (f.type == 1001)
        return double(r.createdTime);
    if (f.type == 1002)
        return double(r.modifiedTime);
    const QJsonValue v = r.fields.value(f.name);
    if (v.isUndefined() || v.isNull())
        return QJsonValue(QJsonValue::Undefined);
    if (f.type == 1 && m_segments) {
        // Long texts come back in two segments, as Bitable splits around mentions and links.
        const QString s = v.toString();
        QJsonArray segs;
        const qsizetype cut = s.size() > 4 ? s.size() / 2 : s.size();
        segs.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                {QStringLiteral("text"), s.left(cut)}});
        if (cut < s.size())
            segs.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                    {QStringLiteral("text"), s.mid(cut)}});
        return segs;
    }
    return v;
}

QJsonObject BitableSandbox::recordJson(const Table &t, const Record &r, bool automatic) const
{
    QJsonObject fields;
    for (const Field &f : t.fields) {
        const QJsonValue v = readValue(f, r);
        if (!v.isUndefined())
            fields.insert(f.name, v);
    }
    QJsonObject o{{QStringLiteral("record_id"), r.id}, {QStringLiteral("fields"), fields}};
    if (automatic) {
        o.insert(QStringLiteral("created_time"), double(r.createdTime));
        o.insert(QStringLiteral("last_modified_time"), double(r.modifiedTime));
    }
    return o;
}

int BitableSandbox::writeFields(Table &t, Record &r, const QJsonObject &fields, QString *message)
{
    QJsonObject next = r.fields;
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
        const Field *f = nullptr;
        for (const Field &candidate : t.fields) {
            if (candidate.name == it.key())
                f = &candidate;
        }
        if (!f) {
            *message = QStringLiteral("FieldNameNotFound: %1").arg(it.key());
            return 1254045;
        }
        const QJsonValue v = it.value();
        if (v.isNull()) {
            next.remove(f->name);
            continue;
        }
        QString text;
        switch (f->type) {
        case 1:
            if (!readTextValue(v, &text)) {
                *message = QStringLiteral("TextFieldConvFail: %1").arg(f->name);
                return 1254060;
            }
            next.insert(f->name, text);
            break;
        case 2:
            if (!v.isDouble()) {
                *message = QStringLiteral("NumberFieldConvFail: %1").arg(f->name);
                return 1254061;
            }
            next.insert(f->name, v);
            break;
        case 3:
            if (!v.isString() || (m_strictOptions && !f->options.contains(v.toString()))) {
                *message = QStringLiteral("SingleSelectFieldConvFail: %1").arg(f->name);
                return 1254062;
            }
            next.insert(f->name, v);
            break;
        case 5:
            if (!v.isDouble()) {
                *message = QStringLiteral("DatetimeFieldConvFail: %1").arg(f->name);
                return 1254064;
            }
            next.insert(f->name, v);
            break;
        default:
            *message = QStringLiteral("the field %1 cannot be written").arg(f->name);
            return 1254072;
        }
    }
    r.fields = next;
    return 0;
}

bool BitableSandbox::matches(const Table &t, const Record &r, const QJsonObject &filter) const
{
    const QJsonArray conditions = filter.value(QStringLiteral("conditions")).toArray();
    if (conditions.isEmpty())
        return true;
    const bool any = filter.value(QStringLiteral("conjunction")).toString() == QLatin1String("or");
    for (const QJsonValue &cv : conditions) {
        const QJsonObject c = cv.toObject();
        const QString name = c.value(QStringLiteral("field_name")).toString();
        const QString op = c.value(QStringLiteral("operator")).toString();
        const QJsonArray values = c.value(QStringLiteral("value")).toArray();
        const QString want = values.isEmpty() ? QString() : values.last().toString();
        QJsonValue have;
        for (const Field &f : t.fields) {
            if (f.name == name)
                have = readValue(f, r);
        }
        bool hit = false;
        if (op == QLatin1String("is"))
            hit = have.toVariant().toString() == want;
        else if (op == QLatin1String("isGreater"))
            hit = have.toDouble() > want.toDouble();
        else if (op == QLatin1String("isGreaterEqual"))
            hit = have.toDouble() >= want.toDouble();
        else if (op == QLatin1String("isLess"))
            hit = have.toDouble() < want.toDouble();
        else if (op == QLatin1String("isEmpty"))
            hit = have.isUndefined();
        else if (op == QLatin1String("isNotEmpty"))
            hit = !have.isUndefined();
        if (any && hit)
            return true;
        if (!any && !hit)
            return false;
    }
    return !any;
}

void BitableSandbox::handle(const HttpRequest &req, HttpResponder *resp)
{
    // /open-apis/bitable/v1/apps/{app}/tables/{table}/(fields|records/...)
    const QList<QByteArray> parts = req.path.split('/');
    auto respond = [resp](const QByteArray &body) {
        const int status =
            QJsonDocument::fromJson(body).object().value(QStringLiteral("code")).toInt() == 0 ? 200 : 400;
        resp->respond(status, body);
    };
    if (parts.size() < 9 || parts.at(3) != "v1" || parts.at(4) != "apps" || parts.at(6) != "tables") {
        resp->respond(404, codeAnswer(404, QStringLiteral("404 page not found")));
        return;
    }
    const QString app = QString::fromUtf8(QByteArray::fromPercentEncoding(parts.at(5)));
    const QString table = QString::fromUtf8(QByteArray::fromPercentEncoding(parts.at(7)));
    const QByteArray rest = parts.mid(8).join('/');
    Op op = Op::Any;
    if (rest == "fields" && req.method == "GET")
        op = Op::Fields;
    else if (rest == "records/search" && req.method == "POST")
        op = Op::Search;
    else if ((rest == "records/batch_create" || rest == "records/batch_update") && req.method == "POST")
        op = Op::Write;
    if (op == Op::Any) {
        resp->respond(404, codeAnswer(404, QStringLiteral("404 page not found")));
        return;
    }
    for (qsizetype i = 0; i < m_faults.size(); ++i) {
        if (m_faults.at(i).op != Op::Any && m_faults.at(i).op != op)
            continue;
        const Fault f = m_faults.takeAt(i);
        ++m_counters.injected;
        if (f.code != 0) {
            qCDebug(lcSandbox) << "sandbox: bitable injected code" << f.code;
            respond(codeAnswer(f.code, messageFor(f.code)));
            return;
        }
        qCDebug(lcSandbox) << "sandbox: bitable injected timeout for" << rest;
        if (m_tables.contains(key(app, table))) {
            Table &t = m_tables[key(app, table)];
            if (op == Op::Write && rest.endsWith("create"))
                batchCreate(t, key(app, table), req);
            else if (op == Op::Write)
                batchUpdate(t, req);
        }
        return; // never answered
    }
    const QString tableKey = key(app, table);
    auto it = m_tables.find(tableKey);
    if (it == m_tables.end()) {
        respond(codeAnswer(1254004, QStringLiteral("WrongTableId")));
        return;
    }
    if (op == Op::Fields) {
        respond(fieldsList(*it, req));
        return;
    }
    if (op == Op::Search) {
        respond(search(*it, req));
        return;
    }
    if (m_writeDelayMs > 0 && m_writesInFlight.value(tableKey) > 0) {
        ++m_counters.writeConflicts;
        respond(codeAnswer(1254291, messageFor(1254291)));
        return;
    }
    const QByteArray body = rest.endsWith("create") ? batchCreate(*it, tableKey, req) : batchUpdate(*it, req);
    if (m_writeDelayMs <= 0) {
        respond(body);
        return;
    }
    ++m_writesInFlight[tableKey];
    QPointer<HttpResponder> guard(resp);
    QTimer::singleShot(m_writeDelayMs, this, [this, guard, body, tableKey, respond] {
        --m_writesInFlight[tableKey];
        if (guard)
            respond(body);
    });
}

QByteArray BitableSandbox::fieldsList(Table &t, const HttpRequest &req)
{
    ++m_counters.fieldCalls;
    const int pageSize = std::clamp(req.query.queryItemValue(QStringLiteral("page_size")).toInt(), 1, 100);
    const int offset = req.query.queryItemValue(QStringLiteral("page_token")).toInt();
    QJsonArray items;
    for (qsizetype i = offset; i < t.fields.size() && items.size() < pageSize; ++i) {
        const Field &f = t.fields.at(i);
        QJsonObject o{{QStringLiteral("field_id"), QStringLiteral("fld%1").arg(i)},
                      {QStringLiteral("field_name"), f.name},
                      {QStringLiteral("type"), f.type}};
        if (!f.options.isEmpty()) {
            QJsonArray opts;
            for (const QString &name : f.options)
                opts.append(QJsonObject{{QStringLiteral("name"), name}});
            o.insert(QStringLiteral("property"), QJsonObject{{QStringLiteral("options"), opts}});
        }
        items.append(o);
    }
    const qsizetype end = offset + items.size();
    const bool more = end < t.fields.size();
    return okAnswer({{QStringLiteral("items"), items},
                     {QStringLiteral("has_more"), more},
                     {QStringLiteral("page_token"), more ? QString::number(end) : QString()},
                     {QStringLiteral("total"), int(t.fields.size())}});
}

QByteArray BitableSandbox::search(Table &t, const HttpRequest &req)
{
    ++m_counters.searches;
    const QJsonObject body = QJsonDocument::fromJson(req.body).object();
    int pageSize = req.query.queryItemValue(QStringLiteral("page_size")).toInt();
    if (pageSize <= 0)
        pageSize = 20;
    if (pageSize > 500)
        return codeAnswer(1254001, QStringLiteral("page_size must be at most 500"));
    const QString token = req.query.queryItemValue(QStringLiteral("page_token"));
    const int offset = token.isEmpty() ? 0 : token.mid(1).toInt();
    const bool automatic = body.value(QStringLiteral("automatic_fields")).toBool();
    const QJsonObject filter = body.value(QStringLiteral("filter")).toObject();
    QList<const Record *> hits;
    for (const Record &r : t.records) {
        if (matches(t, r, filter))
            hits << &r;
    }
    QJsonArray items;
    for (qsizetype i = offset; i < hits.size() && items.size() < pageSize; ++i)
        items.append(recordJson(t, *hits.at(i), automatic));
    const qsizetype end = offset + items.size();
    const bool more = end < hits.size();
    return okAnswer({{QStringLiteral("items"), items},
                     {QStringLiteral("has_more"), more},
                     {QStringLiteral("page_token"), more ? QStringLiteral("p%1").arg(end) : QString()},
                     {QStringLiteral("total"), int(hits.size())}});
}

QByteArray BitableSandbox::batchCreate(Table &t, const QString &tableKey, const HttpRequest &req)
{
    const QString token = req.query.queryItemValue(QStringLiteral("client_token"));
    if (!token.isEmpty()) {
        const auto prior = m_byClientToken.constFind(tableKey + u'#' + token);
        if (prior != m_byClientToken.constEnd()) {
            ++m_counters.replayedCreates;
            return *prior;
        }
    }
    const QJsonArray in =
        QJsonDocument::fromJson(req.body).object().value(QStringLiteral("records")).toArray();
    if (in.size() > 500)
        return codeAnswer(1254104, QStringLiteral("RecordAddOnceExceedLimit: at most 500 records"));
    QList<Record> made;
    for (const QJsonValue &v : in) {
        Record r;
        r.id = newRecordId();
        QString msg;
        if (const int code = writeFields(t, r, v.toObject().value(QStringLiteral("fields")).toObject(), &msg))
            return codeAnswer(code, msg); // the whole batch fails, as in Bitable
        made << r;
    }
    ++m_counters.creates;
    QJsonArray out;
    for (Record &r : made) {
        r.createdTime = r.modifiedTime = stamp(t);
        t.records << r;
        out.append(recordJson(t, r, true));
    }
    const QByteArray answer = okAnswer({{QStringLiteral("records"), out}});
    if (!token.isEmpty())
        m_byClientToken.insert(tableKey + u'#' + token, answer);
    return answer;
}

QByteArray BitableSandbox::batchUpdate(Table &t, const HttpRequest &req)
{
    const QJsonArray in =
        QJsonDocument::fromJson(req.body).object().value(QStringLiteral("records")).toArray();
    if (in.size() > 500)
        return codeAnswer(1254104, QStringLiteral("RecordUpdateOnceExceedLimit: at most 500 records"));
    QList<std::pair<qsizetype, Record>> changed;
    for (const QJsonValue &v : in) {
        const QString id = v.toObject().value(QStringLiteral("record_id")).toString();
        qsizetype index = -1;
        for (qsizetype i = 0; i < t.records.size(); ++i) {
            if (t.records.at(i).id == id)
                index = i;
        }
        if (index < 0)
            return codeAnswer(1254043, QStringLiteral("RecordIdNotFound: %1").arg(id));
        Record r = t.records.at(index);
        QString msg;
        if (const int code = writeFields(t, r, v.toObject().value(QStringLiteral("fields")).toObject(), &msg))
            return codeAnswer(code, msg);
        changed.append({index, r});
    }
    ++m_counters.updates;
    QJsonArray out;
    for (auto &[index, r] : changed) {
        r.modifiedTime = stamp(t);
        t.records[index] = r;
        out.append(recordJson(t, r, true));
    }
    return okAnswer({{QStringLiteral("records"), out}});
}
