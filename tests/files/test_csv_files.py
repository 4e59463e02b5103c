"""CSV files through the files package: hostile files end in one clear DatasetError."""

import os

import pytest
from hang_guard import read_in_thread

from playground.data import DatasetError, load_csv
from playground.files import read_csv


def _load_in_thread(path):
    return read_in_thread(path, load_csv)


def test_the_public_names_still_come_from_playground_data():
    from playground import data, files

    assert data.load_csv is files.load_csv and data.read_csv is files.read_csv
    assert data.save_csv is files.save_csv and data.CsvLoad is files.CsvLoad
    with pytest.raises(AttributeError):
        data.no_such_name  # noqa: B018


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_a_csv_is_refused_at_once(tmp_path):
    path = tmp_path / "x.csv"
    os.mkfifo(path)
    error = _load_in_thread(path).get("error")
    assert isinstance(error, DatasetError) and "x.csv" in str(error) and "is a pipe" in str(error)


def test_a_folder_named_like_a_csv_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.mkdir()
    error = _load_in_thread(path).get("error")
    assert isinstance(error, DatasetError) and "x.csv" in str(error) and "is a folder" in str(error)


@pytest.mark.parametrize("label", ["99999999999999999999999", "1e300", "9" * 5000])
def test_huge_labels_are_refused_with_one_short_message(tmp_path, label):
    path = tmp_path / "big.csv"
    path.write_text(f"x,y,label\n0,0,0\n1,1,{label}\n")
    with pytest.raises(DatasetError, match="big.csv, line 3: label") as info:
        read_csv(path)
    assert len(str(info.value)) < 300


def test_a_huge_cell_is_not_echoed(tmp_path):
    path = tmp_path / "cell.csv"
    path.write_text("x,y,label\n" + "a" * 100_000 + ",0,0\n")
    with pytest.raises(DatasetError, match="cell.csv, line 2: x value 'aaa") as info:
        read_csv(path)
    assert len(str(info.value)) < 300
