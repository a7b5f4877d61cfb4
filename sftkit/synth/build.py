"""Assemble the bundled corpus: splits, the data-selection pool, the pretraining text.

Design
------
``generate(seed)`` does all the work in memory and returns every dataset as a list of
row dicts that still carry their metadata (``template``, ``shape``, pool ``status`` ...);
``build_corpus(out_dir, seed)`` writes them to disk without the metadata. Benchmarks
and tests use ``generate`` to count templates without adding columns to the CSVs.

Determinism: every part draws from its own ``random.Random(f"{seed}-<part>")``. String
seeds are hashed by ``random`` with SHA-512, so they do not depend on Python's hash
randomisation, and changing one part (say the spam generator) does not shift the random
stream of another. Sets are only used for membership tests, never iterated.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

from sftkit.data import write_rows
from sftkit.synth.messages import MessageGenerator
from sftkit.synth.prose import ProseGenerator
from sftkit.synth.reviews import LABELS, ReviewGrammar
from sftkit.synth.zh_reviews import ZhProseGenerator, ZhReviewGrammar

DEFAULT_SEED = 2024

REVIEW_SIZES = {"train": 4000, "val": 500, "test": 1000}
UNSEEN_TEST_ROWS = 200
#: Share of labelled review rows whose label disagrees with the grammar
#: (annotator disagreement, documented in data/README.md).
REVIEW_LABEL_NOISE = 0.02
SPAM_SIZES = {"train": 3000, "val": 500, "test": 1000}
SPAM_RATE = 0.13
POOL_ROWS = 10000
#: Shares of the pool's 10,000 rows by status (data/README.md); the reviews left over are clean
#: or flipped (half of the flips systematic, half random).
POOL_RATES = {"flipped": 0.20, "duplicate": 0.08, "off_domain": 0.10, "junk": 0.03}
#: Most of the pool that duplicates, off-domain and junk rows may take together (the rest are
#: the reviews they copy or crowd out).
MAX_ADDED_SHARE = 0.9
CORPUS_TOKENS = 450_000
#: The Chinese reviews (zh_reviews/) and corpus (zh_pretrain/), same design as the English.
ZH_REVIEW_SIZES = {"train": 4000, "val": 500, "test": 1000}
ZH_UNSEEN_TEST_ROWS = 200
ZH_CORPUS_CHARS = 600_000


def _balanced_labels(rng: random.Random, n: int, pos_share: float = 0.5) -> list[int]:
    n_pos = round(n * pos_share)
    labels = [1] * n_pos + [-1] * (n - n_pos)
    rng.shuffle(labels)
    return labels


def _unique_reviews(grammar: ReviewGrammar, labels: list[int], taken: set) -> list[dict]:
    """One review per label, skipping any text already in ``taken`` (which grows)."""
    rows = []
    for pol in labels:
        for _ in range(100):
            row = grammar.review(pol)
            if row["text"] not in taken:
                break
        taken.add(row["text"])
        rows.append(row)
    return rows


def _add_label_noise(rng: random.Random, rows: list[dict], rate: float) -> None:
    for i in rng.sample(range(len(rows)), round(rate * len(rows))):
        rows[i]["label"] = "negative" if rows[i]["label"] == "positive" else "positive"
        rows[i]["noisy"] = True


def _review_splits(seed: int, name: str, grammar_cls, sizes: dict, unseen_test_rows: int, id_prefix: str,
                   taken: set) -> dict[str, list[dict]]:
    """Train/val/test reviews from ``grammar_cls``; test also holds ``unseen_test_rows`` reviews
    whose sentiment words no labelled split uses (``subset`` column: standard/unseen_words).

    The random streams are named after ``name``, so each corpus is reproducible on its own.
    """
    rng = random.Random(f"{seed}-{name}")
    seen = grammar_cls(random.Random(f"{seed}-{name}-grammar"), mode="seen")
    heldout = grammar_cls(random.Random(f"{seed}-{name}-unseen"), mode="heldout")
    out = {}
    for split, n in sizes.items():
        n_unseen = unseen_test_rows if split == "test" else 0
        rows = _unique_reviews(seen, _balanced_labels(rng, n - n_unseen), taken)
        for r in rows:
            r["subset"] = "standard"
        unseen = _unique_reviews(heldout, _balanced_labels(rng, n_unseen), taken)
        for r in unseen:
            r["subset"] = "unseen_words"
        rows += unseen
        rng.shuffle(rows)
        _add_label_noise(rng, rows, REVIEW_LABEL_NOISE)
        for i, r in enumerate(rows, 1):
            r["id"] = f"{id_prefix}-{split}-{i:05d}"
        out[split] = rows
    return out


def make_reviews(seed: int, taken: set) -> dict[str, list[dict]]:
    """Reviews train/val/test; test has a ``subset`` column (standard/unseen_words)."""
    return _review_splits(seed, "reviews", ReviewGrammar, REVIEW_SIZES, UNSEEN_TEST_ROWS, "rev", taken)


def make_spam(seed: int) -> dict[str, list[dict]]:
    rng = random.Random(f"{seed}-spam")
    gen = MessageGenerator(random.Random(f"{seed}-spam-messages"))
    taken: set = set()
    out = {}
    for split, n in SPAM_SIZES.items():
        n_spam = round(n * SPAM_RATE)
        rows = []
        for is_spam in [True] * n_spam + [False] * (n - n_spam):
            for _ in range(100):
                text, tmpl = gen.spam() if is_spam else gen.ham()
                if text not in taken:
                    break
            taken.add(text)
            rows.append({"text": text, "label": "spam" if is_spam else "ham", "template": tmpl})
        rng.shuffle(rows)
        for i, r in enumerate(rows, 1):
            r["id"] = f"sms-{split}-{i:05d}"
        out[split] = rows
    return out


_SWAPS = (
    ("really", "very"), ("very", "really"), ("extremely", "incredibly"),
    ("incredibly", "extremely"), (" is ", " was "), (" are ", " were "),
    ("bought", "got"), (" my ", " our "), ("I ", "we "), ("honestly", "frankly"),
)


def _near_duplicate(rng: random.Random, text: str) -> tuple[str, str]:
    """A small edit of ``text``: punctuation, case, one word swapped, or an extra '!!'."""
    kind = rng.choice(("punctuation", "case", "word_swap", "exclaim"))
    if kind == "word_swap":
        options = [(a, b) for a, b in _SWAPS if a in text]
        if options:
            a, b = options[rng.randrange(len(options))]
            return text.replace(a, b, 1), kind
        kind = "punctuation"
    if kind == "case":
        new = text.lower() if text != text.lower() else text.upper()
        return new, kind
    if kind == "exclaim":
        return text.rstrip(".!") + rng.choice(("!!", "!!!", " !!")), kind
    if "," in text and rng.random() < 0.5:
        return text.replace(",", "", 1), kind
    return (text[:-1] if text.endswith((".", "!")) else text + ".") + rng.choice(("", "..", " .")), kind


def check_pool_rates(rates: dict | None) -> dict:
    """:data:`POOL_RATES` with ``rates`` (``{status: share}``) put in; the result is checked.

    Raises
    ------
    ValueError
        One line naming the problem: an unknown status, a share outside [0, 1), or
        duplicate + off_domain + junk above :data:`MAX_ADDED_SHARE`.
    """
    out = dict(POOL_RATES)
    for name, value in (rates or {}).items():
        if name not in POOL_RATES:
            raise ValueError(f"unknown pool status {name!r}: expected one of {', '.join(POOL_RATES)}")
        value = float(value)
        if not 0.0 <= value < 1.0:
            raise ValueError(f"pool rate {name}={value:g} must be at least 0 and below 1")
        out[name] = value
    added = out["duplicate"] + out["off_domain"] + out["junk"]
    if added > MAX_ADDED_SHARE + 1e-12:
        raise ValueError(f"pool rates duplicate + off_domain + junk = {added:g} leave too few reviews "
                         f"(at most {MAX_ADDED_SHARE:g})")
    return out


#: What the pool's near-duplicates copy: ``"clean"`` (the bundled pool) copies only correctly
#: labelled reviews; ``"any"`` copies any review, flipped ones included, as scraped or re-posted
#: data does.
DUPLICATES_OF = ("clean", "any")


def check_duplicates_of(duplicates_of: str) -> str:
    """``duplicates_of`` if it is one of :data:`DUPLICATES_OF`; else ValueError (one line)."""
    if duplicates_of not in DUPLICATES_OF:
        raise ValueError(f"duplicates_of={duplicates_of!r}: expected one of {', '.join(DUPLICATES_OF)}")
    return duplicates_of


def make_pool(seed: int, taken: set, rates: dict | None = None,
              duplicates_of: str = "clean") -> tuple[list[dict], list[dict]]:
    """The data-selection pool and its ground truth (see data/README.md).

    Parameters
    ----------
    seed : int
        Generator seed; the same seed and arguments give the same rows.
    taken : set
        Texts already used elsewhere (grows with the pool's texts).
    rates : dict, optional
        Changes some of :data:`POOL_RATES` (checked by :func:`check_pool_rates`); the
        default rates give the bundled pool.
    duplicates_of : {"clean", "any"}
        Which reviews the near-duplicates copy. ``"clean"`` (default, the bundled pool): only
        correctly labelled ones. ``"any"``: clean and flipped alike, so a copy of a flipped
        review carries its wrong ``label`` (its ``true_label`` in truth.csv is the original's).

    Returns
    -------
    rows, truth : list of dict
        The pool's rows (with metadata) and its ground truth rows (id, status, true_label,
        duplicate_of, detail).

    Raises
    ------
    ValueError
        One line: a bad ``rates`` or ``duplicates_of``, or too few reviews a careless
        annotator would misread for the systematic half of ``flipped``.
    """
    rates = check_pool_rates(rates)
    check_duplicates_of(duplicates_of)
    rng = random.Random(f"{seed}-pool")
    grammar = ReviewGrammar(random.Random(f"{seed}-pool-grammar"), mode="seen")
    n_dup = round(POOL_ROWS * rates["duplicate"])
    n_off = round(POOL_ROWS * rates["off_domain"])
    n_junk = round(POOL_ROWS * rates["junk"])
    n_base = POOL_ROWS - n_dup - n_off - n_junk
    n_flip = round(POOL_ROWS * rates["flipped"])
    base = _unique_reviews(grammar, _balanced_labels(rng, n_base), taken)
    for r in base:
        r.update(status="clean", true_label=r["label"], duplicate_of=None, detail="")
    # Systematic flips: a careless annotator labels by the first sentiment word it sees.
    fooled = [i for i, r in enumerate(base) if r["surface"] != r["label"]]
    if n_flip // 2 > len(fooled):
        raise ValueError(f"pool rate flipped={rates['flipped']:g} asks for {n_flip // 2} systematic flips; "
                         f"only {len(fooled)} reviews have a misleading first sentiment word")
    systematic = rng.sample(fooled, n_flip // 2)
    chosen = set(systematic)
    rest = [i for i in range(len(base)) if i not in chosen]
    random_flips = rng.sample(rest, n_flip - len(systematic))
    for idx, detail in [(i, "systematic") for i in systematic] + [(i, "random") for i in random_flips]:
        r = base[idx]
        r["label"] = "negative" if r["label"] == "positive" else "positive"
        r.update(status="flipped", detail=detail)
    copyable = [r for r in base if r["status"] == "clean"] if duplicates_of == "clean" else list(base)
    rows = list(base)
    # More duplicates than reviews to copy: some reviews are copied more than once.
    originals = rng.sample(copyable, n_dup) if n_dup <= len(copyable) else rng.choices(copyable, k=n_dup)
    for orig in originals:
        for _ in range(20):
            text, kind = _near_duplicate(rng, orig["text"])
            if text not in taken:
                break
        taken.add(text)
        rows.append({"text": text, "label": orig["label"], "status": "duplicate",
                     "true_label": orig["true_label"], "duplicate_of": orig,
                     "detail": kind, "template": orig["template"], "shape": orig["shape"]})
    msgs = MessageGenerator(random.Random(f"{seed}-pool-messages"))
    prose = ProseGenerator(random.Random(f"{seed}-pool-prose"))
    for _ in range(n_off):
        kind = rng.choice(("news", "recipe", "howto", "message"))
        for _ in range(100):
            text, tmpl = msgs.ham() if kind == "message" else getattr(prose, kind)()
            if text not in taken:
                break
        taken.add(text)
        rows.append({"text": text, "label": LABELS[rng.choice((1, -1))], "status": "off_domain",
                     "true_label": "", "duplicate_of": None, "detail": kind, "template": tmpl})
    for _ in range(n_junk):
        text, kind = prose.junk()
        rows.append({"text": text, "label": LABELS[rng.choice((1, -1))], "status": "junk",
                     "true_label": "", "duplicate_of": None, "detail": kind, "template": "junk_" + kind})
    rng.shuffle(rows)
    for i, r in enumerate(rows, 1):
        r["id"] = f"pool-{i:05d}"
    truth = [{"id": r["id"], "status": r["status"], "true_label": r["true_label"],
              "duplicate_of": r["duplicate_of"]["id"] if r["duplicate_of"] else "",
              "detail": r["detail"]} for r in rows]
    return rows, truth


_SENTENCE_END = re.compile(r"(?<=[.!?]) ")


def _contains_forbidden(text: str, forbidden: set, longest: int = 4) -> bool:
    """Does ``text`` contain, as a run of whole sentences, any text in ``forbidden``?"""
    sents = _SENTENCE_END.split(text)
    for i in range(len(sents)):
        for j in range(i + 1, min(len(sents), i + longest) + 1):
            if " ".join(sents[i:j]) in forbidden:
                return True
    return False


def make_pretrain(seed: int, forbidden: set) -> list[dict]:
    """Unlabelled passages, one per line, about ``CORPUS_TOKENS`` whitespace tokens.

    ``forbidden`` holds the labelled review and pool texts: a passage that contains one
    of them verbatim (as a run of whole sentences) is dropped, so the corpus never
    copies a labelled text -- in particular, no test text leaks into pretraining.
    """
    rng = random.Random(f"{seed}-corpus")
    grammar = ReviewGrammar(random.Random(f"{seed}-corpus-reviews"), mode="mixed")
    msgs = MessageGenerator(random.Random(f"{seed}-corpus-messages"), heldout=True)
    prose = ProseGenerator(random.Random(f"{seed}-corpus-prose"))
    kinds = ("review", "chat", "opinion", "news", "recipe", "howto")
    weights = (50, 10, 8, 14, 9, 9)
    lines, tokens = [], 0
    while tokens < CORPUS_TOKENS:
        kind = rng.choices(kinds, weights)[0]
        if kind == "review":
            text = grammar.passage(rng.choice((1, -1)))
        elif kind == "chat":  # a short thread of everyday messages
            text = " ".join(msgs.ham()[0] for _ in range(rng.randint(2, 5)))
        elif kind == "opinion":
            text = " ".join(msgs.opinion(rng.choice((1, -1))) for _ in range(rng.randint(1, 2)))
        else:
            text = getattr(prose, kind)()[0]
        if not text.strip() or _contains_forbidden(text, forbidden):
            continue
        lines.append({"text": text, "kind": kind})
        tokens += len(text.split())
    return lines


def make_zh_reviews(seed: int, taken: set) -> dict[str, list[dict]]:
    """Chinese reviews train/val/test; test has a ``subset`` column (standard/unseen_words)."""
    return _review_splits(seed, "zh-reviews", ZhReviewGrammar, ZH_REVIEW_SIZES, ZH_UNSEEN_TEST_ROWS, "zh", taken)


_ZH_SENTENCE_END = re.compile(r"[。！？!?.…～]")


def _zh_contains_forbidden(text: str, forbidden: set, lengths: tuple) -> bool:
    """Does ``text`` contain any text in ``forbidden`` (each ``len`` in ``lengths``)?

    Every labelled text ends with a sentence-final mark, so only the substrings that end
    right after one of those marks need to be looked up.
    """
    for m in _ZH_SENTENCE_END.finditer(text):
        end = m.end()
        for n in lengths:
            if n <= end and text[end - n:end] in forbidden:
                return True
    return False


def make_zh_pretrain(seed: int, forbidden: set) -> list[dict]:
    """Unlabelled Chinese passages, one per line, about ``ZH_CORPUS_CHARS`` characters.

    Reviews in the ``mixed`` vocabulary (seen and held-out sentiment words in the same
    slots) and neutral prose; a passage that contains a labelled text verbatim is dropped.
    """
    rng = random.Random(f"{seed}-zh-corpus")
    grammar = ZhReviewGrammar(random.Random(f"{seed}-zh-corpus-reviews"), mode="mixed")
    prose = ZhProseGenerator(random.Random(f"{seed}-zh-corpus-prose"))
    kinds = ("review", "chat", "news", "recipe", "howto", "weather")
    weights = (62, 8, 8, 8, 7, 7)
    lengths = tuple(sorted({len(t) for t in forbidden}))
    lines, chars = [], 0
    while chars < ZH_CORPUS_CHARS:
        kind = rng.choices(kinds, weights)[0]
        text = grammar.passage(rng.choice((1, -1))) if kind == "review" else getattr(prose, kind)()
        if _zh_contains_forbidden(text, forbidden, lengths):
            continue
        lines.append({"text": text, "kind": kind})
        chars += len(text)
    return lines


def generate(seed: int = DEFAULT_SEED, pool_rates: dict | None = None,
             duplicates_of: str = "clean") -> dict[str, list[dict]]:
    """Every dataset, in memory, with metadata. Keys are paths relative to ``data/``.

    ``pool_rates`` changes some of the pool's :data:`POOL_RATES` (say ``{"junk": 0.2}``) and
    ``duplicates_of`` what the pool's near-duplicates copy (see :func:`make_pool`); the review
    and spam files equal those of the same seed without them (the pretraining texts, which
    avoid every pool text, may differ).
    """
    check_duplicates_of(duplicates_of)
    taken: set = set()
    reviews = make_reviews(seed, taken)
    pool, truth = make_pool(seed, taken, pool_rates, duplicates_of)
    spam = make_spam(seed)
    out: dict[str, list[dict]] = {}
    for split, rows in reviews.items():
        out[f"reviews/{split}.csv"] = rows
    for split, rows in spam.items():
        out[f"spam/{split}.csv"] = rows
    out["pool/pool.csv"] = pool
    out["pool/truth.csv"] = truth
    out["pretrain/corpus.txt"] = make_pretrain(seed, taken)
    zh_taken: set = set()
    for split, rows in make_zh_reviews(seed, zh_taken).items():
        out[f"zh_reviews/{split}.csv"] = rows
    out["zh_pretrain/corpus.txt"] = make_zh_pretrain(seed, zh_taken)
    return out


_COLUMNS = {
    "reviews/test.csv": ("id", "text", "label", "subset"),
    "zh_reviews/test.csv": ("id", "text", "label", "subset"),
    "pool/truth.csv": ("id", "status", "true_label", "duplicate_of", "detail"),
}


def build_corpus(out_dir, seed: int = DEFAULT_SEED, pool_rates: dict | None = None,
                 duplicates_of: str = "clean") -> dict:
    """Write the whole generated corpus under ``out_dir``; return ``{file: count}``.

    Counts are rows for CSV files, whitespace tokens for ``pretrain/corpus.txt`` and
    characters for ``zh_pretrain/corpus.txt``.
    With ``seed=DEFAULT_SEED``, no ``pool_rates`` and ``duplicates_of="clean"`` the files are
    byte-for-byte those committed in ``data/``. ``duplicates_of`` is ``"clean"`` (near-duplicates
    copy correctly labelled reviews only) or ``"any"`` (any review, flipped ones too: see
    :func:`make_pool`). Raises ValueError (one line) for rates :func:`check_pool_rates` or
    :func:`make_pool` refuse, or a bad ``duplicates_of``, before any file is written.
    """
    out_dir = Path(out_dir)
    summary = {}
    for name, rows in generate(seed, pool_rates, duplicates_of).items():
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".txt"):
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                for r in rows:
                    f.write(r["text"] + "\n")
            summary[name] = sum(len(r["text"]) if name.startswith("zh_") else len(r["text"].split())
                                for r in rows)
            continue
        cols = _COLUMNS.get(name, ("id", "text", "label"))
        summary[name] = write_rows(path, cols, ([r[c] for c in cols] for r in rows))
    return summary


__all__ = ["DEFAULT_SEED", "DUPLICATES_OF", "build_corpus", "generate"]
