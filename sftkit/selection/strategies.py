"""The data-selection strategies by name: the one definition everything calls.

``sftkit select --strategy NAME``, ``benchmarks/selection.py`` and the lessons all score
rows through :func:`score` (or the functions in :data:`REGISTRY` directly), so a figure
the benchmark prints for a strategy is a figure of the command a user runs. Each
strategy is a function ``(data, *, settings...) -> Scores`` of a
:class:`~sftkit.data.LabelledTexts`; every setting has one default, the constants below.

=============  ==============================================================================
name           what it does
=============  ==============================================================================
``dedup``      drop exact and near-duplicates (MinHash LSH), keep the first of each group
``quality``    drop empty, too short or long, junk-character, repetitive and boilerplate texts
``filter``     ``dedup`` and ``quality`` together (no model; seconds)
``noisy``      confident learning on K-fold out-of-fold probabilities; with a trusted set,
               rounds that each train without the rows the round before flagged
``domain``     Moore-Lewis cross-entropy difference against in-domain texts
``diversity``  greedy k-center on a classifier's sentence embeddings (rank only)
``random``     a seeded random order (the baseline every strategy must beat)
``pipeline``   ``filter``; then ``noisy`` trained without the rows the filter drops; then
               ``domain`` if in-domain texts are given
=============  ==============================================================================
"""
from __future__ import annotations

import hashlib
import inspect
import numbers
from collections import Counter
from typing import Callable

import numpy as np

from sftkit.selection.base import Scores, combine

# ----------------------------------------------------------------------------- the settings, once

DEDUP_THRESHOLD = 0.8   # Jaccard similarity of character n-gram sets (5 characters; 2 in Chinese) at which two texts are near-duplicates
FOLDS = 5               # K of the out-of-fold probabilities
EPOCHS = 8              # epochs of every model trained while scoring (fixed: no validation set, no early stop)
TRUSTED_ROUNDS = 4      # rounds of out-of-fold training when a trusted set is given (1 without one)
#: The domain cut: a row is off-domain when its cross-entropy difference is above this
#: quantile of held-out in-domain texts. 0.95, not 0.99: with the usual few hundred
#: held-out texts, the 99th percentile rests on the top handful of them (4 of 400) and
#: moves a lot with the draw, while the 95th rests on 20. It also says plainly what the
#: cut costs: about 5% of in-domain rows are dropped with the off-domain ones.
DOMAIN_QUANTILE = 0.95
DOMAIN_HELD_OUT = 0.2   # share of the in-domain texts held out from the adaptation to set the cut
MIN_IN_DOMAIN = 20      # fewer in-domain texts cannot both adapt a language model and set a cut
#: A text is scored by the domain strategy only when at least this share of its tokens (and
#: at least two) are in the language model's vocabulary; the others are "unscorable": under
#: both models they are mostly the one token [UNK], which says nothing about their domain.
DOMAIN_MIN_KNOWN = 0.5
#: The domain strategy refuses to run when more than this share of the rows, or of the
#: in-domain texts, is unscorable: the general language model does not fit those texts.
DOMAIN_MAX_UNSCORABLE = 0.5
#: Below this share of known words in the rows or the in-domain texts (but not refused), the
#: domain strategy warns that the scores rest on a part of the words only.
DOMAIN_WARN_KNOWN = 0.8
#: Fewer held-out in-domain texts than this, and the domain strategy says its cut is rough:
#: the 95% point of 100 texts rests on their top 5.
DOMAIN_RELIABLE_HELD_OUT = 100
#: The largest seed: numpy's and Keras's seeds are 32-bit. The noisy step seeds its fold
#: models ``seed + round + fold``, so there the seed must leave room for those.
SEED_MAX = 2**32 - 1


_ADAPTED: dict = {}  # (general LM, seed, digest of the adaptation texts) -> (general, adapted LM)


def _config_error(name: str, requirement: str, value):
    from sftkit.config import ConfigError

    return ConfigError("select", name, requirement, value)


