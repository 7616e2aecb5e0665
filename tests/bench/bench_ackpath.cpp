// The in-process part of LongConnection's ACK path, per pushed event: decode the frame, run it
// through the FragmentAssembler, append biz_rt, swap in {"code":200} and encode the ACK.
// Prints throughput and latency percentiles. Usage: bench_ackpath [events] [payload bytes] [journal]
// With `journal`, each push is also appended to a PushJournal in a temporary dir before its ACK is
// encoded, as LongConnection does, and settled in batches of 64 as the main thread would.
#include <algorithm>
#include <cstdio>
#include <vector>

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include "feishu/fragmentassembler.h"
#include "feishu/frame.h"
#include "feishu/pushjournal.h"

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int events = argc > 1 ? std::max(1000, atoi(argv[1])) : 200000;
    const int payloadBytes = argc > 2 ? std::max(16, atoi(argv[2])) : 1200;
    const bool withJournal = argc > 3 && QByteArrayView(argv[3]) == "journal";
    QTemporaryDir dir;
    PushJournal journal(dir.filePath(QStringLiteral("pushes.journal")));
    if (withJournal) {
        QList<PushJournal::Record> leftOver;
        QString error;
        if (!journal.open(&leftOver, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
    }

    Frame push;
    push.seqId = 912384712;
    push.logId = 7233;
    push.service = 33554678;
    push.method = Frame::Data;
    push.appendHeader("type", "event");
    push.appendHeader("message_id", "a6b1c9e8-4f3d-4b1e-9d3a-1f2e3d4c5b6a");
    push.appendHeader("sum", "1");
    push.appendHeader("seq", "0");
    push.appendHeader("trace_id", "4f0d9c8e2b7a41d3");
    push.appendHeader("timestamp", "1700000000000");
    push.appendHeader("instance_id", "i-7e3c9d2a1b0f");
    push.payload = QByteArray(payloadBytes, 'x');
    const QByteArray wire = FrameCodec::encode(push);
    const QByteArray ackPayload("{\"code\":200}");

    FragmentAssembler assembler;
    QElapsedTimer clock;
    clock.start();
    std::vector<qint64> ns;
    ns.reserve(size_t(events));
    qsizetype bytesOut = 0;
    const qint64 t0 = clock.nsecsElapsed();
    for (int i = 0; i < events; ++i) {
        const qint64 start = clock.nsecsElapsed();
        Frame frame;
        if (!FrameCodec::decode(wire, &frame))
            return 1;
        auto result = assembler.add(std::move(frame), clock.elapsed());
        if (result.outcome != FragmentAssembler::Outcome::Complete)
            return 1;
        if (withJournal) {
            journal.append(result.payload, "event");
            if ((i + 1) % 64 == 0)
                journal.settle(64);
        }
        result.frame.headers.append(FrameHeader{QByteArrayLiteral("biz_rt"), QByteArray::number(0)});
        result.frame.payload = ackPayload;
        const QByteArray ack = FrameCodec::encode(result.frame);
        bytesOut += ack.size();
        ns.push_back(clock.nsecsElapsed() - start);
    }
    const double seconds = double(clock.nsecsElapsed() - t0) / 1e9;
    std::sort(ns.begin(), ns.end());
    auto pct = [&](double p) { return double(ns[size_t(p * double(ns.size() - 1))]) / 1000.0; };
    std::printf("ack path (decode + assemble%s + encode), %d events of %d payload bytes, frame %lld bytes\n",
                withJournal ? " + journal" : "", events, payloadBytes, static_cast<long long>(wire.size()));
    std::printf("  throughput %.0f events/s\n", double(events) / seconds);
    std::printf("  latency us: p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n", pct(0.5), pct(0.99), pct(0.999),
                pct(1.0));
    std::printf("  ack bytes total %lld\n", static_cast<long long>(bytesOut));
    return 0;
}
