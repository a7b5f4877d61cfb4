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

import functools
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


def _judge_00_2(answer):
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
    values = _numbers(answer, 2)
    if values is None:
        return False, "give two numbers: (the largest loss a clip of 1e-3 allows, the gradient it sends back), as a tuple"
    loss, gradient = values
    if not _rounded(loss, -math.log(1e-3)):
        if _rounded(loss, -math.log10(1e-3)):
            return False, "close: cross-entropy uses the natural logarithm"
        return False, "a clipped probability is never below eps; what is -log of the smallest value it can take?"
    if abs(gradient) <= 1e-9:        # tf.clip_by_value passes no gradient outside [eps, 1 - eps]
        return True, ""
    if _rounded(abs(gradient), 1 / 1e-3):
        return False, ("the loss is right; the gradient is not the slope of -log p at eps: the loss is -log clip(p), "
                       "and the chain rule multiplies by what clip passes back. What does tf.clip_by_value pass back "
                       "for an input outside its range? Try it with tf.GradientTape")
    return False, ("the loss is right; for the gradient, use the chain rule through clip(p) at the example's own p, "
                   "or take it with tf.GradientTape as the Try item shows")


def _judge_01_5(answer):
    value = _number(answer)
    if value is not None and _rounded(value, math.log(5)):
        return True, ""
    if value is not None and _rounded(value, 1 / 5):
        return False, "that is the probability an untrained model gives each class; the loss is -log of it"
    return False, "an untrained softmax spreads its probability about evenly over the K classes"


def _judge_02_4(answer):
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
        return False, "give three counts: (embedding, LSTM, softmax layer) with lstm_units = 96"
    V, d, u, K = 503, 64, 96, 2
    right = (V * d, _lstm(d, u), u * K + K)
    if tuple(int(v) for v in values) == right and all(float(v).is_integer() for v in values):
        return True, ""
    if int(values[0]) != right[0]:
        return False, "the embedding's size depends on the vocabulary and the embedding width, not on the LSTM"
    if int(values[1]) == 1.5 * _lstm(64, 64):
        return False, "1.5 times the units is not 1.5 times an LSTM's weights: u appears squared in 4(u(d+u)+u)"
    return False, "use the lesson's formulas: LSTM 4(u(d+u)+u), softmax layer uK + K, with u = 96"


def _judge_03_2(answer):
    value = _number(answer)
    if value is not None and float(value).is_integer() and int(value) == 2 * _lstm(64, 64):
        return True, ""
    if value is not None and int(value) == _lstm(64, 64):
        return False, ("that is one LSTM reading one way; print model.summary() for the bidirectional model and "
                       "look at the layer's name and the size of its output")
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
        return False, "check what each share divides by: the first (precision) by the rows select rejected, the second (recall) by the flipped rows"
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
        return False, "accuracy counts the rows where the prediction matches the label: on a flipped row, does it?"
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
    """The paired 95% t interval of three per-seed differences (lesson 11, section 5)."""
    from scipy import stats

    values = _numbers(answer, 2)
    if values is None:
        return False, "给两个数：(下界, 上界)"
    diffs = np.array([0.01, 0.03, 0.02])
    n, mean, sd = len(diffs), diffs.mean(), diffs.std(ddof=1)
    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    lo, hi = sorted(values)
    if _close(lo, mean - half, 2e-3) and _close(hi, mean + half, 2e-3):
        return True, ""
    if _close(hi - lo, 2 * 1.959964 * sd / math.sqrt(n), 2e-3):
        return False, "三个种子只有 2 个自由度 (degrees of freedom)：用 t 分布的分位数，不是正态分布的 1.96"
    if _close(hi - lo, 2 * stats.t.ppf(0.975, n - 1) * diffs.std() / math.sqrt(n), 2e-3):
        return False, "样本标准差 (sample standard deviation) 除以 n - 1，不是 n (ddof=1)"
    if _close(hi - lo, 2 * stats.t.ppf(0.975, n - 1) * sd, 2e-3):
        return False, "区间量的是平均值的不确定性：标准差还要除以 √n (标准误, standard error)"
    return False, "区间 = 差的平均值 ± t(0.975, n - 1) × 样本标准差 / √n，n 是种子数"


@functools.lru_cache(maxsize=1)
def _zh_train_lengths():
    """Token lengths of lesson 11's 500 training reviews: (chars+bigrams, chars)."""
    from sftkit import data, text

    train = data.stratified_sample(data.load_bundled("zh_reviews")["train"], 500, seed=0)
    return text.token_lengths(train.texts, "chars+bigrams"), text.token_lengths(train.texts, "chars")


def _judge_11_2(answer):
    values = _numbers(answer, 2)
    if values is None or not all(float(v).is_integer() for v in values):
        return False, "给两个整数：(被截的评论数, 字也被截的评论数)"
    both, chars = _zh_train_lengths()
    got = tuple(int(v) for v in values)
    cut, chars_cut = int((both > 32).sum()), int((chars > 32).sum())
    if got == (cut, chars_cut):
        return True, ""
    at_most = {int((both >= 32).sum()), int((chars >= 32).sum())} - {cut, chars_cut}
    if got[0] in at_most or got[1] in at_most:
        return False, "正好 32 个词元的评论放得下：只有多于 sequence_length 的才被截"
    if got[0] == chars_cut:
        return False, "第一个数要按 chars+bigrams 的词元数 (字加二元组) 来比，不是按字数"
    if got[0] == cut:
        return False, "被截的评论数对了；字加二元组的序列是先放所有的字：只有字数本身超过 32 时，字才会被截"
    return False, "text.token_lengths(train.texts, \"chars+bigrams\") 给每条评论的词元数；比 sequence_length 长就被截"


