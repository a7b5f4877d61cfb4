"""The course ships with the package: `sftkit lessons copy` gives a student every lesson without a clone."""
import configparser

import pytest

from sftkit.course import CourseError, copy_lessons, find_lessons, lessons_dir


def test_copy_writes_every_lesson_and_what_nbval_needs(run_cli, tmp_path):
    code, out, err = run_cli("lessons", "copy", tmp_path / "course")
    assert code == 0, err
    source = sorted(p.name for p in lessons_dir().glob("[0-9][0-9]_*.ipynb"))
    copied = sorted(p.name for p in (tmp_path / "course").glob("[0-9][0-9]_*.ipynb"))
    assert copied == source and len(copied) >= 10
    for name in copied:
        assert (tmp_path / "course" / name).read_bytes() == (lessons_dir() / name).read_bytes()
    ini = configparser.ConfigParser()
    ini.read(tmp_path / "course" / "pytest.ini")
    assert "--nbval-current-env" in ini["pytest"]["addopts"]
    assert "sanitize" not in ini["pytest"]["addopts"]   # a relative path there is read from the working directory
    assert "sanitize.cfg" in (tmp_path / "course" / "conftest.py").read_text()
    assert (tmp_path / "course" / "sanitize.cfg").exists() and (tmp_path / "course" / "README.md").exists()
    assert f"wrote {len(copied)} lessons" in out
    assert not (tmp_path / "course" / "SOLUTIONS.md").exists()
    code, _, err = run_cli("lessons", "copy", tmp_path / "teacher", "--solutions")
    assert code == 0 and "## 01.4" in (tmp_path / "teacher" / "SOLUTIONS.md").read_text()


def test_copy_of_some_lessons_and_a_folder_with_work_in_it(run_cli, tmp_path):
    written = copy_lessons(tmp_path / "two", ["01", "03_the_model"])
    assert [p.name for p in written] == ["01_cross_entropy.ipynb", "03_the_model.ipynb"]
    (tmp_path / "two" / "01_cross_entropy.ipynb").write_text("my answers")
    code, _, err = run_cli("lessons", "copy", tmp_path / "two")
    assert code == 2 and "may hold your work" in err and err.count("\n") == 1
    assert (tmp_path / "two" / "01_cross_entropy.ipynb").read_text() == "my answers"
    code, _, err = run_cli("lessons", "copy", tmp_path / "three", "42")
    assert code == 2 and "42: no such lesson" in err and not (tmp_path / "three").exists()


def test_lessons_run_says_what_is_wrong(run_cli, tmp_path, monkeypatch):
    code, out, err = run_cli("lessons", "run", "--dir", tmp_path)
    assert code == 2 and "no lessons here" in err and "sftkit lessons copy" in err
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "nbclient" else real(name, *a))
    copy_lessons(tmp_path / "c", ["00"])
    code, out, err = run_cli("lessons", "run", "--dir", tmp_path / "c")
    assert code == 2 and 'pip install "sftkit[test]"' in err and "nbclient" in err


def test_find_lessons_refuses_an_empty_folder(tmp_path):
    with pytest.raises(CourseError, match="no lessons here"):
        find_lessons([], tmp_path)


def _cells(path):
    import json

    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_blank_notebook_clears_answers_and_nothing_else():
    from sftkit.course import IGNORE_OUTPUT_TAG, blank_notebook

    worked = {"cell_type": "code", "metadata": {}, "execution_count": 7,
              "source": ["from sftkit.exercises import check\n", "\n", "x = 3 * 4\n", "answer = x / 2\n",
                         'check("03.2", answer)'],
              "outputs": [{"output_type": "stream", "name": "stdout", "text": ["03.2: right.\n"]}]}
    prose = {"cell_type": "markdown", "metadata": {}, "source": ['check("03.2", answer)']}
    other = {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": ["print(1)"],
             "outputs": [{"output_type": "stream", "name": "stdout", "text": ["1\n"]}]}
    nb = {"cells": [dict(other), dict(prose), worked]}
    assert blank_notebook(nb) == 1
    assert nb["cells"][:2] == [other, prose]
    cleared = nb["cells"][2]
    assert "".join(cleared["source"]) == ('from sftkit.exercises import check\n\n'
                                         'answer = None  # your answer, as a whole number\ncheck("03.2", answer)')
    assert cleared["outputs"] == [] and cleared["execution_count"] is None
    assert cleared["metadata"]["tags"] == [IGNORE_OUTPUT_TAG]
    before = [dict(c) for c in nb["cells"]]
    assert blank_notebook(nb) == 1 and nb["cells"] == before          # clearing twice changes nothing more


def test_copy_blank_clears_every_answer_cell_and_keeps_the_rest(run_cli, tmp_path):
    from sftkit.course import answer_cell_id

    code, out, err = run_cli("lessons", "copy", tmp_path / "course", "--blank")
    assert code == 0, err
    assert "with blank exercise answers" in out
    cleared = 0
    for source in sorted(lessons_dir().glob("[0-9][0-9]_*.ipynb")):
        mine = _cells(tmp_path / "course" / source.name)
        theirs = _cells(source)
        assert len(mine) == len(theirs)
        for a, b in zip(mine, theirs):
            if answer_cell_id(b) is None:
                assert a == b, source.name                                # every other cell as shipped
            else:
                src = "".join(a["source"])
                assert "answer = None  # your answer, as " in src and a["outputs"] == [], source.name
                rest = [line for line in src.splitlines() if line and not line.startswith(("import ", "from "))]
                assert len(rest) == 2 and rest[1].startswith("check(")    # imports, None, the check: no worked answer
                cleared += 1
    assert cleared >= 20


def test_a_plain_copy_runs_top_to_bottom_and_asks_for_every_answer(tmp_path):
    """What a student gets (`sftkit lessons copy DIR`, no flag): lesson 05 runs top to bottom in a
    fresh kernel, and each check says "not answered yet": the lessons ship no answers."""
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    copy_lessons(tmp_path / "course", ["05"])
    lesson = next((tmp_path / "course").glob("05_*.ipynb"))
    from sftkit.course import _kernel_manager

    nb = nbformat.read(lesson, as_version=4)
    nbclient.NotebookClient(nb, km=_kernel_manager(lesson.parent), timeout=600,
                            resources={"metadata": {"path": str(lesson.parent)}}).execute()
    printed = ["".join(o.get("text", "") for o in c.outputs) for c in nb.cells
               if c.cell_type == "code" and 'check("05.' in "".join(c.source)]
    assert len(printed) == 4 and all("not answered yet" in p for p in printed), printed


def test_a_copied_course_checks_from_any_working_directory(tmp_path):
    """`pytest --nbval /path/to/course` from elsewhere found no sanitize.cfg (nbval reads the
    option relative to the working directory); the copy's conftest.py gives nbval its own."""
    import subprocess
    import sys

    copy_lessons(tmp_path / "course", ["01"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                          str(tmp_path / "course")], cwd=elsewhere, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:]
    assert "passed" in out.stdout and "sanitize" not in out.stdout
