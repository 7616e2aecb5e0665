#pragma once

#include <QSortFilterProxyModel>

// Filters the tickets list by status code, assignee and category (exact; empty = any) and by a
// text found in the number, title, customer, VIN or plate (case-insensitive).
class TicketFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit TicketFilterProxy(QObject *parent = nullptr);
    ~TicketFilterProxy() override;
    Q_DISABLE_COPY_MOVE(TicketFilterProxy)

    void setStatus(const QString &code);
    void setAssignee(const QString &assignee);
    void setCategory(const QString &category);
    void setText(const QString &text);
    QString status() const { return m_status; }
    QString assignee() const { return m_assignee; }
    QString category() const { return m_category; }
    QString text() const { return m_text; }
    bool isFiltering() const;
    void clearFilters();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void refilter();

    QString m_status;
    QString m_assignee;
    QString m_category;
    QString m_text;
};
