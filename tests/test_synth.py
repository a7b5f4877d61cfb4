"""Tests of the bundled-corpus generator (sftkit.synth) and of the committed data/.

The full build takes about a second, so the reproducibility test really rebuilds
everything and compares bytes. The property tests read the committed files (what
lessons actually load) and, where they need metadata, the in-memory ``generate``.
"""
from __future__ import annotations

import csv
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from sftkit.synth import DEFAULT_SEED, HELDOUT_WORDS, SEEN_WORDS, build_corpus, generate

DATA = Path(__file__).resolve().parent.parent / "data"
GENERATED = (
    "reviews/train.csv", "reviews/val.csv", "reviews/test.csv",
    "spam/train.csv", "spam/val.csv", "spam/test.csv",
    "pool/pool.csv", "pool/truth.csv", "pretrain/corpus.txt",
    "zh_reviews/train.csv", "zh_reviews/val.csv", "zh_reviews/test.csv", "zh_pretrain/corpus.txt",
)


def read_csv(name):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def words(text):
    return re.findall(r"[a-z]+", text.lower())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    t0 = time.perf_counter()
    summary = build_corpus(out, seed=DEFAULT_SEED)
    return out, summary, time.perf_counter() - t0


# ----------------------------------------------------------------------------- determinism
@pytest.mark.parametrize("name", GENERATED)
def test_build_reproduces_committed_file_byte_for_byte(built, name):
    out, _, _ = built
    assert (out / name).read_bytes() == (DATA / name).read_bytes(), (
        f"data/{name} differs from a fresh build; run `sftkit data build --out data`")


def test_build_is_fast_and_summary_counts_rows(built):
    out, summary, seconds = built
    assert seconds < 60
    assert summary["reviews/train.csv"] == len(read_csv("reviews/train.csv"))
    assert summary["pretrain/corpus.txt"] >= 300_000
    assert set(summary) == set(GENERATED)


def test_different_seed_gives_different_text():
    a, b = generate(DEFAULT_SEED), generate(DEFAULT_SEED + 1)
    for name in ("reviews/train.csv", "spam/train.csv", "pool/pool.csv", "pretrain/corpus.txt"):
        ta = [r["text"] for r in a[name]]
        tb = [r["text"] for r in b[name]]
        assert ta != tb
        # not merely reshuffled: most texts differ
        assert len(set(ta) & set(tb)) < 0.5 * len(ta)


# ----------------------------------------------------------------------------- reviews
def test_review_splits_sizes_columns_and_balance():
    for split, n in (("train", 4000), ("val", 500), ("test", 1000)):
        rows = read_csv(f"reviews/{split}.csv")
        assert len(rows) == n
        assert all(r["id"] == f"rev-{split}-{i:05d}" for i, r in enumerate(rows, 1))
        share = Counter(r["label"] for r in rows)["positive"] / n
        assert set(r["label"] for r in rows) == {"positive", "negative"}
        assert 0.45 <= share <= 0.55
        lengths = [len(r["text"].split()) for r in rows]
        assert min(lengths) >= 5 and sorted(lengths)[int(0.99 * n)] <= 40
    test = read_csv("reviews/test.csv")
    subsets = Counter(r["subset"] for r in test)
    assert subsets == {"standard": 800, "unseen_words": 200}


def test_heldout_words_absent_from_train_val_but_in_corpus_and_unseen_subset():
    train_val = {w for s in ("train", "val") for r in read_csv(f"reviews/{s}.csv") for w in words(r["text"])}
    leaked = [w for w in HELDOUT_WORDS if w in train_val]
    assert not leaked, f"held-out words in labelled train/val: {leaked}"
    corpus = Counter(words((DATA / "pretrain/corpus.txt").read_text(encoding="utf-8")))
    rare = {w: corpus[w] for w in HELDOUT_WORDS if corpus[w] < 100}
    assert not rare, f"held-out words too rare in corpus.txt: {rare}"
    for w in ("great", "awful", "love", "hate"):  # the seen words are there too
        assert corpus[w] >= 100
    unseen = [r for r in read_csv("reviews/test.csv") if r["subset"] == "unseen_words"]
    held, seen = set(HELDOUT_WORDS), set(SEEN_WORDS)
    for r in unseen:
        ws = set(words(r["text"]))
        assert ws & held, f"unseen_words row without a held-out word: {r['text']!r}"
        assert not ws & seen, f"unseen_words row with a seen sentiment word: {r['text']!r}"
        assert not ws & train_val.intersection(held)


