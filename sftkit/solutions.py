"""Worked solutions of the lessons' checked exercises, for instructors (kept apart from the lessons).

Each entry: the right ``answer`` in one accepted form, the ``working`` that gets there,
and a typical ``wrong`` answer (what the hint is written for). ``tests/test_exercises.py``
runs every check with both; ``sftkit lessons copy DIR --solutions`` writes them as
``SOLUTIONS.md`` beside the lessons. A check never prints these.
"""
from __future__ import annotations

import math

import numpy as np
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Solution:
    answer: Any
    working: str
    wrong: Any


SOLUTIONS: dict[str, Solution] = {
    "00.2": Solution(400 / 404, "The model is right on the 400 spam and wrong on the 4 ham: 400 / 404 = 0.990. "
                     "It never finds a ham, which is why accuracy alone is useless on imbalanced data.", 4 / 404),
    "01.1": Solution((-math.log(0.3), -math.log(0.95)),
                     "L = -ln p of the true class: -ln 0.3 = 1.204, -ln 0.95 = 0.051.", (0.3, 0.95)),
    "01.4": Solution((-math.log(1e-3), 0.0), "Clipped probabilities are at least 1e-3, so the loss is at most "
                     "-ln 1e-3 = 6.908. But clip(p) does not move when p, already below eps, moves, so a confidently "
                     "wrong example (p = 0 for its true class) gets a gradient of exactly zero through the clip, not "
                     "-1/eps = -1000: training never corrects it. A loss computed from the logits has no clip.",
                     (-math.log(1e-3), -1 / 1e-3)),
    "01.5": Solution(math.log(5), "An untrained softmax gives each of 5 classes about 1/5: -ln(1/5) = ln 5 = 1.609.",
                     0.2),
    "02.4": Solution((8, 7), "list() gives 8 tokens (7 characters and the full-width '！'); the other text differs "
                     "only in 好/难, so 7 tokens are shared.", (7, 7)),
    "03.1": Solution((503 * 64, 4 * (96 * (64 + 96) + 96), 96 * 2 + 2),
                     "Embedding V*d = 32,192 (unchanged); LSTM 4(u(d+u)+u) = 4(96*160+96) = 61,824; softmax layer "
                     "uK + K = 194. (Lessons 00 and 05 print the counts for u = 128, the language model's size: "
                     "98,816 and 258.)", (32192, 49536, 194)),
    "03.2": Solution(2 * 4 * (64 * 128 + 64), "Two LSTMs (forward and backward), each 4(64*128+64) = 33,024: 66,048.",
                     33024),
    "03.3": Solution(246 / 500 * (10 + math.log1p(math.exp(-10))) + 254 / 500 * math.log1p(math.exp(-10)),
                     "With a zero kernel every review's logits are the bias (5, -5): p(negative) = 1/(1 + e^-10), "
                     "p(positive) = 1/(1 + e^10). A negative review pays -ln p(negative) = 0.00005, a positive one "
                     "-ln p(positive) = 10.00005; the mean over 254 + 246 reviews is 246/500 * 10.00005 + "
                     "254/500 * 0.00005 = 4.920, and with the kernel zero evaluate gives that same number. "
                     "Training starts from a confident, wrong answer for half the reviews.", math.log(2)),
    "04.2": Solution((500, 16), "ceil(4000/8) = 500 steps; ceil(4000/256) = 16 (15 full batches and one of 160).",
                     (500, 15)),
    # lesson 11 (中文文本分类)
    "11.1": Solution((0.02 - 4.302653 * 0.01 / math.sqrt(3), 0.02 + 4.302653 * 0.01 / math.sqrt(3)),
                     "Mean of the differences 0.02, sample standard deviation (ddof=1) 0.01, standard error "
                     "0.01 / sqrt(3) = 0.00577; t(0.975, 2) = 4.303, so the half-width is 0.0248 and the interval "
                     "[-0.005, +0.045]. It contains 0: three positive differences are not enough when t has 2 "
                     "degrees of freedom.", (0.02 - 1.96 * 0.01 / math.sqrt(3), 0.02 + 1.96 * 0.01 / math.sqrt(3))),
    "11.2": Solution((201, 13), "text.token_lengths(train.texts, 'chars+bigrams') > 32 for 201 of the 500 reviews "
                     "(c characters give 2c - 1 tokens: every review of 17 characters or more); the characters come "
                     "first, so only the 13 reviews of more than 32 characters lose characters, the others only "
                     "bigrams.", (201, 201)),
    "11.3": Solution((2, 7), "jieba: 南京市 / 长江大桥 (2 tokens; not the famous wrong cut 南京 / 市长 / 江大桥); "
                     "chars: one token per character, 7.", (3, 7)),
    "11.4": Solution((4, 7), "chars: iphone 很 好 用 (the Latin run stays one token after lower-casing, the full-width "
                     "'！' is punctuation and dropped) = 4; chars+bigrams adds the 3 neighbouring pairs iphone很 很好 "
                     "好用 = 7.", (9, 17)),
    "11.5": Solution(11, "chars+bigrams gives 30 characters followed by 29 bigrams = 59 tokens; 48 are kept, the "
                     "last 11 bigrams are cut (all characters survive). The 95th-percentile length of the tokens, "
                     "not of the characters, is what sequence_length must cover.", 0),
    "11.6": Solution(497 / 500, "Split on white space, a Chinese review is one token, the whole review. It is in the "
                     "vocabulary only if the same review occurred in training: 3 of 500 are known, 497 / 500 = 0.994 "
                     "of the validation tokens are [UNK].", 3 / 500),
    # lesson 06: fine-tuning
    "06.1": Solution((2.0, 0.002), "The embedding is two levels below the head, so it learns at "
                     "0.004 / f**2. Setting that to 0.001 gives f**2 = 4, f = 2. The LSTM is one level below: "
                     "0.004 / 2 = 0.002. (The lesson's multipliers are for the default 2.6; this asks the rule "
                     "backwards.)", (4.0, 0.001)),
    "06.2": Solution((40, 17, 10), "ceil(4000 / 80) = 50, cut to the ceiling of 40; ceil(4000 / 240) = "
                     "ceil(16.7) = 17, inside the range 10 to 40 (16 epochs would see only 3,840 examples); "
                     "ceil(4000 / 600) = ceil(6.7) = 7, raised to the floor of 10. Early stopping may end a run "
                     "sooner.", (50, 17, 7)),
    "06.3": Solution((4 * (96 * (64 + 96) + 96) + 96 * 3 + 3, 5000 * 64),
                     "At 100 labels the recipe takes the embedding and the LSTM from the model and freezes the "
                     "embedding: frozen 5,000 * 64 = 320,000; trained: the LSTM 4(96 * 160 + 96) = 61,824 and "
                     "the softmax layer 96 * 3 + 3 = 291, together 62,115 (under a sixth of all 382,115).",
                     (382115, 0)),
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
    # lessons 09 and 10: cleaning and selection
    "09.1": Solution(50 / 80, "The union holds 60 + 70 - 50 = 80 distinct shingles: Jaccard = 50 / 80 = 0.625, below "
                     "the default threshold 0.8, so dedup keeps both texts.", 50 / 130),
    "09.2": Solution((1, 3), "Thresholds: t_0 = mean p(class 0) over the rows labelled 0 = (0.45 + 0.1) / 2 = 0.275; "
                     "t_1 = mean p(class 1) over the rows labelled 1 = (0.95 + 0.45) / 2 = 0.7. Row 0: p(1) = 0.55 < "
                     "0.7, p(0) = 0.45 >= 0.275, so it is confidently 0, its label. Row 1: p(1) = 0.9 >= 0.7, p(0) = "
                     "0.1 < 0.275: confidently 1, labelled 0: flagged. Row 2: confidently 1, its label. Row 3: p(0) = "
                     "0.55 >= 0.275, p(1) = 0.45 < 0.7: confidently 0, labelled 1: flagged. Step 5 unflags neither (in both "
                     "rows the label is the less probable class). Flagged: rows 1 and 3. "
                     "The 0.5 cut (argmax differs from the label) would also flag row 0.", (0, 1, 3)),
    "10.1": Solution((0, 3, 1, 2), "Start at 0. Farthest from {0}: 9 (index 3). Distances to the nearest chosen "
                     "point are then 5 -> 4, 6 -> 3: pick 5 (index 1), then 6 (index 2).", (0, 3, 2, 1)),
    "10.2": Solution((1,), "H_in - H_general = -0.3, +0.4, -0.1, +0.05. Only row 1 is above the cut 0.1 (row 3 is "
                     "above zero but below the cut).", (0,)),
    # lessons 09 and 10, from the bundled pool (their judges recompute these from the shipped files)
    "09.3": Solution((1411, 777), "strategies.score('dedup', pool, threshold=0.7) drops 1,411 rows (1,098 at the "
                     "default 0.8). Of the 875 review rows it drops, 777 are one of a true pair (0.888, against 0.977 "
                     "at 0.8): a lower threshold finds more pairs and also groups reviews that only share a template.",
                     (1098, 726)),
    "09.4": Solution(116, "flags = noisy.find_label_issues(y, rounds[-1], filter_by='predicted_neq_given') flags 884 "
                     "of the 1,000 systematic flips, so 116 escape even the last trusted round "
                     "((flipped & (detail == 'systematic') & ~flags).sum()). confident_learning on the same "
                     "probabilities misses 166.", 884),
    "10.3": Solution(0.874, "combine(parts['noisy'], parts['domain'], method='pipeline') keeps 6,575 rows; the best "
                     "1,000 are 0.874 clean, against 0.923 for the four-part pipeline. Quality and dedup only drop, "
                     "but what they drop (junk, copies of templated off-domain texts) otherwise competes for the "
                     "top ranks.", 0.923),
}


