#pragma once

#include <QPlainTextEdit>

// A read-only, bounded view of the redacted log lines published on LogBus.
class LogView final : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit LogView(QWidget *parent = nullptr);
    ~LogView() override = default;
    Q_DISABLE_COPY_MOVE(LogView)

    void appendLine(const QString &line);

private:
    static constexpr int kMaxBlocks = 5000;
};
