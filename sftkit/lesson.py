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


# ----------------------------------------------------------------------------- running lessons
# ``sftkit lessons run`` is the one way lessons are executed before they are committed:
# a fresh kernel of *this* Python, cells top to bottom, outputs stored, volatile metadata
# removed. nbval later re-runs each notebook and compares its outputs with the stored ones.

KEEP_NB_METADATA = ("kernelspec", "language_info")


def _kernel_manager(cwd):
    """A kernel manager whose ``python3`` kernel is this interpreter (like nbval's current-env)."""
    import ipykernel.kernelspec
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    class _ThisPython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            return self.kernel_spec_class(resource_dir=ipykernel.kernelspec.RESOURCES,
                                          **ipykernel.kernelspec.get_kernel_dict())

    return KernelManager(kernel_name="python3", kernel_spec_manager=_ThisPython())


def clean_metadata(nb) -> None:
    """Keep only what a reader needs: kernel name and language, no timings or widget state."""
    nb.metadata = {k: nb.metadata[k] for k in KEEP_NB_METADATA if k in nb.metadata}
    if "language_info" in nb.metadata:
        nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    for cell in nb.cells:
        cell.metadata = {k: v for k, v in cell.metadata.items() if k == "tags"}
        cell.pop("id", None)
    nb.nbformat, nb.nbformat_minor = 4, 4


def find_lessons(names, folder):
    from pathlib import Path

    folder = Path(folder)
    lessons = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if not names:
        return lessons
    chosen = []
    for name in names:
        match = [p for p in lessons if p.stem == name or p.stem.startswith(f"{name}_") or p.name == name]
        if not match:
            raise FileNotFoundError(f"{folder / name}: no such lesson (have: {', '.join(p.stem for p in lessons)})")
        chosen.extend(match)
    return chosen


def run_lessons(names=(), folder="lessons", timeout: int = 300, echo=print) -> bool:
    """Execute lessons in fresh kernels and save them with outputs. Returns True if all ran."""
    import time

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    ok = True
    for path in find_lessons(names, folder):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        start = time.perf_counter()
        client = NotebookClient(nb, km=_kernel_manager(path.parent), timeout=timeout,
                                resources={"metadata": {"path": str(path.parent)}}, record_timing=False)
        try:
            client.execute()
        except CellExecutionError as e:
            ok = False
            echo(f"{path}: FAILED after {time.perf_counter() - start:.1f}s, not saved\n{str(e).splitlines()[0]}")
            continue
        clean_metadata(nb)
        nbformat.validate(nb)
        tmp = path.with_name(f".{path.name}.partial")
        nbformat.write(nb, tmp)
        tmp.replace(path)
        echo(f"{path}: ran in {time.perf_counter() - start:.1f}s, saved")
    return ok
