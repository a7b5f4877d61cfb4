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


def _add_train_options(p: argparse.ArgumentParser, default_out: str, default_init: str) -> None:
    from sftkit.train import TrainConfig

    d = TrainConfig()
    p.add_argument("--out", default=default_out, help=f"folder for the run (default: {default_out})")
    p.add_argument("--epochs", type=int, default=d.epochs, help=f"most epochs to train (default: {d.epochs})")
    p.add_argument("--seed", type=int, default=d.seed, help=f"random seed for splits and training (default: {d.seed})")
    p.add_argument("--batch-size", type=int, default=d.batch_size, help=f"(default: {d.batch_size})")
    p.add_argument("--learning-rate", type=float, default=d.learning_rate, help=f"Adam's step size (default: {d.learning_rate})")
    p.add_argument("--embedding-dim", type=int, default=d.embedding_dim, help=f"(default: {d.embedding_dim})")
    p.add_argument("--lstm-units", type=int, default=d.lstm_units, help=f"(default: {d.lstm_units})")
    p.add_argument("--max-tokens", type=int, default=d.max_tokens, help=f"vocabulary size (default: {d.max_tokens})")
    p.add_argument("--sequence-length", type=int, default=d.sequence_length,
                   help=f"words kept per text; longer texts are cut (default: {d.sequence_length})")
    p.add_argument("--dropout", type=float, default=d.dropout, help=f"dropout before the softmax layer (default: {d.dropout})")
    p.add_argument("--recurrent-dropout", type=float, default=d.recurrent_dropout,
                   help=f"dropout on the LSTM's recurrent state (default: {d.recurrent_dropout})")
    p.add_argument("--augment", choices=["none", "token_dropout", "word_swap", "synonym"], default=d.augment,
                   help="add augmented copies of the training texts (data augmentation, 数据增强); synonym uses "
                        f"the pretrained model's nearest words (default: {d.augment})")
    p.add_argument("--augment-copies", type=int, default=d.augment_copies,
                   help=f"with --augment: augmented copies per training text (default: {d.augment_copies})")
    p.add_argument("--l2", type=float, default=d.l2, help=f"L2 weight penalty (default: {d.l2})")
    p.add_argument("--patience", type=int, default=d.patience,
                   help=f"stop after this many epochs without a better validation loss; 0 = never (default: {d.patience})")
    p.add_argument("--pooling", choices=["last", "mean_max"], default=d.pooling,
                   help=f"what the softmax layer sees: the LSTM's last state (the seed's model) or the mean and "
                        f"max over all words (default: {d.pooling})")
    p.add_argument("--init", default=default_init,
                   help="a pretrained language model folder (from `sftkit pretrain`), 'shipped' for the one "
                        f"bundled with sftkit, or 'none' to start from random weights (default: {default_init})")
    p.add_argument("--freeze-epochs", type=int, default=d.freeze_epochs,
                   help="with --init: epochs that train only the new softmax layer first "
                        "(default: half of --epochs)")
    p.add_argument("--encoder-lr-factor", type=float, default=d.encoder_lr_factor,
                   help="with --init: the encoder's learning rate as a fraction of the head's "
                        f"(default: {d.encoder_lr_factor})")


def _config(args):
    from sftkit.train import TrainConfig

    for name in ("epochs", "batch_size", "embedding_dim", "lstm_units", "max_tokens", "sequence_length"):
        if getattr(args, name) < 1:
            raise CliError(f"--{name.replace('_', '-')} must be at least 1")
    if not 0 <= args.dropout < 1:
        raise CliError("--dropout must be in [0, 1)")
    if not 0 <= args.recurrent_dropout < 1:
        raise CliError("--recurrent-dropout must be in [0, 1)")
    if args.augment_copies < 1:
        raise CliError("--augment-copies must be at least 1")
    if args.learning_rate <= 0 or args.l2 < 0 or args.patience < 0 or (args.freeze_epochs or 0) < 0:
        raise CliError("--learning-rate must be positive; --l2, --patience and --freeze-epochs must not be negative")
    if not 0 < args.encoder_lr_factor <= 10:
        raise CliError("--encoder-lr-factor must be in (0, 10]")
    return TrainConfig(epochs=args.epochs, seed=args.seed, batch_size=args.batch_size,
                       learning_rate=args.learning_rate, embedding_dim=args.embedding_dim,
                       lstm_units=args.lstm_units, max_tokens=args.max_tokens,
                       sequence_length=args.sequence_length, dropout=args.dropout, l2=args.l2,
                       patience=args.patience, pooling=args.pooling, freeze_epochs=args.freeze_epochs,
                       encoder_lr_factor=args.encoder_lr_factor, recurrent_dropout=args.recurrent_dropout,
                       augment=args.augment, augment_copies=args.augment_copies)


