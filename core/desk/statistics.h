#pragma once

#include <optional>

#include <QDate>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>

class Database;

// The period a dashboard shows: one local day, or the local week (Monday to Sunday) holding `date`.
struct StatsPeriod
{
    enum class Kind { Day, Week };
    Kind kind = Kind::Day;
    QDate date;

    QDate first() const; // the first day of the period
    int days() const { return kind == Kind::Day ? 1 : 7; }
    bool operator==(const StatsPeriod &) const = default;
};

// Nearest-rank percentiles of a set of durations.
struct DurationStats
{
    int count = 0;
    qint64 medianMs = -1; // -1 when count == 0
    qint64 p90Ms = -1;
};

struct CategoryStats
{
    QString category; // '' for sessions analysed without a category
    int conversations = 0;
    int botAlone = 0; // of them, answered by the bot alone
    double botAloneShare() const { return conversations > 0 ? double(botAlone) / conversations : 0.0; }
};

// Everything the dashboard shows, computed by SQL over the database (never from counters in
// memory), so the figures survive a restart and agree with an export.
struct DashboardStats
{
    StatsPeriod period;
    qint64 fromMs = 0; // [fromMs, toMs): local midnight to local midnight
    qint64 toMs = 0;
    bool ok = false;
    QString error;

    // Messages in the period by local hour of day (summed over the days of a week).
    QList<int> customerPerHour; // 24 values
    QList<int> repliesPerHour;  // 24 values: bot and operator turns
    // Customer messages by day of the period (row 0 = period.first()) and hour: days() x 24.
    QList<QList<int>> heat;

    // How the conversations that started in the period went.
    int endedBot = 0;      // answered by the bot alone
    int endedHandoff = 0;  // the bot handed it to a person
    int endedTakeover = 0; // an operator took it over (manual mode or an operator reply)
    int open = 0;          // nothing answered yet and nobody asked for

    DurationStats botFirstReply;      // first customer turn -> first bot turn
    DurationStats operatorFirstReply; // first customer turn -> first operator turn

    QList<CategoryStats> topCategories; // most conversations first (up to 8)

    int draftsApproved = 0;
    int draftsEdited = 0;
    int draftsRejected = 0;
    int draftsPending = 0;

    // KPI tiles: today (the local day of `now`), whatever the period.
    int conversationsToday = 0;
    double botAloneShareToday = -1; // -1 when no conversation of today is decided yet
    int waitingNow = 0;             // active sessions that need a person
    DurationStats firstReplyToday;  // first reply by anyone

    bool hasMessages() const;
    int endedTotal() const { return endedBot + endedHandoff + endedTakeover; }
    int draftsTotal() const { return draftsApproved + draftsEdited + draftsRejected; }
};
Q_DECLARE_METATYPE(DashboardStats)

// The dashboard's figures. request() computes them on a worker thread with its own database
// connection and delivers them with ready() on this (the main) thread; a request made while one
// runs replaces any waiting one and runs next.
class Statistics final : public QObject
{
    Q_OBJECT
public:
    explicit Statistics(Database &db, QObject *parent = nullptr);
    ~Statistics() override;
    Q_DISABLE_COPY_MOVE(Statistics)

    void request(const StatsPeriod &period);
    bool isBusy() const { return m_thread != nullptr; }

    // The computation itself, on the calling thread's connection. nowMs decides "today".
    static DashboardStats compute(Database &db, const StatsPeriod &period, qint64 nowMs);

    // Tests pin "now" (ms since the epoch); 0 = the clock.
    void setNow(qint64 nowMs) { m_nowMs = nowMs; }

signals:
    void ready(const DashboardStats &stats);

private:
    void start(const StatsPeriod &period);

    Database &m_db;
    QPointer<QThread> m_thread;
    std::optional<StatsPeriod> m_pending;
    qint64 m_nowMs = 0;
};
