"""What each data-selection step buys, measured with the code ``sftkit select`` runs.

    python benchmarks/selection.py --data-dir DIR [--seeds 0 1 2] [--out rows.csv]

``DIR`` is a corpus made by ``sftkit data build --out DIR --seed N`` (default: the bundled
one, which is for development only; see benchmarks/README.md for the protocol). Every
selection is ``sftkit.selection.strategies.score(NAME, pool, ...)``, the call behind
``sftkit select --strategy NAME``, with the settings frozen in that module, followed by
``sftkit.selection.select`` with the budget (no ``--balance``). The ``--trusted`` file
is a stratified sample of DIR/reviews/train.csv and the ``--in-domain`` file 2,000 other
texts of it (labels unused); DIR/reviews/val.csv only stops the evaluation models early;
DIR/reviews/test.csv is scored once per trained model and steers nothing.

Prints:

1. detection against DIR/pool/truth.csv (flipped labels, duplicates, off-domain rows,
   junk), sftkit's confident learning beside cleanlab's on the same probabilities;
2. test accuracy of the classifier trained on: the whole pool; each step alone; the
   pipeline with trusted sets of 100, 300 and 1,000 rows and, for each, the two controls
   (the pool plus the trusted rows; the trusted rows alone); a random subset of the
   pipeline's size; the clean rows (the ceiling); and pipeline, diversity and random at
   fixed budgets (accuracy against rows kept). Mean, min and max over ``--seeds``
   (training seeds and random draws; the selection is scored once, with seed 0, as a
   user runs it once).

    python benchmarks/selection.py --from-cache data/selection --budgets 1000 2500 --out data/selection/budget_rerun.csv

retrains only the budget rows of the bundled pool's pipeline, composed from the cached part
scores (``pool_scores.csv``, ``reference_scores.csv``: no selection model is trained) the way
lesson 10 composes it: ``strategies.score("filter", pool)`` live, the noisy step
``predicted_neq_given`` on the last trusted round, the domain cut from the reference
texts, joined by ``combine(..., method="pipeline")`` (what ``strategies.pipeline`` does) and
cut by ``select`` at each budget. Beside it, at the same budgets and seeds: ``random`` (from the
whole pool) and ``random among kept`` (random rows of those the pipeline does not drop: what
the ranking adds over the drops). Rows of ``--out`` with the same strategy and budget are
replaced; the others are kept.
"""
from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import precision_recall_fscore_support, roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent))

from selection_cache import inputs  # noqa: E402

from sftkit.data import LabelledTexts  # noqa: E402
from sftkit.finetune import encode_labels  # noqa: E402
from sftkit.selection import Scores, experiment, noisy, strategies  # noqa: E402

REVIEW_ROWS = ("clean", "flipped", "duplicate")   # rows that have a true sentiment
TRUSTED_SIZES = (100, 300, 1000)
BUDGETS = (1000, 2500, 5000)


def prf(truth, flagged) -> str:
    p, r, f, _ = precision_recall_fscore_support(truth, flagged, average="binary", zero_division=0)
    return f"{p:.3f} / {r:.3f} / {f:.3f}"


def line(name: str, value) -> None:
    print(f"  {name:<64} {value}", flush=True)


