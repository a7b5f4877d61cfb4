"""benchmarks/selection.py: the random-among-kept control."""
import numpy as np
import pytest

from conftest import load_benchmark
from sftkit.selection import select


@pytest.fixture(scope="module")
def bench():
    return load_benchmark("selection")


def test_random_among_kept_takes_only_rows_the_selection_keeps(bench):
    drop = np.zeros(50, dtype=bool)
    drop[::3] = True                                  # the selection drops 17 rows, keeps 33
    picked = select(bench.random_among_kept(drop, seed=4), budget=20).kept
    assert len(picked) == 20
    assert not drop[picked].any()


def test_random_among_kept_is_seeded_and_differs_between_seeds(bench):
    drop = np.zeros(200, dtype=bool)
    drop[150:] = True
    first = select(bench.random_among_kept(drop, seed=1), budget=40).kept
    assert list(first) == list(select(bench.random_among_kept(drop, seed=1), budget=40).kept)
    assert list(first) != list(select(bench.random_among_kept(drop, seed=2), budget=40).kept)
    assert list(first) != list(range(40))             # not simply the first kept rows in file order
