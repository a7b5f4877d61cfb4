"""Heuristic quality filters: rules a person would apply by eye, written down.

Large pretraining corpora are cleaned with rules like these before any model sees them:
C4 (Raffel et al., "Exploring the Limits of Transfer Learning with a Unified Text-to-Text
Transformer", JMLR 2020) drops very short lines and boilerplate such as "lorem ipsum";
Gopher (Rae et al. 2021, "Scaling Language Models", appendix A) drops documents outside a
length range, with too few alphabetic words, or with too much repeated text. Each rule
below measures one thing, has one threshold, and names itself in the reason.

The rules read any script. Letters are Unicode letters (``str.isalpha``) together with
combining marks (the vowel signs of Thai, Hindi, Tamil, Myanmar, Khmer ... are marks, not
letters), so a Chinese or Cyrillic review is not "empty" and a Hindi word is not cut at its
vowel signs. Words are runs of letters (and an inner ``'``). "Too short" and "too long"
count words in every script: Chinese runs are segmented by jieba (the same segmenter as the
``jieba`` tokenizer); Japanese (jieba cuts kana into single characters) and Thai, Lao,
Myanmar and Khmer (no segmenter here) count letters / :data:`LETTERS_PER_WORD`. The
repetition rule counts words, and in scripts without spaces character pairs. The vowel rule
(keyboard mashing) reads Latin letters only, accents ignored (é ố ü are vowels), and only
when at least half of a text's letters are Latin. Emoji and a run of one repeated
punctuation mark do not count against the letter share.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from sftkit.selection.base import Scores

#: A word: a run of letters of any script, with an inner apostrophe ("don't"). Kept for
#: callers that want plain letter runs; :func:`words_of` also keeps combining marks in words.
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

# Site furniture that gets scraped along with reviews (C4 drops lines like these).
BOILERPLATE = ("click here", "read more", "report abuse", "sign in", "was this review helpful",
               "see all", "translate review", "removed by the moderator", "customers who bought",
               "verified purchase", "lorem ipsum",
               # Chinese shops fill empty reviews with text like this
               "此用户未填写评价内容", "此用户没有填写评价", "系统默认好评", "用户未及时评价", "默认好评")


# Scripts written without spaces that jieba (a Chinese segmenter) cannot split into words:
# kana (Japanese; jieba cuts it into single characters) and the abugidas of South-East Asia
# (Thai, Lao, Myanmar, Khmer; jieba cuts them into code points, vowel signs apart).
_KANA = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F))
_SEA = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x19E0, 0x19FF), (0xAA60, 0xAA7F))

#: Letters (``str.isalpha``, combining marks not counted) per word, for runs of Japanese
#: (any kana in the run) and of Thai, Lao, Myanmar or Khmer, whose words are counted as
#: letters / this. An estimate, checked on a few reviews: a 130-character Japanese review
#: that says what 53 English words say counts 60; Thai segmented by hand has 2.5 to 2.9
#: letters a word (สินค้า ดี มาก: 4 + 1 + 3; a 43-word review: 125 letters, counted 45);
#: Khmer ល្អ ណាស់ ខ្ញុំ ចូលចិត្ត 2.75 (11 letters, 4 words).
LETTERS_PER_WORD = {"ja": 2.0, "sea": 2.75}


def _in(ranges, c: str) -> bool:
    cp = ord(c)
    return any(lo <= cp <= hi for lo, hi in ranges)


@functools.lru_cache(maxsize=65536)
def _word_char(c: str) -> bool:
    """A letter or a combining mark (Thai, Hindi, Myanmar vowel signs are marks, not letters);
    not an emoji's variation selector (U+FE0F is a mark too) nor an enclosing mark (keycaps)."""
    return c.isalpha() or (unicodedata.category(c) in ("Mn", "Mc") and not _is_selector(c))


def _is_selector(c: str) -> bool:
    return 0xFE00 <= ord(c) <= 0xFE0F or 0xE0100 <= ord(c) <= 0xE01EF