def _init(args):
    """The pretrained model named by --init, or None."""
    from sftkit.pretrain import PretrainedLM, shipped_lm_dir

    if args.init in ("none", ""):
        return None
    folder = shipped_lm_dir() if args.init == "shipped" else Path(args.init)
    return PretrainedLM.load(folder)


def cmd_demo(args) -> int:
    from sftkit.data import load_bundled
    from sftkit.train import run_workflow

    splits = load_bundled("reviews")
    print("sftkit demo: fine-tuning the seed's classifier on the bundled product reviews")
    run_workflow(splits["train"], splits["val"], splits["test"], config=_config(args), init=_init(args),
                 out=args.out, dataset_name="bundled reviews")
    return 0


def cmd_train(args) -> int:
    from sftkit.data import load_labelled, stratified_split
    from sftkit.train import run_workflow

    def load(path):
        return load_labelled(path, text_col=args.text_col, label_col=args.label_col)

    cfg = _config(args)
    if (args.val is None) != (args.test is None):
        raise CliError("give both --val and --test, or neither (then both are split off --data)")
    data = load(args.data)
    if args.val is None:
        train, val, test = stratified_split(data, 0.1, 0.1, seed=cfg.seed)
        print(f"split {args.data} (seed {cfg.seed}): {len(train)} train, {len(val)} validation, {len(test)} test")
    else:
        train, val, test = data, load(args.val), load(args.test)
    run_workflow(train, val, test, config=cfg, init=_init(args), out=args.out, dataset_name=str(args.data))
    return 0


def cmd_evaluate(args) -> int:
    from sftkit.data import DataError, load_labelled
    from sftkit.evaluate import evaluate_classifier
    from sftkit.models import TextClassifier

    if args.val is not None and args.threshold is not None:
        raise CliError("give --val (to choose the threshold there) or --threshold, not both")
    if args.threshold is not None and not 0 <= args.threshold <= 1:
        raise CliError("--threshold must be a probability in [0, 1]")
    if args.worst < 0:
        raise CliError("--worst must not be negative")
    data = load_labelled(args.data, text_col=args.text_col, label_col=args.label_col)
    val = load_labelled(args.val, text_col=args.text_col, label_col=args.label_col) if args.val else None
    clf = TextClassifier.load(resolve_model_dir(args.model))
    try:
        rep = evaluate_classifier(clf, data, validation=val, threshold=args.threshold, positive=args.positive,
                                  worst=args.worst)
    except ValueError as e:
        if isinstance(e, DataError):
            raise
        raise CliError(str(e)) from None
    print(f"{args.data}: {len(data)} examples")
    print(rep.table())
    if args.json:
        _write_atomic(Path(args.json), rep.to_json() + "\n")
        print(f"wrote {args.json}")
    if args.plots:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from sftkit.plots import report_figures

        folder = Path(args.plots)
        if folder.exists() and not folder.is_dir():
            raise CliError(f"{folder}: exists and is not a folder; choose another --plots")
        folder.mkdir(parents=True, exist_ok=True)
        for name, fig in report_figures(rep).items():
            fig.savefig(folder / f"{name}.png", dpi=100)
            plt.close(fig)
            print(f"wrote {folder / f'{name}.png'}")
    return 0


def resolve_model_dir(path) -> Path:
    """The model folder for ``--model``: a run folder (``RUN_DIR`` holding ``model/``) or the model folder itself.

    Raises :class:`CliError` (one line) when neither ``path`` nor ``path/model`` holds a
    saved sftkit model.
    """
    from sftkit.models import MODEL_FILE

    p = Path(path)
    for folder in (p, p / "model"):
        if (folder / MODEL_FILE).is_file():
            return folder
    if not p.exists():
        raise CliError(f"{p}: not found; give a run folder (--out of `sftkit train`) or its model/ folder")
    raise CliError(f"{p}: no {MODEL_FILE} here or in {p / 'model'}; give a run folder (--out of `sftkit train`) "
                   "or its model/ folder")


PREDICT_BATCH = 1024  # rows per batch when predicting a file
NO_KNOWN_WORDS = "no known words"
_PREDICTIONS_HEADER = "id,text,predicted,p_"  # how a predictions file written by sftkit begins


