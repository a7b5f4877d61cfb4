"""The ``sftkit`` command: the fine-tuning workflow on the bundled data or on your own file.

Every subcommand has ``--help``. Problems with input files end with a one-line message
naming the file and line, and exit code 2.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_USAGE = 2


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""


def _add_train_options(p: argparse.ArgumentParser, default_out: str, default_pretrained: str) -> None:
    from sftkit.config import TrainConfig, add_config_arguments

    p.add_argument("--out", default=default_out, help=f"folder for the run (default: {default_out})")
    p.add_argument("--pretrained", "--init", dest="pretrained", default=default_pretrained,
                   help="step 1, the pretrained model (预训练模型): a language model folder written by "
                        "`sftkit pretrain`, 'shipped' for the one bundled with sftkit, or 'none' to train from "
                        f"scratch (default: {default_pretrained}; --init is an older name)")
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


def cmd_demo(args) -> int:
    from sftkit.data import load_bundled
    from sftkit.workflow import run_workflow

    cfg = _config(args)
    splits = load_bundled("reviews")
    print("sftkit demo: fine-tuning the seed's classifier on the bundled product reviews")
    run_workflow(splits["train"], splits["val"], splits["test"], config=cfg, pretrained=_pretrained(args),
                 out=args.out, dataset_name="bundled reviews")
    return 0


def cmd_train(args) -> int:
    from sftkit.data import load_labelled, split_off
    from sftkit.workflow import run_workflow

    def load(path):
        return load_labelled(path, text_col=args.text_col, label_col=args.label_col)

    cfg = _config(args)
    _check_split_files(args.data, args.val, args.test)
    data = load(args.data)
    val = load(args.val) if args.val else None
    test = load(args.test) if args.test else None
    train, val, test, note = split_off(data, val, test, seed=cfg.seed)
    if note:
        print(note)
    run_workflow(train, val, test, config=cfg, pretrained=_pretrained(args), out=args.out,
                 dataset_name=str(args.data), inputs=[p for p in (args.data, args.val, args.test) if p])
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
    clf = TextClassifier.load(args.model)
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

    from sftkit.plots import report_figures
    from sftkit.runs import finish_run_dir, prepare_run_dir

    tmp = prepare_run_dir(folder, inputs=inputs, flag="--plots")
    try:
        names = []
        for name, fig in report_figures(rep).items():
            fig.savefig(tmp / f"{name}.png", dpi=100)
            plt.close(fig)
            names.append(f"{name}.png")
        finish_run_dir(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    print(f"wrote {', '.join(names)} in {folder.resolve()}")


def cmd_predict(args) -> int:
    from sftkit.models import TextClassifier

    texts = list(args.text)
    if not texts or any(not t.strip() for t in texts):
        raise CliError("give one or more non-empty texts to classify")
    clf = TextClassifier.load(args.model)
    proba = clf.predict_proba(texts)
    for text, row in zip(texts, proba):
        best = int(row.argmax())
        print(f"{clf.classes[best]}\t{row[best]:.3f}\t{text}")
    return 0


def cmd_pretrain(args) -> int:
    from sftkit.config import LMConfig, config_from_args
    from sftkit.pretrain import BACKUP_DIR, pretrain, read_corpus

    cfg = config_from_args(LMConfig, args)
    out = Path(args.out)
    from sftkit.runs import check_output_folder

    check_output_folder(out, inputs=[args.corpus])
    passages = read_corpus(args.corpus)
    resuming = (out / BACKUP_DIR).exists()
    print(f"sftkit pretrain: {len(passages)} passages from {args.corpus}; "
          + ("resuming from the last finished epoch" if resuming else f"{cfg.epochs} epochs"))
    lm = pretrain(passages, config=cfg, out=out, inputs=[args.corpus], verbose=1 if sys.stdout.isatty() else 2)
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
                                   "--val or --test is split off --data (10%% each, stratified, seeded); "
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
    p.add_argument("--model", required=True, help="a model folder written by sftkit (the run's model/)")
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

    p = sub.add_parser("predict", help="classify texts with a saved model",
                       description="Print the predicted label, its probability and the text, one per line.")
    p.add_argument("--model", required=True, help="a model folder written by sftkit (the run's model/)")
    p.add_argument("text", nargs="+", help="texts to classify")
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
        print("sftkit: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
