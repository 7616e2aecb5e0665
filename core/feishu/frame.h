#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

// One pbbp2.Frame (spec §3.1): the unit of every binary WebSocket message on the long connection.
struct FrameHeader
{
    QByteArray key;
    QByteArray value;
    bool operator==(const FrameHeader &) const = default;
};

struct Frame
{
    enum Method : qint32 { Control = 0, Data = 1 };

    quint64 seqId = 0;
    quint64 logId = 0;
    qint32 service = 0;
    qint32 method = Control;
    QList<FrameHeader> headers; // original order is kept: the ACK echoes them as received
    std::optional<QByteArray> payloadEncoding;
    std::optional<QByteArray> payloadType;
    std::optional<QByteArray> payload;
    std::optional<QByteArray> logIdNew;

    // First header with this key (as the Python and Go SDKs look them up), or `fallback`.
    QByteArray header(QByteArrayView key, const QByteArray &fallback = {}) const;
    bool hasHeader(QByteArrayView key) const;
    void appendHeader(const QByteArray &key, const QByteArray &value) { headers.append({key, value}); }

    bool operator==(const Frame &) const = default;
};

namespace FrameCodec {

// Hard limits of the decoder: a frame larger than this, or with more headers, is rejected
// before anything is allocated for it.
inline constexpr qsizetype kMaxFrameBytes = 16 * 1024 * 1024;
inline constexpr int kMaxHeaders = 256;

// Encodes fields 1-4 always (the Node SDK's decoder requires them) and the optional fields
// only when they are set.
QByteArray encode(const Frame &frame);

// Strict proto2 decoding: unknown fields are skipped, the required fields 1-4 must be present,
// wire types must match, lengths must fit. On failure returns false and says why in *error.
bool decode(QByteArrayView bytes, Frame *out, QString *error = nullptr);

// The ping of spec §3.5: SeqID 0, LogID 0, service from the URL, method 0, header type=ping.
Frame makePing(qint32 serviceId);

} // namespace FrameCodec