def _judge_11_3(answer):
    from sftkit import text

    values = _numbers(answer, 2)
    if values is None or not all(float(v).is_integer() for v in values):
        return False, "给两个整数：(jieba 的词元数, chars 的词元数)"
    phrase = "南京市长江大桥"
    right = tuple(len(text.tokenize([phrase], name)[0]) for name in ("jieba", "chars"))
    got = tuple(int(v) for v in values)
    if got == right:
        return True, ""
    if got[0] == 3:
        return False, "南京 / 市长 / 江大桥 是一个有名的错误切法；运行 text.tokenize 看 jieba 实际怎么切"
    if got[1] != right[1]:
        return False, "chars：每个汉字一个词元"
    return False, "jieba 按词典里的词切：运行 text.tokenize([\"南京市长江大桥\"], \"jieba\") 数一数"


def _judge_11_4(answer):
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


def _judge_11_5(answer):
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


def _judge_11_6(answer):
    answer = _percent_string(answer)          # "99.4%" as well as 0.994 or 99.4
    right = (500 - 3) / 500
    if _share(answer, right, 5e-3):           # 0.99 (rounded to two decimals, as 12.1 and 12.2 accept) too
        return True, ""
    if _share(answer, 3 / 500, 5e-4):
        return False, "先想清楚分子：[UNK] 的比例数的是词表里没有的评论；哪些评论的整条文本在词表里？"
    if _share(answer, 1.0, 5e-4):
        return False, "按空格切分时，整条评论是一个词元：和训练集里某条评论一字不差的那几条是认得的"
    return False, "按空格切分 (whitespace splitting)，每条中文评论只有一个词元；它在词表里，当且仅当训练集里有一模一样的评论"


# ----------------------------------------------------------------------------- lessons 09 and 10: cleaning and selection


