"""The course: where the lessons are, copying them for a student, and running them.

``pip install sftkit`` ships the lessons inside the package, so a student needs no clone:

    sftkit lessons copy my-course           # the lessons (exercise answers empty), nbval settings
    cd my-course && jupyter lab             # or: pytest --nbval  (with sftkit[test])

The lessons ship with every exercise answer cell empty (``answer = None``; tests/test_lessons_clean.py
keeps it so): the worked solutions live only in :mod:`sftkit.solutions`, which an instructor
gets with ``sftkit lessons copy DIR --solutions`` (``SOLUTIONS.md``).

``sftkit lessons run`` is the maintainers' tool: it executes lessons in a fresh kernel of
this Python, cells top to bottom, stores their outputs and removes volatile metadata (the
only way lessons are committed); nbval later re-runs each notebook and compares its
outputs with the stored ones. It needs the ``test`` extra (nbclient, ipykernel).
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Sequence

LESSON_GLOB = "[0-9][0-9]_*.ipynb"
SANITIZE_FILE = "sanitize.cfg"
PYTEST_INI = """[pytest]
# `pytest --nbval` here runs every lesson in this folder with the current Python and
# compares its outputs with the stored ones (volatile text replaced per sanitize.cfg).
addopts = --nbval-current-env
filterwarnings =
    ignore::DeprecationWarning
"""
# nbval reads --nbval-sanitize-with relative to the working directory, so a path in pytest.ini
# breaks `pytest --nbval /path/to/course` run from elsewhere; conftest.py gives it this folder's.
CONFTEST = '''"""Written by `sftkit lessons copy`: points nbval at this folder's sanitize.cfg, whatever the
working directory `pytest --nbval` runs from."""
from pathlib import Path


def pytest_configure(config):
    if getattr(config.option, "nbval_sanitize_with", None) is None:
        config.option.nbval_sanitize_with = str(Path(__file__).with_name("sanitize.cfg"))
'''
COURSE_README = """# sftkit lessons

Copied by `sftkit lessons copy`. Open them with `jupyter lab` (pip install jupyterlab)
and work through them in order. Each lesson runs offline; the data ships with sftkit.

To check that every lesson still runs and prints what it printed when it was written:

    pip install "sftkit[test]"
    pytest --nbval

Change a number in a lesson, re-run it, and see what moves: that is the point.

Exercises marked ✓ in a lesson's "Try this" list check themselves: write your answer in
the cell that ends with `check("NN.K", answer)` (replace `None`) and run it. The check
says "right", or gives a hint; it never shows the solution.
"""


# ----------------------------------------------------------------------------- exercise answer cells
# An *answer cell* is a code cell with one line ``check("NN.K", answer)`` (sftkit.exercises).
# The lessons ship each one as its imports, ``answer = None`` and the check, exactly what
# :func:`blank_answer` writes (tests/test_lessons_clean.py); the student fills in the answer.
# Nothing after the first answer cell of a lesson may read what an answer cell defines, so
# clearing them never breaks the lesson (tests/test_exercises.py checks the layout).
CHECK_LINE = re.compile(r'^check\("(\d\d\.\d+)", answer\)\s*$', re.MULTILINE)
IMPORT_LINE = re.compile(r"^(import \S|from \S+ import \S)")
# nbval's cell tag: a cleared cell prints "not answered yet", not the output stored with it
IGNORE_OUTPUT_TAG = "nbval-ignore-output"


def answer_cell_id(cell) -> str | None:
    """The exercise id checked by ``cell`` (a notebook cell as a dict), or None if it is no answer cell."""
    if cell.get("cell_type") != "code":
        return None
    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    found = CHECK_LINE.findall(source)
    return found[0] if len(found) == 1 else None


def blank_answer(source: str, exercise_id: str) -> str:
    """An answer cell's source with its answer cleared: imports kept, ``answer = None``, the check.

    Raises ``KeyError`` for an exercise id :mod:`sftkit.exercises` does not know.
    """
    from sftkit.exercises import EXERCISES

    form = EXERCISES[exercise_id].form
    imports = [line for line in source.splitlines() if IMPORT_LINE.match(line)]
    lines = imports + ([""] if imports else []) + [
        f"answer = None  # your answer, as {form}", f'check("{exercise_id}", answer)']
    return "\n".join(lines)


def blank_notebook(nb: dict) -> int:
    """Clear every answer cell of ``nb`` (a notebook as JSON) in place; returns how many were cleared.

    A cleared cell keeps its imports and its ``check`` line, gets ``answer = None`` in place of
    the answer, loses its stored outputs, and is tagged so that ``pytest --nbval`` does not
    compare its new output ("not answered yet") with the old one. Every other cell is untouched.
    """
    cleared = 0
    for cell in nb["cells"]:
        key = answer_cell_id(cell)
        if key is None:
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        cell["source"] = blank_answer(source, key).splitlines(keepends=True)
        cell["outputs"], cell["execution_count"] = [], None
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if IGNORE_OUTPUT_TAG not in tags:
            tags.append(IGNORE_OUTPUT_TAG)
        cleared += 1
    return cleared


class CourseError(Exception):
    """A problem with the lessons folder or the tools to run it; printed as one line (exit 2)."""


def lessons_dir() -> Path:
    """The lessons: inside the installed package, or ``lessons/`` in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "lessons", here.parent / "lessons"):
        if any(candidate.glob(LESSON_GLOB)):
            return candidate
    raise CourseError("sftkit's lessons are missing from this installation; reinstall the package")


