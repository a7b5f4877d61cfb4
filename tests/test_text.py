"""Tokenizers: English unchanged, Chinese per character or per word, mixed text, saving."""
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from sftkit.text import (TOKENIZERS, cjk_share, make_vectorizer, non_ascii_share, resolve_tokenizer, simple_tokens,
                         suggest_sequence_length, token_lengths, tokenize, tokenizer_of, vectorize)

MIXED = ["这款iPhone很好用，价格１００元！！😊", "Ｈｅｌｌｏ，世界。不太好…"]


def test_words_is_unchanged_for_english():
    text = "Don't buy it, it's BAD! The lid (blue) costs $30."
    expected = ["dont", "buy", "it", "its", "bad", "the", "lid", "blue", "costs", "30"]
    assert simple_tokens(text) == expected
    assert tokenize([text]) == tokenize([text], "words") == [expected]
    layer = make_vectorizer([text], sequence_length=12)
    assert layer.get_config()["standardize"] == "lower_and_strip_punctuation"
    assert layer.get_config()["split"] == "whitespace"
    assert tokenizer_of(layer) == "words"


def test_simple_tokens_are_the_tokens_the_words_vectorizer_sees_beyond_ascii():
    """Keras's default standardisation lower-cases ASCII only and splits on ASCII white space;
    simple_tokens (lesson 02's plain-Python copy, used for OOV counts and lengths) must agree."""
    text = "Émile's CAFÉ—naïve\u00a0Übel, ÜBEL und übel\u3000ok\ttab"
    tokens = simple_tokens(text)
    assert tokens == ["Émiles", "cafÉ—naïve\u00a0Übel", "Übel", "und", "übel\u3000ok", "tab"]
    vocabulary = [str(w) for w in make_vectorizer([text]).get_vocabulary()[2:]]
    assert sorted(vocabulary) == sorted(set(tokens))
    assert tokenize([text], "words") == [tokens]


def test_words_leaves_a_chinese_review_as_one_token():
    assert tokenize(["虽然贵，但是质量不错。"], "words") == [["虽然贵，但是质量不错。"]]


def test_chars_tokens_chinese_mixed_and_fullwidth():
    assert tokenize(MIXED, "chars") == [
        ["这", "款", "iphone", "很", "好", "用", "价", "格", "100", "元", "😊"],
        ["hello", "世", "界", "不", "太", "好"],
    ]
    assert tokenize(["Don't buy it, it's BAD!"], "chars") == [["dont", "buy", "it", "its", "bad"]]


def test_chars_bigrams_appends_neighbour_pairs():
    assert tokenize(["质量不错！"], "chars+bigrams") == [["质", "量", "不", "错", "质量", "量不", "不错"]]


def test_jieba_segments_words():
    assert tokenize(["虽然贵，但是质量不错。", "这款iPhone很好用"], "jieba") == [
        ["虽然", "贵", "但是", "质量", "不错"], ["这款", "iphone", "很", "好", "用"]]


def test_auto_picks_by_script():
    assert resolve_tokenizer("auto", ["the kettle is great", "不错"]) == "words"
    assert resolve_tokenizer("auto", MIXED) == "jieba"
    assert cjk_share(["abc"]) == 0.0 and cjk_share(["中文"]) == 1.0
    assert resolve_tokenizer("auto", vocabulary=["", "[UNK]", "好", "不"]) == "chars"
    assert resolve_tokenizer("auto", vocabulary=["", "[UNK]", "好", "质量", "用起来"]) == "jieba"
    assert resolve_tokenizer("auto", vocabulary=["", "[UNK]", "good", "bad"]) == "words"
    with pytest.raises(ValueError, match="unknown tokenizer 'spaces'; choose one of auto, words"):
        resolve_tokenizer("spaces", ["x"])
    assert TOKENIZERS[0] == "auto"


def test_unicode_words_lower_cases_and_strips_punctuation_in_every_script():
    texts = ["Привет, Мир! Это «ХОРОШО» — очень.", "ΚΑΛΟ; Übel ist GUT\u00a0ça\u3000va", "مرحبا، بالعالم!"]
    assert tokenize(texts, "unicode-words") == [
        ["привет", "мир", "это", "хорошо", "очень"],
        ["καλο", "übel", "ist", "gut", "ça", "va"],        # no-break and ideographic spaces split (NFKC)
        ["مرحبا", "بالعالم"],
    ]
    # "words" (Keras's default) leaves these as different tokens: capitals and «» stay
    assert tokenize(texts[:1], "words") == [["Привет", "Мир", "Это", "«ХОРОШО»", "—", "очень"]]
    layer = make_vectorizer(texts, sequence_length=8, tokenizer="unicode-words")
    assert tokenizer_of(layer) == "unicode-words"
    vocab = layer.get_vocabulary()
    assert [vocab[i] for i in vectorize(layer, ["ХОРОШО, «мир»"])[0] if i] == ["хорошо", "мир"]


def test_auto_picks_unicode_words_for_mostly_non_ascii_space_separated_text():
    assert resolve_tokenizer("auto", ["Это очень хорошо", "Плохо"]) == "unicode-words"
    assert resolve_tokenizer("auto", ["Καλό προϊόν"]) == "unicode-words"
    assert resolve_tokenizer("auto", ["Das ist übel, aber gut", "ça va très bien"]) == "words"  # mostly ASCII letters
    assert resolve_tokenizer("auto", ["这个很好 очень"]) == "jieba"                            # Chinese decides first
    assert non_ascii_share(["abc", "дд"]) == 0.4 and non_ascii_share(["123 !"]) == 0.0
    # from a pretrained vocabulary: lower-cased non-ASCII tokens mean unicode-words; a capital means words
    assert resolve_tokenizer("auto", vocabulary=["", "[UNK]", "хорошо", "плохо", "и"]) == "unicode-words"
    assert resolve_tokenizer("auto", vocabulary=["", "[UNK]", "Хорошо", "плохо"]) == "words"


