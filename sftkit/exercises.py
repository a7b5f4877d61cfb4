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


def _percent_string(x):
    """``"99%"`` or ``"99 %"`` as the share 0.99; anything else unchanged."""
    if isinstance(x, str) and x.strip().endswith("%"):
        value = _number(x.strip()[:-1])
        return None if value is None else value / 100
    return x


def _rounded(value: float, right: float) -> bool:
    """A number a student rounded: within half a unit of the 2nd decimal, or 0.5 % of ``right``."""
    return abs(value - right) <= max(0.005, 0.005 * abs(right)) + 1e-12


def _judge_00_4(answer):
    answer = _percent_string(answer)
    if _share(answer, 400 / 404):
        return True, ""
    value = _number(answer)
    if value is not None and (_share(answer, 4 / 404) or _share(answer, 0.5)):
        return False, "which class does the model always answer, and how many examples carry that class?"
    return False, "accuracy = correct answers / all examples; a model that always says 'spam' is right on every spam"


# lesson 01: the probabilities of 01.1 appear nowhere in the lesson, so the answer cannot be read off it;
# 01.1 and 01.4 accept answers rounded to two decimals (the precision the lessons print).
EXERCISE_01_1_P = (0.3, 0.95)


def _judge_01_1(answer):
    values = _numbers(answer, 2)
    if values is None:
        return False, "give two numbers, (loss at p = 0.3, loss at p = 0.95), e.g. as a tuple"
    right = tuple(-math.log(p) for p in EXERCISE_01_1_P)
    if all(_rounded(v, r) for v, r in zip(values, right)):
        return True, ""
    if all(_rounded(v, r / math.log(10)) for v, r in zip(values, right)):
        return False, "close: cross-entropy uses the natural logarithm, not log base 10"
    if all(_rounded(v, r) for v, r in zip(values, reversed(right))):
        return False, "the right two losses in the wrong order: the first is the loss at p = 0.3"
    if any(v < 0 for v in values):
        return False, "a probability is at most 1, so -log p can never be negative"
    return False, "with a one-hot target the loss is -log of the probability given to the true class"


def _judge_01_4(answer):
    value = _number(answer)
    right = -math.log(1e-3)
    if value is not None and _rounded(value, right):
        return True, ""
    if value is not None and _rounded(value, -math.log10(1e-3)):
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


# lesson 03, Try 3: a large softmax bias makes the untrained model confident, and the first loss moves far
# from ln 2 (scaling the embedding does not: the LSTM's tanh and sigmoid bound its output).
EXERCISE_03_3 = {"bias": (5.0, -5.0), "negative": 254, "positive": 246}


def _judge_03_3(answer):
    value = _number(answer)
    b0, b1 = EXERCISE_03_3["bias"]
    n_neg, n_pos = EXERCISE_03_3["negative"], EXERCISE_03_3["positive"]
    log_p_neg = b0 - math.log(math.exp(b0) + math.exp(b1))      # zero kernel: the logits are the bias
    log_p_pos = b1 - math.log(math.exp(b0) + math.exp(b1))
    right = -(n_neg * log_p_neg + n_pos * log_p_pos) / (n_neg + n_pos)
    if value is not None and abs(value - right) <= 0.01 * right:
        return True, ""
    if value is not None and abs(value - math.log(2)) < 0.05:
        return False, "the bias is added to the logits of every review: is the softmax still close to uniform?"
    if value is not None and abs(value - (-log_p_pos)) <= 0.01 * right:
        return False, "that is the loss of one positive review; the negative ones pay almost nothing: average them"
    return False, "every review gets the same p = softmax(bias); average -log p(true class) over both classes"


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
    if isinstance(answer, (list, tuple)):     # ("40%", "67%") as well as (0.4, 0.67) or (40, 67)
        answer = [_percent_string(a) for a in answer]
    values = _numbers(answer, 2)
    if values is None:
        return False, "give two shares as a pair: (flipped among the rejected rows, rejected among the flipped rows)"
    right = (200 / 500, 200 / 300)
    if all(_share(v, r, 1e-2) for v, r in zip(values, right)):   # 0.66 for 2/3 is right to two decimals
        return True, ""
    if all(_share(v, r, 1e-2) for v, r in zip(values, reversed(right))):
        return False, "the right two shares in the wrong order: the first divides by the rows select rejected"
    if _share(values[0], 300 / 1500, 1e-2):
        return False, "the first share is the file's base rate; ask only about the rows that were rejected"
    return False, "precision divides the flipped rejected rows by all rejected rows; recall by all flipped rows"


