// libFuzzer target: FrameCodec::decode must never crash or over-allocate; whatever it accepts must
// survive encode -> decode unchanged, and encoding is canonical (re-encoding gives the same bytes).
#include <cstdint>
#include <cstdlib>

#include "feishu/frame.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    Frame frame;
    QString error;
    if (!FrameCodec::decode(input, &frame, &error)) {
        if (error.isEmpty())
            std::abort(); // a rejection always says why
        return 0;
    }
    const QByteArray encoded = FrameCodec::encode(frame);
    Frame again;
    if (!FrameCodec::decode(encoded, &again, &error))
        std::abort();
    if (!(again == frame))
        std::abort();
    if (FrameCodec::encode(again) != encoded)
        std::abort();
    // Header look-up agrees with the list (first match wins).
    for (const FrameHeader &h : frame.headers) {
        if (!frame.hasHeader(h.key))
            std::abort();
    }
    return 0;
}
