"""Worked solutions of the lessons' checked exercises, for instructors (kept apart from the lessons).

Each entry: the right ``answer`` in one accepted form, the ``working`` that gets there,
and a typical ``wrong`` answer (what the hint is written for). ``tests/test_exercises.py``
runs every check with both; ``sftkit lessons copy DIR --solutions`` writes them as
``SOLUTIONS.md`` beside the lessons. A check never prints these.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Solution:
    answer: Any
    working: str
    wrong: Any


SOLUTIONS: dict[str, Solution] = {
    "00.4": Solution(400 / 404, "The model is right on the 400 spam and wrong on the 4 ham: 400 / 404 = 0.990. "
                     "It never finds a ham, which is why accuracy alone is useless on imbalanced data.", 4 / 404),
    "01.1": Solution((-math.log(0.5), -math.log(0.99)),
                     "L = -ln p of the true class: -ln 0.5 = 0.693 (a coin flip), -ln 0.99 = 0.010.", (0.5, 0.99)),
    "01.4": Solution(-math.log(1e-3), "Clipped probabilities are at least 1e-3, so the loss is at most "
                     "-ln 1e-3 = 6.908; a confidently wrong example then gives a tiny gradient, so it is barely "
                     "corrected.", 3.0),
    "01.5": Solution(math.log(5), "An untrained softmax gives each of 5 classes about 1/5: -ln(1/5) = ln 5 = 1.609.",
                     0.2),
    "02.5": Solution((8, 7), "list() gives 8 tokens (7 characters and the full-width '！'); the other text differs "
                     "only in 好/难, so 7 tokens are shared.", (7, 7)),
    "03.1": Solution((503 * 64, 4 * (128 * (64 + 128) + 128), 128 * 2 + 2),
                     "Embedding V*d = 32,192 (unchanged); LSTM 4(u(d+u)+u) = 4(128*192+128) = 98,816; softmax layer "
                     "uK + K = 258.", (32192, 66048, 258)),
    "03.2": Solution(2 * 4 * (64 * 128 + 64), "Two LSTMs (forward and backward), each 4(64*128+64) = 33,024: 66,048.",
                     33024),
    "04.2": Solution((500, 16), "ceil(4000/8) = 500 steps; ceil(4000/256) = 16 (15 full batches and one of 160).",
                     (500, 15)),
    # lesson 06: fine-tuning
    "06.1": Solution((0.01 / 2.6, 0.01 / 2.6 ** 2), "The LSTM is one level below the head: 0.01 / 2.6 = 0.00385. "
                     "The embedding is two levels below: 0.01 / 2.6**2 = 0.01 / 6.76 = 0.00148. The multipliers "
                     "printed in section 4 (0.3846 and 0.1479) are the same ratios.", (0.01 * 2.6, 0.01 * 2.6 ** 2)),
    "06.2": Solution((40, 14, 10), "ceil(4000 / 50) = 80, capped at 40; ceil(4000 / 300) = ceil(13.3) = 14; "
                     "ceil(4000 / 2000) = 2, raised to the floor of 10. Early stopping may end a run sooner.",
                     (80, 14, 2)),
    "06.3": Solution((4 * (128 * (64 + 128) + 128) + 128 * 2 + 2, 2392 * 64),
                     "At 100 labels the recipe takes the embedding and the LSTM from the model and freezes the "
                     "embedding: frozen 2,392 * 64 = 153,088; trained: the LSTM 4(128 * 192 + 128) = 98,816 and "
                     "the softmax layer 128 * 2 + 2 = 258, together 99,074 (about two fifths of all 252,162).",
                     (252162, 0)),
    "06.4": Solution(5, "The embedding is d = 2 levels below the head; it opens when the epoch index (from 0) "
                     "reaches d * freeze_epochs = 4, which is the fifth epoch counting from 1.", 4),
    "12.1": Solution((200 / 500, 200 / 300), "Precision: flipped among rejected = 200 / 500 = 0.4 (twice the base "
                     "rate 300 / 1,500 = 0.2). Recall: rejected among flipped = 200 / 300 = 0.667; a third of the "
                     "flipped labels stay in the kept file.", (200 / 300, 200 / 500)),
    "12.2": Solution(0.8, "The model agrees with every right label (four fifths of the rows) and disagrees with "
                     "every flipped one: 0.8. A cleaner validation set raises this ceiling, which is why validation "
                     "accuracies of runs validated on different rows are not comparable.", 1.0),
    "12.3": Solution(2, "Only 0.65 and 0.90 reach the saved threshold 0.62; 0.50 and 0.55 would be positive under "
                     "the 0.5 rule (argmax), which predict does not apply when the model saved a threshold.", 4),
}


def as_markdown() -> str:
    """All worked solutions as one Markdown document (``SOLUTIONS.md``)."""
    from sftkit.exercises import EXERCISES

    lines = ["# Worked solutions of the checked exercises", "",
             "For instructors. `check(id, answer)` in the lessons accepts these answers.", ""]
    for key, ex in EXERCISES.items():
        sol = SOLUTIONS[key]
        lines += [f"## {key}: {ex.asks}", "", f"Answer ({ex.form}): `{sol.answer!r}`", "", sol.working, ""]
    return "\n".join(lines)
