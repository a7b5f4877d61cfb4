"""Text data augmentation (数据增强): more training examples made from the ones you have (lesson 07).

Seed Q3 names data augmentation as one cure for overfitting (过拟合): a model that sees
slightly different versions of each training text cannot simply memorise the exact
strings. For text, the usual cheap edits are:

* ``token_dropout``: delete each word with probability ``p`` (the model must not lean on
  any single word);
* ``word_swap``: swap a few pairs of neighbouring words (small changes of word order);
* ``synonym``: replace some content words by a near neighbour in a pretrained language
  model's embedding space (:meth:`sftkit.pretrain.PretrainedLM.nearest_words`).

In Chinese and other scripts written without spaces, a "word" here is one character
(and a run of Latin letters or digits stays whole): ``token_dropout`` deletes
characters, ``word_swap`` swaps neighbouring characters. On their own they join the
tokens with spaces (``质 很 量 好``); :func:`augment_text` (and so
:func:`augment_dataset`) removes the spaces between CJK characters again (``质很量好``).

Every edit keeps the label. That is an assumption, and it can be false: dropping *not*
from "not good" or swapping "not good at all" into "good not at all" changes what a
review means, and an embedding neighbour of *great* may be *awful* (words used in the
same slots land close together whatever their polarity). On data where word order
carries the label (the bundled reviews), augmentation can add label noise as well as
variety; lesson 07 measures whether it helps.

:func:`augment_dataset` is what ``TrainConfig(augment=...)`` calls on the training split.
The same ``seed`` always gives the same augmented texts.
"""
from __future__ import annotations

import random
import re
from typing import Callable, Sequence

METHODS = ("token_dropout", "word_swap", "synonym")

# Words the synonym method never replaces: function words, and the words that flip or
# steer meaning (negation, contrast), which have no safe "synonym".
KEEP_WORDS = frozenset("""
a an the and or but if so to of in on at by for with from as is are was were be been am it its it's
i me my we our you your he she they them their this that these those there here not no never nor
nothing none nobody neither cannot can't don't didn't isn't wasn't won't doesn't aren't
although though however even only very too just all any some than then what how who when why
would could should will can do does did has have had get got
""".split())

_CORE = re.compile(r"^(\W*)([\w']+)(\W*)$")


def _words(text: str) -> list[str]:
    """Words split on white space; in scripts without spaces, one token per character."""
    from sftkit.text import is_no_space_char

    if not any(is_no_space_char(c) for c in text):
        return text.split()
    tokens: list[str] = []
    for chunk in text.split():
        run = ""
        for c in chunk:
            if is_no_space_char(c):
                if run:
                    tokens.append(run)
                    run = ""
                tokens.append(c)
            else:
                run += c
        if run:
            tokens.append(run)
    return tokens


def _rejoin(original: str, edited: str) -> str:
    """``edited`` without the spaces the edit put between CJK characters (if ``original`` has any)."""
    from sftkit.text import is_no_space_char

    if not any(is_no_space_char(c) for c in original):
        return edited
    return _join(edited.split())


def _join(tokens: list[str]) -> str:
    """Inverse of :func:`_words`: a space only between two tokens that are not CJK characters."""
    from sftkit.text import is_no_space_char

    out = ""
    for tok in tokens:
        cjk = len(tok) == 1 and is_no_space_char(tok)
        if out and not cjk and not is_no_space_char(out[-1]):
            out += " "
        out += tok
    return out


def token_dropout(text: str, rng: random.Random, p: float = 0.1) -> str:
    """Delete each word with probability ``p``; at least one word is always kept."""
    words = _words(text)
    if len(words) <= 1:
        return text
    kept = [w for w in words if rng.random() >= p]
    if not kept:
        kept = [rng.choice(words)]
    return " ".join(kept)


