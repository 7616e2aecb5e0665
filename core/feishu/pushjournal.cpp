#include "feishu/pushjournal.h"

#include <utility>

#include <QSaveFile>

#include "logging_p.h"

namespace {

const QByteArray kTag = QByteArrayLiteral("P1");

QByteArray encodeRecord(const QByteArray &payload, const QByteArray &type)
{
    // The type is a header value of the frame; keep it to one token.
    QByteArray safeType = type.isEmpty() ? QByteArrayLiteral("event") : type;
    safeType.replace(' ', '_').replace('\n', '_');
    return kTag + ' ' + safeType + ' ' + payload.toBase64() + '\n';
}

} // namespace

PushJournal::PushJournal(QString path)
    : m_path(std::move(path))
{}

PushJournal::~PushJournal() = default;

bool PushJournal::open(QList<Record> *leftOver, QString *error)
{
    QMutexLocker lock(&m_mutex);
    m_file.setFileName(m_path);
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Unbuffered)) {
        *error = QStringLiteral("cannot open the push journal %1: %2").arg(m_path, m_file.errorString());
        return false;
    }
    const QByteArray all = m_file.readAll();
    m_offsets.clear();
    m_settled = 0;
    qint64 pos = 0;
    qint64 goodEnd = 0; // after the last complete line
    int skipped = 0;
    while (pos < all.size()) {
        const qint64 end = all.indexOf('\n', pos);
        if (end < 0) {
            qCWarning(lcFeishu).noquote()
                << QStringLiteral("push journal: a torn last record of %1 bytes skipped (the process "
                                  "stopped while writing it, before its ACK)")
                       .arg(all.size() - pos);
            break;
        }
        const QList<QByteArray> parts = all.mid(pos, end - pos).split(' ');
        auto decoded =
            parts.size() == 3
                ? QByteArray::fromBase64Encoding(parts.at(2), QByteArray::AbortOnBase64DecodingErrors)
                : QByteArray::FromBase64Result{};
        if (parts.size() == 3 && parts.at(0) == kTag && decoded) {
            leftOver->append(Record{std::move(*decoded), parts.at(1)});
            m_offsets.append(pos);
        } else {
            ++skipped;
        }
        pos = end + 1;
        goodEnd = pos;
    }
    if (skipped > 0)
        qCWarning(lcFeishu).noquote()
            << QStringLiteral("push journal: %1 unreadable record(s) skipped in %2").arg(skipped).arg(m_path);
    // Drop a torn tail so the next record starts on a line of its own.
    if (goodEnd < all.size() && !m_file.resize(goodEnd)) {
        *error = QStringLiteral("cannot repair the push journal %1: %2").arg(m_path, m_file.errorString());
        m_file.close();
        return false;
    }
    m_file.seek(goodEnd);
    if (!leftOver->isEmpty())
        qCInfo(lcFeishu).noquote()
            << QStringLiteral("push journal: %1 push(es) ACKed by the last run may not have been recorded; "
                              "handling them again (the event ledger drops the ones that were)")
                   .arg(leftOver->size());
    return true;
}

bool PushJournal::isOpen() const
{
    QMutexLocker lock(&m_mutex);
    return m_file.isOpen();
}

void PushJournal::append(const QByteArray &payload, const QByteArray &type)
{
    const QByteArray record = encodeRecord(payload, type);
    QMutexLocker lock(&m_mutex);
    if (!m_file.isOpen())
        return;
    const qint64 at = m_file.pos();
    if (m_file.write(record) == record.size()) {
        m_offsets.append(at);
        m_failing = false;
        return;
    }
    m_offsets.append(-1);
    if (!m_failing)
        qCWarning(lcFeishu).noquote()
            << QStringLiteral("push journal: cannot write %1 (%2); pushes are ACKed without it until it "
                              "works again, and a crash meanwhile can lose one")
                   .arg(m_path, m_file.errorString());
    m_failing = true;
    m_file.seek(at); // a partial write is overwritten by the next record
}

void PushJournal::settle(int count)
{
    QMutexLocker lock(&m_mutex);
    if (!m_file.isOpen() || count <= 0)
        return;
    m_settled = qMin(m_settled + count, int(m_offsets.size()));
    if (m_settled == m_offsets.size()) {
        // Everything appended is recorded: start over with an empty file.
        if (m_file.size() > 0 && !m_file.resize(0))
            qCWarning(lcFeishu).noquote()
                << QStringLiteral("push journal: cannot empty %1: %2").arg(m_path, m_file.errorString());
        m_file.seek(0);
        m_offsets.clear();
        m_settled = 0;
        return;
    }
    if (m_file.size() > kCompactBytes && m_settled > 0)
        compactLocked();
}

void PushJournal::compactLocked()
{
    // The first unsettled record that was written; the settled head goes.
    qint64 from = -1;
    for (qsizetype i = m_settled; i < m_offsets.size() && from < 0; ++i)
        from = m_offsets.at(i);
    const qint64 end = m_file.pos();
    QByteArray tail;
    if (from >= 0) {
        m_file.seek(from);
        tail = m_file.read(end - from);
    }
    QSaveFile out(m_path);
    if (!out.open(QIODevice::WriteOnly) || out.write(tail) != tail.size() || !out.commit()) {
        qCWarning(lcFeishu).noquote()
            << QStringLiteral("push journal: cannot compact %1: %2").arg(m_path, out.errorString());
        m_file.seek(end);
        return;
    }
    m_file.close();
    m_file.setFileName(m_path);
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Unbuffered)) {
        qCWarning(lcFeishu).noquote() << QStringLiteral("push journal: cannot reopen %1 after compacting: %2")
                                             .arg(m_path, m_file.errorString());
        return;
    }
    m_file.seek(tail.size());
    m_offsets.remove(0, m_settled);
    for (qint64 &offset : m_offsets) {
        if (offset >= 0)
            offset -= from;
    }
    m_settled = 0;
}

int PushJournal::pending() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_offsets.size()) - m_settled;
}

qint64 PushJournal::sizeBytes() const
{
    QMutexLocker lock(&m_mutex);
    return m_file.isOpen() ? m_file.size() : 0;
}
