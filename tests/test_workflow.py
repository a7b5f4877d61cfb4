"""The workflow on users' files: any number of classes, split mistakes, the decision rule, where it writes."""
import json
import os
import random
import re

import pytest

from tests.conftest import tiny_rows, write_csv

FAST = ["--epochs", "3", "--sequence-length", "8", "--embedding-dim", "8", "--lstm-units", "8",
        "--learning-rate", "0.02", "--patience", "0"]
TOPICS = {"sport": ["goal", "match", "team", "coach"], "food": ["soup", "bread", "spicy", "dinner"],
          "tech": ["laptop", "phone", "battery", "app"], "music": ["song", "guitar", "album", "concert"],
          "travel": ["flight", "hotel", "beach", "train"]}


def topic_rows(k, n, seed):
    """``n`` short texts about ``k`` topics, each named by two of its words (learnable in a few epochs)."""
    rng = random.Random(seed)
    names = list(TOPICS)[:k]
    rows = []
    for i in range(n):
        topic = names[i % k]
        a, b = rng.sample(TOPICS[topic], 2)
        rows.append({"id": f"s{seed}-{i}", "text": f"{a} {rng.choice(['and', 'or', 'with'])} {b} {i}",
                     "label": topic})
    return rows


@pytest.mark.parametrize("k", [3, 5])
def test_train_evaluate_predict_select_with_k_classes(k, run_cli, tmp_path):
    data = write_csv(tmp_path / "topics.csv", topic_rows(k, 40 * k, seed=k))
    test = write_csv(tmp_path / "test.csv", topic_rows(k, 10 * k, seed=100 + k))
    code, out, err = run_cli("train", "--data", data, "--test", test, "--out", tmp_path / "run", *FAST)
    assert code == 0, err
    assert f"{k} classes" in out and "validation examples off" in out
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    names = sorted(TOPICS)[:0] or sorted(list(TOPICS)[:k])
    assert metrics["labels"] == names and sorted(metrics["per_class"]) == names
    assert len(metrics["confusion"]) == k and all(len(row) == k for row in metrics["confusion"])
    assert sum(map(sum, metrics["confusion"])) == 10 * k
    assert metrics["decision_rule"] == {"kind": "argmax"} and metrics["threshold"] is None
    assert 0 <= metrics["macro_f1"] <= 1 and metrics["positive"] is None
    labels = json.loads((tmp_path / "run" / "model" / "labels.json").read_text())
    assert labels["classes"] == names

    code, out, err = run_cli("evaluate", "--model", tmp_path / "run" / "model", "--data", test,
                             "--json", tmp_path / "rep.json", "--plots", tmp_path / "figs")
    assert code == 0, err
    rep = json.loads((tmp_path / "rep.json").read_text())
    assert rep["n"] == 10 * k and len(rep["confusion"]) == k and rep["written_by"].startswith("sftkit")
    assert (tmp_path / "figs" / "confusion.png").exists() and not (tmp_path / "figs" / "roc.png").exists()
    code, _, err = run_cli("evaluate", "--model", tmp_path / "run" / "model", "--data", test, "--threshold", "0.5")
    assert code == 2 and "exactly two classes" in err and err.count("\n") == 1

    code, out, err = run_cli("predict", "--model", tmp_path / "run" / "model", "goal and match", "soup with bread")
    assert code == 0, err
    assert [line.split("\t")[0] in names for line in out.strip().splitlines()] == [True, True]

    code, out, err = run_cli("select", "--data", data, "--strategy", "noisy", "--folds", "2", "--epochs", "1",
                             "--out", tmp_path / "sel")
    assert code == 0, err
    kept = (tmp_path / "sel" / "kept.csv").read_text().count("\n") - 1
    rejected = (tmp_path / "sel" / "rejected.csv").read_text().count("\n") - 1
    assert kept + rejected == 40 * k


def test_two_class_run_saves_its_threshold_and_predict_evaluate_apply_it(run_cli, tmp_path):
    from sftkit.models import TextClassifier

    data = write_csv(tmp_path / "d.csv", tiny_rows(160, seed=1))
    code, out, err = run_cli("train", "--data", data, "--out", tmp_path / "run", *FAST)
    assert code == 0, err
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    rule = metrics["decision_rule"]
    assert rule["kind"] == "threshold" and rule["positive"] == "positive" and rule["chosen_on"] == "validation"
    assert metrics["threshold"]["value"] == rule["threshold"]
    clf = TextClassifier.load(tmp_path / "run" / "model")
    assert clf.decision_rule() == rule
    texts = ["the lamp is great and phone", "the kettle is awful and lamp"]
    proba = clf.predict_proba(texts)
    clf.set_threshold(0.0)
    assert clf.predict(texts) == ["positive", "positive"]  # everything passes a threshold of 0
    clf.set_threshold(1.0 + 0.0)
    assert clf.predict(texts) == ["positive" if p >= 1.0 else "negative" for p in proba[:, 1]]
    clf.set_threshold(None)
    assert clf.predict(texts) == [clf.classes[i] for i in proba.argmax(axis=1)]
    with pytest.raises(ValueError, match="in \\[0, 1\\]"):
        clf.set_threshold(1.5)
    test = write_csv(tmp_path / "t.csv", tiny_rows(40, seed=9))
    code, out, _ = run_cli("evaluate", "--model", tmp_path / "run" / "model", "--data", test)
    assert code == 0 and "saved with the model" in out
    code, out, _ = run_cli("evaluate", "--model", tmp_path / "run" / "model", "--data", test, "--threshold", "0.0")
    assert code == 0 and "at threshold 0.000 (given)" in out


