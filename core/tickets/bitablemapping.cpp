#include "tickets/bitablemapping.h"

#include <QJsonArray>
#include <QJsonDocument>

#include "tickets/ticket.h"

namespace {

constexpr int kText = 1;
constexpr int kNumber = 2;
constexpr int kSingleSelect = 3;
constexpr int kDate = 5;
constexpr int kCreatedTime = 1001;
constexpr int kModifiedTime = 1002;

bool requiredKey(const QString &key)
{
    return key == QLatin1String("number") || key == QLatin1String("status");
}

} // namespace

BitableMapping BitableMapping::defaults()
{
    BitableMapping m;
    for (const TicketFields::Field &f : TicketFields::all())
        m.m_names.insert(f.key, f.defaultName);
    return m;
}

bool BitableMapping::fromJson(const QJsonObject &json, BitableMapping *out, QString *error)
{
    BitableMapping m = defaults();
    for (auto it = json.constBegin(); it != json.constEnd(); ++it) {
        if (!TicketFields::find(it.key())) {
            *error =
                QStringLiteral("the ticket field map names an unknown ticket field \"%1\"").arg(it.key());
            return false;
        }
        if (!it.value().isString()) {
            *error = QStringLiteral("the ticket field map's \"%1\" must be a Bitable field name (a string)")
                         .arg(it.key());
            return false;
        }
        const QString name = it.value().toString().trimmed();
        if (name.isEmpty() && requiredKey(it.key())) {
            *error = QStringLiteral("the ticket field map cannot leave out \"%1\": the sync needs it")
                         .arg(it.key());
            return false;
        }
        m.m_names.insert(it.key(), name);
    }
    *out = std::move(m);
    return true;
}

bool BitableMapping::fromText(const QString &text, BitableMapping *out, QString *error)
{
    if (text.trimmed().isEmpty()) {
        *out = defaults();
        return true;
    }
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &perr);
    if (!doc.isObject()) {
        *error = QStringLiteral("the ticket field map is not a JSON object: %1").arg(perr.errorString());
        return false;
    }
    return fromJson(doc.object(), out, error);
}

QStringList BitableMapping::mappedKeys() const
{
    QStringList out;
    for (const TicketFields::Field &f : TicketFields::all()) {
        if (!m_names.value(f.key).isEmpty())
            out << f.key;
    }
    return out;
}

QString BitableMapping::typeName(int type)
{
    switch (type) {
    case kText:
        return QStringLiteral("text");
    case kNumber:
        return QStringLiteral("number");
    case kSingleSelect:
        return QStringLiteral("single select");
    case 4:
        return QStringLiteral("multi select");
    case kDate:
        return QStringLiteral("date");
    case 7:
        return QStringLiteral("checkbox");
    case 11:
        return QStringLiteral("person");
    case 15:
        return QStringLiteral("link");
    case kCreatedTime:
        return QStringLiteral("created time");
    case kModifiedTime:
        return QStringLiteral("modified time");
    default:
        return QStringLiteral("type %1").arg(type);
    }
}

QString MappingProblem::english() const
{
    switch (kind) {
    case Kind::MappedTwice:
        return QStringLiteral("Bitable field \"%1\" is mapped twice (%2 and %3)").arg(field, otherKey, key);
    case Kind::Missing:
        return QStringLiteral("Bitable field \"%1\" (ticket %2) is missing from the table").arg(field, key);
    case Kind::WrongType:
        return QStringLiteral("Bitable field \"%1\" (ticket %2) is %3, it must be %4")
            .arg(field, key, BitableMapping::typeName(actualType),
                 expectedType == kDate ? QStringLiteral("date (or created/modified time)")
                                       : BitableMapping::typeName(expectedType));
    case Kind::MissingStatusOptions:
        return QStringLiteral("Bitable field \"%1\" lacks the status options %2")
            .arg(field, missingOptions.join(QStringLiteral(", ")));
    }
    return {};
}

QStringList BitableMapping::validate(const QList<BitableField> &fields)
{
    QStringList problems;
    for (const MappingProblem &p : check(fields))
        problems << p.english();
    return problems;
}

