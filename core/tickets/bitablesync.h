#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include "feishu/bitableclient.h"
#include "tickets/bitablemapping.h"

class OpenApiClient;
class TicketStore;
struct AppConfig;

// Two-way sync of the local tickets with one Bitable table. One run (syncNow):
//   1. fields: the table's fields are read and the mapping checked; a missing or mistyped field
//      stops the run before any write, with one message per problem;
//   2. pull: records changed since the cursor (search, filter on the mapped 更新时间 field,
//      paged), compared field by field with the last agreed values (ticket_sync.base):
//      - only Bitable changed: the ticket takes Bitable's values;
//      - only the ticket changed: it stays pending for the push;
//      - both changed different fields: both changes are kept (merged), and pushed;
//      - both changed the same field differently: conflict; nothing is overwritten, the ticket
//        keeps its values and Bitable's are kept beside them until an operator resolves it;
//      - a record not known here becomes a ticket (one without 工单编号 gets TK-nnnnnn, which
//        the push writes back);
//   3. push: pending (and earlier failed) tickets become batch_create (client_token) and
//      batch_update calls of at most 500 records, one write at a time. A batch refused for a
//      field value is split so the one bad record is marked error with Bitable's reason and the
//      others go on.
// Everything is asynchronous on this object's thread; progress() and finished() report.
class BitableSync final : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        BitableClient::Options bitable;
        BitableMapping mapping = BitableMapping::defaults();
        int intervalMs = 0; // periodic sync; 0 = only on request
    };
    // One step of a run, as a stable kind with its figures: the console words it in its language;
    // english() is the line for the log and headless use.
    struct Progress
    {
        enum class Step { ReadingFields, Pulled, Pushing, Pushed, Retrying, SplittingBatch };
        Step step = Step::ReadingFields;
        int done = 0;
        int total = -1;  // -1 when unknown
        int created = 0; // Pushing: how many of total are new records
        int code = 0;    // Retrying, SplittingBatch: Bitable's code
        int attempt = 0; // Retrying
        int delayMs = 0; // Retrying
        QString what;    // Retrying: the call retried; SplittingBatch: Bitable's message
        QString english() const;
    };
    // Why a ticket is in conflict or error: stored as its English text (ticket_sync.reason), read
    // back by parse() into a stable kind the console words in its language.
    struct Reason
    {
        enum class Kind { None, BothChanged, ValueRefused, WriteRefused, NoRecordCreated, Other };
        Kind kind = Kind::None;
        QStringList fields; // BothChanged: the Bitable field names
        int code = 0;       // ValueRefused, WriteRefused: Bitable's code and message
        QString message;
        QString text; // Other: the stored text as it is
        QString english() const;
        static Reason parse(const QString &stored);
    };
    // Why a run stopped, as a stable kind (Report::failure).
    enum class Failure {
        None,
        NotConfigured,
        FieldsUnreadable,
        FieldsMismatch,
        RecordsUnreadable,
        WriteRefused
    };
    struct Report
    {
        bool ok = false;
        QString error; // why the run stopped (fields, pull or a whole batch failed), in English
        Failure failure = Failure::None;
        int failureCode = 0;                   // Bitable's code for the failure, 0 = none
        QString failureMessage;                // Bitable's own message for it
        QList<MappingProblem> mappingProblems; // FieldsMismatch
        QStringList problems;                  // per-record problems (conversion errors, unreadable values)
        int pulled = 0;                        // records read
        int imported = 0;                      // new tickets from Bitable
        int updatedLocal = 0;                  // tickets that took Bitable's values
        int merged = 0;
        int conflicts = 0;     // new or still open conflicts seen in this run
        int created = 0;       // records created in Bitable
        int updatedRemote = 0; // records updated in Bitable
        int failed = 0;        // tickets whose push failed (now in state error)
    };

    // Options from the configuration: BITABLE_APP_TOKEN, BITABLE_TABLE_ID, TICKETS_SYNC_MINUTES,
    // TICKETS_FIELD_MAP. False with *error when the field map is bad.
    static bool optionsFromConfig(const AppConfig &config, Options *out, QString *error);

    BitableSync(TicketStore *store, OpenApiClient *api, const Options &options, QObject *parent = nullptr);
    ~BitableSync() override;
    Q_DISABLE_COPY_MOVE(BitableSync)

    bool isConfigured() const { return m_client.isConfigured(); }
    bool isRunning() const { return m_running; }
    BitableClient *client() { return &m_client; }
    Report lastReport() const { return m_report; }

    // Starts one run unless one is running (then returns false: the running one's finished()
    // answers). Not configured: finished() with an error, from the event loop.
    bool syncNow();
    // Periodic runs every `ms` (0 stops them). The first one starts after `ms`.
    void setInterval(int ms);

signals:
    void started();
    // A line for the log or a status bar, and the step's counts (total -1 when unknown).
    void progress(const QString &message, int done, int total);
    // The same step as a value (the console's words come from it).
    void stepped(const BitableSync::Progress &progress);
    void finished(const BitableSync::Report &report);

private:
    struct WriteItem
    {
        qint64 ticketId = 0;
        QString recordId;
        QHash<QString, QString> values; // what is pushed
        QJsonObject fields;
    };
    void readFields();
    void pullPage(const QString &pageToken);
    void applyRecord(const BitableRecord &record);
    void push();
    void sendCreates(QList<WriteItem> items);
    void sendUpdates(QList<WriteItem> items);
    void nextWrite();
    void onWritten(const QList<WriteItem> &items, bool create, const BitableClient::Result &r,
                   const QList<BitableRecord> &records);
    void markFailed(const QList<WriteItem> &items, const QString &reason);
    void report(const Progress &p);
    void fail(Failure failure, const BitableClient::Result &r, const QString &english);
    void finish(bool ok, const QString &error = {});

    TicketStore *m_store = nullptr;
    BitableClient m_client;
    BitableMapping m_mapping;
    QTimer m_timer;
    bool m_running = false;
    Report m_report;
    qint64 m_cursor = 0;
    qint64 m_maxSeen = 0;
    QList<QPair<bool, QList<WriteItem>>> m_writes; // create?, batch
    int m_writesTotal = 0;
    int m_writesDone = 0;
};
Q_DECLARE_METATYPE(BitableSync::Report)
Q_DECLARE_METATYPE(BitableSync::Progress)
