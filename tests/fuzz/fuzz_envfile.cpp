// libFuzzer target: the .env reader on arbitrary bytes. It must never crash, and every value it
// keeps must come from a line it did not also report as a problem.
#include <cstdint>
#include <cstdlib>

#include "config/envfile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20)
        return 0;
    EnvFile env;
    env.parse(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    for (auto it = env.values().cbegin(); it != env.values().cend(); ++it) {
        if (it.key().isEmpty())
            std::abort();
    }
    for (const auto &p : env.problems()) {
        if (p.line <= 0 || p.message.isEmpty())
            std::abort();
    }
    return 0;
}
