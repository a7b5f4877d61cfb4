"""Lab for issue 12 (not a benchmark): which fine-tuning recipe makes the pretrained start win?

Every figure here is VALIDATION accuracy (reviews/val or the fresh corpus's val); the test
split is never read. Each experiment is a named dict of options; results are appended as
JSON lines to --log so runs can be resumed and compared.

    nice -n 10 python benchmarks/recipe_lab.py --exp base --budgets 100 1000 4000 --seeds 0
"""
from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np

from sftkit._tf import set_seed, tf_and_keras
from sftkit.data import load_labelled, stratified_sample
from sftkit.pretrain import PretrainedLM, continue_training, shipped_lm_dir
from sftkit.text import make_vectorizer, vectorize

tf, keras = tf_and_keras()


class GroupAdam(keras.optimizers.Adam):
    """Adam with one learning-rate multiplier per parameter group (a variable, so callbacks can change it)."""

    def __init__(self, learning_rate, groups, multipliers, **kw):
        super().__init__(learning_rate, **kw)
        self._groups = groups
        self._init_mult = [float(m) for m in multipliers]

    def build(self, var_list):
        super().build(var_list)
        self.lr_multipliers = self.add_variable((len(self._groups),), initializer="ones", name="lr_multipliers")
        self.lr_multipliers.assign(np.array(self._init_mult, dtype="float32"))
        self._group_of = {}
        for g, vs in enumerate(self._groups):
            for v in vs:
                self._group_of[self._get_variable_index(v)] = g

    def update_step(self, gradient, variable, learning_rate):
        g = self._group_of[self._get_variable_index(variable)]
        super().update_step(gradient, variable, learning_rate * self.lr_multipliers[g])


@keras.saving.register_keras_serializable(package="lab")
class ConcatPooling(keras.layers.Layer):
    def __init__(self, parts=("last", "mean", "max"), **kw):
        super().__init__(**kw)
        self.parts = tuple(parts)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        ops = keras.ops
        if mask is None:
            mask = ops.ones(ops.shape(inputs)[:2], dtype="bool")
        m = ops.expand_dims(ops.cast(mask, inputs.dtype), -1)
        out = []
        for p in self.parts:
            if p == "last":
                last = ops.maximum(ops.sum(ops.cast(mask, "int32"), axis=1) - 1, 0)
                out.append(ops.take_along_axis(inputs, last[:, None, None], axis=1)[:, 0, :])
            elif p == "mean":
                out.append(ops.sum(inputs * m, axis=1) / ops.maximum(ops.sum(m, axis=1), 1.0))
            elif p == "max":
                out.append(ops.max(inputs * m - 1e9 * (1.0 - m), axis=1))
        return ops.concatenate(out, axis=-1) if len(out) > 1 else out[0]

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        return {**super().get_config(), "parts": list(self.parts)}


def build(vocab_size, classes, emb, units, seq_len, pooling, dropout, emb_dropout=0.0):
    layers = [keras.Input(shape=(seq_len,), dtype="int32"),
              keras.layers.Embedding(vocab_size, emb, mask_zero=True, name="embedding")]
    if emb_dropout:
        layers.append(keras.layers.SpatialDropout1D(emb_dropout, name="emb_dropout"))
    layers.append(keras.layers.LSTM(units, return_sequences=pooling != "last", name="lstm"))
    if pooling != "last":
        parts = {"concat": ("last", "mean", "max"), "mean_max": ("mean", "max"), "mean": ("mean",)}[pooling]
        layers.append(ConcatPooling(parts, name="pool"))
    if dropout:
        layers.append(keras.layers.Dropout(dropout, name="dropout"))
    layers.append(keras.layers.Dense(classes, activation="softmax", name="classifier"))
    return keras.Sequential(layers)


class Unfreeze(keras.callbacks.Callback):
    """At the start of each epoch set the group multipliers from a plan: list of per-epoch gate tuples."""

    def __init__(self, opt, base, plan):
        super().__init__()
        self.opt, self.base, self.plan = opt, base, plan

    def on_epoch_begin(self, epoch, logs=None):
        gates = self.plan[min(epoch, len(self.plan) - 1)]
        self.opt.lr_multipliers.assign(np.array([b * g for b, g in zip(self.base, gates)], dtype="float32"))


DEFAULT = dict(lr=2e-3, epochs=8, patience=2, batch=32, seq_len=48, pooling="last", dropout=0.0,
               emb_dropout=0.0, freeze=0, gradual=False, factor=1.0, schedule="constant", warmup=0.1,
               div=25.0, lm_epochs=0, lm_lr=1e-3, units=64, emb=64, restore=True, clipnorm=None,
               init="pretrained", epochs_rule="fixed", wd=0.0, transfer="all", shrink=1.0)

