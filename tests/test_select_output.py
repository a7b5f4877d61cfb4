"""`sftkit select` output: reads back to exactly the input rows, and says what it did (issue 11: 3, 12)."""
import csv
import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from sftkit.data import load_labelled
from tests.conftest import tiny_rows

NASTY = ['she said "great", then left', "line one\rline two", "para\u2029graph and\u2028more", "tab\there",
         "中文评论，很好", "emoji 😀🎉 ok", "vertical\x0btab\x0cfeed\x1cfs\x85nel", "", "  spaces  ", "a,b;c"]


def input_rows():
    rows = tiny_rows(40)
    for i, t in enumerate(NASTY):
        rows.append({"id": f"n{i}", "text": t, "label": "positive" if i % 2 else "negative"})
    rows.append(dict(rows[0], id="dup-1"))
    return rows


def write_quote_all(path, rows):
    """The input, written by Python's csv module (not sftkit), every field quoted."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow(["id", "text", "label"])
        w.writerows([r["id"], r["text"], r["label"]] for r in rows)
    return path


def three_ways(path):
    d = load_labelled(path, allow_empty_text=True)
    mine = list(zip(d.ids, d.texts, d.labels))
    with open(path, newline="", encoding="utf-8") as f:
        std = [(r["id"], r["text"], r["label"]) for r in csv.DictReader(f)]
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    pan = list(zip(df["id"], df["text"], df["label"]))
    assert mine == std == pan, path
    return mine


@pytest.mark.parametrize("strategy, budget", [("filter", None), ("random", "0.5")])
def test_select_output_reads_back_to_exactly_the_input_rows(tmp_path, run_cli, strategy, budget):
    rows = input_rows()
    src = write_quote_all(tmp_path / "in.csv", rows)
    before = src.read_bytes()
    out = tmp_path / "out"
    code, stdout, _ = run_cli("select", "--data", src, "--strategy", strategy, "--out", out,
                              *(["--budget", budget] if budget else []))
    assert code == 0 and src.read_bytes() == before
    kept, rejected = three_ways(out / "kept.csv"), three_ways(out / "rejected.csv")
    assert sorted(kept + rejected) == sorted((r["id"], r["text"], r["label"]) for r in rows)
    assert len(kept) + len(rejected) == len(rows)


def reasons_in(path):
    with open(path, newline="", encoding="utf-8") as f:
        return Counter(r["reason"] for r in csv.DictReader(f))


def printed_counts(stdout):
    m = re.search(r"kept (\d+) of (\d+) rows, rejected (\d+) \(([^)]*)\)", stdout)
    assert m, stdout
    counts = {k: int(v) for k, v in (part.rsplit(" ", 1) for part in m.group(4).split(", "))}
    return int(m.group(1)), int(m.group(2)), int(m.group(3)), counts


def test_select_prints_the_counts_rejected_csv_holds_with_one_reason_vocabulary(tmp_path, run_cli, monkeypatch):
    from sftkit.selection import cli as select_cli
    from sftkit.selection import noisy

    rows = tiny_rows(60)
    rows += [dict(rows[0], id="dup-1"), dict(rows[1], id="dup-2", text=rows[1]["text"].upper()),
             {"id": "junk-1", "text": "", "label": "positive"},
             {"id": "junk-2", "text": "click here to see more reviews", "label": "negative"},
             {"id": "junk-3", "text": "$$$ ### @@@ !!!", "label": "positive"}]
    flipped = {5, 6, 7, 8}  # out-of-fold models "say" these rows have the other label

    def fake_rounds(texts, labels, **kwargs):  # stands in for K-fold training
        classes = sorted(set(labels))
        p = np.full((len(labels), 2), 0.1)
        for i, lab in enumerate(labels):
            j = classes.index(lab)
            p[i, 1 - j if i in flipped else j] = 0.9
        return [p]

    monkeypatch.setattr(noisy, "iterative_out_of_fold", fake_rounds)
    src = write_quote_all(tmp_path / "in.csv", rows)
    out = tmp_path / "out"
    code, stdout, _ = run_cli("select", "--data", src, "--strategy", "pipeline", "--budget", "40", "--out", out)
    assert code == 0
    n_kept, n_in, n_rej, printed = printed_counts(stdout)
    in_file = reasons_in(out / "rejected.csv")
    assert printed == dict(in_file) and sum(printed.values()) == n_rej, stdout
    assert n_in == len(rows) and n_kept == 40 and n_rej == len(rows) - 40
    assert set(in_file) == {"duplicate", "low_quality", "label_issue", "over_budget"}, stdout
    assert set(in_file) <= set(select_cli.REASONS)
    with open(out / "rejected.csv", newline="", encoding="utf-8") as f:
        got = {r["id"]: (r["reason"], r["detail"]) for r in csv.DictReader(f)}
    assert got["dup-1"][0] == got["dup-2"][0] == "duplicate" and got["dup-1"][1].startswith("duplicate")
    assert {got[f"junk-{i}"][0] for i in (1, 2, 3)} == {"low_quality"}
    flagged = [rows[i]["id"] for i in sorted(flipped)]
    assert all(got[i][0] in ("label_issue", "duplicate") for i in flagged)
    assert all("label issue" in got[i][1] for i in flagged if got[i][0] == "label_issue")
    assert in_file["label_issue"] == sum(got[i][0] == "label_issue" for i in flagged) >= 1
    import json

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["rejected_by_reason"] == printed and summary["n_rejected"] == n_rej


@pytest.mark.parametrize("strategy, expected", [("dedup", {"duplicate"}), ("quality", {"low_quality"})])
def test_each_rule_strategy_uses_its_code(tmp_path, run_cli, strategy, expected):
    rows = tiny_rows(30) + [dict(tiny_rows(1)[0], id="dup"), {"id": "junk", "text": "", "label": "positive"}]
    src = write_quote_all(tmp_path / "in.csv", rows)
    code, stdout, _ = run_cli("select", "--data", src, "--strategy", strategy, "--out", tmp_path / "o")
    got = reasons_in(tmp_path / "o" / "rejected.csv")
    assert code == 0 and set(got) == expected and printed_counts(stdout)[3] == dict(got)


def test_input_columns_named_like_select_s_own_are_kept_apart(tmp_path, run_cli):
    rows = tiny_rows(20) + [dict(tiny_rows(1)[0], id="dup")]
    path = tmp_path / "in.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "label", "reason", "score"])
        w.writerows([r["id"], r["text"], r["label"], "mine", "5"] for r in rows)
    assert run_cli("select", "--data", path, "--strategy", "dedup", "--out", tmp_path / "o")[0] == 0
    with open(tmp_path / "o" / "rejected.csv", newline="", encoding="utf-8") as f:
        got = list(csv.DictReader(f))
    assert got[0]["reason"] == "mine" and got[0]["select_reason"] == "duplicate" and got[0]["score"] == "5"


def test_noisy_says_how_many_disagreements_become_label_issues(tmp_path, run_cli, monkeypatch):
    # review R4: "N rows flagged" was printed, then fewer rows rejected, with nothing saying why
    from sftkit.selection import noisy

    rows = tiny_rows(60)
    confident, doubtful = {5, 6, 7, 8}, {20, 21, 22}

    def fake_rounds(texts, labels, **kwargs):
        classes = sorted(set(labels))
        p = np.zeros((len(labels), 2))
        for i, lab in enumerate(labels):
            j = classes.index(lab)
            other = 0.95 if i in confident else 0.55 if i in doubtful else 0.1
            p[i, 1 - j], p[i, j] = other, 1 - other
        return [p]

    monkeypatch.setattr(noisy, "iterative_out_of_fold", fake_rounds)
    src = write_quote_all(tmp_path / "in.csv", rows)
    code, stdout, _ = run_cli("select", "--data", src, "--strategy", "noisy", "--out", tmp_path / "o")
    assert code == 0
    m = re.search(r"label issues: (\d+) of the (\d+) rows predicted as another class \(prune_by_noise_rate", stdout)
    assert m, stdout
    issues, disagree = int(m.group(1)), int(m.group(2))
    assert disagree == len(confident | doubtful)
    assert issues == reasons_in(tmp_path / "o" / "rejected.csv").get("label_issue", 0) >= 1


def test_select_builds_its_models_from_the_model_flags(tmp_path, run_cli, monkeypatch):
    # review R14: the models select trains could not be made smaller or told how to tokenize
    from sftkit.selection import noisy

    seen = {}

    def fake_rounds(texts, labels, *, config=None, **kwargs):
        seen["config"] = config
        classes = sorted(set(labels))
        return [np.eye(2)[[classes.index(v) for v in labels]] * 0.8 + 0.1]

    monkeypatch.setattr(noisy, "iterative_out_of_fold", fake_rounds)
    src = write_quote_all(tmp_path / "in.csv", tiny_rows(30))
    code, stdout, stderr = run_cli("select", "--data", src, "--strategy", "noisy", "--lstm-units", "8",
                                   "--tokenizer", "chars", "--sequence-length", "20", "--out", tmp_path / "o")
    assert code == 0, stderr
    cfg = seen["config"]
    assert (cfg.lstm_units, cfg.tokenizer, cfg.sequence_length) == (8, "chars", 20)


@pytest.mark.parametrize("flags, message", [
    (["--strategy", "noisy", "--lstm-units", "0"], "--lstm-units must be an integer >= 1; got 0"),
    (["--strategy", "dedup", "--embedding-dim", "8"],
     "--embedding-dim is not used by the dedup strategy (it trains no model; only noisy, diversity, pipeline do)"),
])
def test_select_model_flags_are_checked_before_any_work(tmp_path, run_cli, flags, message):
    src = write_quote_all(tmp_path / "in.csv", tiny_rows(30))
    code, _, stderr = run_cli("select", "--data", src, *flags, "--out", tmp_path / "o")
    assert code == 2 and message in stderr and "Traceback" not in stderr
    assert not (tmp_path / "o").exists()
