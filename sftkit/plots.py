"""Figures for lessons and reports: training curves and a confusion matrix.

Each function draws on a matplotlib ``Axes`` (a new figure when none is given) and
returns the figure, so a lesson can show it and the CLI can save it.

Labels may be Chinese (class names, tokens). matplotlib's default font (DejaVu Sans)
has no CJK glyphs and draws empty boxes with a "Glyph missing" warning, so importing
this module registers Noto Sans SC (SIL Open Font License, from the PyPI package
``pylopdf-fonts-zh-cn``) with matplotlib's font manager and puts it after DejaVu Sans
as a fallback in ``font.family``: Latin text looks as before, and matplotlib (3.6+)
takes each glyph missing from the first font (the CJK characters) from Noto Sans SC.
"""
from __future__ import annotations

import contextlib
import warnings
from typing import Sequence

CJK_FONT = "Noto Sans SC"
_GENERIC = ("sans-serif", "serif", "monospace", "cursive", "fantasy")


def register_cjk_font() -> str | None:
    """Add the bundled CJK font to matplotlib; returns its family name (None if unavailable)."""
    import matplotlib
    from matplotlib import font_manager

    try:
        from pylopdf_fonts_zh_cn import sans_path
    except ImportError:  # the dependency is missing: Chinese labels will be boxes
        return None
    path = str(sans_path())
    if not any(f.fname == path for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    name = font_manager.FontProperties(fname=path).get_name()
    families = [f for f in matplotlib.rcParams["font.family"] if f != name]
    matplotlib.rcParams["font.family"] = families + [name]
    return name


register_cjk_font()


@contextlib.contextmanager
def quiet_glyph_warnings():
    """Silence matplotlib's "Glyph N missing from font(s)" warnings (one per character per draw);
    :func:`glyph_note` says it once instead."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
        yield


def _font_files() -> list:
    """The font files matplotlib draws text with: ``font.family`` with generic names expanded, as found."""
    import matplotlib
    from matplotlib import font_manager

    names = []
    for family in matplotlib.rcParams["font.family"]:
        names += list(matplotlib.rcParams[f"font.{family}"]) if family in _GENERIC else [family]
    files = []
    for name in names:
        try:
            path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
        except ValueError:
            continue
        if path not in files and "LastResort" not in path:   # Last Resort draws a box for every character
            files.append(path)
    return files


def missing_glyphs(texts: Sequence[str]) -> list:
    """The characters of ``texts`` that no font matplotlib uses can draw (they come out as boxes)."""
    from matplotlib import ft2font

    wanted = {ch for t in texts for ch in str(t) if not ch.isspace()}
    for path in _font_files():
        if not wanted:
            break
        try:
            charmap = ft2font.FT2Font(path).get_charmap()
        except (OSError, RuntimeError, ValueError):
            continue
        wanted = {ch for ch in wanted if ord(ch) not in charmap}
    return sorted(wanted)


def glyph_note(labels: Sequence[str], figure: str = "confusion.png") -> str | None:
    """One line naming the labels no installed font can draw (and their scripts), or ``None``."""
    import unicodedata

    missing = set(missing_glyphs(labels))
    if not missing:
        return None
    bad = [str(c) for c in labels if set(str(c)) & missing]
    scripts = sorted({unicodedata.name(ch, "UNKNOWN").split(" ")[0].title() for ch in missing})
    return (f"no installed font has the {'/'.join(scripts)} letters of {', '.join(repr(c) for c in bad)}: "
            f"{'they are' if len(bad) > 1 else 'it is'} drawn as boxes in {figure} (install a font with them, "
            "e.g. Noto Sans Thai, to see them)")


def _figure(ax, size=(5, 3.5)):
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=size)
    return ax.figure, ax


def training_curves(history: dict, metrics: Sequence[str] = ("loss", "accuracy")):
    """Train and validation curves per epoch, one panel per metric (lesson 04)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(metrics), figsize=(4.5 * len(metrics), 3.3), squeeze=False)
    for ax, name in zip(axes[0], metrics):
        train = history.get(name, [])
        val = history.get(f"val_{name}", [])
        epochs = range(1, len(train) + 1)
        ax.plot(epochs, train, "o-", label="train")
        if val:
            ax.plot(range(1, len(val) + 1), val, "s--", label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.set_title(name)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig


def confusion_matrix(confusion, labels: Sequence[str], ax=None, title: str = "confusion matrix"):
    """A confusion matrix as a heat map with the count in every cell."""
    import numpy as np

    fig, ax = _figure(ax, size=(3.8, 3.4))
    cm = np.asarray(confusion)
    ax.imshow(cm, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    top = cm.max() if cm.size else 0
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            ax.text(j, i, str(cm[i, j]), ha="center", va="center",
                    color="white" if cm[i, j] > top / 2 else "black")
    with quiet_glyph_warnings():
        fig.tight_layout()
    return fig


def roc_curve(roc: dict, auc: float | None = None, ax=None, title: str = "ROC curve", label: str = "model"):
    """A ROC curve from a report's ``roc`` entry: true positive rate against false positive rate."""
    fig, ax = _figure(ax, size=(4, 3.6))
    name = f"{label} (AUC {auc:.3f})" if auc is not None else label
    ax.plot(roc["fpr"], roc["tpr"], "-", label=name)
    ax.plot([0, 1], [0, 1], ":", color="grey", label="chance")
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate (recall)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def pr_curve(pr: dict, average_precision: float | None = None, ax=None, title: str = "precision-recall curve",
             base_rate: float | None = None, mark: dict | None = None, label: str = "model"):
    """A precision-recall curve from a report's ``pr`` entry.

    ``base_rate`` draws the precision of a random guess (the positive class's share);
    ``mark`` (a report's ``threshold`` entry) marks the point of the chosen threshold.
    """
    fig, ax = _figure(ax, size=(4, 3.6))
    name = f"{label} (AP {average_precision:.3f})" if average_precision is not None else label
    ax.plot(pr["recall"], pr["precision"], "-", label=name)
    if base_rate is not None:
        ax.axhline(base_rate, ls=":", color="grey", label=f"chance ({base_rate:.2f})")
    if mark is not None:
        ax.plot([mark["recall"]], [mark["precision"]], "o", color="C3",
                label=f"threshold {mark['value']:.2f} ({mark['chosen_on']})")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left")
    fig.tight_layout()
    return fig


def compare_runs(histories: dict, metric: str = "accuracy", title: str | None = None):
    """Several runs' train (solid) and validation (dashed) curves of one metric, one colour per run
    (lesson 07: the gap between the two lines is the overfitting)."""
    fig, ax = _figure(None, size=(6, 3.8))
    for i, (name, hist) in enumerate(histories.items()):
        train, val = hist.get(metric, []), hist.get(f"val_{metric}", [])
        ax.plot(range(1, len(train) + 1), train, "-", color=f"C{i}", label=f"{name}: train")
        if val:
            ax.plot(range(1, len(val) + 1), val, "--", color=f"C{i}", label=f"{name}: validation")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.set_title(title or f"train (solid) and validation (dashed) {metric}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return fig


def report_figures(rep) -> dict:
    """The figures of an :class:`~sftkit.evaluate.Report`: ``{"confusion": fig}`` plus ``"roc"``
    and ``"pr"`` when it has curves (a two-class task with probabilities)."""
    figs = {"confusion": confusion_matrix(rep.confusion, rep.labels)}
    if rep.roc is not None:
        figs["roc"] = roc_curve(rep.roc, rep.roc_auc, title=f"ROC curve (positive: {rep.positive})")
    if rep.pr is not None:
        share = rep.per_class[rep.positive]["support"] / rep.n
        figs["pr"] = pr_curve(rep.pr, rep.average_precision, base_rate=share, mark=rep.threshold,
                              title=f"precision-recall (positive: {rep.positive})")
    return figs
