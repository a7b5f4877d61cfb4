"""How many labels does pretraining save? Scratch vs pretrained across label budgets.

For each budget n (a stratified sample of the bundled reviews' train split) and each
seed, the seed's classifier is trained twice: from random weights, and from the shipped
pretrained language model (预训练模型). Both use the full validation split only for early
stopping and are scored on the test split, overall and on its ``unseen_words`` subset
(sentiment words that no labelled example contains, but the pretraining corpus does).

Prints a table (mean and spread over seeds), saves a plot, and prints the headline:
the smallest k such that training from scratch on k*n labels matches the pretrained
model trained on n labels, for n = 100.

    python benchmarks/data_efficiency.py                 # the full run (about 10 minutes on 2 cores)
    python benchmarks/data_efficiency.py --budgets 100 500 --seeds 0   # a quick look
"""
from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np

from sftkit.data import load_bundled, stratified_sample
from sftkit.pretrain import PretrainedLM, shipped_lm_dir
from sftkit.config import TrainConfig
from sftkit.finetune import fit_text_classifier

# Both recipes are the library's defaults; with a pretrained model that means: encoder frozen
# for the first half of the epochs, then everything trained, the encoder at 0.3 x the rate.
SCRATCH = TrainConfig()
PRETRAINED = TrainConfig()


def epochs_for(n: int) -> int:
    """Enough passes that a small budget still gets a few hundred gradient steps."""
    return int(min(40, max(10, math.ceil(4000 / n))))


def accuracy(clf, texts, labels) -> float:
    return float(np.mean(np.array(clf.predict(texts)) == np.array(labels)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--budgets", nargs="+", default=["50", "100", "200", "500", "1000", "2000", "all"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--lm", default=None, help="pretrained model folder (default: the shipped one)")
    parser.add_argument("--out", default="benchmarks/results", help="where the JSON and the plot go")
    args = parser.parse_args(argv)

    splits = load_bundled("reviews")
    train, val, test = splits["train"], splits["val"], splits["test"]
    unseen = [i for i, s in enumerate(test.extra["subset"]) if s == "unseen_words"]
    unseen_texts = [test.texts[i] for i in unseen]
    unseen_labels = [test.labels[i] for i in unseen]
    lm = PretrainedLM.load(args.lm or shipped_lm_dir())
    budgets = [len(train) if b == "all" else int(b) for b in args.budgets]

    rows = []
    start = time.perf_counter()
    for n in budgets:
        for seed in args.seeds:
            sample = stratified_sample(train, n, seed=seed)
            for recipe, cfg, init in (("scratch", SCRATCH, None), ("pretrained", PRETRAINED, lm)):
                clf = fit_text_classifier(sample.texts, sample.labels, val.texts, val.labels,
                                          config=cfg.with_(seed=seed, epochs=epochs_for(n), patience=5), pretrained=init)
                rows.append({"recipe": recipe, "n": n, "seed": seed,
                             "test": accuracy(clf, test.texts, test.labels),
                             "unseen": accuracy(clf, unseen_texts, unseen_labels),
                             "epochs": len(clf.history["loss"])})
                print(f"  n={n:5d} seed={seed} {recipe:10s} test {rows[-1]['test']:.3f} "
                      f"unseen {rows[-1]['unseen']:.3f} ({rows[-1]['epochs']} epochs, "
                      f"{time.perf_counter() - start:.0f}s)", flush=True)

    def stats(recipe, n, key):
        vals = [r[key] for r in rows if r["recipe"] == recipe and r["n"] == n]
        return float(np.mean(vals)), float(np.std(vals))

    print(f"\nreviews test accuracy (mean ± std over seeds {args.seeds}; test n={len(test)}, "
          f"unseen-words subset n={len(unseen)})")
    print(f"{'labels':>7}  {'scratch':>13}  {'pretrained':>13}  {'scratch unseen':>14}  {'pretrained unseen':>17}")
    table = []
    for n in budgets:
        s, p = stats("scratch", n, "test"), stats("pretrained", n, "test")
        su, pu = stats("scratch", n, "unseen"), stats("pretrained", n, "unseen")
        table.append({"n": n, "scratch": s, "pretrained": p, "scratch_unseen": su, "pretrained_unseen": pu})
        print(f"{n:7d}  {s[0]:.3f} ± {s[1]:.3f}  {p[0]:.3f} ± {p[1]:.3f}  {su[0]:.3f} ± {su[1]:.3f}    "
              f"{pu[0]:.3f} ± {pu[1]:.3f}")

    wins = [t["n"] for t in table if t["n"] <= 1000 and t["pretrained"][0] > t["scratch"][0]]
    upto = [t["n"] for t in table if t["n"] <= 1000]
    print(f"\npretrained beats scratch at {len(wins)} of {len(upto)} budgets up to 1000")
    if 100 in budgets:
        target = stats("pretrained", 100, "test")[0]
        matched = [n for n in budgets if n >= 100 and stats("scratch", n, "test")[0] >= target]
        if matched:
            print(f"data-efficiency factor at n=100: k = {min(matched) / 100:g} "
                  f"(scratch needs {min(matched)} labels to reach the pretrained model's {target:.3f} with 100)")
        else:
            print(f"data-efficiency factor at n=100: k > {max(budgets) / 100:g} (scratch never reaches "
                  f"{target:.3f}, even with {max(budgets)} labels)")

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "data_efficiency.json").write_text(json.dumps({"rows": rows, "table": table}, indent=2) + "\n")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for recipe, style in (("scratch", "o--"), ("pretrained", "s-")):
        means = np.array([t[recipe][0] for t in table])
        stds = np.array([t[recipe][1] for t in table])
        ax.errorbar(budgets, means, yerr=stds, fmt=style, capsize=3, label=recipe)
    ax.set_xscale("log")
    ax.set_xlabel("labelled training examples")
    ax.set_ylabel("test accuracy")
    ax.set_title("Pretraining vs from scratch on the bundled reviews")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "data_efficiency.png", dpi=100)
    print(f"wrote {out / 'data_efficiency.json'} and {out / 'data_efficiency.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