@functools.lru_cache(maxsize=1)
def mark_ranges() -> str:
    """The combining marks (Mn, Mc) but variation selectors, as the inside of a regular-expression
    class (``"[" + mark_ranges() + "]"``); Python's ``\\w`` leaves them out."""
    ranges, start = [], None
    for cp in range(0x110001):
        inside = cp < 0x110000 and unicodedata.category(chr(cp)) in ("Mn", "Mc") and not _is_selector(chr(cp))
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(cp - 1))}")
            start = None
    return "".join(ranges)


@functools.lru_cache(maxsize=1)
def _run_pattern() -> re.Pattern:
    unit = r"(?:[^\W\d_]|[" + mark_ranges() + "])"
    return re.compile(unit + "+(?:['\u2019]" + unit + "+)*")


def letter_runs(text: str) -> list[str]:
    """Runs of letters and combining marks, with inner apostrophes ("don't", "l’homme");
    digits, punctuation, symbols and spaces separate runs. A mark at the start of a run is
    kept with it (a stray vowel sign belongs to no other word)."""
    return [r.replace("\u2019", "'") for r in _run_pattern().findall(text)]


@functools.lru_cache(maxsize=65536)
def char_script(c: str) -> str | None:
    """"ja" (kana), "sea" (Thai, Lao, Myanmar, Khmer), "han" (another script without spaces) or None."""
    from sftkit.text import is_no_space_char

    if _in(_KANA, c):
        return "ja"
    if _in(_SEA, c):
        return "sea"
    return "han" if is_no_space_char(c) else None


def _run_kind(run: str) -> str:
    """"ja" (any kana), "sea" (Thai, Lao, Myanmar, Khmer), "han" (other no-space script) or "spaced"."""
    if run.isascii():
        return "spaced"
    kinds = {char_script(c) for c in run}
    for kind in ("ja", "sea", "han"):
        if kind in kinds:
            return kind
    return "spaced"


def _split_by_script(run: str) -> list[str]:
    """A mixed run ("iPhoneは") cut where it changes between a no-space script and any other."""
    parts, cur, cur_ns = [], "", None
    for c in run:
        ns = char_script(c) is not None or (cur_ns is True and unicodedata.category(c).startswith("M"))
        if cur and ns != cur_ns:
            parts.append(cur)
            cur = ""
        cur, cur_ns = cur + c, ns
    return parts + [cur] if cur else parts


def _segments(text: str) -> list[tuple[str, str]]:
    """``(kind, piece)`` for the letter runs of ``text``; see :func:`_run_kind`."""
    out = []
    for run in letter_runs(text):
        kind = _run_kind(run)
        if kind in ("ja", "sea"):
            out += [(_run_kind(p), p) for p in _split_by_script(run)]
        else:
            out.append((kind, run))
    return out


def _analyse(lower: str) -> tuple[list[str], int, list[str]]:
    """``(words, word count, repetition units)`` of a lower-cased text, in one pass."""
    from sftkit.text import segment

    words, n, units = [], 0.0, []
    for kind, piece in _segments(lower):
        if kind == "han":
            cut = segment(piece).split()
            words += cut
            n += len(cut)
        else:
            words.append(piece)
            n += max(1.0, sum(c.isalpha() for c in piece) / LETTERS_PER_WORD[kind]) if kind in LETTERS_PER_WORD else 1
        if kind == "spaced" or len(piece) == 1:
            units.append(piece)
        else:
            units += [piece[i:i + 2] for i in range(len(piece) - 1)]
    return words, int(round(n)), units


def words_of(text: str) -> list[str]:
    """The words of ``text`` (lower case).

    Space-separated scripts: letter runs (combining marks included, so Hindi "दिन" is one
    word). Chinese: runs segmented by jieba. Japanese, Thai, Lao, Myanmar, Khmer, which jieba
    cannot segment: each run is one "word" (so the vocabulary and the distinct-word share
    see whole runs); their word *count* is estimated by :func:`word_count`.
    """
    return _analyse(text.lower())[0]


