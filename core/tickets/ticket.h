#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

// A ticket: one customer problem, tracked locally and mirrored to a Feishu Bitable.
struct Ticket
{
    qint64 id = 0;    // local row id
    QString number;   // 工单编号, the local id as the team sees it (TK-000042, or theirs)
    QString recordId; // Bitable record id (rec...), empty until created there
    QString title;
    QString customerOpenId;
    QString customerName;
    QString chatId;
    QString vin;
    QString plate;
    QString vehicleModel;
    QString category;
    QString urgency; // low, normal, high, critical (or a team's own value from Bitable)
    QString status = QStringLiteral("new"); // see TicketStatus
    QString assignee;
    QString summary;                             // 问题描述
    QString resolution;                          // 解决方案
    QString knowledgeId;                         // the knowledge entry it came from or was promoted to
    QString origin = QStringLiteral("operator"); // operator, escalation, bitable
    qint64 createdAt = 0;                        // ms since the epoch (UTC)
    qint64 updatedAt = 0;
    qint64 remoteUpdatedAt = 0; // Bitable last_modified_time of the record as last pulled
    QList<qint64> sessionIds;   // linked conversations, oldest link first

    bool operator==(const Ticket &) const = default;
};
Q_DECLARE_METATYPE(Ticket)

namespace TicketStatus {
// Stored codes and the Chinese labels Bitable uses (新建 / 处理中 / 待客户反馈 / 已解决 / 已关闭).
QStringList codes();
QString label(const QString &code);      // '' for an unknown code
QString fromLabel(const QString &label); // code for a label or a code; '' when unknown
bool isValid(const QString &code);
bool isFinal(const QString &code); // resolved or closed
} // namespace TicketStatus

namespace TicketUrgency {
// low/normal/high/critical <-> 低/中/高/紧急; other values pass through unchanged.
QString label(const QString &code);
QString fromLabel(const QString &label);
} // namespace TicketUrgency

// The ticket fields that are mirrored to Bitable, by key. The keys name the mapping (settings)
// and the sync snapshots (ticket_sync.base / remote).
namespace TicketFields {
enum class Kind { Text, SingleSelect, Date };
struct Field
{
    QString key;         // number, title, customer, vin, ...
    QString defaultName; // the default Bitable field name (工单编号, 标题, ...)
    Kind kind = Kind::Text;
    bool compared = true; // part of change and conflict detection (times are not)
};
const QList<Field> &all();
const Field *find(const QString &key);
// The synced values of a ticket: key -> string (times as decimal ms).
QHash<QString, QString> values(const Ticket &t);
// Sets the synced values on a ticket (keys not given keep their value).
void apply(Ticket *t, const QHash<QString, QString> &values);
QJsonObject toJson(const QHash<QString, QString> &values);
QHash<QString, QString> fromJson(const QJsonObject &json);
// The keys whose compared values differ.
QStringList changedKeys(const QHash<QString, QString> &from, const QHash<QString, QString> &to);
} // namespace TicketFields

enum class TicketSyncState { Synced, Pending, Conflict, Error };

namespace TicketSync {
QString stateName(TicketSyncState s); // synced, pending, conflict, error
TicketSyncState parseState(const QString &name);
} // namespace TicketSync

// A ticket's sync bookkeeping (ticket_sync).
struct TicketSyncInfo
{
    qint64 ticketId = 0;
    TicketSyncState state = TicketSyncState::Pending;
    QString reason;                 // error: why; conflict: which fields
    QHash<QString, QString> base;   // last agreed values (empty: never synced)
    QHash<QString, QString> remote; // Bitable's values while in conflict
    QString clientToken;            // the create in flight
    qint64 updatedAt = 0;
};

// A conflict as the operator sees it: both sides of each field that differs.
struct TicketConflict
{
    qint64 ticketId = 0;
    QHash<QString, QString> local;
    QHash<QString, QString> remote;
    QHash<QString, QString> base;
    QStringList fields; // keys that both sides changed differently
};
