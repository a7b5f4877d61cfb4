"""benchmarks/zh_real_check.py: its --set parsing and the training-texts corpus it writes for pretraining."""
import argparse

import pytest

from conftest import load_benchmark, tiny_rows, write_csv


@pytest.fixture(scope="module")
def check():
    return load_benchmark("zh_real_check")


def test_settings_are_typed_by_their_constraint(check):
    assert check.parse_setting("freeze_epochs=1") == ("freeze_epochs", 1)       # default None, an integer setting
    assert check.parse_setting("freeze_epochs=none") == ("freeze_epochs", None)
    assert check.parse_setting("embedding_dropout=0.3") == ("embedding_dropout", 0.3)
    assert check.parse_setting("bidirectional=true") == ("bidirectional", True)
    assert check.parse_setting("pooling=mean_max") == ("pooling", "mean_max")
    with pytest.raises(argparse.ArgumentTypeError, match="unknown TrainConfig setting 'poolng'"):
        check.parse_setting("poolng=last")


def test_write_train_texts_writes_the_training_split_only(check, tmp_path):
    from sftkit.data import load_labelled, stratified_split

    rows = [{**r, "text": f"{r['text']} {i}"} for i, r in enumerate(tiny_rows(100))]  # every text distinct
    path = write_csv(tmp_path / "rows.csv", rows)
    out = tmp_path / "corpus.txt"
    assert check.main([str(path), "--write-train-texts", str(out)]) == 0
    train, val, test = stratified_split(load_labelled(path), 0.1, 0.2, seed=0)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines == list(train.texts) and len(lines) == 70
    assert not set(lines) & (set(val.texts) | set(test.texts))