def word_count(text: str) -> int:
    """Words in ``text``, in every script.

    Space-separated scripts and Chinese count :func:`words_of`; a run of Japanese or of
    Thai, Lao, Myanmar or Khmer counts its letters / :data:`LETTERS_PER_WORD` (at least 1),
    as those scripts mark no word boundaries that a rule could count.
    """
    return _analyse(text.lower())[1]


def repetition_units(text: str) -> list[str]:
    """What the repetition rule counts: words of space-separated scripts, and overlapping
    character pairs in scripts written without spaces (a segmenter merges "啊啊啊啊" into a
    few words; character pairs show the run for what it is). A one-character run is itself."""
    return _analyse(text.lower())[2]


#: Latin vowels beyond a e i o u y (with any accent: é ő ü ố decompose to these) that do not
#: decompose: Danish/Norwegian æ ø, French œ, Turkish dotless ı, Azerbaijani ə.
_OTHER_VOWELS = "æøœıə"


@functools.lru_cache(maxsize=65536)
def is_latin(c: str) -> bool:
    """A letter of the Latin script (``é`` and ``đ`` too)."""
    return c.isalpha() and unicodedata.name(c, "").startswith("LATIN")


@functools.lru_cache(maxsize=65536)
def is_vowel(c: str) -> bool:
    """A Latin vowel letter, accents ignored (canonical decomposition): ``é`` ``ố`` ``ü`` ``ı`` yes, ``đ`` no."""
    base = unicodedata.normalize("NFD", c.lower())[:1]
    return base in "aeiouy" or base in _OTHER_VOWELS


@functools.lru_cache(maxsize=65536)
def _is_decoration(c: str) -> bool:
    """Emoji and other pictographs (So), their variation selectors and joiners, skin tones (Sk)."""
    cat = unicodedata.category(c)
    return cat in ("So", "Sk", "Me", "Cn") or _is_selector(c) or c == "\u200d"


@dataclass
class QualityRules:
    """Thresholds of the filters; a text breaking any one rule is dropped."""

    min_tokens: int = 3             # fewer words: empty, blank or a fragment
    max_tokens: int = 100           # more words: a ramble, not one review
    min_letter_share: float = 0.6   # letters among non-space characters
    min_vowel_share: float = 0.2    # vowels (a e i o u y, accented too) among Latin letters: keyboard mashing has few
    min_distinct_share: float = 0.3 # distinct / all repetition units, for texts of 8+ units
    max_oov_share: float = 0.5      # words outside the reference vocabulary


#: Below this many words a low share of distinct words is normal ("very very good").
MIN_TOKENS_FOR_REPETITION = 8
#: A vocabulary learned from fewer texts than this calls ordinary words unknown, so
#: ``quality_scores`` learns one (and applies the unknown-words rule) only from this many on.
MIN_TEXTS_FOR_VOCABULARY = 500


def features(text: str, vocabulary: set[str] | None = None) -> dict[str, float]:
    """The numbers the rules look at, for one text.

    ``tokens``: :func:`word_count`. ``letter_share``: letters and combining marks among the
    non-space characters, emoji and other pictographs left out and a run of one repeated
    punctuation mark ("!!!!") counted once. ``vowel_share``: vowels among Latin letters,
    1.0 (not applicable) unless at least half of the letters are Latin (a Chinese review
    that names a "T恤" is not keyboard mashing). ``distinct_share``: distinct
    :func:`repetition_units` / units, with ``units`` their number.
    """
    lower = text.lower()
    words, n, units = _analyse(lower)
    chars = [c for c in re.sub(r"([^\w\s])\1+", r"\1", lower) if not c.isspace() and not _is_decoration(c)]
    letters = [c for c in chars if _word_char(c)]
    latin = [c for c in letters if is_latin(c)]
    if not letters:
        vowel_share = 0.0
    elif 2 * len(latin) < sum(c.isalpha() for c in letters):
        vowel_share = 1.0
    else:
        vowel_share = sum(is_vowel(c) for c in latin) / len(latin)
    return {
        "tokens": n,
        "letter_share": len(letters) / len(chars) if chars else 0.0,
        "vowel_share": vowel_share,
        "units": len(units),
        "distinct_share": len(set(units)) / len(units) if units else 0.0,
        "oov_share": _unknown_share(words, vocabulary),
        "boilerplate": float(any(b in lower for b in BOILERPLATE)),
    }