def _judge_12_2(answer):
    answer = _percent_string(answer)          # "80%" as well as 0.8 or 80
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
    # numbers where the per-class thresholds change the outcome: a 0.5 cut (argmax differs
    # from the label) flags another set of rows than confident learning does
    labels, p1 = (0, 0, 1, 1), (0.55, 0.9, 0.95, 0.45)
    rows = _indices(answer)
    if rows is None:
        return False, "give the flagged rows' indices (0 to 3) as a list, e.g. [0, 3]; [] if none"
    right = _confident_learning_flags(labels, p1)
    if rows == right:
        return True, ""
    argmax = {n for n, (y, p) in enumerate(zip(labels, p1)) if (p > 0.5) != (y == 1)}
    if rows == argmax:
        return False, ("that is 'the likelier class is not the label', a cut at 0.5; confident learning compares "
                       "each class's probability with that class's own threshold t_j, the mean over the rows "
                       "labelled j")
    if 0 in rows:
        return False, "row 0: is its probability of class 1 at least t_1, the mean over the rows labelled 1?"
    if 3 not in rows:
        return False, ("row 3: compare its probability of class 0 with t_0, the mean probability of class 0 over the "
                       "rows labelled 0; a threshold can be far below one half")
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
# ----------------------------------------------------------------------------- lesson 06: fine-tuning
# The recipe's numbers come from sftkit.config.TrainConfig's defaults, so an exercise and the lesson agree.


def _recipe_defaults():
    from sftkit.config import TrainConfig

    return TrainConfig()


def _judge_06_1(answer):
    values = _numbers(answer, 2)
    if values is None:
        return False, "give two numbers: (group_lr_factor, the LSTM's learning rate), e.g. as a tuple"
    head, embedding = 0.004, 0.001            # the rates the exercise asks for; the embedding is 2 levels down
    f = math.sqrt(head / embedding)           # head / f**2 = embedding
    factor, lstm = values
    if _close(factor, f, 1e-3) and _close(lstm, head / f, 5e-5):
        return True, ""
    if _close(factor, head / embedding, 1e-3):
        return False, "the embedding is two levels below the head: the factor divides the head's rate twice"
    if 0 < factor < 1:
        return False, "the factor divides the head's rate, and lower layers learn more slowly: it is above 1"
    if _close(factor, _recipe_defaults().group_lr_factor, 1e-3):
        return False, "that is the default factor; find the one that brings the embedding to 0.001"
    if _close(factor, f, 1e-3):
        return False, "right factor; the LSTM is one level below the head: divide the head's rate once"
    return False, "a group d levels below the head learns at the head's rate / group_lr_factor ** d; solve for it"


def _judge_06_2(answer):
    values = _numbers(answer, 3)
    if values is None or not all(float(v).is_integer() for v in values):
        return False, "give three whole numbers: (most epochs with 150 labels, with 300, with 700)"
    budgets = (150, 300, 700)
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
    V, d, u, K = 5000, 64, 96, 3
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
        return False, "the LSTM is frozen only for the first part of training; gradual unfreezing then opens it"
    if given == (lstm, embedding):
        return False, "the new softmax layer on top learns too"
    return False, "count each group with lesson 03's formulas: embedding V*d, LSTM 4(u(d+u)+u), softmax layer uK + K"


