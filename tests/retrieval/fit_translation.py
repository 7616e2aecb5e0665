#!/usr/bin/env python3
"""Learns the translation table of KnowledgeSearch's re-ranking (resources/knowledge/translation.tsv)
and the re-ranking's weights with it, and checks both by cross-validation over whole question sets.

Owners say an entry's problem in their own words: "给车看病的按钮" for 一键体检, "满了" for 上限,
"把灯弄灭" for 清除故障码. The table holds, for a token of a question (a bigram or a lexicon word, as
KnowledgeSearch analyses it), how likely it is to be said for a token of the right entry's title or
symptom lines: t(question token | entry token), IBM model 1 fitted by expectation-maximisation on
(question, right entry) pairs of the question sets read so far. The re-ranking then weighs, for each
candidate, the mean log-probability of the question's tokens under the entry's tokens (all of them,
and those the entry does not contain), relative to the best candidate.

    python3 fit_translation.py parts KB.jsonl > parts.jsonl
    kbtool explain-file parts.jsonl --data-dir DIR > parts.dump
    kbtool explain-file SET.jsonl --data-dir DIR > DUMPS/SET.jsonl     (for each read set)
    python3 fit_translation.py fit DUMPS parts.jsonl parts.dump [--prune 0.005] [--out translation.tsv]

`fit` needs numpy. It prints, for each held-out fold of whole sets, how many more questions have the
right entry first than with the score alone, with and without the table (the table of a fold is
learnt without its sets: the cross-validation holds the table out too), then the re-ranking's
weights, in the order of RerankWeights, fitted on every set with each set's translation figures
taken from the table learnt without its fold (so the weights trust the table as much as it earns on
questions it has not seen). --out writes the table learnt on every set, pruned to probabilities of
at least --prune; --fold-tables DIR writes each fold's table and the names of its sets, so that
fit_decision.py weighs the translation figure as it comes out on questions the table has not seen:

    kbtool kb-batch SET.jsonl --top 3 --text --translation DIR/foldK.tsv --data-dir DIR > SET.txt

Only ever give it sets that have been read: a set it was fitted on is no longer held out.
"""
import argparse
import collections
import json
import math
import os
import sys

import fit_rerank

FLOOR = 1e-4  # added to a token's probability before the log (KnowledgeSearch::kTranslationFloor)


def parts(kb_path):
    """The entries' titles and symptom lines as queries, so that kbtool analyses them."""
    with open(kb_path, encoding='utf-8') as f:
        for line in f:
            if not line.strip():
                continue
            e = json.loads(line)
            symptoms = e['symptoms'] if isinstance(e['symptoms'], list) else [e['symptoms']]
            for text in [e['title']] + symptoms:
                print(json.dumps({'query': text, 'relevant': [e['id']], 'kind': 'answerable'}, ensure_ascii=False))


def entry_tokens(parts_path, dump_path):
    tokens = collections.defaultdict(set)
    with open(parts_path, encoding='utf-8') as p, open(dump_path, encoding='utf-8') as d:
        for lp, ld in zip(p, d):
            x = json.loads(ld)
            # The tokens the translation figures weigh (no model, model year or number), since the
            # seventeenth session; the shipped table was learnt on every token before that.
            tokens[json.loads(lp)['relevant'][0]].update(x.get('translation_tokens', x['tokens']))
    return {k: sorted(v) for k, v in tokens.items()}


def load(folder):
    def row(x, hits, relevant):
        return {'labels': [1 if h['id'] in relevant else 0 for h in hits],
                'features': fit_rerank.features(hits), 'ids': [h['id'] for h in hits],
                'tokens': sorted(set(x.get('translation_tokens', x['tokens']))), 'relevant': sorted(relevant)}
    return fit_rerank.load(folder, row)


def ibm1(pairs, iterations=5):
    t = collections.defaultdict(lambda: 1.0)
    for _ in range(iterations):
        counts = collections.defaultdict(float)
        totals = collections.defaultdict(float)
        for question, entry in pairs:
            for q in question:
                norm = sum(t[(q, d)] for d in entry) or 1e-9
                for d in entry:
                    v = t[(q, d)] / norm
                    counts[(q, d)] += v
                    totals[d] += v
        t = collections.defaultdict(float, {k: v / totals[k[1]] for k, v in counts.items()})
    return dict(t)


def prune(table, floor):
    return {k: v for k, v in table.items() if v >= floor}


def translation(table, question, entry):
    """The two figures of one candidate: the mean log-probability of the question's tokens, and of
    those the entry does not contain."""
    if not question or not entry:
        return [0.0, 0.0]
    own = set(entry)
    total = unmatched = 0.0
    n_unmatched = 0
    for q in question:
        p = sum(table.get((q, d), 0.0) for d in entry) / len(entry)
        total += math.log(p + FLOOR)
        if q not in own:
            unmatched += math.log(p + FLOOR)
            n_unmatched += 1
    return [total / len(question), unmatched / max(n_unmatched, 1)]


