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
    assert "--nbval-current-env" in ini["pytest"]["addopts"] and "sanitize.cfg" in ini["pytest"]["addopts"]
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
