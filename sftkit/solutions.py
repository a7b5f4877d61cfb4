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
    # lesson 11 (中文文本分类)
    "11.1": Solution((4, 7), "chars: iphone 很 好 用 (the Latin run stays one token after lower-casing, the full-width "
                     "'！' is punctuation and dropped) = 4; chars+bigrams adds the 3 neighbouring pairs iphone很 很好 "
                     "好用 = 7.", (9, 17)),
    "11.2": Solution(11, "chars+bigrams gives 30 characters followed by 29 bigrams = 59 tokens; 48 are kept, the "
                     "last 11 bigrams are cut (all characters survive). The 95th-percentile length of the tokens, "
                     "not of the characters, is what sequence_length must cover.", 0),
    "11.3": Solution(497 / 500, "Split on white space, a Chinese review is one token, the whole review. It is in the "
                     "vocabulary only if the same review occurred in training: 3 of 500 are known, 497 / 500 = 0.994 "
                     "of the validation tokens are [UNK].", 3 / 500),
    "12.1": Solution((200 / 500, 200 / 300), "Precision: flipped among rejected = 200 / 500 = 0.4 (twice the base "
                     "rate 300 / 1,500 = 0.2). Recall: rejected among flipped = 200 / 300 = 0.667; a third of the "
                     "flipped labels stay in the kept file.", (200 / 300, 200 / 500)),
    "12.2": Solution(0.8, "The model agrees with every right label (four fifths of the rows) and disagrees with "
                     "every flipped one: 0.8. A cleaner validation set raises this ceiling, which is why validation "
                     "accuracies of runs validated on different rows are not comparable.", 1.0),
    "12.3": Solution(2, "Only 0.65 and 0.90 reach the saved threshold 0.62; 0.50 and 0.55 would be positive under "
                     "the 0.5 rule (argmax), which predict does not apply when the model saved a threshold.", 4),
    # lessons 09 and 10: cleaning and selection
    "09.1": Solution(50 / 80, "The union holds 60 + 70 - 50 = 80 distinct shingles: Jaccard = 50 / 80 = 0.625, below "
                     "the default threshold 0.8, so dedup keeps both texts.", 50 / 130),
    "09.2": Solution((1,), "Thresholds: t_0 = mean p(class 0) over rows labelled 0 = (0.9 + 0.2) / 2 = 0.55; t_1 = "
                     "(0.9 + 0.5) / 2 = 0.7. Row 0 is confidently 0 (0.9 >= 0.55), row 1 confidently 1 (0.8 >= 0.7) "
                     "though labelled 0, row 2 confidently 1; row 3 reaches neither threshold (0.5 < 0.55, 0.5 < 0.7), "
                     "so it is not counted. Flagged: row 1 only.", (1, 3)),
    "10.1": Solution((0, 3, 1, 2), "Start at 0. Farthest from {0}: 9 (index 3). Distances to the nearest chosen "
                     "point are then 5 -> 4, 6 -> 3: pick 5 (index 1), then 6 (index 2).", (0, 3, 2, 1)),
    "10.2": Solution((1,), "H_in - H_general = -0.3, +0.4, -0.1, +0.05. Only row 1 is above the cut 0.1 (row 3 is "
                     "above zero but below the cut).", (0,)),
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
