#pragma once

#include <optional>

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include "sandbox/httpserver.h"

// The Bitable (多维表格) part of the Feishu sandbox (spec §8.6): tables with fields and records,
// the fields API, records/search (filter, paging, automatic fields), batch_create (client_token
// idempotency) and batch_update, with Bitable's error codes and injectable faults. FeishuSandbox
// owns one and routes /open-apis/bitable/ to it once the tenant token checked out.
class BitableSandbox final : public QObject
{
    Q_OBJECT
public:
    struct Field
    {
        QString name;
        int type = 1; // 1 text, 2 number, 3 single select, 5 date, 1001 created time, 1002 modified time
        QStringList options;
    };
    struct Record
    {
        QString id;
        QJsonObject fields; // stored values (text as plain strings)
        qint64 createdTime = 0;
        qint64 modifiedTime = 0;
    };
    enum class Op { Any, Fields, Search, Write };
    Q_ENUM(Op)

    explicit BitableSandbox(QObject *parent = nullptr);
    ~BitableSandbox() override;
    Q_DISABLE_COPY_MOVE(BitableSandbox)

    // The default ticket table: 工单编号 ... 更新时间 (更新时间 a modified-time field).
    static QList<Field> ticketFields();
    void createTable(const QString &appToken, const QString &tableId,
                     const QList<Field> &fields = ticketFields());
    bool hasTable(const QString &appToken, const QString &tableId) const;
    // Records as a person would type them in Bitable (modified time = now). Returns the ids.
    QStringList addRecords(const QString &appToken, const QString &tableId, const QList<QJsonObject> &fields);
    // A person edits a record: the given fields change, the modified time moves.
    bool editRecord(const QString &appToken, const QString &tableId, const QString &recordId,
                    const QJsonObject &fields);
    QList<Record> records(const QString &appToken, const QString &tableId) const;
    std::optional<Record> record(const QString &appToken, const QString &tableId,
                                 const QString &recordId) const;

    // Read text fields back as arrays of segments ([{"type":"text","text":..}], long texts split).
    void setTextAsSegments(bool on) { m_segments = on; }
    // Single select values must be existing options (otherwise 1254062), as with a locked field.
    void setStrictOptions(bool on) { m_strictOptions = on; }
    // The next `count` calls of kind `op` answer with `code` (HTTP 400), without doing anything.
    void injectError(int code, int count = 1, Op op = Op::Any);
    // The next `count` calls of kind `op` are carried out and never answered.
    void injectTimeout(Op op, int count = 1);
    // Writes answer this much later; a write arriving meanwhile on the same table is refused with
    // 1254291 (write conflict), as Bitable does with concurrent writes.
    void setWriteDelayMs(int ms) { m_writeDelayMs = ms; }
    void clearFaults();

    struct Counters
    {
        int fieldCalls = 0;
        int searches = 0;
        int creates = 0;         // batch_create calls carried out (not replayed)
        int updates = 0;         // batch_update calls carried out
        int replayedCreates = 0; // batch_create with a client_token seen before: answered, nothing added
        int writeConflicts = 0;  // 1254291 answers for real concurrency (not injected)
        int injected = 0;
    };
    Counters counters() const { return m_counters; }

    // Handles a /open-apis/bitable/ request (token already checked).
    void handle(const HttpRequest &req, HttpResponder *resp);

private:
    struct Table
    {
        QList<Field> fields;
        QList<Record> records;
        qint64 lastModified = 0;
    };
    struct Fault
    {
        Op op = Op::Any;
        int code = 0; // 0 = timeout
    };
    static QString key(const QString &appToken, const QString &tableId) { return appToken + u'/' + tableId; }
    qint64 stamp(Table &t);
    QString newRecordId();
    QJsonObject recordJson(const Table &t, const Record &r, bool automatic) const;
    QJsonValue readValue(const Field &f, const Record &r) const;
    // Checks and stores `fields` into `r`; a Bitable error code and message on a bad value.
    int writeFields(Table &t, Record &r, const QJsonObject &fields, QString *message);
    bool matches(const Table &t, const Record &r, const QJsonObject &filter) const;

    QByteArray fieldsList(Table &t, const HttpRequest &req);
    QByteArray search(Table &t, const HttpRequest &req);
    QByteArray batchCreate(Table &t, const QString &tableKey, const HttpRequest &req);
    QByteArray batchUpdate(Table &t, const HttpRequest &req);

    QHash<QString, Table> m_tables;
    QHash<QString, QByteArray> m_byClientToken; // table key + token -> the answer given
    QHash<QString, int> m_writesInFlight;       // table key -> delayed writes not answered yet
    QList<Fault> m_faults;
    bool m_segments = false;
    bool m_strictOptions = false;
    int m_writeDelayMs = 0;
    quint64 m_nextId = 1;
    Counters m_counters;
};
