#include "tickettext.h"

#include <QCoreApplication>
#include <QDateTime>

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("TicketText", text);
}
} // namespace

QString TicketText::status(const QString &code)
{
    if (code == QLatin1String("new"))
        return QCoreApplication::translate("TicketText", "New");
    if (code == QLatin1String("in_progress"))
        return QCoreApplication::translate("TicketText", "In progress");
    if (code == QLatin1String("waiting_customer"))
        return QCoreApplication::translate("TicketText", "Waiting for the customer");
    if (code == QLatin1String("resolved"))
        return QCoreApplication::translate("TicketText", "Resolved");
    if (code == QLatin1String("closed"))
        return QCoreApplication::translate("TicketText", "Closed");
    return code;
}

QString TicketText::syncState(TicketSyncState state)
{
    switch (state) {
    case TicketSyncState::Synced:
        return QCoreApplication::translate("TicketText", "Synced");
    case TicketSyncState::Pending:
        return QCoreApplication::translate("TicketText", "Pending");
    case TicketSyncState::Conflict:
        return QCoreApplication::translate("TicketText", "Conflict");
    case TicketSyncState::Error:
        return QCoreApplication::translate("TicketText", "Error");
    }
    return {};
}

QString TicketText::syncReason(const BitableSync::Reason &r)
{
    using Kind = BitableSync::Reason::Kind;
    switch (r.kind) {
    case Kind::None:
        return {};
    case Kind::BothChanged:
        return QCoreApplication::translate("TicketText", "changed here and in Bitable: %1")
            .arg(r.fields.join(QCoreApplication::translate("TicketText", ", ")));
    case Kind::ValueRefused:
        return QCoreApplication::translate("TicketText", "Bitable refused a value (code %1: %2)")
            .arg(r.code)
            .arg(r.message);
    case Kind::WriteRefused:
        return QCoreApplication::translate("TicketText", "code %1: %2").arg(r.code).arg(r.message);
    case Kind::NoRecordCreated:
        return QCoreApplication::translate("TicketText", "Bitable created no record for it");
    case Kind::Other:
        return r.text;
    }
    return {};
}

QString TicketText::syncLine(TicketSyncState state, const BitableSync::Reason &reason)
{
    if (reason.kind == BitableSync::Reason::Kind::None ||
        (state != TicketSyncState::Error && state != TicketSyncState::Conflict))
        return syncState(state);
    return QCoreApplication::translate("TicketText", "%1: %2").arg(syncState(state), syncReason(reason));
}

QString TicketText::syncProgress(const BitableSync::Progress &p)
{
    using Step = BitableSync::Progress::Step;
    switch (p.step) {
    case Step::ReadingFields:
        return QCoreApplication::translate("TicketText", "reading the table's fields");
    case Step::Pulled:
        return QCoreApplication::translate("TicketText", "pulled %1 of %2 records").arg(p.done).arg(p.total);
    case Step::Pushing:
        return QCoreApplication::translate("TicketText", "pushing %1 tickets (%2 new)")
            .arg(p.total)
            .arg(p.created);
    case Step::Pushed:
        return QCoreApplication::translate("TicketText", "pushed %1 of %2 tickets").arg(p.done).arg(p.total);
    case Step::Retrying:
        return QCoreApplication::translate("TicketText", "Bitable answered code %1, retry %2 in %3 s")
            .arg(p.code)
            .arg(p.attempt)
            .arg((p.delayMs + 999) / 1000);
    case Step::SplittingBatch:
        return QCoreApplication::translate(
                   "TicketText", "a batch of %1 was refused (code %2: %3); sending its records one by one")
            .arg(p.created)
            .arg(p.code)
            .arg(p.what);
    }
    return {};
}

QString TicketText::bitableType(int type)
{
    switch (type) {
    case 1:
        return QCoreApplication::translate("TicketText", "text");
    case 2:
        return QCoreApplication::translate("TicketText", "number");
    case 3:
        return QCoreApplication::translate("TicketText", "single select");
    case 4:
        return QCoreApplication::translate("TicketText", "multi select");
    case 5:
        return QCoreApplication::translate("TicketText", "date");
    case 7:
        return QCoreApplication::translate("TicketText", "checkbox");
    case 11:
        return QCoreApplication::translate("TicketText", "person");
    case 15:
        return QCoreApplication::translate("TicketText", "link");
    case 1001:
        return QCoreApplication::translate("TicketText", "created time");
    case 1002:
        return QCoreApplication::translate("TicketText", "modified time");
    default:
        return QCoreApplication::translate("TicketText", "type %1").arg(type);
    }
}