def script_of(word: str) -> str:
    """The script of a word's first letter, as Unicode names it: "LATIN", "CJK", "CYRILLIC", "THAI" ..."""
    for c in word:
        if c.isalpha():
            return unicodedata.name(c, "?").split()[0]
    return "?"


class Vocabulary(frozenset):
    """A set of known words that judges only the scripts it knows.

    Words of a script that holds under :data:`MIN_SCRIPT_SHARE` of the set's words (a Chinese
    or Thai review in an English file) are not judged at all: the set knows nothing about
    them, so they are neither known nor unknown.
    """

    def __new__(cls, words: Iterable[str] = ()):
        self = super().__new__(cls, words)
        counts = Counter(script_of(w) for w in self)
        self.scripts = {k for k, v in counts.items() if v >= MIN_SCRIPT_SHARE * len(self)}
        return self

    def judged(self, word: str) -> bool:
        return script_of(word) in self.scripts


#: The unknown-words rule judges words of the scripts that hold at least this share of the vocabulary.
MIN_SCRIPT_SHARE = 0.1


def _unknown_share(words: list[str], vocabulary) -> float:
    """Share of the judged words that :class:`Vocabulary` does not know (0.0 without a vocabulary
    or without judged words; 1.0 for a text without words)."""
    if not vocabulary:
        return 0.0
    if not words:
        return 1.0
    if not isinstance(vocabulary, Vocabulary):
        vocabulary = Vocabulary(vocabulary)
    judged = [w for w in words if vocabulary.judged(w)]
    return sum(w not in vocabulary for w in judged) / len(judged) if judged else 0.0


def reference_vocabulary(texts: Iterable[str], min_count: int = 2) -> Vocabulary:
    """Words seen at least ``min_count`` times: a vocabulary learned from the data itself."""
    counts = Counter(w for t in texts for w in words_of(t))
    return Vocabulary(w for w, c in counts.items() if c >= min_count)


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
    if f["units"] >= MIN_TOKENS_FOR_REPETITION and f["distinct_share"] < rules.min_distinct_share:
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
    the unknown-words rule is not applied (on a small file most words occur once). Only
    words of the vocabulary's own scripts are judged (:class:`Vocabulary`). Without a
    given vocabulary, ``extra["notes"]`` says whether the rule ran and how many rows it dropped
    (``sftkit select`` prints it and writes it into summary.json).

    Returns
    -------
    Scores named "quality": score (N,) 1.0 for a row that passes every rule, lower the
    further it is from passing; drop (N,) bool; reason (N,) "" or "quality: ...".
    """
    rules = rules or QualityRules()
    notes = []
    if vocabulary is not None:
        vocab = vocabulary if isinstance(vocabulary, Vocabulary) else Vocabulary(vocabulary)
    elif len(texts) >= MIN_TEXTS_FOR_VOCABULARY:
        vocab = reference_vocabulary(texts)
    else:
        vocab = None
    results = [check(t, rules, vocab) for t in texts]
    score = np.array([s for s, _ in results])
    reason = [r for _, r in results]
    if vocabulary is None and vocab is None:
        notes.append(f"quality: the unknown-words rule is off: it runs on files of {MIN_TEXTS_FOR_VOCABULARY} "
                     f"rows or more (this one has {len(texts)})")
    elif vocabulary is None:
        unknown = sum(r.startswith("quality: unknown words") for r in reason)
        notes.append(
            f"quality: the unknown-words rule is on: it runs on files of {MIN_TEXTS_FOR_VOCABULARY} rows or more "
            f"(this one has {len(texts)}) and calls a word unknown when the file holds it fewer than twice; a text "
            f"with more than {rules.max_oov_share:.0%} unknown words is dropped ({unknown} rows here), so rare words "
            f"and a language the file holds few rows of count against a row. Only scripts with "
            f"{MIN_SCRIPT_SHARE:.0%} or more of the file's words are judged")
    return Scores("quality", score, reason, score < 1.0, extra={"notes": notes})