def detection(pool, truth, scores) -> None:
    status, detail = truth["status"], truth["detail"]
    review = np.isin(status, REVIEW_ROWS)
    flipped = status == "flipped"
    y = encode_labels(pool.labels, pool.classes)
    print("flipped labels (on the rows with a true sentiment: clean, flipped, duplicate)")
    try:
        from cleanlab.filter import find_label_issues as cleanlab_issues
    except ImportError:
        cleanlab_issues = None
    noisy_steps = {name: s for name, s in scores.items() if s.method == "noisy"}
    noisy_steps.update({f"{name}, its noisy step": s.extra["parts"]["noisy"] for name, s in scores.items()
                        if s.method == "pipeline"})
    for name, s in noisy_steps.items():
        P = s.extra["pred_probs"]
        sc = noisy.self_confidence(P, y)
        line(f"{name}: AUROC of low self-confidence", f"{roc_auc_score(flipped[review], -sc[review]):.3f}")
        for d in ("random", "systematic"):
            m = review & (~flipped | (detail == d))
            line(f"  only {d} flips against the rest", f"{roc_auc_score(flipped[m], -sc[m]):.3f}")
        line(f"{name}: dropped rows, P / R / F1", f"{prf(flipped[review], s.drop[review])} ({s.drop.sum()} dropped)")
        for rule in noisy.FILTER_BY:
            issues = noisy.find_label_issues(y, P, filter_by=rule)
            line(f"  sftkit filter_by={rule}", f"{prf(flipped[review], issues[review])} ({issues.sum()})")
            if cleanlab_issues is not None:
                theirs = cleanlab_issues(y, P, filter_by=rule)
                line(f"  cleanlab filter_by={rule}", f"{prf(flipped[review], theirs[review])} ({theirs.sum()})")
        if cleanlab_issues is None:
            line("  cleanlab", "not installed (pip install -e '.[bench]')")
    dd = scores.get("dedup") or strategies.score("dedup", pool)   # cheap: no model
    root = dd.extra["group"]
    index = {i: n for n, i in enumerate(pool.ids)}
    pairs = {(n, index[d]) for n, d in enumerate(truth["duplicate_of"]) if status[n] == "duplicate" and d in index}
    print("duplicates")
    if pairs:
        found = sum(root[a] == root[b] for a, b in pairs)
        line("pair recall: true (copy, original) pairs put in one group", f"{found / len(pairs):.3f} ({found}/{len(pairs)})")
    removed = np.flatnonzero(dd.drop & review)
    right = sum((i, root[i]) in pairs or (root[i], i) in pairs for i in removed)
    line("pair precision: removed rows whose kept row is their true pair", f"{right / max(len(removed), 1):.3f}")
    if "domain" in scores:
        dom = scores["domain"]
        off = status == "off_domain"
        d = dom.extra["difference"]
        m = (review | off) & ~np.isnan(d)
        print("off-domain rows")
        line("AUROC of H_in - H_general", f"{roc_auc_score(off[m], d[m]):.3f}")
        line(f"dropped at the cut ({dom.extra['cut']:+.3f}): P / R / F1",
             f"{prf(off[review | off], dom.drop[review | off])}, {(dom.drop & review).sum()} review rows dropped")
    q = scores.get("quality") or strategies.score("quality", pool)
    print("junk")
    line("quality filter: P / R / F1", prf(status == "junk", q.drop))


def _plus(pool, trusted):
    """The pool with the trusted rows added (a control: the trusted set as training data)."""
    return LabelledTexts.from_lists(pool.texts + trusted.texts, pool.labels + trusted.labels)


CACHED_STRATEGIES = ("pipeline", "random among kept", "random")


def random_among_kept(drop: np.ndarray, seed: int) -> Scores:
    """A control: random scores on the rows a selection keeps (``drop`` false), so that cutting it
    to a budget takes a random subset of them. Beside the selection's own ranking at the same
    budget it shows what the ranking adds over the drops."""
    return Scores("random among kept", np.random.default_rng(seed).random(len(drop)), [""] * len(drop), drop=drop)


