"""benchmarks/pool_rates.py: the plan of corpora and the printed table (no training here)."""

import pytest

from conftest import load_benchmark


@pytest.fixture(scope="module")
def bench():
    return load_benchmark("pool_rates")


def test_plan_keeps_the_old_names_for_clean_and_marks_any(bench):
    plan = bench.make_plan(["duplicate"], [0.25], ["any", "clean"], bundled=True)
    assert [p[0] for p in plan] == ["bundled(any)", "duplicate(any)", "bundled", "duplicate"]
    assert [p[3] for p in plan] == ["any", "any", "clean", "clean"]
    assert [p[0] for p in bench.make_plan(["duplicate"], [0.25, 0.5], ["clean"], bundled=False)] == [
        "duplicate", "duplicate"]


def test_table_reads_old_rows_and_new_ones_and_keeps_only_the_seeds_asked(bench, tmp_path):
    path = tmp_path / "rows.csv"
    # rows written before --duplicates-of existed: kind "duplicate", seeds as strings
    path.write_text("kind,rate,strategy,seed,n_train,accuracy\n"
                    "duplicate,0.25,whole pool,0,10000,0.78\n"
                    "duplicate,0.25,dedup,0,7400,0.70\n"
                    "duplicate,0.25,whole pool,9,10000,0.10\n"
                    "bundled,bundled,whole pool,0,10000,0.75\n"
                    "bundled,bundled,quality,0,9699,0.76\n"
                    "bundled,bundled,dedup,0,8893,0.73\n", encoding="utf-8")
    rows = bench.read_rows(path)
    # rows trained in this run carry int seeds
    rows += [dict(kind="duplicate", rate="0.25", strategy="whole pool", seed=1, n_train=10000, accuracy=0.80),
             dict(kind="duplicate", rate="0.25", strategy="dedup", seed=1, n_train=7400, accuracy=0.74),
             dict(kind="duplicate(any)", rate="0.25", strategy="whole pool", seed=0, n_train=10000, accuracy=0.72),
             dict(kind="duplicate(any)", rate="0.25", strategy="dedup", seed=0, n_train=7370, accuracy=0.73)]
    plan = bench.make_plan(["duplicate"], [0.25], ["any", "clean"], bundled=False)
    lines = bench.table(rows, plan, [0, 1], ["duplicate"])
    assert lines[1].split() == ["duplicate(any)", "0.25", "0.720", "(0.720-0.720)", "0.730", "(0.730-0.730)",
                                "dedup", "7370", "+0.010", "1"]
    # seed 9 is not asked for; seeds 0 (from the file) and 1 (from this run) both count
    assert lines[2].split() == ["duplicate", "0.25", "0.790", "(0.780-0.800)", "0.720", "(0.700-0.740)",
                                "dedup", "7400", "-0.070", "2"]
    assert len(lines) == 3
    # the bundled rates show only the steps of the kinds asked for (quality was an older run's)
    lines = bench.table(rows, bench.make_plan(["duplicate"], [], ["clean"]), [0, 1], ["duplicate"])
    assert [line.split()[:2] + line.split()[-4:] for line in lines[1:]] == [
        ["bundled", "bundled", "dedup", "8893", "-0.020", "1"]]
