"""The miniature LLM: next-word windows, perplexity, resume after interruption, transfer."""
import json
import os
import random
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from sftkit.pretrain import PretrainedLM, next_word_windows, pretrain, read_corpus
from sftkit.finetune import fit_text_classifier

SMALL = dict(max_tokens=60, sequence_length=12, embedding_dim=16, lstm_units=16, batch_size=32)


def tiny_corpus(n=600, seed=0):
    """Polarity-coherent passages: a passage's sentiment decides its words and its ending."""
    rng = random.Random(seed)
    pos, neg = ["great", "superb", "lovely"], ["awful", "dreadful", "poor"]
    things = ["phone", "lamp", "kettle", "coat"]
    out = []
    for i in range(n):
        words = pos if i % 2 else neg
        end = "i would buy it again" if i % 2 else "i want my money back"
        body = " ".join(f"the {rng.choice(things)} is {rng.choice(words)} and" for _ in range(rng.randint(1, 3)))
        out.append(f"{body} {end}")
    return out


@pytest.fixture(scope="module")
def lm():
    return pretrain(tiny_corpus(), epochs=3, seed=0, **SMALL)


def test_windows_shift_by_one_word_and_cover_every_target_once():
    seqs = [np.array([5, 6, 7, 8, 9]), np.array([3, 4])]
    x, y = next_word_windows(seqs, length=3)
    assert x.tolist() == [[5, 6, 7], [8, 0, 0], [3, 0, 0]]
    assert y.tolist() == [[6, 7, 8], [9, 0, 0], [4, 0, 0]]
    targets = sorted(int(t) for t in y[y > 0])
    assert targets == [4, 6, 7, 8, 9]


def test_pretraining_lowers_perplexity_far_below_the_vocabulary(lm):
    hist = lm.history
    assert hist["loss"][-1] < hist["loss"][0]
    ppl = lm.perplexity(tiny_corpus(100, seed=5))
    assert ppl < 0.2 * len(lm.vocabulary)
    # perplexity is exp of the mean next-word cross-entropy that Keras reports
    assert abs(np.log(hist["val_perplexity"][-1]) - hist["val_loss"][-1]) < 1e-9


def test_embeddings_group_words_used_alike(lm):
    near = [w for w, _ in lm.nearest_words("superb", k=2)]
    assert set(near) <= {"great", "lovely"}, near
    with pytest.raises(KeyError):
        lm.nearest_words("zeppelin")


def test_save_load_round_trip(lm, tmp_path):
    lm.save(tmp_path / "lm")
    again = PretrainedLM.load(tmp_path / "lm")
    assert again.vocabulary == lm.vocabulary and again.config == lm.config
    x = np.array([[2, 3, 4, 0]], dtype=np.int32)
    np.testing.assert_allclose(again.model.predict(x, verbose=0), lm.model.predict(x, verbose=0), atol=1e-6)


def test_weights_sha256_names_one_model_and_sees_a_changed_weight(lm, tmp_path):
    """Lesson 06 refuses cached runs from another pretrained model by this digest."""
    from sftkit.pretrain import weights_sha256

    digest = weights_sha256(lm)
    assert len(digest) == 64 and digest == weights_sha256(lm)
    lm.save(tmp_path / "m")
    again = PretrainedLM.load(tmp_path / "m")
    assert weights_sha256(again) == digest                       # a saved and loaded copy is the same model
    w = again.model.get_layer("embedding").get_weights()
    w[0][3, 1] += 1e-6
    again.model.get_layer("embedding").set_weights(w)
    assert weights_sha256(again) != digest                       # one entry nudged: another model


def test_classifier_starts_from_the_pretrained_encoder(lm):
    texts = ["the lamp is great", "the coat is awful"] * 10
    labels = ["pos", "neg"] * 10
    # one epoch of gradual unfreezing trains the head alone: the encoder is still the language model's
    frozen = fit_text_classifier(texts, labels, pretrained=lm, epochs=1, freeze_epochs=1, sequence_length=6)
    for name in ("embedding", "lstm"):
        for a, b in zip(frozen.network.get_layer(name).get_weights(), lm.model.get_layer(name).get_weights()):
            np.testing.assert_array_equal(a, b)
    assert frozen.vectorizer.get_vocabulary() == lm.vocabulary
    # with many labels only the embedding starts from the language model (pretrained_layers="auto")
    many = fit_text_classifier(texts * 100, labels * 100, pretrained=lm, epochs=1, sequence_length=6)
    np.testing.assert_array_equal(many.network.get_layer("embedding").get_weights()[0], lm.embedding)
    assert not np.allclose(many.network.get_layer("lstm").get_weights()[0], lm.model.get_layer("lstm").get_weights()[0])


