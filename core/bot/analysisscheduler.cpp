#include "bot/analysisscheduler.h"

#include <QPointer>

#include "assistant/analyzer.h"
#include "chat/sessionmanager.h"
#include "storage/analysisstore.h"

AnalysisScheduler::AnalysisScheduler(SessionManager *sessions, Analyzer *analyzer, AnalysisStore *store,
                                     int debounceMs, QObject *parent)
    : QObject(parent)
    , m_sessions(sessions)
    , m_analyzer(analyzer)
    , m_store(store)
    , m_debounceMs(debounceMs)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &AnalysisScheduler::runNext);
}

AnalysisScheduler::~AnalysisScheduler() = default;

void AnalysisScheduler::schedule(qint64 sessionId)
{
    if (m_stopped)
        return;
    m_queue.removeAll(sessionId);
    m_queue.append(sessionId);
    if (!m_running && !m_timer.isActive())
        m_timer.start(m_debounceMs);
}

void AnalysisScheduler::stop()
{
    m_stopped = true;
    m_timer.stop();
}

void AnalysisScheduler::runNext()
{
    if (m_stopped || m_queue.isEmpty() || m_running)
        return;
    const qint64 sessionId = m_queue.takeFirst();
    const QList<ConversationTurn> conversation = SessionManager::toConversation(m_sessions->turns(sessionId));
    if (conversation.isEmpty()) {
        m_timer.start(0);
        return;
    }
    m_running = true;
    QPointer<AnalysisScheduler> self(this);
    m_analyzer->analyze(conversation, [self, sessionId](const Analysis &analysis) {
        if (!self)
            return;
        self->m_running = false;
        if (self->m_stopped)
            return;
        if (self->m_store->save(sessionId, analysis.toRecord())) {
            QString vin;
            QString plate;
            for (const Entity &e : analysis.entities) {
                if (e.type == Entity::Type::Vin && e.valid && vin.isEmpty())
                    vin = e.value;
                else if (e.type == Entity::Type::Plate && plate.isEmpty())
                    plate = e.value;
            }
            if (!vin.isEmpty() || !plate.isEmpty())
                self->m_sessions->setVehicle(sessionId, vin, plate);
            emit self->saved(sessionId);
        }
        if (!self->m_queue.isEmpty())
            self->m_timer.start(0);
    });
}
