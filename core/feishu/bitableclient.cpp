#include "feishu/bitableclient.h"

#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

#include "feishu/openapiclient.h"
#include "logging_p.h"

namespace {

QString enc(const QString &s)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

} // namespace

BitableClient::BitableClient(OpenApiClient *api, const Options &options, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_options(options)
{
    m_options.pageSize = std::clamp(m_options.pageSize, 1, kMaxBatch);
}

BitableClient::~BitableClient() = default;

bool BitableClient::isRetryableCode(int code)
{
    return code == 1254290 || code == 1254607 || code == 1255040 || code == kWriteConflict;
}

bool BitableClient::isConversionCode(int code)
{
    return code >= 1254060 && code <= 1254072;
}

QString BitableClient::tablePath() const
{
    return QStringLiteral("/open-apis/bitable/v1/apps/%1/tables/%2")
        .arg(enc(m_options.appToken), enc(m_options.tableId));
}

QList<BitableRecord> BitableClient::parseRecords(const QJsonArray &items)
{
    QList<BitableRecord> out;
    out.reserve(items.size());
    for (const QJsonValue &v : items) {
        const QJsonObject o = v.toObject();
        BitableRecord r;
        r.recordId = o.value(QStringLiteral("record_id")).toString();
        r.fields = o.value(QStringLiteral("fields")).toObject();
        r.lastModifiedTime = o.value(QStringLiteral("last_modified_time")).toInteger();
        r.createdTime = o.value(QStringLiteral("created_time")).toInteger();
        out << r;
    }
    return out;
}

int BitableClient::backoffMs(int attempt) const
{
    qint64 delay = m_options.retryBaseMs;
    for (int i = 1; i < attempt && delay < m_options.retryMaxDelayMs; ++i)
        delay *= 2;
    return int(std::min<qint64>(delay, m_options.retryMaxDelayMs));
}

void BitableClient::run(Op op)
{
    if (!op.write) {
        send(std::move(op));
        return;
    }
    m_writeQueue.enqueue(std::move(op));
    pumpWrites();
}

void BitableClient::pumpWrites()
{
    if (m_writeInFlight || m_writeQueue.isEmpty())
        return;
    m_writeInFlight = true;
    send(m_writeQueue.dequeue());
}

void BitableClient::send(Op op)
{
    ++op.attempt;
    if (op.write) {
        ++m_counters.writes;
        ++m_writesInFlight;
        m_counters.maxWritesInFlight = std::max(m_counters.maxWritesInFlight, m_writesInFlight);
    } else {
        ++m_counters.reads;
    }
    // Reads and writes with a client_token (creates) or full field values (updates) may be
    // repeated: the OpenApiClient retries their network errors and 5xx answers itself.
    const QString what = op.what;
    const QByteArray verb = op.verb;
    const QString path = op.path;
    const QJsonObject body = op.body;
    m_api->request(
        what, verb, path, body, true, [this, op = std::move(op)](const OpenApiClient::Result &r) mutable {
            if (op.write)
                --m_writesInFlight;
            Result res;
            res.ok = r.ok;
            res.code = r.code;
            res.message = r.message;
            res.data = r.json.value(QStringLiteral("data")).toObject();
            if (!r.ok && r.code != 0)
                ++m_counters.codes[r.code];
            if (!r.ok && isRetryableCode(r.code) && op.attempt <= m_options.maxRetries) {
                const int delay = backoffMs(op.attempt);
                ++m_counters.retries;
                qCInfo(lcOpenApi).noquote() << "bitable" << op.what << "answered code" << r.code << "("
                                            << r.message << "), retrying in" << delay << "ms";
                emit retryScheduled(op.what, r.code, op.attempt, delay);
                if (op.write)
                    ++m_writesInFlight; // still this table's one write: nothing else goes meanwhile
                QTimer::singleShot(delay, this, [this, op = std::move(op)]() mutable {
                    if (op.write)
                        --m_writesInFlight;
                    send(std::move(op));
                });
                return;
            }
            res.conversionError = !r.ok && isConversionCode(r.code);
            res.retryable = !r.ok && (r.retryable || isRetryableCode(r.code));
            if (!r.ok && res.message.isEmpty())
                res.message = QStringLiteral("code %1").arg(r.code);
            const bool write = op.write;
            Done done = std::move(op.done);
            if (write) {
                m_writeInFlight = false;
                // The next write starts from the event loop, not from inside this callback.
                QTimer::singleShot(0, this, &BitableClient::pumpWrites);
            }
            done(res);
        });
}

void BitableClient::listFields(FieldsDone done)
{
    auto fields = std::make_shared<QList<BitableField>>();
    auto next = std::make_shared<std::function<void(const QString &)>>();
    *next = [this, fields, next, done = std::move(done)](const QString &pageToken) {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("page_size"), QStringLiteral("100"));
        if (!pageToken.isEmpty())
            q.addQueryItem(QStringLiteral("page_token"), enc(pageToken));
        Op op;
        op.what = QStringLiteral("fields");
        op.verb = "GET";
        op.path = tablePath() + QStringLiteral("/fields?") + q.toString(QUrl::FullyEncoded);
        op.done = [fields, next, done](const Result &r) {
            if (!r.ok) {
                done(r, {});
                *next = nullptr; // break the cycle
                return;
            }
            for (const QJsonValue &v : r.data.value(QStringLiteral("items")).toArray()) {
                const QJsonObject o = v.toObject();
                BitableField f;
                f.id = o.value(QStringLiteral("field_id")).toString();
                f.name = o.value(QStringLiteral("field_name")).toString();
                f.type = o.value(QStringLiteral("type")).toInt();
                for (const QJsonValue &opt : o.value(QStringLiteral("property"))
                                                 .toObject()
                                                 .value(QStringLiteral("options"))
                                                 .toArray())
                    f.options << opt.toObject().value(QStringLiteral("name")).toString();
                *fields << f;
            }
            const QString token = r.data.value(QStringLiteral("page_token")).toString();
            if (r.data.value(QStringLiteral("has_more")).toBool() && !token.isEmpty()) {
                const auto step = *next;
                step(token);
                return;
            }
            done(r, *fields);
            *next = nullptr;
        };
        run(std::move(op));
    };
    const auto start = *next;
    start(QString());
}