def test_lengths_and_sequence_length_use_the_tokenizer():
    texts = ["质量很好"] * 10 + ["质量很好，但是价格有点贵"] * 10
    assert list(token_lengths(texts[9:11], "chars")) == [4, 11]
    assert list(token_lengths(texts[9:11])) == [3, 7]  # auto = jieba: 质量 很 好 / 质量 很 好 但是 价格 有点 贵
    assert list(token_lengths(texts[9:11], "words")) == [1, 1]
    assert suggest_sequence_length(texts) == 8


def test_vectorizer_matches_tokenize():
    texts = ["质量很好", "价格有点贵，质量不好", "好"]
    layer = make_vectorizer(texts, sequence_length=12, tokenizer="chars")
    assert tokenizer_of(layer) == "chars"
    assert tokenizer_of(make_vectorizer(texts, sequence_length=12)) == "jieba"
    vocab = layer.get_vocabulary()
    ids = vectorize(layer, ["质量不好"])
    assert [vocab[i] for i in ids[0] if i] == ["质", "量", "不", "好"]
    assert vectorize(layer, ["很好 unknownword"])[0][:3].tolist() == [vocab.index("很"), vocab.index("好"), 1]


@pytest.mark.parametrize("tokenizer", ["chars", "jieba", "unicode-words"])
def test_saved_chinese_model_predicts_raw_strings_in_a_fresh_process(tmp_path, tokenizer):
    from sftkit.models import TextClassifier, build_classifier

    texts = ["质量很好", "非常满意", "质量不好", "很失望"] * 8
    if tokenizer == "unicode-words":
        texts = ["Очень ХОРОШО", "отлично", "Плохо!", "ужасно"] * 8
    labels = np.array([1, 1, 0, 0] * 8)
    layer = make_vectorizer(texts, sequence_length=8, tokenizer=tokenizer)
    net = build_classifier(layer.vocabulary_size(), 2, embedding_dim=8, lstm_units=8, sequence_length=8,
                           learning_rate=0.05)
    net.fit(vectorize(layer, texts), labels, epochs=20, verbose=0)
    clf = TextClassifier(layer, net, ["negative", "positive"])
    probe = ["质量很好！", "很失望。"] if tokenizer != "unicode-words" else ["очень хорошо!", "«Ужасно»"]
    here = clf.predict_proba(probe)
    clf.save(tmp_path / "m")
    script = textwrap.dedent(f"""
        import numpy as np
        from sftkit.models import TextClassifier
        from sftkit.text import tokenizer_of
        clf = TextClassifier.load({str(tmp_path / 'm')!r})
        print(tokenizer_of(clf.vectorizer))
        print(clf.vectorizer(np.array({probe!r})).numpy().tolist())
        print(np.round(clf.predict_proba({probe!r}), 5).tolist())
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    name, ids, proba = out.stdout.strip().splitlines()[-3:]
    assert name == tokenizer
    assert eval(ids) == layer(np.array(probe)).numpy().tolist()
    assert np.allclose(eval(proba), np.round(here, 5), atol=1e-4)


def test_vocabulary_warnings_say_what_to_do():
    from sftkit.text import vocabulary_warnings

    zh = ["这个电水壶质量很好", "烧水很快，我很满意", "用了三天就坏了", "外观一般般"] * 3
    words = make_vectorizer(zh, tokenizer="words", sequence_length=8)
    w = vocabulary_warnings(words, ["包装很仔细", "客服不回消息"])
    assert w == ["all of the tokens are unknown to the vocabulary (4 tokens, tokenizer words): the model sees "
                 "only [UNK]; use --tokenizer jieba (or auto) for text without spaces",
                 "the median text is 1 token long (tokenizer words): the model cannot read inside a text; "
                 "use --tokenizer jieba (or auto) for text without spaces"]
    chars = make_vectorizer(zh, sequence_length=8, tokenizer="chars")
    assert vocabulary_warnings(chars, ["质量很好", "我很满意"]) == []
    english = make_vectorizer(["the kettle is great", "the lid is awful"], sequence_length=8)
    assert vocabulary_warnings(english, ["the kettle is awful"]) == []
    unknown, single = vocabulary_warnings(english, ["质量很好，我很满意"])
    assert unknown.startswith("all of the tokens are unknown") and "sees only [UNK]" in unknown and unknown.endswith("without spaces")
    assert single.startswith("the median text is 1 token long (tokenizer words)")
    pretrained_en = make_vectorizer(vocabulary=["", "[UNK]", "the", "kettle"], tokenizer="chars", sequence_length=8)
    (msg,) = vocabulary_warnings(pretrained_en, ["质量很好", "我很满意"])
    assert msg.endswith("train without --pretrained, or pretrain a model on text like this one")


def test_the_unknown_token_warning_says_all_only_when_every_token_is_unknown():
    from sftkit.text import make_vectorizer, vocabulary_warnings

    vec = make_vectorizer(["alpha beta gamma delta"] * 3, sequence_length=8)
    (almost,) = vocabulary_warnings(vec, ["alpha " + " ".join(f"w{i}" for i in range(299))])
    assert almost.startswith("99.7% of the tokens are unknown") and "sees mostly [UNK]" in almost
    (most,) = vocabulary_warnings(vec, ["alpha zeta eta theta"])
    assert most.startswith("75% of the tokens are unknown") and "sees mostly [UNK]" in most
