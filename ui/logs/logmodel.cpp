#include "logs/logmodel.h"

#include <algorithm>

#include <QBrush>
#include <QColor>
#include <QMutex>

#include "logging/logging.h"

struct LogModel::Intake
{
    QMutex mutex;
    std::vector<Entry> pending;
    int capacity = 0;

    void push(Entry entry)
    {
        QMutexLocker lock(&mutex);
        pending.push_back(std::move(entry));
        // Paused for a long time: keep only what the ring could show anyway.
        if (pending.size() > size_t(capacity) * 2)
            pending.erase(pending.begin(), pending.end() - capacity);
    }
};

LogModel::LogModel(int capacity, bool listen, QObject *parent)
    : QAbstractListModel(parent)
    , m_capacity(std::max(1, capacity))
    , m_intake(std::make_shared<Intake>())
{
    m_intake->capacity = m_capacity;
    m_flushTimer.setInterval(100);
    connect(&m_flushTimer, &QTimer::timeout, this, &LogModel::flush);
    m_flushTimer.start();
    if (listen) {
        // Direct: runs on the logging thread and only touches the intake (kept alive by the
        // lambda while an emission is in progress, even if the model is going away).
        std::shared_ptr<Intake> intake = m_intake;
        m_busConnection = connect(
            LogBus::instance(), &LogBus::lineLogged, LogBus::instance(),
            [intake](int msgType, const QString &category, const QString &line) {
                intake->push(Entry{levelOf(msgType), category, line});
            },
            Qt::DirectConnection);
    }
}

LogModel::~LogModel()
{
    if (m_busConnection)
        disconnect(m_busConnection);
}

LogModel::Level LogModel::levelOf(int msgType)
{
    switch (QtMsgType(msgType)) {
    case QtDebugMsg:
        return Level::Debug;
    case QtInfoMsg:
        return Level::Info;
    case QtWarningMsg:
        return Level::Warning;
    case QtCriticalMsg:
    case QtFatalMsg:
        return Level::Error;
    }
    return Level::Info;
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_count;
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = entryAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
    case LineRole:
        return e.line;
    case LevelRole:
        return QVariant::fromValue(e.level);
    case CategoryRole:
        return e.category;
    case Qt::ForegroundRole:
        if (e.level == Level::Error)
            return QBrush(QColor(0xb0, 0x1e, 0x1e));
        if (e.level == Level::Warning)
            return QBrush(QColor(0x9a, 0x5b, 0x00));
        if (e.level == Level::Debug)
            return QBrush(QColor(0x70, 0x70, 0x70));
        return {};
    default:
        return {};
    }
}

QHash<int, QByteArray> LogModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(LevelRole, "level");
    names.insert(CategoryRole, "category");
    names.insert(LineRole, "line");
    return names;
}

void LogModel::append(int msgType, const QString &category, const QString &line)
{
    m_intake->push(Entry{levelOf(msgType), category, line});
}

int LogModel::pendingCount() const
{
    QMutexLocker lock(&m_intake->mutex);
    return int(m_intake->pending.size());
}

void LogModel::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!paused)
        flush();
}

void LogModel::flush()
{
    if (m_paused) {
        const int pending = pendingCount();
        if (pending != m_lastPending) {
            m_lastPending = pending;
            emit pendingCountChanged(pending);
        }
        return;
    }
    std::vector<Entry> batch;
    {
        QMutexLocker lock(&m_intake->mutex);
        batch.swap(m_intake->pending);
    }
    if (m_lastPending != 0) {
        m_lastPending = 0;
        emit pendingCountChanged(0);
    }
    if (batch.empty())
        return;
    // More than the ring holds: only the newest lines count.
    size_t skip = 0;
    if (batch.size() > size_t(m_capacity))
        skip = batch.size() - size_t(m_capacity);
    const int incoming = int(batch.size() - skip);

    bool newCategory = false;
    for (size_t i = skip; i < batch.size(); ++i) {
        QString &cat = batch[i].category;
        auto it = std::lower_bound(m_categories.begin(), m_categories.end(), cat);
        if (it == m_categories.end() || *it != cat) {
            it = m_categories.insert(it, cat);
            newCategory = true;
        }
        cat = *it; // one shared copy of each category name
    }

    const int overflow = m_count + incoming - m_capacity;
    if (overflow > 0 && m_count > 0) {
        // The ring is linear (m_first == 0) while it grows; it wraps from now on.
        if (m_ring.size() < size_t(m_capacity))
            m_ring.resize(size_t(m_capacity));
        const int drop = std::min(overflow, m_count);
        beginRemoveRows({}, 0, drop - 1);
        for (int i = 0; i < drop; ++i)
            m_ring[(m_first + size_t(i)) % m_ring.size()] = Entry{};
        m_first = (m_first + size_t(drop)) % m_ring.size();
        m_count -= drop;
        endRemoveRows();
    }

    beginInsertRows({}, m_count, m_count + incoming - 1);
    for (size_t i = skip; i < batch.size(); ++i) {
        if (m_ring.size() < size_t(m_capacity) && m_first == 0) {
            m_ring.push_back(std::move(batch[i]));
        } else {
            m_ring[(m_first + size_t(m_count)) % m_ring.size()] = std::move(batch[i]);
        }
        ++m_count;
    }
    endInsertRows();
    if (newCategory)
        emit categoriesChanged(m_categories);
}

void LogModel::clear()
{
    {
        QMutexLocker lock(&m_intake->mutex);
        m_intake->pending.clear();
    }
    beginResetModel();
    m_ring.clear();
    m_ring.shrink_to_fit();
    m_first = 0;
    m_count = 0;
    endResetModel();
}
