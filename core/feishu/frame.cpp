#include "feishu/frame.h"

namespace {

enum WireType { Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5 };

void putVarint(QByteArray &out, quint64 v)
{
    while (v >= 0x80) {
        out.append(char((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.append(char(v));
}

void putTag(QByteArray &out, int field, WireType type) { putVarint(out, (quint64(field) << 3) | quint64(type)); }

void putBytes(QByteArray &out, int field, QByteArrayView bytes)
{
    putTag(out, field, LengthDelimited);
    putVarint(out, quint64(bytes.size()));
    out.append(bytes.data(), bytes.size());
}

qsizetype varintSize(quint64 v)
{
    qsizetype n = 1;
    while (v >= 0x80) {
        v >>= 7;
        ++n;
    }
    return n;
}

// A Header message written straight into `out` (no temporary buffer: this is on the ACK path).
void putHeader(QByteArray &out, const FrameHeader &h)
{
    const qsizetype inner = 1 + varintSize(quint64(h.key.size())) + h.key.size() + 1
        + varintSize(quint64(h.value.size())) + h.value.size();
    putTag(out, 5, LengthDelimited);
    putVarint(out, quint64(inner));
    putBytes(out, 1, h.key);
    putBytes(out, 2, h.value);
}

class Reader
{
public:
    explicit Reader(QByteArrayView bytes) : m_data(bytes) {}

    bool atEnd() const { return m_pos >= m_data.size(); }

    bool varint(quint64 *v)
    {
        quint64 result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_pos >= m_data.size())
                return fail("truncated varint");
            const auto byte = quint8(m_data[m_pos++]);
            result |= quint64(byte & 0x7F) << shift;
            if (!(byte & 0x80)) {
                *v = result;
                return true;
            }
        }
        return fail("varint longer than 10 bytes");
    }

    bool bytes(QByteArrayView *v)
    {
        quint64 len = 0;
        if (!varint(&len))
            return false;
        if (len > quint64(m_data.size() - m_pos))
            return fail("length-delimited field runs past the end");
        *v = m_data.sliced(m_pos, qsizetype(len));
        m_pos += qsizetype(len);
        return true;
    }

    bool skip(int wireType)
    {
        quint64 dummy = 0;
        QByteArrayView view;
        switch (wireType) {
        case Varint:
            return varint(&dummy);
        case Fixed64:
            return advance(8);
        case LengthDelimited:
            return bytes(&view);
        case Fixed32:
            return advance(4);
        default:
            return fail("unsupported wire type " + QByteArray::number(wireType));
        }
    }

    bool fail(const QByteArray &why)
    {
        if (m_error.isEmpty())
            m_error = QString::fromLatin1(why) + QStringLiteral(" at byte ") + QString::number(m_pos);
        return false;
    }

    QString error() const { return m_error; }

private:
    bool advance(qsizetype n)
    {
        if (n > m_data.size() - m_pos)
            return fail("fixed-width field runs past the end");
        m_pos += n;
        return true;
    }

    QByteArrayView m_data;
    qsizetype m_pos = 0;
    QString m_error;
};

bool decodeHeader(QByteArrayView bytes, FrameHeader *h, QString *error)
{
    Reader r(bytes);
    bool haveKey = false, haveValue = false;
    while (!r.atEnd()) {
        quint64 tag = 0;
        if (!r.varint(&tag))
            break;
        const int field = int(tag >> 3), wire = int(tag & 7);
        if ((field == 1 || field == 2) && wire == LengthDelimited) {
            QByteArrayView v;
            if (!r.bytes(&v))
                break;
            (field == 1 ? h->key : h->value) = v.toByteArray();
            (field == 1 ? haveKey : haveValue) = true;
        } else if (field == 0) {
            r.fail("field number 0 in header");
            break;
        } else if (!r.skip(wire)) {
            break;
        }
    }
    if (!r.error().isEmpty()) {
        *error = QStringLiteral("header: ") + r.error();
        return false;
    }
    if (!haveKey || !haveValue) {
        *error = QStringLiteral("header without required key/value");
        return false;
    }
    return true;
}

} // namespace

QByteArray Frame::header(QByteArrayView key, const QByteArray &fallback) const
{
    for (const auto &h : headers) {
        if (h.key == key)
            return h.value;
    }
    return fallback;
}

bool Frame::hasHeader(QByteArrayView key) const
{
    for (const auto &h : headers) {
        if (h.key == key)
            return true;
    }
    return false;
}

namespace FrameCodec {

QByteArray encode(const Frame &f)
{
    QByteArray out;
    // An upper bound of the encoded size, so the buffer is allocated once.
    qsizetype size = 4 * 11;
    for (const auto &h : f.headers)
        size += h.key.size() + h.value.size() + 3 * 6;
    for (const auto *opt : {&f.payloadEncoding, &f.payloadType, &f.payload, &f.logIdNew})
        size += *opt ? (*opt)->size() + 11 : 0;
    out.reserve(size);
    putTag(out, 1, Varint);
    putVarint(out, f.seqId);
    putTag(out, 2, Varint);
    putVarint(out, f.logId);
    putTag(out, 3, Varint);
    putVarint(out, quint64(qint64(f.service))); // int32: negative values are sign-extended to 10 bytes
    putTag(out, 4, Varint);
    putVarint(out, quint64(qint64(f.method)));
    for (const auto &h : f.headers)
        putHeader(out, h);
    if (f.payloadEncoding)
        putBytes(out, 6, *f.payloadEncoding);
    if (f.payloadType)
        putBytes(out, 7, *f.payloadType);
    if (f.payload)
        putBytes(out, 8, *f.payload);
    if (f.logIdNew)
        putBytes(out, 9, *f.logIdNew);
    return out;
}

bool decode(QByteArrayView bytes, Frame *out, QString *error)
{
    QString localError;
    QString &err = error ? *error : localError;
    if (bytes.size() > kMaxFrameBytes) {
        err = QStringLiteral("frame of %1 bytes exceeds the %2-byte limit").arg(bytes.size()).arg(kMaxFrameBytes);
        return false;
    }
    Frame f;
    Reader r(bytes);
    unsigned seen = 0;
    while (!r.atEnd()) {
        quint64 tag = 0;
        if (!r.varint(&tag))
            break;
        const int field = int(tag >> 3), wire = int(tag & 7);
        if (field == 0) {
            r.fail("field number 0");
            break;
        }
        const bool scalar = field >= 1 && field <= 4;
        const bool bytesField = field >= 5 && field <= 9;
        if ((scalar && wire != Varint) || (bytesField && wire != LengthDelimited)) {
            r.fail("field " + QByteArray::number(field) + " has wire type " + QByteArray::number(wire));
            break;
        }
        if (scalar) {
            quint64 v = 0;
            if (!r.varint(&v))
                break;
            switch (field) {
            case 1:
                f.seqId = v;
                break;
            case 2:
                f.logId = v;
                break;
            case 3:
                f.service = qint32(v); // proto int32: truncation of the 64-bit varint is the defined behaviour
                break;
            case 4:
                f.method = qint32(v);
                break;
            }
            seen |= 1u << field;
            continue;
        }
        if (bytesField) {
            QByteArrayView v;
            if (!r.bytes(&v))
                break;
            switch (field) {
            case 5: {
                if (f.headers.size() >= kMaxHeaders) {
                    err = QStringLiteral("more than %1 headers").arg(kMaxHeaders);
                    return false;
                }
                FrameHeader h;
                if (!decodeHeader(v, &h, &err))
                    return false;
                f.headers.append(std::move(h));
                break;
            }
            case 6:
                f.payloadEncoding = v.toByteArray();
                break;
            case 7:
                f.payloadType = v.toByteArray();
                break;
            case 8:
                f.payload = v.toByteArray();
                break;
            case 9:
                f.logIdNew = v.toByteArray();
                break;
            }
            continue;
        }
        if (!r.skip(wire))
            break;
    }
    if (!r.error().isEmpty()) {
        err = r.error();
        return false;
    }
    const unsigned required = (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4);
    if ((seen & required) != required) {
        err = QStringLiteral("missing required field(s):");
        const char *names[] = {"", " SeqID", " LogID", " service", " method"};
        for (int i = 1; i <= 4; ++i) {
            if (!(seen & (1u << i)))
                err += QLatin1String(names[i]);
        }
        return false;
    }
    *out = std::move(f);
    return true;
}

Frame makePing(qint32 serviceId)
{
    Frame f;
    f.service = serviceId;
    f.method = Frame::Control;
    f.appendHeader(QByteArrayLiteral("type"), QByteArrayLiteral("ping"));
    return f;
}

} // namespace FrameCodec
