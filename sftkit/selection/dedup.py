"""Exact and near-duplicate detection with MinHash LSH (Lee et al. 2022).

Lee et al., "Deduplicating Training Data Makes Language Models Better" (ACL 2022),
showed that repeated examples are memorised and waste training steps, and found
near-duplicates with MinHash: represent a text by its set of *shingles* (Lee et al.
used word 5-grams; sftkit uses its own choice, overlapping character 5-grams of the
normalised text, so that a one-word edit of a short review leaves most shingles shared;
3-grams for Chinese and other scripts without spaces, where one character carries about
as much as a short word),
estimate the Jaccard similarity
``|A & B| / |A | B|`` of two sets from ``num_perm`` random hash minima, and let
locality-sensitive hashing (LSH) propose only the pairs likely to be above a threshold.
Candidate pairs are then checked with the exact Jaccard similarity.

Groups are the connected components of "similar" pairs; the first row of each group
(in file order) is kept and every other row is dropped with the id it duplicates.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Sequence

import numpy as np

from sftkit.selection.base import Scores


def normalise(text: str) -> str:
    """What a copy edit leaves unchanged: NFKC (full-width forms folded), case folded,
    punctuation of any script removed, runs of white space collapsed. Letters of every
    script are kept (``\\w`` is Unicode)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def shingle_size(texts: Sequence[str]) -> int:
    """5 characters for space-separated scripts, 3 when the texts are mostly Chinese (CJK)."""
    from sftkit.text import CJK_THRESHOLD, cjk_share

    return 3 if cjk_share(texts) > CJK_THRESHOLD else 5


def shingles(text: str, k: int = 5) -> set[str]:
    """The set of overlapping ``k``-character pieces of the normalised text (the text itself if shorter)."""
    t = normalise(text)
    if len(t) <= k:
        return {t}
    return {t[i:i + k] for i in range(len(t) - k + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if (a or b) else 1.0


def duplicate_groups(texts: Sequence[str], threshold: float = 0.8, num_perm: int = 128, k: int | None = None,
                     seed: int = 1) -> np.ndarray:
    """For each row, the index of the first row of its duplicate group (itself if it is first).

    Two rows are duplicates if their normalised texts are equal, or the exact Jaccard
    similarity of their shingle sets is at least ``threshold`` (pairs proposed by LSH).
    ``k`` (shingle length in characters) defaults to :func:`shingle_size` of ``texts``.
    """
    from datasketch import MinHash, MinHashLSH

    if k is None:
        k = shingle_size(texts)
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
        key = normalise(t)
        if key in first_of:
            union(first_of[key], i)
        else:
            first_of[key] = i
    sets = [shingles(t, k) for t in texts]
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    hashes = []
    for i in first_of.values():                 # one MinHash per distinct text
        m = MinHash(num_perm=num_perm, seed=seed)
        m.update_batch([s.encode("utf-8") for s in sets[i]])
        hashes.append((i, m))
        lsh.insert(str(i), m)
    for i, m in hashes:
        for key in lsh.query(m):
            j = int(key)
            if j != i and jaccard(sets[i], sets[j]) >= threshold:
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
        elif normalise(texts[i]) == normalise(texts[r]):
            reason.append(f"duplicate: same text as {ids[r]}")
        else:
            reason.append(f"near-duplicate: of {ids[r]}")
    return Scores("dedup", (~drop).astype(float), reason, drop, extra={"group": root})
