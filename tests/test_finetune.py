"""The one fine-tuning path: parameter groups, their learning rates, gradual unfreezing, one model."""
import numpy as np
import pytest

from sftkit._tf import set_seed, tf_and_keras
from sftkit.config import LSTM_TRANSFER_BELOW, TrainConfig
from sftkit.finetune import fine_tune, group_adam, unfreezing_schedule
from sftkit.models import build_classifier, param_groups

from conftest import tiny_rows, write_csv


def tiny_network(pooling="concat"):
    set_seed(0)
    return build_classifier(30, 2, embedding_dim=4, lstm_units=3, sequence_length=6, pooling=pooling, compile=False)


def tiny_data(n=64):
    rng = np.random.default_rng(0)
    x = rng.integers(1, 30, (n, 6)).astype("int32")
    return x, (x[:, 0] > 15).astype("int32")


def snapshot(network):
    return {g: [v.numpy().copy() for v in vs] for g, vs in param_groups(network).items()}


def moved(a, b):
    return {g: max(float(np.abs(x - y).max()) for x, y in zip(a[g], b[g])) for g in a}


def test_every_weight_is_in_exactly_one_group():
    net = tiny_network()
    groups = param_groups(net)
    assert list(groups) == ["embedding", "lstm", "head"]
    ids = [id(v) for vs in groups.values() for v in vs]
    assert sorted(ids) == sorted(id(v) for v in net.trainable_variables)
    assert [v.path.split("/")[-2] for v in groups["head"]] == ["classifier", "classifier"]


def test_each_group_steps_at_its_own_rate_and_a_zero_multiplier_freezes_it():
    _, keras = tf_and_keras()
    net = tiny_network()
    x, y = tiny_data()
    lr = 1e-2
    opt = group_adam(lr, list(param_groups(net).values()), [0.0, 0.5, 1.0])
    net.compile(optimizer=opt, loss="sparse_categorical_crossentropy")
    before = snapshot(net)
    net.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0)  # one Adam step
    step = moved(snapshot(net), before)
    # Adam's first step moves a weight with a non-zero gradient by about lr (times the multiplier)
    assert step["embedding"] == 0.0
    assert step["lstm"] == pytest.approx(0.5 * lr, rel=1e-2)
    assert step["head"] == pytest.approx(lr, rel=1e-2)
    np.testing.assert_allclose(opt.lr_multipliers.numpy(), [0.0, 0.5, 1.0])


def test_a_variable_outside_every_group_is_refused():
    net = tiny_network()
    groups = param_groups(net)
    opt = group_adam(1e-3, [groups["embedding"], groups["head"]], [1.0, 1.0])
    with pytest.raises(ValueError, match=r"variable\(s\) in no parameter group: .*lstm"):
        opt.build(net.trainable_variables)


def test_weight_decay_is_refused_because_it_would_move_frozen_groups():
    from sftkit.finetune import _recipe_classes

    with pytest.raises(ValueError, match="takes no weight_decay"):
        _recipe_classes()["GroupAdam"](1e-3, groups=[], weight_decay=0.01)


def test_unfreezing_schedule_opens_the_top_first_with_discriminative_rates():
    s = unfreezing_schedule(["embedding", "lstm", "head"], ["embedding", "lstm"], freeze_epochs=2,
                            group_lr_factor=2.0)
    assert [s(e) for e in range(6)] == [[0, 0, 1], [0, 0, 1], [0, 0.5, 1], [0, 0.5, 1],
                                        [0.25, 0.5, 1], [0.25, 0.5, 1]]
    fresh_lstm = unfreezing_schedule(["embedding", "lstm", "head"], ["embedding"], freeze_epochs=1,
                                     group_lr_factor=2.0)
    assert [fresh_lstm(e) for e in range(3)] == [[0, 1, 1], [0, 1, 1], [0.25, 1, 1]]
    kept = unfreezing_schedule(["embedding", "lstm", "head"], ["embedding", "lstm"], freeze_epochs=1,
                               group_lr_factor=2.0, frozen_groups=["embedding"])
    assert [kept(e) for e in range(4)] == [[0, 0, 1], [0, 0.5, 1], [0, 0.5, 1], [0, 0.5, 1]]
    scratch = unfreezing_schedule(["embedding", "lstm", "head"], [], freeze_epochs=1, group_lr_factor=2.6)
    assert scratch(0) == scratch(5) == [1, 1, 1]


