#include <QTemporaryDir>
#include <QTest>

#include "config/envfile.h"

class TestEnvFile final : public QObject
{
    Q_OBJECT
private slots:
    void parsesSeedStyle();
    void quoting_data();
    void quoting();
    void reportsProblemsWithLineNumbers();
    void loadMissingFile();
};

void TestEnvFile::parsesSeedStyle()
{
    EnvFile env;
    env.parse("# Feishu\nFEISHU_APP_ID=cli_a1b2c3d4e5f60718\nFEISHU_APP_SECRET=s3cr3t\n\n"
              "DATABASE_URL=sqlite:///tsp_assistant.db\nexport LLM_PROVIDER=qwen\nLOG_LEVEL=INFO # default\n");
    QCOMPARE(env.value(QStringLiteral("FEISHU_APP_ID")), QStringLiteral("cli_a1b2c3d4e5f60718"));
    QCOMPARE(env.value(QStringLiteral("FEISHU_APP_SECRET")), QStringLiteral("s3cr3t"));
    QCOMPARE(env.value(QStringLiteral("DATABASE_URL")), QStringLiteral("sqlite:///tsp_assistant.db"));
    QCOMPARE(env.value(QStringLiteral("LLM_PROVIDER")), QStringLiteral("qwen"));
    QCOMPARE(env.value(QStringLiteral("LOG_LEVEL")), QStringLiteral("INFO"));
    QCOMPARE(env.values().size(), 5);
    QVERIFY(env.problems().isEmpty());
}

void TestEnvFile::quoting_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("expected");
    QTest::newRow("double") << QByteArray("K=\"a b # not a comment\"") << QStringLiteral("a b # not a comment");
    QTest::newRow("escapes") << QByteArray("K=\"line1\\nline2\\t\\\"q\\\"\"") << QStringLiteral("line1\nline2\t\"q\"");
    QTest::newRow("single literal") << QByteArray("K='a\\nb'") << QStringLiteral("a\\nb");
    QTest::newRow("hash inside") << QByteArray("K=abc#def") << QStringLiteral("abc#def");
    QTest::newRow("utf8") << QByteArray("K=\xe8\xbd\xa6\xe6\x9c\xba") << QStringLiteral("车机");
    QTest::newRow("empty") << QByteArray("K=") << QString();
    QTest::newRow("crlf") << QByteArray("K=v\r\n") << QStringLiteral("v");
    QTest::newRow("multiline") << QByteArray("K=\"a\nb\"") << QStringLiteral("a\nb");
    QTest::newRow("spaces") << QByteArray("  K =  v  ") << QStringLiteral("v");
}

void TestEnvFile::quoting()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, expected);
    EnvFile env;
    env.parse(line);
    QVERIFY(env.contains(QStringLiteral("K")));
    QCOMPARE(env.value(QStringLiteral("K")), expected);
}

void TestEnvFile::reportsProblemsWithLineNumbers()
{
    EnvFile env;
    env.parse("GOOD=1\nthis is not a pair\n1BAD=x\nOPEN=\"never closed\nAFTER=2\n");
    QCOMPARE(env.value(QStringLiteral("GOOD")), QStringLiteral("1"));
    QVERIFY(!env.contains(QStringLiteral("1BAD")));
    QVERIFY(!env.contains(QStringLiteral("OPEN")));
    QCOMPARE(env.problems().size(), 3);
    QCOMPARE(env.problems().at(0).line, 2);
    QCOMPARE(env.problems().at(1).line, 3);
    QCOMPARE(env.problems().at(2).line, 4);
}

void TestEnvFile::loadMissingFile()
{
    QTemporaryDir dir;
    EnvFile env;
    QVERIFY(!env.load(dir.filePath(QStringLiteral("nope.env"))));
    QVERIFY(!env.errorString().isEmpty());
}

QTEST_GUILESS_MAIN(TestEnvFile)
#include "tst_envfile.moc"
