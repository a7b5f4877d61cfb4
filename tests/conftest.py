"""Shared fixtures: small labelled files written on the fly, and the CLI run in-process."""
import csv
import random

import pytest

POS = ["great", "lovely", "solid", "excellent", "handy"]
NEG = ["awful", "broken", "flimsy", "terrible", "useless"]
THINGS = ["phone", "kettle", "lamp", "charger", "blender", "jacket"]


def load_benchmark(name):
    """The module ``benchmarks/NAME.py`` (the folder is not a package), imported under its own name."""
    import importlib.util
    import sys
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "benchmarks"
    sys.path.insert(0, str(folder))      # a benchmark may import its sibling modules
    try:
        spec = importlib.util.spec_from_file_location(f"{name}_bench", folder / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(folder))
    return mod


def tiny_rows(n=240, seed=0):
    """A small, learnable sentiment set: positive texts use POS words, negative NEG words."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        label = "positive" if i % 2 == 0 else "negative"
        word = rng.choice(POS if label == "positive" else NEG)
        rows.append({"id": f"t{i:04d}", "text": f"the {rng.choice(THINGS)} is {word} and {rng.choice(THINGS)}",
                     "label": label})
    return rows


def write_csv(path, rows, columns=("id", "text", "label")):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(columns), lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in columns})
    return path


@pytest.fixture
def tiny_csv(tmp_path):
    return write_csv(tmp_path / "tiny.csv", tiny_rows())


@pytest.fixture
def run_cli(capsys):
    """Run ``sftkit ARGS`` in this process; returns (exit code, stdout, stderr)."""
    from sftkit.cli import main

    def run(*args):
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run
