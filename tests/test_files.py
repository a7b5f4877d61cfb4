"""Files as people save them, and every file sftkit writes reading back identically (issue 11: 3, 4, 8, 10)."""
import csv
import io
import json
import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sftkit.data import (LINE_BREAKS, DataError, LabelledTexts, RowStream, format_row, label_warnings,
                         load_labelled, write_labelled, write_rows)

# ----------------------------------------------------------------------------- readers used to check


def read_with_csv_module(path, fmt):
    """(ids, texts, labels) with Python's csv module (TSV: quoting off, as TSV is written)."""
    with open(path, newline="", encoding="utf-8") as f:
        kw = {"delimiter": "\t", "quoting": csv.QUOTE_NONE} if fmt == "tsv" else {}
        rows = list(csv.DictReader(f, **kw))
    return [r["id"] for r in rows], [r["text"] for r in rows], [r["label"] for r in rows]


def read_with_pandas(path, fmt):
    if fmt == "jsonl":
        df = pd.read_json(path, lines=True, dtype=False)
    else:
        kw = {"sep": "\t", "quoting": csv.QUOTE_NONE} if fmt == "tsv" else {}
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, **kw)
    return df["id"].tolist(), df["text"].tolist(), df["label"].tolist()


def read_with_json(path):
    rows = [json.loads(line) for line in open(path, encoding="utf-8").read().split("\n") if line]
    return [r["id"] for r in rows], [r["text"] for r in rows], [r["label"] for r in rows]


def read_with_sftkit(path):
    d = load_labelled(path, allow_empty_text=True)
    return d.ids, d.texts, d.labels


# ----------------------------------------------------------------------------- round trip (property)

SPECIAL = list(LINE_BREAKS) + ['"', "'", ",", ";", "\t", " ", "\r\n", "中", "文", "字", "😀", "🎉", "é", "\ufeff"]
any_char = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
pieces = st.one_of(st.sampled_from(SPECIAL), any_char)
texts = st.lists(pieces, max_size=30).map("".join)
# ids and labels are stripped by the loader (a label " spam" is "spam"), so they are drawn stripped
names = st.lists(pieces, min_size=1, max_size=8).map("".join).filter(lambda s: s and s == s.strip())


@st.composite
def tables(draw):
    n = draw(st.integers(1, 8))
    ids = draw(st.lists(names, min_size=n, max_size=n, unique=True))
    return ids, draw(st.lists(texts, min_size=n, max_size=n)), draw(st.lists(names, min_size=n, max_size=n))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=tables())
def test_csv_and_jsonl_read_back_identically_with_sftkit_csv_and_pandas(tmp_path, table):
    ids, txts, labels = table
    for fmt in ("csv", "jsonl"):
        path = tmp_path / f"t.{fmt}"
        assert write_rows(path, ["id", "text", "label"], zip(ids, txts, labels)) == len(ids)
        assert read_with_sftkit(path) == (ids, txts, labels)
        assert read_with_pandas(path, fmt) == (ids, txts, labels)
        other = read_with_csv_module(path, fmt) if fmt == "csv" else read_with_json(path)
        assert other == (ids, txts, labels)
        assert not [p for p in os.listdir(tmp_path) if p.endswith(".partial")]


tsv_safe = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\t" + LINE_BREAKS)
tsv_texts = st.text(alphabet=st.one_of(st.sampled_from(['"', "'", ",", ";", " ", "中", "😀"]), tsv_safe), max_size=30)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(txts=st.lists(tsv_texts, min_size=1, max_size=8))
def test_tsv_is_written_unquoted_and_reads_back_with_quoting_off(tmp_path, txts):
    ids, labels = [f"r{i}" for i in range(len(txts))], ["a"] * len(txts)
    path = tmp_path / "t.tsv"
    write_rows(path, ["id", "text", "label"], zip(ids, txts, labels))
    assert read_with_sftkit(path) == (ids, txts, labels)
    assert read_with_csv_module(path, "tsv") == (ids, txts, labels)
    assert read_with_pandas(path, "tsv") == (ids, txts, labels)


@pytest.mark.parametrize("bad", ["a\tb", "a\nb", "a\u2028b", "a\x0bb"])
def test_tsv_writer_refuses_what_unquoted_tsv_cannot_hold(tmp_path, bad):
    path = tmp_path / "t.tsv"
    with pytest.raises(ValueError, match="a TSV field cannot hold a tab or a line break"):
        write_rows(path, ["id", "text"], [["1", "fine"], ["2", bad]])
    assert list(tmp_path.iterdir()) == []  # nothing written, no partial file left


