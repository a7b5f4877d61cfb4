"""Every committed lesson is executed, clean, and honest about what it does not compare.

nbval re-runs the lessons and compares outputs; these checks catch what nbval cannot:
a notebook saved from a hand session, stray metadata, an ignored output with no assertion
after it, or TensorFlow noise stored as if it were lesson output.
"""
import json
import re
from pathlib import Path

import pytest

LESSONS = sorted((Path(__file__).resolve().parent.parent / "lessons").glob("[0-9][0-9]_*.ipynb"))
NOISE = re.compile(r"I0000|oneDNN|WARNING:tensorflow|absl::|cuda drivers|━━|\d+/\d+ \[=+")


def test_lessons_exist():
    names = [p.stem[:2] for p in LESSONS]
    assert names[:5] == ["00", "01", "02", "03", "04"], names


def _code_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return nb, [c for c in nb["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_is_executed_top_to_bottom_without_errors(path):
    _, cells = _code_cells(path)
    counts = [c["execution_count"] for c in cells if "".join(c["source"]).strip()]
    assert counts == list(range(1, len(counts) + 1)), "run it with `sftkit lessons run`, not by hand"
    for i, c in enumerate(cells):
        for out in c["outputs"]:
            assert out["output_type"] != "error", f"code cell {i} stores an error"
            text = "".join(out.get("text", "")) + json.dumps(out.get("data", {}).get("text/plain", ""))
            assert not NOISE.search(text), f"code cell {i} stores TensorFlow log or progress-bar output"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_metadata_is_clean(path):
    nb, _ = _code_cells(path)
    assert set(nb["metadata"]) <= {"kernelspec", "language_info"}
    for c in nb["cells"]:
        assert set(c.get("metadata", {})) <= {"tags"}, c["source"][:1]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_ignored_outputs_are_followed_by_an_assertion(path):
    _, cells = _code_cells(path)
    for i, c in enumerate(cells):
        src = "".join(c["source"])
        if "NBVAL_IGNORE_OUTPUT" in src:
            nxt = "".join(cells[i + 1]["source"]) if i + 1 < len(cells) else ""
            assert "assert" in nxt, f"code cell {i} ignores its output but the next cell asserts nothing"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_starts_with_setup_and_never_imports_tensorflow_itself(path):
    _, cells = _code_cells(path)
    first = "".join(cells[0]["source"])
    assert "setup(" in first, "the first code cell must call sftkit.lesson.setup()"
    for c in cells:
        src = "".join(c["source"])
        assert not re.search(r"^\s*(import tensorflow|from tensorflow)", src, re.M), \
            "get tf from setup(); a direct import prints C++ log lines into the notebook"