def word_swap(text: str, rng: random.Random, p: float = 0.1) -> str:
    """Swap ``max(1, round(p * n_words))`` randomly chosen pairs of neighbouring words."""
    words = _words(text)
    if len(words) < 2:
        return text
    for _ in range(max(1, round(p * len(words)))):
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def synonym_replace(text: str, rng: random.Random, neighbours: Callable[[str], list[str]],
                    p: float = 0.15) -> str:
    """Replace each content word, with probability ``p``, by one of its ``neighbours``.

    ``neighbours(word)`` returns candidate replacements (lower-case) or ``[]``. Case and
    punctuation around the word are kept; words in :data:`KEEP_WORDS` are never replaced.
    """
    out = []
    for w in _words(text):
        m = _CORE.match(w)
        if m is None:
            out.append(w)
            continue
        pre, core, post = m.groups()
        low = core.lower()
        if low in KEEP_WORDS or len(low) < 3 or low.isdigit() or rng.random() >= p:
            out.append(w)
            continue
        options = neighbours(low)
        if not options:
            out.append(w)
            continue
        new = rng.choice(options)
        if core[:1].isupper():
            new = new[:1].upper() + new[1:]
        out.append(pre + new + post)
    return " ".join(out)


def _default_lm():
    """The shipped pretrained model."""
    from sftkit.pretrain import load_shipped

    return load_shipped()


def embedding_neighbours(lm, k: int = 5) -> Callable[[str], list[str]]:
    """``word -> its k nearest words`` in ``lm``'s embedding space (memoised; [] if unknown)."""
    vocab = set(lm.vocabulary[2:])
    cache: dict[str, list[str]] = {}

    def neighbours(word: str) -> list[str]:
        if word not in cache:
            if word not in vocab:
                cache[word] = []
            else:
                cache[word] = [w for w, _ in lm.nearest_words(word, k) if w.isalpha() and w not in KEEP_WORDS]
        return cache[word]

    return neighbours


def augment_text(text: str, method: str, rng: random.Random, *, p: float | None = None,
                 neighbours: Callable[[str], list[str]] | None = None) -> str:
    """One augmented version of ``text`` by ``method`` (see :data:`METHODS`)."""
    _check_method(method)
    if method == "token_dropout":
        return _rejoin(text, token_dropout(text, rng, 0.1 if p is None else p))
    if method == "word_swap":
        return _rejoin(text, word_swap(text, rng, 0.1 if p is None else p))
    if neighbours is None:
        raise ValueError("the synonym method needs neighbours (see embedding_neighbours)")
    return synonym_replace(text, rng, neighbours, 0.15 if p is None else p)


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown augmentation method {method!r}; choose one of: {', '.join(METHODS)}")


def augment_dataset(texts: Sequence[str], labels: Sequence[str], *, method: str, copies: int = 1,
                    seed: int = 0, lm=None, p: float | None = None, k: int = 5) -> tuple[list[str], list[str]]:
    """The original examples followed by ``copies`` augmented versions of each.

    Returns ``(texts, labels)`` of length ``len(texts) * (1 + copies)``: first the
    originals in their order, then copy 1 of every example, then copy 2, and so on; each
    copy carries its original's label. ``p`` is the method's edit rate (defaults: 0.1
    for ``token_dropout`` and ``word_swap``, 0.15 for ``synonym``). ``synonym`` looks up
    the ``k`` nearest words in ``lm`` (a :class:`~sftkit.pretrain.PretrainedLM`; the
    shipped model when ``None``). The result depends only on the inputs and ``seed``.
    """
    _check_method(method)
    texts, labels = [str(t) for t in texts], [str(y) for y in labels]
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    if copies < 0:
        raise ValueError("copies must not be negative")
    if p is not None and not 0 <= p <= 1:
        raise ValueError("p must be in [0, 1]")
    neighbours = None
    if method == "synonym" and copies > 0:
        neighbours = embedding_neighbours(lm if lm is not None else _default_lm(), k)
    out_texts, out_labels = list(texts), list(labels)
    for c in range(1, copies + 1):
        for i, (t, y) in enumerate(zip(texts, labels)):
            rng = random.Random(f"{seed}-{method}-{c}-{i}")
            out_texts.append(augment_text(t, method, rng, p=p, neighbours=neighbours))
            out_labels.append(y)
    return out_texts, out_labels
