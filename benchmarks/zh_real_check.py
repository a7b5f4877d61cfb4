"""Why does `sftkit train` lose to TF-IDF on a labelled file? Validation only, one setting at a time.

For the real-data item of issue 14: splits any labelled file exactly as
``benchmarks/baseline.py FILE`` does (``sftkit.data.stratified_split``; the defaults here
are that README command's 70/10/20) and **never looks at the test split**. For each run
it prints one line: the settings changed from ``TrainConfig()``, the tokenizer, the
sequence length used and the share of training texts it cuts, the vocabulary size and
the share of validation tokens outside it (OOV), the epochs run and the best epoch, the
validation accuracy (the most probable class, as ``baseline.py`` reports it) and the
per-epoch validation loss and accuracy, so an early stop and its cause are visible.

Run:
    python benchmarks/zh_real_check.py FILE --set pooling=mean_max --set tokenizer=chars
    python benchmarks/zh_real_check.py --bundled zh_reviews --set pooling=mean_max
    python benchmarks/zh_real_check.py FILE --stats-only        # token statistics, no training
Options: --split-seed (the split of FILE), --val-fraction/--test-fraction (0.1/0.2),
--baseline (also fit the TF-IDF baseline and print its validation accuracy),
--log PATH (append each line there too), --pretrained FOLDER (start from a language model
written by ``sftkit pretrain``: the library's fine-tuning path, as ``sftkit train --pretrained``),
--write-train-texts PATH (write the training split's texts, one per line, as an unlabelled
corpus for ``sftkit pretrain``, and stop: never validation or test texts).
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np


def parse_setting(text: str):
    """``"pooling=mean_max"`` -> ``("pooling", "mean_max")``, the value typed by the TrainConfig field."""
    from sftkit.config import TrainConfig

    if "=" not in text:
        raise argparse.ArgumentTypeError(f"--set takes NAME=VALUE, got {text!r}")
    name, value = text.split("=", 1)
    fields = {f.name: f for f in dataclasses.fields(TrainConfig)}
    if name not in fields:
        raise argparse.ArgumentTypeError(f"unknown TrainConfig setting {name!r}")
    from sftkit.config import Interval

    default = fields[name].default
    constraint = fields[name].metadata.get("constraint")
    if isinstance(default, bool):
        return name, value.lower() in ("1", "true", "yes", "on")
    if isinstance(constraint, Interval):  # typed by the constraint: a default of None (epochs, freeze_epochs) too
        if constraint.allow_none and value.lower() == "none":
            return name, None
        return name, int(value) if constraint.kind is int else float(value)
    return name, value


def token_stats(train, val, tokenizer: str, max_tokens: int, vocabulary=None) -> dict:
    """Vocabulary size, validation OOV share, token-length quantiles of the training texts.

    ``vocabulary`` (a pretrained model's) replaces the one learned from the training texts."""
    from sftkit.text import tokenize

    tr = tokenize(train.texts, tokenizer)
    va = tokenize(val.texts, tokenizer)
    counts = Counter(t for toks in tr for t in toks)
    vocab = ({w for w, _ in counts.most_common(max_tokens - 2)} if vocabulary is None
             else set(vocabulary[2:]))
    val_tokens = [t for toks in va for t in toks]
    lengths = np.array([len(t) for t in tr])
    return {"types": len(counts), "kept": len(vocab),
            "oov": float(np.mean([t not in vocab for t in val_tokens])) if val_tokens else 0.0,
            "p50": int(np.median(lengths)), "p95": int(np.quantile(lengths, 0.95)), "max": int(lengths.max())}


def load(args):
    from sftkit.data import data_dir, load_labelled, stratified_split

    if args.bundled:
        folder = data_dir() / args.bundled
        return load_labelled(folder / "train.csv"), load_labelled(folder / "val.csv")
    data = load_labelled(args.file)
    train, val, _test = stratified_split(data, args.val_fraction, args.test_fraction, seed=args.split_seed)
    return train, val  # the test split is not used here


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("file", nargs="?")
    p.add_argument("--bundled")
    p.add_argument("--split-seed", type=int, default=0)
    p.add_argument("--val-fraction", type=float, default=0.1)
    p.add_argument("--test-fraction", type=float, default=0.2)
    p.add_argument("--set", dest="settings", action="append", default=[], type=parse_setting, metavar="NAME=VALUE")
    p.add_argument("--stats-only", action="store_true")
    p.add_argument("--baseline", action="store_true")
    p.add_argument("--log")
    p.add_argument("--pretrained", help="a language model folder (sftkit pretrain --out)")
    p.add_argument("--write-train-texts", metavar="PATH",
                   help="write the training split's texts (one per line) for sftkit pretrain, then stop")
    args = p.parse_args(argv)
    if bool(args.file) == bool(args.bundled):
        p.error("give one labelled FILE or --bundled NAME")

    from sftkit.config import TrainConfig
    from sftkit.finetune import fit_text_classifier, resolve_sequence_length
    from sftkit.text import resolve_tokenizer

    train, val = load(args)
    name = args.bundled or Path(args.file).name

    def say(line: str) -> None:
        print(line, flush=True)
        if args.log:
            with open(args.log, "a", encoding="utf-8") as f:
                f.write(line + "\n")

    if args.write_train_texts:
        lines = [" ".join(str(t).split()) for t in train.texts]
        Path(args.write_train_texts).write_text("\n".join(t for t in lines if t) + "\n", encoding="utf-8")
        say(f"{name} split {args.split_seed}: wrote the {len(lines)} training texts to {args.write_train_texts}")
        return 0
    if args.stats_only:
        for tok in ("jieba", "chars", "chars+bigrams"):
            s = token_stats(train, val, tok, TrainConfig().max_tokens)
            say(f"{name} split {args.split_seed} {tok}: {s['types']} token types, {s['kept']} kept, "
                f"val OOV {s['oov']:.3f}; train tokens per text median {s['p50']}, p95 {s['p95']}, max {s['max']}")
        return 0
    if args.baseline:
        from sftkit.baseline import fit_baseline

        b = fit_baseline(train, val)
        say(f"{name} split {args.split_seed} baseline TF-IDF {b.analyzer} C={b.C:g}: val accuracy {b.val.accuracy:.3f}")
    changes = dict(args.settings)
    pretrained = None
    if args.pretrained:
        from sftkit.pretrain import PretrainedLM

        pretrained = PretrainedLM.load(args.pretrained)
    cfg = resolve_sequence_length(TrainConfig().replace(**changes), train.texts, pretrained)
    tokenizer = (resolve_tokenizer("auto", vocabulary=pretrained.vocabulary) if pretrained is not None
                 else resolve_tokenizer(cfg.tokenizer, train.texts))
    s = token_stats(train, val, tokenizer, cfg.max_tokens,
                    pretrained.vocabulary if pretrained is not None else None)
    t0 = time.perf_counter()
    clf = fit_text_classifier(train.texts, train.labels, val.texts, val.labels, config=cfg,
                              pretrained=pretrained, verbose=0)
    seconds = time.perf_counter() - t0
    pred = np.asarray(clf.predict_proba(val.texts)).argmax(axis=1)
    acc = float(np.mean([clf.classes[i] == y for i, y in zip(pred, val.labels)]))
    h = clf.history
    best = int(np.argmin(h["val_loss"])) + 1
    label = " ".join([f"{k}={v}" for k, v in changes.items()]
                     + ([f"pretrained={Path(args.pretrained).name}"] if args.pretrained else [])) or "defaults"
    say(f"{name} split {args.split_seed} [{label}] tokenizer {tokenizer}, pooling {cfg.pooling}, length {cfg.sequence_length} "
        f"(p95 {s['p95']}), vocab {s['kept']}/{s['types']}, val OOV {s['oov']:.3f}: "
        f"{len(h['loss'])} epochs, best val loss at {best}; VAL ACCURACY {acc:.3f}  ({seconds:.0f} s)\n"
        f"    val_loss {' '.join(f'{v:.3f}' for v in h['val_loss'])}\n"
        f"    val_acc  {' '.join(f'{v:.3f}' for v in h['val_accuracy'])}\n"
        f"    train_acc {' '.join(f'{v:.3f}' for v in h['accuracy'])}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
