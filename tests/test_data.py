"""Loading labelled files, validation errors, stratified splits."""
import json

import pytest

from sftkit.data import DataError, LabelledTexts, check_splits, load_labelled, stratified_split
from tests.conftest import tiny_rows, write_csv


def test_csv_tsv_jsonl_load_the_same(tmp_path):
    rows = tiny_rows(20)
    write_csv(tmp_path / "a.csv", rows)
    (tmp_path / "a.tsv").write_text("id\ttext\tlabel\n" + "".join(f"{r['id']}\t{r['text']}\t{r['label']}\n" for r in rows))
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    loaded = [load_labelled(tmp_path / f"a.{ext}") for ext in ("csv", "tsv", "jsonl")]
    for d in loaded:
        assert d.ids == [r["id"] for r in rows]
        assert d.texts == [r["text"] for r in rows]
        assert d.labels == [r["label"] for r in rows]
    assert loaded[0].classes == ["negative", "positive"]


def test_other_column_names_and_missing_ids(tmp_path):
    p = tmp_path / "b.csv"
    p.write_text('review,stars\n"good, very good",5\nbad,1\n', encoding="utf-8")
    d = load_labelled(p, text_col="review", label_col="stars")
    assert d.texts == ["good, very good", "bad"] and d.labels == ["5", "1"]
    assert d.ids == ["row-1", "row-2"] and d.lines == [2, 3]


@pytest.mark.parametrize("content, fragment", [
    (b"", "the file is empty"),
    (b"id,text,label\n", "no examples after the header"),
    (b"id,words,label\n1,hi,a\n", "no column 'text'"),
    (b"id,text,label\n1,hello,pos\n2,  ,neg\n", "line 3: empty text"),
    (b"id,text,label\n1,hello,pos\n2,bye,\n", "line 3: missing label"),
    (b"id,text,label\n1,hello,pos\n1,bye,neg\n", "id '1' already used on line 2"),
    (b"id,text,label\n1,hello,pos\n2,caf\xe9,neg\n", "line 3: byte 0xe9 is not valid UTF-8"),
    (b"id,text,label\n1,hello,pos,extra\n", "line 2: 4 fields but the header has 3"),
    # a short row is named as one, not as an empty value (and which column it never reached)
    (b"id,text,label\n1,hello,pos\n2,bye\n", "line 3: 2 fields but the header has 3, so no value for column 'label'"),
    (b"label,text,id\npos,hello,1\nneg\n", "line 3: 1 field but the header has 3, so no value for column 'text'"),
    (b"id\ttext\tlabel\n1\thello\tpos\n2\tbye\n", "line 3: 2 fields but the header has 3, so no value"),
])
def test_bad_files_give_one_line_errors(tmp_path, content, fragment):
    p = tmp_path / ("bad.tsv" if b"\t" in content else "bad.csv")
    p.write_bytes(content)
    with pytest.raises(DataError) as info:
        load_labelled(p)
    msg = str(info.value)
    assert fragment in msg and msg.startswith(str(p)) and "\n" not in msg


def test_missing_file_and_unknown_suffix(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load_labelled(tmp_path / "nope.csv")
    (tmp_path / "x.xlsx").write_text("a")
    with pytest.raises(DataError, match="unknown file type '.xlsx'"):
        load_labelled(tmp_path / "x.xlsx")


def test_bad_jsonl_line(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text('{"text": "a", "label": "x"}\n{"text": "b", "label": \n')
    with pytest.raises(DataError, match="line 2: not valid JSON"):
        load_labelled(p)


def test_stratified_split_keeps_class_shares_and_is_seeded():
    labels = ["a"] * 80 + ["b"] * 20
    data = LabelledTexts.from_lists([f"t{i}" for i in range(100)], labels)
    train, val, test = stratified_split(data, 0.1, 0.1, seed=3)
    assert (len(train), len(val), len(test)) == (80, 10, 10)
    assert val.labels.count("b") == 2 and test.labels.count("b") == 2
    assert not set(train.ids) & set(val.ids) and not set(train.ids) & set(test.ids)
    again = stratified_split(data, 0.1, 0.1, seed=3)
    assert again[1].ids == val.ids
    other = stratified_split(data, 0.1, 0.1, seed=4)
    assert other[1].ids != val.ids


def test_split_refuses_tiny_classes():
    data = LabelledTexts.from_lists([f"t{i}" for i in range(31)], ["a"] * 30 + ["b"], source="f.csv")
    with pytest.raises(DataError, match="f.csv: line 31: class 'b' has 1 example, too few to split"):
        stratified_split(data)


def test_check_splits():
    train = LabelledTexts.from_lists(["a", "b", "c", "d"], ["x", "x", "y", "y"], source="train.csv")
    test = LabelledTexts.from_lists(["e", "f"], ["x", "z"], source="test.csv")
    with pytest.raises(DataError, match="test.csv: line 2: label 'z' does not occur in the training data"):
        check_splits(train, test)
    lonely = LabelledTexts.from_lists(["a", "b", "c"], ["x", "x", "y"], source="train.csv")
    with pytest.raises(DataError, match="line 3: class 'y' has only one example"):
        check_splits(lonely)


def test_take_refuses_a_boolean_mask_instead_of_reading_it_as_rows_0_and_1():
    import numpy as np

    data = LabelledTexts.from_lists(["a", "b", "c"], ["x", "y", "x"])
    assert data.take(np.array([2, 0])).texts == ["c", "a"]
    assert data.take(np.flatnonzero(np.array([True, False, True]))).texts == ["a", "c"]
    for mask in (np.array([True, False, True]), [True, False, True], [np.True_, np.False_, np.True_]):
        with pytest.raises(TypeError, match=r"not a boolean mask; pass np.flatnonzero\(mask\)"):
            data.take(mask)