def _is_int(v) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def check_settings(name: str, **settings) -> None:
    """Refuse a setting of strategy ``name`` outside its range, before any work is done.

    Every strategy calls it first, and ``sftkit select`` calls it before it reads the
    data, so a bad flag costs no scoring time.

    Parameters
    ----------
    name : str
        A strategy of :data:`REGISTRY`.
    **settings
        Any of ``threshold`` (a number in (0, 1]), ``folds`` (an integer >= 2), ``epochs``
        (an integer >= 1), ``rounds`` (None or an integer >= 1), ``seed`` (an integer in
        [0, :data:`SEED_MAX`]; for noisy and pipeline at most ``SEED_MAX`` minus
        ``rounds - 1 + folds - 1``, the largest seed a fold model gets) and ``trusted``
        (only to know the default rounds). Missing settings are not checked.

    Raises
    ------
    ConfigError
        The first setting out of range, with its requirement.
    """
    threshold = settings.get("threshold")
    if threshold is not None and (isinstance(threshold, (bool, np.bool_)) or not isinstance(threshold, numbers.Real)
                                  or not 0 < threshold <= 1):
        raise _config_error("threshold", "in (0, 1]", threshold)
    for key, low in (("folds", 2), ("epochs", 1), ("rounds", 1)):
        v = settings.get(key)
        if v is not None and (not _is_int(v) or v < low):
            raise _config_error(key, f"an integer >= {low}", v)
    seed = settings.get("seed")
    if seed is None:
        return
    if not _is_int(seed) or not 0 <= seed <= SEED_MAX:
        raise _config_error("seed", f"an integer in [0, {SEED_MAX}]", seed)
    if name in ("noisy", "pipeline"):
        folds = settings.get("folds") or FOLDS
        rounds = settings.get("rounds") or (TRUSTED_ROUNDS if settings.get("trusted") is not None else 1)
        room = (rounds - 1) + (folds - 1)
        if seed > SEED_MAX - room:
            raise _config_error("seed", f"an integer in [0, {SEED_MAX - room}] with {folds} folds and {rounds} "
                                        f"round(s) (fold models are seeded seed + round + fold)", seed)


def _need_classes(data) -> None:
    from sftkit.data import DataError

    if len(set(data.labels)) < 2:
        raise DataError(data.source, "only one class; label-based strategies need at least two")


def _texts_and_source(texts, default: str) -> tuple[list[str], str]:
    return list(getattr(texts, "texts", texts)), getattr(texts, "source", default)


# ----------------------------------------------------------------------------- the strategies


def dedup(data, *, threshold: float = DEDUP_THRESHOLD) -> Scores:
    """Exact and near-duplicates: every row but the first of its group is dropped.

    ``threshold`` is the Jaccard similarity of the rows' character n-gram sets (5-grams;
    2-grams in Chinese and Japanese, 3-grams in Thai ...: ``dedup.SHINGLE_SIZE``) at or
    above which two rows are near-duplicates (:mod:`sftkit.selection.dedup`).
    """
    from sftkit.selection import dedup as _dedup

    check_settings("dedup", threshold=threshold)
    return _label_conflicts(_dedup.dedup_scores(data.texts, data.ids, threshold=threshold), data.labels)


def _label_conflicts(s: Scores, labels) -> Scores:
    """Say which dropped copies carry another label than the row kept for their group.

    Dedup keeps the first row of a group whatever the labels say, so a copy labelled
    differently is a label conflict the user should see: its reason gets both labels, and
    ``extra["notes"]`` counts them (one of each pair of labels is wrong, or the text is
    ambiguous). Returns ``s``, changed in place.
    """
    root = s.extra["group"]
    conflicts = [i for i in np.flatnonzero(s.drop) if labels[i] != labels[root[i]]]
    for i in conflicts:
        s.reason[i] += f" (its label '{labels[i]}', the kept row's '{labels[root[i]]}')"
    if conflicts:
        s.extra["notes"] = [f"dedup: {len(conflicts)} of the {int(s.drop.sum())} dropped copies carry another label "
                            "than the row kept for them (their reason in rejected.csv gives both): one of each pair "
                            "is wrong, or the text is ambiguous"]
    return s


def quality(data) -> Scores:
    """The heuristic quality rules of :mod:`sftkit.selection.quality`, vocabulary from ``data``."""
    from sftkit.selection import quality as _quality

    return _quality.quality_scores(data.texts)


def filter(data, *, threshold: float = DEDUP_THRESHOLD) -> Scores:  # noqa: A001 - the strategy's name
    """:func:`quality` and :func:`dedup`: dropped by either, ranked by both.

    A row both drop is explained by the quality rule (junk that is also a copy is junk).
    ``extra["parts"]`` holds the two :class:`Scores` by name.
    """
    parts = {"quality": quality(data), "dedup": dedup(data, threshold=threshold)}
    s = combine(*parts.values(), method="filter")
    s.extra["parts"] = parts
    return s


