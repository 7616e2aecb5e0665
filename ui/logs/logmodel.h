#pragma once

#include <memory>
#include <vector>

#include <QAbstractListModel>
#include <QMetaObject>
#include <QString>
#include <QTimer>

// The console's log lines: a bounded ring of the redacted lines LogBus publishes, the same text
// as the log file.
//
// LogBus emits from whatever thread logged (the Feishu I/O thread too). Lines are queued under a
// mutex and moved into the model in one batch per flush interval on the main thread, so a burst
// of thousands of lines costs one insert (and at most one removal of the oldest rows) per batch,
// not one per line. When the ring is full the oldest lines go first.
class LogModel final : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Roles {
        LevelRole = Qt::UserRole, // Level
        CategoryRole,             // QString, e.g. tsp.feishu
        LineRole,                 // QString, the whole line (as DisplayRole)
    };
    // Severity in increasing order (QtMsgType is not ordered).
    enum class Level { Debug, Info, Warning, Error };
    Q_ENUM(Level)

    static constexpr int kDefaultCapacity = 100000;

    // `listen`: connect to LogBus (the console); tests feed lines with append() instead.
    explicit LogModel(int capacity = kDefaultCapacity, bool listen = true, QObject *parent = nullptr);
    ~LogModel() override;
    Q_DISABLE_COPY_MOVE(LogModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int capacity() const { return m_capacity; }
    static Level levelOf(int msgType);

    // Thread-safe: queues a line for the next flush.
    void append(int msgType, const QString &category, const QString &line);
    // Main thread: moves the queued lines into the model now.
    void flush();
    // While paused the model keeps collecting but shows nothing new; resuming shows it all
    // (up to the capacity).
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // Lines queued while paused (or since the last flush).
    int pendingCount() const;
    void clear();
    void setFlushInterval(int ms) { m_flushTimer.setInterval(ms); }
    // Every category seen so far, sorted.
    QStringList categories() const { return m_categories; }

signals:
    void categoriesChanged(const QStringList &categories);
    void pendingCountChanged(int count);

private:
    struct Entry
    {
        Level level = Level::Info;
        QString category;
        QString line;
    };
    struct Intake; // shared with the LogBus connection, which may outlive a flush on another thread

    const Entry &entryAt(int row) const { return m_ring[(m_first + size_t(row)) % m_ring.size()]; }

    int m_capacity = kDefaultCapacity;
    std::vector<Entry> m_ring; // grows up to m_capacity, then wraps
    size_t m_first = 0;        // ring index of row 0
    int m_count = 0;
    std::shared_ptr<Intake> m_intake;
    QMetaObject::Connection m_busConnection;
    QTimer m_flushTimer;
    bool m_paused = false;
    int m_lastPending = 0;
    QStringList m_categories;
};
