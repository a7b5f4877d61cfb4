"""Project-wide pytest setup: lesson timings in the summary, TensorFlow kept quiet."""
import os
from collections import defaultdict

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

_lesson_seconds = defaultdict(float)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _lesson_seconds[path] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not _lesson_seconds:
        return
    terminalreporter.section("lesson run times (each must stay under 60 s on 2 cores)")
    for path, seconds in sorted(_lesson_seconds.items()):
        flag = "" if seconds < 60 else "   <-- over budget"
        terminalreporter.write_line(f"{seconds:6.1f} s  {path}{flag}")
