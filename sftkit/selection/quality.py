"""Heuristic quality filters: rules a person would apply by eye, written down.

Large pretraining corpora are cleaned with rules like these before any model sees them:
C4 (Raffel et al., "Exploring the Limits of Transfer Learning with a Unified Text-to-Text
Transformer", JMLR 2020) drops very short lines and boilerplate such as "lorem ipsum";
Gopher (Rae et al. 2021, "Scaling Language Models", appendix A) drops documents outside a
length range, with too few alphabetic words, or with too much repeated text. Each rule
below measures one thing, has one threshold, and names itself in the reason.

The rules read any script. Letters are Unicode letters (``str.isalpha``), so a Chinese
or Cyrillic review is not "empty". Words are runs of letters (and ``'``); in scripts
written without spaces (Chinese, Japanese, Thai ...) the runs are segmented into words
by jieba (the same segmenter as the ``jieba`` tokenizer), so "too short" and "too long"
count words in every script. The vowel rule (keyboard mashing) only reads Latin letters;
a text without Latin letters passes it.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from sftkit.selection.base import Scores

#: A word: a run of letters of any script, with an inner apostrophe ("don't").
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

# Site furniture that gets scraped along with reviews (C4 drops lines like these).
BOILERPLATE = ("click here", "read more", "report abuse", "sign in", "was this review helpful",
               "see all", "translate review", "removed by the moderator", "customers who bought",
               "verified purchase", "lorem ipsum",
               # Chinese shops fill empty reviews with text like this
               "此用户未填写评价内容", "此用户没有填写评价", "系统默认好评", "用户未及时评价", "默认好评")


def words_of(text: str) -> list[str]:
    """The words of ``text`` (lower case): letter runs, CJK runs segmented by jieba."""
    from sftkit.text import is_no_space_char

    out = []
    for w in WORD.findall(text.lower()):
        if any(is_no_space_char(c) for c in w):
            from sftkit.text import segment

            out += segment(w).split()
        else:
            out.append(w)
    return out


def _is_latin(c: str) -> bool:
    return c.isalpha() and unicodedata.name(c, "").startswith("LATIN")


@dataclass
class QualityRules:
    """Thresholds of the filters; a text breaking any one rule is dropped."""

    min_tokens: int = 3             # fewer words: empty, blank or a fragment
    max_tokens: int = 100           # more words: a ramble, not one review
    min_letter_share: float = 0.6   # letters among non-space characters
    min_vowel_share: float = 0.2    # vowels (a e i o u y) among letters: keyboard mashing has few
    min_distinct_share: float = 0.3 # distinct words / words, for texts of 8+ words
    max_oov_share: float = 0.5      # words outside the reference vocabulary


#: Below this many words a low share of distinct words is normal ("very very good").
MIN_TOKENS_FOR_REPETITION = 8
#: A vocabulary learned from fewer texts than this calls ordinary words unknown, so
#: ``quality_scores`` learns one (and applies the unknown-words rule) only from this many on.
MIN_TEXTS_FOR_VOCABULARY = 500


def features(text: str, vocabulary: set[str] | None = None) -> dict[str, float]:
    """The numbers the rules look at, for one text."""
    lower = text.lower()
    words = words_of(lower)
    chars = [c for c in lower if not c.isspace()]
    letters = [c for c in chars if c.isalpha()]
    latin = [c for c in letters if _is_latin(c)]
    n = len(words)
    return {
        "tokens": n,
        "letter_share": len(letters) / len(chars) if chars else 0.0,
        # among Latin letters; 1.0 (rule not applicable) for a text without any
        "vowel_share": sum(c in "aeiouy" for c in latin) / len(latin) if latin else (0.0 if not letters else 1.0),
        "distinct_share": len(set(words)) / n if n else 0.0,
        "oov_share": (sum(w not in vocabulary for w in words) / n if n else 1.0) if vocabulary else 0.0,
        "boilerplate": float(any(b in lower for b in BOILERPLATE)),
    }


def reference_vocabulary(texts: Iterable[str], min_count: int = 2) -> set[str]:
    """Words seen at least ``min_count`` times: a vocabulary learned from the data itself."""
    counts = Counter(w for t in texts for w in words_of(t))
    return {w for w, c in counts.items() if c >= min_count}


def check(text: str, rules: QualityRules, vocabulary: set[str] | None = None) -> tuple[float, str]:
    """``(score, reason)`` for one text; score 1.0 and reason "" when every rule passes.

    The score falls with how far the text is from passing the rule it breaks worst, so
    rows can also be ranked (0 = worst).
    """
    f = features(text, vocabulary)
    if f["tokens"] == 0:
        if not text.strip():
            return 0.0, "quality: empty text"
        return 0.0, "quality: no words (only symbols, digits or punctuation)"
    if f["boilerplate"]:
        return 0.05, "quality: boilerplate"
    problems = []
    if f["tokens"] < rules.min_tokens:
        problems.append((f["tokens"] / rules.min_tokens, f"too short ({f['tokens']} words)"))
    if f["tokens"] > rules.max_tokens:
        problems.append((rules.max_tokens / f["tokens"], f"too long ({f['tokens']} words)"))
    if f["letter_share"] < rules.min_letter_share:
        problems.append((f["letter_share"] / rules.min_letter_share, f"few letters ({f['letter_share']:.2f})"))
    if f["vowel_share"] < rules.min_vowel_share:
        problems.append((f["vowel_share"] / rules.min_vowel_share, f"few vowels ({f['vowel_share']:.2f})"))
    if f["tokens"] >= MIN_TOKENS_FOR_REPETITION and f["distinct_share"] < rules.min_distinct_share:
        problems.append((f["distinct_share"] / rules.min_distinct_share,
                         f"repetitive ({f['distinct_share']:.2f} distinct)"))
    if f["oov_share"] > rules.max_oov_share:
        problems.append(((1 - f["oov_share"]) / (1 - rules.max_oov_share), f"unknown words ({f['oov_share']:.2f})"))
    if not problems:
        return 1.0, ""
    worst = min(problems)
    return 0.5 * worst[0], "quality: " + worst[1]


def quality_scores(texts: Sequence[str], rules: QualityRules | None = None,
                   vocabulary: set[str] | None = None) -> Scores:
    """Apply the rules to every text.

    ``vocabulary`` defaults to the words seen twice or more in ``texts``, when there are at
    least :data:`MIN_TEXTS_FOR_VOCABULARY` of them; with fewer, and no vocabulary given,
    the unknown-words rule is not applied (on a small file most words occur once).
    """
    rules = rules or QualityRules()
    if vocabulary is not None:
        vocab = vocabulary
    else:
        vocab = reference_vocabulary(texts) if len(texts) >= MIN_TEXTS_FOR_VOCABULARY else None
    results = [check(t, rules, vocab) for t in texts]
    score = np.array([s for s, _ in results])
    reason = [r for _, r in results]
    return Scores("quality", score, reason, score < 1.0)
