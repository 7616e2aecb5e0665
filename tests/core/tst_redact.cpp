#include <QTest>

#include "logging/redact.h"

class TestRedact final : public QObject
{
    Q_OBJECT
private slots:
    void cleanup() { Redact::clearSecrets(); }
    void masks_data();
    void masks();
    void secrets();
    void urls();
};

void TestRedact::masks_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("vin") << QStringLiteral("我的车架号LSVAU2180N2183294帮我查") << QStringLiteral("我的车架号LSV**********3294帮我查");
    QTest::newRow("phone") << QStringLiteral("电话13812345678") << QStringLiteral("电话138****5678");
    QTest::newRow("phone +86") << QStringLiteral("call +8613912345678") << QStringLiteral("call +86139****5678");
    QTest::newRow("not a phone: 12 digits") << QStringLiteral("id 138123456789") << QStringLiteral("id 138123456789");
    QTest::newRow("not a vin: hex id") << QStringLiteral("om_5ce6d572455d361153b7cb51da133945") << QStringLiteral("om_5ce6d572455d361153b7cb51da133945");
    QTest::newRow("not a vin: digits only") << QStringLiteral("12345678901234567") << QStringLiteral("12345678901234567");
    QTest::newRow("ws url") << QStringLiteral("dial wss://msg-frontier.feishu.cn/ws/v2?device_id=1&ticket=abc now")
                            << QStringLiteral("dial wss://msg-frontier.feishu.cn/ws/v2?<redacted> now");
}

void TestRedact::masks()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(Redact::text(in), out);
}

void TestRedact::secrets()
{
    Redact::registerSecret(QStringLiteral("abc")); // too short to register
    Redact::registerSecret(QStringLiteral("topsecretvalue"));
    Redact::registerSecret(QStringLiteral("t-g1044ghJKL"));
    QCOMPARE(Redact::text(QStringLiteral("secret=topsecretvalue token t-g1044ghJKL abc")),
             QStringLiteral("secret=*** token *** abc"));
}

void TestRedact::urls()
{
    QCOMPARE(Redact::url(QUrl(QStringLiteral("wss://u:p@host:443/ws/v2?ticket=x#f"))), QStringLiteral("wss://host:443/ws/v2?<redacted>"));
    QCOMPARE(Redact::url(QUrl(QStringLiteral("https://open.feishu.cn/x"))), QStringLiteral("https://open.feishu.cn/x"));
}

QTEST_GUILESS_MAIN(TestRedact)
#include "tst_redact.moc"
