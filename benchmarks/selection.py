"""Data selection on the bundled pool, scored against its ground truth; what selection buys.

    python benchmarks/selection.py [--seeds 0 1] [--curve data/selection/curve.csv]

Reads the per-example scores cached in data/selection/pool_scores.csv and
reference_scores.csv (made by ``python -m sftkit.selection.cache --out data/selection``);
dedup and the quality filter are computed here. Prints:

1. detection figures against data/pool/truth.csv: AUROC and precision/recall/F1 for
   flipped labels, duplicates, off-domain rows and junk; sftkit's confident learning
   side by side with cleanlab's ``find_label_issues`` on the same out-of-fold
   probabilities (cleanlab is an optional benchmark dependency: ``pip install cleanlab``);
2. test accuracy on data/reviews/test.csv of the classifier fine-tuned on: the whole
   pool, random subsets, each strategy, the combined pipeline and the clean rows only.

The pipeline is fixed before any test score is seen: dedup and the quality filter, the
domain cut at the 95th percentile of the in-domain reference texts' difference, and the
rows the last trusted round of out-of-fold models flags (predicted label != given label).
"""
from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import precision_recall_fscore_support, roc_auc_score

from sftkit.data import data_dir, load_bundled
from sftkit.selection import Scores, cache, combine, select
from sftkit.selection import dedup, domain, experiment, noisy, quality

REVIEW_ROWS = ("clean", "flipped", "duplicate")
DOMAIN_QUANTILE = 0.95  # the domain cut: 95% of held-out in-domain texts (reviews/val.csv) fall below it


def prf(truth: np.ndarray, flagged: np.ndarray) -> tuple[float, float, float]:
    p, r, f, _ = precision_recall_fscore_support(truth, flagged, average="binary", zero_division=0)
    return float(p), float(r), float(f)


