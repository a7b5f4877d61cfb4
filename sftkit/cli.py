"""The ``sftkit`` command: the fine-tuning workflow on the bundled data or on your own file.

Every subcommand has ``--help``. Problems with input files end with a one-line message
naming the file and line, and exit code 2.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_USAGE = 2
MODEL_HELP = "a run folder written by `sftkit train` or `demo` (its --out), or the run's model/ folder"


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""


def _add_train_options(p: argparse.ArgumentParser, default_out: str, default_pretrained: str) -> None:
    from sftkit.config import TrainConfig, add_config_arguments

    p.add_argument("--out", default=default_out, help=f"folder for the run (default: {default_out})")
    p.add_argument("--pretrained", "--init", dest="pretrained", default=default_pretrained,
                   help="step 1, the pretrained model (预训练模型): a language model folder written by "
                        "`sftkit pretrain`, 'shipped' for the one bundled with sftkit, or 'none' to train from "
                        f"scratch (default: {default_pretrained}; --init is an older name)")
    p.add_argument("--verbose", type=int, choices=[0, 1, 2], default=None,
                   help="training progress: 0 none, 1 a progress bar, 2 one line per epoch "
                        "(default: 1 in a terminal, else 2)")
    add_config_arguments(p, TrainConfig)


def _config(args):
    from sftkit.config import TrainConfig, config_from_args

    return config_from_args(TrainConfig, args)


def _pretrained(args):
    """The pretrained model named by --pretrained, or None."""
    from sftkit.pretrain import PretrainedLM, shipped_lm_dir

    if args.pretrained in ("none", ""):
        return None
    folder = shipped_lm_dir() if args.pretrained == "shipped" else Path(args.pretrained)
    return PretrainedLM.load(folder)


def _check_bidirectional(cfg, args, n_train: int | None = None) -> None:
    """Refuse --bidirectional with a pretrained LSTM before any model work.

    With ``--pretrained-layers auto`` the LSTM comes from the model below
    ``LSTM_TRANSFER_BELOW`` training examples, so that case is decided once ``n_train`` is known.
    """
    from sftkit.config import LSTM_TRANSFER_BELOW

    if not cfg.bidirectional or args.pretrained in ("none", ""):
        return
    if cfg.pretrained_layers == "embedding":
        return
    if cfg.pretrained_layers == "auto" and (n_train is None or "lstm" not in cfg.layers_from_pretrained(n_train)):
        return
    why = ("" if cfg.pretrained_layers != "auto" else
           f" (--pretrained-layers auto takes it below {LSTM_TRANSFER_BELOW} training examples; here {n_train})")
    raise CliError("--bidirectional cannot start from the pretrained (left-to-right) LSTM" + why
                   + "; add --pretrained-layers embedding, or drop --bidirectional")


_WITH_PRETRAINED = ("pretrained_layers", "freeze_embedding", "freeze_epochs", "group_lr_factor", "lm_epochs",
                    "lm_learning_rate")


def _unused_option_notes(cfg, args) -> list:
    """One note per option given a value that cannot act in this run (it needs another option)."""
    from sftkit.config import TrainConfig

    default, notes = TrainConfig(), []

    def changed(name):
        return getattr(cfg, name) != getattr(default, name)

    def flag(name):
        return "--" + name.replace("_", "-")

    if args.pretrained in ("none", ""):
        notes += [f"{flag(n)} has no effect without --pretrained" for n in _WITH_PRETRAINED if changed(n)]
    elif changed("lm_learning_rate") and cfg.lm_epochs == 0:
        notes.append("--lm-learning-rate has no effect without --lm-epochs")
    if changed("augment_copies") and cfg.augment == "none":
        notes.append("--augment-copies has no effect without --augment")
    return notes


def _replacing_note(out) -> str | None:
    from sftkit.runs import is_sftkit_folder

    out = Path(out)
    if out.is_dir() and is_sftkit_folder(out) and any(p.name != ".sftkit-run" for p in out.iterdir()):
        return f"note: {out} holds an earlier run; it is replaced when this one finishes (kept if this one fails)"
    return None


def _say_notes(cfg, args) -> None:
    for note in _unused_option_notes(cfg, args):
        print(f"note: {note}")
    note = _replacing_note(args.out)
    if note:
        print(note)


def cmd_demo(args) -> int:
    from sftkit.data import load_bundled
    from sftkit.workflow import run_workflow

    cfg = _config(args)
    _check_bidirectional(cfg, args)
    splits = load_bundled("reviews")
    _check_bidirectional(cfg, args, len(splits["train"]))
    _say_notes(cfg, args)
    print("sftkit demo: fine-tuning the seed's classifier on the bundled product reviews")
    run_workflow(splits["train"], splits["val"], splits["test"], config=cfg, pretrained=_pretrained(args),
                 out=args.out, dataset_name="bundled reviews", verbose=args.verbose)
    return 0


def _check_columns(args) -> None:
    if args.text_col.strip() == args.label_col.strip():
        raise CliError(f"--text-col and --label-col both name column '{args.text_col}'; the texts and the labels "
                       "must be two columns")


def cmd_train(args) -> int:
    from sftkit.data import load_labelled, split_off
    from sftkit.workflow import run_workflow

    def load(path):
        return load_labelled(path, text_col=args.text_col, label_col=args.label_col)

    _check_columns(args)
    cfg = _config(args)
    _check_bidirectional(cfg, args)
    _check_split_files(args.data, args.val, args.test)
    from sftkit.runs import check_output_folder

    check_output_folder(args.out, inputs=[p for p in (args.data, args.val, args.test) if p])
    data = load(args.data)
    val = load(args.val) if args.val else None
    test = load(args.test) if args.test else None
    train, val, test, note = split_off(data, val, test, seed=cfg.seed)
    _check_bidirectional(cfg, args, len(train))
    if note:
        print(note)
    _say_notes(cfg, args)
    run_workflow(train, val, test, config=cfg, pretrained=_pretrained(args), out=args.out,
                 dataset_name=str(args.data), inputs=[p for p in (args.data, args.val, args.test) if p],
                 verbose=args.verbose)
    return 0


def _check_split_files(data, val, test) -> None:
    """Refuse the same file in two roles (--data, --val, --test), before anything is loaded or trained."""
    import os

    roles = [("--data", data), ("--val", val), ("--test", test)]
    given = [(flag, Path(p)) for flag, p in roles if p]
    for i, (flag_a, a) in enumerate(given):
        for flag_b, b in given[i + 1:]:
            same = a.resolve() == b.resolve()
            if not same and a.exists() and b.exists():
                same = os.path.samefile(a, b)
            if same:
                why = ("the test set must be examples the model never trained on" if "--data" in (flag_a, flag_b)
                       and "--test" in (flag_a, flag_b) else
                       "validation must be separate from training" if "--data" in (flag_a, flag_b) else
                       "decisions made on validation would be scored on the same examples")
                raise CliError(f"{b}: given as both {flag_a} and {flag_b}; {why}")


def cmd_evaluate(args) -> int:
    from sftkit.data import DataError, load_labelled
    from sftkit.evaluate import evaluate_classifier
    from sftkit.models import TextClassifier

    _check_columns(args)
    if args.val is not None and args.threshold is not None:
        raise CliError("give --val (to choose the threshold there) or --threshold, not both")
    if args.threshold is not None and not 0 <= args.threshold <= 1:
        raise CliError("--threshold must be a probability in [0, 1]")
    if args.worst < 0:
        raise CliError("--worst must not be negative")
    inputs = [p for p in (args.data, args.val) if p]
    if args.json:
        _check_json_target(Path(args.json), inputs)
    if args.plots:
        from sftkit.runs import check_output_folder

        check_output_folder(args.plots, inputs=inputs, flag="--plots")
    data = load_labelled(args.data, text_col=args.text_col, label_col=args.label_col)
    val = load_labelled(args.val, text_col=args.text_col, label_col=args.label_col) if args.val else None
    clf = TextClassifier.load(resolve_model_dir(args.model))
    if (args.threshold is not None or args.val is not None) and len(clf.classes) != 2:
        flag = "--threshold" if args.threshold is not None else "--val"
        raise CliError(f"{flag}: a decision threshold needs a model with exactly two classes; this model has "
                       f"{len(clf.classes)} ({', '.join(clf.classes)}), and predicts the most probable class")
    try:
        rep = evaluate_classifier(clf, data, validation=val, threshold=args.threshold, positive=args.positive,
                                  worst=args.worst)
    except ValueError as e:
        if isinstance(e, DataError):
            raise
        raise CliError(str(e)) from None
    print(f"{args.data}: {len(data)} example{'s' if len(data) != 1 else ''}")
    print(rep.table())
    if args.json:
        import json

        from sftkit import __version__
        from sftkit.runs import json_written_by_sftkit, write_file

        doc = {"written_by": f"sftkit {__version__}", "data": str(args.data), **rep.to_dict()}
        write_file(Path(args.json), json.dumps(doc, indent=2, ensure_ascii=False) + "\n", inputs=inputs,
                   flag="--json", written_by_sftkit=json_written_by_sftkit)
        print(f"wrote {args.json}")
    if args.plots:
        _write_plots(rep, Path(args.plots), inputs)
    return 0


def _check_json_target(path: Path, inputs) -> None:
    """Refuse a --json target sftkit may not write, before any work is done."""
    from sftkit.runs import OutputError, json_written_by_sftkit

    for src in inputs:
        if Path(src).resolve() == path.resolve():
            raise OutputError(f"{path}: is an input of this command; choose another --json")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; --json takes a file name")
    if path.exists() and not json_written_by_sftkit(path):
        raise OutputError(f"{path}: exists and was not written by sftkit; choose another --json or delete it")
    if not path.parent.exists():
        raise OutputError(f"{path.parent}: no such folder; create it or choose another --json")


def _write_plots(rep, folder: Path, inputs) -> None:
    import shutil

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sftkit.plots import glyph_note, quiet_glyph_warnings, report_figures
    from sftkit.runs import finish_run_dir, prepare_run_dir

    tmp = prepare_run_dir(folder, inputs=inputs, flag="--plots")
    try:
        names = []
        note = glyph_note(rep.labels)
        if note:
            print(f"note: {note}")
        with quiet_glyph_warnings():
            for name, fig in report_figures(rep).items():
                fig.savefig(tmp / f"{name}.png", dpi=100)
                plt.close(fig)
                names.append(f"{name}.png")
        finish_run_dir(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    print(f"wrote {', '.join(names)} in {folder.resolve()}")


def resolve_model_dir(path) -> Path:
    """The model folder for ``--model``: a run folder (``RUN_DIR`` holding ``model/``) or the model folder itself.

    Raises :class:`CliError` (one line) when neither ``path`` nor ``path/model`` holds a
    saved sftkit model.
    """
    from sftkit.models import MODEL_FILE

    p = Path(path)
    if p.is_file() and p.name == MODEL_FILE:
        return p.parent
    for folder in (p, p / "model"):
        if (folder / MODEL_FILE).is_file():
            return folder
    if not p.exists():
        raise CliError(f"{p}: not found; give a run folder (--out of `sftkit train`) or its model/ folder")
    from sftkit.pretrain import LM_FILE

    if (p / LM_FILE).is_file():
        raise CliError(f"{p}: a language model from `sftkit pretrain`, not a classifier; fine-tune it on labelled "
                       f"texts with `sftkit train --pretrained {p}`, then give that run folder")
    raise CliError(f"{p}: no {MODEL_FILE} here or in {p / 'model'}; give a run folder (--out of `sftkit train`) "
                   "or its model/ folder")


PREDICT_BATCH = 1024  # rows per batch when predicting a file
NO_KNOWN_WORDS = "no known words"
EMPTY = "empty"   # the note of a row whose text is empty or white space only
_PREDICTIONS_HEADER = "id,text,predicted,p_"  # how a predictions file written by sftkit begins


def _check_new_output(out: Path, inputs) -> None:
    """Refuse an ``--out`` that is an input, a folder, or an existing file sftkit did not write.

    A file counts as written by sftkit when it begins with the predictions header.
    """
    # the rule of sftkit.runs, with "written by sftkit" recognised by the file's first bytes
    for src in inputs:
        if src is not None and str(src) != "-" and Path(src).exists() and out.exists() and out.samefile(src):
            raise CliError(f"{out}: is an input file; choose another --out")
    if out.is_dir():
        raise CliError(f"{out}: is a folder; --out names a file")
    if not out.parent.is_dir():
        raise CliError(f"{out.parent}: no such folder for --out")
    if out.exists():
        with open(out, "rb") as f:
            head = f.read(len(_PREDICTIONS_HEADER))
        if head != _PREDICTIONS_HEADER.encode():
            raise CliError(f"{out}: exists and was not written by sftkit predict; choose another --out or delete it")


def _unknown_only(clf, texts) -> "list[bool]":
    """For each text: True when the model sees no word it knows (every word id is padding or [UNK])."""
    from sftkit.text import vectorize

    ids = vectorize(clf.vectorizer, list(texts))
    return [bool(v) for v in (ids <= 1).all(axis=1)]


def _predict_rows(clf, stream, text_col: str, progress, counts: dict | None = None):
    """Yield one output row per input row: id, text, predicted, p_<class>..., note.

    Every data row gives a row, an empty text too (note ``empty``); ``row-N`` is the N-th
    data row (blank lines are not rows). ``counts["empty"]`` counts the empty texts.
    """
    from sftkit.data import DataError

    counts = {} if counts is None else counts

    def flush(batch):
        texts = [t for _, t in batch]
        proba = clf.predict_proba(texts)
        unknown = _unknown_only(clf, texts)
        for (row_id, text), p, label, unk in zip(batch, proba, clf.decide(proba), unknown):
            note = EMPTY if not text.strip() else NO_KNOWN_WORDS if unk else ""
            counts["empty"] = counts.get("empty", 0) + (note == EMPTY)
            yield [row_id, text, label] + [f"{x:.6f}" for x in p] + [note]

    batch, n = [], 0
    for line, row in stream:
        if text_col not in row:
            raise DataError(stream.name, f"no key '{text_col}'", line, hint="name the text field with --text-col")
        n += 1
        batch.append(((row.get("id") or "").strip() or f"row-{n}", row[text_col]))
        if len(batch) == PREDICT_BATCH:
            yield from flush(batch)
            batch = []
            progress(n, stream.fraction_read())
    if batch:
        yield from flush(batch)
    progress(n, 1.0 if stream.size else None, done=True)


def _progress_bar(enabled: bool):
    def show(n, fraction, done=False):
        if not enabled:
            return
        share = f" ({fraction:.0%})" if fraction is not None else ""
        sys.stderr.write(f"\rpredicted {n:,} rows{share}" + ("\n" if done else ""))
        sys.stderr.flush()

    return show


def _check_threshold(threshold) -> None:
    if threshold is not None and not 0 <= threshold <= 1:
        raise CliError(f"--threshold must be a probability in [0, 1]; got {threshold!r}")


def _load_for_prediction(args, model_dir=None):
    """The saved model with its decision rule, or the rule ``--threshold`` gives instead."""
    from sftkit.models import TextClassifier

    clf = TextClassifier.load(model_dir or resolve_model_dir(args.model))
    if args.threshold is not None:
        try:
            clf.set_threshold(args.threshold, chosen_on="given")
        except ValueError as e:
            raise CliError(f"--threshold: {e}") from None
    return clf


def cmd_predict(args) -> int:
    from sftkit.data import DataError, RowStream, format_row, write_rows
    from sftkit.models import TextClassifier

    texts = list(args.text)
    if args.data is None:
        if args.out:
            raise CliError("--out needs --data (a file to classify); texts given on the command line are printed")
        if not texts:
            raise CliError("give one or more texts to classify, or --data FILE")
        empty = [i for i, t in enumerate(texts, start=1) if not t.strip()]
        if empty:
            raise CliError(f"text {empty[0]} of {len(texts)} is empty; give only texts with words in them")
        _check_threshold(args.threshold)
        clf = _load_for_prediction(args)
        proba = clf.predict_proba(texts)
        for text, row, label, unk in zip(texts, proba, clf.decide(proba), _unknown_only(clf, texts)):
            if clf.threshold is None:
                score = f"{row[clf.classes.index(label)]:.3f}"
            else:  # the rule compares P(positive) with the threshold: show both
                p_pos = row[clf.classes.index(clf.positive)]
                score = f"P({clf.positive})={p_pos:.3f}{'>=' if p_pos >= clf.threshold else '<'}{clf.threshold:.3f}"
            shown = text if len(text) <= 200 else text[:197] + "..."
            print(f"{label}\t{score}\t{shown}" + (f"\t[{NO_KNOWN_WORDS}]" if unk else ""))
        return 0
    if texts:
        raise CliError("give texts or --data, not both")
    _check_threshold(args.threshold)
    out = Path(args.out) if args.out else None
    if out is not None:
        _check_new_output(out, [args.data])
    model_dir = resolve_model_dir(args.model)
    with RowStream(args.data, keep_empty=True) as stream:
        if stream.columns is not None and args.text_col not in stream.columns:
            shown = ", ".join(repr(c) for c in stream.columns)
            raise DataError(stream.name, f"no column '{args.text_col}' (columns: {shown})", 1,
                            hint="name the right one with --text-col")
        clf = _load_for_prediction(args, model_dir)
        header = ["id", "text", "predicted"] + [f"p_{c}" for c in clf.classes] + ["note"]
        counts: dict = {}
        rows = _predict_rows(clf, stream, args.text_col, _progress_bar(sys.stderr.isatty()), counts)
        if out is not None:
            n = write_rows(out, header, rows, fmt="csv")
            print(f"predicted {n} rows; wrote {out}")
        else:
            sys.stdout.write(format_row(header))
            for row in rows:
                sys.stdout.write(format_row(row))
            sys.stdout.flush()
        notes = []
        if counts.get("empty"):
            notes.append(f"{counts['empty']} {'row has' if counts['empty'] == 1 else 'rows have'} an empty text "
                         f"(note '{EMPTY}'; its prediction means nothing)")
        if stream.skipped["blank"]:
            blank = stream.skipped["blank"]
            notes.append(f"{blank} blank line{'s' if blank != 1 else ''} skipped, as pandas does (not rows; "
                         "row-N ids count data rows only)")
        for note in notes:
            print(f"note: {stream.name}: {note}", file=sys.stderr)
    return 0


def cmd_pretrain(args) -> int:
    from sftkit.config import LMConfig, config_from_args
    from sftkit.pretrain import BACKUP_DIR, check_resumable, pretrain, read_corpus

    cfg = config_from_args(LMConfig, args)
    out = Path(args.out)
    from sftkit.runs import check_output_folder

    check_output_folder(out, inputs=[args.corpus])
    passages = read_corpus(args.corpus)
    check_resumable(out, passages, cfg)
    resuming = (out / BACKUP_DIR).exists()
    from sftkit.pretrain import LM_FILE
    from sftkit.text import resolve_tokenizer

    if not resuming and (out / LM_FILE).is_file():
        print(f"note: {out} holds an earlier language model; it is replaced when this one finishes")

    print(f"sftkit pretrain: {len(passages)} passages from {args.corpus}, tokenizer "
          f"{resolve_tokenizer('auto', passages)} (auto); "
          + ("resuming from the last finished epoch" if resuming else f"{cfg.epochs} epochs"))
    lm = pretrain(passages, config=cfg, out=out, inputs=[args.corpus], verbose=1 if sys.stdout.isatty() else 2)
    ppl = lm.history.get("val_perplexity", [])
    if ppl:
        print(f"validation perplexity {ppl[-1]:.1f} (a uniform guess over the vocabulary: {len(lm.vocabulary)})")
    print(f"wrote {out.resolve()}")
    return 0


def _parse_pool_rates(text: str | None) -> dict:
    """``"junk=0.2,duplicate=0.3"`` -> ``{"junk": 0.2, "duplicate": 0.3}``; CliError if malformed."""
    rates: dict = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        try:
            if not sep:
                raise ValueError
            rates[name.strip()] = float(value)
        except ValueError:
            raise CliError(f"--pool-rates: {part.strip()!r} is not STATUS=SHARE (e.g. junk=0.2)") from None
    return rates


def cmd_data_build(args) -> int:
    from sftkit import synth

    from sftkit.synth.build import DUPLICATES_OF

    rates = _parse_pool_rates(args.pool_rates)
    if args.duplicates_of not in DUPLICATES_OF:
        raise CliError(f"--duplicates-of: {args.duplicates_of!r} is not one of {', '.join(DUPLICATES_OF)}")
    try:
        summary = synth.build_corpus(Path(args.out), seed=args.seed, pool_rates=rates,
                                     duplicates_of=args.duplicates_of)
    except ValueError as e:
        raise CliError(f"--pool-rates: {e}") from None
    for name, count in summary.items():
        print(f"{name}: {count}")
    return 0


def cmd_lessons_run(args) -> int:
    from sftkit.course import CourseError, run_lessons

    try:
        return 0 if run_lessons(args.names, folder=Path(args.dir), timeout=args.timeout) else 1
    except CourseError as e:
        raise CliError(str(e)) from None


def cmd_lessons_copy(args) -> int:
    from sftkit.course import CourseError, copy_lessons

    try:
        written = copy_lessons(args.dir, args.names, solutions=args.solutions, blank=args.blank)
    except CourseError as e:
        raise CliError(str(e)) from None
    blanked = " with blank exercise answers" if args.blank else ""
    print(f"wrote {len(written)} lessons{blanked} into {Path(args.dir).resolve()}; open them with `jupyter lab` "
          "there, or check them with `pytest --nbval` (needs sftkit[test])")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sftkit",
        description="Supervised fine-tuning (有监督微调) and data selection (数据选择) with Keras: "
                    "the seed's Embedding -> LSTM -> softmax classifier and its five-step workflow.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", help="run the whole workflow on the bundled reviews data",
                       description="Prepare, fine-tune, evaluate on validation and test once on the bundled "
                                   "product reviews; writes metrics.json, report.md, plots and the model.")
    _add_train_options(p, "sftkit-demo", "shipped")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("train", help="run the workflow on your own labelled texts",
                       description="Fine-tune on your own CSV, TSV or JSONL file of labelled texts. A missing "
                                   "--val or --test is split off --data (10% each, stratified, seeded); "
                                   "one file may not serve in two roles.")
    p.add_argument("--data", required=True, help="training file (.csv, .tsv or .jsonl)")
    p.add_argument("--val", help="validation file (same columns); default: 10%% of --data")
    p.add_argument("--test", help="test file (same columns), used once at the end; default: 10%% of --data")
    p.add_argument("--text-col", default="text", help="column with the texts (default: text)")
    p.add_argument("--label-col", default="label", help="column with the labels (default: label)")
    _add_train_options(p, "sftkit-run", "none")
    p.set_defaults(func=cmd_train)

    from sftkit.config import LMConfig, add_config_arguments

    p = sub.add_parser("pretrain", help="train an LSTM language model on unlabelled text",
                       description="Pretrain the miniature LLM (Embedding -> LSTM -> softmax over the vocabulary) "
                                   "on a .txt file, one passage per line. Interrupted runs resume from the last "
                                   "finished epoch when started again with the same --out, corpus and settings.")
    p.add_argument("--corpus", required=True, help="a UTF-8 .txt file, one passage per line")
    p.add_argument("--out", default="sftkit-lm",
                   help="folder for the model and its backup: new, empty, or written by sftkit (default: sftkit-lm)")
    add_config_arguments(p, LMConfig)
    p.set_defaults(func=cmd_pretrain)

    p = sub.add_parser("evaluate", help="score a saved model on a labelled file",
                       description="Print per-class precision, recall, F1 and the confusion matrix; for two "
                                   "classes also ROC AUC, average precision, the figures at a decision threshold "
                                   "(chosen on --val) and the most confident errors.")
    p.add_argument("--model", required=True, help=MODEL_HELP)
    p.add_argument("--data", required=True, help="labelled file (.csv, .tsv or .jsonl)")
    p.add_argument("--text-col", default="text", help="column with the texts (default: text)")
    p.add_argument("--label-col", default="label", help="column with the labels (default: label)")
    p.add_argument("--json", help="also write the report as JSON to this file")
    p.add_argument("--val", help="validation file: choose the decision threshold there (best F1 of the positive "
                                 "class) and apply it to --data; two-class models only")
    p.add_argument("--threshold", type=float,
                   help="apply this decision threshold to P(positive class) instead (two-class models only)")
    p.add_argument("--positive", help="the positive class of a two-class model (default: the second in sorted order)")
    p.add_argument("--worst", type=int, default=10,
                   help="list this many of the most confident wrong predictions (default: 10)")
    p.add_argument("--plots", help="also save confusion.png (and roc.png, pr.png for two classes) in this folder")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("predict", help="classify texts, or every row of a file, with a saved model",
                       description="Classify TEXT arguments (printing the predicted label, its probability and the "
                                   "text, one per line, with [no known words] when the model knows none of its "
                                   "words) or every row of --data, streamed in batches: a CSV of id, text, "
                                   "predicted (under the model's decision rule), one p_<class> column per class "
                                   "(the model's class order) and note. Every data row gives one output row: "
                                   "a row without an id gets row-N, N counting data rows as pandas does "
                                   "(blank lines are skipped and not counted); a row with an empty text is "
                                   "kept with the note 'empty'.")
    p.add_argument("--model", required=True, help=MODEL_HELP)
    p.add_argument("--data", help="classify every row of this file (.csv, .tsv or .jsonl; '-' reads standard input: "
                                  "JSONL if it starts with '{', TSV if its header has tabs and no commas, else CSV)")
    p.add_argument("--text-col", default="text", help="with --data: column with the texts (default: text)")
    p.add_argument("--out", help="with --data: write the predictions to this CSV file (default: standard output); "
                                 "never an input file, and an existing file only if sftkit predict wrote it")
    p.add_argument("--threshold", type=float,
                   help="two-class models: predict the positive class when its probability is at least this "
                        "(default: the threshold saved with the model, chosen on validation by `sftkit train`)")
    p.add_argument("text", nargs="*", help="texts to classify")
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("data", help="the bundled corpus", description="Rebuild the bundled corpus.")
    dsub = p.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    q = dsub.add_parser("build", help="generate the corpus into a folder",
                        description="Generate the bundled corpus; with the default seed the files equal data/.")
    q.add_argument("--out", required=True, help="folder to write into")
    q.add_argument("--seed", type=int, default=None, help="generator seed (default: the bundled corpus's seed)")
    q.add_argument("--pool-rates", metavar="STATUS=SHARE,...", default=None,
                   help="change the selection pool's shares of flipped, duplicate, off_domain and junk rows "
                        "(default flipped=0.2,duplicate=0.08,off_domain=0.1,junk=0.03; shares of its 10,000 rows)")
    q.add_argument("--duplicates-of", metavar="{clean,any}", default="clean",
                   help="what the pool's near-duplicates copy: clean = only correctly labelled reviews (default, "
                        "the bundled pool); any = any review, so a copy of a flipped review carries its wrong label, "
                        "as scraped or re-posted data does")
    q.set_defaults(func=cmd_data_build)

    p = sub.add_parser("lessons", help="copy the lessons into your own folder, or execute them",
                       description="The course's lesson notebooks.")
    lsub = p.add_subparsers(dest="lessons_command", metavar="ACTION", required=True)
    q = lsub.add_parser("run", help="execute lessons in a fresh kernel and store their outputs",
                        description="Execute each lesson top to bottom in a fresh kernel of this Python and "
                                    "save it with its outputs (the only way lessons are committed).")
    q.add_argument("names", nargs="*", help="lesson names or numbers, e.g. 01 or 01_cross_entropy (default: all)")
    q.add_argument("--dir", default="lessons", help="the lessons folder (default: lessons)")
    q.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell (default: 300)")
    q.set_defaults(func=cmd_lessons_run)
    q = lsub.add_parser("copy", help="copy the lessons into a folder of your own",
                        description="Write the lesson notebooks (shipped inside sftkit), their nbval settings "
                                    "and a pytest.ini into DIR, a new or empty folder; no clone needed. The lessons "
                                    "ship with empty exercise answers; instructors get the worked solutions "
                                    "with --solutions.")
    q.add_argument("dir", metavar="DIR", help="a new or empty folder")
    q.add_argument("names", nargs="*", help="lesson names or numbers (default: all)")
    q.add_argument("--blank", action="store_true",
                   help="reset every exercise answer cell (the cell ending in check(\"NN.K\", answer)) to "
                        "answer = None and remove its output; the shipped lessons already have no answers")
    q.add_argument("--solutions", action="store_true",
                   help="for instructors: also write SOLUTIONS.md, the worked solutions of the checked exercises")
    q.set_defaults(func=cmd_lessons_copy)

    from sftkit.selection.cli import add_parser as add_select_parser

    add_select_parser(sub)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from sftkit import __version__

        print(f"sftkit {__version__}")
        return 0
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if getattr(args, "func", None) is cmd_data_build and args.seed is None:
        from sftkit.synth import DEFAULT_SEED

        args.seed = DEFAULT_SEED
    from sftkit.config import ConfigError
    from sftkit.data import DataError

    try:
        return args.func(args)
    except ConfigError as e:
        print(f"sftkit: error: {e.as_flag()}", file=sys.stderr)
        return EXIT_USAGE
    except (CliError, DataError, FileNotFoundError, FileExistsError, NotADirectoryError) as e:
        msg = str(e)
        if isinstance(e, (FileNotFoundError, NotADirectoryError)) and e.filename:
            msg = f"{e.filename}: {e.strerror or 'not found'}"
        print(f"sftkit: error: {msg}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        tail = ""
        if getattr(args, "func", None) is cmd_pretrain:
            tail = (f"; run the same command again to resume from the last finished epoch "
                    f"(kept in {Path(args.out) / 'backup'})")
        print(f"sftkit: interrupted{tail}", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
