// BitableMapping: the default field names, overrides, the check of a table's fields, and the
// conversions both ways (labels, dates, empty values, segment arrays).
#include <QJsonArray>
#include <QTest>

#include "tickets/bitablemapping.h"
#include "tickets/ticket.h"

namespace {

QList<BitableField> tableFields()
{
    QList<BitableField> out;
    auto add = [&out](const QString &name, int type, const QStringList &options = {}) {
        out << BitableField{QStringLiteral("fld%1").arg(out.size()), name, type, options};
    };
    for (const char *n :
         {"工单编号", "标题", "客户", "车架号", "车牌", "车型", "处理人", "问题描述", "解决方案"})
        add(QString::fromUtf8(n), 1);
    add(QStringLiteral("分类"), 3);
    add(QStringLiteral("紧急程度"), 3);
    add(QStringLiteral("状态"), 3,
        {QStringLiteral("新建"), QStringLiteral("处理中"), QStringLiteral("待客户反馈"),
         QStringLiteral("已解决"), QStringLiteral("已关闭")});
    add(QStringLiteral("创建时间"), 5);
    add(QStringLiteral("更新时间"), 5);
    return out;
}

} // namespace

class TestBitableMapping final : public QObject
{
    Q_OBJECT
private slots:
    void defaultNamesAreTheTeams();
    void overridesAndBadMaps();
    void validTableHasNoProblems();
    void missingAndMistypedFieldsAreNamed();
    void statusOptionsMustAllExist();
    void automaticTimeFieldsAreOnlyRead();
    void toRecordFieldsConverts();
    void fromRecordFieldsConverts();
    void segmentsAndOtherShapesAreText();
    void unknownStatusIsAProblem();
};

void TestBitableMapping::defaultNamesAreTheTeams()
{
    const BitableMapping m = BitableMapping::defaults();
    const QHash<QString, QString> expected{{QStringLiteral("number"), QStringLiteral("工单编号")},
                                           {QStringLiteral("title"), QStringLiteral("标题")},
                                           {QStringLiteral("customer"), QStringLiteral("客户")},
                                           {QStringLiteral("vin"), QStringLiteral("车架号")},
                                           {QStringLiteral("plate"), QStringLiteral("车牌")},
                                           {QStringLiteral("model"), QStringLiteral("车型")},
                                           {QStringLiteral("category"), QStringLiteral("分类")},
                                           {QStringLiteral("urgency"), QStringLiteral("紧急程度")},
                                           {QStringLiteral("status"), QStringLiteral("状态")},
                                           {QStringLiteral("assignee"), QStringLiteral("处理人")},
                                           {QStringLiteral("summary"), QStringLiteral("问题描述")},
                                           {QStringLiteral("resolution"), QStringLiteral("解决方案")},
                                           {QStringLiteral("createdAt"), QStringLiteral("创建时间")},
                                           {QStringLiteral("updatedAt"), QStringLiteral("更新时间")}};
    QCOMPARE(m.mappedKeys().size(), expected.size());
    for (auto it = expected.constBegin(); it != expected.constEnd(); ++it)
        QCOMPARE(m.fieldName(it.key()), it.value());
}

void TestBitableMapping::overridesAndBadMaps()
{
    BitableMapping m;
    QString error;
    QVERIFY(BitableMapping::fromText(QStringLiteral("{\"title\":\"工单标题\",\"plate\":\"\"}"), &m, &error));
    QCOMPARE(m.fieldName(QStringLiteral("title")), QStringLiteral("工单标题"));
    QVERIFY(!m.mappedKeys().contains(QStringLiteral("plate")));
    QCOMPARE(m.fieldName(QStringLiteral("vin")), QStringLiteral("车架号"));
    QVERIFY(BitableMapping::fromText(QString(), &m, &error));
    QCOMPARE(m.fieldName(QStringLiteral("title")), QStringLiteral("标题"));

    QVERIFY(!BitableMapping::fromText(QStringLiteral("{\"colour\":\"颜色\"}"), &m, &error));
    QVERIFY2(error.contains(QStringLiteral("colour")), qPrintable(error));
    QVERIFY(!BitableMapping::fromText(QStringLiteral("{\"status\":\"\"}"), &m, &error));
    QVERIFY2(error.contains(QStringLiteral("status")), qPrintable(error));
    QVERIFY(!BitableMapping::fromText(QStringLiteral("[1,2]"), &m, &error));
    QVERIFY(!BitableMapping::fromText(QStringLiteral("{\"title\":3}"), &m, &error));
}