void BitableClient::searchRecords(const QJsonObject &filter, const QJsonArray &sort, const QString &pageToken,
                                  PageDone done)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("page_size"), QString::number(m_options.pageSize));
    if (!pageToken.isEmpty())
        q.addQueryItem(QStringLiteral("page_token"), enc(pageToken));
    QJsonObject body{{QStringLiteral("automatic_fields"), true}};
    if (!filter.isEmpty())
        body.insert(QStringLiteral("filter"), filter);
    if (!sort.isEmpty())
        body.insert(QStringLiteral("sort"), sort);
    Op op;
    op.what = QStringLiteral("records search");
    op.verb = "POST";
    op.path = tablePath() + QStringLiteral("/records/search?") + q.toString(QUrl::FullyEncoded);
    op.body = body;
    op.done = [done = std::move(done)](const Result &r) {
        Page page;
        if (r.ok) {
            page.records = parseRecords(r.data.value(QStringLiteral("items")).toArray());
            page.hasMore = r.data.value(QStringLiteral("has_more")).toBool();
            page.pageToken = r.data.value(QStringLiteral("page_token")).toString();
            page.total = r.data.value(QStringLiteral("total")).toInt(-1);
        }
        done(r, page);
    };
    run(std::move(op));
}

void BitableClient::write(Op op, RecordsDone done)
{
    op.write = true;
    op.done = [done = std::move(done)](const Result &r) {
        done(r,
             r.ok ? parseRecords(r.data.value(QStringLiteral("records")).toArray()) : QList<BitableRecord>());
    };
    run(std::move(op));
}

void BitableClient::batchCreate(const QJsonArray &records, const QString &clientToken, RecordsDone done)
{
    Op op;
    op.what = QStringLiteral("records batch_create");
    op.verb = "POST";
    op.path = tablePath() + QStringLiteral("/records/batch_create?client_token=") + enc(clientToken);
    op.body = QJsonObject{{QStringLiteral("records"), records}};
    write(std::move(op), std::move(done));
}

void BitableClient::batchUpdate(const QJsonArray &records, RecordsDone done)
{
    Op op;
    op.what = QStringLiteral("records batch_update");
    op.verb = "POST";
    op.path = tablePath() + QStringLiteral("/records/batch_update");
    op.body = QJsonObject{{QStringLiteral("records"), records}};
    write(std::move(op), std::move(done));
}
