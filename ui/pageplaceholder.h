#pragma once

#include <QWidget>

// Stands in a navigation slot until the real page is plugged in with MainWindow::setPage().
class PagePlaceholder final : public QWidget
{
    Q_OBJECT
public:
    PagePlaceholder(const QString &title, const QString &hint, QWidget *parent = nullptr);
    ~PagePlaceholder() override = default;
    Q_DISABLE_COPY_MOVE(PagePlaceholder)
};