# ----------------------------------------------------------------------------- lessons 05, 07, 08
# Their judges compute the right value from the shipped model, data and runs; these answers
# are what that gives today (a test fails if a shipped file changes under them).
SOLUTIONS.update({
    "05.1": Solution((13, 5.590 / 3.355, math.log(5.590 / 3.355)),
                     "lm.history['val_perplexity'] is lowest at epoch 13 (3.355; it then creeps up to 3.376 at "
                     "epoch 20, so the last epoch is not the best). Epoch 2 had 5.590: a factor 1.666, and since "
                     "perplexity = exp(cross-entropy), a fall of ln 1.666 = 0.511 nats, which is the difference of "
                     "the two val_loss entries (1.721 - 1.210).", (20, 5.590 / 3.376, 0.5)),
    "05.2": Solution((2, 1), "monday's neighbours: sunday, simmer, saturday, later, take: two days. adore's: "
                     "cherish, like, enjoy, love, hate: one negative word. Verbs of liking and hating take the same "
                     "places in a sentence ('i ... this kettle'), so next-word prediction puts them close; the "
                     "polarity the adjectives kept (section 7) is not guaranteed for every word.", (2, 4)),
    "05.3": Solution((-0.1078 + 0.0926, -0.0719 + 0.0926, 0.1182 + 0.0926, 0),
                     "The neutral 'the kettle is here. the lid is' leans -0.093: with no opinion at all the model "
                     "already expects a negative adjective a little more often, so a lean's sign alone says nothing. "
                     "Relative to it: i love it -0.015, it broke +0.021, great, but +0.211. None moves the way the "
                     "sentence does: 'i love it.' leaves the model where a sentence with no opinion does (other "
                     "neutral sentences range from -0.144 to -0.093), 'it broke' nudges it towards praise, and after "
                     "'great, but' it leans strongly positive although 'but' announces a contrast. It follows the "
                     "polarity of the words it has read in the same sentence, not the structure of the review.",
                     (-0.1078, -0.0719, 0.1182, 1)),
    "05.4": Solution((7, 7, 1), "Every German word is outside the English vocabulary, so all 7 tokens are [UNK] "
                     "(id 1); the Chinese sentence has no spaces, so the word tokenizer makes one token of it, also "
                     "[UNK]. The model then predicts [UNK] after [UNK], which it rarely saw: a huge perplexity.",
                     (7, 0, 7)),
    "07.1": Solution((5, 3), "Early stopping on seed 0 trained 5 epochs of 15 (the shipped runs). The same seed "
                     "gives the same data, weights and shuffles, so with epochs=30 it stops at the same epoch 5: "
                     "validation loss last improved at epoch 3 and patience=2 allowed two more; "
                     "restore_best_weights keeps epoch 3. A larger budget changes nothing for early stopping.",
                     (30, 28)),
    "07.2": Solution((1 - 39 / 400, 1 - 158 / 400),
                     "add_noise(clean400, 0.1, 0) flips 39 of 400 labels, and 0.4 flips 158: a model right about "
                     "every review agrees with 361/400 = 0.9025 and 242/400 = 0.605 of the noisy labels. Training "
                     "accuracy above that line is memorised noise.", (0.9, 0.6)),
    "07.3": Solution((450, 15), "150 originals + 2 x 150 copies = 450 texts per epoch; ceil(450 / 32) = 15 steps "
                     "(14 full batches and one of 2). Each epoch costs three times as much.", (300, 10)),
    "07.4": Solution((5, 2), "augment.embedding_neighbours(load_shipped(), k=5)('detest') gives resent, loathe, "
                     "hate, like, cherish: two of the five are positive, so 'i detest it' may become 'i like it' "
                     "with its negative label: the synonym method can add label noise of its own.", (5, 3)),
    "07.5": Solution((0.682 - 0.754, 0.676 - 0.746, 0.748 - 0.714, 0),
                     "From the shipped rows: seed 0, L2 0.682 against early stopping 0.754 (-0.072); seed 1, 0.676 "
                     "against 0.746 (-0.070); seed 2, 0.748 against 0.714 (+0.034). Worse on two seeds, better on "
                     "one: mixed across seeds, verdict 0, although the mean difference is clearly negative. The rule "
                     "asks every seed to agree before it claims anything; with three seeds it cannot say more. The "
                     "same comparison, made for a combined remedy against each remedy alone, answers Try 5.",
                     (0.682 - 0.754, 0.676 - 0.746, 0.748 - 0.714, -1)),
    "08.1": Solution((34 / 35, 34 / 37),
                     "On the first 250 validation messages (28 spam) the lowest threshold with precision >= 0.95 is "
                     "about 0.582 among their predicted probabilities (precision 0.963 there). On the last 250 (37 "
                     "spam) it flags 35 messages, 34 of them spam: precision 0.971 and recall 34/37 = 0.919. The "
                     "promise held, but one more false alarm among 35 flags would have broken it. A 0.01 grid finds "
                     "0.57 instead: it flags the same first 250 messages (none of them lies between 0.562 and 0.582) "
                     "but two more of the last 250, both ham: precision 34/37 = 0.919, below the promise (the check "
                     "accepts both answers). The same rule on the same first half, and the promise holds or breaks "
                     "depending on where between two messages the cut falls: a constraint met on a few dozen spam "
                     "messages holds on new messages only approximately. The test set is not needed for this: a "
                     "split of validation answers it, and the test set stays scored once.", (0.95, 0.963)),
    "08.2": Solution((0.13, 0.5 * 2 * 0.13 / 1.13),
                     "Answering 'spam' to all 500 validation messages: accuracy 65/500 = 0.130. Spam: precision "
                     "0.13, recall 1, F1 2 x 0.13 / 1.13 = 0.230; ham: F1 0. Macro F1 = 0.115. Both useless rules "
                     "get a macro F1 of at most one half, whatever their accuracy (all-ham's is 0.870): report macro "
                     "F1 or the spam class's figures, because accuracy rewards a filter that catches nothing.",
                     (0.87, 0.465)),
    "08.3": Solution((10, 48), "Without --test, sftkit train splits 300 test messages off train.csv and trains on "
                     "2,700; it prints '[3/5] fine-tune: up to 10 epochs': the default budget, ceil(4000 / 2700) = 2 "
                     "epochs raised to the floor of 10. report.md gives sequence length 48: the spam messages are "
                     "short, so the length that follows the data stays at its floor of 48. report.json's threshold "
                     "says 'chosen_on': validation, the 500 messages of val.csv. The bundled test file was not "
                     "given, so it stays scored once (lesson 08, section 7).", (40, 48)),
    "08.4": Solution((1.0, 10),
                     "The baseline's validation spam F1 at argmax is 0.924 on all messages; without the 25 "
                     "shared-template messages (7 of them spam) it is 1.000, and all 10 of its errors are shared "
                     "messages: every one of its mistakes was a message that is spam from one sender and ham from "
                     "another. With no errors left the bootstrap interval collapses to a point: the remaining "
                     "uncertainty is in the ambiguous messages.", (0.924, 10)),
    "08.5": Solution(5 / 6, "Flag when P(spam) x 1 > (1 - P(spam)) x 5, i.e. P(spam) > 5/6 = 0.833. This holds "
                     "only if P(spam) is calibrated (of the messages given 0.8, eight in ten are spam); otherwise "
                     "choose the threshold on validation by the costs themselves.", 1 / 6),
})


