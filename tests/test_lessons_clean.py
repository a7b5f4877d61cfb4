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


# ----------------------------------------------------------------------------- exercise answer cells ship empty
# (issue 16) The worked solutions live in one place, sftkit.solutions: a lesson's answer cell (the
# one-line `check("NN.K", answer)` cell that `sftkit lessons copy --blank` recognises) ships as its
# imports, `answer = None` and the check, so a plain copy hands a student no answers.
CHECK_CALL = re.compile(r'\bcheck\(\s*["\'](\d\d\.\d+)["\']')


def _statements(source):
    """The statements of a cell as AST dumps (comments and blank lines do not count)."""
    import ast

    return [ast.dump(node) for node in ast.parse(source).body]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_answer_cells_ship_without_an_answer(path):
    from sftkit.course import answer_cell_id, blank_answer
    from sftkit.exercises import NOT_ANSWERED

    _, cells = _code_cells(path)
    for i, c in enumerate(cells):
        src = "".join(c["source"])
        key = answer_cell_id(c)
        if key is None:
            assert not CHECK_CALL.search(src), \
                f"code cell {i} calls check() but is not an answer cell (one line `check(\"NN.K\", answer)`)"
            continue
        # the cell is exactly what `lessons copy --blank` would write: imports, answer = None, the check
        assert _statements(src) == _statements(blank_answer(src, key)), \
            f"code cell {i} ({key}) computes or assigns an answer; ship `answer = None` (solutions: sftkit.solutions)"
        printed = "".join("".join(o.get("text", "")) for o in c["outputs"])
        assert printed.startswith(f"{key}: {NOT_ANSWERED}"), (f"code cell {i}", printed)
        assert all(o["output_type"] == "stream" for o in c["outputs"]), f"code cell {i} stores a result value"


def test_the_answer_cell_rule_catches_a_worked_answer():
    """The rule above, on cells it must refuse and accept (so it cannot pass by accident)."""
    from sftkit.course import blank_answer

    empty = 'from sftkit.exercises import check\n\nanswer = None  # exercise 1: a number\ncheck("05.1", answer)'
    assert _statements(empty) == _statements(blank_answer(empty, "05.1"))
    for worked in ('answer = 3\ncheck("05.1", answer)',
                   'answer = None\nanswer = (13, 1.6, 0.5)\ncheck("05.1", answer)',
                   'x = lm.history\nanswer = None\ncheck("05.1", answer)',
                   'answer = None or 13\ncheck("05.1", answer)'):
        assert _statements(worked) != _statements(blank_answer(worked, "05.1")), worked


# ----------------------------------------------------------------------------- every "Try this" item is checked (issue 16)
# A lesson's "Try this" list holds only checked exercises: item K is marked ✓ and has the answer cell
# `check("NN.K", answer)`. Items with no single answer go under a later "### Explore (no single answer)"
# heading, as bullets, so a student knows which items check themselves.
# TRY_PENDING lists the lessons still being converted (work in progress); every other lesson, including
# any lesson added later, is checked. Now that it is empty every lesson is.
TRY_PENDING = []
TRY_CHECKED = [p.stem[:2] for p in LESSONS if p.stem[:2] not in TRY_PENDING]
ITEM = re.compile(r"^(\d+)\. (.*)$", re.MULTILINE)
# "## Try this", or a heading in the lesson's language with the English in brackets ("## 动手试试 (Try this)")
TRY_HEADING = re.compile(r"^## (?:[^\n]*\()?Try this\)?[ \t]*$", re.MULTILINE)


def try_items(markdown):
    """The numbered items of a "Try this" section, as (number, text), up to the next heading or the
    exercises note; None if the text has no "Try this" heading."""
    heading = TRY_HEADING.search(markdown)
    if heading is None:
        return None
    section = markdown[heading.end():]
    section = re.split(r"^#{2,3} |^Exercises marked", section, maxsplit=1, flags=re.MULTILINE)[0]
    return [(int(n), body) for n, body in ITEM.findall(section)]


def try_problems(nb, number):
    """What is wrong with lesson ``number``'s "Try this" list (an empty list when nothing is)."""
    from sftkit.course import answer_cell_id
    from sftkit.exercises import EXERCISES

    found = [items for c in nb["cells"] if c["cell_type"] == "markdown"
             for items in [try_items("".join(c["source"]))] if items is not None]
    if len(found) != 1:
        return [f"one 'Try this' section expected, found {len(found)}"]
    items = found[0]
    problems = []
    if not items:
        problems.append("the 'Try this' section has no numbered items")
    if [n for n, _ in items] != list(range(1, len(items) + 1)):
        problems.append("items numbered 1..n")
    unchecked = [n for n, body in items if not body.startswith("✓ ")]
    if unchecked:
        problems.append(f"items {unchecked} are not ✓ (check them, or move them to Explore)")
    keys = [k for k in map(answer_cell_id, nb["cells"]) if k]
    if keys != [f"{number}.{n}" for n, _ in items]:
        problems.append(f"answer cells {keys}")
    if not all(key in EXERCISES for key in keys):
        problems.append("an answer cell names an unknown exercise")
    return problems


def test_every_lesson_is_checked_or_pending():
    numbers = [p.stem[:2] for p in LESSONS]
    assert set(TRY_PENDING) <= set(numbers) and sorted(TRY_CHECKED + TRY_PENDING) == numbers
    assert len(TRY_CHECKED) >= 5


@pytest.mark.parametrize("number", TRY_CHECKED)
def test_every_try_this_item_is_a_checked_exercise(number):
    path = next(p for p in LESSONS if p.stem.startswith(number))
    problems = try_problems(json.loads(path.read_text(encoding="utf-8")), number)
    assert not problems, f"{path.name}: {problems}"


def test_the_try_this_rule_refuses_an_unchecked_item_and_accepts_the_finished_form():
    """The rule above on small notebooks, so it cannot pass by accident (e.g. once TRY_PENDING is empty)."""
    def notebook(markdown, keys):
        cells = [{"cell_type": "markdown", "metadata": {}, "source": [markdown]}]
        for k in keys:
            cells.append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                          "source": [f'answer = None\ncheck("{k}", answer)']})
        return {"cells": cells}

    finished = "## Try this\n\n1. ✓ Count it.\n\n### Explore (no single answer)\n\n* Write your own.\n"
    assert try_problems(notebook(finished, ["12.1"]), "12") == []
    unchecked = "## Try this\n\n1. ✓ Count it.\n2. Write your own.\n"
    assert any("items [2] are not ✓" in p for p in try_problems(notebook(unchecked, ["12.1"]), "12"))
    assert try_problems(notebook("## Try this\n\n* a bullet, not an item\n", []), "12") == \
        ["the 'Try this' section has no numbered items"]
    assert any("answer cells" in p for p in try_problems(notebook(finished, []), "12"))
    assert try_problems(notebook("## Summary\n", []), "12") == ["one 'Try this' section expected, found 0"]


def test_try_items_finds_an_unchecked_item_and_stops_at_explore():
    md = ("## Summary\n\n1. not an item of the list\n\n## Try this\n\n1. ✓ Count it.\n   More text.\n"
          "2. Write your own.\n\n### Explore (no single answer)\n\n1. an open item\n\n"
          "Exercises marked ✓ check themselves.")
    assert try_items(md) == [(1, "✓ Count it."), (2, "Write your own.")]
    assert try_items("## Summary\n\n1. x") is None
    assert try_items("## 动手试试 (Try this)\n\n1. ✓ 数一数。\n2. 写一段。\n") == [(1, "✓ 数一数。"), (2, "写一段。")]
