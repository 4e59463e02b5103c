"""CSV files of values (``x,y,value``): exact round trip, and the same checks and messages as labels."""

import numpy as np
import pytest

from playground.data import DatasetError, load_csv, make_preset, save_csv
from playground.files.csv import format_csv, parse_csv


def test_values_round_trip_exactly_under_the_value_header(tmp_path):
    ds = make_preset("multigauss", 50, 0.2, seed=3)
    save_csv(ds, tmp_path / "v.csv")
    assert (tmp_path / "v.csv").read_text().splitlines()[0] == "x,y,value"
    back = load_csv(tmp_path / "v.csv")
    assert back.is_regression and back == ds
    assert format_csv(make_preset("xor", 3)).startswith("x,y,label\n")


def test_values_are_kept_as_they_are_whole_or_not():
    load = parse_csv(b"value,x,y\n3,0,0\n-1e3,1,1\n0.25,2,2\n", "v.csv")
    assert load.dataset.is_regression and load.label_mapping is None
    np.testing.assert_array_equal(load.dataset.y, [3.0, -1000.0, 0.25])
    assert parse_csv(b"x,y,value\n", "v.csv").dataset.is_regression  # no rows yet, but values


@pytest.mark.parametrize(
    "text,message",
    [
        ("x,y,value\n1,2,0.5\n1,2,abc\n", "v.csv, line 3: value 'abc' is not a number"),
        ("x,y,value\n1,2,nan\n", "v.csv, line 2: value 'nan' is not a finite number"),
        ("x,y,value\n1,2,inf\n", "v.csv, line 2: value 'inf' is not a finite number"),
        ("x,y,value\n1,2\n", "v.csv, line 2: 2 columns, expected at least 3"),
        ("x,y,value\nz,2,1\n", "v.csv, line 2: x value 'z' is not a number"),
        ("x,y,label,value\n1,2,0,0.5\n", "v.csv, line 1: both a 'label' and a 'value' column"),
        ("x,y\n1,2\n", "expected 'x,y,label' (or 'x,y,value' for values)"),
    ],
)
def test_a_bad_value_file_is_refused_naming_the_line(text, message):
    with pytest.raises(DatasetError) as info:
        parse_csv(text.encode(), "v.csv")
    assert message in str(info.value)
