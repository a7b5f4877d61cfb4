"""`sftkit predict --data` (batch prediction), `--model RUN_DIR`, and a saved model loaded with plain Keras
(issue 11: 8, 9, 13, 14)."""
import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

CLASSES = ["ham", "spam", "other"]  # deliberately not sorted: the model's order is what counts
WORDS = {"ham": ["lunch", "meeting", "mum"], "spam": ["prize", "winner", "claim"], "other": ["weather", "rain", "sun"]}


def rows(n, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        c = CLASSES[i % 3]
        out.append({"id": f"m{i}", "text": f"{rng.choice(WORDS[c])} {rng.choice(WORDS[c])} today", "label": c})
    return out


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """A tiny three-class run folder (RUN_DIR/model/) trained in a second, with mean+max pooling."""
    from sftkit._tf import tf_and_keras
    from sftkit.models import TextClassifier, build_classifier
    from sftkit.text import make_vectorizer, vectorize

    _, keras = tf_and_keras()
    keras.utils.set_random_seed(0)
    data = rows(90)
    texts, y = [r["text"] for r in data], np.array([CLASSES.index(r["label"]) for r in data])
    vec = make_vectorizer(texts, max_tokens=50, sequence_length=6)
    net = build_classifier(len(vec.get_vocabulary()), 3, embedding_dim=8, lstm_units=8, pooling="mean_max",
                           learning_rate=0.05)
    net.fit(vectorize(vec, texts), y, epochs=12, batch_size=30, verbose=0)
    run = tmp_path_factory.mktemp("predict") / "run"
    TextClassifier(vec, net, CLASSES).save(run / "model")
    return run


def write(path, text):
    path.write_bytes(text.encode("utf-8"))
    return path


def test_predict_file_writes_id_text_label_and_one_probability_per_class(run_dir, run_cli, tmp_path):
    src = write(tmp_path / "in.csv", 'id,text\na,"prize winner, claim ""now"""\nb,lunch with mum\n'
                                     'c,zzz qqq\nd,"rain \u2028 sun"\n')
    before = src.read_bytes()
    out = tmp_path / "preds.csv"
    code, stdout, err = run_cli("predict", "--model", run_dir, "--data", src, "--out", out)
    assert code == 0 and err == "" and f"predicted 4 rows; wrote {out}" in stdout
    assert src.read_bytes() == before
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(df.columns) == ["id", "text", "predicted", "p_ham", "p_spam", "p_other", "note"]
    assert df["id"].tolist() == ["a", "b", "c", "d"]
    assert df["text"].tolist() == ['prize winner, claim "now"', "lunch with mum", "zzz qqq", "rain \u2028 sun"]
    assert df["predicted"].tolist()[:2] == ["spam", "ham"]
    p = df[["p_ham", "p_spam", "p_other"]].astype(float).to_numpy()
    assert np.allclose(p.sum(axis=1), 1, atol=1e-4)
    assert [CLASSES[i] for i in p.argmax(axis=1)] == df["predicted"].tolist()
    assert df["note"].tolist() == ["", "", "no known words", ""]


def test_predict_streams_in_batches_and_matches_predicting_all_at_once(run_dir, run_cli, tmp_path, monkeypatch):
    import sftkit.cli
    from sftkit.models import TextClassifier

    monkeypatch.setattr(sftkit.cli, "PREDICT_BATCH", 7)
    data = rows(30, seed=5)
    src = write(tmp_path / "in.jsonl", "".join(
        '{"text": "%s", "label": "%s"}\n' % (r["text"], r["label"]) for r in data))
    seen = []
    original = TextClassifier.predict_proba
    monkeypatch.setattr(TextClassifier, "predict_proba", lambda self, t, **kw: seen.append(len(t)) or original(self, t))
    code, stdout, _ = run_cli("predict", "--model", run_dir / "model", "--data", src)
    assert code == 0 and seen == [7, 7, 7, 7, 2]
    got = pd.read_csv(io.StringIO(stdout), dtype=str, keep_default_na=False)
    assert got["id"].tolist() == [f"row-{i + 1}" for i in range(30)]
    whole = TextClassifier.load(run_dir / "model").predict([r["text"] for r in data])
    assert got["predicted"].tolist() == whole


def test_predict_tsv_and_another_text_column(run_dir, run_cli, tmp_path):
    src = write(tmp_path / "in.tsv", 'body\tid\n"claim prize\tx1\nmeeting mum\tx2\n')
    code, stdout, _ = run_cli("predict", "--model", run_dir, "--data", src, "--text-col", "body")
    got = list(csv.DictReader(io.StringIO(stdout)))
    assert code == 0 and [(r["id"], r["text"], r["predicted"]) for r in got] == [
        ("x1", '"claim prize', "spam"), ("x2", "meeting mum", "ham")]


def test_plain_predict_marks_a_text_with_no_known_words(run_dir, run_cli):
    code, stdout, _ = run_cli("predict", "--model", run_dir, "winner prize", "blorp 😀")
    lines = stdout.splitlines()
    assert code == 0 and lines[0].split("\t")[0] == "spam" and len(lines[0].split("\t")) == 3
    assert lines[1].endswith("\tblorp 😀\t[no known words]")


def test_model_accepts_the_run_folder_or_its_model_folder_for_predict_and_evaluate(run_dir, run_cli, tmp_path):
    src = write(tmp_path / "held.csv", "id,text,label\n" + "".join(
        f"{r['id']},{r['text']},{r['label']}\n" for r in rows(30, seed=3)))
    for model in (run_dir, run_dir / "model"):
        code, stdout, _ = run_cli("evaluate", "--model", model, "--data", src)
        assert code == 0 and "confusion matrix" in stdout
    code, _, err = run_cli("predict", "--model", tmp_path, "x")
    assert code == 2 and err == f"sftkit: error: {tmp_path}: no model.keras here or in {tmp_path / 'model'}; " \
                                "give a run folder (--out of `sftkit train`) or its model/ folder\n"


def test_predict_out_refusals_are_one_line_exit_2_and_touch_nothing(run_dir, run_cli, tmp_path):
    src = write(tmp_path / "in.csv", "id,text\n1,prize\n")
    mine = write(tmp_path / "notes.csv", "my,own\nfile,here\n")
    (tmp_path / "folder").mkdir()
    cases = {
        src: "is an input file",
        mine: "exists and was not written by sftkit predict",
        tmp_path / "folder": "is a folder",
        tmp_path / "nowhere" / "p.csv": "no such folder for --out",
    }
    snapshot = {p: p.read_bytes() for p in (src, mine)}
    for out, problem in cases.items():
        code, stdout, err = run_cli("predict", "--model", run_dir, "--data", src, "--out", out)
        assert code == 2 and problem in err and err.count("\n") == 1 and "Traceback" not in err, out
    assert {p: p.read_bytes() for p in snapshot} == snapshot
    assert sorted(os.listdir(tmp_path)) == ["folder", "in.csv", "notes.csv"]
    # its own predictions file is replaced
    out = tmp_path / "preds.csv"
    assert run_cli("predict", "--model", run_dir, "--data", src, "--out", out)[0] == 0
    assert run_cli("predict", "--model", run_dir, "--data", src, "--out", out)[0] == 0


@pytest.mark.parametrize("argv, problem", [
    (["--data", "{src}", "some text"], "give texts or --data, not both"),
    (["--out", "{tmp}/p.csv", "some text"], "--out needs --data"),
    ([], "give one or more texts to classify, or --data FILE"),
    (["good one", " "], "text 2 of 2 is empty"),
    (["--threshold", "1.5", "good one"], "--threshold must be a probability in [0, 1]; got 1.5"),
    (["--data", "{src}", "--text-col", "body"], "in.csv: line 1: no column 'body' (columns: 'id', 'text')"),
    (["--data", "{tmp}/missing.csv"], "missing.csv: file not found"),
])
def test_predict_usage_errors(run_dir, run_cli, tmp_path, argv, problem):
    src = write(tmp_path / "in.csv", "id,text\n1,prize\n")
    argv = [a.format(src=src, tmp=tmp_path) for a in argv]
    code, stdout, err = run_cli("predict", "--model", run_dir, *argv)
    assert code == 2 and problem in err and err.count("\n") == 1
    assert sorted(os.listdir(tmp_path)) == ["in.csv"]


def test_a_bad_row_midway_leaves_no_output_file(run_dir, run_cli, tmp_path, monkeypatch):
    import sftkit.cli

    monkeypatch.setattr(sftkit.cli, "PREDICT_BATCH", 2)
    src = write(tmp_path / "in.jsonl", '{"text": "prize"}\n{"text": "mum"}\n{"text": "rain"}\n{"body": "x"}\n')
    code, _, err = run_cli("predict", "--model", run_dir, "--data", src, "--out", tmp_path / "p.csv")
    assert code == 2 and "in.jsonl: line 4: no key 'text'" in err
    assert sorted(os.listdir(tmp_path)) == ["in.jsonl"]


def sftkit_script():
    found = Path(sys.executable).parent / "sftkit"
    return str(found) if found.exists() else shutil.which("sftkit")


def test_console_script_predicts_standard_input_to_standard_output(run_dir):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    stdin = "text,id\r\n\"prize, winner\",s1\r\nmeeting mum today,s2\r\n"
    done = subprocess.run([sftkit_script(), "predict", "--model", str(run_dir), "--data", "-"],
                          input=stdin.encode("utf-8"), capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    got = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8"))))
    assert [(r["id"], r["text"], r["predicted"]) for r in got] == [("s1", "prize, winner", "spam"),
                                                                  ("s2", "meeting mum today", "ham")]
    assert b"predicted" not in done.stderr  # no progress bar when stderr is not a terminal


README_SNIPPET = '''
import json, keras, tensorflow as tf
import sftkit.models  # registers sftkit's layers and tokenizers with Keras
model = keras.models.load_model("{run}/model/model.keras")
classes = json.load(open("{run}/model/labels.json", encoding="utf-8"))["classes"]
proba = model.predict(tf.constant([["winner prize claim"], ["lunch with mum"]]), verbose=0)
print([classes[i] for i in proba.argmax(axis=1)], proba.shape)
'''


def test_a_saved_model_loads_with_plain_keras_in_a_fresh_process_as_the_readme_says(run_dir):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    snippet = README_SNIPPET.format(run="sftkit-run").strip()
    assert snippet in readme  # the README shows exactly the code this test runs
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    # no custom_objects (import sftkit.models registers them); any UserWarning while loading fails the run
    done = subprocess.run([sys.executable, "-W", "error::UserWarning", "-c", README_SNIPPET.format(run=run_dir)],
                          capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip().splitlines()[-1] == "['spam', 'ham'] (2, 3)"


def test_progress_line_only_when_enabled(capsys):
    from sftkit.cli import _progress_bar

    _progress_bar(False)(1024, 0.5)
    assert capsys.readouterr().err == ""
    show = _progress_bar(True)
    show(1024, 0.25)
    show(2048, None)
    show(2500, 1.0, done=True)
    assert capsys.readouterr().err == "\rpredicted 1,024 rows (25%)\rpredicted 2,048 rows\rpredicted 2,500 rows (100%)\n"