def _judge_09_1(answer):
    # a fraction (0.625, or 0.62 / 0.63 rounded), a percentage number (62.5) or string ("62.5%")
    value = _number(_percent_string(answer))

    def near(right):
        return value is not None and (_rounded(value, right) or _rounded(value / 100, right))

    if near(50 / (60 + 70 - 50)):
        return True, ""
    if near(50 / (60 + 70)):
        return False, "the union counts the shared shingles once, not twice: |A| + |B| - |A & B|"
    if near(50 / 70) or near(50 / 60):
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
    """Confident learning on two classes, from first principles (the five steps of lesson 09)."""
    probs = [(1 - p, p) for p in p1]
    t = [sum(pr[j] for pr, y in zip(probs, labels) if y == j) / sum(y == j for y in labels) for j in (0, 1)]
    flagged = set()
    for n, (pr, y) in enumerate(zip(probs, labels)):
        above = [j for j in (0, 1) if pr[j] >= t[j] - 1e-12]
        # steps 2-4: confidently of another class; step 5: unless the label is the most probable class
        if above and max(above, key=lambda j: pr[j]) != y and pr[y] < pr[1 - y]:
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
    # hints name no row: they say which way the answer is off and what to compute, not where
    if rows - right:
        return False, ("a row you listed is not confidently of another class: for each listed row, compare its "
                       "probability of the other class j with t_j, the mean probability of j over the rows labelled j")
    if right - rows:
        return False, ("you missed a row: compute t_0 and t_1 first (one of them is far below one half), then test "
                       "every row against both")
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
        return False, "give the dropped rows' indices (0 to 3) as a list, e.g. [0, 2]; [] if none"
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
        return False, "give three whole numbers: (most epochs with 80 labels, with 240, with 600)"
    budgets = (80, 240, 600)                  # none of them in the lesson's printed table
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
        return False, ("nothing frozen? read section 3's table: which layer does freeze_embedding='auto' keep "
                       "frozen at 100 labels?")
    if given == (head, embedding + lstm):
        return False, "the LSTM is frozen only for the first part of training; gradual unfreezing then opens it"
    if given == (lstm, embedding):
        return False, "the new softmax layer on top learns too"
    return False, ("count each group's weights as lesson 03 does (its section 3, counting the parameters); try "
                   "your counting first on this lesson's model, whose groups section 4 prints")


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
    Exercise("00.2", "accuracy of always answering 'spam' on 400 spam and 4 ham", "a fraction such as 0.75, a percentage such as 75, or '75%'",
             _judge_00_2),
    Exercise("01.1", "the loss of the seed's example with p = 0.3 and with p = 0.95", "(loss at 0.3, loss at 0.95)",
             _judge_01_1),
    Exercise("01.4", "the largest loss a clip of eps = 1e-3 allows, and the gradient a confidently wrong example "
             "sends back through the clip to the probability of its true class", "(largest loss, gradient)", _judge_01_4),
    Exercise("01.5", "the starting loss of the seed's model with 5 classes", "a number", _judge_01_5),
    Exercise("02.4", "character tokens of 这个水壶很好用！, and how many it shares with 这个水壶很难用！",
             "(tokens, shared tokens)", _judge_02_4),
    Exercise("03.1", "parameters of each layer with lstm_units = 96 (V = 503, d = 64, K = 2)",
             "(embedding, LSTM, softmax layer)", _judge_03_1),
    Exercise("03.2", "LSTM parameters of the bidirectional model (d = u = 64)", "a whole number", _judge_03_2),
    Exercise("03.3", "validation loss of the untrained model with a zero softmax kernel and bias (5, -5), 254 "
             "negative and 246 positive reviews", "a number", _judge_03_3),
    Exercise("04.2", "steps per epoch on the 4,000 training reviews with batch size 8 and 256",
             "(steps with 8, steps with 256)", _judge_04_2),
    Exercise("11.1", "the paired 95% t interval of the per-seed differences +0.01, +0.03, +0.02", "(lower end, upper end)",
             _judge_11_1),
    Exercise("11.2", "lesson 11's 500 training reviews cut at sequence_length 32 with chars+bigrams, and how many "
             "lose characters too", "(reviews cut, reviews whose characters are cut)", _judge_11_2),
    Exercise("11.3", "jieba and chars token counts of 南京市长江大桥", "(jieba tokens, chars tokens)", _judge_11_3),
    Exercise("11.4", "chars and chars+bigrams token counts of iPhone很好用！", "(chars tokens, chars+bigrams tokens)",
             _judge_11_4),
    Exercise("11.5", "tokens cut from a review of 30 Chinese characters with chars+bigrams at sequence_length 48",
             "a whole number", _judge_11_5),
    Exercise("11.6", "[UNK] share of 500 validation reviews split on white space, 3 of them copies of a training review",
             "a number (fraction or %)", _judge_11_6),
    # lesson 06: fine-tuning
    Exercise("06.1", "the group_lr_factor that makes the open embedding learn at 0.001 under a head at 0.004, and "
             "the LSTM's rate then", "(group_lr_factor, LSTM's rate)", _judge_06_1),
    Exercise("06.2", "the most epochs the recipe allows with 80, 240 and 600 labelled examples",
             "(epochs with 80, with 240, with 600)", _judge_06_2),
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
_NEUTRAL_05_3 = "the kettle is here. the lid is"
_EXPECTED_SIGN_05_3 = (1, -1, -1)  # praise after "i love it"; complaint after "it broke" and after "great, but"


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
    """Leans relative to a neutral prefix: the model leans negative after sentences with no opinion,
    so only a lean beyond the neutral one counts as moving the way the sentence does."""
    values = _numbers(answer, 4)
    if values is None:
        return False, ("give four numbers: the three prefixes' leans minus the neutral prefix's lean, in the order of "
                       "the exercise, and how many of the three move the way the sentence does")
    neutral = _adjective_mass_difference(_NEUTRAL_05_3)
    absolute = [_adjective_mass_difference(prefix) for prefix in _PREFIXES_05_3]
    right = [a - neutral for a in absolute]
    n_right = sum(sign * r > 0 for sign, r in zip(_EXPECTED_SIGN_05_3, right))
    if all(_close(v, r, 0.01) for v, r in zip(values[:3], right)):
        if float(values[3]) == n_right:
            return True, ""
        return False, ("the leans are right; now count: a prefix moves the sentence's way only if its relative lean "
                       "has the sign the sentence calls for (above zero for praise, below for complaint)")
    if all(_close(v, a, 0.01) for v, a in zip(values[:3], absolute)):
        return False, ("those are the leans themselves; after a sentence with no opinion the model already leans, "
                       "so subtract the neutral prefix's lean from each")
    if all(_close(v, -r, 0.01) for v, r in zip(values[:3], right)):
        return False, "the sign: (prefix's lean) minus (neutral lean), each lean positive minus negative"
    wrong = [i + 1 for i, (v, r) in enumerate(zip(values[:3], right)) if not _close(v, r, 0.01)]
    return False, (f"prefix {', '.join(map(str, wrong))} is off: adjective_mass(prefix) returns "
                   "(P(positive), P(negative), top words); lean = first - second, then subtract the neutral lean")


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
        return False, ("a token is what the vocabulary's tokenizer makes, not a character: run "
                       "pretrain.token_ids on the Chinese sentence and count the ids")
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
        return False, ("the number of epochs is right; for the epoch kept: what does `patience` count, and which "
                       "epoch was the last to improve validation loss?")
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
    from sftkit.augment import augment_dataset

    originals = [f"review number {i} is here" for i in range(150)]   # 150 reviews, as the small clean set
    texts = len(augment_dataset(originals, ["positive"] * 150, method="word_swap", copies=2)[0])
    right = (texts, math.ceil(texts / 32))
    got = tuple(int(v) for v in values)
    if got == right:
        return True, ""
    if got[0] in (300, 150):
        return False, "are the originals still trained on, and how many copies does each review get?"
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
        return False, ("the number of candidates is right; now count those in the positive lexicon the exercise "
                       "names (adjectives and verbs, seen and held out)")
    return False, "augment.embedding_neighbours(lm, k=5)('detest') lists the words the synonym method may put in"


