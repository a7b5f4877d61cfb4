"""Where sftkit writes: one rule for every output, and writes that are never half done.

The rule, for every command:

* sftkit writes a folder only if it does not exist yet, is empty, or was written by
  sftkit before (it holds the marker file :data:`RUN_MARKER`); it never writes into a
  folder of yours;
* it replaces a single file only if sftkit wrote it (the caller says how to recognise
  its own files) and never an input file of the same command;
* everything is written to a temporary name next to the target and renamed into place
  at the end, so an error or Ctrl-C leaves the old output (or nothing) behind, never a
  half-written one.

Anything else is refused with :class:`OutputError`, a ``FileExistsError`` that the
command prints as one line (exit code 2). New folders honour the umask, like any file
the user creates.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterable

RUN_MARKER = ".sftkit-run"
_MARKER_TEXT = "written by sftkit; sftkit may replace this folder with a new run\n"


class OutputError(FileExistsError):
    """An output place that sftkit may not write; the message names it and says what to do."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def is_sftkit_folder(folder: Path) -> bool:
    """True if ``folder`` carries sftkit's marker file."""
    return (Path(folder) / RUN_MARKER).is_file()


def check_output_folder(out, *, inputs: Iterable = (), flag: str = "--out",
                        own_files: Iterable[str] | None = None) -> Path:
    """Refuse ``out`` unless sftkit may write it (see the module's rule); returns it resolved.

    ``own_files``: the names the command writes into the folder; when given, a folder
    sftkit wrote is replaced only if it holds nothing else (so a file the user added to
    an old run's folder is never deleted).

    Raises :class:`OutputError` if ``out`` is a file, a non-empty folder sftkit did not
    write, a folder holding one of ``inputs`` (replacing it would delete an input), a
    folder holding files not in ``own_files``, or a path under a file (``a.csv/sub``).
    """
    out = Path(out).resolve()
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"{out}: {parent} is a file, not a folder; choose another {flag}")
            break
    for src in inputs:
        if src is None or str(src) == "-":
            continue
        src = Path(src)
        if _same_path(src, out) or _inside(src, out):
            raise OutputError(f"{out}: holds the input {src}; choose another {flag}")
    if out.exists():
        if not out.is_dir():
            raise OutputError(f"{out}: exists and is not a folder; choose another {flag}")
        if any(out.iterdir()) and not is_sftkit_folder(out):
            raise OutputError(f"{out}: folder exists, is not empty and was not written by sftkit; "
                              f"choose another {flag}")
        if own_files is not None:
            mine = set(own_files) | {RUN_MARKER}
            other = sorted(p.name for p in out.iterdir() if p.name not in mine)
            if other:
                shown = ", ".join(other[:3]) + (f" and {len(other) - 3} more" if len(other) > 3 else "")
                raise OutputError(f"{out}: an earlier run's folder that now also holds {shown}; replacing it would "
                                  f"delete them: move them out or choose another {flag}")
    return out


def prepare_run_dir(out, *, inputs: Iterable = (), flag: str = "--out",
                    own_files: Iterable[str] | None = None) -> Path:
    """Check ``out`` and return a new temporary folder next to it to write the run into.

    Finish with :func:`finish_run_dir`; on failure remove the temporary folder
    (``shutil.rmtree``). Raises :class:`OutputError` (see :func:`check_output_folder`).
    """
    out = check_output_folder(out, inputs=inputs, flag=flag, own_files=own_files)
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))


def finish_run_dir(tmp: Path, out) -> Path:
    """Mark ``tmp`` as sftkit's, give it the umask's permissions and move it to ``out``."""
    out = Path(out).resolve()
    tmp = Path(tmp)
    (tmp / RUN_MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
    os.chmod(tmp, 0o777 & ~_umask())
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out)
    return out


def claim_folder(out, *, inputs: Iterable = (), flag: str = "--out") -> Path:
    """Create (or reuse) ``out`` as an sftkit folder written in place, for long jobs that resume.

    Used where the output must exist while the job runs (``sftkit pretrain`` keeps its
    backup there). Raises :class:`OutputError` as :func:`check_output_folder` does.
    """
    out = check_output_folder(out, inputs=inputs, flag=flag)
    out.mkdir(parents=True, exist_ok=True)
    marker = out / RUN_MARKER
    if not marker.exists():
        marker.write_text(_MARKER_TEXT, encoding="utf-8")
    return out


def write_file(path, content: str | bytes, *, inputs: Iterable = (), flag: str = "--out",
               written_by_sftkit: Callable[[Path], bool] | None = None) -> Path:
    """Write one file atomically, under the module's rule.

    Refuses (:class:`OutputError`) when ``path`` is one of ``inputs``, is a folder, or
    exists and ``written_by_sftkit(path)`` does not say sftkit wrote it (without that
    callable, an existing file is never replaced). The parent folder must exist.
    """
    path = Path(path)
    for src in inputs:
        if src is not None and str(src) != "-" and (_same_path(Path(src), path)
                                                    or Path(src).resolve() == path.resolve()):
            raise OutputError(f"{path}: is an input of this command; choose another {flag}")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; {flag} takes a file name")
    if path.exists() and not (written_by_sftkit is not None and written_by_sftkit(path)):
        raise OutputError(f"{path}: exists and was not written by sftkit; choose another {flag} or delete it")
    if not path.parent.exists():
        raise OutputError(f"{path.parent}: no such folder; create it or choose another {flag}")
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.partial-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def json_written_by_sftkit(path: Path) -> bool:
    """True for a JSON file whose top level has ``"written_by": "sftkit ..."`` (how reports mark themselves)."""
    import json

    try:
        obj = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(obj, dict) and str(obj.get("written_by", "")).startswith("sftkit")
