#pragma once

#include <optional>

#include <QJsonObject>
#include <QString>

class Database;

// One session's analysis as the `analysis` table keeps it. The assistant's Analysis converts to
// and from it (Analysis::toRecord, Analysis::fromRecord); storage knows nothing of the analyzer.
struct AnalysisRecord
{
    QString category;
    QString urgency;
    QString summary;
    QJsonObject entities; // {"vin":[{"value":"LSV…","valid":true}], ...}
    QString nextStep;
    QString source;       // llm, rules
    qint64 updatedAt = 0; // ms since the epoch (UTC); now when 0 at save()
};

// Persists one analysis per session in the `analysis` table (schema version 1:
// session_id, category, urgency, summary, entities JSON, next_step, source, updated_at).
// Use it on the thread that owns the Database connection. Failed queries are logged under tsp.db
// with the statement and the driver's error.
class AnalysisStore final
{
public:
    explicit AnalysisStore(Database *database);

    // Insert or replace the session's analysis.
    bool save(qint64 sessionId, const AnalysisRecord &analysis);
    std::optional<AnalysisRecord> load(qint64 sessionId) const;
    bool remove(qint64 sessionId);
    QString errorString() const { return m_error; }

private:
    Database *m_database = nullptr;
    mutable QString m_error;
};
