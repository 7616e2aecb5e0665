#pragma once

#include <QCoreApplication>
#include <QFont>
#include <QString>

#include "desk/desktypes.h"

// The words the conversation widgets share: modes, roles, delivery states, names and times,
// translated in one place so the list, the thread and the side panel say the same thing.
class ConversationText final
{
    Q_DECLARE_TR_FUNCTIONS(ConversationText)
public:
    ConversationText() = delete;

    static QString modeName(SessionMode mode);        // Auto / Review / Manual
    static QString modeDescription(SessionMode mode); // a sentence for the state label
    static QString roleName(TurnRole role);           // Customer / Bot / Operator / System
    static QString deliveryName(Desk::DeliveryState state);
    static QString urgencyName(const QString &urgency);
    // The customer's name, or the open_id until the name is known.
    static QString customerName(const SessionSummary &s);
    // The chat's name, "Direct chat" for p2p, or the chat id until the name is known.
    static QString chatLabel(const SessionSummary &s);
    // "now", "5 min", "3 h", "2 d": time since `thenMs` (ms since the epoch, UTC).
    static QString sinceText(qint64 thenMs, qint64 nowMs);
    // "14:02" today, "12-01 14:02" before.
    static QString clockText(qint64 ms, qint64 nowMs);
    // The row as a sentence, for screen readers (AT-SPI reads DisplayRole).
    static QString accessibleRow(const SessionSummary &s, qint64 nowMs);
    // `base` scaled by `factor`, whether its size is in points or in pixels.
    static QFont scaledFont(const QFont &base, qreal factor);
    // "KB-0012 “车机没网” · KB-0040 “远程解锁失败”": what an operator recognises (titles longer
    // than 24 characters are cut with "…"); the ranking scores are in citedScores().
    static QString citedList(const QList<CitedEntry> &cited);
    // "KB-0012 1.34, KB-0040 0.55": the search's scores (relative: the best entry of a search
    // may score above 1).
    static QString citedScores(const QList<CitedEntry> &cited);
};
