"""Lab for issue 12 (not a benchmark): does a regularised language model transfer its LSTM better?

Pretrains the shipped architecture (Embedding 64 -> LSTM 128 -> softmax) with dropout on the
embedding (whole words) and on the LSTM output, saving the model after chosen epochs.
"""
import argparse
from pathlib import Path

import numpy as np

from sftkit._tf import set_seed, tf_and_keras
from sftkit.pretrain import LMConfig, PretrainedLM, next_word_windows, read_corpus, token_ids
from sftkit.text import make_vectorizer

tf, keras = tf_and_keras()


class SaveAt(keras.callbacks.Callback):
    def __init__(self, at, out, vocab, cfg):
        super().__init__()
        self.at, self.out, self.vocab, self.cfg = set(at), Path(out), vocab, cfg

    def on_epoch_end(self, epoch, logs=None):
        if epoch + 1 in self.at:
            PretrainedLM(self.model, self.vocab, self.cfg, {"val_loss": [float(logs["val_loss"])]}).save(
                self.out / f"ep{epoch + 1}")
            print(f"saved ep{epoch + 1} val_loss {logs['val_loss']:.4f}", flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--corpus", default="data/pretrain/corpus.txt")
    p.add_argument("--out", required=True)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--save-at", type=int, nargs="+", default=[3, 6, 10])
    p.add_argument("--emb-dropout", type=float, default=0.1)
    p.add_argument("--out-dropout", type=float, default=0.3)
    p.add_argument("--lr", type=float, default=5e-3)
    a = p.parse_args()
    cfg = LMConfig(epochs=a.epochs, learning_rate=a.lr)
    set_seed(cfg.seed)
    passages = read_corpus(a.corpus)
    rng = np.random.default_rng(cfg.seed)
    order = rng.permutation(len(passages))
    n_val = max(1, int(round(len(passages) * cfg.validation_fraction)))
    val_texts = [passages[i] for i in order[:n_val]]
    train_texts = [passages[i] for i in order[n_val:]]
    vec = make_vectorizer(train_texts, max_tokens=cfg.max_tokens, sequence_length=None)
    vocab = [str(w) for w in vec.get_vocabulary()]
    x, y = next_word_windows(token_ids(vec, train_texts), cfg.sequence_length)
    xv, yv = next_word_windows(token_ids(vec, val_texts), cfg.sequence_length)
    layers = [keras.Input(shape=(cfg.sequence_length,), dtype="int32"),
              keras.layers.Embedding(len(vocab), cfg.embedding_dim, mask_zero=True, name="embedding")]
    if a.emb_dropout:
        layers.append(keras.layers.SpatialDropout1D(a.emb_dropout))
    layers.append(keras.layers.LSTM(cfg.lstm_units, return_sequences=True, name="lstm"))
    if a.out_dropout:
        layers.append(keras.layers.Dropout(a.out_dropout))
    layers.append(keras.layers.Dense(len(vocab), activation="softmax", name="next_word"))
    model = keras.Sequential(layers)
    model.compile(optimizer=keras.optimizers.Adam(a.lr, clipnorm=1.0), loss="sparse_categorical_crossentropy",
                  weighted_metrics=[])
    model.fit(x, y, sample_weight=(y > 0).astype("float32"), validation_data=(xv, yv, (yv > 0).astype("float32")),
              epochs=a.epochs, batch_size=cfg.batch_size, shuffle=True, verbose=2,
              callbacks=[SaveAt(a.save_at, a.out, vocab, cfg)])


if __name__ == "__main__":
    main()