def _judge_06_4(answer):
    value = _number(answer)
    depth, freeze_epochs = 2, 2
    right = depth * freeze_epochs + 1
    if value is not None and float(value).is_integer() and int(value) == right:
        return True, ""
    if value is not None and not float(value).is_integer():
        return False, "epochs are counted in whole numbers: give the epoch (counting from 1) as a whole number"
    if value is not None and int(value) == right - 1:
        return False, "that is the epoch's index counting from 0; the question counts the first epoch as 1"
    if value is not None and int(value) in (freeze_epochs, freeze_epochs + 1):
        return False, "the embedding is two levels below the head, and each level waits freeze_epochs longer"
    return False, "a group d levels below the head opens once the epoch index reaches d * freeze_epochs"


EXERCISES: dict[str, Exercise] = {e.id: e for e in [
    Exercise("00.4", "accuracy of always answering 'spam' on 400 spam and 4 ham", "a number such as 0.99, 99 or '99%'",
             _judge_00_4),
    Exercise("01.1", "the loss of the seed's example with p = 0.3 and with p = 0.95", "(loss at 0.3, loss at 0.95)",
             _judge_01_1),
    Exercise("01.4", "the largest loss a clip of eps = 1e-3 allows", "a number", _judge_01_4),
    Exercise("01.5", "the starting loss of the seed's model with 5 classes", "a number", _judge_01_5),
    Exercise("02.5", "character tokens of 这个水壶很好用！, and how many it shares with 这个水壶很难用！",
             "(tokens, shared tokens)", _judge_02_5),
    Exercise("03.1", "parameters of each layer with lstm_units = 128 (V = 503, d = 64, K = 2)",
             "(embedding, LSTM, softmax layer)", _judge_03_1),
    Exercise("03.2", "LSTM parameters of the bidirectional model (d = u = 64)", "a whole number", _judge_03_2),
    Exercise("03.3", "validation loss of the untrained model with a zero softmax kernel and bias (5, -5), 254 "
             "negative and 246 positive reviews", "a number", _judge_03_3),
    Exercise("04.2", "steps per epoch on the 4,000 training reviews with batch size 8 and 256",
             "(steps with 8, steps with 256)", _judge_04_2),
    Exercise("11.4", "chars and chars+bigrams token counts of iPhone很好用！", "(chars tokens, chars+bigrams tokens)",
             _judge_11_1),
    Exercise("11.5", "tokens cut from a review of 30 Chinese characters with chars+bigrams at sequence_length 48",
             "a whole number", _judge_11_2),
    Exercise("11.6", "[UNK] share of 500 validation reviews split on white space, 3 of them copies of a training review",
             "a number (fraction or %)", _judge_11_3),
    # lesson 06: fine-tuning
    Exercise("06.1", "the group_lr_factor that makes the open embedding learn at 0.001 under a head at 0.004, and "
             "the LSTM's rate then", "(group_lr_factor, LSTM's rate)", _judge_06_1),
    Exercise("06.2", "the most epochs the recipe allows with 150, 300 and 700 labelled examples",
             "(epochs with 150, with 300, with 700)", _judge_06_2),
    Exercise("06.3", "weights the default recipe trains and keeps frozen at 100 labels from a model with V = 5,000, "
             "d = 64, u = 96, and K = 3 classes", "(trained, frozen)", _judge_06_3),
    Exercise("06.4", "the epoch (counting from 1) in which the embedding first learns, with freeze_embedding='never' "
             "and freeze_epochs=2", "a whole number", _judge_06_4),
    Exercise("12.1", "precision and recall of a cleaning step: 1,500 rows, 300 flipped, 500 rejected of which 200 "
             "flipped", "(share of rejected that are flipped, share of flipped that were rejected)", _judge_12_1),
    Exercise("12.2", "validation accuracy of a model right about every review when a fifth of the labels are flipped",
             "a number (fraction or %)", _judge_12_2),
    Exercise("12.3", "texts called positive under a saved threshold of 0.62, p_positive = 0.30, 0.50, 0.55, 0.65, 0.90",
             "a whole number", _judge_12_3),
    # lessons 09 and 10: cleaning and selection
    Exercise("09.1", "Jaccard similarity of two texts with 60 and 70 shingles, 50 of them shared",
             "a number (fraction or %)", _judge_09_1),
    Exercise("09.2", "rows confident learning flags: labels [0, 0, 1, 1], p(class 1) = [0.55, 0.9, 0.95, 0.45]",
             "a list of row indices", _judge_09_2),
    Exercise("10.1", "greedy k-center order of the points 0, 5, 6, 9 on a line (indices 0-3), starting at index 0",
             "a list of four indices", _judge_10_1),
    Exercise("10.2", "rows dropped by the cut 0.1 on H_in - H_general, H_in = [3.1, 4.0, 2.9, 3.5], "
             "H_general = [3.4, 3.6, 3.0, 3.45]", "a list of row indices", _judge_10_2),
]}


