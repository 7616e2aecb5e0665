// `tsp-assistant tickets sync` and `tickets list --json` (the real binary) against the sandbox's
// Bitable on 127.0.0.1.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "sandbox/bitablesandbox.h"
#include "sandbox/feishusandbox.h"
#include "testutil.h"

namespace {

const QString kApp = QStringLiteral("bascnCliApp");
const QString kTable = QStringLiteral("tblCli");

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class TestTicketsCli final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void syncImportsPushesAndLists();
    void syncWithoutBitableSettingsExplains();
    void syncAgainstUnknownTableFails();
    void syncWithMistypedFieldsWritesNothing();
    void unknownTicketsCommandIsUsage();

private:
    // Runs the binary without blocking the event loop (the sandbox answers meanwhile).
    Run run(const QStringList &args);
    void writeEnv(const QString &table = kTable, bool withBitable = true);

    std::unique_ptr<QTemporaryDir> m_dir;
    FeishuSandbox *m_sandbox = nullptr;
};

void TestTicketsCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_sandbox = new FeishuSandbox(FeishuSandbox::Options{}, this);
    QVERIFY(m_sandbox->start());
    m_sandbox->bitable()->createTable(kApp, kTable);
}

void TestTicketsCli::cleanup()
{
    delete m_sandbox;
    m_sandbox = nullptr;
    m_dir.reset();
}

void TestTicketsCli::writeEnv(const QString &table, bool withBitable)
{
    QFile f(m_dir->filePath(QStringLiteral("test.env")));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QByteArray env = "FEISHU_APP_ID=" + m_sandbox->options().appId.toUtf8() +
                     "\nFEISHU_APP_SECRET=" + m_sandbox->options().appSecret.toUtf8() +
                     "\nFEISHU_DOMAIN=" + m_sandbox->baseUrl().toString().toUtf8() + "\nFEISHU_PROXY=none\n";
    if (withBitable)
        env += "BITABLE_APP_TOKEN=" + kApp.toUtf8() + "\nBITABLE_TABLE_ID=" + table.toUtf8() + "\n";
    f.write(env);
}