void TestBitableMapping::validTableHasNoProblems()
{
    BitableMapping m = BitableMapping::defaults();
    QVERIFY(!m.isValidated());
    QCOMPARE(m.validate(tableFields()), QStringList());
    QVERIFY(m.isValidated());
    QVERIFY(m.isWritable(QStringLiteral("updatedAt")));
}

void TestBitableMapping::missingAndMistypedFieldsAreNamed()
{
    QList<BitableField> fields = tableFields();
    fields.removeIf([](const BitableField &f) { return f.name == QStringLiteral("车牌"); });
    for (BitableField &f : fields) {
        if (f.name == QStringLiteral("分类"))
            f.type = 4; // multi select
        if (f.name == QStringLiteral("创建时间"))
            f.type = 1;
    }
    BitableMapping m = BitableMapping::defaults();
    const QStringList problems = m.validate(fields);
    QCOMPARE(problems.size(), 3);
    QVERIFY(problems.join(u'\n').contains(QStringLiteral("\"车牌\" (ticket plate) is missing")));
    QVERIFY(problems.join(u'\n').contains(
        QStringLiteral("\"分类\" (ticket category) is multi select, it must be single select")));
    QVERIFY(problems.join(u'\n').contains(QStringLiteral("\"创建时间\" (ticket createdAt) is text")));
    QVERIFY(!m.isValidated());

    // The same name for two ticket fields.
    BitableMapping twice = BitableMapping::defaults();
    twice.setFieldName(QStringLiteral("plate"), QStringLiteral("车架号"));
    QVERIFY(twice.validate(tableFields()).join(u' ').contains(QStringLiteral("mapped twice")));
}

void TestBitableMapping::statusOptionsMustAllExist()
{
    QList<BitableField> fields = tableFields();
    for (BitableField &f : fields) {
        if (f.name == QStringLiteral("状态"))
            f.options = {QStringLiteral("新建"), QStringLiteral("已关闭")};
    }
    BitableMapping m = BitableMapping::defaults();
    const QStringList problems = m.validate(fields);
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().contains(QStringLiteral("处理中, 待客户反馈, 已解决")),
             qPrintable(problems.first()));
}

void TestBitableMapping::automaticTimeFieldsAreOnlyRead()
{
    QList<BitableField> fields = tableFields();
    fields.last().type = 1002;
    BitableMapping m = BitableMapping::defaults();
    QCOMPARE(m.validate(fields), QStringList());
    QVERIFY(!m.isWritable(QStringLiteral("updatedAt")));
    const QJsonObject out =
        m.toRecordFields({{QStringLiteral("updatedAt"), QStringLiteral("1700000000000")},
                          {QStringLiteral("createdAt"), QStringLiteral("1600000000000")}});
    QVERIFY(!out.contains(QStringLiteral("更新时间")));
    QCOMPARE(out.value(QStringLiteral("创建时间")).toDouble(), 1600000000000.0);
}

void TestBitableMapping::toRecordFieldsConverts()
{
    BitableMapping m = BitableMapping::defaults();
    Ticket t;
    t.number = QStringLiteral("TK-000001");
    t.title = QStringLiteral("无法远程解锁");
    t.status = QStringLiteral("waiting_customer");
    t.urgency = QStringLiteral("critical");
    t.category = QString();
    t.createdAt = 1700000000123;
    t.updatedAt = 1700000000456;
    const QJsonObject f = m.toRecordFields(TicketFields::values(t));
    QCOMPARE(f.value(QStringLiteral("工单编号")).toString(), QStringLiteral("TK-000001"));
    QCOMPARE(f.value(QStringLiteral("状态")).toString(), QStringLiteral("待客户反馈"));
    QCOMPARE(f.value(QStringLiteral("紧急程度")).toString(), QStringLiteral("紧急"));
    QVERIFY(f.value(QStringLiteral("分类")).isNull()); // cleared, not ""
    QVERIFY(f.contains(QStringLiteral("分类")));
    QVERIFY(f.value(QStringLiteral("创建时间")).isDouble());
    QCOMPARE(qint64(f.value(QStringLiteral("创建时间")).toDouble()), 1700000000123);
    QCOMPARE(qint64(f.value(QStringLiteral("更新时间")).toDouble()), 1700000000456);
    // A team's own urgency passes through.
    QCOMPARE(m.toRecordFields({{QStringLiteral("urgency"), QStringLiteral("P1")}})
                 .value(QStringLiteral("紧急程度"))
                 .toString(),
             QStringLiteral("P1"));
}