def noisy(data, *, trusted=None, folds: int = FOLDS, rounds: int | None = None, epochs: int = EPOCHS,
          seed: int = 0, config=None, exclude: np.ndarray | None = None, progress: Callable[[str], None] | None = None) -> Scores:
    """Likely wrong labels, from out-of-fold predicted probabilities.

    Parameters
    ----------
    data : LabelledTexts, N rows, at least two classes
    trusted : LabelledTexts, optional
        A small set labelled with care (its labels must occur in ``data``). Every fold
        model also trains on it (:func:`sftkit.selection.noisy.out_of_fold_proba`), and
        the rows whose out-of-fold predicted label is not their given label are dropped
        (cleanlab's ``filter_by="predicted_neq_given"``). Without it, confident learning
        with cleanlab's default rule (``filter_by="prune_by_noise_rate"``) decides.
    folds : int >= 2
        K of the K-fold split; each row is scored by the one model that did not train on it.
    rounds : int >= 1, optional
        Rounds of :func:`sftkit.selection.noisy.iterative_out_of_fold`; default
        ``TRUSTED_ROUNDS`` with a trusted set, 1 without.
    epochs : int >= 1
        Epochs of each fold model (fixed: no early stopping).
    seed : int
        Seeds the folds and the models.
    config : TrainConfig, optional
        The fold models' network and tokens (``tokenizer``, ``sequence_length``,
        ``lstm_units`` ...); ``epochs`` and ``seed`` above override its own.
    exclude : bool array (N,), optional
        Rows no fold model trains on (they are still scored); the pipeline passes the
        rows its filter drops.

    Returns
    -------
    Scores
        Ranked by margin (with a trusted set) or self-confidence; ``extra["pred_probs"]``
        holds the last round's ``(N, K)`` out-of-fold probabilities (columns in the order
        ``data.classes``) and ``extra["rounds"]`` every round's.

    Raises
    ------
    ConfigError
        A setting out of range (:func:`check_settings`).
    DataError
        ``data`` has one class; ``trusted`` has a label ``data`` does not have (the
        message names its first line); a class has exactly one row the models may learn
        from (not in ``exclude``; trusted rows count), so the model that judges it never
        saw its class; ``folds`` is larger than the largest class. A class *all* of whose
        rows are excluded is not judged: its rows get score nan, no reason, no drop, and
        ``extra["not_judged"]`` lists them.
    """
    from sftkit.data import DataError

    check_settings("noisy", folds=folds, rounds=rounds, epochs=epochs, seed=seed, trusted=trusted)
    _need_classes(data)
    if trusted is not None:
        known = set(data.labels)
        bad = next((i for i, v in enumerate(trusted.labels) if v not in known), None)
        if bad is not None:
            others = sorted(set(trusted.labels) - known - {trusted.labels[bad]})
            raise DataError(trusted.source, f"label '{trusted.labels[bad]}' does not occur in {data.source}"
                                            + (f" (nor do {', '.join(others)})" if others else ""),
                            trusted.lines[bad] if trusted.lines else None,
                            hint="the trusted rows must use the labels of the data")
    skip = np.zeros(len(data), dtype=bool) if exclude is None else np.asarray(exclude, dtype=bool)
    taught = Counter(v for v, s in zip(data.labels, skip) if not s)      # rows the fold models may learn from
    if trusted is not None:
        taught.update(trusted.labels)
    judged = np.flatnonzero([taught[v] > 0 for v in data.labels])
    if len(judged) < len(data):
        # a class whose every row is excluded (the pipeline's filter dropped it all): no model can learn it,
        # so the noisy step does not judge its rows (they are rejected by the step that excluded them)
        sub = data.take(judged)
        if len(set(sub.labels)) < 2:
            raise DataError(data.source, f"only class '{sub.labels[0] if len(sub) else ''}' has rows left to learn "
                                         "from after the rows excluded (the filter's drops); the noisy step needs two")
        if progress:
            gone = Counter(data.labels[i] for i in range(len(data)) if taught[data.labels[i]] == 0)
            progress("note: " + ", ".join(f"class '{c}' ({n} rows)" for c, n in sorted(gone.items()))
                     + " has no row left to learn from (all excluded): the noisy step does not judge those rows")
        inner = noisy(sub, trusted=trusted, folds=folds, rounds=rounds, epochs=epochs, seed=seed, config=config,
                      exclude=skip[judged], progress=progress)
        return _widen(inner, judged, data)
    for c, n in sorted(taught.items()):
        if n == 1:
            i = next(i for i, v in enumerate(data.labels) if v == c and not skip[i])
            total = sum(v == c for v in data.labels)
            left = "" if total == 1 else f" the models may learn from ({total} in the file, the others excluded)"
            raise DataError(data.source, f"class '{c}' has 1 row{left}: the noisy step judges each row by a model "
                                         "trained on other rows of its class", data.lines[i] if data.lines else None,
                            hint="add rows of that class or remove it")
    sizes = Counter(data.labels)
    largest, most = min(sizes.items(), key=lambda kv: (-kv[1], kv[0]))
    if folds > most:
        problem = (f"{len(data)} rows, fewer than --folds {folds}" if folds > len(data) else
                   f"no class has --folds {folds} rows (the largest, '{largest}', has {most})")
        raise DataError(data.source, problem, hint=f"give --folds {most} or fewer" if most >= 2 else
                        "K-fold scoring needs a class with at least 2 rows")
    if progress:
        for c, n in sorted(sizes.items()):
            if n < folds:
                progress(f"note: class '{c}' has {n} rows, fewer than --folds {folds}: each of its rows is judged "
                         f"by a model that saw only {n - 1} of them")
    return _noisy_scores(data, trusted=trusted, folds=folds, rounds=rounds, epochs=epochs, seed=seed, config=config,
                         exclude=exclude, progress=progress)


