"""How many labels does pretraining save? Scratch vs pretrained across label budgets.

For each budget n (a stratified sample of the bundled reviews' train split) and each
seed, the seed's classifier is trained twice: from random weights, and from the shipped
pretrained language model (预训练模型). Both use the full validation split only for early
stopping and are scored on the test split, overall and on its ``unseen_words`` subset
(sentiment words that no labelled example contains, but the pretraining corpus does).

Prints a table (mean and spread over seeds), saves a plot, and prints the headline:
the smallest k such that training from scratch on k*n labels matches the pretrained
model trained on n labels, for n = 100.

    python benchmarks/data_efficiency.py                 # the full run (about 15 minutes on 2 idle cores)
    python benchmarks/data_efficiency.py --budgets 100 500 --seeds 0   # a quick look
    (budgets are trained in the order given and reported in size order)
    python benchmarks/data_efficiency.py --data-dir /tmp/seed7 --out benchmarks/results/seed7
        # a corpus made by `sftkit data build --out /tmp/seed7 --seed 7`, on which nothing was tuned

Both sides are :func:`sftkit.finetune.fit_text_classifier` with the library's defaults
(:class:`sftkit.config.TrainConfig`, the recipe of issue 12: the seed's pooling, the LSTM's
last state; by default about 4,000 examples seen per run, 10 to 40 epochs; early stopping on
validation loss with patience 5). From a pretrained model, ULMFiT's gradual unfreezing and
discriminative learning rates are added, and the model's LSTM is kept only below 1,500
labels (above that, its embedding only). ``--lm-epochs N`` adds ULMFiT's stage 2: the
language model is first fine-tuned on all the training texts (labelled or not, never
validation or test), once per seed, and every budget starts from that model.

``--reuse OLD.json`` re-runs only what a change of the pretrained recipe can have changed:
rows of OLD.json (same data, pretrained model, stage 2 and seeds) are copied instead of
trained when every setting that reaches their code path is unchanged: the scratch rows when
OLD.json's config equals today's in every field a run without a pretrained model reads, and
the pretrained rows at budgets where, in addition, today's resolved gradual unfreezing
(:meth:`TrainConfig.freeze_epochs_for`) equals OLD.json's ``freeze_epochs``. Anything else
stops the run with a message. It first re-trains one scratch row and stops unless it
reproduces OLD.json's figures exactly (the runs are deterministic). Copied rows are printed
as ``(reused)`` and listed in the JSON's ``meta.reused``.

Writes ``data_efficiency.json`` (``meta``, one row per run in ``rows``, the summary in
``table``) and ``data_efficiency.png`` into ``--out``. The default run (the bundled reviews,
the shipped model, all budgets, seeds 0 1 2, no stage 2) also writes the JSON to
``data/measured/data_efficiency.json``, the copy that ships with sftkit and that lesson 00
reads; ``--no-measured`` leaves that copy alone.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from sftkit.config import TrainConfig
from sftkit.data import load_bundled, load_labelled, stratified_sample
from sftkit.finetune import fine_tune_language_model, fit_text_classifier
from sftkit.pretrain import PretrainedLM, shipped_lm_dir

# Both sides use the library's defaults (one path; the pretrained-only steps apply when a
# pretrained model is given).
SCRATCH = TrainConfig()
PRETRAINED = TrainConfig()
# The copy that ships with sftkit (lesson 00 reads its "rows": recipe, n, seed, test, unseen, epochs).
MEASURED = Path(__file__).resolve().parents[1] / "data" / "measured" / "data_efficiency.json"


def accuracy(clf, texts, labels) -> float:
    return float(np.mean(np.array(clf.predict(texts)) == np.array(labels)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--budgets", nargs="+", default=["50", "100", "200", "500", "1000", "2000", "all"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--pretrained", "--lm", dest="pretrained", default=None,
                        help="pretrained model folder (default: the shipped one)")
    parser.add_argument("--data-dir", default=None,
                        help="a folder written by `sftkit data build` (default: the bundled data)")
    parser.add_argument("--lm-epochs", type=int, default=0,
                        help="ULMFiT stage 2: fine-tune the language model on the training texts first (default: 0)")
    parser.add_argument("--out", default="benchmarks/results", help="where the JSON and the plot go")
    parser.add_argument("--measured", action=argparse.BooleanOptionalAction, default=True,
                        help="after the default run, also write data/measured/data_efficiency.json (default: on)")
    parser.add_argument("--reuse", default=None, metavar="OLD.json",
                        help="copy the rows of an earlier run whose code path is unchanged (see above)")
    args = parser.parse_args(argv)
    default_run = (args.data_dir is None and args.pretrained is None and args.lm_epochs == 0
                   and sorted(args.budgets) == sorted(parser.get_default("budgets"))
                   and args.seeds == parser.get_default("seeds"))

    if args.data_dir:
        splits = {name: load_labelled(Path(args.data_dir) / "reviews" / f"{name}.csv") for name in ("train", "val", "test")}
    else:
        splits = load_bundled("reviews")
    train, val, test = splits["train"], splits["val"], splits["test"]
    unseen = [i for i, s in enumerate(test.extra["subset"]) if s == "unseen_words"]
    unseen_texts = [test.texts[i] for i in unseen]
    unseen_labels = [test.labels[i] for i in unseen]
    lm = PretrainedLM.load(args.pretrained or shipped_lm_dir())
    task_lms = {seed: (fine_tune_language_model(lm, train.texts, epochs=args.lm_epochs, seed=seed)
                       if args.lm_epochs else lm) for seed in args.seeds}
    run_order = [len(train) if b == "all" else int(b) for b in args.budgets]   # trained in the order given
    budgets = sorted(run_order)                                                  # reported in size order

    def run(recipe, n, seed) -> dict:
        sample = stratified_sample(train, n, seed=seed)
        cfg, pretrained = (SCRATCH, None) if recipe == "scratch" else (PRETRAINED, task_lms[seed])
        clf = fit_text_classifier(sample.texts, sample.labels, val.texts, val.labels,
                                  config=cfg.replace(seed=seed), pretrained=pretrained)
        return {"recipe": recipe, "n": n, "seed": seed, "test": accuracy(clf, test.texts, test.labels),
                "unseen": accuracy(clf, unseen_texts, unseen_labels), "epochs": len(clf.history["loss"])}

    meta = {"data": args.data_dir or "bundled", "pretrained": args.pretrained or "shipped",
            "lm_epochs": args.lm_epochs, "config": PRETRAINED.to_dict()}
    reused = reusable_rows(args.reuse, meta, budgets, args.seeds, run) if args.reuse else {}
    if reused:
        meta["reused"] = {"from": Path(args.reuse).name,   # the file name only: no developer path in shipped data
                          "rows": sorted({f"{r} n={n}" for r, n, _ in reused},
                                         key=lambda t: (t.split()[0], int(t.split("=")[1])))}
    rows = []
    start = time.perf_counter()
    for n in run_order:
        for seed in args.seeds:
            for recipe in ("scratch", "pretrained"):
                row = reused.get((recipe, n, seed))
                rows.append(dict(row) if row is not None else run(recipe, n, seed))
                print(f"  n={n:5d} seed={seed} {recipe:10s} test {rows[-1]['test']:.3f} "
                      f"unseen {rows[-1]['unseen']:.3f} ({rows[-1]['epochs']} epochs, "
                      + ("reused)" if row is not None else f"{time.perf_counter() - start:.0f}s)"), flush=True)

    rows.sort(key=lambda r: (r["n"], r["seed"], r["recipe"] != "scratch"))

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
    report = json.dumps({"meta": meta, "rows": rows, "table": table}, indent=2) + "\n"
    targets = [out / "data_efficiency.json"]
    if default_run and args.measured:
        targets.append(MEASURED)
    for path in targets:
        tmp = path.with_name(f".{path.name}.partial")
        tmp.write_text(report, encoding="utf-8")
        os.replace(tmp, path)  # write-then-rename: a run cut short leaves the old file whole
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
    ax.set_title(f"Pretraining vs from scratch ({args.data_dir or 'bundled reviews'})")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "data_efficiency.png", dpi=100)
    print(f"wrote {', '.join(str(p) for p in targets)} and {out / 'data_efficiency.png'}")
    return 0


# The settings only a run from a pretrained model reads (fit_text_classifier: layers, freezing, rates, stage 2).
PRETRAINED_ONLY = ("pretrained_layers", "freeze_embedding", "freeze_epochs", "group_lr_factor", "lm_epochs",
                   "lm_learning_rate")


def reusable_rows(path, meta, budgets, seeds, run) -> dict:
    """The rows of the earlier run ``path`` whose code path is unchanged, by (recipe, n, seed).

    Stops (``SystemExit``, exit status 2) when ``path`` was measured on other data, another
    pretrained model or stage 2, lacks a row asked for, differs in a setting the scratch path
    reads, or when re-training its first scratch row does not reproduce it exactly.
    """
    def stop(message):
        print(f"data_efficiency.py: --reuse {path}: {message}", file=sys.stderr)
        raise SystemExit(2)

    old = json.loads(Path(path).read_text(encoding="utf-8"))
    for key in ("data", "pretrained", "lm_epochs"):
        if old["meta"].get(key) != meta[key]:
            stop(f"measured with {key}={old['meta'].get(key)!r}, this run has "
                             f"{meta[key]!r}")
    then, now = old["meta"]["config"], meta["config"]
    changed = sorted(k for k in set(then) | set(now) if then.get(k) != now.get(k) and k not in PRETRAINED_ONLY)
    if changed:
        stop(f"setting(s) {', '.join(changed)} changed since; nothing can be reused")
    same_pretrained = all(then.get(k) == now.get(k) for k in PRETRAINED_ONLY if k != "freeze_epochs")
    by_key = {(r["recipe"], r["n"], r["seed"]): r for r in old["rows"]}
    reused = {}
    for n in budgets:
        unfreezing_same = same_pretrained and then.get("freeze_epochs") == PRETRAINED.freeze_epochs_for(n)
        for seed in seeds:
            for recipe in ("scratch", "pretrained"):
                if recipe == "pretrained" and not unfreezing_same:
                    continue
                if (recipe, n, seed) not in by_key:
                    stop(f"no {recipe} row for n={n}, seed={seed}")
                reused[recipe, n, seed] = by_key[recipe, n, seed]
    if reused:
        probe = min((k for k in reused if k[0] == "scratch"), key=lambda k: (k[1], k[2]), default=None)
        if probe is not None:
            again = run(*probe)
            if any(again[k] != reused[probe][k] for k in ("test", "unseen", "epochs")):
                stop(f"re-training {probe} gave {again}, the file has {reused[probe]}: "
                                 "the code path changed, nothing can be reused")
            print(f"--reuse: re-trained {probe[0]} n={probe[1]} seed={probe[2]}: identical to {path}", flush=True)
        kinds = sorted({(r, n) for r, n, _ in reused})
        print(f"--reuse: copying {len(reused)} rows from {path}: "
              + ", ".join(f"{r} n={n}" for r, n in kinds), flush=True)
    return reused


if __name__ == "__main__":
    raise SystemExit(main())