def test_every_line_break_is_quoted_and_a_lone_empty_field_is_not_a_blank_line():
    for c in LINE_BREAKS:
        assert format_row(["1", f"a{c}b"]) == f'1,"a{c}b"\n'
    assert format_row(["say \"hi\", ok"]) == '"say ""hi"", ok"\n'
    assert format_row([""]) == '""\n' and format_row(["", ""]) == ",\n"
    assert format_row(["a", 'b"c'], "jsonl", ["x", "y"]) == '{"x": "a", "y": "b\\"c"}\n'
    assert format_row(["a\u2028b\x85"], "jsonl", ["x"]) == '{"x": "a\\u2028b\\u0085"}\n'


def test_write_labelled_keeps_extra_columns_and_a_failed_write_leaves_the_old_file(tmp_path):
    d = LabelledTexts(ids=["a", "b"], texts=["x\ry", "z"], labels=["p", "q"], extra={"note": ["n1", "n\u2029"]})
    path = tmp_path / "d.csv"
    write_labelled(path, d)
    back = load_labelled(path)
    assert (back.ids, back.texts, back.labels, back.extra) == (d.ids, d.texts, d.labels, d.extra)
    before = path.read_bytes()

    def rows():
        yield ["c", "t", "p", "n"]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_rows(path, ["id", "text", "label", "note"], rows())
    assert path.read_bytes() == before and sorted(os.listdir(tmp_path)) == ["d.csv"]


def test_written_files_honour_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_rows(tmp_path / "u.csv", ["a"], [["1"]])
    finally:
        os.umask(old)
    assert (tmp_path / "u.csv").stat().st_mode & 0o777 == 0o644


def test_the_bundled_pool_reads_the_same_with_all_three_readers():
    from sftkit.data import data_dir

    path = data_dir() / "pool" / "pool.csv"
    mine = read_with_sftkit(path)
    assert len(mine[0]) == 10000
    assert read_with_csv_module(path, "csv") == mine
    assert read_with_pandas(path, "csv") == mine


# ----------------------------------------------------------------------------- no silent row loss


