#pragma once

#include <optional>

#include <QString>

#include "assistant/analyzer.h"

class Database;

// Persists one Analysis per session in the `analysis` table (schema version 1:
// session_id, category, urgency, summary, entities JSON, next_step, source, updated_at).
// Use it on the thread that owns the Database connection. Failed queries are logged under tsp.db
// with the statement and the driver's error.
class AnalysisStore final
{
public:
    explicit AnalysisStore(Database *database);

    // Insert or replace the session's analysis. updated_at is the analysis's time (now when 0).
    bool save(qint64 sessionId, const Analysis &analysis);
    std::optional<Analysis> load(qint64 sessionId) const;
    bool remove(qint64 sessionId);
    QString errorString() const { return m_error; }

private:
    Database *m_database = nullptr;
    mutable QString m_error;
};
