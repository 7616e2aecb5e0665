#include <QTest>

#include "assistant/entityextractor.h"

using Type = Entity::Type;

class TestEntityExtractor final : public QObject
{
    Q_OBJECT
private slots:
    void vinCheckDigit();
    void luhn();
    void entities_data();
    void entities();
    void mixedMessageInOrder();
    void duplicatesOnce();
    void masking();
    void typeNamesRoundTrip();
};

// "type:value:valid" for compact comparisons.
static QStringList describe(const QList<Entity> &entities)
{
    QStringList out;
    for (const Entity &e : entities)
        out << Entity::typeName(e.type) + QLatin1Char(':') + e.value + (e.valid ? QString() : QStringLiteral(":invalid"));
    return out;
}

void TestEntityExtractor::vinCheckDigit()
{
    QCOMPARE(EntityExtractor::vinCheckDigit(QStringLiteral("1M8GDM9AXKP042788")), QLatin1Char('X')); // the ISO 3779 textbook VIN
    QVERIFY(EntityExtractor::isValidVin(QStringLiteral("1M8GDM9AXKP042788")));
    QVERIFY(EntityExtractor::isValidVin(QStringLiteral("LFV2A21K6E4123456")));
    QVERIFY(EntityExtractor::isValidVin(QStringLiteral("lgxc16df9m0987654")));
    QCOMPARE(EntityExtractor::vinCheckDigit(QStringLiteral("LFV2A21K8E4123456")), QLatin1Char('6'));
    QVERIFY(!EntityExtractor::isValidVin(QStringLiteral("LFV2A21K8E4123456")));
    QVERIFY(EntityExtractor::vinCheckDigit(QStringLiteral("LFV2A21K6E412345")).isNull()); // 16
    QVERIFY(EntityExtractor::vinCheckDigit(QStringLiteral("LFV2A21K6E41234O6")).isNull()); // O is not a VIN letter
}

void TestEntityExtractor::luhn()
{
    QVERIFY(EntityExtractor::luhnValid(QStringLiteral("860123456789014")));
    QVERIFY(!EntityExtractor::luhnValid(QStringLiteral("860123456789015")));
    QVERIFY(EntityExtractor::luhnValid(QStringLiteral("89860112345678901237")));
    QVERIFY(!EntityExtractor::luhnValid(QStringLiteral("86012345678901a")));
    QVERIFY(!EntityExtractor::luhnValid(QStringLiteral("0")));
}

void TestEntityExtractor::entities_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    auto row = [](const char *name, const QString &text, const QStringList &expected) {
        QTest::newRow(name) << text << expected;
    };
    // VINs
    row("vin valid", QStringLiteral("我的车架号是LSVAB2BJXN2000001，麻烦查一下"), {QStringLiteral("vin:LSVAB2BJXN2000001")});
    row("vin wrong check digit", QStringLiteral("VIN: LFV2A21K8E4123456"), {QStringLiteral("vin:LFV2A21K8E4123456:invalid")});
    row("vin lower case", QStringLiteral("vin lgxc16df9m0987654 谢谢"), {QStringLiteral("vin:LGXC16DF9M0987654")});
    row("vin in groups", QStringLiteral("车架号 LGX C16DF9 M0987654"), {QStringLiteral("vin:LGXC16DF9M0987654")});
    row("vin with dashes", QStringLiteral("LSVAB2-BJXN2-000001 这台"), {QStringLiteral("vin:LSVAB2BJXN2000001")});
    row("vin textbook", QStringLiteral("1M8GDM9AXKP042788"), {QStringLiteral("vin:1M8GDM9AXKP042788")});
    row("vin 16 chars", QStringLiteral("VIN LSVAB2BJXN200000 少一位"), {});
    row("vin 18 chars", QStringLiteral("VIN LSVAB2BJXN20000012 多一位"), {});
    row("vin letter O with keyword", QStringLiteral("车架号LSVAB2BJXN200000O"), {QStringLiteral("vin:LSVAB2BJXN200000O:invalid")});
    row("17 chars with O, no keyword", QStringLiteral("订单 LSVAB2BJXN200000O"), {});
    row("spaced words that fail", QStringLiteral("ABC 1234567 DEFG123 ok"), {});
    row("hex id is not a vin", QStringLiteral("trace 0123456789abcdef0123"), {});
    // Plates
    row("plate", QStringLiteral("车牌粤B12345"), {QStringLiteral("plate:粤B12345")});
    row("plate new energy small", QStringLiteral("京A·D12345 是新能源"), {QStringLiteral("plate:京AD12345")});
    row("plate new energy large", QStringLiteral("苏E12345D"), {QStringLiteral("plate:苏E12345D")});
    row("plate lower case with space", QStringLiteral("沪 a 8b2c9 这辆"), {QStringLiteral("plate:沪A8B2C9")});
    row("plate too short", QStringLiteral("粤B1234"), {});
    row("plate with I", QStringLiteral("粤BI2345"), {});
    row("brand is not a plate", QStringLiteral("云驰E5 和 青屿Q3"), {QStringLiteral("vehicle_model:云驰 E5"), QStringLiteral("vehicle_model:青屿 Q3")});
    // Phones
    row("phone", QStringLiteral("电话13812345678"), {QStringLiteral("phone:13812345678")});
    row("phone +86 spaced", QStringLiteral("+86 138 1234 5678"), {QStringLiteral("phone:13812345678")});
    row("phone 0086 dashed", QStringLiteral("0086-139-1234-5678"), {QStringLiteral("phone:13912345678")});
    row("not a mobile", QStringLiteral("12345678901"), {});
    row("12 digits", QStringLiteral("138123456789"), {});
    // IMEI / ICCID
    row("imei", QStringLiteral("T-Box IMEI 860123456789014"), {QStringLiteral("imei:860123456789014")});
    row("imei bad luhn", QStringLiteral("IMEI:860123456789015"), {QStringLiteral("imei:860123456789015:invalid")});
    row("15 digits no keyword bad luhn", QStringLiteral("单号 860123456789015"), {});
    row("iccid", QStringLiteral("ICCID 89860112345678901237"), {QStringLiteral("iccid:89860112345678901237")});
    row("iccid bad luhn", QStringLiteral("卡号89860112345678901238"), {QStringLiteral("iccid:89860112345678901238:invalid")});
    // Codes
    row("dtc", QStringLiteral("仪表报P0562和u0100，还有B1A23"),
        {QStringLiteral("dtc:P0562"), QStringLiteral("dtc:U0100"), QStringLiteral("dtc:B1A23")});
    row("dtc second digit", QStringLiteral("P4562"), {});
    row("project codes", QStringLiteral("E-1001、提示e1042、U4020、C-6020、K-3015"),
        {QStringLiteral("error_code:E-1001"), QStringLiteral("error_code:E-1042"), QStringLiteral("error_code:U-4020"),
         QStringLiteral("error_code:C-6020"), QStringLiteral("error_code:K-3015")});
    row("unknown family", QStringLiteral("报E-2001"), {QStringLiteral("error_code:E-2001:invalid")});
    row("weak code", QStringLiteral("A1234"), {});
    // Versions
    row("app version", QStringLiteral("驰联 APP 5.2.1 登录不了"), {QStringLiteral("app_version:5.2.1")});
    row("app version short", QStringLiteral("app版本6.0"), {QStringLiteral("app_version:6.0")});
    row("v version", QStringLiteral("已经是v5.2.1了"), {QStringLiteral("app_version:5.2.1")});
    row("firmware is not app", QStringLiteral("固件 v2.3.1 车机系统 CL-OS 2.8"), {});
    // Models
    row("models", QStringLiteral("云驰 E7 Pro、墨川 v7、朔风T3"),
        {QStringLiteral("vehicle_model:云驰 E7 Pro"), QStringLiteral("vehicle_model:墨川 V7"), QStringLiteral("vehicle_model:朔风 T3")});
    row("unknown model", QStringLiteral("凌霄 L9"), {QStringLiteral("vehicle_model:凌霄 L9:invalid")});
    row("nothing", QStringLiteral("车机没网了怎么办"), {});
}

