#!/usr/bin/env python3
"""Retrieval evaluation through the real command line (python3, standard library only).

Imports a knowledge file with `<bin> kb import FILE --data-dir TMP`, then runs
`<bin> kb search --json --top 3 QUERY --data-dir TMP` once per query of a JSONL file
({"query": ..., "relevant": [ids], "kind": "answerable"|"unanswerable"}) and prints:

  hit@1, hit@3, MRR               over answerable queries
  abstention                      share of unanswerable queries with "answerable": false
  false refusals                  share of answerable queries with "answerable": false

--min-hit1/--min-hit3/--min-mrr/--min-abstain/--max-false-refusal make it exit 1 when a figure
misses its threshold. BIN is tsp-assistant or tests/retrieval/kbtool (same CLI).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def find_shared():
    """../shared/data beside the checkout (a worktree may sit one level deeper), or $TSP_SHARED_DIR/data."""
    candidates = [os.path.join(os.environ.get("TSP_SHARED_DIR", ""), "data")] if os.environ.get("TSP_SHARED_DIR") else []
    candidates += [os.path.join(os.path.dirname(REPO), "shared", "data"),
                   os.path.join(os.path.dirname(os.path.dirname(REPO)), "shared", "data")]
    for c in candidates:
        if os.path.isdir(c):
            return c
    return candidates[0]


SHARED = find_shared()


def default_path(name, fallback=None):
    path = os.path.join(SHARED, name)
    if os.path.exists(path) or fallback is None:
        return path
    return fallback


def run(cmd, timeout):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)


def load(path):
    queries = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                q = json.loads(line)
                if q.get("kind") not in ("answerable", "unanswerable"):
                    sys.exit("%s:%d: kind must be answerable or unanswerable" % (path, n))
                queries.append(q)
    return queries


def why(args, queries, data_dir):
    """The search's reason for its answerable decision on each query (the last line of the human
    output): one `kb search --top 1` process each, or one kb-batch --text for all of them."""
    if not queries:
        return []
    if not args.batch:
        reasons = []
        for query in queries:
            r = run([args.binary, "kb", "search", "--top", "1", "--data-dir", data_dir, "--", query], args.timeout)
            lines = [line for line in r.stdout.decode("utf-8", "replace").splitlines()
                     if line.startswith("answerable:") or line.startswith("no matching entries")]
            reasons.append(lines[-1] if lines else "")
        return reasons
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as f:
        for query in queries:
            f.write(json.dumps({"query": query}, ensure_ascii=False) + "\n")
    try:
        r = run([args.binary, "kb-batch", f.name, "--text", "--top", "1", "--data-dir", data_dir],
                args.timeout * 20)
    finally:
        os.unlink(f.name)
    lines = [line for line in r.stdout.decode("utf-8", "replace").splitlines()
             if line.startswith("answerable:") or line.startswith("no matching entries")]
    if r.returncode != 0 or len(lines) != len(queries):
        sys.stderr.write(r.stderr.decode("utf-8", "replace"))
        sys.exit("kb-batch --text gave %d reasons for %d queries (exit code %d)" % (len(lines), len(queries),
                                                                                   r.returncode))
    return lines


def search_one(args, query, data_dir):
    """`kb search --json` for one query, in its own process: the command line outsiders use."""
    r = run([args.binary, "kb", "search", "--json", "--top", str(args.top), "--data-dir", data_dir, "--", query],
            args.timeout)
    if r.returncode != 0:
        sys.stderr.write(r.stderr.decode("utf-8", "replace"))
        sys.exit("search failed with exit code %d for %r" % (r.returncode, query))
    lines = r.stdout.decode("utf-8").splitlines()
    if len(lines) != 1:
        sys.exit("expected exactly one line of JSON on stdout, got %d for %r" % (len(lines), query))
    return lines[0]


def search_batch(args, path, data_dir, count):
    """kbtool's `kb-batch`: the same search code for every query of a file in one process."""
    r = run([args.binary, "kb-batch", path, "--top", str(args.top), "--data-dir", data_dir], args.timeout * 20)
    if r.returncode != 0:
        sys.stderr.write(r.stderr.decode("utf-8", "replace"))
        sys.exit("kb-batch failed with exit code %d for %s" % (r.returncode, path))
    lines = r.stdout.decode("utf-8").splitlines()
    if len(lines) != count:
        sys.exit("kb-batch printed %d lines for %d queries of %s" % (len(lines), count, path))
    return lines