def cached_pipeline(pool, folder) -> Scores:
    """The bundled pool's pipeline from cached part scores (see the module docstring)."""
    from sftkit.selection import combine, domain

    c = experiment.read_columns(Path(folder) / "pool_scores.csv")
    ref = experiment.read_columns(Path(folder) / "reference_scores.csv")
    if list(c["id"]) != pool.ids:
        raise SystemExit(f"error: {folder}/pool_scores.csv does not list the pool's rows in order")
    last = max(int(k[7:].split("_")[0]) for k in c if k.startswith("trusted"))
    parts = dict(strategies.score("filter", pool).extra["parts"])
    parts["noisy"] = noisy.noisy_label_scores(pool.labels, experiment.stack_proba(c, f"trusted{last}", pool.classes),
                                              filter_by="predicted_neq_given")
    cut = domain.threshold_from(ref["ce_in_domain"] - ref["ce_general"], strategies.DOMAIN_QUANTILE)
    parts["domain"] = domain.domain_scores(c["ce_in_domain"] - c["ce_general"], threshold=cut)
    s = combine(*parts.values(), method="pipeline")
    s.extra["parts"] = parts
    return s


def from_cache(args) -> int:
    """``--from-cache``: retrain the pipeline's budget rows (and their random controls) only."""
    start = time.perf_counter()
    pool, _, _, _, reviews = inputs(args.data_dir)
    pipe = cached_pipeline(pool, args.from_cache)
    n = len(pool)
    print(f"pipeline from {args.from_cache}: keeps {int((~pipe.drop).sum())} of {n} rows", flush=True)
    config = None
    if args.train_epochs is not None:
        from sftkit.config import TrainConfig

        config = TrainConfig(epochs=args.train_epochs)
    made = {"pipeline": pipe,
            "random among kept": lambda seed: random_among_kept(pipe.drop, seed),
            "random": lambda seed: strategies.score("random", pool, seed=seed)}
    redo = {(name, str(b)) for name in args.only for b in args.budgets}
    old = [r for r in experiment.read_rows(args.out) if (r["strategy"], str(r["budget"])) not in redo] \
        if args.out and Path(args.out).exists() else []
    rows: list[dict] = []

    def report(r):
        rows.append(r)
        if args.out:
            experiment.write_rows(args.out, old + rows)
        print(f"    {r['strategy']:<24} {r['budget']:>6} seed {r['seed']} n={r['n_train']:>5} "
              f"accuracy {r['accuracy']:.3f} ({time.perf_counter() - start:.0f}s)", flush=True)

    for seed in args.seeds:            # seed outermost: a run cut short has whole seeds
        for budget in args.budgets:
            for name in args.only:
                experiment.run_experiment(pool, {name: made[name]}, reviews["test"], reviews["val"],
                                          budgets=[budget], seeds=[seed], config=config, balance=False,
                                          progress=report)
    for r in experiment.summarise(rows):
        print(f"  {r['strategy']:<24} {r['budget']:>6}  {r['mean']:.3f} ({r['min']:.3f} to {r['max']:.3f})")
    print(f"total {time.perf_counter() - start:.0f}s")
    return 0


SECTIONS = ("whole", "top", "trusted", "steps", "noisy", "ceiling", "budgets")
SECTION_HELP = {
    "whole": "the whole pool",
    "top": "the pipeline with the largest trusted set, a random subset of its size, both controls",
    "trusted": "the pipeline with the smaller trusted sets and their controls (the trusted-size curve)",
    "steps": "the steps that train no classifier, each alone: dedup, quality, filter, domain",
    "noisy": "the noisy step alone (pool alone; with the largest trusted set) and the pipeline without a "
             "trusted set",
    "ceiling": "the clean rows (ground truth)",
    "budgets": "pipeline, diversity, random and random among the pipeline's kept rows at the fixed budgets",
}