def _check_new_output(out: Path, inputs) -> None:
    """Refuse an ``--out`` that is an input, a folder, or an existing file sftkit did not write.

    A file counts as written by sftkit when it begins with the predictions header.
    """
    # TODO(lead): move to runs.py's one write rule
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


def _predict_rows(clf, stream, text_col: str, progress):
    """Yield one output row per input row: id, text, predicted, p_<class>..., note."""
    from sftkit.data import DataError

    def flush(batch):
        texts = [t for _, t in batch]
        proba = clf.predict_proba(texts)
        unknown = _unknown_only(clf, texts)
        for (row_id, text), p, unk in zip(batch, proba, unknown):
            yield [row_id, text, clf.classes[int(p.argmax())]] + [f"{x:.6f}" for x in p] + [
                NO_KNOWN_WORDS if unk else ""]

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


def cmd_predict(args) -> int:
    from sftkit.data import DataError, RowStream, format_row, write_rows
    from sftkit.models import TextClassifier

    texts = list(args.text)
    if args.data is None:
        if args.out:
            raise CliError("--out needs --data (a file to classify); texts given on the command line are printed")
        if not texts or any(not t.strip() for t in texts):
            raise CliError("give one or more non-empty texts to classify, or --data FILE")
        clf = TextClassifier.load(resolve_model_dir(args.model))
        proba = clf.predict_proba(texts)
        for text, row, unk in zip(texts, proba, _unknown_only(clf, texts)):
            best = int(row.argmax())
            print(f"{clf.classes[best]}\t{row[best]:.3f}\t{text}" + (f"\t[{NO_KNOWN_WORDS}]" if unk else ""))
        return 0
    if texts:
        raise CliError("give texts or --data, not both")
    out = Path(args.out) if args.out else None
    if out is not None:
        _check_new_output(out, [args.data])
    model_dir = resolve_model_dir(args.model)
    with RowStream(args.data) as stream:
        if stream.columns is not None and args.text_col not in stream.columns:
            shown = ", ".join(repr(c) for c in stream.columns)
            raise DataError(stream.name, f"no column '{args.text_col}' (columns: {shown})", 1,
                            hint="name the right one with --text-col")
        clf = TextClassifier.load(model_dir)
        header = ["id", "text", "predicted"] + [f"p_{c}" for c in clf.classes] + ["note"]
        rows = _predict_rows(clf, stream, args.text_col, _progress_bar(sys.stderr.isatty()))
        if out is not None:
            n = write_rows(out, header, rows, fmt="csv")
            print(f"predicted {n} rows; wrote {out}")
        else:
            sys.stdout.write(format_row(header))
            for row in rows:
                sys.stdout.write(format_row(row))
            sys.stdout.flush()
    return 0


def cmd_pretrain(args) -> int:
    from sftkit.pretrain import LMConfig, pretrain, read_corpus

    for name in ("epochs", "max_tokens", "sequence_length", "embedding_dim", "lstm_units", "batch_size"):
        if getattr(args, name) < 1:
            raise CliError(f"--{name.replace('_', '-')} must be at least 1")
    passages = read_corpus(args.corpus)
    cfg = LMConfig(epochs=args.epochs, seed=args.seed, max_tokens=args.max_tokens,
                   sequence_length=args.sequence_length, embedding_dim=args.embedding_dim,
                   lstm_units=args.lstm_units, batch_size=args.batch_size, learning_rate=args.learning_rate)
    out = Path(args.out)
    resuming = (out / "backup").exists()
    print(f"sftkit pretrain: {len(passages)} passages from {args.corpus}; "
          + ("resuming from the last finished epoch" if resuming else f"{cfg.epochs} epochs"))
    lm = pretrain(passages, config=cfg, out=out, verbose=1 if sys.stdout.isatty() else 2)
    ppl = lm.history.get("val_perplexity", [])
    if ppl:
        print(f"validation perplexity {ppl[-1]:.1f} (a uniform guess over the vocabulary: {len(lm.vocabulary)})")
    print(f"wrote {out.resolve()}")
    return 0


def cmd_data_build(args) -> int:
    from sftkit import synth

    summary = synth.build_corpus(Path(args.out), seed=args.seed)
    for name, count in summary.items():
        print(f"{name}: {count}")
    return 0


