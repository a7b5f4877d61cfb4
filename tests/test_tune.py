"""Grid search on validation data (sftkit.tune): it scores every combination and refuses test data."""
import re

import pytest

from sftkit.data import LabelledTexts
from sftkit.config import TrainConfig
from sftkit.tune import grid_search, looks_like_test
from tests.conftest import tiny_rows

FAST = TrainConfig(epochs=2, sequence_length=8, embedding_dim=8, lstm_units=8, learning_rate=0.01, patience=0)


def _data(n, seed, source):
    rows = tiny_rows(n, seed=seed)
    return LabelledTexts.from_lists([r["text"] for r in rows], [r["label"] for r in rows], source=source)


def test_grid_search_scores_every_combination_on_validation():
    train, val = _data(120, 0, "data/train.csv"), _data(40, 1, "data/val.csv")
    # learning rate 0 cannot learn anything: the search must prefer the other value
    res = grid_search(train, val, {"learning_rate": [1e-9, 0.02], "lstm_units": [8]}, base=FAST, metric="accuracy")
    assert [(r["learning_rate"], r["lstm_units"]) for r in res.rows] == [(1e-9, 8), (0.02, 8)]
    assert res.best_config.learning_rate == 0.02 and res.best_config.embedding_dim == 8
    assert res.best_score == max(r["score"] for r in res.rows) and res.best_score > 0.9
    assert res.rows[0]["score"] < res.best_score
    table = res.table().splitlines()
    assert "val accuracy" in table[0] and table[1].split()[0] == "0.02"


@pytest.mark.parametrize("name", ["test.csv", "data/spam/test.csv", "my_test.jsonl", "TEST.tsv", "dev-test.csv"])
def test_refuses_to_tune_on_a_test_file(name):
    assert looks_like_test(name)
    one_line = (rf"^{re.escape(name)}: a test file given as the validation data; tune on a validation split "
                r"and score the test set once, at the end$")
    with pytest.raises(ValueError, match=one_line):
        grid_search(_data(20, 0, "train.csv"), _data(20, 1, name), {"dropout": [0.0]}, base=FAST)
    with pytest.raises(ValueError, match=rf"^{re.escape(name)}: a test file given as the training data;"):
        grid_search(_data(20, 1, name), _data(20, 0, "val.csv"), {"dropout": [0.0]}, base=FAST)


def test_names_that_are_not_test_files_pass_the_check():
    for name in ("val.csv", "latest.csv", "contest.csv", "<memory>", "test/val.csv", "testing.csv"):
        assert not looks_like_test(name), name


def test_refuses_bad_grids_and_training_data_as_validation():
    train = _data(20, 0, "train.csv")
    with pytest.raises(ValueError, match="is the training data"):
        grid_search(train, train, {"dropout": [0.0]}, base=FAST)
    with pytest.raises(ValueError, match="not a TrainConfig field"):
        grid_search(train, _data(20, 1, "val.csv"), {"dropuot": [0.1]}, base=FAST)
    with pytest.raises(ValueError, match="non-empty list"):
        grid_search(train, _data(20, 1, "val.csv"), {"augment": "word_swap"}, base=FAST)
    with pytest.raises(ValueError, match="unknown metric"):
        grid_search(train, _data(20, 1, "val.csv"), {"dropout": [0.0]}, base=FAST, metric="test_accuracy")