def _widen(inner: Scores, rows: np.ndarray, data) -> Scores:
    """``inner`` (Scores of ``data.take(rows)``) for all of ``data``: other rows not judged (nan, kept, no reason)."""
    n, classes = len(data), sorted(set(data.labels))
    score = np.full(n, np.nan)
    score[rows] = inner.score
    reason = [""] * n
    for j, i in enumerate(rows):
        reason[i] = inner.reason[j]
    drop = np.zeros(n, dtype=bool)
    drop[rows] = inner.drop
    sub_classes = sorted(set(data.labels[i] for i in rows))
    cols = [classes.index(c) for c in sub_classes]

    def wide(p):
        out = np.full((n, len(classes)), np.nan)
        out[rows] = 0.0
        out[np.ix_(rows, cols)] = p
        return out

    extra = dict(inner.extra)
    extra["pred_probs"] = wide(inner.extra["pred_probs"])
    extra["rounds"] = [wide(p) for p in inner.extra["rounds"]]
    sc = np.full(n, np.nan)
    sc[rows] = inner.extra["self_confidence"]
    extra["self_confidence"] = sc
    thresholds = np.full(len(classes), np.nan)
    thresholds[cols] = inner.extra["thresholds"]
    extra["thresholds"] = thresholds
    extra["not_judged"] = np.setdiff1d(np.arange(n), rows)
    return Scores(inner.method, score, reason, drop, extra=extra)


def _noisy_scores(data, *, trusted, folds, rounds, epochs, seed, config, exclude, progress) -> Scores:
    from sftkit.selection import noisy as _noisy

    extra = {}
    if trusted is not None:
        extra = dict(trusted_texts=trusted.texts, trusted_labels=trusted.labels)
    if rounds is None:
        rounds = TRUSTED_ROUNDS if trusted is not None else 1
    probas = _noisy.iterative_out_of_fold(data.texts, data.labels, rounds=rounds, k=folds, seed=seed, epochs=epochs,
                                          config=config, exclude=exclude, progress=progress, **extra)
    filter_by = "predicted_neq_given" if trusted is not None else "prune_by_noise_rate"
    s = _noisy.noisy_label_scores(data.labels, probas[-1], filter_by=filter_by)
    s.method = "noisy"
    if progress:
        from sftkit.finetune import encode_labels

        y = encode_labels([str(v) for v in data.labels], sorted(set(map(str, data.labels))))
        disagree = int((_noisy.margin(probas[-1], y) < 0).sum())
        rule = ("every row whose prediction disagrees is an issue" if filter_by == "predicted_neq_given"
                else "as many per pair of classes as the estimated noise rates allow")
        progress(f"label issues: {int(s.drop.sum())} of the {disagree} rows predicted as another class "
                 f"({filter_by}: {rule})")
    s.extra["rounds"] = probas
    _fold_model_check(s, data.labels, probas[-1], exclude)
    if progress:
        fit = s.extra["summary"]
        progress(f"fold models: out-of-fold accuracy {fit['out_of_fold_accuracy']:.3f} against the given labels "
                 f"(always the largest class: {fit['largest_class_share']:.3f})")
    return s


