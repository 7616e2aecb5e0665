#pragma once

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include "feishu/bitableclient.h"

// One way the table does not fit the mapping, as a stable kind with its facts (the console words
// it in its language); english() is the sentence for the log and the command line.
struct MappingProblem
{
    enum class Kind { MappedTwice, Missing, WrongType, MissingStatusOptions };
    Kind kind = Kind::Missing;
    QString field;              // the Bitable field name
    QString key;                // the ticket field (a TicketFields key)
    QString otherKey;           // MappedTwice: the other ticket field mapped to the same name
    int actualType = 0;         // WrongType: the field's Bitable type
    int expectedType = 0;       // WrongType: 1 text, 3 single select, 5 date (1001/1002 also do)
    QStringList missingOptions; // MissingStatusOptions: the status labels the field lacks
    QString english() const;
};

// Which Bitable field holds which ticket field, and the conversions both ways. The default
// names are the team's (工单编号, 标题, 客户, 车架号, 车牌, 车型, 分类, 紧急程度, 状态, 处理人, 问题描述,
// 解决方案, 创建时间, 更新时间); a team with other names overrides them in the settings
// (TICKETS_FIELD_MAP: a JSON object {"title":"工单标题", ...}; "" leaves a field out of the sync,
// except number and status which the sync needs).
class BitableMapping final
{
public:
    static BitableMapping defaults();
    // Defaults overridden by `json` (keys of TicketFields). False with *error for unknown keys.
    static bool fromJson(const QJsonObject &json, BitableMapping *out, QString *error);
    static bool fromText(const QString &text, BitableMapping *out,
                         QString *error); // JSON text, '' = defaults

    QString fieldName(const QString &key) const { return m_names.value(key); }
    void setFieldName(const QString &key, const QString &name) { m_names.insert(key, name); }
    QStringList mappedKeys() const; // keys with a field name, in TicketFields order

    // Checks the table's fields (from the fields API): every mapped field must exist with a
    // usable type (text 1; single select 3; dates 5, or 1001/1002 which are then only read).
    // Returns one clear message per problem; empty when the mapping fits. Remembers which
    // fields are read-only.
    QList<MappingProblem> check(const QList<BitableField> &fields);
    QStringList validate(const QList<BitableField> &fields); // check(), in English
    bool isValidated() const { return m_validated; }
    bool isWritable(const QString &key) const;

    // Ticket values (TicketFields keys) -> the record's "fields" object for a write. Empty values
    // are written as null (clears the cell). Only mapped, writable keys.
    QJsonObject toRecordFields(const QHash<QString, QString> &values) const;
    // A record's fields -> ticket values. Missing cells read as ''. A value that cannot be read
    // (a status that is not one of the five, a date that is not a number) adds a message to
    // *problems and is left out.
    QHash<QString, QString> fromRecordFields(const QJsonObject &fields, QStringList *problems) const;

    // Text as Bitable gives it: a string, an array of segments [{"type":"text","text":".."}],
    // a number, an option or link object.
    static QString readText(const QJsonValue &value);

    static QString typeName(int type);

private:
    QHash<QString, QString> m_names; // key -> Bitable field name ('' = not synced)
    QSet<QString> m_readOnly;        // keys mapped to automatic fields (1001/1002)
    bool m_validated = false;
};