def test_the_recipe_runs_its_stages_in_order_in_one_fit():
    _, keras = tf_and_keras()
    net = tiny_network()
    x, y = tiny_data()
    seen = []

    class Record(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(snapshot(net))

    start = snapshot(net)
    h = fine_tune(net, x, y, (x, y), pretrained_groups=("embedding", "lstm"), epochs=3, learning_rate=1e-2,
                  freeze_epochs=1, group_lr_factor=2.6, patience=0, callbacks=[Record()])
    assert h.lr_multipliers == [[0.0, 0.0, 1.0], [0.0, pytest.approx(1 / 2.6), 1.0],
                                [pytest.approx(1 / 2.6 ** 2), pytest.approx(1 / 2.6), 1.0]]
    steps = [moved(seen[0], start), moved(seen[1], seen[0]), moved(seen[2], seen[1])]
    # epoch 1: the head alone; epoch 2: the LSTM joins; epoch 3: the embedding joins
    assert [s["embedding"] > 0 for s in steps] == [False, False, True]
    assert [s["lstm"] > 0 for s in steps] == [False, True, True]
    assert all(s["head"] > 0 for s in steps)
    assert len(h.history["loss"]) == 3


def test_defaults_follow_the_measured_recipe():
    cfg = TrainConfig()
    assert cfg.pooling == "last" and cfg.freeze_epochs is None and cfg.group_lr_factor == 2.6
    assert cfg.lm_epochs == 0 and cfg.patience == 5
    assert cfg.frozen_from_pretrained(100) == ("embedding",) and cfg.frozen_from_pretrained(4000) == ()
    assert TrainConfig(freeze_embedding="always").frozen_from_pretrained(4000) == ("embedding",)
    assert TrainConfig(freeze_embedding="never").frozen_from_pretrained(100) == ()
    assert cfg.layers_from_pretrained(LSTM_TRANSFER_BELOW - 1) == ("embedding", "lstm")
    assert cfg.layers_from_pretrained(LSTM_TRANSFER_BELOW) == ("embedding",)
    assert TrainConfig(pretrained_layers="embedding+lstm").layers_from_pretrained(10_000) == ("embedding", "lstm")
    assert [cfg.epochs_for(n) for n in (50, 100, 200, 1000, 4000)] == [40, 40, 20, 10, 10]
    assert TrainConfig(epochs=3).epochs_for(50) == 3


def test_checkpoint_loads_into_the_saved_network_after_a_pretrained_run(run_cli, tmp_path):
    from sftkit.models import TextClassifier
    from sftkit.pretrain import pretrain

    corpus = [r["text"] for r in tiny_rows(300, seed=5)]
    pretrain(corpus, out=tmp_path / "lm", epochs=1, max_tokens=60, sequence_length=12, embedding_dim=8,
             lstm_units=8, batch_size=32)
    data = write_csv(tmp_path / "d.csv", tiny_rows(160, seed=2))
    code, out, err = run_cli("train", "--data", data, "--out", tmp_path / "run", "--pretrained", tmp_path / "lm",
                             "--epochs", "4", "--patience", "1", "--sequence-length", "8", "--verbose", "0")
    assert code == 0, err
    clf = TextClassifier.load(tmp_path / "run" / "model")
    probe = ["the lamp is great and phone", "the kettle is awful and lamp"]
    before = clf.predict_proba(probe)
    clf.network.load_weights(tmp_path / "run" / "checkpoints" / "best.weights.h5")
    np.testing.assert_allclose(clf.predict_proba(probe), before, atol=1e-6)


def test_validation_is_scored_in_large_batches_and_gives_the_same_loss():
    _, keras = tf_and_keras()
    x, y = tiny_data(364)
    net = tiny_network()
    batches = []
    counter = keras.callbacks.LambdaCallback(on_test_batch_end=lambda batch, logs: batches.append(batch))
    h = fine_tune(net, x[:64], y[:64], (x[64:], y[64:]), epochs=1, learning_rate=1e-2, patience=0,
                  callbacks=[counter])
    assert len(batches) == 2                                   # 300 rows in batches of 256, not 10 of 32
    loss_in_32s = net.evaluate(x[64:], y[64:], batch_size=32, verbose=0)[0]
    assert abs(h.history["val_loss"][-1] - loss_in_32s) < 1e-5


def test_the_frozen_phase_is_half_the_epoch_budget_while_the_lstm_is_pretrained():
    from sftkit.config import FROZEN_SHARE, ConfigError

    cfg = TrainConfig()
    assert FROZEN_SHARE == 0.5
    budgets = (50, 100, 200, 300, 500, 1000, LSTM_TRANSFER_BELOW - 1, LSTM_TRANSFER_BELOW, 4000)
    assert [cfg.freeze_epochs_for(n) for n in budgets] == [20, 20, 10, 7, 5, 5, 5, 1, 1]
    # from 1,500 labels only the embedding is pretrained: one epoch per group, as before the rule
    assert cfg.layers_from_pretrained(4000) == ("embedding",) and cfg.freeze_epochs_for(4000) == 1
    assert TrainConfig(pretrained_layers="embedding").freeze_epochs_for(100) == 1
    assert TrainConfig(pretrained_layers="embedding+lstm").freeze_epochs_for(4000) == 5
    # the run's own epoch budget: a user's epochs, or more epochs after augmentation
    assert TrainConfig(epochs=3).freeze_epochs_for(100) == 1 and cfg.freeze_epochs_for(100, epochs=7) == 3
    assert TrainConfig(epochs=1).freeze_epochs_for(100) == 1
    # a value the user gives is kept at every budget
    assert [TrainConfig(freeze_epochs=k).freeze_epochs_for(n) for k, n in ((0, 100), (3, 100), (2, 4000))] == [0, 3, 2]
    with pytest.raises(ConfigError, match=r"^TrainConfig.freeze_epochs must be a non-negative integer or None; "
                                          r"got -1$"):
        TrainConfig(freeze_epochs=-1)
    with pytest.raises(ConfigError, match=r"freeze_epochs must be .*; got 'auto'$"):
        TrainConfig(freeze_epochs="auto")
    with pytest.raises(ConfigError, match=r"freeze_epochs must be .*; got 2.5$"):
        TrainConfig(freeze_epochs=2.5)


def test_early_stopping_waits_until_the_last_pretrained_group_opens():
    from sftkit.finetune import EarlyStoppingAfterUnfreezing

    _, keras = tf_and_keras()
    net = tiny_network()

    def stopped_at(callback, losses):
        callback.set_model(net)
        net.stop_training = False
        callback.on_train_begin()
        for epoch, loss in enumerate(losses):
            callback.on_epoch_end(epoch, {"val_loss": loss})
            if net.stop_training:
                return epoch
        return None

    worse = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]   # the best epoch is the first, nothing improves after it
    assert stopped_at(keras.callbacks.EarlyStopping(monitor="val_loss", patience=2), worse) == 2
    guarded = EarlyStoppingAfterUnfreezing(4, monitor="val_loss", patience=2)
    assert stopped_at(guarded, worse) == 5          # epochs 0-3 frozen: the open group gets 2 epochs of its own
    assert guarded.best_epoch == 0                  # the best epoch is still tracked over the frozen ones
    assert stopped_at(EarlyStoppingAfterUnfreezing(0, monitor="val_loss", patience=2), worse) == 2   # nothing frozen


def test_fine_tune_does_not_stop_in_the_frozen_phase():
    net = tiny_network()
    x, y = tiny_data()
    rng = np.random.default_rng(1)
    noise = (rng.integers(1, 30, (64, 6)).astype("int32"), rng.integers(0, 2, 64).astype("int32"))
    h = fine_tune(net, x, y, noise, pretrained_groups=("embedding", "lstm"), frozen_groups=("embedding",),
                  epochs=12, learning_rate=1e-2, freeze_epochs=6, patience=1)
    # validation labels are noise, so plain early stopping would end the run within the first few epochs
    assert len(h.history["loss"]) >= 7 and h.lr_multipliers[6][1] > 0
