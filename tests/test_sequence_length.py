"""The default sequence length follows the training texts (issue 14); a length the user sets is kept."""
import numpy as np
import pytest

from sftkit.config import DEFAULT_SEQUENCE_LENGTH, MAX_SEQUENCE_LENGTH, FromData, TrainConfig
from sftkit.finetune import fit_text_classifier, resolve_sequence_length
from sftkit.text import token_lengths

FAST = dict(epochs=1, embedding_dim=4, lstm_units=4, max_tokens=200, patience=0)


def test_the_default_is_48_and_marked_as_not_set():
    cfg = TrainConfig()
    assert cfg.sequence_length == DEFAULT_SEQUENCE_LENGTH == 48 and f"{cfg.sequence_length:2d}" == "48"
    assert isinstance(cfg.sequence_length, FromData)
    assert isinstance(cfg.replace(seed=3).sequence_length, FromData)          # other changes keep the mark
    assert type(TrainConfig(sequence_length=48).sequence_length) is int       # given by the user: plain
    assert type(cfg.replace(sequence_length=48).sequence_length) is int


@pytest.mark.parametrize("lengths, expected", [
    ([10] * 100, 48),                                   # short texts: as before
    (list(range(1, 101)), 96),                          # 95th percentile 95.05 -> 96 (the quantile, not the max)
    ([60] * 96 + [500] * 4, 64),                        # the longest 4 % do not count: 60 -> 64
    ([1000] * 10, MAX_SEQUENCE_LENGTH),                 # capped
    ([], 48),
])
def test_the_default_grows_to_the_95th_percentile_rounded_up_to_8_and_capped(lengths, expected):
    assert TrainConfig().sequence_length_for(lengths) == expected


def test_a_length_the_user_set_is_kept_whatever_the_texts():
    assert TrainConfig(sequence_length=8).sequence_length_for([100] * 10) == 8
    assert TrainConfig(sequence_length=48).sequence_length_for([100] * 10) == 48
    assert TrainConfig(sequence_length=300).sequence_length_for([5] * 10) == 300


def test_lengths_are_counted_with_the_tokenizer_the_model_reads_with():
    texts = ["很" * 70 + "好用", "好" * 66]                      # no spaces: one token per character with chars
    chars = resolve_sequence_length(TrainConfig(tokenizer="chars"), texts)
    assert chars.sequence_length == 8 * int(np.ceil(np.quantile(token_lengths(texts, "chars"), 0.95) / 8)) == 72
    assert type(chars.sequence_length) is int
    words = resolve_sequence_length(TrainConfig(tokenizer="words"), texts)   # one token each: the floor
    assert words.sequence_length == 48
    given = TrainConfig(tokenizer="chars", sequence_length=16)
    assert resolve_sequence_length(given, texts) is given


def test_training_with_the_default_reads_long_texts_whole_and_an_explicit_length_cuts_them():
    rng = np.random.default_rng(0)
    words = ["good", "great", "fine", "bad", "awful", "poor", "the", "lid", "is", "and"]
    texts = [" ".join(rng.choice(words, size=int(n))) for n in rng.integers(60, 90, size=40)]
    labels = ["positive" if i % 2 else "negative" for i in range(40)]
    expected = 8 * int(np.ceil(np.quantile(token_lengths(texts, "words"), 0.95) / 8))
    assert expected > 48
    clf = fit_text_classifier(texts, labels, config=TrainConfig(**FAST))
    assert clf.vectorizer._output_sequence_length == expected
    assert clf.network.input_shape == (None, expected)
    cut = fit_text_classifier(texts, labels, config=TrainConfig(**FAST, sequence_length=16))
    assert cut.vectorizer._output_sequence_length == 16


def test_the_workflow_reports_the_length_it_trained_with(tmp_path):
    import json

    from sftkit.data import LabelledTexts
    from sftkit.workflow import run_workflow

    words = ["good", "great", "fine", "bad", "awful", "poor", "the", "lid", "is", "and"]

    def split(n, seed):
        r = np.random.default_rng(seed)
        texts = [" ".join(r.choice(words, size=int(k))) for k in r.integers(60, 90, size=n)]
        return LabelledTexts.from_lists(texts, ["positive" if i % 2 else "negative" for i in range(n)])

    train, val, test = split(40, 1), split(10, 2), split(10, 3)
    expected = TrainConfig().sequence_length_for(token_lengths(train.texts, "words"))
    assert expected > 48
    result = run_workflow(train, val, test, config=TrainConfig(**FAST), out=tmp_path / "run", progress=None)
    assert result.metrics["config"]["sequence_length"] == expected
    assert json.loads((tmp_path / "run" / "metrics.json").read_text())["config"]["sequence_length"] == expected
    assert f"sequence length {expected}," in (tmp_path / "run" / "report.md").read_text()