class Work:
    """``--work DIR``: every finished model's row and every selection's scores are saved in DIR as
    they are made, and skipped when the same command runs again. Two processes may share DIR if
    they run different ``--sections`` (each writes its own ``rows-SECTION.csv``)."""

    def __init__(self, folder):
        self.folder = Path(folder) if folder else None
        if self.folder:
            (self.folder / "scores").mkdir(parents=True, exist_ok=True)

    def rows(self, section=None) -> list[dict]:
        if not self.folder:
            return []
        files = [self.folder / f"rows-{section}.csv"] if section else sorted(self.folder.glob("rows-*.csv"))
        return [r for f in files if f.exists() for r in experiment.read_rows(f)]

    def write(self, section, rows) -> None:
        if self.folder:
            experiment.write_rows(self.folder / f"rows-{section}.csv", rows)

    def _path(self, name):
        return self.folder / "scores" / (name.replace(" ", "_").replace(",", "") + ".pkl")

    def load(self, name):
        if self.folder and self._path(name).exists():
            with open(self._path(name), "rb") as f:
                return pickle.load(f)
        return None

    def save(self, name, s) -> None:
        if self.folder:
            tmp = self._path(name).with_suffix(".tmp")
            with open(tmp, "wb") as f:
                pickle.dump(s, f)
            tmp.replace(self._path(name))

    def all_scores(self) -> dict:
        if not self.folder:
            return {}
        out = {}
        for p in sorted((self.folder / "scores").glob("*.pkl")):
            with open(p, "rb") as f:
                s = pickle.load(f)
            out[s.extra.get("benchmark_name", p.stem)] = s
        return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", default=None, help="corpus from `sftkit data build` (default: the bundled one)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="training seeds (default: 0 1 2)")
    ap.add_argument("--trusted-sizes", type=int, nargs="+", default=list(TRUSTED_SIZES))
    ap.add_argument("--budgets", type=int, nargs="+", default=list(BUDGETS), help="fixed numbers of rows kept")
    ap.add_argument("--out", default=None, help="also write the strategy x budget x seed rows to this CSV")
    ap.add_argument("--skip-training", action="store_true", help="selection and detection figures only")
    ap.add_argument("--work", metavar="DIR", default=None,
                    help="save each finished model's row and each selection's scores in DIR and skip them "
                         "when run again (a long run can stop and resume)")
    ap.add_argument("--sections", nargs="+", choices=SECTIONS, default=list(SECTIONS),
                    help="which parts to run, in this order (default: all): "
                         + "; ".join(f"{k}: {v}" for k, v in SECTION_HELP.items())
                         + ". With --work, the tables cover every section saved in DIR.")
    ap.add_argument("--threads", type=int, default=None,
                    help="TensorFlow intra- and inter-op threads (e.g. 1 for two processes on two cores)")
    ap.add_argument("--report", action="store_true",
                    help="with --work: train and score nothing, print the tables of what DIR holds (a partial run "
                         "says which sections it lacks)")
    small = ap.add_argument_group("a small setting to test this script (not for figures)")
    small.add_argument("--limit", type=int, default=None, help="use this many pool rows (seeded draw)")
    small.add_argument("--folds", type=int, default=strategies.FOLDS)
    small.add_argument("--epochs", type=int, default=strategies.EPOCHS, help="epochs of the selection models")
    small.add_argument("--train-epochs", type=int, default=None, help="epochs of the evaluation models")
    small.add_argument("--in-domain-size", type=int, default=None, help="use this many in-domain texts")
    cached = ap.add_argument_group("retrain the bundled pool's pipeline budget rows from cached scores")
    cached.add_argument("--from-cache", metavar="DIR", default=None,
                        help="folder with pool_scores.csv and reference_scores.csv (data/selection)")
    cached.add_argument("--only", nargs="+", choices=CACHED_STRATEGIES, default=list(CACHED_STRATEGIES),
                        help="which budget rows to retrain (default: all three)")
    args = ap.parse_args(argv)
    if args.threads:
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    if args.from_cache:
        return from_cache(args)
    if args.report:
        if not args.work:
            ap.error("--report needs --work DIR (the folder of a run)")
        missing = [name for name in SECTIONS if not (Path(args.work) / f"rows-{name}.csv").exists()]
        args.sections = []
        print(f"report of {args.work}" + (f"; partial: no rows yet for sections {', '.join(missing)}" if missing else ""))
    start = time.perf_counter()
    pool, truth, trusted, in_domain, reviews = inputs(args.data_dir, args.trusted_sizes, args.limit)
    if args.in_domain_size:
        in_domain = in_domain.take(range(args.in_domain_size))
    where = args.data_dir or "the bundled corpus (development only)"
    print(f"corpus: {where}; pool {len(pool)} rows; trusted sets {sorted(trusted)}; "
          f"{len(in_domain)} in-domain texts", flush=True)
    largest = max(trusted)
    work = Work(args.work)

    def progress(msg):
        print(f"    {msg} ({time.perf_counter() - start:.0f}s)", flush=True)

    model = dict(folds=args.folds, epochs=args.epochs, seed=0, progress=progress)
    test, val = reviews["test"], reviews["val"]
    config = None
    if args.train_epochs is not None:
        from sftkit.config import TrainConfig

        config = TrainConfig(epochs=args.train_epochs)
    n = len(pool)
    rows: list[dict] = []
    scores: dict[str, Scores] = {}
    section = [""]
    section_rows: list[dict] = []
    done = {(r["strategy"], str(r["budget"]), int(r["seed"])) for r in work.rows()}

    def report(r):
        rows.append(r)
        section_rows.append(r)
        work.write(section[0], section_rows)
        if args.out:  # rewritten after every model, so a run cut short keeps what it measured
            experiment.write_rows(args.out, rows)
        print(f"    {r['strategy']:<40} {str(r['budget']):>6} seed {r['seed']} n={r['n_train']:>5} "
              f"accuracy {r['accuracy']:.3f} ({time.perf_counter() - start:.0f}s)", flush=True)

    def evaluate(strats, budgets=(None,)):
        for name, strategy in ({} if args.skip_training else strats).items():
            for budget in budgets:
                for seed in args.seeds:
                    if (name, "all" if budget is None else str(budget), seed) in done:
                        continue
                    try:
                        experiment.run_experiment(pool, {name: strategy}, test, val, budgets=[budget], seeds=[seed],
                                                  config=config, balance=False, progress=report)
                    except ValueError as e:  # e.g. a selection that kept a single class
                        print(f"    {name}: not trained: {e}", flush=True)

    def train_on(name, data):
        for seed in [] if args.skip_training else args.seeds:
            if (name, "all", seed) in done:
                continue
            acc = experiment.accuracy_after_training(data, test, val, seed=seed, config=config)
            report({"strategy": name, "budget": "all", "seed": seed, "n_train": len(data), "accuracy": round(acc, 4)})

    def scored(name, strategy, **settings):
        s = work.load(name)
        if s is None:
            print(f"scoring: {name}", flush=True)
            s = strategies.score(strategy, pool, **settings)
            s.extra["benchmark_name"] = name
            work.save(name, s)
        scores[name] = s
        kept = int((~s.drop).sum())
        print(f"    {name}: keeps {kept} of {n} rows ({time.perf_counter() - start:.0f}s)", flush=True)
        return s

    def random_subset(seed):
        return strategies.score("random", pool, seed=seed)

    top = f"pipeline, trusted {largest}"

    def pipeline_top():
        return scored(top, "pipeline", trusted=trusted[largest], in_domain=in_domain, **model)

    def run_whole():
        evaluate({"whole pool": Scores("all", np.ones(n), [""] * n)})

    def run_top():
        size = int((~pipeline_top().drop).sum())
        evaluate({top: scores[top]})
        evaluate({"random": random_subset}, budgets=[size])
        train_on(f"control: pool + trusted {largest}", _plus(pool, trusted[largest]))
        train_on(f"control: trusted {largest} alone", trusted[largest])

    def run_trusted():
        for k in sorted(trusted)[:-1]:
            evaluate({f"pipeline, trusted {k}": scored(f"pipeline, trusted {k}", "pipeline", trusted=trusted[k],
                                                       in_domain=in_domain, **model)})
            train_on(f"control: pool + trusted {k}", _plus(pool, trusted[k]))
            train_on(f"control: trusted {k} alone", trusted[k])

    def run_steps():
        for name in ("dedup", "quality", "filter"):
            evaluate({name: scored(name, name)})
        evaluate({"domain": scored("domain", "domain", in_domain=in_domain, seed=0)})

    def run_noisy():
        evaluate({"noisy, pool alone": scored("noisy, pool alone", "noisy", **model)})
        name = "pipeline, no trusted set"
        evaluate({name: scored(name, "pipeline", in_domain=in_domain, **model)})
        name = f"noisy, trusted {largest}"
        evaluate({name: scored(name, "noisy", trusted=trusted[largest], **model)})

    def run_ceiling():
        evaluate({"clean rows (ceiling)": Scores("clean rows", np.ones(n), [""] * n, drop=truth["status"] != "clean")})

    def run_budgets():
        pipeline_top()
        scored("diversity", "diversity", epochs=args.epochs, seed=0)
        budgets = [b for b in args.budgets if b < n]
        evaluate({top: scores[top], "diversity": scores["diversity"], "random": random_subset,
                  "random among kept": lambda seed: random_among_kept(scores[top].drop, seed)}, budgets=budgets)

    # most important first, so that a run cut short still answers the main question
    print("\n== test accuracy of the classifier trained on each selection (rows as printed) ==", flush=True)
    runs = {"whole": run_whole, "top": run_top, "trusted": run_trusted, "steps": run_steps, "noisy": run_noisy,
            "ceiling": run_ceiling, "budgets": run_budgets}
    for name in args.sections:
        section[0], section_rows[:] = name, work.rows(name)
        runs[name]()

    if args.work:  # the tables cover every section saved so far, by any process
        rows = work.rows()
        scores = {**work.all_scores(), **scores}
    print("\n== detection against pool/truth.csv ==")
    detection(pool, truth, scores)
    if args.skip_training:
        print(f"total {time.perf_counter() - start:.0f}s")
        return 0

    table = experiment.summarise(rows)
    print(f"\n  {'selection':<40} {'budget':>6} {'rows':>6}  {'mean':>6} {'min':>6} {'max':>6} {'seeds':>5}")
    for r in table:
        print(f"  {r['strategy']:<40} {r['budget']:>6} {r['n_train']:>6}  {r['mean']:.3f} {r['min']:.3f} {r['max']:.3f}"
              f" {r['seeds']:>5}")
    print("\n  accuracy against rows kept (fixed budgets)")
    for r in sorted((r for r in table if r["budget"] != "all"), key=lambda r: (int(r["budget"]), r["strategy"])):
        print(f"  {int(r['budget']):>6}  {r['strategy']:<40} {r['mean']:.3f}")
    means = {(r["strategy"], r["budget"]): r["mean"] for r in table}

    def mean(key):
        return means.get(key, float("nan"))

    size = int((~scores[top].drop).sum()) if top in scores else None
    best, whole = mean((top, "all")), mean(("whole pool", "all"))
    rand, ceiling = mean(("random", str(size))), mean(("clean rows (ceiling)", "all"))
    print("acceptance")
    line("pipeline - whole pool (points)", f"{100 * (best - whole):+.1f}")
    line(f"pipeline - random subset of the same size ({size}) (points)", f"{100 * (best - rand):+.1f}")
    for k in sorted(trusted):
        p = mean((f"pipeline, trusted {k}", "all"))
        line(f"trusted {k}: pipeline - (pool + trusted) / - (trusted alone)",
             f"{100 * (p - mean((f'control: pool + trusted {k}', 'all'))):+.1f} / "
             f"{100 * (p - mean((f'control: trusted {k} alone', 'all'))):+.1f}")
    if ceiling > whole:
        line("share of the gap whole pool -> clean rows the pipeline recovers", f"{(best - whole) / (ceiling - whole):.2f}")
    if args.out:
        experiment.write_rows(args.out, rows)
        print(f"wrote {args.out}")
    print(f"total {time.perf_counter() - start:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
