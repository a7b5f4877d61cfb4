"""The five-step fine-tuning workflow (seed 3.2) and the run folder it writes.

Seed section 3.2 lists the steps of supervised fine-tuning (有监督微调):

1. choose a pretrained model (选择预训练模型);
2. prepare the training data (准备训练数据);
3. fine-tune the model's parameters (微调模型参数);
4. evaluate on the validation set (验证集) and tune (评估模型性能);
5. test the final model on the test set (测试集), once (测试模型性能).

:func:`run_workflow` performs them in that order, says what it does at each step, and
writes everything into one run folder (see :mod:`sftkit.runs` for the rule on where it
may write). Step 3 is :func:`sftkit.finetune.fit_text_classifier`.
"""
from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from sftkit import __version__
from sftkit._tf import tf_and_keras
from sftkit.config import TrainConfig
from sftkit.finetune import fit_text_classifier, resolve_sequence_length
from sftkit.models import TextClassifier
from sftkit.runs import finish_run_dir, prepare_run_dir


@dataclass
class WorkflowResult:
    """What :func:`run_workflow` returns: the classifier, both reports, the folder and ``metrics.json``'s dict."""

    classifier: TextClassifier
    validation: object  # evaluate.Report
    test: object  # evaluate.Report
    out: Path | None
    metrics: dict


def describe_pretrained(pretrained) -> str:
    """One line about the pretrained model (or its absence) for reports."""
    if pretrained is None:
        return "none (the classifier starts from random weights: training from scratch)"
    ppl = pretrained.history.get("val_perplexity", [])
    tail = f", validation perplexity {ppl[-1]:.1f}" if ppl else ""
    return (f"LSTM language model with {len(pretrained.vocabulary)} words, embedding "
            f"{pretrained.config.embedding_dim}, LSTM {pretrained.config.lstm_units}{tail}")


describe_init = describe_pretrained  # older name, used by lessons


def _say(progress: Callable[[str], None] | None, msg: str) -> None:
    if progress is not None:
        progress(msg)


# ----------------------------------------------------------------------------- step 2's warnings


def overlap_warnings(train, val, test) -> list[str]:
    """One line per pair of splits that share identical texts (after trimming spaces)."""
    out = []
    seen = {name: {t.strip() for t in data.texts} for name, data in (("train", train), ("validation", val))}
    for name, data in (("validation", val), ("test", test)):
        for other in ("train", "validation"):
            if other == name or (name == "validation" and other == "validation"):
                continue
            shared = sum(1 for t in data.texts if t.strip() in seen[other])
            if shared:
                out.append(f"{shared} of {len(data)} {name} texts also occur in {other}: their scores "
                           "measure memory, not generalisation (remove them from one side)")
    return out


#: Fewer validation examples than this get a warning: decisions made on them are mostly noise.
SMALL_VALIDATION = 20


def small_validation_warning(train, val) -> str | None:
    """A line when validation has fewer than :data:`SMALL_VALIDATION` examples, else ``None``."""
    if len(val) >= SMALL_VALIDATION:
        return None
    return (f"validation has only {len(val)} example{'s' if len(val) != 1 else ''}: early stopping"
            + (" and the decision threshold are" if len(train.classes) == 2 else " is")
            + f" decided on them, and one example moves its accuracy by {1 / max(len(val), 1):.2f}; "
              f"give at least {SMALL_VALIDATION} if you can")


