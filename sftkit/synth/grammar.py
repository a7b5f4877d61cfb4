"""What the English and the Chinese review grammars share: the seeded draws and the shapes.

A grammar draws every choice from one ``random.Random``, so a seed gives the same reviews
byte for byte. Its ``SHAPES`` are ``(name, weight)`` pairs, one ``_name(pol)`` method each;
the shapes in ``_NEEDS_SEEN_CUES`` need words the held-out mode does not have.
"""
from __future__ import annotations

import random

MODES = ("seen", "heldout", "mixed")


class Grammar:
    """Base of :class:`~sftkit.synth.reviews.ReviewGrammar` and
    :class:`~sftkit.synth.zh_reviews.ZhReviewGrammar`.

    ``mode`` is ``"seen"`` (the labelled set's sentiment words), ``"heldout"`` (only words
    no labelled text contains) or ``"mixed"``; anything else raises ``ValueError``.
    """

    SHAPES: tuple[tuple[str, int], ...] = ()
    _NEEDS_SEEN_CUES: tuple[str, ...] = ()

    def __init__(self, rng: random.Random, mode: str = "seen"):
        if mode not in MODES:
            raise ValueError(f"mode must be 'seen', 'heldout' or 'mixed', not {mode!r}")
        self.rng, self.mode = rng, mode
        self.seen_cues = mode != "heldout"
        shapes = [(s, w) for s, w in self.SHAPES if self.seen_cues or s not in self._NEEDS_SEEN_CUES]
        self._shape_names = [s for s, _ in shapes]
        self._shape_weights = [w for _, w in shapes]

    def pick(self, seq):
        """One element of ``seq``, uniformly."""
        return seq[self.rng.randrange(len(seq))]

    def chance(self, p: float) -> bool:
        """True with probability ``p``."""
        return self.rng.random() < p

    def draw_shape(self) -> str:
        """A shape name, drawn by the shapes' weights."""
        return self.rng.choices(self._shape_names, self._shape_weights)[0]
