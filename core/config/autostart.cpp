#include "config/autostart.h"

#include <algorithm>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace {

// Exec= quoting of the Desktop Entry spec: a program path with spaces goes in double quotes.
QString quoted(const QString &arg)
{
    static const QString reserved = QStringLiteral(" \t\n\"'\\><~|&;$*?#()`");
    if (std::none_of(arg.cbegin(), arg.cend(), [](QChar c) { return reserved.contains(c); }))
        return arg;
    QString out = arg;
    out.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('"'), QLatin1String("\\\""))
        .replace(QLatin1Char('`'), QLatin1String("\\`"))
        .replace(QLatin1Char('$'), QLatin1String("\\$"));
    return QLatin1Char('"') + out + QLatin1Char('"');
}

} // namespace

QString Autostart::entryPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation))
        .filePath(QStringLiteral("autostart/tsp-assistant.desktop"));
}

bool Autostart::isEnabled()
{
    return QFileInfo::exists(entryPath());
}

bool Autostart::setEnabled(bool enabled, const QString &program, const QString &arguments, QString *error)
{
    const QString path = entryPath();
    if (!enabled) {
        if (QFileInfo::exists(path) && !QFile::remove(path)) {
            *error = QCoreApplication::translate("Autostart", "Cannot remove %1.").arg(path);
            return false;
        }
        return true;
    }
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        *error = QCoreApplication::translate("Autostart", "Cannot create the folder of %1.").arg(path);
        return false;
    }
    QString exec = quoted(program);
    if (!arguments.isEmpty())
        exec += QLatin1Char(' ') + arguments;
    const QByteArray text = "[Desktop Entry]\n"
                            "Type=Application\n"
                            "Name=TSP Assistant\n"
                            "Name[zh_CN]=TSP 助手\n"
                            "Comment=Feishu support assistant console\n"
                            "Exec=" +
                            exec.toUtf8() +
                            "\n"
                            "Icon=tsp-assistant\n"
                            "Terminal=false\n"
                            "X-GNOME-Autostart-enabled=true\n";
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        *error =
            QCoreApplication::translate("Autostart", "Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}
