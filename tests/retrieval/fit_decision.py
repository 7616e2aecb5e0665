#!/usr/bin/env python3
"""Fits the weights of KnowledgeSearch's answerable decision (decisionWeights in
knowledgesearch.cpp) and checks them by cross-validation over whole question sets.

    cat SETS... > all.jsonl
    kbtool kb-batch all.jsonl --top 3 --text --data-dir DIR > all.txt
    python3 fit_decision.py all.txt SETS...

The decision's hard rules (an error code, small talk, out-of-scope terms, a price question to an
entry that names no cost, little but an out-of-scope term in common) stay as they are. Every other
query is decided on its figures, which the reason string lists: a logistic model over them, fitted
with the unanswerable questions weighted so that they count half as much in all as the answerable
ones, and a threshold that answers as many of the read sets' unanswerable questions as the
decision that wrote the dump did (the hand rules, for the weights in the code: refitting on a dump
of the weighed decision keeps its count). The dump needs a kbtool whose reasons list the score, the
length (since the fifteenth session) and the two character shares (since the sixteenth). The report gives, for each held-out fold of whole sets, the wrong refusals and the
unanswerable questions answered, then the weights fitted on every set, in the order of
DecisionWeights.

Only ever give it sets that have been read: a set it was fitted on is no longer held out.
"""
import argparse
import json
import math
import os
import re

FIGURES = re.compile(r'coverage (\d+)%, topical (\d+)%, lead ([\d.-]+), incidental (\d+)%, evidence '
                     r'([\d.-]+), symptom said (\d+)%, score ([\d.-]+), length (\d+), characters (\d+)%, '
                     r'symptom characters (\d+)%, translation ([\d.-]+)')
NAMES = ['coverage', 'topical', 'lead', 'incidental', 'log(1 + evidence / idfMax)', 'symptom',
         'topical*lead', 'coverage*lead', 'symptom*lead', 'score', 'topical^2', 'coverage^2',
         'coverage*length', 'topical*length', 'characters', 'symptom characters', 'translation']
LEAD_CAP = 0.6
LENGTH_CAP = 80  # characters: a longer query counts as this long


def features(f, idf_max):
    c, t, lead, inc, ev, sy, score, length, chars, symptom_chars, translation = f
    c, t, inc, sy, chars, symptom_chars = c / 100, t / 100, inc / 100, sy / 100, chars / 100, symptom_chars / 100
    lead = min(lead, LEAD_CAP)
    # The length only through what is covered of it: a long story with some of it covered has
    # said more of the entry than a short question with as much, but a long question with nothing
    # covered has said nothing.
    length = min(length, LENGTH_CAP) / 50
    return [c, t, lead, inc, math.log1p(ev / idf_max), sy, t * lead, c * lead, sy * lead, score,
            t * t, c * c, c * length, t * length, chars, symptom_chars, translation]


def load(dump, files, idf_max):
    decisions = [l for l in open(dump, encoding='utf-8').read().split('\n')
                 if l.startswith('answerable:') or l.startswith('no matching')]
    rows = []
    for name in files:
        for line in open(name, encoding='utf-8'):
            if line.strip():
                rows.append((os.path.basename(name), json.loads(line)))
    assert len(rows) == len(decisions), (len(rows), len(decisions))
    out = []
    for (name, case), d in zip(rows, decisions):
        m = FIGURES.search(d)
        # Only the queries the figures decide: not the hard rules.
        if not m or 'out-of-scope term' in d:
            continue
        out.append({'set': name, 'answerable': case['kind'] == 'answerable',
                    'x': features([float(v) for v in m.groups()], idf_max),
                    'was': d.startswith('answerable: yes')})
    return out


def fit(rows, l2=1e-3, steps=400, rate=0.5, shift=0):
    xs = [r['x'] for r in rows]
    ys = [1 if r['answerable'] else 0 for r in rows]
    k = len(xs[0])
    mu = [sum(x[j] for x in xs) / len(xs) for j in range(k)]
    sd = [max(1e-6, math.sqrt(sum((x[j] - mu[j]) ** 2 for x in xs) / len(xs))) for j in range(k)]
    zs = [[(x[j] - mu[j]) / sd[j] for j in range(k)] for x in xs]
    pos = sum(ys)
    wneg = pos / (len(ys) - pos) * 0.5
    w, b, v, vb = [0.0] * k, 0.0, [0.0] * k, 0.0
    for _ in range(steps):
        g, gb = [0.0] * k, 0.0
        for z, y in zip(zs, ys):
            s = max(-30.0, min(30.0, b + sum(a * c for a, c in zip(w, z))))
            e = (1 / (1 + math.exp(-s)) - y) * (1.0 if y else wneg)
            gb += e
            for j in range(k):
                g[j] += e * z[j]
        for j in range(k):
            v[j] = 0.9 * v[j] - rate * (g[j] / len(zs) + l2 * w[j])
            w[j] += v[j]
        vb = 0.9 * vb - rate * gb / len(zs)
        b += vb
    # Back to the raw features: z = bias + sum(weight_j * x_j).
    weights = [w[j] / sd[j] for j in range(k)]
    bias = b - sum(w[j] * mu[j] / sd[j] for j in range(k))
    # The threshold: answer as many unanswerable questions as the rules it replaces did.
    unanswered = sorted(bias + sum(a * c for a, c in zip(weights, r['x'])) for r in rows if not r['answerable'])
    answered_before = sum(1 for r in rows if not r['answerable'] and r['was']) + shift
    threshold = unanswered[len(unanswered) - answered_before - 1]
    return weights, bias - threshold


def errors(rows, model=None):
    wrong = answered = 0
    for r in rows:
        ok = r['was'] if model is None else model[1] + sum(a * c for a, c in zip(model[0], r['x'])) > 0
        wrong += r['answerable'] and not ok
        answered += (not r['answerable']) and ok
    return wrong, answered


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dump')
    ap.add_argument('files', nargs='+')
    ap.add_argument('--folds', type=int, default=6)
    ap.add_argument('--idf-max', type=float, default=math.log(601), help='idf of a term no entry has')
    ap.add_argument('--l2', type=float, default=1e-3, help='the penalty on the standardised weights')
    ap.add_argument('--answered-shift', type=int, default=0,
                    help='answer this many more unanswerable questions than the dump\'s decision did (when '
                         'the dump was written by a kbtool whose other figures changed: the difference '
                         'between the counts of the decision before and the dump\'s, over the same sets)')
    args = ap.parse_args()
    rows = load(args.dump, args.files, args.idf_max)
    sets = sorted({r['set'] for r in rows})
    total = [0, 0, 0, 0]
    for i in range(args.folds):
        held = set(sets[i::args.folds])
        model = fit([r for r in rows if r['set'] not in held], l2=args.l2, shift=round(args.answered_shift * (1 - len([r for r in rows if r['set'] in held and not r['answerable']]) / max(1, sum(not r['answerable'] for r in rows)))))
        test = [r for r in rows if r['set'] in held]
        before, after = errors(test), errors(test, model)
        total = [a + b for a, b in zip(total, before + after)]
        print(f'fold {i + 1}: wrong refusals {before[0]} -> {after[0]}, unanswerable answered '
              f'{before[1]} -> {after[1]}')
    print(f'all folds: wrong refusals {total[0]} -> {total[2]}, unanswerable answered {total[1]} -> {total[3]}')
    weights, bias = fit(rows, l2=args.l2, shift=args.answered_shift)
    print('bias', f'{bias:.6f}')
    for n, w in zip(NAMES, weights):
        print(f'{w:+.6f}  {n}')


if __name__ == '__main__':
    main()
