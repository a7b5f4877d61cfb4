"""`sftkit demo` with the shipped pretrained model against `sftkit demo --pretrained none`.

Runs the command itself (``sftkit.cli.main``, the code path a user runs) twice per seed
into temporary folders and prints the test accuracy each run wrote into its
``metrics.json``, and their difference. Everything else is the demo's default.

    python benchmarks/demo_compare.py                 # seed 0 (about 3 minutes on 2 idle cores)
    python benchmarks/demo_compare.py --seeds 0 1 2
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from sftkit.cli import main as sftkit


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            for name, extra in (("shipped", []), ("none", ["--pretrained", "none"])):
                out = Path(tmp) / f"{name}-{seed}"
                start = time.perf_counter()
                code = sftkit(["demo", "--out", str(out), "--seed", str(seed), "--verbose", "0", *extra])
                if code != 0:
                    raise SystemExit(f"sftkit demo {' '.join(extra)} failed with exit code {code}")
                m = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
                rows.append((seed, name, m["accuracy"], m["validation"]["accuracy"], time.perf_counter() - start))
    print("\nseed  pretrained  test accuracy  validation accuracy  seconds")
    for seed, name, acc, val, secs in rows:
        print(f"{seed:4d}  {name:10s}  {acc:13.3f}  {val:19.3f}  {secs:7.0f}")
    for seed in args.seeds:
        by = {name: acc for s, name, acc, _, _ in rows if s == seed}
        print(f"seed {seed}: shipped - none = {by['shipped'] - by['none']:+.3f} test accuracy")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
