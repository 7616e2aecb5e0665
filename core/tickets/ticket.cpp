#include "tickets/ticket.h"

namespace {

struct Pair
{
    const char16_t *code;
    const char16_t *label;
};

constexpr Pair kStatuses[] = {{u"new", u"新建"},
                              {u"in_progress", u"处理中"},
                              {u"waiting_customer", u"待客户反馈"},
                              {u"resolved", u"已解决"},
                              {u"closed", u"已关闭"}};

constexpr Pair kUrgencies[] = {{u"low", u"低"}, {u"normal", u"中"}, {u"high", u"高"}, {u"critical", u"紧急"}};

template<size_t N> QString toLabel(const Pair (&table)[N], const QString &code)
{
    for (const Pair &p : table) {
        if (code == QStringView(p.code))
            return QString::fromUtf16(p.label);
    }
    return {};
}

template<size_t N> QString toCode(const Pair (&table)[N], const QString &value)
{
    const QString v = value.trimmed();
    for (const Pair &p : table) {
        if (v == QStringView(p.label) || v == QStringView(p.code))
            return QString::fromUtf16(p.code);
    }
    return {};
}

} // namespace

QStringList TicketStatus::codes()
{
    QStringList out;
    for (const Pair &p : kStatuses)
        out << QString::fromUtf16(p.code);
    return out;
}

QString TicketStatus::label(const QString &code)
{
    return toLabel(kStatuses, code);
}

QString TicketStatus::fromLabel(const QString &label)
{
    return toCode(kStatuses, label);
}

bool TicketStatus::isValid(const QString &code)
{
    return !label(code).isEmpty();
}

bool TicketStatus::isFinal(const QString &code)
{
    return code == QLatin1String("resolved") || code == QLatin1String("closed");
}

QString TicketUrgency::label(const QString &code)
{
    const QString l = toLabel(kUrgencies, code);
    return l.isEmpty() ? code : l;
}

QString TicketUrgency::fromLabel(const QString &label)
{
    const QString c = toCode(kUrgencies, label);
    return c.isEmpty() ? label.trimmed() : c;
}

const QList<TicketFields::Field> &TicketFields::all()
{
    static const QList<Field> fields = {
        {QStringLiteral("number"), QStringLiteral("工单编号"), Kind::Text, true},
        {QStringLiteral("title"), QStringLiteral("标题"), Kind::Text, true},
        {QStringLiteral("customer"), QStringLiteral("客户"), Kind::Text, true},
        {QStringLiteral("vin"), QStringLiteral("车架号"), Kind::Text, true},
        {QStringLiteral("plate"), QStringLiteral("车牌"), Kind::Text, true},
        {QStringLiteral("model"), QStringLiteral("车型"), Kind::Text, true},
        {QStringLiteral("category"), QStringLiteral("分类"), Kind::SingleSelect, true},
        {QStringLiteral("urgency"), QStringLiteral("紧急程度"), Kind::SingleSelect, true},
        {QStringLiteral("status"), QStringLiteral("状态"), Kind::SingleSelect, true},
        {QStringLiteral("assignee"), QStringLiteral("处理人"), Kind::Text, true},
        {QStringLiteral("summary"), QStringLiteral("问题描述"), Kind::Text, true},
        {QStringLiteral("resolution"), QStringLiteral("解决方案"), Kind::Text, true},
        {QStringLiteral("createdAt"), QStringLiteral("创建时间"), Kind::Date, false},
        {QStringLiteral("updatedAt"), QStringLiteral("更新时间"), Kind::Date, false},
    };
    return fields;
}

const TicketFields::Field *TicketFields::find(const QString &key)
{
    for (const Field &f : all()) {
        if (f.key == key)
            return &f;
    }
    return nullptr;
}

QHash<QString, QString> TicketFields::values(const Ticket &t)
{
    return {{QStringLiteral("number"), t.number},
            {QStringLiteral("title"), t.title},
            {QStringLiteral("customer"), t.customerName},
            {QStringLiteral("vin"), t.vin},
            {QStringLiteral("plate"), t.plate},
            {QStringLiteral("model"), t.vehicleModel},
            {QStringLiteral("category"), t.category},
            {QStringLiteral("urgency"), t.urgency},
            {QStringLiteral("status"), t.status},
            {QStringLiteral("assignee"), t.assignee},
            {QStringLiteral("summary"), t.summary},
            {QStringLiteral("resolution"), t.resolution},
            {QStringLiteral("createdAt"), QString::number(t.createdAt)},
            {QStringLiteral("updatedAt"), QString::number(t.updatedAt)}};
}

void TicketFields::apply(Ticket *t, const QHash<QString, QString> &v)
{
    auto set = [&v](const char *key, QString *target) {
        const auto it = v.constFind(QLatin1String(key));
        if (it != v.constEnd())
            *target = *it;
    };
    set("number", &t->number);
    set("title", &t->title);
    set("customer", &t->customerName);
    set("vin", &t->vin);
    set("plate", &t->plate);
    set("model", &t->vehicleModel);
    set("category", &t->category);
    set("urgency", &t->urgency);
    set("status", &t->status);
    set("assignee", &t->assignee);
    set("summary", &t->summary);
    set("resolution", &t->resolution);
    if (const auto it = v.constFind(QStringLiteral("createdAt")); it != v.constEnd() && it->toLongLong() > 0)
        t->createdAt = it->toLongLong();
}

QJsonObject TicketFields::toJson(const QHash<QString, QString> &values)
{
    QJsonObject o;
    for (auto it = values.constBegin(); it != values.constEnd(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QHash<QString, QString> TicketFields::fromJson(const QJsonObject &json)
{
    QHash<QString, QString> out;
    for (auto it = json.constBegin(); it != json.constEnd(); ++it)
        out.insert(it.key(), it.value().toString());
    return out;
}

QStringList TicketFields::changedKeys(const QHash<QString, QString> &from, const QHash<QString, QString> &to)
{
    QStringList out;
    for (const Field &f : all()) {
        if (f.compared && from.value(f.key) != to.value(f.key))
            out << f.key;
    }
    return out;
}

QString TicketSync::stateName(TicketSyncState s)
{
    switch (s) {
    case TicketSyncState::Synced:
        return QStringLiteral("synced");
    case TicketSyncState::Pending:
        return QStringLiteral("pending");
    case TicketSyncState::Conflict:
        return QStringLiteral("conflict");
    case TicketSyncState::Error:
        return QStringLiteral("error");
    }
    return {};
}

TicketSyncState TicketSync::parseState(const QString &name)
{
    if (name == QLatin1String("synced"))
        return TicketSyncState::Synced;
    if (name == QLatin1String("conflict"))
        return TicketSyncState::Conflict;
    if (name == QLatin1String("error"))
        return TicketSyncState::Error;
    return TicketSyncState::Pending;
}
