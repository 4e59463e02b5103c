"""Regression data: the two presets (TensorFlow Playground's geometry), Datasets of values, and edits on them."""

import numpy as np
import pytest

from playground.data import Dataset, DatasetError, edits, make_preset
from playground.data.presets import GAUSSIANS, PRESETS, REGRESSION_PRESETS


def test_plane_holds_float_values_rising_along_x_plus_y():
    ds = make_preset("plane", 400, 0.0, seed=1)
    assert ds.y.dtype == np.float64 and ds.is_regression and ds.n_classes == 0
    assert np.all(np.abs(ds.X) <= 6)
    np.testing.assert_allclose(ds.y, (ds.X[:, 0] + ds.X[:, 1]) / 10)
    noisy = make_preset("plane", 400, 0.3, seed=1)
    np.testing.assert_array_equal(noisy.X, ds.X)  # noise moves where the value is read, not the point
    assert not np.allclose(noisy.y, ds.y) and make_preset("plane", 400, 0.3, seed=1) == noisy


def test_multigauss_has_six_bumps_of_plus_and_minus_one():
    ds = make_preset("multigauss", 2000, 0.0, seed=0)
    assert ds.is_regression and ds.y.min() >= -1 and ds.y.max() <= 1
    for cx, cy, sign in GAUSSIANS:
        near = np.hypot(ds.X[:, 0] - cx, ds.X[:, 1] - cy) < 0.5
        assert near.any() and np.all(np.sign(ds.y[near]) == sign) and np.all(np.abs(ds.y[near]) >= 0.75)
    far = np.hypot(ds.X[:, None, 0] - GAUSSIANS[:, 0], ds.X[:, None, 1] - GAUSSIANS[:, 1]).min(axis=1) > 2
    assert np.all(ds.y[far] == 0)


def test_classification_presets_keep_int64_labels():
    for name in PRESETS:
        ds = make_preset(name, 30)
        assert ds.y.dtype == np.int64 and not ds.is_regression
    assert set(REGRESSION_PRESETS) == {"plane", "multigauss"}


def test_a_dataset_of_values_keeps_them_and_refuses_what_is_not_a_number():
    ds = Dataset([[0, 0], [1, 1]], [0.5, -2.25], regression=True)
    assert ds.y.tolist() == [0.5, -2.25] and ds.is_regression and repr(ds) == "Dataset(n=2, values)"
    assert Dataset(regression=True).is_regression and not Dataset().is_regression
    assert Dataset([[0, 0]], [1.0], regression=True) != Dataset([[0, 0]], [1])  # values are not classes
    for bad, named in [([np.nan, 1], "finite"), ([True, False], "numbers")]:
        with pytest.raises(DatasetError, match=named):
            Dataset([[0, 0], [1, 1]], bad, regression=True)
    with pytest.raises(DatasetError, match="for values, make a regression dataset"):
        Dataset([[0, 0]], [0.5])


def test_drawing_erasing_and_clearing_work_on_values():
    ds = make_preset("plane", 20)
    more = edits.add_point(ds, 1.0, 2.0, 0.75)
    assert more.is_regression and more.y[-1] == 0.75 and len(more) == 21
    stroke = edits.add_stroke(ds, [(0, 0), (2, 0)], -0.5, 0.3, 4, seed=0)
    assert stroke.is_regression and np.all(stroke.y[len(ds) :] == -0.5)
    assert edits.erase_nearest(more, (1.0, 2.0)) == ds
    assert edits.relabel_radius(more, (1.0, 2.0), 0.1, 0.1).y[-1] == 0.1
    empty = edits.clear(ds)
    assert len(empty) == 0 and empty.is_regression
    assert edits.add_point(empty, 0, 0, 0.3).is_regression
    with pytest.raises(DatasetError, match="finite"):
        edits.add_point(ds, 0, 0, float("inf"))
    with pytest.raises(DatasetError, match="class labels and values"):
        ds.concat(make_preset("xor", 5))
