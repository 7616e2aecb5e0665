#include "tickets/bitablesync.h"

#include <QJsonArray>
#include <QUuid>

#include "config/appconfig.h"
#include "logging_p.h"
#include "storage/database.h"
#include "storage/transaction.h"
#include "tickets/ticketstore.h"

bool BitableSync::optionsFromConfig(const AppConfig &config, Options *out, QString *error)
{
    Options o;
    o.bitable.appToken = config.bitableAppToken;
    o.bitable.tableId = config.bitableTableId;
    o.intervalMs = config.ticketSyncMinutes > 0 ? config.ticketSyncMinutes * 60 * 1000 : 0;
    if (!BitableMapping::fromText(config.ticketFieldMap, &o.mapping, error))
        return false;
    *out = std::move(o);
    return true;
}

BitableSync::BitableSync(TicketStore *store, OpenApiClient *api, const Options &options, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_client(api, options.bitable)
    , m_mapping(options.mapping)
{
    qRegisterMetaType<BitableSync::Report>();
    qRegisterMetaType<BitableSync::Progress>();
    connect(&m_timer, &QTimer::timeout, this, [this] { syncNow(); });
    setInterval(options.intervalMs);
    connect(&m_client, &BitableClient::retryScheduled, this,
            [this](const QString &what, int code, int attempt, int inMs) {
                Progress p;
                p.step = Progress::Step::Retrying;
                p.what = what;
                p.code = code;
                p.attempt = attempt;
                p.delayMs = inMs;
                report(p);
            });
}

BitableSync::~BitableSync() = default;

void BitableSync::setInterval(int ms)
{
    if (ms > 0)
        m_timer.start(ms);
    else
        m_timer.stop();
}

bool BitableSync::syncNow()
{
    if (m_running)
        return false;
    m_running = true;
    m_report = {};
    emit started();
    if (!isConfigured()) {
        QTimer::singleShot(0, this, [this] {
            fail(Failure::NotConfigured, {},
                 QStringLiteral("Bitable is not configured: set BITABLE_APP_TOKEN and BITABLE_TABLE_ID"));
        });
        return true;
    }
    readFields();
    return true;
}

QString BitableSync::Progress::english() const
{
    switch (step) {
    case Step::ReadingFields:
        return QStringLiteral("reading the Bitable table's fields");
    case Step::Pulled:
        return QStringLiteral("pulled %1 of %2 records").arg(done).arg(total);
    case Step::Pushing:
        return QStringLiteral("pushing %1 tickets (%2 new)").arg(total).arg(created);
    case Step::Pushed:
        return QStringLiteral("pushed %1 of %2 tickets").arg(done).arg(total);
    case Step::Retrying:
        return QStringLiteral("Bitable %1: code %2, retry %3 in %4 ms")
            .arg(what)
            .arg(code)
            .arg(attempt)
            .arg(delayMs);
    case Step::SplittingBatch:
        return QStringLiteral("a batch of %1 was refused (code %2: %3); sending its records one by one")
            .arg(created)
            .arg(code)
            .arg(what);
    }
    return {};
}

namespace {
const QLatin1String kBothChanged("changed here and in Bitable: ");
const QLatin1String kValueRefused("Bitable refused a value: ");
const QLatin1String kNoRecord("Bitable created no record for it");
} // namespace

QString BitableSync::Reason::english() const
{
    const QString codeAndMessage = QStringLiteral("code %1: %2").arg(code).arg(message);
    switch (kind) {
    case Kind::None:
        return {};
    case Kind::BothChanged:
        return kBothChanged + fields.join(QStringLiteral(", "));
    case Kind::ValueRefused:
        return kValueRefused + codeAndMessage;
    case Kind::WriteRefused:
        return codeAndMessage;
    case Kind::NoRecordCreated:
        return kNoRecord;
    case Kind::Other:
        return text;
    }
    return {};
}

BitableSync::Reason BitableSync::Reason::parse(const QString &stored)
{
    Reason r;
    if (stored.isEmpty())
        return r;
    // "code N: message", the tail of both refusals.
    const auto readCode = [&r](QStringView rest) {
        if (!rest.startsWith(QLatin1String("code ")))
            return false;
        const qsizetype colon = rest.indexOf(QLatin1String(": "));
        bool ok = false;
        const int code = colon > 5 ? rest.mid(5, colon - 5).toInt(&ok) : 0;
        if (!ok)
            return false;
        r.code = code;
        r.message = rest.mid(colon + 2).toString();
        return true;
    };
    if (stored.startsWith(kBothChanged)) {
        r.kind = Kind::BothChanged;
        r.fields = stored.mid(kBothChanged.size()).split(QStringLiteral(", "), Qt::SkipEmptyParts);
    } else if (stored.startsWith(kValueRefused) && readCode(QStringView(stored).mid(kValueRefused.size()))) {
        r.kind = Kind::ValueRefused;
    } else if (readCode(stored)) {
        r.kind = Kind::WriteRefused;
    } else if (stored == kNoRecord) {
        r.kind = Kind::NoRecordCreated;
    } else {
        r.kind = Kind::Other;
        r.text = stored;
    }
    return r;
}

void BitableSync::report(const Progress &p)
{
    emit progress(p.english(), p.done, p.total);
    emit stepped(p);
}

void BitableSync::fail(Failure failure, const BitableClient::Result &r, const QString &english)
{
    m_report.failure = failure;
    m_report.failureCode = r.code;
    m_report.failureMessage = r.message;
    finish(false, english);
}

void BitableSync::finish(bool ok, const QString &error)
{
    m_report.ok = ok;
    m_report.error = error;
    m_running = false;
    m_writes.clear();
    if (ok)
        qCInfo(lcTickets).noquote()
            << QStringLiteral("ticket sync done: %1 pulled, %2 imported, %3 updated here, %4 merged, %5 "
                              "conflicts, %6 created and %7 updated in Bitable, %8 failed")
                   .arg(m_report.pulled)
                   .arg(m_report.imported)
                   .arg(m_report.updatedLocal)
                   .arg(m_report.merged)
                   .arg(m_report.conflicts)
                   .arg(m_report.created)
                   .arg(m_report.updatedRemote)
                   .arg(m_report.failed);
    else
        qCWarning(lcTickets).noquote() << "ticket sync failed:" << error;
    for (const QString &p : std::as_const(m_report.problems))
        qCWarning(lcTickets).noquote() << "ticket sync:" << p;
    emit finished(m_report);
}

void BitableSync::readFields()
{
    report(Progress{});
    m_client.listFields([this](const BitableClient::Result &r, const QList<BitableField> &fields) {
        if (!r.ok) {
            fail(Failure::FieldsUnreadable, r,
                 QStringLiteral("cannot read the Bitable table's fields: %1%2")
                     .arg(r.code ? QStringLiteral("code %1, ").arg(r.code) : QString(), r.message));
            return;
        }
        const QList<MappingProblem> problems = m_mapping.check(fields);
        if (!problems.isEmpty()) {
            QStringList lines;
            for (const MappingProblem &p : problems)
                lines << p.english();
            m_report.mappingProblems = problems;
            fail(
                Failure::FieldsMismatch, {},
                QStringLiteral("the Bitable table does not fit the ticket field map, nothing was written: ") +
                    lines.join(QStringLiteral("; ")));
            return;
        }
        m_cursor = m_store->cursor(m_client.options().appToken, m_client.options().tableId);
        m_maxSeen = m_cursor;
        pullPage(QString());
    });
}

void BitableSync::pullPage(const QString &pageToken)
{
    QJsonObject filter;
    const QString updatedName = m_mapping.fieldName(QStringLiteral("updatedAt"));
    if (m_cursor > 0 && !updatedName.isEmpty()) {
        // isGreaterEqual: a record changed in the same millisecond as the cursor is read again
        // rather than missed; an unchanged one costs a comparison.
        filter = QJsonObject{
            {QStringLiteral("conjunction"), QStringLiteral("and")},
            {QStringLiteral("conditions"),
             QJsonArray{QJsonObject{{QStringLiteral("field_name"), updatedName},
                                    {QStringLiteral("operator"), QStringLiteral("isGreaterEqual")},
                                    {QStringLiteral("value"),
                                     QJsonArray{QStringLiteral("ExactDate"), QString::number(m_cursor)}}}}}};
    }
    m_client.searchRecords(
        filter, {}, pageToken, [this](const BitableClient::Result &r, const BitableClient::Page &page) {
            if (!r.ok) {
                fail(Failure::RecordsUnreadable, r,
                     QStringLiteral("cannot read Bitable records: %1%2")
                         .arg(r.code ? QStringLiteral("code %1, ").arg(r.code) : QString(), r.message));
                return;
            }
            {
                Transaction tx(m_store->database()->db());
                for (const BitableRecord &rec : page.records)
                    applyRecord(rec);
                tx.commit();
            }
            m_report.pulled += int(page.records.size());
            Progress p;
            p.step = Progress::Step::Pulled;
            p.done = m_report.pulled;
            p.total = page.total;
            report(p);
            if (page.hasMore && !page.pageToken.isEmpty()) {
                pullPage(page.pageToken);
                return;
            }
            m_store->setCursor(m_client.options().appToken, m_client.options().tableId, m_maxSeen);
            push();
        });
}

void BitableSync::applyRecord(const BitableRecord &rec)
{
    m_maxSeen = std::max(m_maxSeen, rec.lastModifiedTime);
    QStringList problems;
    const QHash<QString, QString> remote = m_mapping.fromRecordFields(rec.fields, &problems);
    if (!problems.isEmpty()) {
        m_report.problems
            << QStringLiteral("record %1: %2").arg(rec.recordId, problems.join(QStringLiteral("; ")));
        return;
    }
    std::optional<Ticket> found = m_store->byRecordId(rec.recordId);
    if (!found)
        found = m_store->byNumber(remote.value(QStringLiteral("number")));
    if (found && !found->recordId.isEmpty() && found->recordId != rec.recordId) {
        m_report.problems << QStringLiteral("record %1: 工单编号 %2 already belongs to record %3")
                                 .arg(rec.recordId, found->number, found->recordId);
        return;
    }
    if (!found) {
        Ticket t;
        TicketFields::apply(&t, remote);
        t.recordId = rec.recordId;
        t.remoteUpdatedAt = rec.lastModifiedTime;
        t.updatedAt = remote.value(QStringLiteral("updatedAt")).toLongLong();
        if (t.createdAt <= 0)
            t.createdAt = rec.createdTime;
        TicketSyncInfo info;
        info.state = TicketSyncState::Synced;
        info.base = remote;
        if (m_store->insertFromRemote(t, info))
            ++m_report.imported;
        else
            m_report.problems
                << QStringLiteral("record %1: cannot store it: %2").arg(rec.recordId, m_store->errorString());
        return;
    }
    Ticket t = *found;
    TicketSyncInfo info = m_store->syncInfo(t.id);
    const bool linking = t.recordId.isEmpty();
    t.recordId = rec.recordId;
    t.remoteUpdatedAt = std::max(t.remoteUpdatedAt, rec.lastModifiedTime);
    if (info.base.isEmpty() && linking)
        info.base = remote; // our create landed but its answer was lost: Bitable holds what we sent
    const QHash<QString, QString> local = TicketFields::values(t);
    const QStringList remoteChanged = TicketFields::changedKeys(info.base, remote);
    const QStringList localChanged = TicketFields::changedKeys(info.base, local);
    QStringList clash;
    for (const QString &k : remoteChanged) {
        if (localChanged.contains(k) && local.value(k) != remote.value(k))
            clash << k;
    }
    if (!clash.isEmpty()) {
        info.state = TicketSyncState::Conflict;
        info.remote = remote;
        Reason why;
        why.kind = Reason::Kind::BothChanged;
        for (const QString &k : clash)
            why.fields << m_mapping.fieldName(k);
        info.reason = why.english();
        ++m_report.conflicts;
    } else if (info.state == TicketSyncState::Conflict) {
        // Bitable moved to our values (or back): nothing clashes any more.
        info.remote.clear();
        info.reason.clear();
        info.base = remote;
        info.state = localChanged.isEmpty() ? TicketSyncState::Synced : TicketSyncState::Pending;
    } else if (!remoteChanged.isEmpty()) {
        QHash<QString, QString> take;
        for (const QString &k : remoteChanged)
            take.insert(k, remote.value(k));
        TicketFields::apply(&t, take);
        t.updatedAt = std::max(t.updatedAt, remote.value(QStringLiteral("updatedAt")).toLongLong());
        info.base = remote;
        const bool stillLocal = !TicketFields::changedKeys(remote, TicketFields::values(t)).isEmpty();
        if (stillLocal) {
            ++m_report.merged;
            info.state = TicketSyncState::Pending;
        } else {
            ++m_report.updatedLocal;
            info.state = TicketSyncState::Synced;
            info.reason.clear();
        }
    } else if (localChanged.isEmpty() && info.state == TicketSyncState::Pending) {
        info.state = TicketSyncState::Synced; // nothing left to push
    }
    if (!m_store->saveSynced(t, info))
        m_report.problems
            << QStringLiteral("record %1: cannot store it: %2").arg(rec.recordId, m_store->errorString());
}

void BitableSync::push()
{
    QList<WriteItem> creates;
    QList<WriteItem> updates;
    for (qint64 id : m_store->idsInState({TicketSyncState::Pending, TicketSyncState::Error})) {
        const auto t = m_store->ticket(id);
        if (!t)
            continue;
        const TicketSyncInfo info = m_store->syncInfo(id);
        WriteItem item;
        item.ticketId = id;
        item.recordId = t->recordId;
        item.values = TicketFields::values(*t);
        if (t->recordId.isEmpty()) {
            item.fields = m_mapping.toRecordFields(item.values);
            creates << item;
            continue;
        }
        QHash<QString, QString> changed;
        const QStringList keys = info.base.isEmpty() ? TicketFields::changedKeys({}, item.values)
                                                     : TicketFields::changedKeys(info.base, item.values);
        for (const QString &k : keys)
            changed.insert(k, item.values.value(k));
        changed.insert(QStringLiteral("updatedAt"), item.values.value(QStringLiteral("updatedAt")));
        item.fields = m_mapping.toRecordFields(changed);
        updates << item;
    }
    m_writes.clear();
    for (qsizetype i = 0; i < creates.size(); i += BitableClient::kMaxBatch)
        m_writes.append({true, creates.mid(i, BitableClient::kMaxBatch)});
    for (qsizetype i = 0; i < updates.size(); i += BitableClient::kMaxBatch)
        m_writes.append({false, updates.mid(i, BitableClient::kMaxBatch)});
    m_writesTotal = int(creates.size() + updates.size());
    m_writesDone = 0;
    if (m_writesTotal > 0) {
        Progress p;
        p.step = Progress::Step::Pushing;
        p.total = m_writesTotal;
        p.created = int(creates.size());
        report(p);
    }
    nextWrite();
}

void BitableSync::nextWrite()
{
    if (m_writes.isEmpty()) {
        finish(m_report.error.isEmpty(), m_report.error);
        return;
    }
    auto [create, items] = m_writes.takeFirst();
    if (create)
        sendCreates(items);
    else
        sendUpdates(items);
}

void BitableSync::sendCreates(QList<WriteItem> items)
{
    const QString token = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QJsonArray records;
    for (const WriteItem &it : items) {
        records.append(QJsonObject{{QStringLiteral("fields"), it.fields}});
        TicketSyncInfo info = m_store->syncInfo(it.ticketId);
        info.clientToken = token;
        m_store->setSyncInfo(info);
    }
    m_client.batchCreate(records, token,
                         [this, items](const BitableClient::Result &r, const QList<BitableRecord> &recs) {
                             onWritten(items, true, r, recs);
                         });
}

void BitableSync::sendUpdates(QList<WriteItem> items)
{
    QJsonArray records;
    for (const WriteItem &it : items)
        records.append(
            QJsonObject{{QStringLiteral("record_id"), it.recordId}, {QStringLiteral("fields"), it.fields}});
    m_client.batchUpdate(records,
                         [this, items](const BitableClient::Result &r, const QList<BitableRecord> &recs) {
                             onWritten(items, false, r, recs);
                         });
}

void BitableSync::markFailed(const QList<WriteItem> &items, const QString &reason)
{
    for (const WriteItem &it : items) {
        TicketSyncInfo info = m_store->syncInfo(it.ticketId);
        if (info.state == TicketSyncState::Conflict)
            continue;
        info.state = TicketSyncState::Error;
        info.reason = reason;
        info.clientToken.clear();
        m_store->setSyncInfo(info);
        ++m_report.failed;
    }
}

void BitableSync::onWritten(const QList<WriteItem> &items, bool create, const BitableClient::Result &r,
                            const QList<BitableRecord> &records)
{
    if (!r.ok) {
        Reason why;
        why.kind = Reason::Kind::WriteRefused;
        why.code = r.code;
        why.message = r.message;
        const QString reason = why.english();
        if (r.conversionError && items.size() > 1) {
            // One record's value was refused for the whole batch: one by one, so only it fails.
            Progress p;
            p.step = Progress::Step::SplittingBatch;
            p.done = m_writesDone;
            p.total = m_writesTotal;
            p.created = int(items.size());
            p.code = r.code;
            p.what = r.message;
            report(p);
            for (qsizetype i = items.size() - 1; i >= 0; --i)
                m_writes.prepend({create, {items.at(i)}});
        } else if (r.conversionError) {
            const auto t = m_store->ticket(items.first().ticketId);
            m_report.problems << QStringLiteral("ticket %1: Bitable refused a value (%2)")
                                     .arg(t ? t->number : QString::number(items.first().ticketId), reason);
            why.kind = Reason::Kind::ValueRefused;
            markFailed(items, why.english());
            m_writesDone += int(items.size());
        } else {
            markFailed(items, reason);
            m_writesDone += int(items.size());
            if (m_report.error.isEmpty()) {
                m_report.error = QStringLiteral("Bitable refused a write: %1").arg(reason);
                m_report.failure = Failure::WriteRefused;
                m_report.failureCode = r.code;
                m_report.failureMessage = r.message;
            }
        }
        QTimer::singleShot(0, this, &BitableSync::nextWrite);
        return;
    }
    for (qsizetype i = 0; i < items.size(); ++i) {
        const WriteItem &it = items.at(i);
        auto t = m_store->ticket(it.ticketId);
        if (!t)
            continue;
        TicketSyncInfo info = m_store->syncInfo(it.ticketId);
        if (create) {
            const BitableRecord rec = records.value(i);
            if (rec.recordId.isEmpty()) {
                Reason none;
                none.kind = Reason::Kind::NoRecordCreated;
                markFailed({it}, none.english());
                continue;
            }
            t->recordId = rec.recordId;
            t->remoteUpdatedAt = std::max(t->remoteUpdatedAt, rec.lastModifiedTime);
            ++m_report.created;
        } else {
            ++m_report.updatedRemote;
        }
        // The base becomes what Bitable now holds: the values pushed (for an update, the base
        // with the pushed changes).
        QHash<QString, QString> base = create || info.base.isEmpty() ? it.values : info.base;
        if (!create) {
            for (const QString &k : TicketFields::changedKeys(info.base, it.values))
                base.insert(k, it.values.value(k));
        }
        info.base = base;
        info.clientToken.clear();
        info.reason.clear();
        if (info.state != TicketSyncState::Conflict) {
            // Edited while the write was on its way: still pending.
            const bool editedMeanwhile =
                !TicketFields::changedKeys(it.values, TicketFields::values(*t)).isEmpty();
            info.state = editedMeanwhile ? TicketSyncState::Pending : TicketSyncState::Synced;
        }
        m_store->saveSynced(*t, info);
    }
    m_writesDone += int(items.size());
    Progress p;
    p.step = Progress::Step::Pushed;
    p.done = m_writesDone;
    p.total = m_writesTotal;
    report(p);
    QTimer::singleShot(0, this, &BitableSync::nextWrite);
}
