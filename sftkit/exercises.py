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



# ----------------------------------------------------------------------------- lesson 11 (中文文本分类)
# Hints in Chinese, with the English term in brackets, as the lesson is written.

def _chars_tokens(text: str) -> int:
    """Tokens of the ``chars`` tokenizer for text of Han characters, ASCII letters/digits and punctuation:
    one per Han character, one per run of letters and digits, punctuation dropped."""
    import re
    import unicodedata

    folded = unicodedata.normalize("NFKC", text).lower()
    return len(re.findall(r"[\u4e00-\u9fff]|[a-z0-9]+", folded))


def _judge_11_1(answer):
    values = _numbers(answer, 2)
    if values is None or not all(float(v).is_integer() for v in values):
        return False, "给两个整数：(chars 的词元数, chars+bigrams 的词元数)"
    n = _chars_tokens("iPhone很好用！")
    right = (n, n + (n - 1))
    got = tuple(int(v) for v in values)
    if got == right:
        return True, ""
    if got[0] == n + len("iPhone") - 1:
        return False, "一串拉丁字母和数字 (a run of Latin letters) 算一个词元，不是每个字母一个"
    if got[0] == n + 1:
        return False, "标点 (punctuation) 在切分前就被去掉了，全角的！也一样"
    if got[0] == n:
        return False, "字的个数对了；二元组 (bigrams) 是相邻两个词元的组合：n 个词元有 n - 1 对，拉丁词也参与"
    return False, "chars：每个汉字一个词元，一串字母一个词元，标点去掉；chars+bigrams 再加上每对相邻词元"


def _judge_11_2(answer):
    value = _number(answer)
    n, length = 30, 48
    right = n + (n - 1) - length
    if value is not None and float(value).is_integer() and int(value) == right:
        return True, ""
    if value is not None and int(value) == 0:
        return False, "30 个字放得下，但 chars+bigrams 在字后面还接着二元组 (bigrams)：一共有多少个词元？"
    if value is not None and int(value) == 2 * n - length:
        return False, "n 个字之间只有 n - 1 对相邻的字"
    return False, "先数词元：n 个字加上 n - 1 个二元组；超出 sequence_length 的部分从末尾截掉"


def _judge_11_3(answer):
    right = (500 - 3) / 500
    if _share(answer, right, 5e-4):
        return True, ""
    if _share(answer, 3 / 500, 5e-4):
        return False, "这是已知词元的比例；问的是 [UNK] 的比例"
    if _share(answer, 1.0, 5e-4):
        return False, "按空格切分时，整条评论是一个词元：和训练集里某条评论一字不差的那几条是认得的"
    return False, "按空格切分 (whitespace splitting)，每条中文评论只有一个词元；它在词表里，当且仅当训练集里有一模一样的评论"


# ----------------------------------------------------------------------------- lessons 09 and 10: cleaning and selection


def _judge_09_1(answer):
    right = 50 / (60 + 70 - 50)
    if _share(answer, right, 5e-3):
        return True, ""
    if _share(answer, 50 / (60 + 70), 5e-3):
        return False, "the union counts the shared shingles once, not twice: |A| + |B| - |A & B|"
    if _share(answer, 50 / 70, 5e-3) or _share(answer, 50 / 60, 5e-3):
        return False, "Jaccard divides by the union of both sets, not by the size of one of them"
    return False, "Jaccard = shared shingles / all distinct shingles of the two texts"


def _indices(x) -> set[int] | None:
    if isinstance(x, (str, bytes)) or not isinstance(x, (Sequence, np.ndarray, set, frozenset)):
        return None
    values = [_number(v) for v in list(x)]
    if any(v is None or not float(v).is_integer() for v in values):
        return None
    return {int(v) for v in values}


def _confident_learning_flags(labels, p1) -> set[int]:
    """Confident learning on two classes, from first principles (the four steps of lesson 09)."""
    probs = [(1 - p, p) for p in p1]
    t = [sum(pr[j] for pr, y in zip(probs, labels) if y == j) / sum(y == j for y in labels) for j in (0, 1)]
    flagged = set()
    for n, (pr, y) in enumerate(zip(probs, labels)):
        above = [j for j in (0, 1) if pr[j] >= t[j] - 1e-12]
        if above and max(above, key=lambda j: pr[j]) != y:
            flagged.add(n)
    return flagged


