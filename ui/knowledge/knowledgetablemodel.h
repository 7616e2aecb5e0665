#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "desk/knowledgedesk.h"

// The knowledge editor's table: pages of KnowledgeDesk rows, fetched as the view scrolls
// (canFetchMore/fetchMore), so 100,000 entries cost one page at a time.
class KnowledgeTableModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Title, Category, VehicleModels, Updated, Source, Citations, ColumnCount };
    enum Role { EntryIdRole = Qt::UserRole + 1, SourceRole };
    Q_ENUM(Column)

    explicit KnowledgeTableModel(KnowledgeDesk *desk, QObject *parent = nullptr);
    ~KnowledgeTableModel() override;
    Q_DISABLE_COPY_MOVE(KnowledgeTableModel)

    // A listing loads at once; a search runs on the desk's worker, and the rows shown stay until
    // its hits replace them (a model reset).
    void setQuery(const KnowledgeQuery &query);
    const KnowledgeQuery &query() const { return m_query; }
    // Reloads the first pages (as many rows as loaded before, at least one page), or searches again.
    void reload();
    // A search was asked for and its hits are not in yet.
    bool isSearching() const { return m_pendingSearch != 0; }
    int pageSize() const { return m_pageSize; }
    void setPageSize(int rows) { m_pageSize = std::max(1, rows); }
    // The row of `id` among the loaded rows, or -1.
    int rowOf(const QString &id) const;
    QString idAt(int row) const;

    static QString sourceText(const QString &source);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void searchingChanged(bool searching);

private:
    void onEntryChanged(const QString &id);
    void onSearchFinished(quint64 serial, const KnowledgeRowPage &page);
    void resetRows(const KnowledgeRowPage &page);

    KnowledgeDesk *m_desk = nullptr;
    KnowledgeQuery m_query;
    QList<KnowledgeRow> m_rows;
    bool m_hasMore = false;
    bool m_resetting = false;    // fetchMore() waits until the reset is announced
    quint64 m_pendingSearch = 0; // the desk's serial of the search whose hits are awaited
    int m_pageSize = 200;
};
