"""Exact and near-duplicate detection with MinHash LSH (Lee et al. 2022).

Lee et al., "Deduplicating Training Data Makes Language Models Better" (ACL 2022),
showed that repeated examples are memorised and waste training steps, and found
near-duplicates with MinHash: represent a text by its set of *shingles* (Lee et al.
used word 5-grams; sftkit uses its own choice, overlapping character n-grams of the
normalised text, so that a one-word edit of a short review leaves most shingles shared:
about a word's worth of characters, 5 for space-separated scripts, 2 for Chinese and
Japanese (a word is 1.5 to 2 characters), 3 for Thai, Lao, Khmer and Myanmar (each row by
its own script, :data:`SHINGLE_SIZE`); then a one-character edit of a Chinese review moves
the Jaccard about as much as a one-word edit of an English one),
estimate the Jaccard similarity
``|A & B| / |A | B|`` of two sets from ``num_perm`` random hash minima, and let
locality-sensitive hashing (LSH) propose only the pairs likely to be above a threshold.
Candidate pairs are then checked with the exact Jaccard similarity.

Groups are the connected components of "similar" pairs; the first row of each group
(in file order) is kept and every other row is dropped with the id it duplicates.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Sequence

import numpy as np

from sftkit.selection.base import Scores


@functools.lru_cache(maxsize=1)
def _punctuation() -> re.Pattern:
    from sftkit.selection.quality import mark_ranges

    return re.compile(r"[^\w\s" + mark_ranges() + "]")


def normalise(text: str) -> str:
    """What a copy edit leaves unchanged: NFKC (full-width forms folded), case folded,
    punctuation and symbols of any script removed, runs of white space collapsed. Letters,
    digits and combining marks of every script are kept (Thai "ไม่" and "ไม้", Hindi "दिन" and
    "दीन" differ only in a mark)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_punctuation().sub(" ", text).split())


def dedup_key(text: str) -> str:
    """What two rows must share to be exact duplicates: :func:`normalise`, or, for a text that
    it empties (only emoji, symbols or punctuation: "👍👍👍", "★★★★★", "!!!"), the text itself
    (NFKC, case folded, white space collapsed), so "👍👍👍" and "😡😡" stay two texts."""
    return normalise(text) or " ".join(unicodedata.normalize("NFKC", text).casefold().split())


#: Shingle length in characters by script: about one word's worth. English words average
#: about 5 characters with the space; a Chinese or Japanese word 1.5 to 2 characters; a Thai,
#: Lao, Khmer or Myanmar word about 4 code points with its vowel signs.
SHINGLE_SIZE = {"spaced": 5, "cjk": 2, "sea": 3}


def shingle_size_of(text: str) -> int:
    """:data:`SHINGLE_SIZE` of the script most of ``text``'s letters belong to."""
    from sftkit.selection.quality import char_script

    counts = {"spaced": 0, "cjk": 0, "sea": 0}
    for c in text:
        if c.isalpha():
            kind = char_script(c)
            counts["sea" if kind == "sea" else "cjk" if kind else "spaced"] += 1
    return SHINGLE_SIZE[max(counts, key=lambda k: (counts[k], k == "spaced"))]


def shingle_size(texts: Sequence[str]) -> int:
    """The most common :func:`shingle_size_of` among the first 2,000 texts (5 for none): one
    figure for a file; :func:`duplicate_groups` sizes each row's shingles by its own script."""
    from collections import Counter

    sizes = Counter(shingle_size_of(t) for t in list(texts)[:2000])
    return sizes.most_common(1)[0][0] if sizes else SHINGLE_SIZE["spaced"]


def shingles(text: str, k: int | None = None) -> set[str]:
    """The set of overlapping ``k``-character pieces of :func:`dedup_key` of the text (the key
    itself if shorter); ``k`` defaults to :func:`shingle_size_of` the text."""
    t = dedup_key(text)
    k = k or shingle_size_of(text)
    if len(t) <= k:
        return {t}
    return {t[i:i + k] for i in range(len(t) - k + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if (a or b) else 1.0


def duplicate_groups(texts: Sequence[str], threshold: float = 0.8, num_perm: int = 128, k: int | None = None,
                     seed: int = 1) -> np.ndarray:
    """For each row, the index of the first row of its duplicate group (itself if it is first).

    Two rows are duplicates if their :func:`dedup_key` is equal, or the exact Jaccard
    similarity of their shingle sets is at least ``threshold`` (pairs proposed by LSH; at
    ``threshold`` 1, rows with the same shingle set, grouped without LSH).
    ``k`` (shingle length in characters) defaults to :func:`shingle_size_of` each row.
    A pair already in one group is not compared again, so templated files (thousands of
    rows that LSH proposes to each other) take about linear time when the rows are alike.
    """
    from datasketch import MinHash, MinHashLSH

    n = len(texts)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i, j):
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    first_of: dict[str, int] = {}
    for i, t in enumerate(texts):              # exact duplicates after normalisation
        key = dedup_key(t)
        if key in first_of:
            union(first_of[key], i)
        else:
            first_of[key] = i
    sets = [shingles(t, k) for t in texts]
    if threshold >= 1:   # the same shingle set: grouped directly (LSH cannot be tuned to exactly 1)
        same: dict[frozenset, int] = {}
        for i in first_of.values():
            union(same.setdefault(frozenset(sets[i]), i), i)
        return np.array([find(i) for i in range(n)])
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    hashes = []
    for i in first_of.values():                 # one MinHash per distinct text
        m = MinHash(num_perm=num_perm, seed=seed)
        m.update_batch([s.encode("utf-8") for s in sets[i]])
        hashes.append((i, m))
        lsh.insert(i, m)
    for i, m in hashes:
        for j in lsh.query(m):
            if j != i and find(i) != find(j) and jaccard(sets[i], sets[j]) >= threshold:
                union(i, j)
    return np.array([find(i) for i in range(n)])


def dedup_scores(texts: Sequence[str], ids: Sequence[str] | None = None, threshold: float = 0.8,
                 num_perm: int = 128, k: int | None = None) -> Scores:
    """Drop every row but the first of each duplicate group; the score is 1 for kept rows, 0 for dropped."""
    ids = list(ids) if ids is not None else [str(i) for i in range(len(texts))]
    root = duplicate_groups(texts, threshold=threshold, num_perm=num_perm, k=k)
    drop = root != np.arange(len(texts))
    reason = []
    for i, r in enumerate(root):
        if not drop[i]:
            reason.append("")
        elif dedup_key(texts[i]) == dedup_key(texts[r]):
            reason.append(f"duplicate: same text as {ids[r]}")
        else:
            reason.append(f"near-duplicate: of {ids[r]}")
    return Scores("dedup", (~drop).astype(float), reason, drop, extra={"group": root})
