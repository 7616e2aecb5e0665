#include "feishu/fragmentassembler.h"

#include "logging_p.h"

namespace {

// A strict decimal: optional '-', then 1..18 digits, nothing else (no spaces, no '+').
std::optional<qint64> parseDecimal(QByteArrayView text)
{
    qsizetype i = 0;
    bool negative = false;
    if (!text.isEmpty() && text[0] == '-') {
        negative = true;
        i = 1;
    }
    const qsizetype digits = text.size() - i;
    if (digits < 1 || digits > 18)
        return std::nullopt;
    qint64 value = 0;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return negative ? -value : value;
}

QString printable(QByteArrayView bytes)
{
    // Header values are logged; keep a bad one short.
    return QString::fromUtf8(bytes.first(qMin<qsizetype>(bytes.size(), 64)));
}

} // namespace

FragmentAssembler::FragmentAssembler() = default;

FragmentAssembler::FragmentAssembler(const Limits &limits)
    : m_limits(limits)
{}

FragmentAssembler::Result FragmentAssembler::add(Frame &&frame, qint64 nowMs)
{
    Result result;
    expire(nowMs);

    const QByteArray sumText = frame.header("sum");
    const QByteArray seqText = frame.header("seq");
    const auto sumValue = sumText.isNull() ? std::optional<qint64>(1) : parseDecimal(sumText);
    const auto seqValue = seqText.isNull() ? std::optional<qint64>(0) : parseDecimal(seqText);
    if (!sumValue) {
        result.reason = QStringLiteral("sum header \"%1\" is not a decimal number").arg(printable(sumText));
        return result;
    }
    if (!seqValue) {
        result.reason = QStringLiteral("seq header \"%1\" is not a decimal number").arg(printable(seqText));
        return result;
    }
    if (*sumValue < 0) {
        result.reason = QStringLiteral("sum %1 is negative").arg(*sumValue);
        return result;
    }
    const qint64 sum = qMax<qint64>(*sumValue, 1); // sum 0 means "not split", like 1 (the SDKs: sum <= 1)
    const qint64 seq = *seqValue;
    if (sum > m_limits.maxFragments) {
        result.reason =
            QStringLiteral("sum %1 exceeds the limit of %2 fragments").arg(sum).arg(m_limits.maxFragments);
        return result;
    }
    if (seq < 0 || seq >= sum) {
        result.reason = QStringLiteral("seq %1 is outside 0..%2").arg(seq).arg(sum - 1);
        return result;
    }
    result.sum = int(sum);

    if (sum == 1) {
        // The common case: not split. Nothing is buffered, nothing is copied.
        result.outcome = Outcome::Complete;
        result.received = 1;
        result.payload = frame.payload ? std::move(*frame.payload) : QByteArray();
        frame.payload.reset();
        result.frame = std::move(frame);
        return result;
    }

    const QByteArray messageId = frame.header("message_id");
    if (messageId.isEmpty()) {
        result.reason = QStringLiteral("fragment %1/%2 has no message_id header").arg(seq).arg(sum);
        return result;
    }
    const qsizetype fragmentBytes = frame.payload ? frame.payload->size() : 0;

    auto it = m_sets.find(messageId);
    if (it == m_sets.end()) {
        if (m_sets.size() >= m_limits.maxOpenSets) {
            result.reason =
                QStringLiteral("%1 incomplete messages are already buffered (limit)").arg(m_sets.size());
            return result;
        }
        const qsizetype needed = sum * kSlotOverheadBytes + fragmentBytes;
        if (needed > m_limits.maxBufferedBytes - m_bufferedBytes) {
            result.reason = QStringLiteral("buffering %1 more bytes would exceed the %2-byte limit")
                                .arg(needed)
                                .arg(m_limits.maxBufferedBytes);
            return result;
        }
        Set set;
        set.parts.resize(size_t(sum));
        set.createdMs = nowMs;
        set.serial = m_nextSerial++;
        set.bytes = sum * kSlotOverheadBytes;
        m_bufferedBytes += set.bytes;
        m_byAge.emplace(AgeKey{set.createdMs, set.serial}, messageId);
        it = m_sets.insert(messageId, std::move(set));
    } else if (qsizetype(it->parts.size()) != sum) {
        result.reason = QStringLiteral("fragment says sum=%1 but message %2 started with sum=%3")
                            .arg(sum)
                            .arg(printable(messageId))
                            .arg(it->parts.size());
        result.received = it->received;
        result.sum = int(it->parts.size());
        return result;
    } else if (it->parts[size_t(seq)].has_value()) {
        result.outcome = Outcome::Duplicate;
        result.received = it->received;
        return result;
    } else if (fragmentBytes > m_limits.maxBufferedBytes - m_bufferedBytes) {
        result.reason = QStringLiteral("buffering %1 more bytes would exceed the %2-byte limit")
                            .arg(fragmentBytes)
                            .arg(m_limits.maxBufferedBytes);
        result.received = it->received;
        return result;
    }

    Set &set = *it;
    set.parts[size_t(seq)] = frame.payload ? std::move(*frame.payload) : QByteArray();
    frame.payload.reset();
    set.bytes += fragmentBytes;
    m_bufferedBytes += fragmentBytes;
    ++set.received;
    result.received = set.received;

    if (set.received < sum) {
        result.outcome = Outcome::Pending;
        return result;
    }

    qsizetype total = 0;
    for (const auto &part : set.parts)
        total += part->size();
    result.payload.reserve(total);
    for (const auto &part : set.parts)
        result.payload.append(*part);
    result.outcome = Outcome::Complete;
    result.frame = std::move(frame);
    drop(it);
    return result;
}

void FragmentAssembler::drop(QHash<QByteArray, Set>::iterator it)
{
    m_bufferedBytes -= it->bytes;
    m_byAge.erase(AgeKey{it->createdMs, it->serial});
    m_sets.erase(it);
}

int FragmentAssembler::expire(qint64 nowMs)
{
    int expired = 0;
    while (!m_byAge.empty()) {
        const auto oldest = m_byAge.begin();
        const qint64 createdMs = oldest->first.first;
        if (nowMs < createdMs || nowMs - createdMs < m_limits.ttlMs)
            break;
        const QByteArray messageId = oldest->second;
        const auto it = m_sets.find(messageId);
        if (it == m_sets.end()) { // cannot happen: both indexes change together
            m_byAge.erase(oldest);
            continue;
        }
        qCWarning(lcFeishu).noquote()
            << QStringLiteral("incomplete message %1 dropped after %2 ms with %3/%4 fragments; "
                              "the server will push it again (it was never acknowledged)")
                   .arg(printable(messageId))
                   .arg(nowMs - it->createdMs)
                   .arg(it->received)
                   .arg(it->parts.size());
        drop(it);
        ++expired;
        ++m_expiredTotal;
    }
    return expired;
}

std::optional<qint64> FragmentAssembler::nextExpiryMs() const
{
    if (m_byAge.empty())
        return std::nullopt;
    return m_byAge.begin()->first.first + m_limits.ttlMs;
}

void FragmentAssembler::clear()
{
    m_sets.clear();
    m_byAge.clear();
    m_bufferedBytes = 0;
}