EXPS = {
    # the library as it is today (freeze half the epochs, encoder at 0.3x, last state)
    "today": dict(freeze="half", factor=1 / 0.3, epochs_rule="bench", patience=5),
    "scratch_today": dict(init="none", epochs_rule="bench", patience=5),
    "scratch": dict(init="none"),
    "base": dict(),
    # the measured recipe (issue 12): concat pooling, budget-aware epochs, patience 5, ULMFiT's gradual
    # unfreezing and discriminative rates (2.6) for pretrained groups, the LM's LSTM only below 1,500 labels
    "recipe": dict(pooling="concat", epochs_rule="bench", patience=5, gradual=True, factor=2.6, transfer="auto"),
    "recipe_fe": dict(pooling="concat", epochs_rule="bench", patience=5, gradual=True, factor=2.6, transfer="auto",
                      freeze_emb=True),
    "recipe_scratch": dict(init="none", pooling="concat", epochs_rule="bench", patience=5),  # pretrained, everything trainable, same lr, last state
}


def epochs_bench(n):
    return int(min(40, max(10, math.ceil(4000 / n))))


_LM_CACHE: dict = {}


def task_lm(lm, texts, epochs, lr, seed):
    key = (id(lm), epochs, lr, seed, len(texts))
    if key not in _LM_CACHE:
        t = time.perf_counter()
        _LM_CACHE[key] = continue_training(lm, texts, epochs=epochs, learning_rate=lr, seed=seed)
        print(f"    [stage 2] LM fine-tuned {epochs} epochs lr {lr}: {time.perf_counter() - t:.0f}s "
              f"loss {_LM_CACHE[key].history['loss'][-1]:.3f}", flush=True)
    return _LM_CACHE[key]


