#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

// One dispatched server-sent event.
struct SseEvent
{
    QString event = QStringLiteral("message"); // the `event:` field, "message" when none was given
    QString data;                              // the `data:` lines joined with '\n'
    QString id;                                // the last event id in force when it was dispatched

    bool operator==(const SseEvent &) const = default;
};

// Incremental parser for text/event-stream (the WHATWG "server-sent events" format) as the
// OpenAI-compatible streaming APIs send it. Feed it the body in any chunks: lines may be split
// anywhere, including between the '\r' and '\n' of a CRLF. Lines end with "\r\n", "\n" or "\r".
// Comment lines (":...") are skipped, `data:` lines are joined with '\n', an empty line
// dispatches the event, a UTF-8 BOM at the very start is dropped and invalid UTF-8 becomes
// U+FFFD (counted in invalidUtf8Count()). The "[DONE]" sentinel of OpenAI streams is an
// ordinary event with data "[DONE]"; the client interprets it.
//
// Memory is bounded: a single line longer than maxLineBytes, or an event whose data grows past
// maxEventBytes, puts the parser into the error state. It then ignores further input and feed()
// returns false; errorString() says why.
class SseParser
{
public:
    static constexpr qsizetype kDefaultMaxLineBytes = 1024 * 1024;
    static constexpr qsizetype kDefaultMaxEventBytes = 4 * 1024 * 1024;

    explicit SseParser(qsizetype maxLineBytes = kDefaultMaxLineBytes, qsizetype maxEventBytes = kDefaultMaxEventBytes);

    // Parses `chunk`; complete events are queued for takeEvents(). False once in the error state.
    bool feed(QByteArrayView chunk);
    // The events dispatched so far, oldest first; the queue is emptied.
    QList<SseEvent> takeEvents();
    bool hasPendingEvents() const { return !m_events.isEmpty(); }

    // End of the stream. As the standard says, an event without its closing empty line is not
    // dispatched; returns true when such an incomplete event (or an unterminated line) was dropped.
    bool finish();
    void reset();

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    QString lastEventId() const { return m_lastEventId; }
    // Values (event data, event type, id) that held invalid UTF-8, replaced by U+FFFD.
    int invalidUtf8Count() const { return m_invalidUtf8Count; }
    // The last valid `retry:` field in milliseconds, -1 when none was seen.
    int reconnectionTimeMs() const { return m_retryMs; }
    qsizetype bufferedBytes() const { return m_line.size() + m_data.size(); }

private:
    void processLine(QByteArrayView line);
    void dispatch();
    void fail(const QString &why);
    QString decode(QByteArrayView bytes);

    qsizetype m_maxLineBytes = kDefaultMaxLineBytes;
    qsizetype m_maxEventBytes = kDefaultMaxEventBytes;
    QByteArray m_line;          // bytes of the line not yet terminated
    bool m_skipLf = false;      // the previous chunk ended with '\r': a leading '\n' belongs to it
    bool m_firstLine = true;    // strip a BOM from the first line only
    QByteArray m_data;          // raw data of the event being built, lines joined with '\n'
    bool m_hasData = false;
    QString m_eventType;
    QString m_lastEventId;
    int m_retryMs = -1;
    QList<SseEvent> m_events;
    QString m_error;
    int m_invalidUtf8Count = 0;
};
