"""Helpers used at the top of every lesson notebook.

``setup()`` is the first code cell of each lesson: it imports TensorFlow quietly, seeds
every random generator from one number, and fixes NumPy's print format so that the
numbers a lesson prints are the numbers nbval compares.
"""
from __future__ import annotations

import numpy as np

from sftkit._tf import set_seed, tf_and_keras


def setup(seed: int = 0):
    """Prepare a lesson: quiet TensorFlow, one seed for everything, stable printing.

    Returns ``(tf, keras)`` so the lesson can use them without importing TensorFlow
    itself (which would print C++ start-up lines into the notebook).
    """
    tf, keras = tf_and_keras()
    set_seed(seed)
    np.set_printoptions(precision=4, suppress=True, floatmode="fixed")
    try:  # inline figures when running inside a kernel; a no-op elsewhere
        import matplotlib

        matplotlib.rcParams["figure.dpi"] = 80
        matplotlib.rcParams["savefig.dpi"] = 80
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        pass
    return tf, keras