def test_no_review_text_shared_between_splits_or_copied_into_corpus():
    texts = {s: [r["text"] for r in read_csv(f"reviews/{s}.csv")] for s in ("train", "val", "test")}
    assert not set(texts["train"]) & set(texts["test"])
    assert not set(texts["train"]) & set(texts["val"])
    assert not set(texts["val"]) & set(texts["test"])
    corpus = (DATA / "pretrain/corpus.txt").read_text(encoding="utf-8")
    copied = [t for t in texts["val"] + texts["test"] if t in corpus]
    assert not copied, f"labelled review texts copied into corpus.txt: {copied[:3]}"


def test_exact_duplicate_share_in_clean_splits_below_one_percent():
    for ds in ("reviews", "spam"):
        every = []
        for s in ("train", "val", "test"):
            texts = [r["text"] for r in read_csv(f"{ds}/{s}.csv")]
            every += texts
            assert 1 - len(set(texts)) / len(texts) < 0.01
        assert 1 - len(set(every)) / len(every) < 0.01


def test_bag_of_words_cannot_read_negation_alone():
    """Negation is applied to both polarities: 'not' must not predict the label."""
    rows = read_csv("reviews/train.csv")
    with_not = [r["label"] for r in rows if "not" in words(r["text"])]
    assert len(with_not) > 300
    share = with_not.count("positive") / len(with_not)
    assert 0.35 < share < 0.65


def test_every_review_shape_occurs_and_contrast_decides_by_connective():
    data = generate(DEFAULT_SEED)
    shapes = Counter(r["shape"] for r in data["reviews/train.csv"])
    assert len(shapes) >= 12
    assert len({r["template"] for r in data["reviews/train.csv"]}) >= 300
    but = [r for r in data["reviews/train.csv"] if r["shape"] == "contrast_but" and not r.get("noisy")]
    assert but and all(r["surface"] != r["label"] or "~neg" in r["template"] for r in but)


# ----------------------------------------------------------------------------- spam
def test_spam_rate_and_sizes():
    for split, n in (("train", 3000), ("val", 500), ("test", 1000)):
        rows = read_csv(f"spam/{split}.csv")
        assert len(rows) == n
        assert set(r["label"] for r in rows) == {"spam", "ham"}
        rate = sum(r["label"] == "spam" for r in rows) / n
        assert 0.12 <= rate <= 0.15


def test_spam_is_not_separable_by_single_words():
    """Words like 'free', 'won', 'call', 'parcel' and '£' occur in ham as well."""
    rows = read_csv("spam/train.csv")
    for w in ("free", "won", "call", "parcel", "number"):
        labels = {r["label"] for r in rows if w in words(r["text"])}
        assert labels == {"spam", "ham"}, w
    assert any("£" in r["text"] for r in rows if r["label"] == "ham")


# ----------------------------------------------------------------------------- pool
@pytest.fixture(scope="module")
def pool():
    rows = read_csv("pool/pool.csv")
    truth = read_csv("pool/truth.csv")
    return rows, truth


def test_pool_ids_and_truth_align(pool):
    rows, truth = pool
    ids = [r["id"] for r in rows]
    assert len(rows) >= 8000 and len(set(ids)) == len(ids)
    assert [t["id"] for t in truth] == ids  # every id exactly once, same order
    assert all(r["label"] in ("positive", "negative") for r in rows)
    assert set(t["status"] for t in truth) == {"clean", "flipped", "duplicate", "off_domain", "junk"}
    review_like = sum(t["status"] in ("clean", "flipped", "duplicate") for t in truth)
    assert review_like >= 8000


@pytest.mark.parametrize("status,target", [("flipped", 0.20), ("duplicate", 0.08),
                                           ("off_domain", 0.10), ("junk", 0.03)])
def test_pool_problem_rates(pool, status, target):
    _, truth = pool
    rate = sum(t["status"] == status for t in truth) / len(truth)
    assert abs(rate - target) <= 0.02


def test_pool_ground_truth_is_consistent(pool):
    rows, truth = pool
    by_id = {r["id"]: r for r in rows}
    status = {t["id"]: t["status"] for t in truth}
    flips = Counter()
    for t in truth:
        r = by_id[t["id"]]
        if t["status"] == "clean":
            assert r["label"] == t["true_label"] and not t["duplicate_of"]
        elif t["status"] == "flipped":
            assert t["true_label"] in ("positive", "negative") and r["label"] != t["true_label"]
            flips[t["detail"]] += 1
        elif t["status"] == "duplicate":
            orig = t["duplicate_of"]
            assert orig in by_id and status[orig] != "duplicate"
            assert by_id[orig]["label"] == r["label"] == t["true_label"]
            assert r["text"] != by_id[orig]["text"]  # near, not exact
        else:
            assert t["true_label"] == "" and not t["duplicate_of"]
    assert set(flips) == {"random", "systematic"}
    assert abs(flips["random"] - flips["systematic"]) <= 0.1 * sum(flips.values())


