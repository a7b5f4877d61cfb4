"""Data selection (数据选择): find the bad examples, choose the useful ones (seed section 2.3).

Every method here is a *scorer*: it gives each example a score (higher = more worth
keeping), a short reason when the score is low, and optionally a hard ``drop`` flag for
rows it is sure about (a duplicate, an empty text, a label issue). A *selector*
(:func:`select`) turns scores into a subset under a budget.

The named strategies that ``sftkit select``, the benchmark and the lessons all call are
in :mod:`~sftkit.selection.strategies` (one registry, one default per setting).

Modules, one method family each:

* :mod:`~sftkit.selection.dedup` - exact and near-duplicates (MinHash LSH; Lee et al. 2022);
* :mod:`~sftkit.selection.quality` - heuristic quality filters (length, junk, repetition, OOV);
* :mod:`~sftkit.selection.noisy` - noisy labels from out-of-fold probabilities: self-confidence,
  margin, confident learning (Northcutt et al. 2021);
* :mod:`~sftkit.selection.dynamics` - training dynamics: data maps (Swayamdipta et al. 2020), EL2N
  (Paul et al. 2021);
* :mod:`~sftkit.selection.domain` - domain relevance by cross-entropy difference (Moore and Lewis 2010);
* :mod:`~sftkit.selection.diversity` - diversity by greedy k-center (Sener and Savarese 2018);
* :mod:`~sftkit.selection.experiment` - strategies x budgets x seeds -> test accuracy; the pool
  and its ground truth; cached per-row scores.
"""
from sftkit.selection.base import Scores, Selection, combine, select

__all__ = ["Scores", "Selection", "combine", "select"]