#: The noisy step warns when its fold models' out-of-fold accuracy beats always answering the
#: largest class by less than this (a share of the rows): their flags are then mostly guesses.
WEAK_FOLD_MODELS = 0.05


def _fold_model_check(s: Scores, labels, pred_probs: np.ndarray, exclude) -> None:
    """Record how well the fold models predict the given labels out of fold (``extra["summary"]``)
    and warn (``extra["notes"]``) when that is barely better than always answering the largest class.

    The accuracy is against the *given* labels, wrong ones included, on the rows the models may
    learn from (not ``exclude``); a model that learned nothing flags rows at random.
    """
    classes = sorted(set(map(str, labels)))
    rows = np.flatnonzero(~np.asarray(exclude, dtype=bool)) if exclude is not None else np.arange(len(labels))
    given = np.array([classes.index(str(labels[i])) for i in rows])
    accuracy = float((pred_probs[rows].argmax(axis=1) == given).mean()) if len(rows) else float("nan")
    majority = float(np.bincount(given, minlength=len(classes)).max() / len(rows)) if len(rows) else float("nan")
    s.extra["summary"] = {"out_of_fold_accuracy": round(accuracy, 4), "largest_class_share": round(majority, 4)}
    if accuracy < majority + WEAK_FOLD_MODELS:
        s.extra["notes"] = [f"warning: the noisy step's fold models predict the given labels out of fold with "
                            f"accuracy {accuracy:.3f}, hardly better than always answering the largest class "
                            f"({majority:.3f}): their label flags are mostly guesses; train them longer (--epochs), "
                            f"give more rows, or check rows by hand for --trusted"]


def _lm_name(general, shipped: bool) -> str:
    if shipped:
        return (f"the shipped general language model (a {len(general.vocabulary):,}-word English vocabulary "
                f"from sftkit's bundled synthetic corpus)")
    return f"the general language model (a {len(general.vocabulary):,}-word vocabulary)"


_LM_ADVICE = ("train a general language model on text like yours with `sftkit pretrain --corpus FILE --out DIR` "
              "and pass it with --lm DIR")


def _lm_hint(shipped: bool) -> str:
    return "it does not fit these texts; " + (_LM_ADVICE if shipped else "the --lm model must be trained on text "
                                              "like them (`sftkit pretrain --corpus FILE --out DIR`)")


