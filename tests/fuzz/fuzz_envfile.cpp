// libFuzzer target: the .env reader on arbitrary bytes. It must never crash; every kept key is a
// valid name; every problem has a line and a message; and every value it kept survives being
// written back as KEY="escaped value" and read again (the double-quoted form can hold any text).
#include <cstdint>
#include <cstdlib>

#include "config/envfile.h"

namespace {

QString quoted(const QString &value)
{
    QString out = QStringLiteral("\"");
    for (const QChar c : value) {
        switch (c.unicode()) {
        case u'\\':
            out += QStringLiteral("\\\\");
            break;
        case u'"':
            out += QStringLiteral("\\\"");
            break;
        case u'\n':
            out += QStringLiteral("\\n");
            break;
        case u'\r':
            out += QStringLiteral("\\r");
            break;
        case u'\t':
            out += QStringLiteral("\\t");
            break;
        default:
            out += c;
        }
    }
    return out + QLatin1Char('"');
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20)
        return 0;
    EnvFile env;
    env.parse(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    QString written;
    for (auto it = env.values().cbegin(); it != env.values().cend(); ++it) {
        if (it.key().isEmpty())
            std::abort();
        written += it.key() + QLatin1Char('=') + quoted(it.value()) + QLatin1Char('\n');
    }
    for (const auto &p : env.problems()) {
        if (p.line <= 0 || p.message.isEmpty())
            std::abort();
    }
    EnvFile again;
    again.parse(written.toUtf8());
    if (!again.problems().isEmpty() || again.values() != env.values())
        std::abort();
    return 0;
}