QList<MappingProblem> BitableMapping::check(const QList<BitableField> &fields)
{
    QList<MappingProblem> problems;
    m_readOnly.clear();
    QHash<QString, const BitableField *> byName;
    for (const BitableField &f : fields)
        byName.insert(f.name, &f);
    QHash<QString, QString> usedBy;
    for (const QString &key : mappedKeys()) {
        const TicketFields::Field *tf = TicketFields::find(key);
        MappingProblem problem;
        problem.field = m_names.value(key);
        problem.key = key;
        if (usedBy.contains(problem.field)) {
            problem.kind = MappingProblem::Kind::MappedTwice;
            problem.otherKey = usedBy.value(problem.field);
            problems << problem;
            continue;
        }
        usedBy.insert(problem.field, key);
        const BitableField *f = byName.value(problem.field);
        if (!f) {
            problem.kind = MappingProblem::Kind::Missing;
            problems << problem;
            continue;
        }
        int expected = kText;
        bool ok = false;
        switch (tf->kind) {
        case TicketFields::Kind::Text:
            ok = f->type == kText;
            break;
        case TicketFields::Kind::SingleSelect:
            ok = f->type == kSingleSelect;
            expected = kSingleSelect;
            break;
        case TicketFields::Kind::Date:
            ok = f->type == kDate || f->type == kCreatedTime || f->type == kModifiedTime;
            expected = kDate;
            if (f->type == kCreatedTime || f->type == kModifiedTime)
                m_readOnly.insert(key);
            break;
        }
        if (!ok) {
            problem.kind = MappingProblem::Kind::WrongType;
            problem.actualType = f->type;
            problem.expectedType = expected;
            problems << problem;
            continue;
        }
        if (key == QLatin1String("status") && !f->options.isEmpty()) {
            for (const QString &code : TicketStatus::codes()) {
                if (!f->options.contains(TicketStatus::label(code)))
                    problem.missingOptions << TicketStatus::label(code);
            }
            if (!problem.missingOptions.isEmpty()) {
                problem.kind = MappingProblem::Kind::MissingStatusOptions;
                problems << problem;
            }
        }
    }
    m_validated = problems.isEmpty();
    return problems;
}

bool BitableMapping::isWritable(const QString &key) const
{
    return !m_names.value(key).isEmpty() && !m_readOnly.contains(key);
}

QJsonObject BitableMapping::toRecordFields(const QHash<QString, QString> &values) const
{
    QJsonObject out;
    for (const QString &key : mappedKeys()) {
        if (!isWritable(key) || !values.contains(key))
            continue;
        const TicketFields::Field *tf = TicketFields::find(key);
        const QString v = values.value(key);
        QJsonValue json;
        if (tf->kind == TicketFields::Kind::Date) {
            const qint64 ms = v.toLongLong();
            json = ms > 0 ? QJsonValue(double(ms)) : QJsonValue(QJsonValue::Null);
        } else if (v.isEmpty()) {
            json = QJsonValue(QJsonValue::Null);
        } else if (key == QLatin1String("status")) {
            json = TicketStatus::label(v).isEmpty() ? v : TicketStatus::label(v);
        } else if (key == QLatin1String("urgency")) {
            json = TicketUrgency::label(v);
        } else {
            json = v;
        }
        out.insert(m_names.value(key), json);
    }
    return out;
}

QString BitableMapping::readText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double: {
        const double d = value.toDouble();
        return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d);
    }
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Array: {
        QString out;
        for (const QJsonValue &seg : value.toArray())
            out += readText(seg);
        return out;
    }
    case QJsonValue::Object: {
        const QJsonObject o = value.toObject();
        for (const char *k : {"text", "name", "link", "value"}) {
            if (o.contains(QLatin1String(k)))
                return readText(o.value(QLatin1String(k)));
        }
        return {};
    }
    default:
        return {};
    }
}

QHash<QString, QString> BitableMapping::fromRecordFields(const QJsonObject &fields,
                                                         QStringList *problems) const
{
    QHash<QString, QString> out;
    for (const QString &key : mappedKeys()) {
        const QString name = m_names.value(key);
        const QJsonValue v = fields.value(name);
        const TicketFields::Field *tf = TicketFields::find(key);
        if (tf->kind == TicketFields::Kind::Date) {
            if (v.isUndefined() || v.isNull()) {
                out.insert(key, QStringLiteral("0"));
                continue;
            }
            bool ok = v.isDouble();
            qint64 ms = v.isDouble() ? qint64(v.toDouble()) : readText(v).toLongLong(&ok);
            if (!ok || ms < 0) {
                problems->append(QStringLiteral("%1: \"%2\" is not a date").arg(name, readText(v)));
                continue;
            }
            out.insert(key, QString::number(ms));
            continue;
        }
        const QString text = readText(v).trimmed();
        if (key == QLatin1String("status")) {
            const QString code = text.isEmpty() ? QStringLiteral("new") : TicketStatus::fromLabel(text);
            if (code.isEmpty()) {
                problems->append(QStringLiteral("%1: \"%2\" is not one of %3")
                                     .arg(name, text,
                                          QStringList{TicketStatus::label(QStringLiteral("new")),
                                                      TicketStatus::label(QStringLiteral("in_progress")),
                                                      TicketStatus::label(QStringLiteral("waiting_customer")),
                                                      TicketStatus::label(QStringLiteral("resolved")),
                                                      TicketStatus::label(QStringLiteral("closed"))}
                                              .join(QStringLiteral(" / "))));
                continue;
            }
            out.insert(key, code);
        } else if (key == QLatin1String("urgency")) {
            out.insert(key, TicketUrgency::fromLabel(text));
        } else {
            out.insert(key, key == QLatin1String("summary") || key == QLatin1String("resolution")
                                ? readText(v)
                                : text);
        }
    }
    return out;
}