def test_pool_reviews_distinct_from_labelled_eval_splits(pool):
    rows, _ = pool
    evaluation = {r["text"] for s in ("val", "test") for r in read_csv(f"reviews/{s}.csv")}
    assert not evaluation & {r["text"] for r in rows}


def test_pool_problems_are_spread_out(pool):
    _, truth = pool
    # the longest run of non-clean rows should be short if rows were shuffled
    run = best = 0
    for t in truth:
        run = run + 1 if t["status"] != "clean" else 0
        best = max(best, run)
    assert best < 20
    half = len(truth) // 2
    first = sum(t["status"] == "flipped" for t in truth[:half])
    second = sum(t["status"] == "flipped" for t in truth[half:])
    assert abs(first - second) < 0.15 * (first + second)


def test_systematic_flips_follow_the_surface_word():
    data = generate(DEFAULT_SEED)
    sys_rows = [r for r in data["pool/pool.csv"] if r["status"] == "flipped" and r["detail"] == "systematic"]
    assert sys_rows and all(r["label"] == r["surface"] != r["true_label"] for r in sys_rows)


# --- the pool's rates are configurable (issue 15: where do duplicates, off-domain and junk rows start to hurt?)

def _statuses(rates=None, seed=DEFAULT_SEED):
    from sftkit.synth.build import make_pool

    _, truth = make_pool(seed, set(), rates)
    return Counter(r["status"] for r in truth), Counter(r["detail"] for r in truth if r["status"] == "flipped")


def test_pool_rates_set_the_counts_of_each_status_and_default_to_the_bundled_ones():
    from sftkit.synth.build import POOL_RATES, POOL_ROWS

    default, _ = _statuses()
    assert default == _statuses({})[0] == _statuses(dict(POOL_RATES))[0]
    assert default["duplicate"] == round(POOL_ROWS * POOL_RATES["duplicate"])
    counts, flips = _statuses({"junk": 0.25, "off_domain": 0.3, "duplicate": 0.05, "flipped": 0.1})
    assert counts == {"junk": 2500, "off_domain": 3000, "duplicate": 500, "flipped": 1000, "clean": 3000}
    assert flips == {"systematic": 500, "random": 500}
    assert sum(counts.values()) == POOL_ROWS


def test_pool_rates_change_only_the_pool_s_rows_that_depend_on_them():
    from sftkit.synth.build import make_pool

    a, _ = make_pool(DEFAULT_SEED, set())
    b, _ = make_pool(DEFAULT_SEED, set(), {"junk": 0.1})
    assert a != b
    # the same seed and rates give the same pool
    assert make_pool(DEFAULT_SEED, set(), {"junk": 0.1})[0] == b


@pytest.mark.parametrize("rates, message", [
    ({"typo": 0.1}, "unknown pool status 'typo'"),
    ({"junk": 1.0}, "junk=1 must be at least 0 and below 1"),
    ({"junk": -0.1}, "junk=-0.1 must be at least 0"),
    ({"junk": 0.5, "off_domain": 0.5}, "leave too few reviews"),
    ({"flipped": 0.9}, "systematic flips"),
])
def test_pool_rates_refuse_what_the_generator_cannot_make(rates, message):
    from sftkit.synth.build import make_pool

    with pytest.raises(ValueError, match=re.escape(message)):
        make_pool(DEFAULT_SEED, set(), rates)


@pytest.mark.parametrize("flag, message", [
    ("junk", "'junk' is not STATUS=SHARE"),
    ("junk=lots", "'junk=lots' is not STATUS=SHARE"),
    ("junk=0.5,off_domain=0.5", "--pool-rates: pool rates duplicate + off_domain + junk"),
    ("spam=0.1", "--pool-rates: unknown pool status 'spam'"),
])
def test_data_build_pool_rates_errors_are_one_line_and_write_nothing(tmp_path, run_cli, flag, message):
    out = tmp_path / "corpus"
    code, stdout, err = run_cli("data", "build", "--out", out, "--seed", "3", "--pool-rates", flag)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_more_duplicates_than_clean_reviews_copies_some_reviews_more_than_once():
    counts, _ = _statuses({"duplicate": 0.5, "flipped": 0.1})
    assert counts["duplicate"] == 5000 and counts["clean"] < 5000


# ----------------------------------------------------------------------------- what duplicates copy
def _copies(duplicates_of, rates=None, seed=DEFAULT_SEED):
    from sftkit.synth.build import make_pool

    rows, truth = make_pool(seed, set(), rates, duplicates_of=duplicates_of)
    return rows, truth


