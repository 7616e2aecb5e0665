// The command-line contract of the real binary (architecture.md): --version, --help, usage
// errors, the kb commands, and the README's demo.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "testutil.h"

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run run(const QStringList &args, int timeoutMs = 60000, const QString &workDir = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_LOGGING_RULES"));
    // No credentials or LLM from the machine: the contract is tested on its own.
    for (const char *k : {"FEISHU_APP_ID", "FEISHU_APP_SECRET", "FEISHU_DOMAIN", "LLM_PROVIDER",
                          "LLM_API_KEY", "DATABASE_URL", "http_proxy", "https_proxy"})
        env.remove(QLatin1String(k));
    p.setProcessEnvironment(env);
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(TestUtil::appBinary(), args);
    Run r;
    if (!p.waitForStarted(10000))
        return r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
}

} // namespace

class TestCli final : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void versionAndHelp();
    void usageErrors();
    void headlessWithoutCredentialsExplainsWhat();
    void kbSearchJsonContract();
    void kbSearchRefusesWhatTheKnowledgeDoesNotCover();
    void kbImportRejectsBadRowsWithLineNumbers();
    void kbImportExportRoundTrip();
    void demoRunsTheScriptedConversations();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestCli::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestCli::versionAndHelp()
{
    const Run v = run({QStringLiteral("--version")});
    QCOMPARE(v.exitCode, 0);
    QVERIFY(v.out.startsWith("tsp-assistant "));
    const Run h = run({QStringLiteral("--help")});
    QCOMPARE(h.exitCode, 0);
    for (const char *s : {"--headless", "--demo", "--env-file", "--data-dir", "kb search", "FEISHU_APP_ID"})
        QVERIFY2(h.out.contains(s), s);
    // The help is UTF-8 throughout: the Base's Chinese name and the language names read as written.
    const QString help = QString::fromUtf8(h.out);
    QVERIFY2(help.contains(u"(多维表格)"),
             qPrintable(help.section(QStringLiteral("BITABLE_APP_TOKEN"), 1, 1).left(200)));
    QVERIFY(help.contains(u"zh_CN (中文)"));
}

void TestCli::usageErrors()
{
    const Run bad = run({QStringLiteral("--no-such-flag")});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY(bad.err.contains("--no-such-flag"));
    const Run noValue = run({QStringLiteral("--headless"), QStringLiteral("--data-dir")});
    QCOMPARE(noValue.exitCode, 2);
    QVERIFY(noValue.err.contains("--data-dir needs a value"));
    const Run missingEnv =
        run({QStringLiteral("--headless"), QStringLiteral("--env-file"),
             m_dir->filePath(QStringLiteral("nope.env")), QStringLiteral("--data-dir"), m_dir->path()});
    QCOMPARE(missingEnv.exitCode, 2);
    QVERIFY(missingEnv.err.contains("nope.env"));
    const Run kbNothing = run({QStringLiteral("kb")});
    QCOMPARE(kbNothing.exitCode, 2);
    const Run badLevel = [&] {
        writeFile(m_dir->filePath(QStringLiteral("x.env")), "LOG_LEVEL=LOUD\n");
        return run({QStringLiteral("--headless"), QStringLiteral("--env-file"),
                    m_dir->filePath(QStringLiteral("x.env")), QStringLiteral("--data-dir"), m_dir->path()});
    }();
    QCOMPARE(badLevel.exitCode, 2);
    QVERIFY(badLevel.err.contains("LOG_LEVEL"));
}

void TestCli::headlessWithoutCredentialsExplainsWhat()
{
    const Run r = run({QStringLiteral("--headless"), QStringLiteral("--data-dir"), m_dir->path()}, 30000,
                      m_dir->path());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("FEISHU_APP_ID") && r.err.contains("--demo"), r.err.constData());
}

void TestCli::kbSearchJsonContract()
{
    const Run r = run({QStringLiteral("kb"), QStringLiteral("search"), QStringLiteral("--top"),
                       QStringLiteral("3"), QStringLiteral("--json"), QStringLiteral("车机没网"),
                       QStringLiteral("--data-dir"), m_dir->path()});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.count('\n'), 1); // exactly one line: the JSON object
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &pe);
    QVERIFY2(pe.error == QJsonParseError::NoError, r.out.constData());
    const QJsonObject o = doc.object();
    QCOMPARE(o.keys(),
             (QStringList{QStringLiteral("answerable"), QStringLiteral("query"), QStringLiteral("results")}));
    QCOMPARE(o.value(QLatin1String("query")).toString(), QStringLiteral("车机没网"));
    QVERIFY(o.value(QLatin1String("answerable")).isBool());
    QVERIFY(o.value(QLatin1String("answerable")).toBool());
    const QJsonArray results = o.value(QLatin1String("results")).toArray();
    QCOMPARE(results.size(), 3);
    double previous = 1e300;
    for (const QJsonValue &v : results) {
        const QJsonObject hit = v.toObject();
        QCOMPARE(hit.keys(),
                 (QStringList{QStringLiteral("id"), QStringLiteral("score"), QStringLiteral("title")}));
        QVERIFY(hit.value(QLatin1String("id")).toString().startsWith(QLatin1String("KB-")));
        QVERIFY(!hit.value(QLatin1String("title")).toString().isEmpty());
        const double score = hit.value(QLatin1String("score")).toDouble();
        QVERIFY(score <= previous);
        previous = score;
    }
}

