#pragma once

#include <QApplication>
#include <QDir>
#include <QTest>
#include <QTranslator>
#include <QWidget>

// By hand: TSP_SCREENSHOT_DIR=<dir> [TSP_TRANSLATION=<tsp_zh_CN.qm>] runs a UI test and saves
// each page at 1280x800 as <dir>/<name>-<lang>.png (offscreen grab). Nothing happens otherwise.
namespace Screenshot {

inline void loadTranslation()
{
    static QTranslator translator;
    const QString qm = qEnvironmentVariable("TSP_TRANSLATION");
    if (!qm.isEmpty() && translator.load(qm))
        QCoreApplication::installTranslator(&translator);
}

inline void save(QWidget *page, const QString &name)
{
    const QString dir = qEnvironmentVariable("TSP_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    page->resize(1280, 800);
    page->show();
    QTest::qWait(200);
    const QString lang =
        qEnvironmentVariable("TSP_TRANSLATION").isEmpty() ? QStringLiteral("en") : QStringLiteral("zh_CN");
    QDir().mkpath(dir);
    page->grab().save(QDir(dir).filePath(name + QLatin1Char('-') + lang + QStringLiteral(".png")));
}

} // namespace Screenshot
