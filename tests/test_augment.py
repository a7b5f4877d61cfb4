"""Data augmentation (sftkit.augment): shapes, labels, determinism, and what each method changes."""
import random

import pytest

from sftkit.augment import METHODS, augment_dataset, synonym_replace, token_dropout, word_swap

TEXTS = ["the kettle is not good at all", "a lovely little lamp that works well", "awful", "I hate this phone"]
LABELS = ["negative", "positive", "negative", "negative"]


class FakeLM:
    """Just enough of a PretrainedLM for the synonym method: a fixed neighbour table."""

    vocabulary = ["", "[UNK]", "lovely", "great", "lamp", "light", "kettle", "phone", "hate", "loathe", "not"]
    table = {"lovely": ["great"], "lamp": ["light"], "hate": ["loathe"], "kettle": ["phone"], "phone": ["kettle"],
             "great": ["lovely"], "light": ["lamp"], "loathe": ["hate"], "not": ["lovely"]}

    def nearest_words(self, word, k=5):
        return [(w, 0.9) for w in self.table[word][:k]]


@pytest.mark.parametrize("method", ["token_dropout", "word_swap"])
def test_originals_first_then_copies_with_their_labels(method):
    texts, labels = augment_dataset(TEXTS, LABELS, method=method, copies=3, seed=1)
    n = len(TEXTS)
    assert len(texts) == len(labels) == 4 * n
    assert texts[:n] == TEXTS and labels[:n] == LABELS
    assert labels[n:] == LABELS * 3
    changed = sum(a != b for a, b in zip(texts[n:], TEXTS * 3))
    assert changed >= 4  # the copies are not just the originals again


@pytest.mark.parametrize("method", ["token_dropout", "word_swap"])
def test_same_seed_same_texts_other_seed_other_texts(method):
    a = augment_dataset(TEXTS * 5, LABELS * 5, method=method, copies=2, seed=3)
    b = augment_dataset(TEXTS * 5, LABELS * 5, method=method, copies=2, seed=3)
    c = augment_dataset(TEXTS * 5, LABELS * 5, method=method, copies=2, seed=4)
    assert a == b
    assert a[0] != c[0]


def test_token_dropout_only_deletes_and_keeps_a_word():
    rng = random.Random(0)
    for text in TEXTS:
        for _ in range(50):
            out = token_dropout(text, rng, p=0.5).split()
            words = text.split()
            assert 1 <= len(out) <= len(words)
            it = iter(words)
            assert all(w in it for w in out)  # a subsequence: order kept, nothing new
    assert token_dropout("one two three", random.Random(0), p=1.0) in ("one", "two", "three")
    assert token_dropout("one two three", random.Random(0), p=0.0) == "one two three"


def test_word_swap_keeps_the_words_and_can_break_negation():
    rng = random.Random(0)
    outs = {word_swap("not good", rng) for _ in range(5)}
    assert outs == {"good not"}  # the only possible swap moves the negation: a label-changing edit
    text = "the kettle is not good at all"
    out = word_swap(text, random.Random(5), p=0.3)
    assert sorted(out.split()) == sorted(text.split()) and out != text


def test_synonym_uses_the_language_model_and_spares_function_words():
    texts, _ = augment_dataset(["A lovely lamp, not a kettle."], ["positive"], method="synonym", copies=1,
                               seed=0, lm=FakeLM(), p=1.0)
    assert texts[1] == "A great light, not a phone."  # case and punctuation kept; 'not' and 'a' untouched
    out = synonym_replace("I hate it", random.Random(0), lambda w: [], p=1.0)
    assert out == "I hate it"


def test_bad_arguments():
    with pytest.raises(ValueError, match="token_dropout, word_swap, synonym"):
        augment_dataset(TEXTS, LABELS, method="back_translation")
    with pytest.raises(ValueError, match="4 texts but 3 labels"):
        augment_dataset(TEXTS, LABELS[:3], method="word_swap")
    with pytest.raises(ValueError, match="copies"):
        augment_dataset(TEXTS, LABELS, method="word_swap", copies=-1)
    assert set(METHODS) == {"token_dropout", "word_swap", "synonym"}
    assert augment_dataset(TEXTS, LABELS, method="word_swap", copies=0) == (TEXTS, LABELS)
