#pragma once

#include <map>
#include <optional>
#include <utility>
#include <vector>

#include <QByteArray>
#include <QHash>
#include <QString>

#include "feishu/frame.h"

// Reassembles DATA frames that the server split into several fragments (spec §4).
//
// Fragments of one logical push share the `message_id` header and carry `sum` (number of
// fragments) and `seq` (0-based index) headers. Missing `sum`/`seq` mean "not split" (sum=1,
// seq=0, spec §3.3 REC); `sum` 0 is treated like 1. A fragment is rejected (with a reason) unless
// 0 <= seq < sum <= maxFragments. Fragments may come in any order; a duplicate is harmless (the
// first copy is kept); a zero-length fragment is a real fragment.
//
// An incomplete set expires `ttlMs` after its FIRST fragment (as the Node SDK does); the expiry is
// logged, and the server pushes the message again because it was never ACKed. Memory is bounded:
// total buffered bytes (payloads plus per-part bookkeeping) and the number of open sets; fragments
// beyond either bound are rejected.
//
// The clock is the caller's: pass a monotonic `nowMs` (e.g. QElapsedTimer) into every call.
// Not thread-safe; one instance per connection.
class FragmentAssembler
{
public:
    struct Limits
    {
        int maxFragments = 1000;
        qsizetype maxBufferedBytes = qsizetype(64) * 1024 * 1024;
        int maxOpenSets = 1024;
        qint64 ttlMs = 10000;
    };

    enum class Outcome {
        Complete,  // payload + frame are set
        Pending,   // stored, waiting for more fragments
        Duplicate, // this seq was already stored for this message_id: nothing changed
        Rejected,  // invalid headers or over a bound: nothing stored, reason says why
    };

    struct Result
    {
        Outcome outcome = Outcome::Rejected;
        QByteArray payload; // Complete: the fragments concatenated in index order
        Frame frame;        // Complete: the frame of the fragment that completed the set (for the ACK)
        QString reason;     // Rejected: why
        int received = 0;   // fragments held for this message_id after the call
        int sum = 0;        // the set's fragment count
    };

    FragmentAssembler();
    explicit FragmentAssembler(const Limits &limits);

    // Feeds one DATA frame. Expired sets are swept first. The frame's payload is moved into the
    // set (or, for an unsplit frame, straight into Result::payload: no copy).
    Result add(Frame &&frame, qint64 nowMs);

    // Drops (and logs) every set whose first fragment is at least ttlMs old. Returns how many.
    int expire(qint64 nowMs);
    // When the oldest open set expires (its first fragment time + ttl); nullopt when none is open.
    std::optional<qint64> nextExpiryMs() const;

    int openSets() const { return int(m_sets.size()); }
    // Fragments held for an open set, or -1 when no set is open under that message_id.
    int receivedFor(const QByteArray &messageId) const
    {
        const auto it = m_sets.constFind(messageId);
        return it == m_sets.constEnd() ? -1 : it->received;
    }
    qsizetype bufferedBytes() const { return m_bufferedBytes; }
    qint64 expiredTotal() const { return m_expiredTotal; }
    const Limits &limits() const { return m_limits; }
    void clear();

    // Per-part bookkeeping charged against maxBufferedBytes, so sum=1000 sets cannot hide memory.
    static constexpr qsizetype kSlotOverheadBytes = qsizetype(sizeof(std::optional<QByteArray>));

private:
    struct Set
    {
        std::vector<std::optional<QByteArray>> parts;
        int received = 0;
        qsizetype bytes = 0; // payload bytes + part overhead, as charged to m_bufferedBytes
        qint64 createdMs = 0;
        quint64 serial = 0;
    };
    using AgeKey = std::pair<qint64, quint64>; // (createdMs, serial): expiry order

    void drop(QHash<QByteArray, Set>::iterator it);

    Limits m_limits;
    QHash<QByteArray, Set> m_sets;
    std::map<AgeKey, QByteArray> m_byAge;
    qsizetype m_bufferedBytes = 0;
    quint64 m_nextSerial = 0;
    qint64 m_expiredTotal = 0;
};
