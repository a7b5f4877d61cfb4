"""The quality rules on text that is not English: accented Latin, scripts with combining
vowel signs (Thai, Hindi, Myanmar, Khmer ...), scripts written without spaces (Chinese,
Japanese, Thai), emoji. Each case is an ordinary review that must pass, or junk of the kind
an English rule already catches, which must be caught in that script too."""
from __future__ import annotations

import pytest

from sftkit.selection import quality

RULES = quality.QualityRules()

ORDINARY = {
    "fr": "Très déçu, hélas : l'écran s'est éteint après une journée.",
    "vi": "Sản phẩm rất tốt, giao hàng nhanh",
    "vi_short": "Tốt, đẹp, rẻ",
    "hu": "Jó minőség, köszönöm szépen",
    "tr": "Ürün çok güzel, teşekkürler",
    "da": "Rødgrøden smagte godt, og æblerne var søde",
    "is": "Þetta var ágætt og ég er ánægð",
    "pl": "Świetny produkt, polecam każdemu",
    "cs": "Výborný výrobek, doporučuji",
    "de": "Sehr gut verarbeitet, schnelle Lieferung, gerne wieder",
    "th": "สินค้าคุณภาพดีมาก ส่งของรวดเร็ว แพ็คของมาอย่างดี",
    "lo": "ສິນຄ້າດີຫຼາຍ ສົ່ງໄວ ຂອບໃຈຫຼາຍ",
    "my": "ဒီပစ္စည်းက အရမ်းကောင်းပါတယ် မြန်မြန်ရောက်တယ်",
    "km": "ល្អណាស់ ខ្ញុំចូលចិត្ត",
    "hi": "यह उत्पाद बहुत अच्छा है और डिलीवरी भी जल्दी हुई",
    "ta": "இந்த பொருள் மிகவும் நன்றாக உள்ளது",
    "bn": "পণ্যটি খুব ভালো এবং দ্রুত পৌঁছেছে",
    "ar": "المنتج ممتاز والتوصيل سريع جدا",
    "he": "המוצר מצוין והמשלוח היה מהיר",
    "ru": "Отличный чайник, очень доволен покупкой.",
    "zh": "这个电水壶质量很好，烧水也快，我很满意。",
    "zh_tshirt": "这款T恤有点粗糙，并且包装真的很难受。",   # one Latin letter is not keyboard mashing
    "ja": "この掃除機は音が静かで吸引力も強く、とても満足しています。",
    "ko": "배송이 빠르고 품질도 아주 좋아요",
    "emoji": "Love it so much ❤️❤️❤️❤️❤️❤️",
    "bangs": "I love it!!!!!!!!!!!!!!!!!!!!",
    "bangs_emoji": "10/10!!! would buy again 👍👍👍👍",
    "keycap": "Works great 1️⃣0️⃣/1️⃣0️⃣ buy it",
}


@pytest.mark.parametrize("name", sorted(ORDINARY))
def test_an_ordinary_review_in_any_script_passes_every_rule(name):
    assert quality.check(ORDINARY[name], RULES) == (1.0, ""), quality.features(ORDINARY[name])


@pytest.mark.parametrize("c,vowel", [("é", True), ("ố", True), ("ő", True), ("ü", True), ("ı", True), ("ø", True),
                                     ("æ", True), ("Ä", True), ("y", True), ("đ", False), ("ç", False), ("ß", False)])
def test_accented_latin_vowels_are_vowels(c, vowel):
    assert quality.is_vowel(c) is vowel


def test_keyboard_mashing_with_accents_is_still_few_vowels():
    assert quality.check("ŕťžšč ďťřň čšžť", RULES)[1] == "quality: few vowels (0.00)"


@pytest.mark.parametrize("text,words", [
    ("आज का दिन अच्छा था", 5),                   # Hindi vowel signs (marks) stay inside their words
    ("இந்த பொருள் மிகவும் நன்றாக உள்ளது", 5),      # Tamil
    ("สินค้าดีมาก", 3),                            # Thai: letters / 2.75, not one per vowel sign
    ("质量很好abc", 4),
])
def test_words_are_counted_with_their_combining_marks(text, words):
    assert quality.word_count(text) == words


