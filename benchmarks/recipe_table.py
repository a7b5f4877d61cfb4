"""Summarise recipe_lab.py's JSON lines: mean (and std) over seeds per budget, and the k factor at n=100.

    python benchmarks/recipe_table.py LOG.jsonl [--key val_acc|test|unseen] [--exps A B]
"""
import argparse
import json
from collections import defaultdict

import numpy as np


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("log")
    p.add_argument("--key", default="test")
    p.add_argument("--exps", nargs=2, default=["recipe", "recipe_scratch"])
    a = p.parse_args(argv)
    vals = defaultdict(list)
    for line in open(a.log):
        r = json.loads(line)
        v = r["val_acc"] if a.key == "val_acc" else (r["test"] or {}).get(a.key)
        vals[(r["exp"], r["n"])].append(v)
    pre, scr = a.exps
    budgets = sorted({n for _, n in vals})
    print(f"{a.log}: {a.key}, mean ± std over seeds (count)")
    print(f"{'labels':>7} {pre:>22} {scr:>22}  diff")
    means = {}
    for n in budgets:
        row = []
        for e in (pre, scr):
            v = vals.get((e, n), [])
            means[(e, n)] = (float(np.mean(v)), len(v)) if v else (float("nan"), 0)
            row.append(f"{np.mean(v):.3f} ± {np.std(v):.3f} ({len(v)})" if v else "-")
        d = means[(pre, n)][0] - means[(scr, n)][0]
        print(f"{n:7d} {row[0]:>22} {row[1]:>22}  {d:+.3f}")
    if (pre, 100) in means:
        target = means[(pre, 100)][0]
        hit = [n for n in budgets if n >= 100 and means[(scr, n)][0] >= target]
        print(f"k at n=100: {'%g' % (min(hit) / 100) if hit else '> %g' % (max(budgets) / 100)} "
              f"(pretrained with 100 labels: {target:.3f})")


if __name__ == "__main__":
    main()