def evaluate(args, path, data_dir):
    """Runs one query file; returns the figures that miss their thresholds."""
    queries = load(path)
    n_ans = n_un = hit1 = hit3 = abstained = refused = 0
    mrr = 0.0
    misses = []
    batch = search_batch(args, path, data_dir, len(queries)) if args.batch else None
    # kb-batch keeps one search (and its caches) for the whole file: the queries checked against
    # a fresh `kb search` process are the last ones, answered with the fullest caches.
    first_checked = len(queries) - args.check_cli
    for n, q in enumerate(queries):
        if batch is None or n >= first_checked:
            line = search_one(args, q["query"], data_dir)
            if batch is not None and line != batch[n]:
                sys.exit("kb-batch and kb search disagree for %r:\n  %s\n  %s" % (q["query"], batch[n], line))
        else:
            line = batch[n]
        result = json.loads(line)
        ids = [hit["id"] for hit in result["results"]]
        answerable = result["answerable"]
        if q["kind"] == "unanswerable":
            n_un += 1
            if not answerable:
                abstained += 1
            else:
                misses.append(("answered", q["query"], ids[:1]))
            continue
        n_ans += 1
        relevant = set(q["relevant"])
        rank = next((i for i, d in enumerate(ids) if d in relevant), None)
        if rank == 0:
            hit1 += 1
        if rank is not None and rank < 3:
            hit3 += 1
        if rank is not None:
            mrr += 1.0 / (rank + 1)
        if rank != 0:
            misses.append(("rank %s" % (rank + 1 if rank is not None else "-"), q["query"],
                           ids + ["want " + ",".join(q["relevant"])]))
        if not answerable:
            refused += 1
            misses.append(("refused", q["query"], ids[:1]))

    figures = {
        "hit1": hit1 / n_ans if n_ans else 0.0,
        "hit3": hit3 / n_ans if n_ans else 0.0,
        "mrr": mrr / n_ans if n_ans else 0.0,
        "abstain": abstained / n_un if n_un else 1.0,
        "false_refusal": refused / n_ans if n_ans else 0.0,
    }
    print("queries: %d answerable, %d unanswerable (%s)" % (n_ans, n_un, os.path.basename(path)))
    print("hit@1          %.3f" % figures["hit1"])
    print("hit@3          %.3f" % figures["hit3"])
    print("MRR            %.3f" % figures["mrr"])
    print("abstention     %.3f  (%d/%d unanswerable refused)" % (figures["abstain"], abstained, n_un))
    print("false refusals %.3f  (%d/%d answerable refused)" % (figures["false_refusal"], refused, n_ans))
    if args.verbose:
        reasons = why(args, [query for _, query, _ in misses], data_dir)
        for (kind, query, ids), reason in zip(misses, reasons):
            print("  %-9s %s -> %s  [%s]" % (kind, query, ", ".join(ids), reason))

    failed = []
    for key, flag, minimum in (("hit1", "min_hit1", True), ("hit3", "min_hit3", True), ("mrr", "min_mrr", True),
                               ("abstain", "min_abstain", True), ("false_refusal", "max_false_refusal", False)):
        limit = getattr(args, flag)
        if limit is None:
            continue
        if (minimum and figures[key] < limit) or (not minimum and figures[key] > limit):
            failed.append("%s: %s %.3f %s %.3f" % (os.path.basename(path), key, figures[key],
                                                    "<" if minimum else ">", limit))
    return failed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary", help="tsp-assistant or kbtool")
    ap.add_argument("queries", nargs="*", default=[default_path("retrieval-dev.jsonl")],
                    help="query JSONL files, each reported and checked on its own "
                         "(default: ../shared/data/retrieval-dev.jsonl)")
    ap.add_argument("--kb", default=default_path("tsp-knowledge.jsonl",
                                                  os.path.join(REPO, "resources", "knowledge", "tsp-knowledge.jsonl")),
                    help="knowledge file to import (default: ../shared/data/tsp-knowledge.jsonl)")
    ap.add_argument("--top", type=int, default=3)
    ap.add_argument("--min-hit1", type=float)
    ap.add_argument("--min-hit3", type=float)
    ap.add_argument("--min-mrr", type=float)
    ap.add_argument("--min-abstain", type=float)
    ap.add_argument("--max-false-refusal", type=float)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per command")
    ap.add_argument("--batch", action="store_true",
                    help="kbtool only: search each file in one process (kb-batch); the last --check-cli "
                         "queries also run through `kb search` and must give the same line")
    ap.add_argument("--check-cli", type=int, default=5)
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = ap.parse_intermixed_args()

    with tempfile.TemporaryDirectory(prefix="kb-eval-") as data_dir:
        r = run([args.binary, "kb", "import", args.kb, "--data-dir", data_dir], args.timeout * 10)
        if r.returncode != 0:
            sys.stderr.write(r.stderr.decode("utf-8", "replace"))
            sys.exit("import failed with exit code %d" % r.returncode)
        failed = []
        for path in args.queries:
            failed += evaluate(args, path, data_dir)
    if failed:
        print("FAILED: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
