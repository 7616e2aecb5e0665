#include "assistant/sseparser.h"

#include <QStringDecoder>

SseParser::SseParser(qsizetype maxLineBytes, qsizetype maxEventBytes)
    : m_maxLineBytes(qMax<qsizetype>(16, maxLineBytes))
    , m_maxEventBytes(qMax<qsizetype>(16, maxEventBytes))
{
}

bool SseParser::feed(QByteArrayView chunk)
{
    if (hasError())
        return false;
    const char *d = chunk.data();
    const qsizetype n = chunk.size();
    qsizetype pos = 0;
    if (m_skipLf && n > 0) {
        if (d[0] == '\n')
            pos = 1;
        m_skipLf = false;
    }
    while (pos < n) {
        qsizetype end = pos;
        while (end < n && d[end] != '\n' && d[end] != '\r')
            ++end;
        const qsizetype piece = end - pos;
        if (m_line.size() + piece > m_maxLineBytes) {
            fail(QStringLiteral("an event-stream line is longer than %1 bytes").arg(m_maxLineBytes));
            return false;
        }
        if (end == n) { // no terminator yet: keep the partial line for the next chunk
            m_line.append(d + pos, piece);
            break;
        }
        if (m_line.isEmpty()) {
            processLine(QByteArrayView(d + pos, piece));
        } else {
            m_line.append(d + pos, piece);
            processLine(m_line);
            m_line.clear();
        }
        if (hasError())
            return false;
        if (d[end] == '\r') {
            if (end + 1 < n) {
                if (d[end + 1] == '\n')
                    ++end;
            } else {
                m_skipLf = true; // the '\n' of this CRLF may come with the next chunk
            }
        }
        pos = end + 1;
    }
    return true;
}

QList<SseEvent> SseParser::takeEvents()
{
    QList<SseEvent> out;
    out.swap(m_events);
    return out;
}

bool SseParser::finish()
{
    const bool dropped = !m_line.isEmpty() || m_hasData;
    m_line.clear();
    m_data.clear();
    m_hasData = false;
    m_eventType.clear();
    m_skipLf = false;
    return dropped;
}

void SseParser::reset()
{
    finish();
    m_firstLine = true;
    m_lastEventId.clear();
    m_retryMs = -1;
    m_events.clear();
    m_error.clear();
    m_invalidUtf8Count = 0;
}

void SseParser::fail(const QString &why)
{
    m_error = why;
    m_line.clear();
    m_line.squeeze();
    m_data.clear();
    m_data.squeeze();
    m_hasData = false;
}

QString SseParser::decode(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString s = decoder.decode(bytes);
    if (decoder.hasError())
        ++m_invalidUtf8Count;
    return s;
}

void SseParser::processLine(QByteArrayView line)
{
    if (m_firstLine) {
        m_firstLine = false;
        if (line.startsWith(QByteArrayView("\xEF\xBB\xBF")))
            line = line.sliced(3);
    }
    if (line.isEmpty()) {
        dispatch();
        return;
    }
    if (line.front() == ':')
        return; // comment (servers send these as keep-alives)
    QByteArrayView field = line;
    QByteArrayView value;
    const qsizetype colon = line.indexOf(':');
    if (colon >= 0) {
        field = line.first(colon);
        value = line.sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
    }
    if (field == QByteArrayView("data")) {
        if (m_data.size() + value.size() + 1 > m_maxEventBytes) {
            fail(QStringLiteral("an event's data is larger than %1 bytes").arg(m_maxEventBytes));
            return;
        }
        if (m_hasData)
            m_data.append('\n');
        m_data.append(value.data(), value.size());
        m_hasData = true;
    } else if (field == QByteArrayView("event")) {
        m_eventType = decode(value);
    } else if (field == QByteArrayView("id")) {
        if (!value.contains('\0'))
            m_lastEventId = decode(value);
    } else if (field == QByteArrayView("retry")) {
        bool digits = !value.isEmpty() && value.size() <= 9;
        for (char c : value)
            digits = digits && c >= '0' && c <= '9';
        if (digits)
            m_retryMs = QByteArray(value.data(), value.size()).toInt();
    }
    // Any other field name is ignored, as the standard says.
}

void SseParser::dispatch()
{
    if (!m_hasData) {
        m_eventType.clear();
        return;
    }
    SseEvent e;
    if (!m_eventType.isEmpty())
        e.event = m_eventType;
    e.data = decode(m_data);
    e.id = m_lastEventId;
    m_events.append(std::move(e));
    m_data.clear();
    m_hasData = false;
    m_eventType.clear();
}