def line(name: str, value) -> None:
    print(f"  {name:<62} {value}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="training seeds (default: 0 1 2)")
    ap.add_argument("--curve", default=None, help="also write the strategy x budget x seed table to this CSV")
    ap.add_argument("--skip-training", action="store_true", help="detection figures only")
    args = ap.parse_args(argv)
    start = time.perf_counter()

    pool = cache.pool_data()
    with open(data_dir() / "pool" / "truth.csv", newline="", encoding="utf-8") as f:
        truth = list(csv.DictReader(f))
    status = np.array([r["status"] for r in truth])
    detail = np.array([r["detail"] for r in truth])
    c = cache.read()
    assert list(c["id"]) == pool.ids, "pool_scores.csv does not match pool.csv: regenerate it"
    review = np.isin(status, REVIEW_ROWS)
    y = noisy.label_indices(pool.labels, pool.classes)

    print("== 1. detection against data/pool/truth.csv ==")
    print("flipped labels (scored on the 9,000 review rows: clean, flipped, duplicate)")
    flipped = status == "flipped"
    rounds = cache.trusted_rounds(c, pool.classes)
    probas = {"pool alone": np.stack([c[f"oof_{k}"] for k in pool.classes], 1)}
    probas.update({f"trusted round {r}": P for r, P in enumerate(rounds, 1)})
    for name, P in probas.items():
        sc = noisy.self_confidence(P, y)
        line(f"AUROC, self-confidence, {name}", f"{roc_auc_score(flipped[review], -sc[review]):.4f}")
        for d in ("random", "systematic"):
            m = review & (~flipped | (detail == d))
            line(f"  only {d} flips vs non-flipped", f"{roc_auc_score(flipped[m], -sc[m]):.3f}")
    last = f"trusted round {len(rounds)}"
    P = probas[last]
    line(f"AUROC, margin, {last}", f"{roc_auc_score(flipped[review], -noisy.margin(P, y)[review]):.3f}")
    line("AUROC, data-map confidence (one run)", f"{roc_auc_score(flipped[review], -c['confidence'][review]):.3f}")
    line("AUROC, EL2N after epoch 1", f"{roc_auc_score(flipped[review], c['el2n'][review]):.3f}")
    print("confident learning vs cleanlab (precision / recall / F1 for flipped, on review rows)")
    f1s = {}
    for name in ("pool alone", last):
        Pr = probas[name]
        for method in ("confident_joint", "prune_by_noise_rate"):
            issues = noisy.find_label_issues(Pr, y, method=method)
            p, r, f = prf(flipped[review], issues[review])
            f1s[f"sftkit {method} {name}"] = f
            line(f"sftkit {method}, {name}", f"{p:.3f} / {r:.3f} / {f:.3f}  ({issues.sum()} flagged)")
        issues = noisy.margin(Pr, y) < 0
        p, r, f = prf(flipped[review], issues[review])
        line(f"predicted label != given label, {name}", f"{p:.3f} / {r:.3f} / {f:.3f}  ({issues.sum()} flagged)")
        try:
            from cleanlab.filter import find_label_issues
        except ImportError:
            line("cleanlab", "not installed (pip install cleanlab)")
            continue
        issues = find_label_issues(y, Pr)
        p, r, f = prf(flipped[review], issues[review])
        f1s[f"cleanlab {name}"] = f
        line(f"cleanlab find_label_issues (default), {name}", f"{p:.3f} / {r:.3f} / {f:.3f}  ({issues.sum()} flagged)")

    print("duplicates (threshold 0.8, character 5-grams, MinHash LSH with 128 permutations)")
    t = time.perf_counter()
    dd = dedup.dedup_scores(pool.texts, pool.ids)
    root = dd.extra["group"]
    index = {i: n for n, i in enumerate(pool.ids)}
    pairs = {(n, index[r["duplicate_of"]]) for n, r in enumerate(truth) if r["status"] == "duplicate"}
    found = sum(root[a] == root[b] for a, b in pairs)
    removed = np.flatnonzero(dd.drop & review)
    right = sum((i, root[i]) in pairs or (root[i], i) in pairs for i in removed)
    line("pair recall: true (copy, original) pairs put in one group", f"{found / len(pairs):.3f} ({found}/{len(pairs)})")
    line("pair precision: removed review rows whose kept row is their pair",
         f"{right / max(len(removed), 1):.3f} ({right}/{len(removed)})")
    line("rows removed (all statuses), seconds", f"{dd.drop.sum()}, {time.perf_counter() - t:.1f}s")
    line("removed rows that are the injected copy (keep-first policy)", f"{(dd.drop & (status == 'duplicate')).sum()}/800")

    print("off-domain (Moore-Lewis cross-entropy difference; scored on review rows + off-domain rows)")
    diff = c["ce_in_domain"] - c["ce_general"]
    m = (review | (status == "off_domain")) & ~np.isnan(diff)
    off = status == "off_domain"
    line("AUROC, H_in - H_general", f"{roc_auc_score(off[m], diff[m]):.3f} (n={m.sum()}, "
         f"{(np.isnan(diff) & (review | off)).sum()} unscorable)")
    line("AUROC, H_general alone", f"{roc_auc_score(off[m], c['ce_general'][m]):.3f}")
    ref = cache.read(data_dir() / "selection" / "reference_scores.csv")
    cut = domain.threshold_from(ref["ce_in_domain"] - ref["ce_general"], DOMAIN_QUANTILE)
    for name, value in ((f"the {DOMAIN_QUANTILE:.0%} point of reviews/val.csv ({cut:+.3f})", cut), ("0", 0.0)):
        dom = domain.domain_scores(diff, threshold=value)
        p, r, f = prf(off[review | off], dom.drop[review | off])
        line(f"drop if H_in - H_general > {name}: P / R / F1", f"{p:.3f} / {r:.3f} / {f:.3f}, "
             f"{(dom.drop & review).sum()} review rows dropped")
    dom = domain.domain_scores(diff, threshold=cut)

    print("junk (quality filter)")
    q = quality.quality_scores(pool.texts)
    junk = status == "junk"
    p, r, f = prf(junk, q.drop)
    line("precision / recall / F1 (all rows)", f"{p:.3f} / {r:.3f} / {f:.3f}")
    line("AUROC, quality score", f"{roc_auc_score(junk, -q.score):.3f}")

    if args.skip_training:
        print(f"total {time.perf_counter() - start:.0f}s")
        return 0

    print("\n== 2. downstream: fine-tune on the selection, test accuracy on data/reviews/test.csv ==")
    reviews = load_bundled("reviews")
    n = len(pool)
    cl_alone = noisy.noisy_label_scores(probas["pool alone"], pool.labels, pool.classes)
    cl = noisy.noisy_label_scores(P, pool.labels, pool.classes)
    flags = noisy.noisy_label_scores(P, pool.labels, pool.classes, kind="disagreement")
    filt = combine(dd, q, method="filter")
    pipeline = combine(dd, q, dom, flags, method="pipeline")
    size = int((~pipeline.drop).sum())
    clean = Scores("clean rows", np.ones(n), [""] * n, drop=status != "clean")

    def random_scores(seed):
        return Scores("random", np.random.default_rng(seed).random(n), [""] * n)

    strategies = {"whole pool": Scores("all", np.ones(n), [""] * n), "filter (dedup+quality)": filt,
                  "domain (CE difference)": dom, "confident learning, pool alone": cl_alone,
                  "confident learning, trusted": cl,
                  "pipeline": pipeline, "clean rows (ceiling)": clean}
    rows = []
    for name, s in strategies.items():
        rows += experiment.run_experiment(pool, {name: s}, reviews["test"], reviews["val"], seeds=args.seeds,
                                          progress=lambda r: print("   ", r, flush=True))
    rows += experiment.run_experiment(pool, {"random": random_scores}, reviews["test"], reviews["val"],
                                      budgets=[size], seeds=args.seeds, progress=lambda r: print("   ", r, flush=True))
    curve = experiment.run_experiment(pool, {"pipeline": pipeline, "random": random_scores}, reviews["test"],
                                      reviews["val"], budgets=[1000, 2500], seeds=args.seeds,
                                      progress=lambda r: print("   ", r, flush=True))
    rows += curve
    table = experiment.summarise(rows)
    print(f"  {'strategy':<32} {'budget':>6} {'n_train':>7}  {'mean':>6} {'min':>6} {'max':>6}")
    for r in table:
        print(f"  {r['strategy']:<32} {r['budget']:>6} {r['n_train']:>7}  {r['mean']:.3f} {r['min']:.3f} {r['max']:.3f}")
    mean = {(r["strategy"], r["budget"]): r["mean"] for r in table}
    whole, best = mean[("whole pool", "all")], mean[("pipeline", "all")]
    rand, ceil = mean[("random", str(size))], mean[("clean rows (ceiling)", "all")]
    print("acceptance")
    line("pipeline - whole pool (points)", f"{100 * (best - whole):+.1f}")
    line(f"pipeline - random subset of the same size ({size}) (points)", f"{100 * (best - rand):+.1f}")
    line("share of the gap whole pool -> clean rows recovered", f"{(best - whole) / (ceil - whole):.2f}")
    if args.curve:
        experiment.write_rows(args.curve, rows)
        print(f"wrote {args.curve}")
    print(f"total {time.perf_counter() - start:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
