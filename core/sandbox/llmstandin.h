#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include "sandbox/httpserver.h"

// An OpenAI-compatible chat completions endpoint on loopback, for the tests and the --demo
// sandbox. POST {base}/chat/completions (base = http://127.0.0.1:<port>/v1) answers in JSON or,
// with "stream": true, as text/event-stream chunks ending in "data: [DONE]". GET {base}/models
// lists the one model. POST {base}/embeddings answers with EmbeddingStandIn's deterministic
// vectors. Zero delay by default.
//
// The reply is deterministic and useful:
//  - when the prompt cites tickets in PromptBuilder's format ("[KB-0012] 标题：…" followed by a
//    "解决方案：" block), a Chinese answer built from the first cited ticket's steps;
//    - but "[[NO_ANSWER]]" alone when the prompt asks for that marker and no content word of the
//      customer's turns (a CJK bigram, a code) occurs in the first ticket's head (title, category,
//      symptoms, cause): the tickets do not answer the question;
//    - with a "当前情况：" line (PromptBuilder's situation): a reply in context when the turn has
//      no new problem, an apology first when the earlier steps failed, a question back when asked
//      to clarify;
//  - when JSON is asked for (response_format json_object, or the analysis prompt), an analysis
//    object {category, urgency, summary, entities, next_step} from simple keyword rules;
//  - otherwise a short polite answer.
// Faults can be set for the next N calls or persistently; requests are recorded for assertions.
class LlmStandIn final : public QObject
{
    Q_OBJECT
public:
    enum class Fault {
        None,
        Http500,      // 500 with an OpenAI-style error body
        Http429,      // 429 with Retry-After: 0 and an error body
        NoAnswer,     // accept the request and never answer (the client times out)
        NotJson,      // 200 with an HTML body
        CutStream,    // stream half of the chunks, then end the body without finish_reason/[DONE]
                      // (for a non-stream request: half of the JSON body)
        EmptyChoices, // "choices": []
    };
    static constexpr int kPersistent = -1;

    explicit LlmStandIn(QObject *parent = nullptr);
    ~LlmStandIn() override;
    Q_DISABLE_COPY_MOVE(LlmStandIn)

    // Own server on 127.0.0.1 (port 0 = any free port).
    bool start(quint16 port = 0);
    quint16 port() const;
    QString baseUrl() const; // http://127.0.0.1:<port>/v1
    QString model() const { return m_model; }
    void setModel(const QString &model) { m_model = model; }

    // For a shared HttpServer: returns false when the path is not ours (the caller answers it).
    bool handle(const HttpRequest &request, HttpResponder *responder);

    // The next `times` calls get `fault` (kPersistent: every call until clearFaults()).
    void setFault(Fault fault, int times = kPersistent);
    // The next `times` calls wait `ms` before answering (streams: before the first chunk).
    void setDelay(int ms, int times = kPersistent);
    // Pause between stream chunks (default 0).
    void setChunkDelay(int ms) { m_chunkDelayMs = ms; }
    // The next `times` calls answer with exactly this assistant content instead of the rules.
    void setScriptedContent(const QString &content, int times = 1);
    void clearFaults();
    // Requests without "Authorization: Bearer <key>" get 401 (empty: no check).
    void setRequiredApiKey(const QString &key) { m_requiredKey = key; }

    // Embeddings: the model name answered, and the next `times` embedding calls fail with 500
    // (kPersistent: until set to 0). Counted apart from chat requests.
    QString embeddingModel() const { return m_embeddingModel; }
    void setEmbeddingFailures(int times) { m_embeddingFailures = times; }
    int embeddingRequestCount() const { return m_embeddingRequestCount; }
    // Every embedding request body, and the Authorization header of the last one.
    QList<QJsonObject> embeddingRequests() const { return m_embeddingRequests; }
    QByteArray lastEmbeddingAuthorization() const { return m_lastEmbeddingAuthorization; }
    // Every embedding call waits `ms` before answering (0: at once).
    void setEmbeddingDelay(int ms) { m_embeddingDelayMs = qMax(0, ms); }

    int requestCount() const { return m_requestCount; }
    QJsonObject lastRequest() const { return m_requests.isEmpty() ? QJsonObject() : m_requests.last(); }
    QList<QJsonObject> requests() const { return m_requests; }
    QByteArray lastAuthorization() const { return m_lastAuthorization; }
    void clearRecorded();

    // The reply the rules give for a request body (also used by the tests to know what to expect).
    static QString replyFor(const QJsonObject &request);
    // The analysis JSON the rules give for a conversation text.
    static QJsonObject analysisFor(const QString &text);

signals:
    void requestReceived(const QJsonObject &request);

private:
    struct Plan
    {
        Fault fault = Fault::None;
        int delayMs = 0;
        QString scripted;
        bool haveScripted = false;
    };
    Plan takePlan();
    void answer(const QJsonObject &request, HttpResponder *responder, const Plan &plan);
    void streamAnswer(const QString &content, HttpResponder *responder, const Plan &plan, bool emptyChoices);

    HttpServer *m_server = nullptr;
    QString m_model = QStringLiteral("standin-1");
    QString m_requiredKey;

    Fault m_fault = Fault::None;
    int m_faultTimes = 0;
    int m_delayMs = 0;
    int m_delayTimes = 0;
    QString m_scripted;
    int m_scriptedTimes = 0;
    int m_chunkDelayMs = 0;

    QString m_embeddingModel = QStringLiteral("standin-embedding-1");
    int m_embeddingFailures = 0;
    int m_embeddingRequestCount = 0;
    int m_embeddingDelayMs = 0;
    QList<QJsonObject> m_embeddingRequests;
    QByteArray m_lastEmbeddingAuthorization;

    int m_requestCount = 0;
    QList<QJsonObject> m_requests;
    QByteArray m_lastAuthorization;
    QList<QPointer<HttpResponder>> m_held; // NoAnswer: kept so they die with their connection
    quint64 m_completionSeq = 0;
};
