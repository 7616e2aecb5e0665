#pragma once

#include <QList>
#include <QObject>
#include <QTimer>

class Analyzer;
class AnalysisStore;
class SessionManager;

// Runs the AI analysis of conversations after they change: debounced per session, one at a
// time, oldest request first. A saved analysis also records the vehicle (VIN, plate) on the
// session, so the console finds the vehicle's earlier conversations.
class AnalysisScheduler final : public QObject
{
    Q_OBJECT
public:
    AnalysisScheduler(SessionManager *sessions, Analyzer *analyzer, AnalysisStore *store, int debounceMs,
                      QObject *parent = nullptr);
    ~AnalysisScheduler() override;
    Q_DISABLE_COPY_MOVE(AnalysisScheduler)

    void schedule(qint64 sessionId);
    // No new analysis starts; one in flight may still finish (isRunning()).
    void stop();
    bool isRunning() const { return m_running; }

signals:
    void saved(qint64 sessionId);

private:
    void runNext();

    SessionManager *m_sessions = nullptr;
    Analyzer *m_analyzer = nullptr;
    AnalysisStore *m_store = nullptr;
    int m_debounceMs = 800;
    QList<qint64> m_queue; // sessions whose analysis is due, oldest request first
    QTimer m_timer;
    bool m_running = false;
    bool m_stopped = false;
};
