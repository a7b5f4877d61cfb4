"""The command line both lesson run files share: run seeds, write one CSV that a lesson reads.

``benchmarks/finetune_runs.py`` (lesson 06) and ``benchmarks/zh_runs.py`` (lesson 11) each
define ``runs(seeds) -> list[dict]`` and their columns; this writes the rows to
``data/<folder>/runs.csv`` (or ``--out``) through a temporary file and a rename, so a run
stopped half way leaves the shipped file as it was.
"""
from __future__ import annotations

import argparse
import csv
import os
from pathlib import Path


def runs_main(argv, *, description: str, folder: str, fields: list[str], runs) -> int:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    p.add_argument("--out", default=None, help=f"CSV to write (default: data/{folder}/runs.csv)")
    args = p.parse_args(argv)
    from sftkit.data import data_dir

    out = Path(args.out) if args.out else data_dir() / folder / "runs.csv"
    rows = runs(args.seeds)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.partial")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, out)
    print(f"wrote {out} ({len(rows)} runs)")
    return 0
