#pragma once

#include <QHash>
#include <QObject>
#include <QPair>

#include "desk/deskbackend.h"

class ChangeFeed;

// Publishes what the local bot's stores do into a ChangeFeed: sessions, turns, drafts, outbox
// deliveries, analyses, answer progress, attention. A team-mode source (PostgreSQL NOTIFY) would
// publish the same Change values.
class LocalChangeSource final : public QObject
{
    Q_OBJECT
public:
    LocalChangeSource(const DeskBackend &backend, ChangeFeed *feed, QObject *parent = nullptr);
    ~LocalChangeSource() override;
    Q_DISABLE_COPY_MOVE(LocalChangeSource)

    // The analysis of a session was saved (the analysis scheduler calls this).
    void analysisSaved(qint64 sessionId);

private:
    static constexpr qsizetype kMaxOutboxRows = 10000;

    ChangeFeed *m_feed = nullptr;
    QHash<qint64, QPair<qint64, qint64>> m_outboxRows; // outbox id -> (session, turn), rows in flight
};
