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

QString TicketText::syncLine(TicketSyncState state, const QString &reason)
{
    if (reason.isEmpty() || (state != TicketSyncState::Error && state != TicketSyncState::Conflict))
        return syncState(state);
    QString why = reason;
    // The sync's own words for a conflict, in the console's language.
    const QLatin1String clash("changed here and in Bitable: ");
    if (state == TicketSyncState::Conflict && why.startsWith(clash))
        why = QCoreApplication::translate("TicketText", "changed here and in Bitable: %1")
                  .arg(why.mid(clash.size()));
    return QCoreApplication::translate("TicketText", "%1: %2").arg(syncState(state), why);
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
