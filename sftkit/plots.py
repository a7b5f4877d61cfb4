"""Figures for lessons and reports: training curves and a confusion matrix.

Each function draws on a matplotlib ``Axes`` (a new figure when none is given) and
returns the figure, so a lesson can show it and the CLI can save it.
"""
from __future__ import annotations

from typing import Sequence


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
    fig.tight_layout()
    return fig