# ----------------------------------------------------------------------------- lessons 05, 07, 08
# These judges compute the right value from the shipped files (the pretrained model, the
# bundled data, lesson 07's shipped runs) with the library, never from a stored answer;
# what they load is loaded once per process.

import functools  # noqa: E402


@functools.lru_cache(maxsize=1)
def _shipped_lm():
    from sftkit.pretrain import load_shipped

    return load_shipped()


def _polarity_words():
    from sftkit.synth import lexicon

    positive = set(lexicon.SEEN_POS_GENERAL + lexicon.SEEN_POS_PRODUCT + lexicon.HELDOUT_POS_ADJ
                   + lexicon.SEEN_POS_VERBS + lexicon.HELDOUT_POS_VERBS)
    negative = set(lexicon.SEEN_NEG_GENERAL + lexicon.SEEN_NEG_PRODUCT + lexicon.HELDOUT_NEG_ADJ
                   + lexicon.SEEN_NEG_VERBS + lexicon.HELDOUT_NEG_VERBS)
    return positive, negative


def _whole(values) -> bool:
    return values is not None and all(float(v).is_integer() for v in values)


def _judge_05_1(answer):
    values = _numbers(answer, 3)
    if values is None:
        return False, "give three numbers: (best epoch, perplexity at epoch 2 / at the best epoch, that in nats)"
    ppl = _shipped_lm().history["val_perplexity"]
    best = int(np.argmin(ppl)) + 1
    factor = ppl[1] / ppl[best - 1]
    if not (float(values[0]).is_integer() and int(values[0]) == best):
        if int(values[0]) == len(ppl):
            return False, "the last epoch is not the best one: look for the smallest validation perplexity"
        return False, "epochs count from 1; find the epoch whose validation perplexity is smallest"
    if not _close(values[1], factor, 5e-3):
        if _close(values[1], 1 / factor, 5e-3):
            return False, "the factor is how many times smaller the perplexity became: earlier / later"
        return False, "divide the validation perplexity of epoch 2 by that of the best epoch"
    if not _close(values[2], math.log(factor), 2e-3):
        if _close(values[2], math.log10(factor), 2e-3):
            return False, "cross-entropy is in nats: the natural logarithm"
        return False, "perplexity = exp(cross-entropy), so a ratio of perplexities is a difference of cross-entropies"
    return True, ""


