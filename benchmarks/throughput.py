"""Training speed: sftkit's fine-tuning against a plain Keras ``fit`` of the same network.

Both sides train the seed's classifier as sftkit builds it from the shipped pretrained
model with the library's defaults for 4,000 labels (:class:`sftkit.config.TrainConfig`: the
model's embedding, 64 wide, a fresh LSTM of the model's 128 units, the softmax layer on the
LSTM's last state) on the bundled reviews' 4,000 training texts, with the same batch size
and number of epochs, no validation data. sftkit's side is :func:`sftkit.finetune.fine_tune`
(parameter groups with their own learning rates, gradual unfreezing by a callback); the
plain side is ``network.compile(Adam)`` then ``network.fit``. Runs are interleaved (plain, sftkit, sftkit, plain, ...) so that a busy
machine slows both alike. The first epoch of every run (tracing the training function)
is left out; the figure is training examples per second over the remaining epochs.

    python benchmarks/throughput.py                  # 3 repeats of 4 epochs each (about 4 minutes on 2 cores)
    python benchmarks/throughput.py --repeats 1 --epochs 2
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from sftkit._tf import set_seed, tf_and_keras
from sftkit.config import TrainConfig
from sftkit.data import load_bundled
from sftkit.finetune import encode_labels, fine_tune
from sftkit.models import build_classifier
from sftkit.pretrain import load_shipped
from sftkit.text import vectorize


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=4, help="epochs per run; the first is not timed")
    args = parser.parse_args(argv)
    if args.epochs < 2 or args.repeats < 1:
        parser.error("--epochs must be at least 2 and --repeats at least 1")
    _, keras = tf_and_keras()
    train = load_bundled("reviews")["train"]
    lm = load_shipped()
    cfg = TrainConfig(patience=0)
    classes = sorted(set(train.labels))

    class EpochTimes(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.t = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.times.append(time.perf_counter() - self.t)

    def run(side: str) -> float:
        set_seed(0)
        vectorizer = lm.vectorizer(cfg.sequence_length)
        pretrained_groups = cfg.layers_from_pretrained(len(train))  # as fit_text_classifier chooses them
        network = build_classifier(vectorizer.vocabulary_size(), len(classes), sequence_length=cfg.sequence_length,
                                   pooling=cfg.pooling, pretrained=lm, pretrained_layers=pretrained_groups,
                                   compile=False)
        x = vectorize(vectorizer, list(train.texts))
        y = encode_labels(train.labels, classes)
        timer = EpochTimes()
        timer.times = []
        if side == "plain keras":
            network.compile(optimizer=keras.optimizers.Adam(cfg.learning_rate),
                            loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            network.fit(x, y, epochs=args.epochs, batch_size=cfg.batch_size, shuffle=True, callbacks=[timer],
                        verbose=0)
        else:
            fine_tune(network, x, y, pretrained_groups=pretrained_groups, epochs=args.epochs,
                      learning_rate=cfg.learning_rate, batch_size=cfg.batch_size,
                      freeze_epochs=cfg.freeze_epochs_for(len(train), args.epochs),  # 1 at 4,000 labels
                      group_lr_factor=cfg.group_lr_factor, patience=0, callbacks=[timer])
        return len(x) * (args.epochs - 1) / sum(timer.times[1:])

    speeds: dict[str, list[float]] = {"plain keras": [], "sftkit": []}
    for r in range(args.repeats):
        order = ("plain keras", "sftkit") if r % 2 == 0 else ("sftkit", "plain keras")
        for side in order:
            speeds[side].append(run(side))
            print(f"  repeat {r + 1} {side:12s} {speeds[side][-1]:8.0f} examples/s", flush=True)
    plain, ours = statistics.median(speeds["plain keras"]), statistics.median(speeds["sftkit"])
    print(f"\ntraining examples per second (median of {args.repeats}, epochs 2-{args.epochs} of each run, "
          f"batch {cfg.batch_size}, {len(train)} texts):")
    print(f"  plain keras fit  {plain:8.0f}")
    print(f"  sftkit fine_tune {ours:8.0f}")
    print(f"  ratio sftkit / plain keras: {ours / plain:.3f}")
    ratios = [o / p for o, p in zip(speeds["sftkit"], speeds["plain keras"])]
    print(f"  per-repeat ratios: {', '.join(f'{v:.3f}' for v in ratios)}; spread {np.ptp(ratios):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
