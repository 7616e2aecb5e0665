#pragma once

#include <functional>

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QQueue>
#include <QString>
#include <QStringList>

class OpenApiClient;

// One field of a Bitable table (fields API).
struct BitableField
{
    QString id;
    QString name;
    int type = 0;        // 1 text, 2 number, 3 single select, 4 multi select, 5 date, 1001 created time,
                         // 1002 modified time, ... (Bitable's field types)
    QStringList options; // single/multi select option names
};

// One record as read: fields keep Bitable's JSON values.
struct BitableRecord
{
    QString recordId;
    QJsonObject fields;
    qint64 lastModifiedTime = 0; // ms; 0 when not given
    qint64 createdTime = 0;
};

// The Bitable (多维表格) records and fields API of one table (spec §8.6), over OpenApiClient
// (tenant token, rate limits and network retries are its business). Asynchronous: callbacks
// come on this object's thread from the event loop, nothing blocks.
//
// - Writes to the table are serialised: one write request in flight at a time, the rest wait
//   in a queue (Bitable answers 1254291 to concurrent writes).
// - 1254290 (too many requests), 1254607 (data not ready), 1255040 (timeout) and 1254291 (write
//   conflict, another writer) are retried with back-off, up to maxRetries.
// - batch_create carries a client_token (a UUID the caller keeps for the same records), so the
//   retry of a create whose answer was lost never adds rows.
class BitableClient final : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString appToken;
        QString tableId;
        int pageSize = 500;     // records per search page (Bitable's maximum)
        int maxRetries = 5;     // for the Bitable codes above
        int retryBaseMs = 1000; // doubled per retry
        int retryMaxDelayMs = 30000;
    };

    struct Result
    {
        bool ok = false;
        int code = 0;
        QString message;
        bool conversionError = false; // 1254060..1254072: a field value Bitable cannot take
        bool retryable = false;       // worth trying again later (network, limits, server)
        QJsonObject data;
    };
    struct Page
    {
        QList<BitableRecord> records;
        bool hasMore = false;
        QString pageToken;
        int total = -1;
    };
    struct Counters
    {
        int reads = 0;
        int writes = 0;
        int retries = 0;
        int maxWritesInFlight = 0;
        QHash<int, int> codes; // Bitable error codes seen
    };

    using Done = std::function<void(const Result &)>;
    using FieldsDone = std::function<void(const Result &, const QList<BitableField> &)>;
    using PageDone = std::function<void(const Result &, const Page &)>;
    using RecordsDone = std::function<void(const Result &, const QList<BitableRecord> &)>;

    static constexpr int kMaxBatch = 500;
    static constexpr int kWriteConflict = 1254291;

    BitableClient(OpenApiClient *api, const Options &options, QObject *parent = nullptr);
    ~BitableClient() override;
    Q_DISABLE_COPY_MOVE(BitableClient)

    const Options &options() const { return m_options; }
    Counters counters() const { return m_counters; }
    bool isConfigured() const { return !m_options.appToken.isEmpty() && !m_options.tableId.isEmpty(); }

    // Every field of the table (all pages).
    void listFields(FieldsDone done);
    // One page of records/search. `filter` is the search filter object (may be empty), `sort`
    // the sort array; automatic_fields is always asked for (last_modified_time).
    void searchRecords(const QJsonObject &filter, const QJsonArray &sort, const QString &pageToken,
                       PageDone done);
    // Writes (queued, one at a time). Each record: {"fields":{...}} for create,
    // {"record_id":"rec...","fields":{...}} for update. At most kMaxBatch records.
    void batchCreate(const QJsonArray &records, const QString &clientToken, RecordsDone done);
    void batchUpdate(const QJsonArray &records, RecordsDone done);

    static bool isRetryableCode(int code);
    static bool isConversionCode(int code);
    static QList<BitableRecord> parseRecords(const QJsonArray &items);

signals:
    void retryScheduled(const QString &what, int code, int attempt, int inMs);

private:
    struct Op
    {
        QString what;
        QByteArray verb;
        QString path;
        QJsonObject body;
        bool write = false;
        int attempt = 0;
        Done done;
    };
    QString tablePath() const;
    void run(Op op);
    void write(Op op, RecordsDone done); // a records write answered with {records[]}
    void send(Op op);
    void pumpWrites();
    int backoffMs(int attempt) const;

    OpenApiClient *m_api = nullptr;
    Options m_options;
    Counters m_counters;
    QQueue<Op> m_writeQueue;
    bool m_writeInFlight = false;
    int m_writesInFlight = 0;
};
