#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLoggingCategory>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

#include "logging/logging.h"
#include "logging/redact.h"
#include "logs/logfilter.h"
#include "logs/logmodel.h"
#include "logs/logpage.h"

Q_LOGGING_CATEGORY(lcTestUi, "tsp.ui", QtDebugMsg)

class TestLogPage final : public QObject
{
    Q_OBJECT
private slots:
    void cleanup();
    void sameTextAsTheLogFileAndNoSecret();
    void controlsFilterTheView();
    void emptyStatesSayWhatToDo();
    void copyAndSaveTheShownLines();
    void pauseButtonHoldsLines();
};

void TestLogPage::cleanup()
{
    Logging::shutdown();
    Redact::clearSecrets();
}

void TestLogPage::sameTextAsTheLogFileAndNoSecret()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("tsp.log"));
    Logging::setup(Logging::Level::Debug, file);
    Redact::registerSecret(QStringLiteral("s3cr3t-app-secret"));
    LogModel model;
    LogPage page(&model);
    page.show();
    QCOMPARE(page.view()->accessibleName(), QStringLiteral("Log"));

    page.filter()->setCategory(QStringLiteral("tsp.ui")); // Qt may log lines of its own meanwhile
    qCInfo(lcTestUi) << "VIN LSVAU2180N2183294 secret s3cr3t-app-secret phone 13812345678";
    qCWarning(lcTestUi) << "second line";
    QTRY_COMPARE(page.view()->model()->rowCount(), 2);
    Logging::shutdown();

    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QStringList fileLines;
    for (const QString &line : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        if (line.contains(QStringLiteral(" tsp.ui: ")))
            fileLines << line;
    }
    QCOMPARE(fileLines.size(), 2);
    for (int row = 0; row < 2; ++row) {
        const QString shown = page.view()->model()->index(row, 0).data().toString();
        QCOMPARE(shown, fileLines.at(row));
        QVERIFY(!shown.contains(QStringLiteral("s3cr3t-app-secret")));
        QVERIFY(!shown.contains(QStringLiteral("LSVAU2180N2183294")));
        QVERIFY(!shown.contains(QStringLiteral("13812345678")));
    }
    QVERIFY(fileLines.at(0).contains(QStringLiteral("tsp.ui: VIN LSV")));
}

void TestLogPage::controlsFilterTheView()
{
    LogModel model(1000, false);
    LogPage page(&model);
    page.show();
    model.append(QtInfoMsg, QStringLiteral("tsp.session"), QStringLiteral("session opened 车机"));
    model.append(QtWarningMsg, QStringLiteral("tsp.feishu"), QStringLiteral("reconnecting"));
    model.append(QtCriticalMsg, QStringLiteral("tsp.db"), QStringLiteral("disk full"));
    model.flush();
    QAbstractItemModel *shown = page.view()->model();
    QCOMPARE(shown->rowCount(), 3);

    auto *level = page.findChild<QComboBox *>(QStringLiteral("levelCombo"));
    QVERIFY(level);
    level->setCurrentIndex(level->findData(QVariant::fromValue(LogModel::Level::Warning)));
    QCOMPARE(shown->rowCount(), 2);

    auto *category = page.findChild<QComboBox *>(QStringLiteral("categoryCombo"));
    QVERIFY(category);
    QCOMPARE(category->count(), 4); // all + 3 seen
    category->setCurrentIndex(category->findData(QStringLiteral("tsp.db")));
    QCOMPARE(shown->rowCount(), 1);
    QCOMPARE(shown->index(0, 0).data().toString(), QStringLiteral("disk full"));

    category->setCurrentIndex(0);
    level->setCurrentIndex(0);
    auto *search = page.findChild<QLineEdit *>(QStringLiteral("logSearchEdit"));
    QVERIFY(search);
    QTest::keyClicks(search, QStringLiteral("RECONN"));
    QCOMPARE(shown->rowCount(), 1);
    QCOMPARE(shown->index(0, 0).data().toString(), QStringLiteral("reconnecting"));
    search->setText(QStringLiteral("车机"));
    QCOMPARE(shown->rowCount(), 1);
}

void TestLogPage::emptyStatesSayWhatToDo()
{
    LogModel model(100, false);
    LogPage page(&model);
    page.show();
    auto *hint = page.findChild<QLabel *>(QStringLiteral("logHintLabel"));
    QVERIFY(hint);
    QVERIFY(hint->isVisible());
    QVERIFY(hint->text().contains(QStringLiteral("No log lines yet")));
    model.append(QtInfoMsg, QStringLiteral("tsp.app"), QStringLiteral("hello"));
    model.flush();
    QVERIFY(!hint->isVisible());
    page.findChild<QLineEdit *>(QStringLiteral("logSearchEdit"))
        ->setText(QStringLiteral("nothing like this"));
    QVERIFY(hint->isVisible());
    QVERIFY(hint->text().contains(QStringLiteral("match")));
}

void TestLogPage::copyAndSaveTheShownLines()
{
    LogModel model(100, false);
    LogPage page(&model);
    page.show();
    for (int i = 0; i < 5; ++i)
        model.append(i == 2 ? QtWarningMsg : QtInfoMsg, QStringLiteral("tsp.app"),
                     QStringLiteral("line %1").arg(i));
    model.flush();
    QListView *view = page.view();
    view->selectionModel()->select(view->model()->index(3, 0), QItemSelectionModel::Select);
    view->selectionModel()->select(view->model()->index(1, 0), QItemSelectionModel::Select);
    QCOMPARE(page.selectedText(), QStringLiteral("line 1\nline 3")); // oldest first, whatever the click order
    page.copySelection();
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("line 1\nline 3"));

    page.filter()->setMinimumLevel(LogModel::Level::Warning);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("saved.log"));
    QString error;
    QVERIFY2(page.saveTo(path, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("line 2\n"));
    QVERIFY(!page.saveTo(dir.filePath(QStringLiteral("no/such/dir/x.log")), &error));
    QVERIFY(!error.isEmpty());
}

void TestLogPage::pauseButtonHoldsLines()
{
    LogModel model(100, false);
    LogPage page(&model);
    page.show();
    auto *pause = page.findChild<QPushButton *>(QStringLiteral("pauseButton"));
    QVERIFY(pause);
    pause->click();
    QVERIFY(model.isPaused());
    model.append(QtInfoMsg, QStringLiteral("tsp.app"), QStringLiteral("held"));
    model.flush();
    QCOMPARE(page.view()->model()->rowCount(), 0);
    QVERIFY(pause->text().contains(QLatin1Char('1')));
    pause->click();
    QVERIFY(!model.isPaused());
    QCOMPARE(page.view()->model()->rowCount(), 1);
}

QTEST_MAIN(TestLogPage)
#include "tst_logpage.moc"
