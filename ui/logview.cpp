#include "logview.h"

#include <QFontDatabase>

#include "logging/logging.h"

LogView::LogView(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("logView"));
    setReadOnly(true);
    setMaximumBlockCount(kMaxBlocks);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    connect(LogBus::instance(), &LogBus::lineLogged, this,
            [this](int, const QString &, const QString &line) { appendLine(line); }, Qt::QueuedConnection);
}

void LogView::appendLine(const QString &line) { appendPlainText(line); }
