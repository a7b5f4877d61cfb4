"""Import TensorFlow and Keras quietly.

TensorFlow's C++ runtime writes start-up lines ("oneDNN custom operations are on",
"Could not find cuda drivers") straight to file descriptor 2 while it is imported.
Environment variables such as TF_CPP_MIN_LOG_LEVEL no longer silence all of them, and
in a Jupyter kernel they would land in a lesson's stored output. So every part of
sftkit that needs TensorFlow imports it through :func:`tf_and_keras`, which points
descriptor 2 at /dev/null for the duration of the import only. Python-level warnings
and errors are untouched.
"""
from __future__ import annotations

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")


def _silenced_import():
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        import tensorflow as tf  # noqa: F401
        import keras  # noqa: F401
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    return tf, keras


def tf_and_keras():
    """Return ``(tensorflow, keras)``, importing them without C++ start-up noise."""
    if "tensorflow" in sys.modules and "keras" in sys.modules:
        return sys.modules["tensorflow"], sys.modules["keras"]
    tf, keras = _silenced_import()
    tf.get_logger().setLevel("ERROR")
    return tf, keras


def set_seed(seed: int = 0) -> None:
    """One call seeds Python's ``random``, NumPy and Keras/TensorFlow."""
    _, keras = tf_and_keras()
    keras.utils.set_random_seed(int(seed))
