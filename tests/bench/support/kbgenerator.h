#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include "knowledge/knowledgeentry.h"

// Knowledge bases at scale for the benchmarks (bench_knowledge, bench_knowledgepage).
namespace KbGenerator {

// The shipped demo knowledge base (300 entries), the templates of generate().
QList<KnowledgeEntry> templates();
// n entries made from the templates: each takes a ticket's fields, another model, a symptom of a
// sibling ticket in the same category, a unique ticket number and a few words from the KB's own
// vocabulary, so the posting lists and the vocabulary grow as in a real knowledge base. The same
// n gives the same entries.
QList<KnowledgeEntry> generate(qsizetype n, const QList<KnowledgeEntry> &base);
// Realistic queries: the dev and extra retrieval queries (../shared/data/retrieval-dev.jsonl,
// tests/retrieval/extra-queries.jsonl under sourceDir), or a built-in list when not found.
QStringList queries(const QString &sourceDir);

} // namespace KbGenerator