void TestCli::kbSearchRefusesWhatTheKnowledgeDoesNotCover()
{
    const Run r = run({QStringLiteral("kb"), QStringLiteral("search"), QStringLiteral("--json"),
                       QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("车险理赔需要哪些材料")});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value(QLatin1String("answerable")).toBool(true), false);
}

void TestCli::kbImportRejectsBadRowsWithLineNumbers()
{
    const QString file = m_dir->filePath(QStringLiteral("bad.jsonl"));
    const QByteArray good =
        TestUtil::readFile(TestUtil::sharedDir() + QStringLiteral("/data/tsp-knowledge.jsonl"))
            .split('\n')
            .first();
    QVERIFY(!good.isEmpty());
    writeFile(file, good + "\n{\"id\": \"KB-9999\", \"title\": \n" + good + "\n");
    const QString data = m_dir->filePath(QStringLiteral("data"));
    const Run r =
        run({QStringLiteral("kb"), QStringLiteral("import"), file, QStringLiteral("--data-dir"), data});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("bad.jsonl:2:"), r.err.constData());
    // Nothing was imported: the database still has no entries (search seeds the demo KB only
    // when empty, so an export shows whether the bad import left anything behind).
    const QString out = m_dir->filePath(QStringLiteral("out.jsonl"));
    const Run e =
        run({QStringLiteral("kb"), QStringLiteral("export"), out, QStringLiteral("--data-dir"), data});
    QCOMPARE(e.exitCode, 0);
    QCOMPARE(TestUtil::readFile(out).count('\n'), 300); // the demo KB, untouched by the failed import
}

void TestCli::kbImportExportRoundTrip()
{
    const QString data = m_dir->filePath(QStringLiteral("data"));
    const QString src = TestUtil::sharedDir() + QStringLiteral("/data/tsp-knowledge.jsonl");
    const Run i =
        run({QStringLiteral("kb"), QStringLiteral("import"), src, QStringLiteral("--data-dir"), data});
    QCOMPARE(i.exitCode, 0);
    QVERIFY(!i.out.isEmpty());
    const QString csv = m_dir->filePath(QStringLiteral("kb.csv"));
    const Run e =
        run({QStringLiteral("kb"), QStringLiteral("export"), csv, QStringLiteral("--data-dir"), data});
    QCOMPARE(e.exitCode, 0);
    const QByteArray exported = TestUtil::readFile(csv);
    QVERIFY(exported.startsWith("\xef\xbb\xbfid,")); // UTF-8 BOM (for spreadsheets) and the header row
    // Into a second data dir and back: the same 300 entries.
    const QString data2 = m_dir->filePath(QStringLiteral("data2"));
    QCOMPARE(run({QStringLiteral("kb"), QStringLiteral("import"), csv, QStringLiteral("--data-dir"), data2})
                 .exitCode,
             0);
    const QString back = m_dir->filePath(QStringLiteral("back.jsonl"));
    QCOMPARE(run({QStringLiteral("kb"), QStringLiteral("export"), back, QStringLiteral("--data-dir"), data2})
                 .exitCode,
             0);
    QCOMPARE(TestUtil::readFile(back).count('\n'), 300);
}

void TestCli::demoRunsTheScriptedConversations()
{
    const Run r = run({QStringLiteral("--headless"), QStringLiteral("--demo"), QStringLiteral("--once"),
                       QStringLiteral("--data-dir"), m_dir->path()},
                      120000, m_dir->path());
    const QByteArray log = r.err + r.out;
    QVERIFY2(r.exitCode == 0, log.right(4000).constData());
    QVERIFY(log.contains("demo finished"));
    QVERIFY(log.contains("0 missing, 0 unexpected"));
    QVERIFY(log.contains("demo \xe2\x97\x80")); // a reply line (◀)
    QVERIFY(log.contains("duplicate"));         // the redelivery was recognised
    // The sandbox's Bitable holds the team's tickets: the demo's ticket sync brought them in.
    QVERIFY(log.contains("ticket sync done: 3 pulled, 3 imported"));
    const Run tickets =
        run({QStringLiteral("tickets"), QStringLiteral("list"), QStringLiteral("--data-dir"), m_dir->path()},
            30000, m_dir->path());
    QVERIFY2(tickets.exitCode == 0, tickets.err.constData());
    QCOMPARE(tickets.out.count('\n'), 3);
    QVERIFY(tickets.out.contains("synced"));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