def lines_file(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_tsv_text_starting_with_a_quote_stays_a_text_and_every_line_is_a_row(tmp_path):
    quote = '"'
    body = "".join(f"{i}\t{quote if i % 7 == 3 else ''}text {i}\t{'a' if i % 2 else 'b'}\n" for i in range(200))
    p = lines_file(tmp_path, "q.tsv", "id\ttext\tlabel\n" + body)
    d = load_labelled(p)
    assert len(d) == 200 == sum(1 for line in body.splitlines() if line.strip())
    assert d.texts[3] == '"text 3' and d.texts[4] == "text 4"
    with RowStream(p) as rows:
        assert len(list(rows)) == 200


def test_tsv_with_a_lone_carriage_return_is_two_rows_not_one_glued_row(tmp_path):
    p = lines_file(tmp_path, "cr.tsv", "id\ttext\tlabel\n1\tone\ta\r2\ttwo\tb\r\n3\tthree\ta\n")
    assert load_labelled(p).texts == ["one", "two", "three"]


@pytest.mark.parametrize("quoted, problem", [
    (False, "a quote opens in this row and never closes"),
    (True, "a quote opens in this row and runs on to line 7, where it closes with more text after it"),
])
def test_csv_quote_that_never_closes_stops_at_the_line_where_it_opened(tmp_path, quoted, problem):
    q = '"' if quoted else ""
    rows = [f'{i},{q}text {i}{q},{"a" if i % 2 else "b"}' for i in range(1, 21)]
    rows[4] = '5,"text 5 has no closing quote,a'
    p = lines_file(tmp_path, "open.csv", "id,text,label\n" + "\n".join(rows) + "\n")
    with pytest.raises(DataError, match=r"open\.csv: line 6: " + problem):
        load_labelled(p)
    with pytest.raises(DataError, match=r"line 6: " + problem), RowStream(p) as stream:
        list(stream)


def test_csv_text_after_a_closing_quote_stops_with_the_line(tmp_path):
    p = lines_file(tmp_path, "after.csv", 'id,text,label\n1,fine,a\n2,"Great" phone,b\n3,ok,a\n')
    with pytest.raises(DataError, match=r"after\.csv: line 3: text after a closing quote"):
        load_labelled(p)


def test_quoted_multi_line_csv_texts_are_still_read(tmp_path):
    p = lines_file(tmp_path, "multi.csv", 'id,text,label\n1,"two\nlines",a\n2,"a ""quote""",b\n')
    d = load_labelled(p)
    assert d.texts == ["two\nlines", 'a "quote"'] and d.lines == [2, 4]


# ----------------------------------------------------------------------------- files as people save them


def test_semicolon_separated_csv_gets_a_hint_naming_the_semicolon(tmp_path):
    p = lines_file(tmp_path, "excel.csv", "id;text;label\n1;gut;pos\n2;schlecht;neg\n")
    with pytest.raises(DataError, match=r"excel\.csv: line 1: the header is one column, 'id;text;label': the file "
                                        r"looks separated by ';', not commas; .*'sep=;'") as info:
        load_labelled(p)
    assert "\n" not in str(info.value)
    rows_only = lines_file(tmp_path, "rows.csv", "id,text,label\n1;gut;pos\n")
    with pytest.raises(DataError, match=r"line 2: one field, '1;gut;pos', where the header has 3: the rows look "
                                        r"separated by ';'"):
        load_labelled(rows_only)
    tabs = lines_file(tmp_path, "tabs.csv", "id\ttext\tlabel\n1\tx\ty\n")
    with pytest.raises(DataError, match="separated by tabs, not commas; .*rename it .tsv"):
        load_labelled(tabs)


def test_excel_sep_line_is_honoured_and_lines_keep_their_numbers(tmp_path):
    p = lines_file(tmp_path, "sep.csv", "sep=;\r\nid;text;label\r\n1;gut, sehr gut;pos\r\n2;\"a;b\";neg\r\n")
    d = load_labelled(p)
    assert d.texts == ["gut, sehr gut", "a;b"] and d.labels == ["pos", "neg"] and d.lines == [3, 4]
    bad = lines_file(tmp_path, "sepbad.csv", "sep=;\nid;text;label\n1;ok;\n")
    with pytest.raises(DataError, match="line 3: missing label"):
        load_labelled(bad)


def test_a_text_longer_than_the_csv_field_limit_is_read_and_the_limit_restored(tmp_path):
    long = "word " * 40000  # 200,000 characters > csv's default 131,072
    before = csv.field_size_limit()
    for name, sep in (("long.csv", ","), ("long.tsv", "\t")):
        p = lines_file(tmp_path, name, f"id{sep}text{sep}label\n1{sep}{long}{sep}a\n2{sep}short{sep}b\n")
        assert load_labelled(p).texts == [long, "short"]
        with RowStream(p) as rows:
            assert [r["text"] for _, r in rows] == [long, "short"]
    assert csv.field_size_limit() == before


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_byte_order_marks_are_recognised(tmp_path, encoding):
    text = "id,text,label\r\n1,中文 ok,a\r\n2,\"naïve, 😀\",b\r\n"
    raw = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # these codecs write no mark: add it
        raw = ("\ufeff" + text).encode(encoding)
    p = tmp_path / "bom.csv"
    p.write_bytes(raw)
    d = load_labelled(p)
    assert d.ids == ["1", "2"] and d.texts == ["中文 ok", "naïve, 😀"] and d.lines == [2, 3]
    with RowStream(p) as rows:
        assert rows.columns == ["id", "text", "label"] and [r["text"] for _, r in rows] == d.texts


def test_utf16_without_a_byte_order_mark_is_named(tmp_path):
    p = tmp_path / "nobom.csv"
    p.write_bytes("id,text,label\n1,x,a\n".encode("utf-16-le"))
    with pytest.raises(DataError, match=r"nobom\.csv: line 1: a NUL character .*UTF-16 without a byte-order mark"):
        load_labelled(p)


def test_windows_line_endings_blank_lines_bom_header_and_spaced_labels(tmp_path):
    p = lines_file(tmp_path, "win.csv", "\ufeffid , text ,label\r\n1,hello there , spam \r\n\r\n2,bye,ham\r\n\r\n")
    d = load_labelled(p)
    assert d.ids == ["1", "2"] and d.texts == ["hello there ", "bye"] and d.labels == ["spam", "ham"]
    j = lines_file(tmp_path, "win.jsonl", '\ufeff{"text": "a\u2028b", "label": "x"}\r\n\r\n{"text": "c", "label": "y"}\r\n')
    d = load_labelled(j)
    assert d.texts == ["a\u2028b", "c"] and d.lines == [1, 3]


def test_jsonl_nul_and_lone_surrogates_are_refused_with_the_line(tmp_path):
    p = lines_file(tmp_path, "n.jsonl", '{"text": "ok", "label": "a"}\n{"text": "bad\\u0000", "label": "b"}\n')
    with pytest.raises(DataError, match=r"line 2: a NUL character"):
        load_labelled(p)
    p = lines_file(tmp_path, "s.jsonl", '{"text": "bad \\ud83d", "label": "b"}\n')
    with pytest.raises(DataError, match=r"line 1: a lone surrogate"):
        load_labelled(p)


def test_row_stream_reads_stdin_and_guesses_its_format():
    def stream(text):
        return RowStream("-", stdin=io.BytesIO(text.encode("utf-8")))

    with stream('id,text\n1,"a\nb"\n') as s:
        assert (s.fmt, s.columns, list(s)) == ("csv", ["id", "text"], [(2, {"id": "1", "text": "a\nb"})])
    with stream('id\ttext\n1\t"a\n') as s:
        assert (s.fmt, list(s)) == ("tsv", [(2, {"id": "1", "text": '"a'})])
    with stream('{"text": "a\u2028b"}\n') as s:
        assert (s.fmt, list(s)) == ("jsonl", [(1, {"text": "a\u2028b"})])
    with pytest.raises(DataError, match="<stdin>: the input is empty"):
        stream("")


# ----------------------------------------------------------------------------- label warnings


def test_label_warnings_name_look_alike_labels_with_counts_and_lines(tmp_path):
    p = lines_file(tmp_path, "labels.csv", "text,label\n" + "".join(
        f"t{i},{lab}\n" for i, lab in enumerate(["spam"] * 5 + ["Spam"] * 2 + ["ham"] * 4 + ["SPAM  "]
                                                + ["1", "1.0", "1.0", "2", "ｈａｍ"])))
    msgs = label_warnings(load_labelled(p))
    assert msgs == [
        "labels 'spam' (5 rows, first on line 2), 'Spam' (2 rows, first on line 7) and 'SPAM' (1 row, first on "
        "line 13) differ only in case, spacing or width: each is its own class; write them one way if they mean "
        "the same",
        "labels 'ham' (4 rows, first on line 9) and 'ｈａｍ' (1 row, first on line 18) differ only in case, spacing "
        "or width: each is its own class; write them one way if they mean the same",
        "labels '1.0' (2 rows, first on line 15) and '1' (1 row, first on line 14) are the same number written "
        "differently: each is its own class; write them one way if they mean the same",
    ]
    assert label_warnings(["pos", "neg", "neutral", "1", "2"]) == []
    assert label_warnings(["very good", "very  good"])[0].startswith("labels 'very  good' (1 row) and 'very good'")


def test_a_column_named_twice_is_refused(tmp_path):
    p = lines_file(tmp_path, "twice.csv", "id,text,label,text\n1,a,b,c\n")
    with pytest.raises(DataError, match=r"twice\.csv: line 1: column 'text' appears twice in the header"):
        load_labelled(p)


def test_spreadsheet_trailing_empty_columns_are_ignored_but_real_extra_fields_are_not(tmp_path):
    p = lines_file(tmp_path, "excel2.csv", "id,text,label,,\r\n1,a,x,,\r\n2,b,y,,,\r\n")
    d = load_labelled(p)
    assert d.texts == ["a", "b"] and d.labels == ["x", "y"]
    p = lines_file(tmp_path, "extra.csv", "id,text,label\n1,a,x,,\n2,b,y,oops\n")
    with pytest.raises(DataError, match=r"line 3: 4 fields but the header has 3"):
        load_labelled(p)


def test_blank_lines_before_the_header_are_skipped_and_lines_still_counted(tmp_path):
    p = lines_file(tmp_path, "lead.csv", "\n\r\nid,text,label\n1,a,x\n2,b,\n")
    with pytest.raises(DataError, match=r"lead\.csv: line 5: missing label"):
        load_labelled(p)
    p = lines_file(tmp_path, "lead.tsv", "\n\nid\ttext\tlabel\n1\ta\tx\n")
    assert load_labelled(p).lines == [4]
    p = lines_file(tmp_path, "blank.csv", "\n \n,,\n")
    with pytest.raises(DataError, match=r"blank\.csv: no header: every line is blank"):
        load_labelled(p)