def copy_lessons(dest, names: Sequence[str] = (), *, solutions: bool = False, blank: bool = False) -> list[Path]:
    """Write the lessons (all, or ``names``), ``sanitize.cfg``, ``pytest.ini``, ``conftest.py`` and a README into ``dest``.

    ``dest`` must be new or empty: a course folder holds a student's work, so it is never
    replaced. The lessons ship without exercise answers, so a plain copy is what a student
    needs. ``blank=True`` also resets every answer cell (:func:`blank_notebook`: ``answer = None``
    with a comment giving the expected form, stored output removed), e.g. for a folder made from
    lessons someone has filled in; every other cell, with its stored output, is copied unchanged.
    ``solutions=True`` (for instructors) adds ``SOLUTIONS.md``, the worked solutions of the
    checked exercises (:mod:`sftkit.solutions`), the one place they are kept. Written into a temporary folder and renamed into place. Returns
    the lesson paths written. Raises :class:`CourseError` for a folder that exists and is not empty.
    """
    from sftkit.runs import finish_run_dir, prepare_run_dir

    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise CourseError(f"{dest}: exists and is not empty (it may hold your work); choose another folder")
    source = lessons_dir()
    lessons = find_lessons(names, source)
    tmp = prepare_run_dir(dest, flag="DIR")
    try:
        for path in lessons:
            if blank:
                nb = json.loads(path.read_text(encoding="utf-8"))
                blank_notebook(nb)
                (tmp / path.name).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            else:
                shutil.copyfile(path, tmp / path.name)
        shutil.copyfile(source / SANITIZE_FILE, tmp / SANITIZE_FILE)
        (tmp / "pytest.ini").write_text(PYTEST_INI, encoding="utf-8")
        (tmp / "conftest.py").write_text(CONFTEST, encoding="utf-8")
        (tmp / "README.md").write_text(COURSE_README, encoding="utf-8")
        if solutions:
            from sftkit.solutions import as_markdown

            (tmp / "SOLUTIONS.md").write_text(as_markdown(), encoding="utf-8")
        finish_run_dir(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [dest.resolve() / p.name for p in lessons]


def require_test_extras() -> None:
    """Raise :class:`CourseError` naming the install command if nbclient or ipykernel is missing."""
    import importlib.util

    missing = [m for m in ("nbclient", "nbformat", "ipykernel", "jupyter_client") if importlib.util.find_spec(m) is None]
    if missing:
        raise CourseError(f"running lessons needs {', '.join(missing)}: pip install \"sftkit[test]\"")

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


def find_lessons(names, folder) -> list[Path]:
    """The lesson notebooks in ``folder`` (all, or those named by number or stem), in order."""
    folder = Path(folder)
    lessons = sorted(folder.glob(LESSON_GLOB))
    if not lessons:
        raise CourseError(f"{folder}: no lessons here; `sftkit lessons copy DIR` writes a copy of them")
    if not names:
        return lessons
    chosen = []
    for name in names:
        match = [p for p in lessons if p.stem == name or p.stem.startswith(f"{name}_") or p.name == name]
        if not match:
            raise CourseError(f"{folder / name}: no such lesson (have: {', '.join(p.stem for p in lessons)})")
        chosen.extend(match)
    return chosen


def run_lessons(names=(), folder="lessons", timeout: int = 300, echo=print) -> bool:
    """Execute lessons in fresh kernels and save them with outputs. Returns True if all ran.

    Raises :class:`CourseError` when the test extras are missing or ``folder`` holds no lessons.
    """
    import time

    require_test_extras()

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
