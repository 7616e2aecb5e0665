#!/usr/bin/env python3
"""Fits the weights of KnowledgeSearch's re-ranking (KnowledgeSearchOptions::rerank) and checks
them by cross-validation over whole question sets.

    kbtool explain-file SET.jsonl --data-dir DIR > DUMPS/SET.jsonl     (for each read set)
    python3 fit_rerank.py DUMPS [--folds 6]

Each dump line is the search's analysis of one query with its first ten hits (score before the
correction, bm25 per column, coverage, ...). The model is linear over the features below, with
the weight of the score fixed by normalisation: the correction is sum(w_k * f_k) / w_score. It is
fitted by a softmax over the candidates, with the right entry as the target (gradient descent
with momentum and an L2 penalty). The report gives, for each held-out fold of whole sets, how many
more questions have the right entry first than with the score alone, then the weights fitted on
every set, in the order of RerankWeights.

Only ever give it sets that have been read: a set it was fitted on is no longer held out.
"""
import argparse
import glob
import json
import math
import os

FIELDS = 5  # title, symptoms, cause, tags, solution


def features(hits):
    """One feature vector per hit (the first ten of one query), the score first."""
    top = max(h['base_score'] for h in hits)
    best_bm25 = max(h['bm25'] for h in hits) or 1.0
    best_field = [max(h['field_bm25'][f] for h in hits) or 1.0 for f in range(FIELDS)]
    best_evidence = max(h['evidence'] for h in hits) or 1.0
    out = []
    for h in hits:
        f = [h['base_score'] - top, h['bm25'] / best_bm25, h['coverage'], h['topical'], h['symptom'],
             h['evidence'] / best_evidence]
        f += [h['field_bm25'][i] / best_field[i] for i in range(FIELDS)]
        f += [h['title_coverage'], h['symptoms_coverage'], h['char_coverage'], h['symptom_chars']]
        out.append(f)
    return out


NAMES = ['score', 'bm25', 'coverage', 'topical', 'symptom', 'evidence', 'title bm25', 'symptoms bm25',
         'cause bm25', 'tags bm25', 'solution bm25', 'titleCoverage', 'symptomsCoverage',
         'charCoverage', 'symptomChars']


def load(folder, row=None):
    """Each set's answerable questions with hits: row(dump line, first ten hits, relevant ids), by
    default (labels, features)."""
    sets = {}
    for path in sorted(glob.glob(os.path.join(folder, '*.jsonl'))):
        rows = []
        with open(path, encoding='utf-8') as f:
            for line in f:
                x = json.loads(line)
                if x['case']['kind'] != 'answerable' or not x.get('hits'):
                    continue
                hits = x['hits'][:10]
                relevant = set(x['case']['relevant'])
                rows.append(row(x, hits, relevant) if row else
                            ([1 if h['id'] in relevant else 0 for h in hits], features(hits)))
        sets[os.path.basename(path)[:-len('.jsonl')]] = rows
    return sets


def train(rows, l2=1e-3, epochs=300, rate=0.5):
    n = len(NAMES)
    w = [10.0] + [0.0] * (n - 1)
    velocity = [0.0] * n
    usable = [r for r in rows if sum(r[0]) > 0 and len(r[0]) > 1]
    for _ in range(epochs):
        grad = [l2 * x for x in w]
        grad[0] = 0.0
        for labels, feats in usable:
            s = [sum(a * b for a, b in zip(w, f)) for f in feats]
            m = max(s)
            e = [math.exp(z - m) for z in s]
            total = sum(e)
            target = sum(labels)
            for p, label, f in zip(e, labels, feats):
                d = (p / total - label / target) / len(usable)
                if d:
                    for k in range(n):
                        grad[k] += d * f[k]
        for k in range(n):
            velocity[k] = 0.9 * velocity[k] - rate * grad[k]
            w[k] += velocity[k]
    return w


def first_right(rows, w):
    right = 0
    for labels, feats in rows:
        s = [sum(a * b for a, b in zip(w, f)) for f in feats]
        right += labels[max(range(len(s)), key=lambda i: (s[i], -i))]
    return right


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('dumps')
    parser.add_argument('--folds', type=int, default=6)
    args = parser.parse_args()
    sets = load(args.dumps)
    names = list(sets)
    alone = [1.0] + [0.0] * (len(NAMES) - 1)
    print('questions', sum(len(r) for r in sets.values()),
          'right first by the score alone', sum(first_right(r, alone) for r in sets.values()))
    gain = 0
    for k in range(args.folds):
        held = names[k::args.folds]
        w = train([r for n in names if n not in held for r in sets[n]])
        for n in held:
            d = first_right(sets[n], w) - first_right(sets[n], alone)
            gain += d
            print(f'  held out {n:24s} {len(sets[n]):4d} questions  {d:+d}')
    print('cross-validated gain', gain)
    w = train([r for rows in sets.values() for r in rows])
    for name, x in zip(NAMES[1:], w[1:]):
        print(f'  {name:18s} {x / w[0]:+.4f}')


if __name__ == '__main__':
    main()
