#pragma once

#include <QSortFilterProxyModel>

#include "logs/logmodel.h"

// Which log lines the log page shows: a minimum level, one category (and its sub-categories:
// "tsp.feishu" also shows "tsp.feishu.frames"), and a case-insensitive text.
class LogFilter final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit LogFilter(QObject *parent = nullptr);
    ~LogFilter() override = default;
    Q_DISABLE_COPY_MOVE(LogFilter)

    void setMinimumLevel(LogModel::Level level);
    LogModel::Level minimumLevel() const { return m_minimum; }
    void setCategory(const QString &category); // '' = every category
    QString category() const { return m_category; }
    void setText(const QString &text);
    QString text() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    LogModel::Level m_minimum = LogModel::Level::Debug;
    QString m_category;
    QString m_text;
};