def run(opts, sample, val, all_train_texts, lm, seed, test=None):
    o = {**DEFAULT, **opts}
    epochs = epochs_bench(len(sample)) if o["epochs_rule"] == "bench" else o["epochs"]
    if o["epochs_rule"] == "steps":  # about a fixed number of optimizer steps, within [epochs, 40]
        epochs = int(min(40, max(o["epochs"], math.ceil(o["steps"] * o["batch"] / len(sample)))))
    set_seed(seed)
    classes = sorted(set(sample.labels))
    pre = o["init"] != "none"
    if o["transfer"] == "auto":  # measured crossover on reviews/val: the LM's LSTM helps below ~1,500 labels
        o["transfer"] = "all" if len(sample) < o.get("auto_below", 1500) else "emb"
    if pre and o["lm_epochs"]:
        lm = task_lm(lm, all_train_texts, o["lm_epochs"], o["lm_lr"], 0)
    if pre:
        vec = lm.vectorizer(o["seq_len"])
        emb, units = lm.config.embedding_dim, lm.config.lstm_units
    else:
        vec = make_vectorizer(list(sample.texts), max_tokens=10000, sequence_length=o["seq_len"])
        emb, units = o["emb"], o["units"]
    set_seed(seed)
    net = build(vec.vocabulary_size(), len(classes), emb, units, o["seq_len"], o["pooling"], o["dropout"],
                o["emb_dropout"])
    if pre:
        net.get_layer("embedding").set_weights(lm.model.get_layer("embedding").get_weights())
        if o["transfer"] == "all":
            fresh = net.get_layer("lstm").get_weights()
            lam = o["shrink"]  # Ash & Adams 2020 shrink-and-perturb: lam * pretrained + fresh init
            w = [lam * p + (1.0 if lam < 1 else 0.0) * f for p, f in zip(lm.model.get_layer("lstm").get_weights(), fresh)]
            net.get_layer("lstm").set_weights(w)
    x = vectorize(vec, list(sample.texts))
    y = np.array([classes.index(v) for v in sample.labels], dtype="int32")
    xv = vectorize(vec, list(val.texts))
    yv = np.array([classes.index(v) for v in val.labels], dtype="int32")
    steps = math.ceil(len(x) / o["batch"]) * epochs
    if o["schedule"] == "onecycle":
        lr = keras.optimizers.schedules.CosineDecay(o["lr"] / o["div"], max(1, steps - int(o["warmup"] * steps)),
                                                    alpha=1 / o["div"] / 100, warmup_target=o["lr"],
                                                    warmup_steps=int(o["warmup"] * steps))
    else:
        lr = o["lr"]
    groups = [net.get_layer("embedding").trainable_variables, net.get_layer("lstm").trainable_variables,
              net.get_layer("classifier").trainable_variables]
    f = o["factor"]
    base = [1 / f ** 2, 1 / f, 1.0]
    freeze = epochs // 2 if o["freeze"] == "half" else int(o["freeze"])
    if o["gradual"]:  # ULMFiT: head, then + lstm, then + embedding, one epoch each
        plan = [(0, 0, 1), (0, 1, 1), (1, 1, 1)]
    else:
        plan = [(0, 0, 1)] * freeze + [(1, 1, 1)]
    if not pre:
        plan = [(1, 1, 1)]
    elif o["transfer"] == "emb":  # a fresh LSTM is never frozen; only the pretrained embedding waits
        plan = [(0, 1, 1)] * max(1, freeze if not o["gradual"] else 1) + [(1, 1, 1)] if (o["gradual"] or freeze) else [(1, 1, 1)]
        base = [1 / f, 1.0, 1.0]
    if o.get("freeze_emb") and pre:  # keep the pretrained word vectors as they are for the whole run
        plan = [(0,) + tuple(p[1:]) for p in plan]
    kw = {"clipnorm": o["clipnorm"]} if o["clipnorm"] else {}
    if o["wd"]:
        kw["weight_decay"] = o["wd"]
    opt = GroupAdam(lr, groups, base, **kw)
    net.compile(optimizer=opt, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    opt.build(net.trainable_variables)
    cbs = [Unfreeze(opt, base, plan)]
    if o["patience"]:
        cbs.append(keras.callbacks.EarlyStopping(monitor="val_loss", patience=o["patience"],
                                                 restore_best_weights=o["restore"]))
    t = time.perf_counter()
    h = net.fit(x, y, validation_data=(xv, yv), epochs=epochs, batch_size=o["batch"], shuffle=True,
                callbacks=cbs, verbose=0)
    secs = time.perf_counter() - t
    pv = net.predict(xv, batch_size=256, verbose=0)
    acc = float(np.mean(pv.argmax(1) == yv))
    vl = h.history["val_loss"]
    if test is not None:
        out_test = {}
        for key, (texts, labels) in test.items():
            pt = net.predict(vectorize(vec, list(texts)), batch_size=256, verbose=0)
            out_test[key] = float(np.mean(pt.argmax(1) == np.array([classes.index(v) for v in labels])))
    else:
        out_test = None
    return {"val_acc": acc, "test": out_test, "transfer": o["transfer"], "epochs_run": len(vl), "best_epoch": int(np.argmin(vl)) + 1,
            "val_acc_curve": [round(a, 3) for a in h.history["val_accuracy"]],
            "train_acc_curve": [round(a, 3) for a in h.history["accuracy"]], "secs": round(secs, 1)}


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--exp", nargs="+", required=True, help="names in EXPS, or NAME=JSON for an ad-hoc one")
    p.add_argument("--budgets", nargs="+", type=int, default=[100, 1000, 4000])
    p.add_argument("--seeds", nargs="+", type=int, default=[0])
    p.add_argument("--data-dir", default="data")
    p.add_argument("--lm", default=None)
    p.add_argument("--log", default="/work/scratch/recipe/lab.jsonl")
    p.add_argument("--final", action="store_true", help="also score the test split (final curves only)")
    a = p.parse_args(argv)
    d = Path(a.data_dir)
    train = load_labelled(d / "reviews" / "train.csv")
    val = load_labelled(d / "reviews" / "val.csv")
    lm = PretrainedLM.load(a.lm or shipped_lm_dir())
    test = None
    if a.final:
        t = load_labelled(d / "reviews" / "test.csv")
        sub = [i for i, x in enumerate(t.extra["subset"]) if x == "unseen_words"]
        test = {"test": (t.texts, t.labels),
                "unseen": ([t.texts[i] for i in sub], [t.labels[i] for i in sub])}
    Path(a.log).parent.mkdir(parents=True, exist_ok=True)
    specs = [(spec.partition("=")[0], json.loads(spec.partition("=")[2]) if "=" in spec else EXPS[spec])
             for spec in a.exp]
    for n in a.budgets:
        for seed in a.seeds:
            sample = stratified_sample(train, n, seed=seed)
            for name, opts in specs:
                r = run(opts, sample, val, list(train.texts), lm, seed, test)
                rec = {"exp": name, "opts": opts, "n": n, "seed": seed, "data": str(d), "lm": a.lm or "shipped", **r}
                with open(a.log, "a") as fh:
                    fh.write(json.dumps(rec) + "\n")
                print(f"{name:24s} n={n:5d} s={seed} val {r['val_acc']:.3f} ep {r['epochs_run']:2d} "
                      f"(best {r['best_epoch']:2d}) {r['transfer']} test {r['test']} {r['secs']:5.0f}s  {r['val_acc_curve']} train {r['train_acc_curve']}", flush=True)


if __name__ == "__main__":
    main()