def _judge_05_2(answer):
    values = _numbers(answer, 2)
    if not _whole(values):
        return False, "give two whole numbers: (days among monday's 5 neighbours, opposite-polarity words among adore's)"
    lm = _shipped_lm()
    days = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
    positive, negative = _polarity_words()
    right = (sum(w in days for w, _ in lm.nearest_words("monday", k=5)),
             sum(w in negative for w, _ in lm.nearest_words("adore", k=5)))
    if tuple(int(v) for v in values) == right:
        return True, ""
    if int(values[1]) == sum(w in positive for w, _ in lm.nearest_words("adore", k=5)):
        return False, "that counts the neighbours of adore's own polarity; the question asks for the opposite one"
    return False, ("list lm.nearest_words(word, k=5) and count by hand: days of the week for monday, "
                   "words of the other polarity (the NEGATIVE set of section 7) for adore")


_PREFIXES_05_3 = ("i love it. the lid is", "it broke within a week. the lid is", "the kettle is great, but the lid is")


def _adjective_mass_difference(prefix: str) -> float:
    """P(positive adjective) - P(negative adjective) as the next word after ``prefix`` (lesson 05, section 8)."""
    from sftkit import pretrain
    from sftkit.synth import lexicon

    lm = _shipped_lm()
    words = lm.vocabulary
    pos = [words.index(w) for w in lexicon.SEEN_POS_GENERAL + lexicon.SEEN_POS_PRODUCT + lexicon.HELDOUT_POS_ADJ
           if w in words]
    neg = [words.index(w) for w in lexicon.SEEN_NEG_GENERAL + lexicon.SEEN_NEG_PRODUCT + lexicon.HELDOUT_NEG_ADJ
           if w in words]
    ids = pretrain.token_ids(lm.vectorizer(), [prefix])[0]
    p = np.asarray(lm.model(np.asarray(ids)[None, :], training=False))[0, -1]
    return float(p[pos].sum() - p[neg].sum())


def _judge_05_3(answer):
    values = _numbers(answer, 3)
    if values is None:
        return False, "give three numbers, one per prefix in the order of the exercise: P(positive adj) - P(negative adj)"
    right = [_adjective_mass_difference(prefix) for prefix in _PREFIXES_05_3]
    if all(_close(v, r, 0.01) for v, r in zip(values, right)):
        return True, ""
    if all(_close(v, -r, 0.01) for v, r in zip(values, right)):
        return False, "the sign: positive minus negative, so a lean towards praise is above zero"
    wrong = [i + 1 for i, (v, r) in enumerate(zip(values, right)) if not _close(v, r, 0.01)]
    return False, (f"prefix {', '.join(map(str, wrong))} is off: adjective_mass(prefix) returns "
                   "(P(positive), P(negative), top words); subtract the second from the first")


def _judge_05_4(answer):
    values = _numbers(answer, 3)
    if not _whole(values):
        return False, "give three whole numbers: (tokens of the German sentence, how many are [UNK], tokens of the Chinese one)"
    from sftkit import pretrain

    vec = _shipped_lm().vectorizer()
    german, chinese = pretrain.token_ids(vec, ["der wasserkocher ist wunderbar und sehr schön", "这个水壶很好用"])
    right = (len(german), int(np.sum(np.asarray(german) == 1)), len(chinese))
    got = tuple(int(v) for v in values)
    if got == right:
        return True, ""
    if got[:2] == right[:2]:
        return False, "the vocabulary's tokenizer splits on spaces: how many spaces does the Chinese sentence have?"
    return False, "token_ids gives one id per token; id 1 is [UNK], the id of every word outside the vocabulary"


@functools.lru_cache(maxsize=1)
def _overfitting_runs():
    import csv

    from sftkit.data import data_dir

    with open(data_dir() / "overfitting" / "runs.csv", newline="", encoding="utf-8") as f:
        return [dict(r) for r in csv.DictReader(f)]


def _shipped_run(experiment, name, seed):
    return next(r for r in _overfitting_runs() if (r["experiment"], r["name"], int(r["seed"])) == (experiment, name, seed))