def domain(data, *, in_domain, seed: int = 0, quantile: float = DOMAIN_QUANTILE, general=None,
           progress: Callable[[str], None] | None = None) -> Scores:
    """Off-domain rows by the Moore-Lewis cross-entropy difference.

    The general language model (``general``; default the shipped one) is adapted on
    ``1 - DOMAIN_HELD_OUT`` of the ``in_domain`` texts (a seeded draw); the other
    ``DOMAIN_HELD_OUT``, which neither model saw, set the cut: a row is dropped when its
    difference is above the ``quantile`` of theirs (:data:`DOMAIN_QUANTILE`). The adapted
    model is kept for the process, so the pipeline and the domain step alone, given the
    same texts, seed and general model, adapt once.

    Only words in the general model's vocabulary are scored. A text with fewer than
    :data:`DOMAIN_MIN_KNOWN` of its tokens (or fewer than two) in the vocabulary is
    *unscorable* (:func:`sftkit.selection.domain.unscorable`): an in-domain text like that
    is left out of the adaptation and the cut, a row like that is dropped as off-domain
    with the reason ``off-domain: unscorable: ...`` (the in-domain texts are readable, it
    is not: it is unlike them). When more than :data:`DOMAIN_MAX_UNSCORABLE` of the rows or
    of the in-domain texts are unscorable, the general model does not fit the texts (the
    shipped one knows only the English words of sftkit's bundled corpus) and it refuses.

    Parameters
    ----------
    data : LabelledTexts, N rows
    in_domain : sequence of str, or LabelledTexts
        Texts of the target domain (labels unused); at least :data:`MIN_IN_DOMAIN`
        non-empty ones the general model can read.
    seed : int
        Seeds the draw of held-out texts and the adaptation.
    quantile : float in (0, 1)
    general : sftkit.pretrain.PretrainedLM, optional
        Default: the shipped one (:func:`sftkit.pretrain.load_shipped`).
    progress : callable, optional
        Called with a line of text saying how many rows and in-domain texts were
        unscorable (only when some were).

    Returns
    -------
    Scores
        Score: minus the difference ``H_in - H_general`` (nats per known word; ``-inf`` for
        a row that cannot be scored). ``extra``: ``difference``, ``ce_general``,
        ``ce_in_domain`` (each (N,), nan for unscorable rows), ``tokens`` and ``known``
        (each (N,): tokens and known tokens per row), ``cut``, ``held_out`` (the held-out
        texts and their two cross-entropies) and ``summary`` (a dict for summary.json:
        counts of unscorable rows and in-domain texts, the rule, the vocabulary size).

    Raises
    ------
    DataError
        Fewer than ``MIN_IN_DOMAIN`` non-empty in-domain texts the general model can read,
        or more than ``DOMAIN_MAX_UNSCORABLE`` of the in-domain texts or of the rows unscorable.
    """
    from sftkit.data import DataError
    from sftkit.selection import domain as _domain

    check_settings("domain", seed=seed)
    if not 0 < quantile < 1:
        raise _config_error("quantile", "in (0, 1)", quantile)
    texts, source = _texts_and_source(in_domain, "the in-domain texts")
    ref = [t for t in texts if t.strip()]
    if len(ref) < MIN_IN_DOMAIN:
        raise DataError(source, f"only {len(ref)} in-domain texts", hint=f"give at least {MIN_IN_DOMAIN}")
    shipped = general is None
    key = ("shipped" if shipped else id(general), seed, hashlib.sha256("\x00".join(ref).encode("utf-8")).hexdigest())
    if key not in _ADAPTED:
        if shipped:
            from sftkit.pretrain import load_shipped

            general = load_shipped()
        tokens, known = general.token_counts(ref)
        why = _domain.unscorable(tokens, known, DOMAIN_MIN_KNOWN)
        readable = [t for t, w in zip(ref, why) if not w]
        if len(readable) < MIN_IN_DOMAIN or len(ref) - len(readable) > DOMAIN_MAX_UNSCORABLE * len(ref):
            share = known.sum() / max(tokens.sum(), 1)
            raise DataError(source, f"{_lm_name(general, shipped)} can read only {len(readable)} of the {len(ref)} "
                                    f"in-domain texts ({share:.0%} of their words are in its vocabulary; a text needs "
                                    f"{DOMAIN_MIN_KNOWN:.0%})", hint=_lm_hint(shipped))
        order = np.random.default_rng(seed).permutation(len(readable))
        n_held = max(10, int(round(len(readable) * DOMAIN_HELD_OUT)))
        held, adapt = [readable[i] for i in order[:n_held]], [readable[i] for i in order[n_held:]]
        _ADAPTED.clear()  # keep one adapted model: a second strategy on the same texts reuses it
        ref_share = float(known.sum() / max(tokens.sum(), 1))
        _ADAPTED[key] = (general, _domain.in_domain_lm(general, adapt, seed=seed), held,
                         len(ref) - len(readable), ref_share)
    general, adapted, held, ref_unscorable, ref_share = _ADAPTED[key]
    rows = list(data.texts)
    tokens, known = general.token_counts(rows)
    why = _domain.unscorable(tokens, known, DOMAIN_MIN_KNOWN)
    n_bad = sum(bool(w) for w in why)
    with_words = int((tokens > 0).sum())
    if with_words and sum(bool(w) and n > 0 for w, n in zip(why, tokens)) > DOMAIN_MAX_UNSCORABLE * with_words:
        share = known.sum() / max(tokens.sum(), 1)
        raise DataError(getattr(data, "source", "the data"),
                        f"{_lm_name(general, shipped)} cannot read {n_bad} of the {len(rows)} rows (fewer than "
                        f"{DOMAIN_MIN_KNOWN:.0%} of their words in its vocabulary; {share:.0%} of all their words are)",
                        hint=_lm_hint(shipped))
    data_share = float(known.sum() / max(tokens.sum(), 1))
    held_general, held_in = general.text_cross_entropy(held), adapted.text_cross_entropy(held)
    cut = _domain.threshold_from(held_in - held_general, quantile)
    ce_general, ce_in = general.text_cross_entropy(rows), adapted.text_cross_entropy(rows)
    s = _domain.domain_scores(ce_in - ce_general, threshold=cut, why_unscorable=why)
    bad = np.array([bool(w) for w in why], dtype=bool)
    ce_general, ce_in = np.where(bad, np.nan, ce_general), np.where(bad, np.nan, ce_in)
    rule = (f"a text is unscorable when fewer than {DOMAIN_MIN_KNOWN:.0%} of its words (or fewer than two) are in "
            f"the general language model's vocabulary; unscorable rows are dropped as off-domain, unscorable "
            f"in-domain texts are left out")
    summary = {"language_model": "shipped" if shipped else "given", "vocabulary_size": len(general.vocabulary),
               "known_word_share": round(data_share, 4), "in_domain_known_word_share": round(ref_share, 4),
               "unscorable_rows": n_bad, "in_domain_texts": len(ref), "in_domain_unscorable": ref_unscorable,
               "unscorable_rule": rule, "held_out_texts": len(held), "cut": round(cut, 6)}
    s.extra.update(cut=cut, ce_general=ce_general, ce_in_domain=ce_in, tokens=tokens, known=known, summary=summary,
                   held_out={"texts": held, "ce_general": held_general, "ce_in_domain": held_in})
    if progress is not None and (n_bad or ref_unscorable):
        progress(f"domain: {n_bad} of {len(rows)} rows and {ref_unscorable} of {len(ref)} in-domain texts are "
                 f"unscorable: fewer than {DOMAIN_MIN_KNOWN:.0%} of their words are in the {len(general.vocabulary):,}"
                 f"-word vocabulary of {'the shipped' if shipped else 'the'} general language model; those rows are "
                 f"dropped as off_domain, those in-domain texts left out")
    if progress is not None and min(data_share, ref_share) < DOMAIN_WARN_KNOWN:
        progress(f"domain: warning: {_lm_name(general, shipped)} knows only {data_share:.0%} of the rows' words and "
                 f"{ref_share:.0%} of the in-domain texts' words; the scores rest on those words alone. "
                 f"To fit them better, {_LM_ADVICE}")
    if progress is not None and len(held) < DOMAIN_RELIABLE_HELD_OUT:
        progress(f"domain: the cut rests on {len(held)} held-out in-domain texts, so it is rough: it may drop well "
                 f"over {1 - quantile:.0%} of in-domain rows (or let off-domain rows through); "
                 f"{int(np.ceil(DOMAIN_RELIABLE_HELD_OUT / DOMAIN_HELD_OUT)):,} or more in-domain texts give "
                 f"{DOMAIN_RELIABLE_HELD_OUT} held-out ones")
    return s


