import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.data import (
    PRESETS,
    Dataset,
    DatasetError,
    History,
    edits,
    load_csv,
    make_preset,
    read_csv,
    save_csv,
)
from playground.files.csv import parse_csv


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_are_seeded_and_fit_the_view(name):
    a = make_preset(name, n_points=300, noise=0.1, seed=4)
    b = make_preset(name, n_points=300, noise=0.1, seed=4)
    assert a == b and len(a) == 300
    assert np.abs(a.X).max() < 7.5
    assert a.n_classes >= 2
    assert a != make_preset(name, n_points=300, noise=0.1, seed=5)
    clean = make_preset(name, n_points=300, noise=0.0, seed=4)
    assert np.all(np.isfinite(clean.X))


def test_preset_class_counts():
    assert make_preset("spiral3", 300).n_classes == 3
    assert make_preset("rings", 300).n_classes == 3
    assert make_preset("blobs", 300, k=5).n_classes == 5
    assert make_preset("xor", 300).n_classes == 2


def test_circle_geometry_matches_tf_playground():
    ds = make_preset("circle", 1000, 0.0, seed=0)
    r = np.hypot(*ds.X.T)
    assert np.all(r[ds.y == 0] <= 2.5) and np.all(r[ds.y == 1] >= 3.5) and r.max() <= 5.0


def test_dataset_is_an_immutable_value_and_allows_zero_rows():
    empty = Dataset()
    assert len(empty) == 0 and empty.n_classes == 0
    ds = Dataset([[0, 0], [1, 1]], [0, 1])
    with pytest.raises(ValueError):
        ds.X[0, 0] = 5
    with pytest.raises(DatasetError, match="finite"):
        Dataset([[np.nan, 0]], [0])
    with pytest.raises(DatasetError, match="0..7"):
        Dataset([[0, 0]], [8])


def test_split_is_stable_when_points_are_added_or_removed():
    ds = make_preset("spiral", 400, 0.1, seed=0)
    mask = ds.test_mask(0.5, seed=1)
    assert 0.4 < mask.mean() < 0.6
    grown = edits.add_point(ds, 0.123, 4.56, 1)
    assert np.array_equal(grown.test_mask(0.5, 1)[:-1], mask)
    shrunk = ds.take(np.arange(1, len(ds)))
    assert np.array_equal(shrunk.test_mask(0.5, 1), mask[1:])
    assert not np.array_equal(ds.test_mask(0.5, 2), mask)


def test_edits():
    ds = Dataset([[0, 0], [1, 0], [5, 5]], [0, 0, 1])
    ds2 = edits.add_point(ds, 2, 2, 3)
    assert len(ds2) == 4 and ds2.y[-1] == 3 and len(ds) == 3
    assert len(edits.erase_radius(ds, (0.5, 0), 0.6)) == 1
    assert edits.erase_nearest(ds, (4.9, 5)).X.tolist() == [[0, 0], [1, 0]]
    relabeled = edits.relabel_radius(ds, (0, 0), 1.5, 2)
    assert relabeled.y.tolist() == [2, 2, 1]
    assert len(edits.clear(ds)) == 0
    stroke = edits.add_stroke(Dataset(), [(0, 0), (3, 0)], label=1, radius=0.5, density=10, seed=0)
    assert 25 <= len(stroke) <= 40
    assert np.all(stroke.y == 1)
    assert np.all(np.abs(stroke.X[:, 1]) <= 0.5 + 1e-9) and np.all(stroke.X[:, 0] >= -0.5)


def test_history_undo_redo_including_clear_and_depth():
    h = History(make_preset("xor", 50))
    original = h.current
    h.push(edits.clear(h.current), "clear")
    assert len(h.current) == 0
    assert h.undo() and h.current == original
    assert h.redo() and len(h.current) == 0
    h.undo()
    for i in range(150):
        h.push(edits.add_point(h.current, i, 0, 0))
    for _ in range(150):
        assert h.undo()
    assert h.current == original
    assert not h.push(h.current)  # no change, no entry


