#pragma once

#include <QStringList>
#include <QTextStream>

#include "knowledge/embeddingclient.h"

class Database;
class KnowledgeSearch;

// The `tsp-assistant kb ...` command line (other tools call it; the contract is exact):
//
//   kb import FILE                    .jsonl/.ndjson, .json or .csv by extension. Progress goes to
//                                     stderr, a one-line summary to stdout. Bad rows: every error
//                                     as "FILE:LINE: reason" on stderr, nothing imported, exit 1.
//   kb export FILE                    format by extension; a one-line summary on stdout.
//   kb search [--top K] [--json] QUERY
//                                     default top 5. Human output: a ranked table. --json prints
//                                     exactly one compact UTF-8 JSON object on stdout:
//                                     {"query":..,"results":[{"id":..,"title":..,"score":..}],"answerable":true|false}
//
// Exit codes: 0 done, 1 failed (bad rows, I/O, database), 2 bad usage (usage on stderr).
// `args` are the arguments after "kb". The program's --data-dir/--env-file (with their values)
// are skipped if the caller leaves them in; opening the right database is the caller's business.
// `search`, when given, is used by `kb search` instead of a fresh KnowledgeSearch over `db` (and
// `embeddings` is then not applied to it): a caller running many searches keeps one, with its
// caches, as the bot does. The caches follow the knowledge's generation, so the answer is the same.
class KbCommand
{
public:
    static int run(Database &db, const QStringList &args, QTextStream &out, QTextStream &err,
                   const EmbeddingOptions &embeddings = {}, KnowledgeSearch *search = nullptr);
    static QString usage();

    static constexpr int kOk = 0;
    static constexpr int kFailed = 1;
    static constexpr int kUsage = 2;
    static constexpr int kMaxTop = 100;
};