def _judge_07_1(answer):
    values = _numbers(answer, 2)
    if not _whole(values):
        return False, "give two whole numbers: (epochs trained with epochs=30, the epoch whose weights it keeps)"
    trained = int(_shipped_run("remedy", "early stopping", 0)["epochs"])
    right = (trained, trained - 2)
    got = tuple(int(v) for v in values)
    if got == right:
        return True, ""
    if got[0] == 30:
        return False, "early stopping ends the run when validation loss stops improving, long before a larger budget"
    if got[0] == right[0]:
        return False, ("restore_best_weights goes back to the best epoch; patience=2 means training went on for "
                       "2 epochs without beating it")
    return False, "the seed, the data and the first epochs are the same as in the shipped run: read its epochs column"


def _flip_share(share: float, seed: int = 0, n: int = 400) -> float:
    """Lesson 07's add_noise: the share of n labels flipped with probability ``share``."""
    return float(np.mean(np.random.default_rng(seed + 1000).random(n) < share))


def _judge_07_2(answer):
    values = _numbers(answer, 2)
    if values is None:
        return False, "give two shares: (training accuracy with noise 0.1, with noise 0.4), for seed 0"
    right = (1 - _flip_share(0.1), 1 - _flip_share(0.4))
    if all(_share(v, r, 5e-3) for v, r in zip(values, right)):
        return True, ""
    if all(_share(v, r, 5e-3) for v, r in zip(values, (0.9, 0.6))):
        return False, "close: the noise is drawn at random, so the flipped share is near 0.1 or 0.4, not exactly; count flipped.sum()"
    if all(_share(v, 1 - r, 5e-3) for v, r in zip(values, right)):
        return False, "that is the share of flipped labels; a model that knows only the rule disagrees with exactly those"
    return False, "the model is right about every review, so it agrees with every label except the flipped ones"


def _judge_07_3(answer):
    values = _numbers(answer, 2)
    if not _whole(values):
        return False, "give two whole numbers: (training texts per epoch, gradient steps per epoch)"
    texts = 150 * (1 + 2)
    right = (texts, math.ceil(texts / 32))
    got = tuple(int(v) for v in values)
    if got == right:
        return True, ""
    if got[0] in (300, 150):
        return False, "augment_copies=2 adds two copies of every review, and the originals stay in the training set"
    if got[0] == right[0]:
        return False, "one step per batch of batch_size = 32 texts, and the last, smaller batch is a step too"
    return False, "augmented copies are training examples like the others: count them, then the batches"


def _judge_07_4(answer):
    values = _numbers(answer, 2)
    if not _whole(values):
        return False, "give two whole numbers: (replacements for detest, how many of them have the opposite polarity)"
    from sftkit.augment import embedding_neighbours

    options = embedding_neighbours(_shipped_lm(), k=5)("detest")
    positive, _ = _polarity_words()
    right = (len(options), sum(w in positive for w in options))
    got = tuple(int(v) for v in values)
    if got == right:
        return True, ""
    if got[0] == right[0]:
        return False, "detest is negative; count the candidates in the POSITIVE set of lesson 05"
    return False, "augment.embedding_neighbours(lm, k=5)('detest') lists the words the synonym method may put in"


def _judge_07_5(answer):
    value = _number(answer)
    held = [float(_shipped_run("remedy", "none", s)["held"]) for s in (0, 1, 2)]
    right = max(held) - min(held)
    if value is not None and _close(value, right, 1e-3):
        return True, ""
    if value is not None and _close(value, float(np.std(held)), 1e-3):
        return False, "the lesson's spread is the range, largest minus smallest, not the standard deviation"
    return False, "the seed spread: the held-out accuracies of 'none' on seeds 0, 1 and 2 (the shipped file), largest minus smallest"