def test_duplicates_of_clean_is_the_default_and_copies_no_wrong_label():
    from sftkit.synth.build import make_pool

    rows, truth = _copies("clean", {"duplicate": 0.25})
    assert (rows, truth) == make_pool(DEFAULT_SEED, set(), {"duplicate": 0.25})
    copies = [r for r in rows if r["status"] == "duplicate"]
    assert len(copies) == 2500
    assert all(r["duplicate_of"]["status"] == "clean" for r in copies)
    assert not [r for r in copies if r["label"] != r["true_label"]]


def test_duplicates_of_any_copies_flipped_reviews_with_their_wrong_label_at_about_the_flipped_share():
    rows, truth = _copies("any", {"duplicate": 0.25})
    copies = [r for r in rows if r["status"] == "duplicate"]
    reviews = [r for r in rows if r["status"] in ("clean", "flipped")]
    flipped_share = sum(r["status"] == "flipped" for r in reviews) / len(reviews)
    wrong = [r for r in copies if r["label"] != r["true_label"]]
    # a copy keeps the original's given label and true label; wrong exactly when the original was flipped
    assert all(r["label"] == r["duplicate_of"]["label"] and r["true_label"] == r["duplicate_of"]["true_label"]
               for r in copies)
    assert [r for r in copies if r["duplicate_of"]["status"] == "flipped"] == wrong
    # 2,500 copies drawn without replacement from 7,200 reviews, 25% flipped: sd of the share about 0.007
    assert abs(len(wrong) / len(copies) - flipped_share) < 0.03
    # truth.csv records the copy's true label, so label != true_label is visible there
    by_id = {t["id"]: t for t in truth}
    assert sum(by_id[r["id"]]["true_label"] != r["label"] for r in copies) == len(wrong)
    # the pool's other rows are those of the default: only what the copies are drawn from changes
    clean_rows, _ = _copies("clean", {"duplicate": 0.25})
    assert Counter(r["status"] for r in rows) == Counter(r["status"] for r in clean_rows)
    assert sorted(r["text"] for r in reviews) == sorted(r["text"] for r in clean_rows
                                                        if r["status"] in ("clean", "flipped"))
    # the same seed gives the same pool
    assert _copies("any", {"duplicate": 0.25}) == (rows, truth)


def test_duplicates_of_any_copies_some_reviews_more_than_once_when_copies_outnumber_them():
    rows, _ = _copies("any", {"duplicate": 0.6, "flipped": 0.05})
    originals = Counter(r["duplicate_of"]["id"] for r in rows if r["status"] == "duplicate")
    assert sum(originals.values()) == 6000 and max(originals.values()) > 1


def test_duplicates_of_refuses_an_unknown_value_in_one_line_before_writing(tmp_path):
    from sftkit.synth.build import make_pool

    with pytest.raises(ValueError, match=r"^duplicates_of='flipped': expected one of clean, any$"):
        make_pool(DEFAULT_SEED, set(), None, duplicates_of="flipped")
    with pytest.raises(ValueError, match=r"^duplicates_of='all': expected one of clean, any$"):
        build_corpus(tmp_path / "corpus", duplicates_of="all")
    assert not (tmp_path / "corpus").exists()


def test_data_build_duplicates_of_bad_value_is_one_line_exit_2_and_writes_nothing(tmp_path, run_cli):
    out = tmp_path / "corpus"
    code, stdout, err = run_cli("data", "build", "--out", out, "--seed", "3", "--duplicates-of", "flipped")
    assert code == 2 and not stdout
    assert err.strip() == "sftkit: error: --duplicates-of: 'flipped' is not one of clean, any"
    assert not out.exists()


def test_data_build_duplicates_of_any_writes_copies_with_wrong_labels(tmp_path, run_cli):
    out = tmp_path / "corpus"
    code, stdout, err = run_cli("data", "build", "--out", out, "--seed", "3", "--duplicates-of", "any",
                                "--pool-rates", "duplicate=0.25")
    assert code == 0, err
    with open(out / "pool" / "pool.csv", encoding="utf-8", newline="") as f:
        labels = {r["id"]: r["label"] for r in csv.DictReader(f)}
    with open(out / "pool" / "truth.csv", encoding="utf-8", newline="") as f:
        truth = list(csv.DictReader(f))
    copies = [r for r in truth if r["status"] == "duplicate"]
    statuses = Counter(r["status"] for r in truth)
    flipped_share = statuses["flipped"] / (statuses["flipped"] + statuses["clean"])  # 2,000 of 6,200
    wrong = sum(labels[r["id"]] != r["true_label"] for r in copies)
    assert len(copies) == 2500 and abs(wrong / len(copies) - flipped_share) < 0.03