def test_checkpoint_loads_into_the_saved_network(run_cli, tmp_path):
    import numpy as np

    from sftkit.models import TextClassifier

    data = write_csv(tmp_path / "d.csv", tiny_rows(160, seed=2))
    code, _, err = run_cli("train", "--data", data, "--out", tmp_path / "run", *FAST[:-2], "--patience", "5")
    assert code == 0, err
    clf = TextClassifier.load(tmp_path / "run" / "model")
    before = clf.predict_proba(["the lamp is great and phone"])
    clf.network.load_weights(tmp_path / "run" / "checkpoints" / "best.weights.h5")
    np.testing.assert_allclose(clf.predict_proba(["the lamp is great and phone"]), before, atol=1e-6)


@pytest.mark.parametrize("roles,message", [
    (("--val", "v", "--test", "v"), "given as both --val and --test"),
    (("--val", "d"), "given as both --data and --val"),
    (("--test", "d"), "given as both --data and --test"),
])
def test_one_file_in_two_roles_is_refused_before_training(roles, message, run_cli, tmp_path):
    files = {"d": write_csv(tmp_path / "d.csv", tiny_rows(60)), "v": write_csv(tmp_path / "v.csv", tiny_rows(20, 3))}
    args = [a if a.startswith("--") else files[a] for a in roles]
    code, out, err = run_cli("train", "--data", files["d"], *args, "--out", tmp_path / "run", *FAST)
    assert code == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err
    assert "[3/5]" not in out and not (tmp_path / "run").exists()


def test_texts_shared_between_splits_are_counted_in_a_warning(run_cli, tmp_path):
    rows = tiny_rows(120, seed=4)
    data = write_csv(tmp_path / "d.csv", rows)
    test = write_csv(tmp_path / "t.csv", [{**r, "id": f"copy{i}"} for i, r in enumerate(rows[:7])] + tiny_rows(30, 8))
    code, out, err = run_cli("train", "--data", data, "--test", test, "--out", tmp_path / "run", *FAST)
    assert code == 0, err
    line = [x for x in out.splitlines() if "test texts also occur in train" in x]
    assert len(line) == 1 and line[0].strip().startswith("warning:")
    shared = int(line[0].split("warning:")[1].split()[0])
    assert shared >= 6  # 7 copied rows, of which the validation split may have taken one


def test_label_spellings_and_long_texts_are_warned_about(run_cli, tmp_path):
    rows = tiny_rows(120, seed=5)
    for r in rows[:40]:
        r["label"] = "Positive" if r["label"] == "positive" else r["label"]
    for r in rows[10:60]:
        r["text"] = r["text"] + " filler" * 30
    data = write_csv(tmp_path / "d.csv", rows)
    code, out, err = run_cli("train", "--data", data, "--out", tmp_path / "run", *FAST)
    assert code == 0, err
    assert re.search(r"labels .*'Positive' \(\d+ rows.*'positive' \(\d+ rows|labels .*'positive' \(\d+ rows.*'Positive' \(\d+ rows", out)
    assert "are longer than --sequence-length 8 tokens" in out and "try --sequence-length" in out


# ----------------------------------------------------------------------------- where sftkit writes


def test_evaluate_json_never_replaces_an_input_or_a_users_file(run_cli, tmp_path):
    data = write_csv(tmp_path / "d.csv", tiny_rows(120, seed=6))
    assert run_cli("train", "--data", data, "--out", tmp_path / "run", *FAST)[0] == 0
    model = tmp_path / "run" / "model"
    before = data.read_bytes()
    code, _, err = run_cli("evaluate", "--model", model, "--data", data, "--json", data)
    assert code == 2 and "is an input of this command" in err and data.read_bytes() == before
    mine = tmp_path / "notes.json"
    mine.write_text('{"my": "notes"}')
    code, _, err = run_cli("evaluate", "--model", model, "--data", data, "--json", mine)
    assert code == 2 and "not written by sftkit" in err and mine.read_text() == '{"my": "notes"}'
    ours = tmp_path / "rep.json"
    assert run_cli("evaluate", "--model", model, "--data", data, "--json", ours)[0] == 0
    assert run_cli("evaluate", "--model", model, "--data", data, "--json", ours)[0] == 0  # its own: replaced
    folder = tmp_path / "album"
    folder.mkdir()
    (folder / "holiday.png").write_bytes(b"not a plot")
    code, _, err = run_cli("evaluate", "--model", model, "--data", data, "--plots", folder)
    assert code == 2 and "not written by sftkit" in err and (folder / "holiday.png").read_bytes() == b"not a plot"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_train_out_may_not_hold_an_input(run_cli, tmp_path):
    data = write_csv(tmp_path / "d.csv", tiny_rows(120, seed=7))
    assert run_cli("train", "--data", data, "--out", tmp_path / "run", *FAST)[0] == 0
    inside = tmp_path / "run" / "copy.csv"
    inside.write_bytes(data.read_bytes())
    code, _, err = run_cli("train", "--data", inside, "--out", tmp_path / "run", *FAST)
    assert code == 2 and "holds the input" in err and inside.exists()