void TestEntityExtractor::entities()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QCOMPARE(describe(EntityExtractor::extract(text)), expected);
}

void TestEntityExtractor::mixedMessageInOrder()
{
    const QString text = QStringLiteral("你好，我的云驰 E7，车牌粤BD12345，VIN LSVAB2BJXN2000001，驰联APP 5.2.1 远程解锁报E-1001，"
                                        "T-Box IMEI 860123456789014，联系电话 +86 13812345678");
    const QList<Entity> got = EntityExtractor::extract(text);
    QCOMPARE(describe(got),
             QStringList({QStringLiteral("vehicle_model:云驰 E7"), QStringLiteral("plate:粤BD12345"),
                          QStringLiteral("vin:LSVAB2BJXN2000001"), QStringLiteral("app_version:5.2.1"),
                          QStringLiteral("error_code:E-1001"), QStringLiteral("imei:860123456789014"),
                          QStringLiteral("phone:13812345678")}));
    QCOMPARE(got[1].note, QStringLiteral("新能源"));
    for (const Entity &e : got)
        QVERIFY(e.start >= 0 && e.start + e.length <= text.size());
    QCOMPARE(text.mid(got[2].start, got[2].length), QStringLiteral("LSVAB2BJXN2000001"));
}

void TestEntityExtractor::duplicatesOnce()
{
    const auto got = EntityExtractor::extract(QStringLiteral("E-1001 又是 E-1001，VIN LSVAB2BJXN2000001 / lsvab2bjxn2000001"));
    QCOMPARE(describe(got), QStringList({QStringLiteral("error_code:E-1001"), QStringLiteral("vin:LSVAB2BJXN2000001")}));
}

void TestEntityExtractor::masking()
{
    const auto got = EntityExtractor::extract(QStringLiteral("LSVAB2BJXN2000001 13812345678 粤B12345 860123456789014 89860112345678901237 E-1001"));
    QCOMPARE(got.size(), 6);
    QCOMPARE(got[0].masked(), QStringLiteral("LSV**********0001"));
    QCOMPARE(got[1].masked(), QStringLiteral("138****5678"));
    QCOMPARE(got[2].masked(), QStringLiteral("粤B****5"));
    QCOMPARE(got[3].masked(), QStringLiteral("8601*********14"));
    QCOMPARE(got[4].masked(), QStringLiteral("898601************37"));
    QCOMPARE(got[5].masked(), QStringLiteral("E-1001"));
}

void TestEntityExtractor::typeNamesRoundTrip()
{
    for (Type t : {Type::Vin, Type::Plate, Type::Phone, Type::Imei, Type::Iccid, Type::Dtc, Type::ErrorCode,
                   Type::AppVersion, Type::VehicleModel}) {
        Type back;
        QVERIFY(Entity::parseType(Entity::typeName(t), &back));
        QCOMPARE(back, t);
    }
    Type dummy;
    QVERIFY(!Entity::parseType(QStringLiteral("email"), &dummy));
}

QTEST_GUILESS_MAIN(TestEntityExtractor)
#include "tst_entityextractor.moc"
