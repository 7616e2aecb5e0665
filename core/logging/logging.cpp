#include "logging/logging.h"

#include <cstdio>
#include <limits>

#include <QDateTime>
#include <QFile>
#include <QLoggingCategory>
#include <QMutex>

#include "logging/redact.h"

namespace {

QMutex g_logMutex;
QFile *g_logFile = nullptr;
QtMessageHandler g_previous = nullptr;

const char *typeName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "DEBUG";
    case QtInfoMsg:
        return "INFO ";
    case QtWarningMsg:
        return "WARN ";
    case QtCriticalMsg:
        return "ERROR";
    case QtFatalMsg:
        return "FATAL";
    }
    return "?";
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString line = Logging::formatLine(type, context.category, message);
    const QByteArray bytes = line.toUtf8() + '\n';
    {
        QMutexLocker lock(&g_logMutex);
        std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
        std::fflush(stderr);
        if (g_logFile) {
            g_logFile->write(bytes);
            g_logFile->flush();
        }
    }
    emit LogBus::instance()->lineLogged(
        int(type), QString::fromLatin1(context.category ? context.category : "default"), line);
    if (type == QtFatalMsg)
        std::abort();
}

} // namespace

namespace Logging {

bool parseLevel(const QString &text, Level *level)
{
    const QString t = text.trimmed().toUpper();
    if (t == QLatin1String("DEBUG") || t == QLatin1String("TRACE"))
        *level = Level::Debug;
    else if (t == QLatin1String("INFO"))
        *level = Level::Info;
    else if (t == QLatin1String("WARNING") || t == QLatin1String("WARN"))
        *level = Level::Warning;
    else if (t == QLatin1String("ERROR") || t == QLatin1String("CRITICAL"))
        *level = Level::Error;
    else
        return false;
    return true;
}

QString levelName(Level level)
{
    switch (level) {
    case Level::Debug:
        return QStringLiteral("DEBUG");
    case Level::Info:
        return QStringLiteral("INFO");
    case Level::Warning:
        return QStringLiteral("WARNING");
    case Level::Error:
        return QStringLiteral("ERROR");
    }
    return {};
}

QString filterRules(Level level)
{
    switch (level) {
    case Level::Debug:
        return QStringLiteral("tsp.*.debug=true\ntsp.*.info=true");
    case Level::Info:
        return QStringLiteral("tsp.*.debug=false\ntsp.*.info=true");
    case Level::Warning:
        return QStringLiteral("tsp.*.debug=false\ntsp.*.info=false\ntsp.*.warning=true");
    case Level::Error:
        return QStringLiteral("tsp.*.debug=false\ntsp.*.info=false\ntsp.*.warning=false");
    }
    return {};
}

namespace {

// "yyyy-MM-dd HH:mm:ss.zzz" in local time. The date and time of day are formatted once per second
// and per thread: QDateTime's local-time conversion was a third of the cost of a log line.
QString timestamp()
{
    thread_local qint64 cachedSecond = std::numeric_limits<qint64>::min();
    thread_local QString cachedPrefix;
    const qint64 ms = QDateTime::currentMSecsSinceEpoch();
    const qint64 second = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    if (second != cachedSecond) {
        cachedSecond = second;
        cachedPrefix =
            QDateTime::fromMSecsSinceEpoch(second * 1000).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss."));
    }
    const int milli = int(ms - second * 1000);
    QString out = cachedPrefix;
    out += QChar(u'0' + milli / 100);
    out += QChar(u'0' + milli / 10 % 10);
    out += QChar(u'0' + milli % 10);
    return out;
}

} // namespace

QString formatLine(QtMsgType type, const char *category, const QString &message)
{
    return timestamp() + QLatin1Char(' ') + QLatin1String(typeName(type)) + QLatin1Char(' ') +
           QLatin1String(category ? category : "default") + QLatin1String(": ") + Redact::text(message);
}

void setup(Level level, const QString &logFile)
{
    QLoggingCategory::setFilterRules(filterRules(level));
    QMutexLocker lock(&g_logMutex);
    if (!logFile.isEmpty()) {
        auto *f = new QFile(logFile);
        if (f->open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text)) {
            delete g_logFile;
            g_logFile = f;
        } else {
            std::fprintf(stderr, "warning: cannot open log file %s: %s\n", qPrintable(logFile),
                         qPrintable(f->errorString()));
            delete f;
        }
    }
    QtMessageHandler prev = qInstallMessageHandler(handler);
    if (prev != handler)
        g_previous = prev;
}

void shutdown()
{
    qInstallMessageHandler(g_previous);
    QMutexLocker lock(&g_logMutex);
    delete g_logFile;
    g_logFile = nullptr;
}

} // namespace Logging

LogBus *LogBus::instance()
{
    static LogBus bus;
    return &bus;
}