# ----------------------------------------------------------------------------- lessons 00-04: every "Try this" item checked
# (issue 16) 00.2 and 02.4 above were 00.4 and 02.5 before the open items moved to "Explore" lists.
SOLUTIONS.update({
    "00.1": Solution((2, 0, 2, 1), "label_names = sorted({'spam', 'ham', 'invoice'}) = ['ham', 'invoice', 'spam'], "
                     "so ham = 0, invoice = 1, spam = 2 and y = [2, 0, 2, 1]: three classes, and spam's id moved from 1 "
                     "to 2. Ids come from sorted names, so adding a class can renumber the old ones: a saved model "
                     "must keep its list of class names beside it.", (1, 0, 1, 2)),
    "00.3": Solution(99074 / 252162, "Freezing the embedding removes V x d = 2,392 x 64 = 153,088 of the 252,162 "
                     "weights; the LSTM (98,816) and the softmax layer (258) still learn: 99,074 / 252,162 = 0.393.",
                     153088 / 252162),
    "01.2": Solution((709, 88), "Without the shift the formula needs exp(s) itself. float64's largest number is "
                     "about 1.8e308 = e^709.8, so exp(709) is finite and exp(710) is inf; float32's is about 3.4e38 = "
                     "e^88.7, so 88. With s = 1000 the sum is inf, log(inf) = inf, and z - inf gives -inf in both "
                     "entries: no probability survives. Subtracting the largest logit makes every exp at most 1.",
                     (710, 89)),
    "01.3": Solution(tuple(1.4 * np.exp([2.0, 1.0, 0.1]) / np.exp([2.0, 1.0, 0.1]).sum() - np.array([0.2, 0.8, 0.4])),
                     "L = -sum_i t_i z_i + (sum_i t_i) log sum_k e^{z_k}, so dL/dz_j = (sum_i t_i) p_j - t_j = 1.4 p - t "
                     "= (0.723, -0.461, -0.262). For a soft label that is a distribution (sum 1, e.g. [0.1, 0.8, 0.1]) "
                     "it is still p - t; the derivation used only that sum.",
                     tuple(np.exp([2.0, 1.0, 0.1]) / np.exp([2.0, 1.0, 0.1]).sum() - np.array([0.2, 0.8, 0.4]))),
    "02.1": Solution(31236, "coverage=0.99 suggests 32. Padding cells: sum of L - min(length, L) over the 4,000 "
                     "reviews: 41,267 at 24 and 72,503 at 32, 31,236 more (the table's shares give 0.566 x 128,000 - "
                     "0.430 x 96,000 = 31,168). Not 8 x 4,000: the 180 reviews longer than 24 fill some new positions "
                     "with words. For 153 more reviews kept whole the LSTM steps through 76 % more padding.", 32000),
    "02.2": Solution((48, 3333 / 7189), "max_tokens=50 keeps padding, [UNK] and the 48 most frequent training "
                     "words (function words such as the, is, it, and, not, but, and a few frequent sentiment words). "
                     "3,333 of the 7,189 validation tokens are then [UNK]: 0.464.", (50, 3333 / 7189)),
    "02.3": Solution((8, 24), "unmasked(x) makes no mask, so the LSTM reads all 8, then all 24 positions: the 4 "
                     "real words and then 4 or 20 padding vectors, each changing its state. The final states differ, "
                     "same_with_mask becomes False, and `assert same_with_mask and not same_without_mask` fails.",
                     (4, 4)),
    "04.1": Solution(0.661, "With SGD(learning_rate=0.1) the validation loss after 8 epochs is still about 0.66 "
                     "(seeds 0-2: 0.661 to 0.665), barely under ln 2 = 0.693; Adam reached about 0.29. Accuracy on the "
                     "turned reviews stays at or below the bag of words' (0.43 to 0.56): the model has not even reached "
                     "the word-counting stage. Plain gradient steps scale with the gradient, and an LSTM's gradients "
                     "are small at the start; Adam's steps are about eta whatever their size (section 2).", 0.29),
    "04.3": Solution((9, 0.2275), "From the top with seed 0 (its first 8 epochs are the lesson's run), the "
                     "validation loss is lowest at epoch 9 (0.228; seeds 1 and 2: epoch 8, 0.182 and epoch 9, 0.200). "
                     "After it the training loss keeps falling to about 0.01 while the validation loss wanders up "
                     "(0.285 at epoch 20): the model grows ever more confident on the training reviews, and the few "
                     "validation reviews it gets wrong cost more and more. Validation accuracy stays about flat "
                     "(0.93-0.95): accuracy counts mistakes, the loss also prices confidence. Keep the epoch-9 "
                     "weights (restore_best_weights, lesson 07).", (20, 0.2851)),
    "03.4": Solution((-(0.75 * math.log(0.75) + 0.25 * math.log(0.25)),
                      -(400 / 404 * math.log(400 / 404) + 4 / 404 * math.log(4 / 404))),
                     "Giving every text the probabilities (q, 1 - q) costs -(f log q + (1 - f) log(1 - q)) on "
                     "average, with f the share of the first class; it is smallest at q = f (set the derivative "
                     "-f/q + (1 - f)/(1 - q) to zero), and the least loss is the entropy of the class shares: "
                     "-(0.75 ln 0.75 + 0.25 ln 0.25) = 0.562 for 300/100, and 0.056 for 400/4. Both are below "
                     "ln 2 = 0.693 without reading a word: on unbalanced data a first epoch's loss below ln K can "
                     "mean the model has learned only the class shares (a constant bias in the softmax layer). "
                     "Compare the loss with this entropy, not only with ln K.", (math.log(2), math.log(2))),
})


def as_markdown() -> str:
    """All worked solutions as one Markdown document (``SOLUTIONS.md``)."""
    from sftkit.exercises import EXERCISES

    lines = ["# Worked solutions of the checked exercises", "",
             "For instructors. `check(id, answer)` in the lessons accepts these answers.", ""]
    for key, ex in EXERCISES.items():
        sol = SOLUTIONS[key]
        lines += [f"## {key}: {ex.asks}", "", f"Answer ({ex.form}): `{sol.answer!r}`", "", sol.working, ""]
    return "\n".join(lines)
