"""Reading curated CSV files: one dictionary per file, NFC text."""

from __future__ import annotations

import unicodedata

from etl.read import read_csv


def test_a_file_mixing_decomposed_and_composed_text_reads_as_one_nfc_cell(tmp_path):
    name = "Bộ Khoa học và Công nghệ"
    path = tmp_path / "f.csv"
    path.write_text(f"entity,value\n{unicodedata.normalize('NFD', name)},1\n{name},2\n", encoding="utf-8")
    f, issues = read_csv(path, "f.csv", ("entity", "value"), dictionary=True)
    assert issues == []
    col = f.table["entity"].chunks
    assert len(col) == 1  # one dictionary for the whole file
    assert col[0].dictionary.to_pylist() == [name]
    assert col[0].indices.to_pylist() == [0, 0]


def test_plain_reading_normalises_too(tmp_path):
    name = "Thành phố Hồ Chí Minh"
    path = tmp_path / "f.csv"
    path.write_text(f"entity\n{unicodedata.normalize('NFD', name)}\n", encoding="utf-8")
    f, _ = read_csv(path, "f.csv", ("entity",))
    assert f.table["entity"].to_pylist() == [name]


def test_a_byte_that_is_not_utf8_is_found_in_either_reading_with_its_line(tmp_path):
    path = tmp_path / "f.csv"
    # line 4 holds "Hà Nội" as Windows-1258 would write "à": one byte, 0xE0, not valid UTF-8 here
    path.write_bytes("entity,value\nHà Nội,1\nHuế,2\n".encode() + b"H\xe0 N\xe1\xbb\x99i,3\n")
    for dictionary in (True, False):
        f, issues = read_csv(path, "f.csv", ("entity", "value"), dictionary=dictionary)
        assert f is None
        assert [(i.file, i.row, i.reason_en) for i in issues] == [("f.csv", 4, "file is not UTF-8 encoded")]