def pack(rows, table, entries):
    import numpy as np
    nb = len(fit_rerank.NAMES)
    x = np.zeros((len(rows), 10, nb + 2))
    mask = np.zeros((len(rows), 10), bool)
    y = np.zeros((len(rows), 10))
    for i, r in enumerate(rows):
        n = len(r['labels'])
        mask[i, :n] = True
        y[i, :n] = r['labels']
        x[i, :n, :nb] = r['features']
        t = np.array([translation(table, r['tokens'], entries.get(e, [])) for e in r['ids']])
        x[i, :n, nb:] = t - t.max(0, keepdims=True)  # relative to the best candidate
    return x, mask, y


def train(x, mask, y, l2=1e-3, epochs=300, rate=0.5):
    """fit_rerank.train's softmax over the candidates, vectorised."""
    import numpy as np
    use = (y.sum(1) > 0) & (mask.sum(1) > 1)
    x, mask, y = x[use], mask[use], y[use]
    w = np.zeros(x.shape[2])
    w[0] = 10.0
    velocity = np.zeros_like(w)
    target = y / y.sum(1, keepdims=True)
    for _ in range(epochs):
        s = x @ w
        s[~mask] = -1e9
        s -= s.max(1, keepdims=True)
        e = np.exp(s) * mask
        d = (e / e.sum(1, keepdims=True) - target) / len(x)
        grad = np.einsum('qk,qkf->f', d, x) + l2 * w
        grad[0] = 0.0
        velocity = 0.9 * velocity - rate * grad
        w += velocity
    return w


def first_right(x, mask, y, w):
    import numpy as np
    s = x @ w
    s[~mask] = -1e9
    return int(y[np.arange(len(x)), s.argmax(1)].sum())


def write_table(table, path):
    with open(path, 'w', encoding='utf-8') as f:
        f.write('# t(question token | entry token), IBM model 1 on the read question sets '
                '(tests/retrieval/fit_translation.py)\n')
        for (q, d), v in sorted(table.items()):
            f.write(f'{q}\t{d}\t{v:.4g}\n')


def fit(args):
    import numpy as np
    entries = entry_tokens(args.parts, args.parts_dump)
    sets = load(args.dumps)
    names = list(sets)
    nb = len(fit_rerank.NAMES)
    alone = np.zeros(nb + 2)
    alone[0] = 1.0
    packed = {}
    gain_with = gain_without = right_alone = 0
    for k in range(args.folds):
        held = names[k::args.folds]
        table = prune(ibm1([(r['tokens'], entries[r['relevant'][0]]) for n in names if n not in held
                            for r in sets[n]]), args.prune)
        if args.fold_tables:
            os.makedirs(args.fold_tables, exist_ok=True)
            write_table(table, os.path.join(args.fold_tables, f'fold{k}.tsv'))
            with open(os.path.join(args.fold_tables, f'fold{k}.sets'), 'w', encoding='utf-8') as f:
                f.write('\n'.join(held) + '\n')
        for n in names:
            packed[(k, n)] = pack(sets[n], table, entries)
        train_sets = [packed[(k, n)] for n in names if n not in held]
        x = np.concatenate([p[0] for p in train_sets])
        mask = np.concatenate([p[1] for p in train_sets])
        y = np.concatenate([p[2] for p in train_sets])
        w = train(x, mask, y)
        w0 = train(x[:, :, :nb], mask, y)
        for n in held:
            xh, mh, yh = packed[(k, n)]
            a = first_right(xh, mh, yh, alone)
            right_alone += a
            d_with = first_right(xh, mh, yh, w) - a
            d_without = first_right(xh[:, :, :nb], mh, yh, w0) - a
            gain_with += d_with
            gain_without += d_without
            print(f'  held out {n:24s} {len(sets[n]):4d} questions  {d_with:+d} (without the table {d_without:+d})')
    print('questions', sum(len(r) for r in sets.values()), 'right first by the score alone', right_alone)
    print('cross-validated gain', gain_with, 'without the table', gain_without)
    # The final weights: each set's translation figures from the table learnt without its fold.
    held_packs = [packed[(k, n)] for k in range(args.folds) for n in names[k::args.folds]]
    w = train(*[np.concatenate([p[i] for p in held_packs]) for i in range(3)])
    for name, v in zip(fit_rerank.NAMES[1:] + ['translation', 'translationUnmatched'], w[1:]):
        print(f'  {name:20s} {v / w[0]:+.4f}')
    if args.out:
        table = prune(ibm1([(r['tokens'], entries[r['relevant'][0]]) for n in names for r in sets[n]]), args.prune)
        write_table(table, args.out)
        print('wrote', len(table), 'pairs to', args.out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    sub = parser.add_subparsers(dest='command', required=True)
    p = sub.add_parser('parts')
    p.add_argument('kb')
    f = sub.add_parser('fit')
    f.add_argument('dumps')
    f.add_argument('parts')
    f.add_argument('parts_dump')
    f.add_argument('--prune', type=float, default=0.005)
    f.add_argument('--folds', type=int, default=6)
    f.add_argument('--out')
    f.add_argument('--fold-tables', help='also write each fold\'s table (learnt without its sets) and '
                   'the names of its sets here, for the decision\'s cross-fitted figures')
    args = parser.parse_args()
    if args.command == 'parts':
        parts(args.kb)
    else:
        fit(args)


if __name__ == '__main__':
    sys.exit(main())