def _judge_07_5(answer):
    """Lesson 07's per-seed rule on two shipped remedies: L2 minus early stopping, seed by seed, and the verdict."""
    values = _numbers(answer, 4)
    if values is None:
        return False, ("give four numbers: L2's held-out accuracy minus early stopping's on seeds 0, 1 and 2 (the "
                       "shipped file), then the verdict: 1 better on every seed, -1 worse on every seed, 0 mixed")
    gains = [float(_shipped_run("remedy", "L2", s)["held"]) - float(_shipped_run("remedy", "early stopping", s)["held"])
             for s in (0, 1, 2)]
    verdict = 1 if min(gains) > 0 else -1 if max(gains) < 0 else 0
    if all(_close(v, g, 2e-3) for v, g in zip(values[:3], gains)):
        if float(values[3]) == verdict:
            return True, ""
        if float(values[3]) == (1 if np.mean(gains) > 0 else -1):
            return False, "the verdict follows the sign on every seed, not the sign of the mean"
        return False, "the differences are right; the verdict: 1 only if all three are above zero, -1 only if all below"
    if all(_close(v, -g, 2e-3) for v, g in zip(values[:3], gains)):
        return False, "the order: L2's accuracy minus early stopping's, so above zero where L2 is better"
    return False, ("read the 'held' column of the shipped rows (experiment 'remedy') for L2 and early stopping on "
                   "each seed and subtract, seed by seed")


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
    """The precision promise, made on the first 250 validation messages, checked on the other 250 (no test set)."""
    values = _numbers(answer, 2)
    if values is None:
        return False, ("give two shares: (precision, recall) on the last 250 validation messages at the threshold "
                       "chosen on the first 250")
    p_val, _, spam = _spam_baseline()
    is_val = np.array(spam["val"].labels) == "spam"
    p_a, is_a, p_b, is_b = p_val[:250], is_val[:250], p_val[250:], is_val[250:]
    candidates = np.unique(p_a)
    precision = np.array([is_a[p_a >= t].mean() for t in candidates])
    first = np.flatnonzero(precision >= 0.95)[0]
    t = candidates[first]
    below = candidates[first - 1] if first > 0 else -np.inf
    # Every threshold in (below, t] flags the same first 250 messages, so each is "the lowest" to a search
    # of its own resolution (the predicted probabilities, a 0.01 grid as in section 5, ...). On the last 250
    # they differ only where a probability lies in that interval: each such probability, and t itself.
    rights = []
    for cut in [t, *p_b[(p_b > below) & (p_b <= t)]]:
        flagged = p_b >= cut
        rights.append(((flagged & is_b).sum() / flagged.sum(), (flagged & is_b).sum() / is_b.sum()))
    if any(all(_share(v, r, 5e-3) for v, r in zip(values, right)) for right in rights):
        return True, ""
    if _share(values[0], 0.95, 5e-3) or _share(values[0], is_a[p_a >= t].mean(), 5e-3):
        return False, "that is the promise made on the first half; score the last 250 messages at the same threshold"
    return False, ("find the lowest threshold whose precision on the first 250 validation messages is at least 0.95 "
                   "(flag when P(spam) >= t), then count on the last 250: flagged spam / flagged, flagged spam / all spam")


def _judge_08_2(answer):
    values = _numbers(answer, 2)
    if values is None:
        return False, "give two numbers: (accuracy, macro F1) of answering 'spam' to every validation message"
    from sftkit.evaluate import report

    _, _, spam = _spam_baseline()
    rep = report(spam["val"].labels, ["spam"] * len(spam["val"]), labels=["ham", "spam"])
    right = (rep.accuracy, rep.macro_f1)
    if all(_share(v, r, 5e-3) for v, r in zip(values, right)):
        return True, ""
    all_ham = report(spam["val"].labels, ["ham"] * len(spam["val"]), labels=["ham", "spam"])
    if all(_share(v, r, 5e-3) for v, r in zip(values, (all_ham.accuracy, all_ham.macro_f1))):
        return False, "those are the figures of answering 'ham' to everything; this rule answers 'spam'"
    if _share(values[0], right[0], 5e-3) and _share(values[1], rep.per_class["spam"]["f1"], 5e-3):
        return False, ("that is the spam class's F1; the macro average also counts the ham class: what is its F1 "
                       "when ham is never predicted?")
    # (the hint names the steps, not the figures: review s7 L08-13)
    return False, ("which messages does this rule get right? Then go class by class: each class's precision and "
                   "recall, its F1, and macro F1 as the plain mean of the two classes' F1")


def _judge_08_3(answer):
    values = _numbers(answer, 2)
    if not _whole(values):
        return False, "give two whole numbers: (most epochs the run allows, sequence length it trained with)"
    from sftkit.config import TrainConfig
    from sftkit.workflow import resolve_sequence_length

    from sftkit.data import split_off

    _, _, spam = _spam_baseline()
    # without --test, sftkit train splits its test set off --data, as here (cli.cmd_train)
    train, _, _, _ = split_off(spam["train"], spam["val"], None, seed=TrainConfig().seed)
    cfg = resolve_sequence_length(TrainConfig(), train.texts, None)
    right = (cfg.epochs_for(len(train)), cfg.sequence_length)
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
        return False, ("give two numbers: the baseline's validation spam F1 at argmax without the shared messages, and "
                       "how many of its argmax errors on validation are shared messages")
    from sklearn.metrics import f1_score

    p_val, _, spam = _spam_baseline()
    is_spam, flagged, shared = np.array(spam["val"].labels) == "spam", p_val > 0.5, _shared_template_mask()
    right = (f1_score(is_spam[~shared], flagged[~shared]), int(((flagged != is_spam) & shared).sum()))
    if _close(values[0], right[0], 2e-3) and float(values[1]) == right[1]:
        return True, ""
    if _close(values[0], f1_score(is_spam, flagged), 2e-3):
        return False, "that F1 counts every message; drop the ones whose template starts with 'amb' from labels and predictions"
    if _close(values[0], right[0], 2e-3):
        return False, "the F1 is right; count the messages the baseline gets wrong whose template starts with 'amb'"
    return False, "score the bag-of-words baseline's argmax flags (P(spam) > 0.5) on validation without the shared messages"


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
    Exercise("05.3", "the lean P(positive adjective) - P(negative adjective) after 'i love it. the lid is', 'it broke "
             "within a week. the lid is' and 'the kettle is great, but the lid is', each minus the lean after 'the "
             "kettle is here. the lid is', and how many of the three move the way the sentence does",
             "(three relative leans in that order, how many move the sentence's way)", _judge_05_3),
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
    Exercise("07.5", "L2's held-out accuracy minus early stopping's on seeds 0, 1, 2 (shipped runs), and the per-seed "
             "verdict", "(three differences, verdict: 1 better on every seed / -1 worse / 0 mixed)", _judge_07_5),
    Exercise("08.1", "the baseline's lowest threshold with precision >= 0.95 on the first 250 validation messages: "
             "precision and recall on the last 250", "(precision, recall) (fractions or %)", _judge_08_1),
    Exercise("08.2", "accuracy and macro F1 of answering 'spam' to every validation message",
             "(accuracy, macro F1)", _judge_08_2),
    Exercise("08.3", "sftkit train on the spam files: the most epochs it allows, the sequence length it trains with",
             "(most epochs, sequence length)", _judge_08_3),
    Exercise("08.4", "the baseline's validation spam F1 at argmax without the shared-template messages, and how many "
             "of its argmax errors are shared messages", "(F1 without the shared ones, shared errors)", _judge_08_4),
    Exercise("08.5", "the threshold on a calibrated P(spam) when a false alarm costs 5 and a missed spam 1",
             "a number", _judge_08_5),
]})