Run TestTicketsCli::run(const QStringList &args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_LOGGING_RULES"));
    for (const char *k : {"FEISHU_APP_ID", "FEISHU_APP_SECRET", "FEISHU_DOMAIN", "DATABASE_URL",
                          "BITABLE_APP_TOKEN", "BITABLE_TABLE_ID", "http_proxy", "https_proxy"})
        env.remove(QLatin1String(k));
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(m_dir->path());
    QSignalSpy finished(&p, &QProcess::finished);
    p.start(TestUtil::appBinary(),
            QStringList{QStringLiteral("tickets")} + args +
                QStringList{QStringLiteral("--data-dir"), m_dir->filePath(QStringLiteral("data")),
                            QStringLiteral("--env-file"), m_dir->filePath(QStringLiteral("test.env"))});
    Run r;
    if (!finished.wait(120000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

void TestTicketsCli::syncImportsPushesAndLists()
{
    writeEnv();
    const QStringList ids = m_sandbox->bitable()->addRecords(
        kApp, kTable,
        {QJsonObject{{QStringLiteral("标题"), QStringLiteral("车机黑屏")},
                     {QStringLiteral("车架号"), QStringLiteral("LSVAU2180N2183294")},
                     {QStringLiteral("状态"), QStringLiteral("处理中")}},
         QJsonObject{{QStringLiteral("工单编号"), QStringLiteral("GD-9")},
                     {QStringLiteral("标题"), QStringLiteral("已有编号")}}});
    const Run sync = run({QStringLiteral("sync")});
    QVERIFY2(sync.exitCode == 0, sync.err.constData());
    QVERIFY2(sync.out.contains("synced: 2 pulled (2 new"), sync.out.constData());
    QVERIFY2(sync.err.contains("tickets sync: pulled 2 of 2 records"), sync.err.constData());
    // The imported record without a number got one, written back.
    const QString written = m_sandbox->bitable()
                                ->record(kApp, kTable, ids.first())
                                ->fields.value(QStringLiteral("工单编号"))
                                .toString();
    QVERIFY(written.startsWith(QStringLiteral("TK-")));

    const Run list = run({QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(list.exitCode, 0);
    const QJsonDocument doc = QJsonDocument::fromJson(list.out);
    QVERIFY2(doc.isArray(), list.out.constData());
    const QJsonArray a = doc.array();
    QCOMPARE(a.size(), 2);
    QHash<QString, QJsonObject> byId;
    for (const QJsonValue &v : a) {
        const QJsonObject o = v.toObject();
        QCOMPARE(o.keys(),
                 (QStringList{QStringLiteral("id"), QStringLiteral("record_id"), QStringLiteral("status"),
                              QStringLiteral("sync_state"), QStringLiteral("title"), QStringLiteral("vin")}));
        byId.insert(o.value(QStringLiteral("id")).toString(), o);
    }
    const QJsonObject first = byId.value(written);
    QCOMPARE(first.value(QStringLiteral("record_id")).toString(), ids.first());
    QCOMPARE(first.value(QStringLiteral("title")).toString(), QStringLiteral("车机黑屏"));
    QCOMPARE(first.value(QStringLiteral("status")).toString(), QStringLiteral("in_progress"));
    QCOMPARE(first.value(QStringLiteral("vin")).toString(), QStringLiteral("LSVAU2180N2183294"));
    QCOMPARE(first.value(QStringLiteral("sync_state")).toString(), QStringLiteral("synced"));
    QCOMPARE(byId.value(QStringLiteral("GD-9")).value(QStringLiteral("record_id")).toString(), ids.at(1));

    // A second sync with a change in Bitable.
    QVERIFY(m_sandbox->bitable()->editRecord(kApp, kTable, ids.at(1),
                                             {{QStringLiteral("状态"), QStringLiteral("已关闭")}}));
    const Run again = run({QStringLiteral("sync")});
    QVERIFY2(again.exitCode == 0, again.err.constData());
    const Run list2 = run({QStringLiteral("list"), QStringLiteral("--json")});
    bool closed = false;
    for (const QJsonValue &v : QJsonDocument::fromJson(list2.out).array()) {
        if (v.toObject().value(QStringLiteral("id")).toString() == QStringLiteral("GD-9"))
            closed = v.toObject().value(QStringLiteral("status")).toString() == QStringLiteral("closed");
    }
    QVERIFY(closed);
}

void TestTicketsCli::syncWithoutBitableSettingsExplains()
{
    writeEnv(kTable, false);
    const Run r = run({QStringLiteral("sync")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("BITABLE_APP_TOKEN and BITABLE_TABLE_ID"), r.err.constData());
    QCOMPARE(m_sandbox->openApiRequests(), 0);
}

void TestTicketsCli::syncAgainstUnknownTableFails()
{
    writeEnv(QStringLiteral("tblNoSuchTable"));
    const Run r = run({QStringLiteral("sync")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("cannot read the Bitable table's fields: code 1254004"), r.err.constData());
}

void TestTicketsCli::syncWithMistypedFieldsWritesNothing()
{
    QList<BitableSandbox::Field> fields = BitableSandbox::ticketFields();
    fields.removeIf([](const BitableSandbox::Field &f) { return f.name == QStringLiteral("解决方案"); });
    m_sandbox->bitable()->createTable(kApp, kTable, fields);
    writeEnv();
    const Run r = run({QStringLiteral("sync")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("\"解决方案\" (ticket resolution) is missing from the table"), r.err.constData());
    QCOMPARE(m_sandbox->bitable()->counters().searches, 0);
}

void TestTicketsCli::unknownTicketsCommandIsUsage()
{
    writeEnv();
    const Run r = run({QStringLiteral("frobnicate")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("unknown command"));
    QVERIFY(r.err.contains("tickets sync"));
}

QTEST_GUILESS_MAIN(TestTicketsCli)
#include "tst_ticketscli.moc"