def test_thai_and_japanese_reviews_count_about_as_many_words_as_a_person_would():
    # segmented by hand: 43 Thai words; the Japanese review says what 53 English words say
    thai = ("สินค้าคุณภาพดีมาก ส่งของรวดเร็ว แพ็คของมาอย่างดี ผู้ขายตอบคำถามไวมาก ราคาไม่แพงเลย คุ้มค่ามาก "
            "จะกลับมาซื้ออีกแน่นอน แนะนำให้เพื่อนๆ มาซื้อกันเยอะๆ นะคะ ขอบคุณมากค่ะ")
    japanese = ("この掃除機は音が静かで吸引力も強く、とても満足しています。バッテリーの持ちも良く、一回の充電で家全体を"
                "掃除できます。デザインもシンプルで気に入っています。ただ、ダストボックスが少し小さいので、こまめに"
                "捨てる必要があります。価格を考えると十分な性能だと思います。")
    assert 35 <= quality.word_count(thai) <= 55
    assert 40 <= quality.word_count(japanese) <= 70
    for text in (thai, japanese, thai + " " + thai):
        assert quality.check(text, RULES) == (1.0, "")


def test_a_one_word_review_is_too_short_in_thai_as_in_english():
    assert quality.check("ดี", RULES)[1] == "quality: too short (1 words)"
    assert quality.check("good", RULES)[1] == "quality: too short (1 words)"


@pytest.mark.parametrize("text", ["啊啊啊啊啊啊啊啊啊啊啊啊啊", "哈哈哈哈哈哈哈哈哈哈哈", "好好好好好好好好好好好好",
                                  "ดีดีดีดีดีดีดีดีดีดี", "すごいすごいすごいすごいすごい",
                                  "wow wow wow wow wow wow wow wow"])
def test_repeated_junk_is_repetitive_in_every_script(text):
    assert quality.check(text, RULES)[1].startswith("quality: repetitive")


def test_emoji_and_symbols_alone_are_still_no_words():
    for text in ("👍👍👍", "❤️❤️", "★★★★★", "!!!???"):
        assert quality.check(text, RULES)[1] == "quality: no words (only symbols, digits or punctuation)"


def test_emoji_and_repeated_marks_do_not_count_against_the_letters():
    # judged as the words alone: "Love it" is two words, too short like "very good", not "few letters"
    assert quality.check("Love it ❤️❤️❤️", RULES) == quality.check("Love it", RULES)
    assert quality.check("Love it ❤️❤️❤️", RULES)[1] == "quality: too short (2 words)"
    share = quality.features("I love it!!!!!!!!!!!!!!!!!!!!")["letter_share"]
    assert share == quality.features("I love it!")["letter_share"]


def _review_file(n):
    """``n`` ordinary English reviews built from a small vocabulary (every word seen many times)."""
    things = ["kettle", "lamp", "blender", "chair", "towel"]
    verdicts = ["works well", "broke soon", "looks nice", "is fine"]
    return [f"the {things[i % 5]} {verdicts[i // 5 % 4]} and I use it daily" for i in range(n)]


def test_the_unknown_words_rule_leaves_scripts_the_file_holds_few_words_of_alone():
    texts = _review_file(quality.MIN_TEXTS_FOR_VOCABULARY) + [
        "这个产品质量非常好，物流也很快，下次还会再买",          # Chinese in an English file: nothing to judge it by
        "สินค้าคุณภาพดีมาก ส่งของรวดเร็ว แพ็คของมาอย่างดี",
        "zorblat quenfix mivvle drabnok"]                       # Latin-script words the file never holds
    s = quality.quality_scores(texts)
    assert s.drop.tolist()[-3:] == [False, False, True], s.reason[-3:]
    assert s.reason[-1] == "quality: unknown words (1.00)"
    assert s.extra["notes"][0].startswith("quality: the unknown-words rule is on: it runs on files of 500 rows "
                                          "or more (this one has 503)")
    assert "(1 rows here)" in s.extra["notes"][0]
    small = quality.quality_scores(texts[-10:])
    assert small.extra["notes"][0].startswith("quality: the unknown-words rule is off")


def test_select_warns_when_no_row_is_left_and_notes_the_unknown_words_rule(tmp_path, run_cli):
    import json

    src = tmp_path / "emoji.csv"
    src.write_text("text,label\n" + "".join(f"{e},{lab}\n" for e, lab in [("👍👍👍", "pos"), ("😡😡", "neg")] * 3),
                   encoding="utf-8")
    code, out, err = run_cli("select", "--data", src, "--strategy", "quality", "--out", tmp_path / "o")
    assert code == 0 and "quality: kept 0 of 6 rows" in out
    assert err.strip().splitlines()[-1] == "sftkit: warning: no row is left: quality rejected all 6 rows (see rejected.csv)"
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert summary["notes"][0] == "warning: no row is left: quality rejected all 6 rows (see rejected.csv)"
    assert summary["notes"][1].startswith("quality: the unknown-words rule is off")
    assert "note: quality: the unknown-words rule is off" in out