def length_warning(texts: Sequence[str], sequence_length: int, tokenizer: str = "auto") -> str | None:
    """A line when more than 5% of ``texts`` are longer than ``sequence_length`` tokens, or when
    ``sequence_length`` (above 64) is more than 4 times the longest text: mostly padding."""
    from sftkit.text import token_lengths

    lengths = token_lengths(texts, tokenizer)
    if len(lengths) == 0:
        return None
    longest = int(lengths.max())
    if sequence_length > 64 and sequence_length > 4 * max(longest, 8):
        fit = max(8, 8 * -(-int(np.quantile(lengths, 0.95)) // 8))
        return (f"--sequence-length {sequence_length} is {sequence_length / max(longest, 1):.0f} times the longest "
                f"training text ({longest} tokens): every text is mostly padding, and the LSTM steps through all "
                f"of it (time and memory grow with the length); try --sequence-length {fit}")
    cut = float(np.mean(lengths > sequence_length))
    if cut <= 0.05:
        return None
    p95 = int(np.quantile(lengths, 0.95))
    return (f"{cut:.0%} of training texts are longer than --sequence-length {sequence_length} tokens and are "
            f"cut (95th percentile: {p95} tokens); words after the cut are never seen: try --sequence-length "
            f"{max(8, 8 * -(-p95 // 8))}")


def tokenizer_used(cfg: TrainConfig, texts: Sequence[str], pretrained=None) -> tuple[str, str]:
    """The concrete tokenizer the classifier reads with, and how it was chosen (for the log and report).

    With a pretrained model it is the language model's (decided by its vocabulary, as the
    vectorizer does); otherwise ``cfg.tokenizer``, with ``auto`` decided by ``texts``.
    Returns ``(name, how)``, e.g. ``("jieba", "auto: 78% of the letters are in scripts
    written without spaces")``.
    """
    from sftkit.text import CJK_THRESHOLD, cjk_share, non_ascii_share, resolve_tokenizer

    if pretrained is not None:
        name = resolve_tokenizer("auto", vocabulary=pretrained.vocabulary)
        how = "the language model's"
        if cfg.tokenizer not in ("auto", name):
            how += f"; --tokenizer {cfg.tokenizer} is not used (the pretrained vocabulary was built with {name})"
        return name, how
    name = resolve_tokenizer(cfg.tokenizer, texts)
    if cfg.tokenizer != "auto":
        return name, "given"
    cjk = cjk_share(texts)
    if cjk > CJK_THRESHOLD:
        return name, f"auto: {cjk:.0%} of the letters are in scripts written without spaces"
    if name == "unicode-words":
        return name, f"auto: {non_ascii_share(texts):.0%} of the letters are not ASCII"
    return name, "auto"


def check_tokens(train, val, tokenizer: str) -> list[str]:
    """Refuse training texts that all tokenize to nothing; warn with a count when some do.

    A text made only of punctuation or symbols that ``tokenizer`` removes becomes padding
    only: the model sees nothing of it. Returns the warning lines (for train and validation).

    Raises
    ------
    sftkit.data.DataError
        Naming the training file, when no training text has a single token.
    """
    from sftkit.data import DataError
    from sftkit.text import tokenize

    lines = []
    for name, data in (("training", train), ("validation", val)):
        empty = [i for i, toks in enumerate(tokenize(data.texts, tokenizer)) if not toks]
        if name == "training" and empty and len(empty) == len(data):
            raise DataError(data.source, f"no training text has a token left after tokenizer {tokenizer} "
                            "(every text is punctuation or symbols, which it removes)",
                            hint="give texts with words in them")
        if empty:
            lines.append(f"{len(empty)} of {len(data)} {name} texts have no tokens after tokenizer {tokenizer} "
                         f"(punctuation or symbols only; first: {data.source} line {data.lines[empty[0]]}): "
                         "the model sees only padding for them")
    return lines


def data_warnings(train, val, test, cfg: TrainConfig, pretrained=None, tokenizer: str | None = None) -> list[str]:
    """Everything step 2 warns about (nothing here stops the run)."""
    from sftkit.data import label_warnings

    lines = list(label_warnings(train))
    lines += overlap_warnings(train, val, test)
    for name, data in (("validation", val), ("test", test)):
        missing = [c for c in train.classes if c not in set(data.labels)]
        if missing:
            names = ", ".join(f"'{c}'" for c in missing)
            lines.append(f"{name} ({data.source}) has no examples of class{'es' if len(missing) > 1 else ''} "
                         f"{names}: macro F1 there is the mean over the other "
                         f"{len(train.classes) - len(missing)} class{'es' if len(train.classes) - len(missing) != 1 else ''}")
    from sftkit.text import tokenize, vocabulary_warnings

    if tokenizer is None:
        tokenizer, _ = tokenizer_used(cfg, train.texts, pretrained)
    msg = length_warning(train.texts, cfg.sequence_length, tokenizer)
    if msg:
        lines.append(msg)
    if pretrained is not None:
        lines += vocabulary_warnings(pretrained.vocabulary, val.texts)
    else:
        counts = Counter(tok for toks in tokenize(train.texts, tokenizer) for tok in toks)
        vocab = [w for w, _ in counts.most_common(max(0, cfg.max_tokens - 2))]
        lines += vocabulary_warnings(vocab, val.texts, tokenizer=tokenizer, pretrained=False)
    return lines


# ----------------------------------------------------------------------------- the workflow


def run_workflow(train, val, test, *, config: TrainConfig | None = None, pretrained=None, out=None,
                 progress: Callable[[str], None] | None = print, verbose: int | None = None,
                 dataset_name: str = "", inputs: Sequence = (), init=None) -> WorkflowResult:
    """The seed's five steps on ``LabelledTexts`` splits; writes a run folder when ``out`` is given.

    Parameters
    ----------
    train, val, test : sftkit.data.LabelledTexts
        The three splits. Validation is used for early stopping and, for two classes, to
        choose the decision threshold; test is scored once, at the end.
    config : TrainConfig, optional
        Hyperparameters (defaults: ``TrainConfig()``).
    pretrained : sftkit.pretrain.PretrainedLM, optional
        Step 1's pretrained model; ``None`` trains from scratch. ``init`` is its older name.
    out : path, optional
        The run folder: ``metrics.json``, ``report.md``, ``curves.png``, ``confusion.png``,
        ``training_log.csv``, ``checkpoints/best.weights.h5`` and the model in ``model/``.
        Written into a temporary folder and moved into place at the end.
    progress : callable, optional
        Called with one line per step (default ``print``; ``None`` for silence).
    inputs : sequence of paths
        The files the run reads; ``out`` may not hold any of them.

    Returns
    -------
    WorkflowResult

    Raises
    ------
    sftkit.data.DataError
        For splits a classifier cannot learn from (one class, a label missing from training).
    sftkit.runs.OutputError
        If ``out`` is a place sftkit may not write.
    """
    from sftkit import evaluate
    from sftkit.data import check_splits

    _, keras = tf_and_keras()
    pretrained = pretrained if pretrained is not None else init
    if verbose is None:
        verbose = (1 if sys.stdout.isatty() else 2) if progress is not None else 0
    check_splits(train, val, test)
    cfg = config or TrainConfig()
    tokenizer, chosen = tokenizer_used(cfg, train.texts, pretrained)
    token_lines = check_tokens(train, val, tokenizer)  # refuses texts with no token at all, before any folder
    # the default sequence length follows the training texts; the report and config.json show the one used
    cfg = resolve_sequence_length(cfg, train.texts, pretrained)
    tmp = prepare_run_dir(out, inputs=inputs) if out is not None else None
    try:
        _say(progress, "[1/5] choose a pretrained model: " + describe_pretrained(pretrained))
        _say(progress, f"[2/5] prepare data: {len(train)} train / {len(val)} validation / {len(test)} test, "
                       f"{len(train.classes)} classes: {', '.join(train.classes)}; tokenizer {tokenizer} ({chosen})")
        small = small_validation_warning(train, val)
        for line in token_lines + [small] * bool(small) + data_warnings(train, val, test, cfg, pretrained, tokenizer):
            _say(progress, "      warning: " + line)
        callbacks = []
        if tmp is not None:
            (tmp / "checkpoints").mkdir()
            callbacks = [
                keras.callbacks.ModelCheckpoint(str(tmp / "checkpoints" / "best.weights.h5"), monitor="val_loss",
                                                save_best_only=True, save_weights_only=True),
                keras.callbacks.CSVLogger(str(tmp / "training_log.csv")),
            ]
        _say(progress, f"[3/5] fine-tune: up to {cfg.epochs_for(len(train))} epochs, early stopping on validation loss")
        clf = fit_text_classifier(train.texts, train.labels, val.texts, val.labels, config=cfg,
                                  pretrained=pretrained, callbacks=callbacks, verbose=verbose)
        val_rep = evaluate.evaluate_classifier(clf, val)
        decision = "the most probable class (argmax)"
        positive = evaluate.positive_class(clf.classes)
        if positive is not None and len(set(val.labels)) == 2:  # two classes: choose the threshold on validation
            p_val = clf.predict_proba(val.texts)[:, clf.classes.index(positive)]
            threshold, score = evaluate.choose_threshold(val.labels, p_val, positive)
            clf.set_threshold(threshold, positive=positive, chosen_on="validation")
            decision = (f"P({positive}) >= {threshold:.3f}, chosen on validation "
                        f"(best F1 of '{positive}' there, {score:.3f})")
        _say(progress, f"[4/5] validation: accuracy {val_rep.accuracy:.3f}, macro F1 {val_rep.macro_f1:.3f}; "
                       f"decision rule: {decision}")
        test_rep = evaluate.evaluate_classifier(clf, test)
        tail = ""
        if test_rep.threshold is not None:
            t = test_rep.threshold
            tail = f"; at the saved threshold: accuracy {t['accuracy']:.3f}, F1 of '{test_rep.positive}' {t['f1']:.3f}"
        _say(progress, f"[5/5] test (used once): accuracy {test_rep.accuracy:.3f}, "
                       f"macro F1 {test_rep.macro_f1:.3f}{tail}")
        metrics = test_rep.to_dict()
        metrics.update({
            "written_by": f"sftkit {__version__}",
            "split": "test",
            "validation": val_rep.to_dict(),
            "decision_rule": clf.decision_rule(),
            "dataset": dataset_name or train.source,
            "sizes": {"train": len(train), "val": len(val), "test": len(test)},
            "epochs_run": len(clf.history.get("loss", [])),
            "pretrained": describe_pretrained(pretrained),
            "tokenizer": {"used": tokenizer, "chosen_by": chosen},
            "config": cfg.to_dict(),
            "history": clf.history,
        })
        if tmp is not None:
            from sftkit.plots import glyph_note

            note = glyph_note(test_rep.labels)
            if note:
                _say(progress, "      note: " + note)
            write_run(tmp, clf, metrics, val_rep, test_rep)
            finish_run_dir(tmp, out)
            _say(progress, f"wrote {Path(out).resolve()}")
    except BaseException:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    return WorkflowResult(clf, val_rep, test_rep, Path(out).resolve() if out is not None else None, metrics)


def write_run(folder: Path, clf: TextClassifier, metrics: dict, val_rep, test_rep) -> None:
    """Write ``metrics.json``, ``model/``, the two plots and ``report.md`` into ``folder``."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from sftkit import plots

    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    clf.save(folder / "model")
    fig = plots.training_curves(clf.history)
    fig.savefig(folder / "curves.png", dpi=100)
    plt.close(fig)
    with plots.quiet_glyph_warnings():
        fig = plots.confusion_matrix(test_rep.confusion, test_rep.labels, title="test set")
        fig.savefig(folder / "confusion.png", dpi=100)
    plt.close(fig)
    (folder / "report.md").write_text(report_markdown(metrics, val_rep, test_rep), encoding="utf-8")


def report_markdown(metrics: dict, val_rep, test_rep) -> str:
    """The run's ``report.md``: data, model, curves, validation, decision rule, test."""
    cfg = metrics["config"]
    rule = metrics["decision_rule"]
    if rule["kind"] == "threshold":
        rule_text = (f"predict `{rule['positive']}` when its probability is at least {rule['threshold']:.3f} "
                     f"(chosen on {rule['chosen_on']}); `sftkit predict` and `sftkit evaluate` apply it")
    else:
        rule_text = "the most probable class (argmax)"
    lines = [
        "# sftkit run report",
        "",
        f"Data: `{metrics['dataset']}`; {metrics['sizes']['train']} train, {metrics['sizes']['val']} validation, "
        f"{metrics['sizes']['test']} test examples.",
        "",
        f"Pretrained model: {metrics['pretrained']}.",
        "",
        "Model: the seed's Embedding -> LSTM -> Dense(softmax) classifier "
        f"(embedding {cfg['embedding_dim']}, LSTM {cfg['lstm_units']} units, sequence length "
        f"{cfg['sequence_length']}, pooling `{cfg['pooling']}`), Adam lr {cfg['learning_rate']}, "
        f"{metrics['epochs_run']} epochs run (early stopping patience {cfg['patience']}), seed {cfg['seed']}.",
        "",
        f"Tokenizer: `{metrics['tokenizer']['used']}` ({metrics['tokenizer']['chosen_by']}).",
        "",
        "## Training curves",
        "",
        "![training curves](curves.png)",
        "",
        "## Validation (used for decisions)",
        "",
        val_rep.markdown(),
        "",
        f"Decision rule saved with the model: {rule_text}.",
        "",
        "## Test (used once, at the end)",
        "",
        "The table uses the most probable class; for two classes the line below it gives the figures "
        "under the saved decision rule.",
        "",
        test_rep.markdown(),
        "",
        "![confusion matrix](confusion.png)",
        "",
        "Files: `metrics.json` (these figures), `training_log.csv` (per-epoch loss and accuracy), "
        "`model/` (load with `sftkit predict --model`), `checkpoints/best.weights.h5` (the best epoch's "
        "weights of the network in `model/`).",
        "",
    ]
    return "\n".join(lines)