def test_csv_round_trip_and_atomic_save(tmp_path):
    ds = make_preset("moons", 200, 0.2, seed=3)
    path = tmp_path / "moons.csv"
    save_csv(ds, path)
    assert path.read_text().startswith("x,y,label\n")
    assert load_csv(path) == ds
    assert [p.name for p in tmp_path.iterdir()] == ["moons.csv"]


@pytest.mark.parametrize(
    "text,match",
    [
        ("", "empty"),
        ("a,b,c\n1,2,0\n", "line 1.*'x'"),
        ("x,y,label\n1,2,0\n1,abc,1\n", "line 3: y value 'abc' is not a number"),
        ("x,y,label\n1,2,0\nnan,2,1\n", "line 3: x value 'nan' is not a finite"),
        ("x,y,label\n1,2,0\n1,inf,1\n", "line 3"),
        ("x,y,label\n1,2,0.5\n", "line 2: label '0.5' is not a whole number"),
        ("x,y,label\n1,2,0\n1,2,-3\n", "line 3: negative label -3"),
        ("x,y,label\n" + "".join(f"1,2,{i}\n" for i in range(10)), "line 10: label 8 .*10 different labels"),
        ("x,y,label\n1,2\n", "line 2: 2 columns"),
    ],
)
def test_bad_csv_names_the_problem_and_line(tmp_path, text, match):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(DatasetError, match=match) as info:
        load_csv(path)
    assert "bad.csv" in str(info.value)


def test_undecodable_bytes_name_the_line(tmp_path):
    path = tmp_path / "bin.csv"
    path.write_bytes(b"x,y,label\n1,2,0\n\xff\xfe,1,1\n")
    with pytest.raises(DatasetError, match="line 3: bytes that are not UTF-8"):
        load_csv(path)


def test_too_many_rows_is_rejected(monkeypatch):
    """The row limit is the one table's ``LIMITS.points`` (the window and session reader use the same)."""
    import dataclasses

    from playground.files import csv as csvfile
    from playground.training.config import LIMITS, Range

    monkeypatch.setattr(csvfile, "LIMITS", dataclasses.replace(LIMITS, points=Range(0, 3)))
    with pytest.raises(DatasetError, match="line 5: more than 3 rows"):
        parse_csv(b"x,y,label\n0,0,0\n0,0,0\n0,0,0\n0,0,0\n")


def test_labels_are_mapped_and_the_mapping_reported(tmp_path):
    path = tmp_path / "tf.csv"
    path.write_text("label,x,y,extra\n-1,0,0,a\n1,1,1,b\n")
    loaded = read_csv(path)
    assert loaded.dataset.y.tolist() == [0, 1]
    assert loaded.label_mapping == {-1: 0, 1: 1}
    path.write_text("x,y,label\n0,0,1\n1,1,2\n")
    assert read_csv(path).label_mapping == {1: 0, 2: 1}
    path.write_text("x,y,label\n0,0,0\n1,1,2\n")
    assert read_csv(path).label_mapping is None


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@st.composite
def datasets(draw):
    n = draw(st.integers(0, 40))
    X = draw(st.lists(st.tuples(finite, finite), min_size=n, max_size=n))
    labels = draw(st.lists(st.integers(0, 7), min_size=n, max_size=n))
    if labels:
        labels[0] = 0  # class indices start at 0 (see files/csv.py: other label sets are remapped)
    return Dataset(np.array(X, dtype=np.float64).reshape(-1, 2), np.array(labels, dtype=np.int64))


@settings(max_examples=60, deadline=None)
@given(ds=datasets())
def test_save_then_load_is_the_identity(tmp_path_factory, ds):
    path = tmp_path_factory.mktemp("rt") / "d.csv"
    save_csv(ds, path)
    assert load_csv(path) == ds


@settings(max_examples=200, deadline=None)
@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: ("x,y,label\n" + t).encode())))
def test_any_bytes_give_a_dataset_or_a_dataset_error(raw):
    try:
        result = parse_csv(raw, "fuzz.csv")
    except DatasetError as exc:
        assert "fuzz.csv" in str(exc)
    else:
        assert isinstance(result.dataset, Dataset)