QString TicketText::mappingProblem(const MappingProblem &p)
{
    using Kind = MappingProblem::Kind;
    switch (p.kind) {
    case Kind::MappedTwice:
        return QCoreApplication::translate("TicketText",
                                           "the Bitable field \"%1\" is mapped twice (%2 and %3)")
            .arg(p.field, field(p.otherKey), field(p.key));
    case Kind::Missing:
        return QCoreApplication::translate("TicketText", "the table has no field \"%1\" (for %2)")
            .arg(p.field, field(p.key));
    case Kind::WrongType:
        return QCoreApplication::translate("TicketText", "the field \"%1\" (for %2) is %3; it must be %4")
            .arg(p.field, field(p.key), bitableType(p.actualType),
                 p.expectedType == 5
                     ? QCoreApplication::translate("TicketText", "date (or created/modified time)")
                     : bitableType(p.expectedType));
    case Kind::MissingStatusOptions:
        return QCoreApplication::translate("TicketText", "the field \"%1\" lacks the status options %2")
            .arg(p.field, p.missingOptions.join(QCoreApplication::translate("TicketText", ", ")));
    }
    return {};
}

QString TicketText::syncOutcome(const BitableSync::Report &r)
{
    using Failure = BitableSync::Failure;
    if (r.ok)
        return QCoreApplication::translate("TicketText",
                                           "%n ticket(s) pulled, %1 pushed, %2 conflict(s), %3 failed",
                                           nullptr, r.pulled)
            .arg(r.created + r.updatedRemote)
            .arg(r.conflicts)
            .arg(r.failed);
    const QString platform = r.failureCode != 0 ? QCoreApplication::translate("TicketText", "code %1: %2")
                                                      .arg(r.failureCode)
                                                      .arg(r.failureMessage)
                                                : r.failureMessage;
    switch (r.failure) {
    case Failure::None:
        break;
    case Failure::NotConfigured:
        return QCoreApplication::translate(
            "TicketText",
            "Bitable is not configured: set BITABLE_APP_TOKEN and BITABLE_TABLE_ID in the settings.");
    case Failure::FieldsUnreadable:
        return QCoreApplication::translate("TicketText", "the table's fields cannot be read (%1).")
            .arg(platform);
    case Failure::FieldsMismatch: {
        QStringList lines;
        for (const MappingProblem &p : r.mappingProblems)
            lines << mappingProblem(p);
        return QCoreApplication::translate(
                   "TicketText",
                   "the Bitable table does not fit the ticket field map, nothing was written: %1")
            .arg(lines.join(QCoreApplication::translate("TicketText", "; ")));
    }
    case Failure::RecordsUnreadable:
        return QCoreApplication::translate("TicketText", "the Bitable records cannot be read (%1).")
            .arg(platform);
    case Failure::WriteRefused:
        return QCoreApplication::translate("TicketText", "Bitable refused a write (%1).").arg(platform);
    }
    return r.error;
}

QColor TicketText::syncColour(TicketSyncState state)
{
    switch (state) {
    case TicketSyncState::Synced:
        return QColor(0x2e, 0x7d, 0x32);
    case TicketSyncState::Pending:
        return QColor(0x75, 0x75, 0x75);
    case TicketSyncState::Conflict:
        return QColor(0xe6, 0x51, 0x00);
    case TicketSyncState::Error:
        return QColor(0xc6, 0x28, 0x28);
    }
    return {};
}

QString TicketText::field(const QString &key)
{
    struct Name
    {
        const char *key;
        const char *text;
    };
    static const Name names[] = {
        {"number", QT_TRANSLATE_NOOP("TicketText", "Number")},
        {"title", QT_TRANSLATE_NOOP("TicketText", "Title")},
        {"customer", QT_TRANSLATE_NOOP("TicketText", "Customer")},
        {"vin", QT_TRANSLATE_NOOP("TicketText", "VIN")},
        {"plate", QT_TRANSLATE_NOOP("TicketText", "Plate")},
        {"model", QT_TRANSLATE_NOOP("TicketText", "Model")},
        {"category", QT_TRANSLATE_NOOP("TicketText", "Category")},
        {"urgency", QT_TRANSLATE_NOOP("TicketText", "Urgency")},
        {"status", QT_TRANSLATE_NOOP("TicketText", "Status")},
        {"assignee", QT_TRANSLATE_NOOP("TicketText", "Assignee")},
        {"summary", QT_TRANSLATE_NOOP("TicketText", "Description")},
        {"resolution", QT_TRANSLATE_NOOP("TicketText", "Resolution")},
        {"createdAt", QT_TRANSLATE_NOOP("TicketText", "Created")},
        {"updatedAt", QT_TRANSLATE_NOOP("TicketText", "Updated")},
    };
    for (const Name &n : names) {
        if (key == QLatin1String(n.key))
            return tr(n.text);
    }
    return key;
}

QString TicketText::value(const QString &key, const QString &raw)
{
    if (key == QLatin1String("status"))
        return status(raw);
    if (key == QLatin1String("createdAt") || key == QLatin1String("updatedAt")) {
        const qint64 ms = raw.toLongLong();
        return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                      : QString();
    }
    return raw;
}
