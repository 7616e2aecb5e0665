// libFuzzer target: drives FragmentAssembler with fragments and clock steps decoded from the
// input, and checks it against a simple model after every step:
//  - a completed payload equals the model's fragments of that message concatenated in order
//    (so its size is the sum of the stored fragment sizes);
//  - Duplicate only for a seq the model holds; Pending counts match; Rejected says why;
//  - bufferedBytes and openSets equal the model's and stay within the limits;
//  - a set disappears only by completion or when it is at least ttl old, and no set older than
//    ttl survives an add()/expire() call.
#include <cstdint>
#include <cstdlib>
#include <map>

#include <QLoggingCategory>

#include "feishu/fragmentassembler.h"

namespace {

struct Input
{
    const uint8_t *data;
    size_t size;
    size_t pos = 0;
    bool atEnd() const { return pos >= size; }
    uint8_t byte() { return pos < size ? data[pos++] : 0; }
};

struct ModelSet
{
    int sum = 0;
    qint64 createdMs = 0;
    std::map<int, QByteArray> parts;
    qsizetype bytes() const
    {
        qsizetype total = sum * FragmentAssembler::kSlotOverheadBytes;
        for (const auto &p : parts)
            total += p.second.size();
        return total;
    }
};

[[noreturn]] void fail()
{
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    QLoggingCategory::setFilterRules(QStringLiteral("tsp.*=false"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FragmentAssembler::Limits limits;
    limits.maxOpenSets = 6;
    limits.maxBufferedBytes = 40 * FragmentAssembler::kSlotOverheadBytes + 600;
    limits.ttlMs = 100;
    limits.maxFragments = 1000;
    FragmentAssembler assembler(limits);
    std::map<QByteArray, ModelSet> model;
    qint64 now = 0;
    Input in{data, size};

    auto reconcile = [&](bool swept) {
        qsizetype bytes = 0;
        for (auto it = model.begin(); it != model.end();) {
            const int received = assembler.receivedFor(it->first);
            if (received < 0) {
                if (now - it->second.createdMs < limits.ttlMs)
                    fail(); // vanished before its time
                it = model.erase(it);
                continue;
            }
            if (received != int(it->second.parts.size()))
                fail();
            if (swept && now - it->second.createdMs >= limits.ttlMs)
                fail(); // should have expired
            bytes += it->second.bytes();
            ++it;
        }
        if (assembler.bufferedBytes() != bytes || assembler.bufferedBytes() > limits.maxBufferedBytes)
            fail();
        if (assembler.openSets() != int(model.size()) || assembler.openSets() > limits.maxOpenSets)
            fail();
    };

    while (!in.atEnd()) {
        const uint8_t op = in.byte();
        switch (op % 5) {
        case 0: // the clock moves on
            now += in.byte();
            break;
        case 1: // explicit sweep
            assembler.expire(now);
            reconcile(true);
            break;
        default: { // a fragment
            const QByteArray messageId = "m" + QByteArray::number(in.byte() % 8);
            const uint8_t s = in.byte();
            const uint8_t q = in.byte();
            QByteArray sumText = QByteArray::number(s % 6);
            QByteArray seqText = QByteArray::number(int(q % 7));
            if (s >= 250) // now and then something invalid or over the cap
                sumText = s == 250   ? QByteArray("1001")
                          : s == 251 ? QByteArray("-1")
                          : s == 252 ? QByteArray("x")
                                     : QByteArray("1000");
            if (q >= 252)
                seqText = q == 252 ? QByteArray("-1") : q == 253 ? QByteArray("") : QByteArray("999");
            const int len = in.byte() % 48;
            QByteArray payload;
            for (int i = 0; i < len && !in.atEnd(); ++i)
                payload.append(char(in.byte()));

            Frame frame;
            frame.method = Frame::Data;
            frame.appendHeader("type", "event");
            if (op & 0x40)
                frame.appendHeader("message_id", messageId);
            if (!(op & 0x20))
                frame.appendHeader("sum", sumText);
            if (!(op & 0x10))
                frame.appendHeader("seq", seqText);
            frame.payload = payload;

            // Sweep the model the way add() sweeps (before storing).
            assembler.expire(now);
            reconcile(true);

            bool sumOk = false, seqOk = false;
            const int sum = (op & 0x20) ? 1 : sumText.toInt(&sumOk);
            const int seq = (op & 0x10) ? 0 : seqText.toInt(&seqOk);
            const bool hasId = op & 0x40;
            const auto result = assembler.add(std::move(frame), now);
            switch (result.outcome) {
            case FragmentAssembler::Outcome::Rejected:
                if (result.reason.isEmpty() || !result.payload.isEmpty())
                    fail();
                break;
            case FragmentAssembler::Outcome::Duplicate: {
                const auto it = model.find(messageId);
                if (!hasId || it == model.end() || !it->second.parts.count(seq))
                    fail();
                break;
            }
            case FragmentAssembler::Outcome::Pending: {
                if (!hasId || sum <= 1 || seq < 0 || seq >= sum)
                    fail();
                ModelSet &set = model[messageId];
                if (set.parts.empty() && set.sum == 0) {
                    set.sum = sum;
                    set.createdMs = now;
                }
                if (set.sum != sum || set.parts.count(seq))
                    fail();
                set.parts[seq] = payload;
                if (result.received != int(set.parts.size()))
                    fail();
                break;
            }
            case FragmentAssembler::Outcome::Complete: {
                if (sum <= 1) {
                    if (seq != 0 || result.payload != payload)
                        fail();
                    break;
                }
                const auto it = model.find(messageId);
                if (!hasId || it == model.end() || it->second.sum != sum || it->second.parts.count(seq))
                    fail();
                it->second.parts[seq] = payload;
                if (int(it->second.parts.size()) != sum)
                    fail();
                QByteArray expected;
                for (const auto &p : it->second.parts)
                    expected += p.second;
                if (result.payload != expected || result.payload.size() != expected.size())
                    fail();
                if (result.frame.payload.has_value() || result.frame.header("message_id") != messageId)
                    fail();
                model.erase(it);
                break;
            }
            }
            (void)sumOk;
            (void)seqOk;
            reconcile(true);
            break;
        }
        }
    }
    assembler.clear();
    if (assembler.bufferedBytes() != 0 || assembler.openSets() != 0)
        fail();
    return 0;
}