# ----------------------------------------------------------------------------- lessons 00-04: every "Try this" item checked
# (issue 16) The items of lessons 00-04 that had no check. Each judge computes its right value from the
# library, the bundled data or NumPy; the two of lesson 04 that need a training run accept a range measured
# over seeds (see their comments). Items 00.2 and 02.4 were 00.4 and 02.5 before the open items of those
# lessons moved to their "Explore" lists.

EXERCISE_00_1 = (("Congratulations! You won a free phone, click here", "spam"),
                 ("Are we still meeting for lunch on Friday?", "ham"),
                 ("Cheap loans, no questions asked, reply now", "spam"),
                 ("The report is attached, comments welcome", "invoice"))


def _judge_00_1(answer):
    values = _numbers(answer, len(EXERCISE_00_1))
    if not _whole(values):
        return False, "give the four integer labels y, one per example, as a list, e.g. [0, 0, 0, 0]"
    names = sorted({label for _, label in EXERCISE_00_1})
    right = [names.index(label) for _, label in EXERCISE_00_1]
    got = [int(v) for v in values]
    if got == right:
        return True, ""
    by_appearance = list(dict.fromkeys(label for _, label in EXERCISE_00_1))
    if got == [by_appearance.index(label) for _, label in EXERCISE_00_1]:
        return False, "the cell numbers the label names in sorted order, not in the order they first appear"
    old = {"ham": 0, "spam": 1}
    if all(got[i] == old[label] for i, (_, label) in enumerate(EXERCISE_00_1) if label in old):
        return False, "a new name can sort between the old ones: are ham and spam still 0 and 1?"
    return False, "label_names = sorted({...}); each example's id is the position of its label in that list"


def _judge_00_3(answer):
    value = _number(_percent_string(answer))
    lm = _shipped_lm()
    from sftkit.models import lstm_param_count

    V, d, u = len(lm.vocabulary), lm.config.embedding_dim, lm.config.lstm_units
    embedding, lstm, head = V * d, lstm_param_count(d, u), (u + 1) * 2
    full = embedding + lstm + head
    if _share(value, (lstm + head) / full, 5e-3):
        return True, ""
    if value is not None and _share(value, embedding / full, 5e-3):
        return False, "that is the frozen share; the question asks for the share that still learns"
    if value is not None and _share(value, head / full, 2e-4):
        return False, "rebuild the classifier first: the cell had also frozen the LSTM"
    return False, ("a frozen layer's weights leave model.trainable_weights: which layer is frozen now, and what share "
                   "of all the classifier's weights is left?")


def _largest_finite_exponent(dtype) -> int:
    """The largest whole s for which log(exp(s) + exp(0)), computed in ``dtype``, is finite."""
    s = 0
    with np.errstate(over="ignore"):
        while np.isfinite(np.log(np.exp(np.array([s + 1, 0], dtype=dtype)).sum())):
            s += 1
    return s


def _judge_01_2(answer):
    values = _numbers(answer, 2)
    if not _whole(values):
        return False, "give two whole numbers: (largest s in float64, largest s in float32)"
    right = (_largest_finite_exponent(np.float64), _largest_finite_exponent(np.float32))
    got = tuple(int(v) for v in values)
    if got == right:
        return True, ""
    if got == tuple(r + 1 for r in right):
        return False, "one too far: at that s, exp(s) is already inf"
    if got == tuple(reversed(right)):
        return False, "the right two numbers in the wrong order: float64 first"
    if got[0] == right[0]:
        return False, "float32's largest number is about 3.4e38: which s has exp(s) just below it?"
    return False, "without the shift, exp(s) itself must stay below the largest float: np.finfo(dtype).max"


EXERCISE_01_3 = {"z": (2.0, 1.0, 0.1), "t": (0.2, 0.8, 0.4)}


def _judge_01_3(answer):
    values = _numbers(answer, 3)
    if values is None:
        return False, "give the three entries of dL/dz, e.g. as a tuple"
    from sftkit import losses

    z, t = np.array(EXERCISE_01_3["z"]), np.array(EXERCISE_01_3["t"])
    p = losses.softmax(z)
    right = t.sum() * p - t
    if all(_rounded(v, r) for v, r in zip(values, right)):
        return True, ""
    if all(_rounded(v, r) for v, r in zip(values, p - t)):
        return False, "p - t used sum_i t_i = 1; these targets add up to more: redo the derivative of the log-sum-exp term"
    if all(_rounded(v, r) for v, r in zip(values, -right)):
        return False, "the sign: the gradient points where the loss grows"
    return False, ("redo the section's derivation with this t, keeping every t_i instead of using that they add "
                   "up to 1; the finite-difference cell checks your result")


