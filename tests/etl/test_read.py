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