def _judge_09_2(answer):
    labels, p1 = (0, 0, 1, 1), (0.1, 0.8, 0.9, 0.5)
    rows = _indices(answer)
    if rows is None:
        return False, "give the flagged rows' indices (0 to 3) as a list, e.g. [0, 3]; [] if none"
    right = _confident_learning_flags(labels, p1)
    if rows == right:
        return True, ""
    argmax = {n for n, (y, p) in enumerate(zip(labels, p1)) if (p > 0.5) != (y == 1) and p != 0.5}
    if 3 in rows:
        return False, ("row 3 is not confidently of any class: compare each of its probabilities with that "
                       "class's threshold")
    if rows == argmax - right or not rows:
        return False, ("first compute each class's threshold t_j, the mean probability of class j over the rows "
                       "labelled j; a row counts only for a class it reaches")
    return False, "a row is flagged when the class it confidently belongs to is not its given label"


def _judge_10_1(answer):
    points, start = (0.0, 5.0, 6.0, 9.0), 0
    order = _indices(answer) is not None and [int(v) for v in list(answer)]
    if not order or len(order) != len(points):
        return False, "give all four indices in the order greedy k-center picks them, starting with 0"
    chosen, nearest = [start], [abs(p - points[start]) for p in points]
    while len(chosen) < len(points):
        nxt = max((i for i in range(len(points)) if i not in chosen), key=lambda i: nearest[i])
        chosen.append(nxt)
        nearest = [min(d, abs(p - points[nxt])) for d, p in zip(nearest, points)]
    if order == chosen:
        return True, ""
    if order[:2] == chosen[:2]:
        return False, "after each pick, a point's distance is to its *nearest* chosen point, not to the first one"
    return False, "each pick is the point farthest from everything chosen so far"


def _judge_10_2(answer):
    h_in, h_general, cut = (3.1, 4.0, 2.9, 3.5), (3.4, 3.6, 3.0, 3.45), 0.1
    rows = _indices(answer)
    if rows is None:
        return False, "give the dropped rows' indices (0 to 3) as a list, e.g. [1]; [] if none"
    diff = [a - b for a, b in zip(h_in, h_general)]
    right = {n for n, d in enumerate(diff) if d > cut + 1e-12}
    if rows == right:
        return True, ""
    if rows == {n for n, d in enumerate(diff) if -d > cut + 1e-12}:
        return False, ("the sign is the other way round: in-domain text is *cheaper* under the in-domain model, "
                       "so its difference H_in - H_general is negative")
    if rows == {n for n, d in enumerate(diff) if d > 0}:
        return False, "a row is dropped only when its difference is above the cut, not above zero"
    return False, "compute H_in - H_general for each row and drop the rows above the cut"


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
    Exercise("11.1", "chars and chars+bigrams token counts of iPhone很好用！", "(chars tokens, chars+bigrams tokens)",
             _judge_11_1),
    Exercise("11.2", "tokens cut from a review of 30 Chinese characters with chars+bigrams at sequence_length 48",
             "a whole number", _judge_11_2),
    Exercise("11.3", "[UNK] share of 500 validation reviews split on white space, 3 of them copies of a training review",
             "a number (fraction or %)", _judge_11_3),
    Exercise("12.1", "precision and recall of a cleaning step: 1,500 rows, 300 flipped, 500 rejected of which 200 "
             "flipped", "(share of rejected that are flipped, share of flipped that were rejected)", _judge_12_1),
    Exercise("12.2", "validation accuracy of a model right about every review when a fifth of the labels are flipped",
             "a number (fraction or %)", _judge_12_2),
    Exercise("12.3", "texts called positive under a saved threshold of 0.62, p_positive = 0.30, 0.50, 0.55, 0.65, 0.90",
             "a whole number", _judge_12_3),
    # lessons 09 and 10: cleaning and selection
    Exercise("09.1", "Jaccard similarity of two texts with 60 and 70 shingles, 50 of them shared",
             "a number (fraction or %)", _judge_09_1),
    Exercise("09.2", "rows confident learning flags: labels [0, 0, 1, 1], p(class 1) = [0.1, 0.8, 0.9, 0.5]",
             "a list of row indices", _judge_09_2),
    Exercise("10.1", "greedy k-center order of the points 0, 5, 6, 9 on a line (indices 0-3), starting at index 0",
             "a list of four indices", _judge_10_1),
    Exercise("10.2", "rows dropped by the cut 0.1 on H_in - H_general, H_in = [3.1, 4.0, 2.9, 3.5], "
             "H_general = [3.4, 3.6, 3.0, 3.45]", "a list of row indices", _judge_10_2),
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
