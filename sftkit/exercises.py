"""Exercises that check themselves, offline: ``check("01.4", answer)``.

Each lesson's "Try this" list ends with a code cell per checkable exercise::

    answer = None   # your answer here
    check("01.4", answer)

:func:`check` says whether the answer is right. A right answer is accepted in every
equivalent form the exercise states (a number within its tolerance, a fraction or a
percentage, a list or a tuple); a wrong one gets a hint that points at the idea, never
the solution. The checks compute the right value from first principles (``-ln 0.8``, a
parameter formula), so nothing here is a stored answer to copy. Worked solutions, for
instructors, are in :mod:`sftkit.solutions`, and are never printed by a check.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

NOT_ANSWERED = "not answered yet: replace None with your answer and run the cell again"


@dataclass(frozen=True)
class Exercise:
    """One checkable exercise: what it asks, the form of its answer, and how it is judged."""

    id: str
    asks: str
    form: str
    judge: Callable[[Any], tuple[bool, str]]  # answer -> (right?, hint if not)


def _number(x) -> float | None:
    if isinstance(x, bool):
        return None
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _numbers(x, n: int) -> list[float] | None:
    if isinstance(x, (str, bytes)) or not isinstance(x, (Sequence, np.ndarray)):
        return None
    values = [_number(v) for v in list(x)]
    if len(values) != n or any(v is None for v in values):
        return None
    return values


def _close(value: float, right: float, tol: float) -> bool:
    return abs(value - right) <= tol


def _share(x, right: float, tol: float = 5e-4) -> bool:
    """A share given as a fraction (0.99) or a percentage (99.0)."""
    value = _number(x)
    return value is not None and (_close(value, right, tol) or _close(value / 100, right, tol))


# ----------------------------------------------------------------------------- the exercises
# Each judge returns (True, "") or (False, hint). Hints teach the idea; none contains the answer.


def _judge_00_4(answer):
    if _share(answer, 400 / 404):
        return True, ""
    value = _number(answer)
    if value is not None and (_share(answer, 4 / 404) or _share(answer, 0.5)):
        return False, "which class does the model always answer, and how many examples carry that class?"
    return False, "accuracy = correct answers / all examples; a model that always says 'spam' is right on every spam"


def _judge_01_1(answer):
    values = _numbers(answer, 2)
    if values is None:
        return False, "give two numbers, (loss at p = 0.5, loss at p = 0.99), e.g. as a tuple"
    right = (-math.log(0.5), -math.log(0.99))
    if all(_close(v, r, 1e-3) for v, r in zip(values, right)):
        return True, ""
    if all(_close(v, r / math.log(10), 1e-3) for v, r in zip(values, right)):
        return False, "close: cross-entropy uses the natural logarithm, not log base 10"
    if any(v < 0 for v in values):
        return False, "a probability is at most 1, so -log p can never be negative"
    return False, "with a one-hot target the loss is -log of the probability given to the true class"


def _judge_01_4(answer):
    value = _number(answer)
    right = -math.log(1e-3)
    if value is not None and _close(value, right, 1e-3):
        return True, ""
    if value is not None and _close(value, -math.log10(1e-3), 1e-3):
        return False, "close: cross-entropy uses the natural logarithm"
    return False, "a clipped probability is never below eps; what is -log of the smallest value it can take?"


def _judge_01_5(answer):
    value = _number(answer)
    if value is not None and _close(value, math.log(5), 1e-3):
        return True, ""
    if value is not None and _close(value, 1 / 5, 1e-3):
        return False, "that is the probability an untrained model gives each class; the loss is -log of it"
    return False, "an untrained softmax spreads its probability about evenly over the K classes"


def _judge_02_5(answer):
    values = _numbers(answer, 2)
    if values is None or not all(float(v).is_integer() for v in values):
        return False, "give two whole numbers: (tokens in the first text, tokens the two texts share)"
    first, second = "这个水壶很好用！", "这个水壶很难用！"
    right = (len(list(first)), len(set(first) & set(second)))
    if tuple(int(v) for v in values) == right:
        return True, ""
    if int(values[0]) == right[0] - 1:
        return False, "list(...) keeps punctuation as a token too; count every character"
    return False, "list(text) makes one token per character; compare the two texts character by character"


def _lstm(d: int, u: int) -> int:
    return 4 * (u * (d + u) + u)


def _judge_03_1(answer):
    values = _numbers(answer, 3)
    if values is None:
        return False, "give three counts: (embedding, LSTM, softmax layer) with lstm_units = 128"
    V, d, u, K = 503, 64, 128, 2
    right = (V * d, _lstm(d, u), u * K + K)
    if tuple(int(v) for v in values) == right and all(float(v).is_integer() for v in values):
        return True, ""
    if int(values[0]) != right[0]:
        return False, "the embedding's size depends on the vocabulary and the embedding width, not on the LSTM"
    if int(values[1]) == 2 * _lstm(64, 64):
        return False, "doubling the units does not double an LSTM's weights: u appears squared in 4(u(d+u)+u)"
    return False, "use the lesson's formulas: LSTM 4(u(d+u)+u), softmax layer uK + K, with u = 128"


def _judge_03_2(answer):
    value = _number(answer)
    if value is not None and float(value).is_integer() and int(value) == 2 * _lstm(64, 64):
        return True, ""
    if value is not None and int(value) == _lstm(64, 64):
        return False, "a bidirectional layer holds two LSTMs, one reading each way, each with its own weights"
    return False, "count the weights of one LSTM with d = u = 64, then think how many LSTMs a Bidirectional wraps"


def _judge_04_2(answer):
    values = _numbers(answer, 2)
    if values is None:
        return False, "give two whole numbers: (steps per epoch with batch 8, with batch 256)"
    right = (math.ceil(4000 / 8), math.ceil(4000 / 256))
    if tuple(int(v) for v in values) == right and all(float(v).is_integer() for v in values):
        return True, ""
    if int(values[1]) == 4000 // 256:
        return False, "the last, smaller batch is a step too: round up"
    return False, "one step per batch; 4,000 training reviews per epoch"


def _judge_12_1(answer):
    values = _numbers(answer, 2)
    if values is None:
        return False, "give two shares as a pair: (flipped among the rejected rows, rejected among the flipped rows)"
    right = (200 / 500, 200 / 300)
    if all(_share(v, r, 5e-3) for v, r in zip(values, right)):
        return True, ""
    if all(_share(v, r, 5e-3) for v, r in zip(values, reversed(right))):
        return False, "the right two shares in the wrong order: the first divides by the rows select rejected"
    if _share(values[0], 300 / 1500, 5e-3):
        return False, "the first share is the file's base rate; ask only about the rows that were rejected"
    return False, "precision divides the flipped rejected rows by all rejected rows; recall by all flipped rows"


def _judge_12_2(answer):
    if _share(answer, 1 - 1 / 5, 5e-3):
        return True, ""
    if _share(answer, 1.0, 5e-3):
        return False, "the model is right about the review, but the score compares with the label: is every label right?"
    if _share(answer, 1 / 5, 5e-3):
        return False, "that counts the rows where model and label disagree; accuracy counts where they agree"
    return False, "on a flipped row, a model that knows the true sentiment disagrees with the label"


def _judge_12_3(answer):
    value = _number(answer)
    probs, threshold = (0.30, 0.50, 0.55, 0.65, 0.90), 0.62
    right = sum(p >= threshold for p in probs)
    if value is not None and float(value).is_integer() and int(value) == right:
        return True, ""
    if value is not None and int(value) == sum(p >= 0.5 for p in probs):
        return False, "that is the rule 'most probable class'; this model saved a different cut, chosen on validation"
    return False, "count the texts whose p_positive is at least the saved threshold"


# ----------------------------------------------------------------------------- lesson 06: fine-tuning
# The recipe's numbers come from sftkit.config.TrainConfig's defaults, so an exercise and the lesson agree.


def _recipe_defaults():
    from sftkit.config import TrainConfig

    return TrainConfig()


def _judge_06_1(answer):
    values = _numbers(answer, 2)
    if values is None:
        return False, "give two learning rates: (the LSTM's, the embedding's), e.g. as a tuple"
    lr, f = 0.01, _recipe_defaults().group_lr_factor
    right = (lr / f, lr / f ** 2)
    if all(_close(v, r, 5e-5) for v, r in zip(values, right)):
        return True, ""
    if all(_close(v, r, 5e-5) for v, r in zip(values, reversed(right))):
        return False, "the right two rates in the wrong order: the LSTM is one level below the head, the embedding two"
    if values[0] > lr or values[1] > lr:
        return False, "lower layers learn more slowly than the head: the factor divides the head's rate"
    if _close(values[0], right[0], 5e-5) and _close(values[1], lr / (2 * f), 5e-5):
        return False, "each level further down divides once more: the factor is raised to the number of levels"
    return False, "a group d levels below the head learns at the head's rate divided by group_lr_factor ** d"


def _judge_06_2(answer):
    values = _numbers(answer, 3)
    if values is None or not all(float(v).is_integer() for v in values):
        return False, "give three whole numbers: (most epochs with 50 labels, with 300, with 2,000)"
    budgets = (50, 300, 2000)
    right = tuple(_recipe_defaults().epochs_for(n) for n in budgets)
    given = tuple(int(v) for v in values)
    if given == right:
        return True, ""
    if given == tuple(math.ceil(4000 / n) for n in budgets):
        return False, "close: the rule also keeps the number of epochs inside a range; read TrainConfig.epochs_for"
    if given == tuple(min(40, max(10, 4000 // n)) for n in budgets):
        return False, "a part of an epoch still has to run: round up, not down"
    return False, "the budget is about 4,000 examples seen in all: divide it by the labels, then apply the range"


def _judge_06_3(answer):
    values = _numbers(answer, 2)
    if values is None or not all(float(v).is_integer() for v in values):
        return False, "give two whole numbers: (weights trained, weights kept frozen)"
    V, d, u, K = 2392, 64, 128, 2
    embedding, lstm, head = V * d, _lstm(d, u), u * K + K
    right = (lstm + head, embedding)
    given = tuple(int(v) for v in values)
    if given == right:
        return True, ""
    if given == tuple(reversed(right)):
        return False, "the right two counts in the wrong order: trained first, then frozen"
    if given[1] == 0:
        return False, "at this budget freeze_embedding='auto' keeps the pretrained word vectors as they are"
    if given == (head, embedding + lstm):
        return False, "the LSTM is frozen only in the first epoch; gradual unfreezing then opens it"
    if given == (lstm, embedding):
        return False, "the new softmax layer on top learns too"
    return False, "count each group with lesson 03's formulas: embedding V*d, LSTM 4(u(d+u)+u), softmax layer uK + K"


def _judge_06_4(answer):
    value = _number(answer)
    depth, freeze_epochs = 2, 2
    right = depth * freeze_epochs + 1
    if value is not None and float(value).is_integer() and int(value) == right:
        return True, ""
    if value is not None and int(value) == right - 1:
        return False, "that is the epoch's index counting from 0; the question counts the first epoch as 1"
    if value is not None and int(value) in (freeze_epochs, freeze_epochs + 1):
        return False, "the embedding is two levels below the head, and each level waits freeze_epochs longer"
    return False, "a group d levels below the head opens once the epoch index reaches d * freeze_epochs"


EXERCISES: dict[str, Exercise] = {e.id: e for e in [
    Exercise("00.4", "accuracy of always answering 'spam' on 400 spam and 4 ham", "a number (fraction or %)",
             _judge_00_4),
    Exercise("01.1", "the loss of the seed's example with p = 0.5 and with p = 0.99", "(loss at 0.5, loss at 0.99)",
             _judge_01_1),
    Exercise("01.4", "the largest loss a clip of eps = 1e-3 allows", "a number", _judge_01_4),
    Exercise("01.5", "the starting loss of the seed's model with 5 classes", "a number", _judge_01_5),
    Exercise("02.5", "character tokens of 这个水壶很好用！, and how many it shares with 这个水壶很难用！",
             "(tokens, shared tokens)", _judge_02_5),
    Exercise("03.1", "parameters of each layer with lstm_units = 128 (V = 503, d = 64, K = 2)",
             "(embedding, LSTM, softmax layer)", _judge_03_1),
    Exercise("03.2", "LSTM parameters of the bidirectional model (d = u = 64)", "a whole number", _judge_03_2),
    Exercise("04.2", "steps per epoch on the 4,000 training reviews with batch size 8 and 256",
             "(steps with 8, steps with 256)", _judge_04_2),
    # lesson 06: fine-tuning
    Exercise("06.1", "the learning rates of the LSTM and of the embedding once open, with learning_rate=0.01 and the "
             "default group_lr_factor", "(LSTM's rate, embedding's rate)", _judge_06_1),
    Exercise("06.2", "the most epochs the recipe allows with 50, 300 and 2,000 labelled examples",
             "(epochs with 50, with 300, with 2,000)", _judge_06_2),
    Exercise("06.3", "weights the default recipe trains and keeps frozen at 100 labels (V = 2,392, d = 64, u = 128, "
             "K = 2)", "(trained, frozen)", _judge_06_3),
    Exercise("06.4", "the epoch (counting from 1) in which the embedding first learns, with freeze_embedding='never' "
             "and freeze_epochs=2", "a whole number", _judge_06_4),
    Exercise("12.1", "precision and recall of a cleaning step: 1,500 rows, 300 flipped, 500 rejected of which 200 "
             "flipped", "(share of rejected that are flipped, share of flipped that were rejected)", _judge_12_1),
    Exercise("12.2", "validation accuracy of a model right about every review when a fifth of the labels are flipped",
             "a number (fraction or %)", _judge_12_2),
    Exercise("12.3", "texts called positive under a saved threshold of 0.62, p_positive = 0.30, 0.50, 0.55, 0.65, 0.90",
             "a whole number", _judge_12_3),
]}


def check(exercise_id: str, answer, *, echo: Callable[[str], None] = print) -> bool | None:
    """Judge ``answer`` to exercise ``exercise_id`` and say so in one line.

    Returns ``True`` (right), ``False`` (wrong: the line gives a hint) or ``None`` (not
    answered: ``answer`` is ``None``). Raises ``KeyError`` for an unknown id, naming the
    known ones. The solution itself is never printed.
    """
    if exercise_id not in EXERCISES:
        raise KeyError(f"no exercise {exercise_id!r}; the exercises are {', '.join(EXERCISES)}")
    ex = EXERCISES[exercise_id]
    if answer is None:
        echo(f"{exercise_id}: {NOT_ANSWERED} (expected: {ex.form})")
        return None
    right, hint = ex.judge(answer)
    echo(f"{exercise_id}: right." if right else f"{exercise_id}: not yet. Hint: {hint}")
    return right
