#pragma once

#include <QObject>
#include <QString>

// Process-wide log set-up: level mapping, redaction, stderr + file sinks and the in-memory bus
// the console's log view listens to.
namespace Logging {

enum class Level { Debug, Info, Warning, Error };

// Parses LOG_LEVEL values (DEBUG, INFO, WARNING/WARN, ERROR; case-insensitive).
// Returns false and leaves *level alone for anything else.
bool parseLevel(const QString &text, Level *level);
QString levelName(Level level);

// Filter rules for QLoggingCategory that put every tsp.* category at `level`.
QString filterRules(Level level);

// Installs the message handler and the filter rules. `logFile` may be empty (stderr only).
// QT_LOGGING_RULES from the environment still wins over the level, as Qt documents.
void setup(Level level, const QString &logFile = {});
// Restores Qt's default handler and closes the file.
void shutdown();

// Formats one line the way the sinks write it (already redacted).
QString formatLine(QtMsgType type, const char *category, const QString &message);

} // namespace Logging

// Every log line, redacted, for in-process viewers (the console's log panel, tests).
class LogBus final : public QObject
{
    Q_OBJECT
public:
    static LogBus *instance();

signals:
    void lineLogged(int msgType, const QString &category, const QString &line);

private:
    LogBus() = default;
};
