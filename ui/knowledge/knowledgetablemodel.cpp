#include "knowledge/knowledgetablemodel.h"

#include <QDateTime>
#include <QLocale>

using namespace Qt::Literals::StringLiterals;

KnowledgeTableModel::KnowledgeTableModel(KnowledgeDesk *desk, QObject *parent)
    : QAbstractTableModel(parent)
    , m_desk(desk)
{
    connect(m_desk, &KnowledgeDesk::entryChanged, this, &KnowledgeTableModel::onEntryChanged);
    connect(m_desk, &KnowledgeDesk::entryRemoved, this, &KnowledgeTableModel::reload);
    connect(m_desk, &KnowledgeDesk::entriesReset, this, &KnowledgeTableModel::reload);
    connect(m_desk, &KnowledgeDesk::searchFinished, this, &KnowledgeTableModel::onSearchFinished);
    reload();
}

KnowledgeTableModel::~KnowledgeTableModel() = default;

void KnowledgeTableModel::setQuery(const KnowledgeQuery &query)
{
    const bool listing = query.text.trimmed().isEmpty();
    m_query = query;
    if (listing)
        m_rows.clear(); // as many rows as a page, not as many as the last search or listing had
    reload();
}

void KnowledgeTableModel::reload()
{
    if (!m_query.text.trimmed().isEmpty()) {
        const bool was = isSearching();
        m_pendingSearch = m_desk->startSearch(m_query);
        if (!was)
            emit searchingChanged(true);
        return;
    }
    const bool was = isSearching();
    m_pendingSearch = 0; // the hits of a search still running are not wanted any more
    resetRows(m_desk->page(m_query, {}, std::max<int>(m_pageSize, int(m_rows.size()))));
    if (was)
        emit searchingChanged(false);
}

void KnowledgeTableModel::onSearchFinished(quint64 serial, const KnowledgeRowPage &page)
{
    if (serial != m_pendingSearch)
        return; // superseded by a later search or a listing
    m_pendingSearch = 0;
    resetRows(page);
    emit searchingChanged(false);
}

void KnowledgeTableModel::resetRows(const KnowledgeRowPage &page)
{
    beginResetModel();
    m_rows = page.rows;
    m_hasMore = page.hasMore;
    // A view (or the model tester) may fetch more from its modelReset handler: that waits
    // until every handler has seen the reset.
    m_resetting = true;
    endResetModel();
    m_resetting = false;
}

void KnowledgeTableModel::onEntryChanged(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0 || !m_query.text.isEmpty()) {
        reload(); // a new entry, or a search whose ranking may change
        return;
    }
    const std::optional<KnowledgeEntry> e = m_desk->entry(id);
    if (!e || (!m_query.category.isEmpty() && e->category != m_query.category)) {
        reload();
        return;
    }
    KnowledgeRow &r = m_rows[row];
    r.title = e->title;
    r.category = e->category;
    r.vehicleModels = e->vehicleModels;
    r.updatedAt = e->updatedAt;
    r.source = e->source;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int KnowledgeTableModel::rowOf(const QString &id) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return int(i);
    }
    return -1;
}

QString KnowledgeTableModel::idAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : QString();
}

QString KnowledgeTableModel::sourceText(const QString &source)
{
    if (source == u"imported"_s)
        return tr("Imported");
    if (source == u"operator"_s)
        return tr("Operator");
    if (source == u"promoted"_s)
        return tr("Promoted");
    if (source == u"bitable"_s)
        return tr("Bitable");
    return source;
}

int KnowledgeTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int KnowledgeTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant KnowledgeTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const KnowledgeRow &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Id:
            return r.id;
        case Title:
            return r.title;
        case Category:
            return r.category;
        case VehicleModels:
            return r.vehicleModels.join(u", "_s);
        case Updated: {
            const QDateTime at = QDateTime::fromString(r.updatedAt, Qt::ISODate);
            // The day only: the column stays narrow; the time is in the tooltip.
            return at.isValid() ? QLocale().toString(at.toLocalTime(), u"yyyy-MM-dd"_s) : r.updatedAt;
        }
        case Source:
            return sourceText(r.source);
        case Citations:
            return r.citations;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == Title || index.column() == VehicleModels || index.column() == Category)
            return data(index, Qt::DisplayRole);
        if (index.column() == Updated) {
            const QDateTime at = QDateTime::fromString(r.updatedAt, Qt::ISODate);
            return at.isValid() ? QLocale().toString(at.toLocalTime(), u"yyyy-MM-dd HH:mm:ss"_s)
                                : r.updatedAt;
        }
        if (index.column() == Citations)
            return tr("Answers that cited this entry in the last 7 days");
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Citations)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case EntryIdRole:
        return r.id;
    case SourceRole:
        return r.source;
    default:
        return {};
    }
}

QVariant KnowledgeTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Id:
        return tr("ID");
    case Title:
        return tr("Title");
    case Category:
        return tr("Category");
    case VehicleModels:
        return tr("Vehicle models");
    case Updated:
        return tr("Updated");
    case Source:
        return tr("Source");
    case Citations:
        return tr("Cited (7 days)");
    default:
        return {};
    }
}

bool KnowledgeTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_hasMore && !m_resetting && !isSearching();
}

void KnowledgeTableModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || !m_hasMore || m_resetting || isSearching() || m_rows.isEmpty())
        return;
    const KnowledgeRowPage page = m_desk->page(m_query, m_rows.constLast().id, m_pageSize);
    m_hasMore = page.hasMore;
    if (page.rows.isEmpty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.rows.size() - 1));
    m_rows << page.rows;
    endInsertRows();
}