@functools.lru_cache(maxsize=1)
def _spam_baseline():
    """Lesson 08's bag-of-words baseline: (P(spam) on validation, on test, the spam dataset)."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    from sftkit import text
    from sftkit.data import load_bundled

    spam = load_bundled("spam")
    bow = CountVectorizer(tokenizer=text.simple_tokens, lowercase=False, token_pattern=None)
    model = LogisticRegression(max_iter=1000).fit(bow.fit_transform(spam["train"].texts), spam["train"].labels)
    column = list(model.classes_).index("spam")
    return (model.predict_proba(bow.transform(spam["val"].texts))[:, column],
            model.predict_proba(bow.transform(spam["test"].texts))[:, column], spam)


def _judge_08_1(answer):
    values = _numbers(answer, 2)
    if values is None:
        return False, "give two shares: (precision on test, recall on test) at the threshold chosen on validation"
    p_val, p_test, spam = _spam_baseline()
    is_val, is_test = np.array(spam["val"].labels) == "spam", np.array(spam["test"].labels) == "spam"
    candidates = np.unique(p_val)
    precision = np.array([is_val[p_val >= t].mean() for t in candidates])
    t = candidates[np.flatnonzero(precision >= 0.95)[0]]
    flagged = p_test >= t
    right = ((flagged & is_test).sum() / flagged.sum(), (flagged & is_test).sum() / is_test.sum())
    if all(_share(v, r, 5e-3) for v, r in zip(values, right)):
        return True, ""
    if _share(values[0], 0.95, 5e-3) or _share(values[0], is_val[p_val >= t].mean(), 5e-3):
        return False, "that is the promise made on validation; score the test messages at the same threshold"
    return False, ("find the lowest threshold whose validation precision is at least 0.95 (flag when P(spam) >= t), "
                   "then count on test: flagged spam / flagged, flagged spam / all spam")


def _judge_08_2(answer):
    values = _numbers(answer, 2)
    if values is None:
        return False, "give two numbers: (accuracy, macro F1) of answering 'ham' to every test message"
    from sftkit.evaluate import report

    _, _, spam = _spam_baseline()
    rep = report(spam["test"].labels, ["ham"] * len(spam["test"]), labels=["ham", "spam"])
    right = (rep.accuracy, rep.macro_f1)
    if all(_share(v, r, 5e-3) for v, r in zip(values, right)):
        return True, ""
    if _share(values[0], right[0], 5e-3) and _share(values[1], rep.per_class["ham"]["f1"], 5e-3):
        return False, "that is the ham class's F1; the macro average also counts the spam class, whose F1 is 0"
    return False, "accuracy is the ham share; macro F1 is the mean of the two classes' F1, and spam is never found"


def _judge_08_3(answer):
    values = _numbers(answer, 2)
    if not _whole(values):
        return False, "give two whole numbers: (most epochs the run allows, sequence length it trained with)"
    from sftkit.config import TrainConfig
    from sftkit.workflow import resolve_sequence_length

    _, _, spam = _spam_baseline()
    cfg = resolve_sequence_length(TrainConfig(), spam["train"].texts, None)
    right = (cfg.epochs_for(len(spam["train"])), cfg.sequence_length)
    got = tuple(int(v) for v in values)
    if got == right:
        return True, ""
    if got[0] != right[0]:
        return False, ("the default budget aims at a number of examples seen, within a range of epochs; step [3/5] "
                       "of the command's output says how many epochs it allowed")
    return False, "report.md in the run folder names the sequence length the run trained with"


@functools.lru_cache(maxsize=1)
def _shared_template_mask():
    from sftkit.synth.build import DEFAULT_SEED, make_spam

    _, _, spam = _spam_baseline()
    template = {r["id"]: r["template"] for r in make_spam(DEFAULT_SEED)["val"]}
    return np.array([template[i].startswith("amb") for i in spam["val"].ids])


def _judge_08_4(answer):
    values = _numbers(answer, 2)
    if values is None:
        return False, "give two numbers: the baseline's validation spam F1 at argmax, (all messages, without the shared ones)"
    from sklearn.metrics import f1_score

    p_val, _, spam = _spam_baseline()
    is_spam, flagged, keep = np.array(spam["val"].labels) == "spam", p_val > 0.5, ~_shared_template_mask()
    right = (f1_score(is_spam, flagged), f1_score(is_spam[keep], flagged[keep]))
    if all(_close(v, r, 2e-3) for v, r in zip(values, right)):
        return True, ""
    if _close(values[0], right[0], 2e-3):
        return False, "drop the messages whose template starts with 'amb' from both the labels and the predictions"
    return False, "score the bag-of-words baseline's argmax flags (P(spam) > 0.5) on validation, with and without the shared messages"


def _judge_08_5(answer):
    value = _number(answer)
    cost_missed, cost_false_alarm = 1.0, 5.0
    right = cost_false_alarm / (cost_false_alarm + cost_missed)
    if value is not None and _close(value, right, 1e-3):
        return True, ""
    if value is not None and _close(value, 1 - right, 1e-3):
        return False, "a false alarm is the expensive mistake here: should the filter flag more readily or less?"
    return False, ("flag when the expected cost of letting it through, P(spam) x 1, exceeds that of flagging it, "
                   "(1 - P(spam)) x 5; solve for P(spam)")


EXERCISES.update({e.id: e for e in [
    Exercise("05.1", "the shipped model's history: the epoch of lowest validation perplexity, how many times smaller "
             "it is than at epoch 2, and that ratio in nats", "(best epoch, perplexity ratio, nats)", _judge_05_1),
    Exercise("05.2", "days of the week among monday's 5 nearest words, opposite-polarity words among adore's",
             "(days, opposite-polarity words)", _judge_05_2),
    Exercise("05.3", "P(positive adjective) - P(negative adjective) after 'i love it. the lid is', 'it broke within a "
             "week. the lid is' and 'the kettle is great, but the lid is'", "(three differences, in that order)",
             _judge_05_3),
    Exercise("05.4", "tokens of 'der wasserkocher ist wunderbar und sehr schön', how many are [UNK], tokens of "
             "这个水壶很好用", "(German tokens, [UNK] among them, Chinese tokens)", _judge_05_4),
    Exercise("07.1", "early stopping on seed 0 with epochs=30: epochs trained, and the epoch whose weights it keeps",
             "(epochs trained, epoch kept)", _judge_07_1),
    Exercise("07.2", "training accuracy, against the noisy labels, of a model that knows the rule and memorised "
             "nothing, with noise 0.1 and 0.4 (seed 0)", "(accuracy at 0.1, at 0.4) (fractions or %)", _judge_07_2),
    Exercise("07.3", "150 reviews with augment_copies=2, batch size 32: texts and gradient steps per epoch",
             "(texts per epoch, steps per epoch)", _judge_07_3),
    Exercise("07.4", "the synonym method's candidates for 'detest' (k = 5): how many, and how many are positive",
             "(candidates, positive candidates)", _judge_07_4),
    Exercise("07.5", "the seed spread of 'none' on held-out accuracy (shipped runs, seeds 0-2)", "a number",
             _judge_07_5),
    Exercise("08.1", "the baseline's lowest validation threshold with precision >= 0.95: precision and recall on test",
             "(test precision, test recall) (fractions or %)", _judge_08_1),
    Exercise("08.2", "accuracy and macro F1 of answering 'ham' to every test message",
             "(accuracy, macro F1)", _judge_08_2),
    Exercise("08.3", "sftkit train on the spam files: the most epochs it allows, the sequence length it trains with",
             "(most epochs, sequence length)", _judge_08_3),
    Exercise("08.4", "the baseline's validation spam F1 at argmax, with and without the shared-template messages",
             "(F1 on all, F1 without the shared ones)", _judge_08_4),
    Exercise("08.5", "the threshold on a calibrated P(spam) when a false alarm costs 5 and a missed spam 1",
             "a number", _judge_08_5),
]})


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
