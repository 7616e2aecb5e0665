#pragma once

#include <functional>
#include <optional>

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include "assistant/answerprovider.h"
#include "assistant/entityextractor.h"
#include "assistant/llmclient.h"
#include "knowledge/knowledgeentry.h"
#include "storage/analysisstore.h"

class RetrieverThread;

class QTimer;

// The console's "AI 分析和建议" for one conversation.
struct Analysis
{
    QString category; // one of the 15 knowledge categories; empty when nothing points anywhere
    QString urgency;  // low, normal, high, critical
    QString summary;  // one paragraph, Chinese
    QList<Entity> entities;
    QString nextStep;     // a suggestion for the operator
    QString source;       // llm, rules
    QString llmError;     // why the LLM result was not used, when an LLM is configured
    QString knowledgeId;  // the best knowledge hit, when a retriever was given and it was answerable
    qint64 updatedAt = 0; // ms since the epoch (UTC)

    // {"vin":[{"value":"LSV…","valid":true}], "phone":[…], …} as stored in analysis.entities.
    QJsonObject entitiesJson() const;
    // Back from that JSON: grouped by type (vin, plate, phone, ...), positions unknown (-1).
    static QList<Entity> entitiesFromJson(const QJsonObject &json);

    // As the analysis table keeps it (llmError and knowledgeId are not kept).
    AnalysisRecord toRecord() const;
    static Analysis fromRecord(const AnalysisRecord &record);
};

// Categorises a conversation, rates its urgency, summarises it, extracts identifiers and suggests
// the operator's next step. With an LLM configured it asks for structured JSON and validates it
// against the schema (invalid -> the rules, logged); the rules alone work without any LLM.
// Entities always come from EntityExtractor (the LLM may add values only when they appear in
// the conversation and pass the same checks). Only entity counts are logged at info level.
class Analyzer final : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const Analysis &)>;

    struct Options
    {
        int deadlineMs = 30000;          // the LLM path gives up after this and uses the rules
        int maxConversationChars = 6000; // the newest part of the conversation sent to the LLM
    };

    explicit Analyzer(KnowledgeRetriever *retriever = nullptr, LlmClient *llm = nullptr,
                      QObject *parent = nullptr);
    ~Analyzer() override;
    Q_DISABLE_COPY_MOVE(Analyzer)

    void setOptions(const Options &options) { m_options = options; }
    void setRetriever(KnowledgeRetriever *retriever) { m_retriever = retriever; }
    // Runs the rules' knowledge search on `thread` (not owned; may be null), as the Assistant does.
    void setRetrieverThread(RetrieverThread *thread) { m_retrieverThread = thread; }
    void setLlmClient(LlmClient *llm) { m_llm = llm; }

    // Asynchronous; `done` is called exactly once from the event loop (unless destroyed first).
    void analyze(const QList<ConversationTurn> &conversation, Done done);
    // The deterministic rules alone.
    Analysis analyzeWithRules(const QList<ConversationTurn> &conversation) const;
    // The same with the knowledge search for the customer's words done already.
    Analysis analyzeWithRules(const QList<ConversationTurn> &conversation,
                              const std::optional<KnowledgeSearchResult> &found) const;

    static QStringList urgencies(); // low, normal, high, critical (ascending)
    static QString urgencyFor(const QString &customerText);
    static QString analysisSystemPrompt();
    // Parses and validates the LLM's JSON; on success fills category, urgency, summary,
    // nextStep and *extraEntities (type -> values as given). *why says what is wrong otherwise.
    static bool parseLlmJson(const QString &content, Analysis *out,
                             QHash<QString, QStringList> *extraEntities, QString *why);

signals:
    void analyzed(const Analysis &analysis);

private:
    struct Pending;
    void analyzePrepared(const QList<ConversationTurn> &conversation, Done done,
                         const std::optional<KnowledgeSearchResult> &found = std::nullopt);
    // The retriever thread's search for analysis `id` is in (none: search here).
    void searched(quint64 id, const std::optional<KnowledgeSearchResult> &result);
    void onLlmDone(quint64 id, const LlmResult &result);
    void finish(quint64 id, Analysis analysis);
    QString nextStepFor(const Analysis &a) const;

    KnowledgeRetriever *m_retriever = nullptr;
    RetrieverThread *m_retrieverThread = nullptr;
    QPointer<LlmClient> m_llm;
    Options m_options;
    QHash<quint64, Pending *> m_pending;
    struct Searching
    {
        QList<ConversationTurn> conversation;
        Done done;
    };
    QHash<quint64, Searching> m_searching; // on the retriever thread
    quint64 m_nextId = 1;
};