def cmd_lessons_run(args) -> int:
    from sftkit.lesson import run_lessons

    return 0 if run_lessons(args.names, folder=Path(args.dir), timeout=args.timeout) else 1


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.partial")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


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
                       description="Fine-tune on your own CSV, TSV or JSONL file of labelled texts. Without "
                                   "--val/--test, 10%% and 10%% are split off (stratified, seeded).")
    p.add_argument("--data", required=True, help="training file (.csv, .tsv or .jsonl)")
    p.add_argument("--val", help="validation file (same columns)")
    p.add_argument("--test", help="test file (same columns), used once at the end")
    p.add_argument("--text-col", default="text", help="column with the texts (default: text)")
    p.add_argument("--label-col", default="label", help="column with the labels (default: label)")
    _add_train_options(p, "sftkit-run", "none")
    p.set_defaults(func=cmd_train)

    from sftkit.pretrain import LMConfig

    d = LMConfig()
    p = sub.add_parser("pretrain", help="train an LSTM language model on unlabelled text",
                       description="Pretrain the miniature LLM (Embedding -> LSTM -> softmax over the vocabulary) "
                                   "on a .txt file, one passage per line. Interrupted runs resume from the last "
                                   "finished epoch when started again with the same --out.")
    p.add_argument("--corpus", required=True, help="a UTF-8 .txt file, one passage per line")
    p.add_argument("--out", default="sftkit-lm", help="folder for the model and its checkpoints (default: sftkit-lm)")
    p.add_argument("--epochs", type=int, default=d.epochs, help=f"(default: {d.epochs})")
    p.add_argument("--seed", type=int, default=d.seed, help=f"(default: {d.seed})")
    p.add_argument("--max-tokens", type=int, default=d.max_tokens, help=f"vocabulary size (default: {d.max_tokens})")
    p.add_argument("--sequence-length", type=int, default=d.sequence_length,
                   help=f"words per training window (default: {d.sequence_length})")
    p.add_argument("--embedding-dim", type=int, default=d.embedding_dim, help=f"(default: {d.embedding_dim})")
    p.add_argument("--lstm-units", type=int, default=d.lstm_units, help=f"(default: {d.lstm_units})")
    p.add_argument("--batch-size", type=int, default=d.batch_size, help=f"(default: {d.batch_size})")
    p.add_argument("--learning-rate", type=float, default=d.learning_rate, help=f"(default: {d.learning_rate})")
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
                                   "predicted, one p_<class> column per class (the model's class order) and note.")
    p.add_argument("--model", required=True, help=MODEL_HELP)
    p.add_argument("--data", help="classify every row of this file (.csv, .tsv or .jsonl; '-' reads standard input: "
                                  "JSONL if it starts with '{', TSV if its header has tabs and no commas, else CSV)")
    p.add_argument("--text-col", default="text", help="with --data: column with the texts (default: text)")
    p.add_argument("--out", help="with --data: write the predictions to this CSV file (default: standard output); "
                                 "never an input file, and an existing file only if sftkit predict wrote it")
    p.add_argument("text", nargs="*", help="texts to classify")
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("data", help="the bundled corpus", description="Rebuild the bundled corpus.")
    dsub = p.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    q = dsub.add_parser("build", help="generate the corpus into a folder",
                        description="Generate the bundled corpus; with the default seed the files equal data/.")
    q.add_argument("--out", required=True, help="folder to write into")
    q.add_argument("--seed", type=int, default=None, help="generator seed (default: the bundled corpus's seed)")
    q.set_defaults(func=cmd_data_build)

    p = sub.add_parser("lessons", help="execute lesson notebooks", description="Lesson notebooks.")
    lsub = p.add_subparsers(dest="lessons_command", metavar="ACTION", required=True)
    q = lsub.add_parser("run", help="execute lessons in a fresh kernel and store their outputs",
                        description="Execute each lesson top to bottom in a fresh kernel of this Python and "
                                    "save it with its outputs (the only way lessons are committed).")
    q.add_argument("names", nargs="*", help="lesson names or numbers, e.g. 01 or 01_cross_entropy (default: all)")
    q.add_argument("--dir", default="lessons", help="the lessons folder (default: lessons)")
    q.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell (default: 300)")
    q.set_defaults(func=cmd_lessons_run)

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
    from sftkit.data import DataError

    try:
        return args.func(args)
    except (CliError, DataError, FileNotFoundError, FileExistsError, NotADirectoryError) as e:
        msg = str(e)
        if isinstance(e, (FileNotFoundError, NotADirectoryError)) and e.filename:
            msg = f"{e.filename}: {e.strerror or 'not found'}"
        print(f"sftkit: error: {msg}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("sftkit: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
