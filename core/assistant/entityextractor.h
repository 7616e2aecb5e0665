#pragma once

#include <QList>
#include <QString>

// One thing of interest found in a conversation.
struct Entity
{
    enum class Type { Vin, Plate, Phone, Imei, Iccid, Dtc, ErrorCode, AppVersion, VehicleModel };

    Type type = Type::Vin;
    QString value;       // normalised: upper-case VIN/plate/codes, 11-digit phone, "云驰 E7 Pro", "5.2.1"
    bool valid = true;   // false: looks like one but fails its check (VIN check digit, Luhn, unknown model)
    QString note;        // why it is invalid, or a detail ("新能源" plate)
    qsizetype start = -1; // position in the text it was found in
    qsizetype length = 0;

    static QString typeName(Type type); // vin, plate, phone, imei, iccid, dtc, error_code, app_version, vehicle_model
    static bool parseType(const QString &name, Type *type);
    // The value fit for a log line: VIN/phone as Redact does, plate/IMEI/ICCID partly masked.
    QString masked() const;

    bool operator==(const Entity &o) const { return type == o.type && value == o.value && valid == o.valid; }
};

// Deterministic extraction of vehicle and customer identifiers from Chinese support chat:
//  - VIN: 17 characters of [A-HJ-NPR-Z0-9] (any case, groups separated by spaces or '-' allowed),
//    checked with the ISO 3779 check digit (position 9) that Chinese VINs carry (GB 16735);
//    a wrong check digit gives an entity flagged invalid, not silence. 16/18-character runs are
//    not VINs.
//  - plate: province + letter + 5 characters, or the 8-character new-energy forms (D/F)
//  - phone: mainland mobile 1[3-9]x xxxx xxxx, with optional +86/0086 and separators
//  - IMEI: 15 digits passing Luhn (a failing one only when the text says IMEI)
//  - ICCID: 19-20 digits starting with 89, Luhn-checked
//  - DTC: P/B/C/U + 4 hex digits (second character 0-3); project codes E-10xx, A-20xx, K-30xx,
//    U-40xx, C-60xx (hyphen optional)
//  - app version: "驰联 APP 5.2.1", "app版本 6.0", "v5.2.1"
//  - vehicle model: 云驰 E5/E7/E7 Pro, 朔风 T3/T5, 凌霄 L7, 青屿 Q1/Q3, 远岫 R6, 铂岸 M8, 墨川 V5/V7
class EntityExtractor
{
public:
    // In order of appearance; each type+value once.
    static QList<Entity> extract(const QString &text);

    // The ISO 3779 check digit ('0'-'9' or 'X') of a 17-character VIN; a null QChar when the
    // text is not 17 VIN characters.
    static QChar vinCheckDigit(const QString &vin);
    static bool isValidVin(const QString &vin);
    static bool luhnValid(const QString &digits);
    // Known model names, "云驰 E7 Pro" style.
    static const QStringList &knownModels();
};
