"""Reading curated CSV files: NFC text, line numbers as an editor shows them, encoding and shape errors."""

from __future__ import annotations

import unicodedata

from etl.inputs import read


def test_a_file_mixing_decomposed_and_composed_text_reads_as_nfc(tmp_path):
    name = "Bộ Khoa học và Công nghệ"
    path = tmp_path / "f.csv"
    path.write_text(f"entity,value\n{unicodedata.normalize('NFD', name)},1\n{name},2\n", encoding="utf-8")
    f, issues = read(path, "f.csv", ("entity", "value"))
    assert issues == []
    assert [r[2] for r in f.data.rows] == [name, name]  # file, row, then the declared columns


def test_cells_are_trimmed_empty_is_null_and_blank_lines_keep_line_numbers(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text('entity,value,note\n  Huế ,1,\n\n"Hà\nNội",2, x \n', encoding="utf-8")
    f, _ = read(path, "f.csv", ("entity", "value"), ("note", "base"))
    assert list(f.data.columns) == ["file", "row", "entity", "value", "note", "base"]
    assert f.data.rows == [["f.csv", 2, "Huế", "1", None, None], ["f.csv", 4, "Hà\nNội", "2", "x", None]]


def test_a_byte_that_is_not_utf8_is_reported_with_its_line(tmp_path):
    path = tmp_path / "f.csv"
    # line 4 holds "Hà Nội" as Windows-1258 would write "à": one byte, 0xE0, not valid UTF-8 here
    path.write_bytes("entity,value\nHà Nội,1\nHuế,2\n".encode() + b"H\xe0 N\xe1\xbb\x99i,3\n")
    f, issues = read(path, "f.csv", ("entity", "value"))
    assert f is None
    assert [(i.file, i.row, i.reason_en) for i in issues] == [("f.csv", 4, "file is not UTF-8 encoded")]


def test_a_line_with_more_cells_than_the_header_is_refused(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("entity,value\nHuế,1,extra\n", encoding="utf-8")
    f, issues = read(path, "f.csv", ("entity", "value"))
    assert f is None and [(i.row, i.reason_en) for i in issues] == [(2, "the line has more cells than the header")]


def test_rows_load_into_duckdb_with_their_types_and_nulls(tmp_path):
    import datetime as dt

    import duckdb

    from etl.inputs import Rows, load

    con = duckdb.connect()
    load(con, "t", Rows({"s": "VARCHAR", "n": "DOUBLE", "d": "DATE"}, [("Hà\n\"Nội\", 1", 1.5, dt.date(2026, 5, 3)),
                                                                      (None, None, None)]))
    assert con.execute("SELECT * FROM t").fetchall() == [('Hà\n"Nội", 1', 1.5, dt.date(2026, 5, 3)), (None, None, None)]
    load(con, "empty", Rows({"s": "VARCHAR"}, []))
    assert con.execute("SELECT count(*) FROM empty").fetchone() == (0,)
