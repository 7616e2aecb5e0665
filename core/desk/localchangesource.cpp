#include "desk/localchangesource.h"

#include "chat/draftstore.h"
#include "chat/outbox.h"
#include "chat/pipeline.h"
#include "chat/sessionmanager.h"
#include "desk/changefeed.h"

LocalChangeSource::LocalChangeSource(const DeskBackend &backend, ChangeFeed *feed, QObject *parent)
    : QObject(parent)
    , m_feed(feed)
{
    auto publish = [this](Change::Kind kind, qint64 sessionId, qint64 turnId = 0, qint64 draftId = 0,
                          qint64 outboxId = 0, const QString &detail = {}) {
        Change c;
        c.kind = kind;
        c.sessionId = sessionId;
        c.turnId = turnId;
        c.draftId = draftId;
        c.outboxId = outboxId;
        c.detail = detail;
        m_feed->publish(c);
    };
    if (SessionManager *s = backend.sessions) {
        connect(s, &SessionManager::sessionCreated, this,
                [publish](qint64 id) { publish(Change::Kind::SessionAdded, id); });
        connect(s, &SessionManager::sessionUpdated, this,
                [publish](qint64 id) { publish(Change::Kind::SessionChanged, id); });
        connect(s, &SessionManager::messageAdded, this,
                [publish](qint64 id, qint64 turn) { publish(Change::Kind::TurnAdded, id, turn); });
    }
    if (DraftStore *d = backend.drafts) {
        connect(d, &DraftStore::draftCreated, this, [publish](qint64 draft, qint64 session) {
            publish(Change::Kind::DraftCreated, session, 0, draft);
        });
        DraftStore *drafts = d;
        connect(d, &DraftStore::draftDecided, this, [publish, drafts](qint64 draft, DraftStore::State state) {
            const auto row = drafts->draft(draft);
            publish(Change::Kind::DraftDecided, row ? row->sessionId : 0, row ? row->replyTurnId : 0, draft,
                    0, DraftStore::stateName(state));
        });
    }
    if (Outbox *o = backend.outbox) {
        Outbox *outbox = o;
        // A row's session and turn never change: read once (at enqueue), not at every state move.
        auto delivery = [this, publish, outbox](qint64 id) {
            auto it = m_outboxRows.constFind(id);
            if (it == m_outboxRows.constEnd()) {
                const auto row = outbox->item(id);
                if (!row)
                    return;
                if (m_outboxRows.size() >= kMaxOutboxRows)
                    m_outboxRows.clear(); // rows that failed for good and were never retried
                it = m_outboxRows.insert(id, {row->sessionId, row->turnId});
            }
            publish(Change::Kind::DeliveryChanged, it->first, it->second, 0, id);
        };
        connect(o, &Outbox::enqueued, this, delivery);
        connect(o, &Outbox::attemptStarted, this, delivery);
        connect(o, &Outbox::delivered, this, [this, delivery](qint64 id, const QString &) {
            delivery(id);
            m_outboxRows.remove(id); // done: no further move
        });
        connect(o, &Outbox::failed, this, [delivery](qint64 id, const QString &) { delivery(id); });
        connect(o, &Outbox::retryScheduled, this, [delivery](qint64 id, int, qint64) { delivery(id); });
    }
    if (Pipeline *p = backend.pipeline) {
        connect(p, &Pipeline::answerProgress, this, [publish](qint64 session, const QString &text) {
            publish(Change::Kind::AnswerProgress, session, 0, 0, 0, text);
        });
        connect(p, &Pipeline::attentionNeeded, this, [publish](qint64 session, const QString &why) {
            publish(Change::Kind::Attention, session, 0, 0, 0, why);
        });
        connect(p, &Pipeline::escalated, this, [publish](qint64 session, const QString &why) {
            publish(Change::Kind::Attention, session, 0, 0, 0, why);
        });
    }
}

LocalChangeSource::~LocalChangeSource() = default;

void LocalChangeSource::analysisSaved(qint64 sessionId)
{
    Change c;
    c.kind = Change::Kind::AnalysisUpdated;
    c.sessionId = sessionId;
    m_feed->publish(c);
}
