#pragma once

#include <variant>

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <QUrl>

#include "logging/logging.h"

struct AppConfig;

// One row of the settings table: everything the program knows about one configuration key.
// The table (SettingsTable::all()) is the single source for the .env reader and the environment
// (AppConfig::resolve), the settings saved by the console (AppConfig::Inputs::saved), --help, the
// validation messages and the console's settings page.
//
// Adding a key: one row in settingstable.cpp and one field in AppConfig (the row's `field`).
struct SettingSpec
{
    enum class Type {
        Text,    // any string
        Url,     // an http(s) URL
        Path,    // a file that must be readable when given
        Integer, // a whole number within [minimum, maximum]
        Decimal, // a number within [minimum, maximum]
        Boolean, // true/false, yes/no, on/off, 1/0 (any case)
        Choice,  // one of `choices` (any case; stored in the table's spelling)
    };
    // Groups of the settings page and of --help, in this order.
    enum class Group { Feishu, Assistant, Sessions, Interface, Logging };
    // What an invalid value does: Fatal stops the start with the message (exit code 2);
    // Fallback logs the message as a warning and uses the default.
    enum class OnInvalid { Fallback, Fatal };

    // The AppConfig member a key resolves into.
    using Field = std::variant<QString AppConfig::*, int AppConfig::*, double AppConfig::*, bool AppConfig::*,
                               QUrl AppConfig::*, Logging::Level AppConfig::*>;

    const char *key = "";
    Type type = Type::Text;
    Group group = Group::Feishu;
    // The default as text ("" = empty). "{data-dir}" stands for the resolved data dir.
    const char *defaultValue = "";
    // When set and the key is not given: the resolved value of this other (earlier) key.
    const char *defaultFrom = nullptr;
    double minimum = 0; // Integer and Decimal
    double maximum = 0;
    const char *choices = ""; // Choice: comma-separated, canonical spelling
    // Value aliases accepted on input, "alias=value;alias=value" (e.g. feishu=https://open.feishu.cn).
    const char *aliases = "";
    // English help text; translated in the "Settings" context (QT_TRANSLATE_NOOP in the table).
    const char *help = "";
    bool secret = false; // never logged, never shown, never stored in plaintext settings
    OnInvalid onInvalid = OnInvalid::Fallback;
    Field field;
    // Extra check beyond the type (e.g. the proxy syntax); false with *why on a bad value.
    bool (*validate)(const QString &value, QString *why) = nullptr;

    QString name() const { return QString::fromLatin1(key); }
    QStringList choiceList() const;
};

namespace SettingsTable {

// Every key, in display order (grouped).
const QList<SettingSpec> &all();
// The row of `key`, or nullptr for a key the program does not know.
const SettingSpec *find(QStringView key);
QStringList keys();

QString groupName(SettingSpec::Group group);   // English ("Feishu", "Assistant", ...)
QList<SettingSpec::Group> groups();

// The default of a row as text, for display ("{data-dir}" replaced when dataDir is given).
QString defaultText(const SettingSpec &spec, const QString &dataDir = {});
// What the key accepts, for help and messages: "a whole number from 0 to 10", "one of a, b".
QString acceptedText(const SettingSpec &spec);

// Checks `value` against the row. On success *normalized holds the canonical text (trimmed,
// aliases resolved, choices in the table's spelling, trailing '/' cut from URLs). On failure
// *error is the validation message, naming the key, what is allowed and the value given (a
// secret's value is never repeated).
bool check(const SettingSpec &spec, const QString &value, QString *normalized, QString *error);

// Boolean texts: 1/true/yes/on and 0/false/no/off (any case). False for anything else.
bool parseBool(const QString &text, bool *value);

// The configuration part of --help, generated from the table.
QString helpText();

} // namespace SettingsTable
