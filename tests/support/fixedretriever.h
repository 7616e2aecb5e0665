#pragma once

#include <QList>
#include <QPointer>
#include <QStringList>

#include "knowledge/knowledgeentry.h"

// A small, deterministic KnowledgeRetriever for tests of the assistant and the analyzer (the
// real Chinese search lives in core/knowledge). Score = number of distinct query character
// bigrams (CJK) and words (Latin, digits, codes) found in title + symptoms + cause + tags.
// The best hit is answerable when its score reaches `answerableScore`.
class FixedRetriever final : public KnowledgeRetriever
{
public:
    explicit FixedRetriever(QList<KnowledgeEntry> entries = sampleEntries(), double answerableScore = 4.0);

    KnowledgeSearchResult search(const QString &query, int topK) const override;
    // Records the queries; calls `ready` at once, or, with setDeferPrepare(true), when
    // releasePrepared() is called (like a retriever waiting for the network).
    void prepare(const QStringList &queries, QObject *context, std::function<void()> ready) override;
    void setDeferPrepare(bool defer) { m_deferPrepare = defer; }
    // Calls the deferred `ready`s whose context is still there; returns how many ran.
    int releasePrepared();
    // The queries of every prepare() call, oldest first.
    QList<QStringList> prepared() const { return m_prepared; }

    // Every query searched, oldest first.
    QStringList queries() const { return m_queries; }
    void clearQueries() { m_queries.clear(); }
    const QList<KnowledgeEntry> &entries() const { return m_entries; }

    // Six tickets from the TSP knowledge base: remote unlock E-1001, weak-signal unlock, NFC card
    // K-3015, head unit without internet after a reset, OTA U-4020, eCall after an accident.
    static QList<KnowledgeEntry> sampleEntries();
    static KnowledgeEntry entry(const QString &id, const QString &title, const QString &category,
                                const QStringList &symptoms, const QString &cause, const QString &solution,
                                const QStringList &tags);

private:
    struct Deferred
    {
        QPointer<QObject> context;
        std::function<void()> ready;
    };
    QList<KnowledgeEntry> m_entries;
    bool m_deferPrepare = false;
    QList<Deferred> m_deferred;
    QList<QStringList> m_prepared;
    double m_answerableScore = 4.0;
    mutable QStringList m_queries;
};
