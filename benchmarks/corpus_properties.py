"""Measure the properties the bundled corpus was designed to have.

Prints, with labels:

(a) reviews: test accuracy of a unigram bag-of-words logistic regression (C chosen on
    val) and of the seed's Embedding -> LSTM -> softmax model (``sftkit.finetune``), overall
    and on the ``standard`` / ``unseen_words`` subsets -- word order should be worth
    at least 5 points, and a model trained from scratch should be near chance on
    ``unseen_words``;
(b) the number of distinct shapes and templates per dataset, and the share of exact
    duplicate texts in each clean split;
(c) spam: bag-of-words spam F1 (imbalanced, deliberately overlapping classes);
plus the pool's measured problem rates and the corpus size.

The data come from ``sftkit.synth.generate(seed)``, which is exactly what
``sftkit data build`` writes (tests/test_synth.py checks the committed files against it),
so the metadata (templates) is available without being a CSV column.

Run:  python benchmarks/corpus_properties.py [--seed N] [--no-lstm] [--epochs 8]
"""
from __future__ import annotations

import argparse
import time
from collections import Counter

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from sftkit.synth import DEFAULT_SEED, generate


def texts_labels(rows):
    return [r["text"] for r in rows], [r["label"] for r in rows]


def bow_model(train, val, positive=None):
    """Unigram counts + logistic regression, C picked by validation accuracy (or F1)."""
    xt, yt = texts_labels(train)
    xv, yv = texts_labels(val)
    vec = CountVectorizer()
    a, b = vec.fit_transform(xt), vec.transform(xv)
    best = None
    for c in (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0):
        clf = LogisticRegression(C=c, max_iter=2000).fit(a, yt)
        pv = clf.predict(b)
        score = f1_score(yv, pv, pos_label=positive) if positive else np.mean(pv == np.array(yv))
        if best is None or score > best[0]:
            best = (score, c, clf)
    return vec, best[2], best[1]


def accuracy(pred, rows, subset=None):
    pairs = [(p, r["label"]) for p, r in zip(pred, rows) if subset is None or r.get("subset") == subset]
    return sum(p == y for p, y in pairs) / max(1, len(pairs))


def duplicate_share(rows):
    counts = Counter(r["text"] for r in rows)
    return sum(c - 1 for c in counts.values()) / len(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--no-lstm", action="store_true", help="skip the LSTM (saves ~1 minute)")
    ap.add_argument("--epochs", type=int, default=8)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    data = generate(args.seed)
    print(f"generated in memory: {time.perf_counter() - t0:.1f} s (seed {args.seed})")
    rtrain, rval, rtest = data["reviews/train.csv"], data["reviews/val.csv"], data["reviews/test.csv"]

    print("\n(a) reviews: does word order matter?")
    vec, clf, c = bow_model(rtrain, rval)
    pred = clf.predict(vec.transform([r["text"] for r in rtest]))
    print(f"  bag-of-words LR (C={c}) test accuracy     : {accuracy(pred, rtest):.3f}"
          f"  (standard {accuracy(pred, rtest, 'standard'):.3f},"
          f" unseen_words {accuracy(pred, rtest, 'unseen_words'):.3f})")
    if not args.no_lstm:
        from sftkit.finetune import fit_text_classifier

        t1 = time.perf_counter()
        model = fit_text_classifier(*texts_labels(rtrain), *texts_labels(rval),
                                    epochs=args.epochs, seed=0)
        proba = model.predict_proba([r["text"] for r in rtest])
        lpred = [model.classes[i] for i in proba.argmax(axis=1)]
        print(f"  Embedding-LSTM-softmax test accuracy      : {accuracy(lpred, rtest):.3f}"
              f"  (standard {accuracy(lpred, rtest, 'standard'):.3f},"
              f" unseen_words {accuracy(lpred, rtest, 'unseen_words'):.3f})"
              f"  [trained in {time.perf_counter() - t1:.0f} s]")
    noisy = sum(bool(r.get("noisy")) for r in rtrain + rval + rtest)
    print(f"  annotator-noise rows (all review splits)  : {noisy} of {len(rtrain + rval + rtest)}")

    print("\n(b) variety: distinct shapes / templates, exact-duplicate share")
    for name, rows in data.items():
        if name in ("pool/truth.csv",):
            continue
        if name.endswith(".txt"):
            kinds = Counter(r["kind"] for r in rows)
            print(f"  {name:22s} passages {len(rows)}, kinds {dict(sorted(kinds.items()))},"
                  f" duplicate share {duplicate_share(rows):.4f}")
            continue
        shapes = {r["shape"] for r in rows if "shape" in r}
        templates = {r["template"] for r in rows}
        print(f"  {name:22s} rows {len(rows):5d}  review shapes {len(shapes) or '-':>3}"
              f"  templates {len(templates):4d}  exact-duplicate share {duplicate_share(rows):.4f}")
    clean = [r["text"] for n in ("reviews/train.csv", "reviews/val.csv", "reviews/test.csv") for r in data[n]]
    print(f"  duplicate share across all review splits   : {1 - len(set(clean)) / len(clean):.4f}")

    print("\n(c) spam: bag-of-words baseline")
    strain, sval, stest = data["spam/train.csv"], data["spam/val.csv"], data["spam/test.csv"]
    for name, rows in (("train", strain), ("val", sval), ("test", stest)):
        print(f"  spam rate {name:5s}: {sum(r['label'] == 'spam' for r in rows) / len(rows):.3f}")
    vec, clf, c = bow_model(strain, sval, positive="spam")
    pred = clf.predict(vec.transform([r["text"] for r in stest]))
    print(f"  bag-of-words LR (C={c}) spam F1 on test   : {f1_score([r['label'] for r in stest], pred, pos_label='spam'):.3f}"
          f"  (accuracy {accuracy(pred, stest):.3f})")

    print("\npool: measured problem rates")
    truth = data["pool/truth.csv"]
    counts = Counter(t["status"] for t in truth)
    for status in ("clean", "flipped", "duplicate", "off_domain", "junk"):
        print(f"  {status:10s}: {counts[status]:5d}  ({counts[status] / len(truth):.3f})")
    flips = Counter(t["detail"] for t in truth if t["status"] == "flipped")
    print(f"  flipped by kind: {dict(sorted(flips.items()))}")

    corpus = data["pretrain/corpus.txt"]
    tokens = [w for r in corpus for w in r["text"].lower().split()]
    print(f"\npretrain corpus: {len(corpus)} lines, {len(tokens)} whitespace tokens,"
          f" {len(set(tokens))} distinct lower-cased tokens")
    from sftkit.synth import HELDOUT_WORDS
    tc = Counter(w.strip(".,!?") for w in tokens)
    print("  held-out word counts: " + ", ".join(f"{w} {tc[w]}" for w in HELDOUT_WORDS))
    t0 = time.perf_counter()
    generate(args.seed)
    print(f"\ngeneration time (in memory, second run): {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