@functools.lru_cache(maxsize=1)
def _review_lengths():
    from sftkit import data, text

    return text.token_lengths(data.load_bundled("reviews")["train"].texts)


def _judge_02_1(answer):
    value = _number(answer)
    from sftkit import data, text

    lengths = _review_lengths()
    train = data.load_bundled("reviews")["train"]
    short, long_ = text.suggest_sequence_length(train.texts), text.suggest_sequence_length(train.texts, coverage=0.99)

    def padding(L):
        return int((L - np.minimum(lengths, L)).sum())

    right = padding(long_) - padding(short)
    # Try 1 asks how many cells: an exact count from `lengths`. The table's rounded padding shares only give an
    # estimate (within 1 %), to check the count against, so an estimate is refused with a hint (review s8 item 8).
    if value is not None and float(value).is_integer() and int(value) == right:
        return True, ""
    if value is not None and abs(value - right) <= 0.01 * right:
        return False, ("close: that is what the table's rounded shares give; the question asks for the exact "
                       "count: sum L - min(length, L) over the reviews' `lengths`")
    if value is not None and _close(value, (long_ - short) * len(lengths), 0.5):
        return False, "a review longer than the shorter length fills some of the new positions with words, not zeros"
    if value is not None and value < 100:
        return False, "give a number of cells, not a change of share: the longer array also has more cells"
    return False, "padding cells at length L = sum over the reviews of L - min(length, L); compare the two lengths"


def _judge_02_2(answer):
    values = _numbers(answer, 2)
    if values is None or not float(values[0]).is_integer():
        return False, "give (real words in the vocabulary, out-of-vocabulary share of the validation tokens)"
    from sftkit import data, text

    splits = data.load_bundled("reviews")
    vocab = set(map(str, text.make_vectorizer(splits["train"].texts, max_tokens=50).get_vocabulary()))
    tokens = [tok for t in splits["val"].texts for tok in text.simple_tokens(t)]
    words = len(vocab - {text.PAD, text.UNK})
    share = sum(tok not in vocab for tok in tokens) / len(tokens)
    if int(values[0]) != words:
        return False, "max_tokens counts padding and [UNK] too" if int(values[0]) == words + 2 else \
            "count the vocabulary's entries other than '' and [UNK]"
    if _share(values[1], share, 5e-3):
        return True, ""
    if _share(values[1], 1 - share, 5e-3):
        return False, "that is the share of known tokens; the question asks for the unknown ones"
    return False, "out-of-vocabulary share = validation tokens not in the vocabulary / all validation tokens"


EXERCISE_02_3 = "The kettle is great."


def _judge_02_3(answer):
    values = _numbers(answer, 2)
    if not _whole(values):
        return False, "give two whole numbers: (steps that change the state at length 8, at length 24)"
    from sftkit import text

    right = (8, 24)                     # without a mask every position is read, padding or not
    real = len(text.simple_tokens(EXERCISE_02_3))
    got = tuple(int(v) for v in values)
    if got == right:
        return True, ""
    if got == (real, real):
        return False, ("that is the count with a mask, and unmasked(x) has none: count again, comparing the "
                       "state after each step with the one before it")
    return False, ("look at the state after every step: copy the LSTM's weights into keras.layers.LSTM(3, "
                   "return_sequences=True), run it on unmasked(x) and compare each step's state with the one before")


# lesson 03, Try 4: a model that ignores the text can still get below ln K on unbalanced data, by learning
# the class shares; the best constant prediction is the shares themselves (Gibbs' inequality), and its
# loss is their entropy. Two class counts the lesson never shows: (majority, minority).
EXERCISE_03_4 = ((300, 100), (400, 4))


def _entropy(counts) -> float:
    shares = np.asarray(counts, dtype=float) / np.sum(counts)
    return float(-np.sum(shares * np.log(shares)))


def _judge_03_4(answer):
    values = _numbers(answer, 2)
    if values is None:
        return False, "give two numbers: (lowest loss with 300 and 100, with 400 and 4)"
    right = [_entropy(c) for c in EXERCISE_03_4]
    if all(_rounded(v, r) for v, r in zip(values, right)):
        return True, ""
    if all(_rounded(v, math.log(2)) for v in values):
        return False, "ln 2 is what the uniform guess pays; with one class far more common, which constant " \
                      "probabilities would pay less on average?"
    if all(_rounded(v, r / math.log(10)) for v, r in zip(values, right)):
        return False, "close: cross-entropy uses the natural logarithm, not log base 10"
    if all(_rounded(v, max(c) / sum(c)) for v, c in zip(values, EXERCISE_03_4)):
        return False, "that is the accuracy of always answering the common class; the loss is the mean of " \
                      "-log(probability given to the true class)"
    return False, "with the same probabilities q for every review, the mean loss is -(share of class A) log q_A " \
                  "- (share of class B) log q_B; find the q that makes it smallest"


# lesson 04, Try 1: SGD(learning_rate=0.1) for the lesson's 8 epochs. Measured for this check on seeds
# 0, 1, 2 with the lesson's data and model: validation loss after epoch 8 = 0.661, 0.661, 0.665 (Adam: 0.29), and
# accuracy on the turned reviews 0.56, 0.48, 0.43, never above the bag of words' 0.57. The check accepts
# 0.62-0.70: within 0.07 of ln 2 and clear of every Adam run.
EXERCISE_04_1_RANGE = (0.62, 0.70)