def test_run_folders_honour_the_umask(run_cli, tmp_path):
    data = write_csv(tmp_path / "d.csv", tiny_rows(120, seed=8))
    old = os.umask(0o022)
    try:
        assert run_cli("train", "--data", data, "--out", tmp_path / "run", *FAST)[0] == 0
    finally:
        os.umask(old)
    assert (tmp_path / "run").stat().st_mode & 0o777 == 0o755


def test_pretrain_out_refuses_a_users_folder_and_a_backup_of_another_corpus(run_cli, tmp_path):
    from sftkit._tf import tf_and_keras
    from sftkit.pretrain import pretrain

    _, keras = tf_and_keras()
    corpus = tmp_path / "c.txt"
    corpus.write_text("\n".join(f"the kettle is great number {i} and the lamp" for i in range(60)) + "\n")
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "config.json").write_text("{my settings}")
    (folder / "vocab.txt").write_text("my words")
    code, _, err = run_cli("pretrain", "--corpus", corpus, "--out", folder, "--epochs", "1")
    assert code == 2 and "not written by sftkit" in err
    assert (folder / "config.json").read_text() == "{my settings}" and (folder / "vocab.txt").read_text() == "my words"

    class Stop(Exception):
        pass

    class StopAfterFirstEpoch(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise Stop()

    small = dict(max_tokens=50, embedding_dim=4, lstm_units=4, sequence_length=6, batch_size=16)
    passages = corpus.read_text().splitlines()
    with pytest.raises(Stop):
        pretrain(passages, epochs=3, out=tmp_path / "lm", callbacks=[StopAfterFirstEpoch()], **small)
    edited = tmp_path / "c2.txt"
    edited.write_text(corpus.read_text().replace("kettle", "teapot"))
    flags = ["--max-tokens", "50", "--embedding-dim", "4", "--lstm-units", "4", "--sequence-length", "6",
             "--batch-size", "16", "--epochs", "3"]
    code, _, err = run_cli("pretrain", "--corpus", edited, "--out", tmp_path / "lm", *flags)
    assert code == 2 and err.count("\n") == 1 and "another corpus" in err and "delete" in err
    code, _, err = run_cli("pretrain", "--corpus", corpus, "--out", tmp_path / "lm", *flags[:-1], "4")
    assert code == 0, err  # same corpus and settings, more epochs: resumed


def test_pretrain_refuses_a_changed_corpus_before_announcing_a_resume(run_cli, tmp_path):
    from sftkit._tf import tf_and_keras
    from sftkit.pretrain import pretrain

    _, keras = tf_and_keras()

    class Stop(Exception):
        pass

    class StopAfterFirstEpoch(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise Stop()

    passages = [f"the lamp is fine number {i} today" for i in range(40)]
    small = dict(max_tokens=40, embedding_dim=4, lstm_units=4, sequence_length=6, batch_size=16)
    with pytest.raises(Stop):
        pretrain(passages, epochs=2, out=tmp_path / "lm", callbacks=[StopAfterFirstEpoch()], **small)
    corpus = tmp_path / "other.txt"
    corpus.write_text("\n".join(p.replace("lamp", "kettle") for p in passages) + "\n")
    code, out, err = run_cli("pretrain", "--corpus", corpus, "--out", tmp_path / "lm", "--max-tokens", "40",
                             "--embedding-dim", "4", "--lstm-units", "4", "--sequence-length", "6",
                             "--batch-size", "16", "--epochs", "2")
    assert code == 2 and "another corpus" in err and "resuming" not in out


def test_utf16_without_a_bom_is_named_even_when_a_later_byte_is_not_utf8(run_cli, tmp_path):
    text = "id,text,label\n" + "".join(f"{i},caf\u00e9 nice\u0085 {i},pos\n" for i in range(20))
    path = tmp_path / "u16.csv"
    path.write_bytes(text.encode("utf-16-le"))
    code, _, err = run_cli("train", "--data", path, "--out", tmp_path / "run", *FAST)
    assert code == 2 and "looks like UTF-16 without a byte-order mark" in err