void TestBitableMapping::fromRecordFieldsConverts()
{
    const BitableMapping m = BitableMapping::defaults();
    QStringList problems;
    const QHash<QString, QString> v =
        m.fromRecordFields(QJsonObject{{QStringLiteral("工单编号"), QStringLiteral("GD-1")},
                                       {QStringLiteral("状态"), QStringLiteral("已解决")},
                                       {QStringLiteral("紧急程度"), QStringLiteral("低")},
                                       {QStringLiteral("创建时间"), 1700000000000.0},
                                       {QStringLiteral("更新时间"), QStringLiteral("1700000000999")}},
                           &problems);
    QCOMPARE(problems, QStringList());
    QCOMPARE(v.value(QStringLiteral("number")), QStringLiteral("GD-1"));
    QCOMPARE(v.value(QStringLiteral("status")), QStringLiteral("resolved"));
    QCOMPARE(v.value(QStringLiteral("urgency")), QStringLiteral("low"));
    QCOMPARE(v.value(QStringLiteral("createdAt")), QStringLiteral("1700000000000"));
    QCOMPARE(v.value(QStringLiteral("updatedAt")), QStringLiteral("1700000000999"));
    QCOMPARE(v.value(QStringLiteral("title")), QString()); // a missing cell reads as empty
    QVERIFY(v.contains(QStringLiteral("title")));
    // An empty status is a new ticket.
    QCOMPARE(m.fromRecordFields({}, &problems).value(QStringLiteral("status")), QStringLiteral("new"));
}

void TestBitableMapping::segmentsAndOtherShapesAreText()
{
    QCOMPARE(
        BitableMapping::readText(QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                                        {QStringLiteral("text"), QStringLiteral("车机")}},
                                            QJsonObject{{QStringLiteral("type"), QStringLiteral("mention")},
                                                        {QStringLiteral("text"), QStringLiteral("@李四")}},
                                            QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                                        {QStringLiteral("text"), QStringLiteral(" 黑屏")}}}),
        QStringLiteral("车机@李四 黑屏"));
    QCOMPARE(BitableMapping::readText(QStringLiteral("纯文本")), QStringLiteral("纯文本"));
    QCOMPARE(BitableMapping::readText(42.0), QStringLiteral("42"));
    QCOMPARE(BitableMapping::readText(QJsonObject{{QStringLiteral("link"), QStringLiteral("https://x")},
                                                  {QStringLiteral("text"), QStringLiteral("链接")}}),
             QStringLiteral("链接"));
    QCOMPARE(BitableMapping::readText(QJsonValue()), QString());

    const BitableMapping m = BitableMapping::defaults();
    QStringList problems;
    const auto v =
        m.fromRecordFields({{QStringLiteral("标题"),
                             QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                                    {QStringLiteral("text"), QStringLiteral("蓝牙钥匙")}},
                                        QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                                    {QStringLiteral("text"), QStringLiteral("失效")}}}}},
                           &problems);
    QCOMPARE(v.value(QStringLiteral("title")), QStringLiteral("蓝牙钥匙失效"));
}

void TestBitableMapping::unknownStatusIsAProblem()
{
    const BitableMapping m = BitableMapping::defaults();
    QStringList problems;
    const auto v = m.fromRecordFields({{QStringLiteral("状态"), QStringLiteral("搁置")},
                                       {QStringLiteral("创建时间"), QStringLiteral("昨天")}},
                                      &problems);
    QCOMPARE(problems.size(), 2);
    QVERIFY(problems.at(0).contains(QStringLiteral("搁置")));
    QVERIFY(problems.at(1).contains(QStringLiteral("not a date")));
    QVERIFY(!v.contains(QStringLiteral("status")));
}

QTEST_GUILESS_MAIN(TestBitableMapping)
#include "tst_bitablemapping.moc"