def _judge_04_1(answer):
    value = _number(answer)
    low, high = EXERCISE_04_1_RANGE
    if value is not None and low <= value <= high:
        return True, ""
    if value is not None and 0 < value < low:
        return False, ("that is a model well past ln 2: rebuild it before you compile with SGD (compile keeps the "
                       "weights Adam trained), and pass keras.optimizers.SGD(learning_rate=0.1)")
    if value is not None and value > high:
        return False, "above the loss of knowing nothing: read val_loss after the 8th epoch of the SGD run"
    return False, "give the validation loss after epoch 8 of the SGD run (history['val_loss'][-1])"


# lesson 04, Try 3: the lesson's model trained for 20 epochs (Adam, batch 32). Measured for this check on seeds
# 0, 1, 2: lowest validation loss at epoch 9, 8, 9 (0.228, 0.182, 0.200), then it rises or wanders (0.285, 0.359,
# 0.247 at epoch 20) while the training loss falls to 0.007-0.027. The check accepts any epoch from 5 to 19 (a
# seed may turn later than these three; only the last epoch is refused, and the first few, where an untrained
# model's validation loss is still falling) and a lowest loss of 0.12-0.30, about 0.07 around the three seeds.
# The lesson's own run (seed 0) is the first 8 of these 20 epochs: it prints its lowest validation loss at epoch 6
# (0.261), and every validation loss it prints is above 0.255; the 20-epoch run from that start goes lower at
# epoch 9. So an answer at epoch 8 or before with a loss of 0.255 or more is a point of the 8-epoch run, not the
# lowest of 20 epochs, and is refused (review s8 item 11).
EXERCISE_04_3_RANGE = {"epoch": (5, 19), "loss": (0.12, 0.30), "epochs": 20, "lesson_epochs": 8,
                       "lesson_lowest_above": 0.255}


def _judge_04_3(answer):
    values = _numbers(answer, 2)
    if values is None or not float(values[0]).is_integer():
        return False, "give (the epoch counting from 1 whose validation loss is lowest, that validation loss)"
    r = EXERCISE_04_3_RANGE
    epoch, loss = int(values[0]), values[1]
    if epoch == r["epochs"]:
        return False, "the last epoch is not the best one: find the smallest entry of history['val_loss']"
    if epoch <= r["lesson_epochs"] and loss >= r["lesson_lowest_above"] and r["loss"][0] <= loss <= r["loss"][1]:
        return False, ("that matches the lesson's 8-epoch run above, not a 20-epoch one: rebuild and compile the "
                       "model, train it for 20 epochs, and take the lowest of all 20 validation losses")
    if r["epoch"][0] <= epoch <= r["epoch"][1] and r["loss"][0] <= loss <= r["loss"][1]:
        return True, ""
    if loss < r["loss"][0]:
        return False, "that is a training loss; the losses part ways where the *validation* loss is lowest"
    return False, ("outside what the course measured on three seeds: check that you rebuild and compile the model "
                   "before the 20 epochs (fit continues from the weights it already has) and read val_loss, not loss")


EXERCISES.update({e.id: e for e in [
    Exercise("00.1", "the integer labels y of the four examples once the last one is labelled 'invoice'",
             "a list of four integer labels", _judge_00_1),
    Exercise("00.3", "the share of the pretrained classifier's weights that is trained with only the embedding frozen",
             "a number (fraction or %)", _judge_00_3),
    Exercise("01.2", "the largest whole s for which log-softmax of [s, 0] without the shift is finite, in float64 and "
             "in float32", "(float64, float32)", _judge_01_2),
    Exercise("01.3", "dL/dz for logits z = (2, 1, 0.1) and a target t = (0.2, 0.8, 0.4) that adds up to 1.4",
             "(three numbers)", _judge_01_3),
    Exercise("02.1", "how many more padding cells the 4,000 training rows hold at coverage=0.99's length than at 24",
             "a whole number of cells", _judge_02_1),
    Exercise("02.2", "a vectorizer with max_tokens=50: real words in its vocabulary, out-of-vocabulary share of the "
             "validation tokens", "(words, share)", _judge_02_2),
    Exercise("02.3", "positions of the row of 'The kettle is great.' (words and padding) that change the LSTM's "
             "state with unmasked(x), at length 8 and 24",
             "(steps at 8, steps at 24)", _judge_02_3),
    Exercise("03.4", "the lowest loss of a model that gives every text the same probabilities, with 300 and 100 "
             "texts of two classes and with 400 and 4", "(loss with 300/100, loss with 400/4)", _judge_03_4),
    Exercise("04.1", "validation loss after 8 epochs of the lesson's model trained with SGD(learning_rate=0.1)",
             "a number", _judge_04_1),
    Exercise("04.3", "the lesson's model trained for 20 epochs: the epoch of the lowest validation loss, and that loss",
             "(epoch, validation loss)", _judge_04_3),
]})

# ----------------------------------------------------------------------------- lessons 09 and 10: from the bundled pool
# These judges compute the right value from the bundled pool, its truth file and the shipped
# selection cache (data/selection/pool_scores.csv, reference_scores.csv) with the library's
# own functions, as the lessons do; nothing trains, and what they load is loaded once.


@functools.lru_cache(maxsize=1)
def _pool():
    from sftkit.selection import experiment

    pool, truth = experiment.load_pool()
    return pool, truth


