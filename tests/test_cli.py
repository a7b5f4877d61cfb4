"""The `sftkit` command: train -> predict -> evaluate on a user's file, and every bad input."""
import json

import pytest

from tests.conftest import tiny_rows, write_csv

FAST = ["--epochs", "4", "--sequence-length", "8", "--embedding-dim", "16", "--lstm-units", "16",
        "--learning-rate", "0.01"]


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory):
    """One small training run through the CLI, shared by the tests that need a model."""
    from sftkit.cli import main

    folder = tmp_path_factory.mktemp("cli")
    data = write_csv(folder / "mine.csv", tiny_rows(300, seed=2))
    before = data.read_bytes()
    out = folder / "run"
    code = main(["train", "--data", str(data), "--out", str(out), "--seed", "1", *FAST])
    assert code == 0
    assert data.read_bytes() == before  # the input file is never changed
    return folder, out


def test_train_writes_a_complete_run(trained_run):
    _, out = trained_run
    for name in ("metrics.json", "report.md", "curves.png", "confusion.png", "training_log.csv",
                 "model/model.keras", "model/labels.json", "checkpoints/best.weights.h5"):
        assert (out / name).is_file(), name
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["sizes"] == {"train": 240, "val": 30, "test": 30}
    assert set(metrics["per_class"]) == {"negative", "positive"}
    assert {"precision", "recall", "f1", "support"} <= set(metrics["per_class"]["positive"])
    assert metrics["accuracy"] > 0.9 and metrics["macro_f1"] > 0.9
    assert "validation" in metrics and metrics["validation"]["n"] == 30
    assert not list(out.parent.glob(".run.partial-*"))


def test_predict_and_evaluate_load_the_saved_model(trained_run, run_cli, tmp_path):
    folder, out = trained_run
    code, stdout, _ = run_cli("predict", "--model", out / "model", "the lamp is lovely and phone",
                              "the kettle is useless and jacket")
    assert code == 0
    lines = stdout.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["positive", "negative"]
    held_out = write_csv(tmp_path / "held.csv", tiny_rows(40, seed=9))
    code, stdout, _ = run_cli("evaluate", "--model", out / "model", "--data", held_out,
                              "--json", tmp_path / "rep.json")
    assert code == 0 and "confusion matrix" in stdout and "precision" in stdout
    rep = json.loads((tmp_path / "rep.json").read_text())
    assert rep["n"] == 40 and rep["accuracy"] > 0.9


def test_rerun_replaces_own_run_but_not_a_foreign_folder(trained_run, run_cli, tmp_path):
    folder, _ = trained_run
    foreign = tmp_path / "precious"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("do not delete")
    code, _, err = run_cli("train", "--data", folder / "mine.csv", "--out", foreign, *FAST)
    assert code == 2 and "not written by sftkit" in err
    assert (foreign / "thesis.txt").read_text() == "do not delete"


BAD_INPUTS = {
    "missing file": (None, "file not found"),
    "missing column": ("id,words,label\n1,a,x\n", "no column 'text'"),
    "empty text": ("id,text,label\n1,good,pos\n2,,neg\n", "line 3: empty text"),
    "missing label": ("id,text,label\n1,good,pos\n2,bad,\n", "line 3: missing label"),
    "non-utf8": (b"id,text,label\n1,good,pos\n2,caf\xe9,neg\n", "line 3: byte 0xe9 is not valid UTF-8"),
    "empty file": ("", "the file is empty"),
    "one-example class": ("id,text,label\n" + "".join(f"{i},text {i},a\n" for i in range(30)) + "30,odd one,b\n",
                          "line 32: class 'b' has 1 example"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_training_input_exits_2_with_one_line(case, run_cli, tmp_path):
    content, fragment = BAD_INPUTS[case]
    path = tmp_path / "in.csv"
    if content is not None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    out = tmp_path / "out"
    code, stdout, err = run_cli("train", "--data", path, "--out", out, *FAST)
    assert code == 2
    assert err.startswith("sftkit: error: ") and fragment in err and str(path) in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob(".out*"))


def test_label_only_in_test_is_refused(run_cli, tmp_path):
    train = write_csv(tmp_path / "train.csv", tiny_rows(40))
    val = write_csv(tmp_path / "val.csv", tiny_rows(10, seed=3))
    test = write_csv(tmp_path / "test.csv", tiny_rows(9, seed=4) + [{"id": "z1", "text": "meh", "label": "neutral"}])
    code, _, err = run_cli("train", "--data", train, "--val", val, "--test", test, "--out", tmp_path / "o", *FAST)
    assert code == 2 and "test.csv: line 11: label 'neutral' does not occur in the training data" in err
    assert not (tmp_path / "o").exists()


def test_usage_errors(run_cli, tmp_path):
    code, _, err = run_cli("predict", "--model", tmp_path / "nothing", "hello")
    assert code == 2 and "nothing: not found; give a run folder" in err
    data = write_csv(tmp_path / "x.csv", tiny_rows(40))
    code, _, err = run_cli("train", "--data", data, "--test", data)
    assert code == 2 and "given as both --data and --test" in err and err.count("\n") == 1
    with pytest.raises(SystemExit) as info:
        run_cli("train")
    assert info.value.code == 2


def test_every_subcommand_has_help(run_cli):
    for args in (["--help"], ["demo", "--help"], ["train", "--help"], ["evaluate", "--help"],
                 ["predict", "--help"], ["data", "build", "--help"], ["lessons", "run", "--help"],
                 ["pretrain", "--help"], ["select", "--help"]):
        with pytest.raises(SystemExit) as info:
            run_cli(*args)
        assert info.value.code == 0


def test_data_build_command_reproduces_the_bundled_files(run_cli, tmp_path):
    from sftkit.data import data_dir

    code, out, _ = run_cli("data", "build", "--out", tmp_path / "x")
    assert code == 0 and "reviews/train.csv" in out
    built = sorted(p.relative_to(tmp_path / "x") for p in (tmp_path / "x").rglob("*") if p.is_file())
    assert len(built) >= 9
    for rel in built:
        assert (tmp_path / "x" / rel).read_bytes() == (data_dir() / rel).read_bytes(), rel