def diversity(data, *, epochs: int = EPOCHS, seed: int = 0, config=None) -> Scores:
    """Greedy k-center order on the sentence embeddings of a classifier trained on ``data``.

    Drops nothing: use it with a budget. The classifier (the network of ``config``, a
    :class:`~sftkit.config.TrainConfig`; default the library's) trains ``epochs`` epochs
    through :func:`sftkit.finetune.fit_text_classifier`; embeddings are what its softmax
    layer sees. ``extra["order"]`` is the pick order, ``extra["embeddings"]`` the (N, D)
    embeddings it was computed on.
    """
    from sftkit import finetune
    from sftkit.selection import diversity as _diversity

    check_settings("diversity", epochs=epochs, seed=seed)
    _need_classes(data)
    clf = finetune.fit_text_classifier(data.texts, data.labels, config=config, epochs=epochs, seed=seed)
    embeddings = _diversity.encoder_embeddings(clf, data.texts)
    s = _diversity.diversity_scores(embeddings)
    s.extra["embeddings"] = embeddings          # (N, D): what the order was computed on
    return s


def random(data, *, seed: int = 0) -> Scores:
    """A seeded random order: the baseline (drops nothing; use it with a budget)."""
    check_settings("random", seed=seed)
    n = len(data)
    return Scores("random", np.random.default_rng(seed).random(n), [""] * n)