def test_by_default_the_head_trains_alone_for_half_the_budget_then_the_lstm_joins(lm):
    import keras

    texts = ["the lamp is great", "the coat is awful"] * 10
    labels = ["pos", "neg"] * 10
    lstm_after = []
    watch = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: lstm_after.append(clf_net[0].get_layer("lstm").get_weights()))
    clf_net = []

    class Grab(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            clf_net.append(self.model)

    clf = fit_text_classifier(texts, labels, pretrained=lm, epochs=6, patience=0, sequence_length=6,
                              callbacks=[Grab(), watch])
    # 20 labels, 6 epochs: the head alone for 3 epochs, then the LSTM at 1/2.6; the embedding stays frozen
    assert clf.network.history.lr_multipliers == [[0.0, 0.0, 1.0]] * 3 + [[0.0, pytest.approx(1 / 2.6), 1.0]] * 3
    start = lm.model.get_layer("lstm").get_weights()
    unchanged = [all(np.array_equal(a, b) for a, b in zip(w, start)) for w in lstm_after]
    assert unchanged == [True, True, True, False, False, False]
    np.testing.assert_array_equal(clf.network.get_layer("embedding").get_weights()[0], lm.embedding)


def test_unseen_words_are_classified_after_pretraining_but_not_from_scratch(lm):
    texts = [f"the {t} is {w}" for t in ("lamp", "coat", "phone") for w in ("great", "awful")] * 4
    labels = ["pos" if "great" in t else "neg" for t in texts]
    unseen = [f"the {t} is {w}" for t in ("kettle", "lamp", "coat") for w in ("superb", "dreadful", "lovely", "poor")]
    truth = np.array(["pos" if w in ("superb", "lovely") else "neg" for t in range(3) for w in
                      ("superb", "dreadful", "lovely", "poor")])
    common = dict(epochs=30, sequence_length=6, patience=0, learning_rate=1e-2)
    # 24 texts make one gradient step per epoch: the default frozen phase (half the epochs) would leave the
    # toy LSTM 15 steps; this test is about what pretrained words carry, so the LSTM opens after one step
    pre = fit_text_classifier(texts, labels, pretrained=lm, freeze_epochs=1, **common)
    scratch = fit_text_classifier(texts, labels, **common)
    pre_acc = np.mean(np.array(pre.predict(unseen)) == truth)
    scratch_acc = np.mean(np.array(scratch.predict(unseen)) == truth)
    # from scratch every unseen word is [UNK]: the pairs look identical, so exactly chance
    assert scratch_acc == 0.5
    assert pre_acc >= 0.75, pre_acc


class _Interrupt(Exception):
    pass


def test_interrupted_pretraining_resumes_from_the_last_epoch(tmp_path):
    from sftkit._tf import tf_and_keras

    _, keras = tf_and_keras()

    class StopAfterFirstEpoch(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise _Interrupt()

    corpus = tiny_corpus(200)
    with pytest.raises(_Interrupt):
        pretrain(corpus, epochs=3, out=tmp_path, callbacks=[StopAfterFirstEpoch()], **SMALL)
    assert (tmp_path / "backup").exists() and not (tmp_path / "lm.keras").exists()
    resumed = pretrain(corpus, epochs=3, out=tmp_path, **SMALL)
    assert len(resumed.history["loss"]) == 2  # epochs 2 and 3 only
    assert (tmp_path / "lm.keras").exists() and not (tmp_path / "backup").exists()
    meta = json.loads((tmp_path / "config.json").read_text())
    assert meta["config"]["epochs"] == 3


def test_read_corpus_errors(tmp_path):
    from sftkit.data import DataError

    (tmp_path / "one.txt").write_text("just one passage\n\n")
    with pytest.raises(DataError, match="at least two passages"):
        read_corpus(tmp_path / "one.txt")
    (tmp_path / "c.csv").write_text("a,b\n")
    with pytest.raises(DataError, match="plain .txt file"):
        read_corpus(tmp_path / "c.csv")


def test_cli_pretrain_then_train_with_init(tmp_path, run_cli):
    from tests.conftest import tiny_rows, write_csv

    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(tiny_corpus(200)) + "\n")
    code, out, err = run_cli("pretrain", "--corpus", corpus, "--out", tmp_path / "lm", "--epochs", "1",
                             "--max-tokens", "60", "--sequence-length", "12", "--embedding-dim", "8",
                             "--lstm-units", "8")
    assert code == 0, err
    assert "validation perplexity" in out
    data = write_csv(tmp_path / "d.csv", tiny_rows(100))
    code, out, err = run_cli("train", "--data", data, "--init", tmp_path / "lm", "--out", tmp_path / "run",
                             "--epochs", "1", "--sequence-length", "8")
    assert code == 0, err
    assert "choose a pretrained model: LSTM language model with" in out
    code, _, err = run_cli("train", "--data", data, "--init", tmp_path / "nowhere", "--out", tmp_path / "r2")
    assert code == 2 and "lm.keras: not found" in err


def test_fine_tune_under_mirrored_strategy_on_two_cpus(tmp_path):
    script = textwrap.dedent("""
        import sys
        from sftkit._tf import tf_and_keras
        tf, keras = tf_and_keras()
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        assert strategy.num_replicas_in_sync == 2
        sys.path.insert(0, sys.argv[1])
        from tests.conftest import tiny_rows
        from sftkit.finetune import fit_text_classifier
        rows = tiny_rows(200)
        clf = fit_text_classifier([r["text"] for r in rows], [r["label"] for r in rows], epochs=4,
                                  sequence_length=8, embedding_dim=16, lstm_units=16, learning_rate=1e-2,
                                  strategy=strategy)
        acc = clf.history["accuracy"]
        print("accuracy", acc[0], acc[-1])
        assert acc[-1] > 0.9 and acc[-1] > acc[0]
    """)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.run([sys.executable, "-c", script, root], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