@functools.lru_cache(maxsize=1)
def _pool_cache():
    """(class indices y, the last trusted round's probabilities, the pool-alone ones, the cached domain scores)."""
    from sftkit.data import data_dir
    from sftkit.finetune import encode_labels
    from sftkit.selection import domain, experiment, strategies

    pool, _ = _pool()
    c = experiment.read_columns(data_dir() / "selection" / "pool_scores.csv")
    ref = experiment.read_columns(data_dir() / "selection" / "reference_scores.csv")
    rounds = 0
    while f"trusted{rounds + 1}_{pool.classes[0]}" in c:
        rounds += 1
    last = experiment.stack_proba(c, f"trusted{rounds}", pool.classes)
    alone = experiment.stack_proba(c, "oof", pool.classes)
    cut = domain.threshold_from(ref["ce_in_domain"] - ref["ce_general"], strategies.DOMAIN_QUANTILE)
    dom = domain.domain_scores(c["ce_in_domain"] - c["ce_general"], threshold=cut)
    return encode_labels(pool.labels, pool.classes), last, alone, dom


@functools.lru_cache(maxsize=4)
def _dedup_counts(threshold: float) -> tuple[int, int]:
    """Lesson 09 section 3 at ``threshold``: (rows dropped, dropped review rows that are one of a true pair)."""
    from sftkit.selection import strategies

    pool, truth = _pool()
    status = truth["status"]
    index = {i: n for n, i in enumerate(pool.ids)}
    partner = {}
    for n, d in enumerate(truth["duplicate_of"]):
        if status[n] == "duplicate":
            partner[n], partner[index[d]] = index[d], n
    dd = strategies.score("dedup", pool, threshold=threshold)
    group = dd.extra["group"]
    removed = np.flatnonzero(dd.drop & np.isin(status, ["clean", "flipped", "duplicate"]))
    right = sum(i in partner and group[partner[i]] == group[i] for i in removed)
    return int(dd.drop.sum()), int(right)


def _judge_09_3(answer):
    from sftkit.selection import strategies

    values = _numbers(answer, 2)
    if not _whole(values):
        return False, ("give two whole numbers: (rows dropped at threshold 0.7, dropped review rows that are one of a "
                       "true pair)")
    got = tuple(int(v) for v in values)
    right = _dedup_counts(0.7)
    if got == right:
        return True, ""
    if got == _dedup_counts(strategies.DEDUP_THRESHOLD):
        return False, "those are the counts at the default threshold; pass threshold=0.7 to strategies.score"
    if got[0] == right[0]:
        return False, ("the drop count is right; now count, as section 3's code does, the dropped review rows whose "
                       "true partner sits in the same group")
    return False, ("a lower threshold groups more pairs: run strategies.score('dedup', pool, threshold=0.7) and count "
                   "its drop flags")


def _judge_09_4(answer):
    from sftkit.selection import noisy

    value = _number(answer)
    if value is None or not float(value).is_integer():
        return False, "give a whole number: systematic flips the rule does not flag"
    pool, truth = _pool()
    y, last, alone, _ = _pool_cache()
    systematic = (truth["status"] == "flipped") & (truth["detail"] == "systematic")

    def missed(probs, rule):
        return int((systematic & ~noisy.find_label_issues(y, probs, filter_by=rule)).sum())

    if int(value) == missed(last, "predicted_neq_given"):
        return True, ""
    if int(value) == int(systematic.sum()) - missed(last, "predicted_neq_given"):
        return False, "that many systematic flips are found; the question asks how many are missed"
    if int(value) in {missed(last, rule) for rule in noisy.FILTER_BY}:
        return False, "the command with --trusted flags with filter_by='predicted_neq_given', not another rule"
    if int(value) == missed(alone, "predicted_neq_given"):
        return False, "those are the pool-alone probabilities; use the last trusted round"
    return False, "count the systematic flips (detail 'systematic') that the rule on the last trusted round leaves unflagged"


def _clean_share_at_1000(*names: str) -> float:
    """Lesson 10 section 3's composition restricted to ``names``: clean share of the best 1,000 rows."""
    from sftkit.selection import combine, noisy, select

    pool, truth = _pool()
    _, last, _, dom = _pool_cache()
    parts = dict(_filter_parts())
    parts["noisy"] = noisy.noisy_label_scores(pool.labels, last, filter_by="predicted_neq_given")
    parts["domain"] = dom
    kept = select(combine(*(parts[n] for n in names), method="pipeline"), 1000).kept
    return float(np.mean(truth["status"][kept] == "clean"))


@functools.lru_cache(maxsize=1)
def _filter_parts():
    from sftkit.selection import strategies

    return tuple(strategies.score("filter", _pool()[0]).extra["parts"].items())


def _judge_10_3(answer):
    value = _number(_percent_string(answer))
    if value is None:
        return False, "give the share of clean rows among the 1,000 best-ranked rows, a fraction or a percentage"

    def near(right):
        return _rounded(value, right) or _rounded(value / 100, right)

    if near(_clean_share_at_1000("noisy", "domain")):
        return True, ""
    if near(_clean_share_at_1000("quality", "dedup", "noisy", "domain")):
        return False, "that is the four-part pipeline of section 3; combine only the noisy and domain parts"
    if near(_clean_share_at_1000("noisy")) or near(_clean_share_at_1000("domain")):
        return False, "that ranks by one part alone; pass both the noisy and the domain part to combine"
    return False, ("combine(parts['noisy'], parts['domain'], method='pipeline'), keep select(..., 1000).kept and "
                   "take the share of those rows whose status is 'clean'")


EXERCISES.update({e.id: e for e in [
    Exercise("09.3", "dedup at threshold 0.7 on the pool: rows dropped, and dropped review rows that are one of a "
             "true pair", "(rows dropped, of them review rows in a true pair)", _judge_09_3),
    Exercise("09.4", "systematic flips the command's --trusted rule (predicted_neq_given) misses on the last "
             "trusted round", "a whole number", _judge_09_4),
    Exercise("10.3", "clean share of the 1,000 best rows when the pipeline ranks by the noisy and domain parts only",
             "a number (fraction or %)", _judge_10_3),
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