def pipeline(data, *, trusted=None, in_domain=None, threshold: float = DEDUP_THRESHOLD, folds: int = FOLDS,
             rounds: int | None = None, epochs: int = EPOCHS, seed: int = 0, config=None, general=None,
             progress: Callable[[str], None] | None = None) -> Scores:
    """:func:`filter`, then :func:`noisy` trained without the rows the filter drops, then
    :func:`domain` when ``in_domain`` is given; dropped by any step, ranked by the mean
    percentile rank of the steps' scores (:func:`sftkit.selection.base.combine`). A row
    several steps drop is explained by the first of quality, dedup, noisy, domain.

    ``extra["parts"]`` holds each step's :class:`Scores` by name, in that order. ``general``
    is the domain step's general language model (default the shipped one).
    """
    check_settings("pipeline", threshold=threshold, folds=folds, rounds=rounds, epochs=epochs, seed=seed,
                   trusted=trusted)
    parts = dict(filter(data, threshold=threshold).extra["parts"])
    filtered = parts["quality"].drop | parts["dedup"].drop
    parts["noisy"] = noisy(data, trusted=trusted, folds=folds, rounds=rounds, epochs=epochs, seed=seed,
                           config=config, exclude=filtered, progress=progress)
    if in_domain is not None:
        parts["domain"] = domain(data, in_domain=in_domain, seed=seed, general=general, progress=progress)
    s = combine(*parts.values(), method="pipeline")
    s.extra["parts"] = parts
    return s


REGISTRY: dict[str, Callable[..., Scores]] = {
    "dedup": dedup, "quality": quality, "filter": filter, "noisy": noisy, "domain": domain,
    "diversity": diversity, "random": random, "pipeline": pipeline,
}

def _shipped_vocabulary_size() -> int:
    """Words in the shipped language model's vocabulary (padding and [UNK] included), without loading it."""
    from sftkit.data import data_dir

    with open(data_dir() / "pretrained" / "vocab.txt", encoding="utf-8") as f:
        return sum(1 for _ in f)


#: One line per strategy, for ``sftkit select --help``.
DESCRIPTIONS = {
    "dedup": "drop exact and near-duplicates (MinHash LSH), keep the first of each group",
    "quality": "drop empty, too short/long, junk-character, repetitive and boilerplate texts",
    "filter": "dedup + quality (no model needed; fast)",
    "noisy": f"confident learning on K-fold out-of-fold probabilities: drop likely wrong labels (trains K models "
             f"per round; with --trusted, {TRUSTED_ROUNDS} rounds that drop rows whose label the out-of-fold "
             f"models do not predict)",
    "domain": f"Moore-Lewis cross-entropy difference against --in-domain texts (the cut is the "
              f"{DOMAIN_QUANTILE:.0%} point of {DOMAIN_HELD_OUT:.0%} of those texts held out from the adaptation); "
              f"the general language model is the shipped one unless --lm DIR names one: an LSTM over a "
              f"{_shipped_vocabulary_size():,}-word English vocabulary trained on sftkit's bundled synthetic corpus (reviews, news, "
              f"recipes, how-tos, chat), so it fits only texts like those; rows with fewer than "
              f"{DOMAIN_MIN_KNOWN:.0%} of their words in its vocabulary are unscorable and dropped, and it refuses "
              f"when more than {DOMAIN_MAX_UNSCORABLE:.0%} are (make a model of your own general text with "
              f"`sftkit pretrain --corpus FILE --out DIR`)",
    "diversity": "greedy k-center on a classifier's sentence embeddings (use with --budget)",
    "random": "a seeded random subset of --budget rows (the baseline every strategy must beat)",
    "pipeline": "filter, then noisy trained without the filtered rows, then domain if --in-domain is given",
}


def settings_of(name: str) -> list[str]:
    """The keyword settings strategy ``name`` takes (e.g. ``["trusted", "folds", ...]``)."""
    return [p.name for p in inspect.signature(REGISTRY[name]).parameters.values() if p.kind is p.KEYWORD_ONLY]


def score(name: str, data, **settings) -> Scores:
    """Score ``data`` with the strategy ``name``; ``settings`` must be ones it takes.

    Raises ``ValueError`` for an unknown name and ``TypeError`` for a setting the
    strategy does not take (nothing is silently ignored).
    """
    if name not in REGISTRY:
        raise ValueError(f"unknown strategy {name!r}; choose one of: {', '.join(REGISTRY)}")
    unused = sorted(set(settings) - set(settings_of(name)))
    if unused:
        raise TypeError(f"the {name} strategy does not take {', '.join(unused)}")
    return REGISTRY[name](data, **settings)


__all__ = ["DEDUP_THRESHOLD", "DESCRIPTIONS", "DOMAIN_HELD_OUT", "DOMAIN_QUANTILE", "EPOCHS", "FOLDS",
           "DOMAIN_MAX_UNSCORABLE", "DOMAIN_MIN_KNOWN", "MIN_IN_DOMAIN", "REGISTRY", "SEED_MAX", "TRUSTED_ROUNDS",
           "check_settings", "score", "settings_of"]

