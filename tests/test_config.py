"""Settings check themselves: every constraint refuses a bad value with the one message form."""
import dataclasses
import json

import pytest

from sftkit.config import Boolean, ConfigError, Interval, LMConfig, Options, TrainConfig


def bad_values(constraint):
    """Values that break ``constraint`` (each must be refused)."""
    if isinstance(constraint, Options):
        return ["surely-not-an-option", 3]
    if isinstance(constraint, Boolean):
        return [1, "yes"]
    assert isinstance(constraint, Interval)
    values = ["7", float("nan")]
    if constraint.low is not None:
        values.append(constraint.low - 1)
        if constraint.closed in ("right", "neither"):
            values.append(constraint.low)
    if constraint.high is not None:
        values.append(constraint.high + 1)
        if constraint.closed in ("left", "neither"):
            values.append(constraint.high)
    if constraint.kind is int:
        values.append((constraint.low or 0) + 1.5)
    if not constraint.allow_none:
        values.append(None)
    return values


CASES = [(cls, f, v) for cls in (TrainConfig, LMConfig) for f in dataclasses.fields(cls)
         for v in bad_values(f.metadata["constraint"])]


@pytest.mark.parametrize("cls,f,value", CASES, ids=lambda x: getattr(x, "name", getattr(x, "__name__", repr(x))))
def test_each_constraint_refuses_a_bad_value_with_its_message(cls, f, value):
    with pytest.raises(ConfigError) as info:
        cls(**{f.name: value})
    assert str(info.value) == f"{cls.__name__}.{f.name} must be {f.metadata['constraint']}; got {value!r}"
    assert isinstance(info.value, ValueError)


def test_defaults_and_edges_are_accepted():
    TrainConfig()
    LMConfig()
    TrainConfig(dropout=0.0, learning_rate=1.0, epochs=None, freeze_epochs=0, patience=0, group_lr_factor=100)
    assert TrainConfig(epochs=3.0).epochs == 3 and isinstance(TrainConfig(epochs=3.0).epochs, int)


def test_messages_read_as_a_person_would_write_them():
    with pytest.raises(ConfigError, match=r"^TrainConfig.dropout must be in \[0, 1\); got 1.5$"):
        TrainConfig(dropout=1.5)
    with pytest.raises(ConfigError, match=r"^TrainConfig.epochs must be an integer >= 1 or None; got 0$"):
        TrainConfig(epochs=0)
    with pytest.raises(ConfigError, match=r"^TrainConfig.learning_rate must be in \(0, 1\]; got -1$"):
        TrainConfig(learning_rate=-1)
    with pytest.raises(ConfigError, match=r"pooling must be one of 'last', 'mean_max', 'concat'; got 'avg'"):
        TrainConfig(pooling="avg")


def test_replace_checks_names_and_values():
    cfg = TrainConfig()
    assert cfg.replace(epochs=2).epochs == 2 and cfg.epochs is None
    with pytest.raises(TypeError, match="unknown TrainConfig setting"):
        cfg.replace(epoch=2)
    with pytest.raises(ConfigError, match="batch_size"):
        cfg.replace(batch_size=0)


def test_every_setting_is_a_flag_of_train_and_demo():
    from sftkit.cli import build_parser

    parser = build_parser()
    for command in ("train", "demo"):
        args = parser.parse_args([command] + (["--data", "x.csv"] if command == "train" else []))
        for f in dataclasses.fields(TrainConfig):
            assert getattr(args, f.name) == f.default, (command, f.name)
    args = parser.parse_args(["pretrain", "--corpus", "c.txt"])
    for f in dataclasses.fields(LMConfig):
        if f.metadata["flag"]:
            assert getattr(args, f.name) == f.default, f.name
    args = parser.parse_args(["train", "--data", "x.csv", "--bidirectional", "--dropout", "0.25"])
    assert args.bidirectional is True and args.dropout == 0.25


@pytest.mark.parametrize("flags,message", [
    (["--dropout", "1.5"], "--dropout must be in [0, 1); got 1.5"),
    (["--epochs", "0"], "--epochs must be an integer >= 1 (or leave it out for the default); got 0"),
    (["--learning-rate", "-1"], "--learning-rate must be in (0, 1]; got -1.0"),
])
def test_cli_maps_a_bad_setting_to_one_line_and_exit_2(flags, message, run_cli, tiny_csv, tmp_path):
    before = tiny_csv.read_bytes()
    code, out, err = run_cli("train", "--data", tiny_csv, "--out", tmp_path / "run", *flags)
    assert code == 2 and err == f"sftkit: error: {message}\n"
    assert not (tmp_path / "run").exists() and tiny_csv.read_bytes() == before


def test_tokenizer_help_says_what_auto_picks():
    # the help text and sftkit.text.resolve_tokenizer must agree (lesson 11 review: the help said "chars")
    from sftkit.text import CJK_DEFAULT, resolve_tokenizer

    help_text = next(f for f in dataclasses.fields(TrainConfig) if f.name == "tokenizer").metadata["help"]
    assert f"auto ({CJK_DEFAULT} when more than 30%" in help_text
    assert "unicode-words when more than 30% are not ASCII, else words" in help_text
    assert resolve_tokenizer("auto", ["这个手机很好用"]) == CJK_DEFAULT == "jieba"
    assert resolve_tokenizer("auto", ["this phone works well"]) == "words"
    assert resolve_tokenizer("auto", ["этот телефон работает хорошо"]) == "unicode-words"
    # a "%" in a help text must reach --help intact (argparse formats help strings with %)
    import argparse

    from sftkit.config import add_config_arguments

    parser = argparse.ArgumentParser()
    add_config_arguments(parser, TrainConfig)
    assert "30% of the" in " ".join(parser.format_help().split())


def test_complete_record_fills_settings_added_since_at_their_defaults():
    now = json.loads(json.dumps(TrainConfig(epochs=3).to_dict()))
    old = {k: v for k, v in now.items() if k != "embedding_dropout"}      # written before the setting existed
    assert old != now and TrainConfig.complete_record(old) == now
    changed = {**old, "epochs": 4}                                        # a recorded setting still counts
    assert TrainConfig.complete_record(changed) != now
    assert TrainConfig.complete_record({**old, "embedding_dropout": 0.3})["embedding_dropout"] == 0.3
