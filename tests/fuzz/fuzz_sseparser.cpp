// libFuzzer target for SseParser. Besides "no crash, no sanitizer report", it checks two
// properties on every input:
//  - feeding the bytes in chunks (split where the first input byte says) gives exactly the same
//    events and error state as feeding them at once;
//  - the parser never buffers more than its limits allow.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <QByteArray>

#include "assistant/sseparser.h"

namespace {

constexpr qsizetype kMaxLine = 256;
constexpr qsizetype kMaxEvent = 1024;

struct Outcome
{
    QList<SseEvent> events;
    bool error = false;
};

Outcome feedWhole(QByteArrayView data)
{
    SseParser p(kMaxLine, kMaxEvent);
    p.feed(data);
    Outcome o{p.takeEvents(), p.hasError()};
    p.finish();
    return o;
}

Outcome feedChunked(QByteArrayView data, unsigned stride)
{
    SseParser p(kMaxLine, kMaxEvent);
    Outcome o;
    qsizetype pos = 0;
    while (pos < data.size()) {
        const qsizetype n = qMin<qsizetype>(stride, data.size() - pos);
        p.feed(data.sliced(pos, n));
        if (p.bufferedBytes() > kMaxLine + kMaxEvent)
            std::abort();
        o.events += p.takeEvents();
        pos += n;
        stride = stride * 7 % 23 + 1; // vary the chunk sizes
    }
    o.error = p.hasError();
    p.finish();
    return o;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size == 0)
        return 0;
    const unsigned stride = bytes[0] % 17 + 1;
    const QByteArrayView data(reinterpret_cast<const char *>(bytes) + 1, qsizetype(size - 1));
    const Outcome whole = feedWhole(data);
    const Outcome chunked = feedChunked(data, stride);
    if (whole.error != chunked.error)
        std::abort();
    // Events dispatched before an error must agree too.
    if (!whole.error && whole.events != chunked.events)
        std::abort();
    return 0;
}
