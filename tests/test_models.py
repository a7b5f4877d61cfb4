"""The seed's classifier: shapes, parameter counts, vectorisation, save/load round trip."""
import numpy as np
import pytest

from sftkit.models import TextClassifier, build_classifier, lstm_param_count
from sftkit.text import make_vectorizer, suggest_sequence_length, token_lengths, vectorize
from sftkit.finetune import fit_text_classifier
from tests.conftest import tiny_rows


def test_vectorizer_round_trip():
    v = make_vectorizer(["Not bad at all!", "a great phone", "a bad phone"], sequence_length=6)
    vocab = v.get_vocabulary()
    assert vocab[:2] == ["", "[UNK]"]
    ids = vectorize(v, ["not bad, at ALL", "zebra phone"])
    assert ids.shape == (2, 6) and ids.dtype == np.int32
    words = [[vocab[i] for i in row if i != 0] for row in ids]
    assert words == [["not", "bad", "at", "all"], ["[UNK]", "phone"]]
    fixed = make_vectorizer(vocabulary=vocab, sequence_length=6)
    assert np.array_equal(vectorize(fixed, ["not bad, at ALL"]), ids[:1])


def test_sequence_length_suggestion():
    texts = ["one two three"] * 95 + ["w " * 40] * 5
    assert list(token_lengths(["It's not bad, at all!"])) == [5]
    assert suggest_sequence_length(texts, coverage=0.95) == 8
    assert suggest_sequence_length(texts, coverage=0.99) == 40


def test_classifier_shapes_and_parameter_counts():
    m = build_classifier(vocab_size=100, num_classes=3, embedding_dim=8, lstm_units=5, sequence_length=7)
    assert [layer.name for layer in m.layers] == ["embedding", "lstm", "classifier"]
    assert m.layers[0].count_params() == 100 * 8
    assert m.layers[1].count_params() == lstm_param_count(8, 5) == 4 * (5 * (8 + 5) + 5)
    assert m.layers[2].count_params() == 5 * 3 + 3
    out = m.predict(np.ones((4, 7), dtype=np.int32), verbose=0)
    assert out.shape == (4, 3) and np.allclose(out.sum(axis=1), 1, atol=1e-5)
    options = build_classifier(100, 2, dropout=0.3, bidirectional=True, l2=1e-4)
    assert [layer.name for layer in options.layers] == ["embedding", "bilstm", "dropout", "classifier"]
    assert options.losses  # the L2 penalty is registered


def test_untrained_loss_is_about_ln_k():
    m = build_classifier(vocab_size=50, num_classes=4, sequence_length=5)
    x = np.random.default_rng(0).integers(1, 50, size=(64, 5)).astype(np.int32)
    y = np.random.default_rng(1).integers(0, 4, size=64)
    loss = m.evaluate(x, y, verbose=0)[0]
    assert abs(loss - np.log(4)) < 0.05


def test_fit_learns_and_saved_model_predicts_the_same(tmp_path):
    rows = tiny_rows(240)
    texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
    clf = fit_text_classifier(texts[:200], labels[:200], texts[200:], labels[200:], epochs=6,
                              sequence_length=8, embedding_dim=16, lstm_units=16, learning_rate=1e-2, seed=1)
    assert clf.classes == ["negative", "positive"]
    assert clf.history["val_accuracy"][-1] > 0.9
    probe = ["the lamp is lovely and phone", "the kettle is useless and jacket", "words never seen"]
    before = clf.predict_proba(probe)
    clf.save(tmp_path / "m")
    again = TextClassifier.load(tmp_path / "m")
    assert again.classes == clf.classes
    np.testing.assert_allclose(again.predict_proba(probe), before, atol=1e-6)
    assert again.predict(probe[:2]) == ["positive", "negative"]
    # the saved file is one end-to-end model: raw strings in, probabilities out
    from sftkit._tf import tf_and_keras

    tf, keras = tf_and_keras()
    full = keras.models.load_model(tmp_path / "m" / "model.keras")
    np.testing.assert_allclose(full.predict(tf.constant([[t] for t in probe]), verbose=0), before, atol=1e-6)


def test_load_missing_model_names_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="model.keras: not found"):
        TextClassifier.load(tmp_path)


@pytest.mark.parametrize("start", ["scratch", "pretrained"])
def test_a_saved_classifier_carries_no_optimizer_state_and_loads_without_a_warning(start, tmp_path):
    """Training compiles the network with GroupAdam (parameter groups); the saved model is for
    prediction and must not hold optimizer state that Keras cannot restore on loading
    ("Skipping variable loading for optimizer 'group_adam', because it has 15 variables
    whereas the saved optimizer has 21 variables")."""
    import json
    import warnings
    import zipfile

    import h5py

    from sftkit.pretrain import load_shipped

    rows = tiny_rows(60, seed=4)
    texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
    pretrained = load_shipped() if start == "pretrained" else None
    clf = fit_text_classifier(texts[:40], labels[:40], texts[40:], labels[40:], epochs=2, sequence_length=8,
                              embedding_dim=8, lstm_units=8, pretrained=pretrained, seed=0)
    assert type(clf.network.optimizer).__name__ == "GroupAdam"  # what training compiled it with
    probe = ["the lamp is lovely and phone", "the kettle is useless and jacket"]
    before = clf.predict_proba(probe)
    clf.save(tmp_path / "m")
    with zipfile.ZipFile(tmp_path / "m" / "model.keras") as z:
        config = z.read("config.json").decode("utf-8")
        z.extract("model.weights.h5", tmp_path)
    assert "GroupAdam" not in config and '"optimizer"' not in config
    with h5py.File(tmp_path / "model.weights.h5") as weights:
        stored = []
        weights.visit(stored.append)
    assert stored and not [name for name in stored if "optimizer" in name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        again = TextClassifier.load(tmp_path / "m")
    assert [str(w.message) for w in caught if issubclass(w.category, UserWarning)] == []
    assert not again.network.compiled  # loaded for prediction
    np.testing.assert_allclose(again.predict_proba(probe), before, atol=1e-6)
    assert json.loads((tmp_path / "m" / "labels.json").read_text(encoding="utf-8"))["classes"] == clf.classes


def test_embedding_dropout_keeps_the_mask_and_acts_only_in_training():
    from sftkit.config import ConfigError, TrainConfig

    a = build_classifier(50, 2, embedding_dropout=0.5, pooling="mean_max", sequence_length=8)
    assert [layer.name for layer in a.layers] == ["embedding", "embedding_dropout", "lstm", "mean_max", "classifier"]
    b = build_classifier(50, 2, pooling="mean_max", sequence_length=8)
    b.set_weights(a.get_weights())
    x = np.array([[3, 4, 5, 0, 0, 0, 0, 0], [7, 0, 0, 0, 0, 0, 0, 0]], dtype=np.int32)
    # at inference the layer is the identity and the padding mask still reaches the LSTM and the pooling
    assert np.allclose(a.predict(x, verbose=0), b.predict(x, verbose=0), atol=1e-6)
    assert not np.allclose(a(x, training=True), b(x, training=False), atol=1e-6)
    with pytest.raises(ConfigError, match=r"TrainConfig.embedding_dropout must be in \[0, 1\); got 1.0"):
        TrainConfig(embedding_dropout=1.0)
