"""Input features: the seven columns, their order, and every refusal naming what is wrong."""

import numpy as np
import pytest

from playground.data.features import (
    DEFAULT_FEATURES,
    FEATURE_NAMES,
    canonical_features,
    feature_matrix,
    feature_point,
    parse_features,
    toggled,
)


def test_the_seven_features_are_tensorflow_playgrounds():
    X = np.array([[2.0, -3.0], [0.5, 0.25]])
    F = feature_matrix(X, FEATURE_NAMES)
    x1, x2 = X[:, 0], X[:, 1]
    expected = np.column_stack([x1, x2, x1**2, x2**2, x1 * x2, np.sin(x1), np.sin(x2)])
    np.testing.assert_array_equal(F, expected)
    assert FEATURE_NAMES == ("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2")
    assert DEFAULT_FEATURES == ("x1", "x2")


def test_columns_follow_the_names_given_in_the_dtype_asked():
    X = np.array([[2.0, -3.0]])
    F = feature_matrix(X, ("x2sq", "x1"), np.float32)
    assert F.dtype == np.float32 and F.flags.c_contiguous
    np.testing.assert_array_equal(F, [[9.0, 2.0]])
    np.testing.assert_array_equal(feature_point([2.0, -3.0], ("x1x2",)), [-6.0])
    assert feature_matrix(np.zeros((0, 2)), ("x1sq",)).shape == (0, 1)


def test_parse_keeps_the_canonical_order():
    assert parse_features("x2sq, x1 ,sinx2") == ("x1", "x2sq", "sinx2")
    assert canonical_features(["x1x2", "x2"]) == ("x2", "x1x2")


@pytest.mark.parametrize(
    "text,named",
    [
        ("x1,x3", "unknown input feature 'x3'"),
        ("", "choose at least one input feature"),
        ("x1,x1", "input feature 'x1' is named twice"),
        ("x1,,x2", "an empty feature name"),
        ("X1", "unknown input feature 'X1'"),
    ],
)
def test_a_bad_choice_is_refused_naming_it(text, named):
    with pytest.raises(ValueError, match=named):
        parse_features(text)


def test_toggling_switches_one_feature_and_never_the_last_off():
    assert toggled(("x1", "x2"), "x1sq") == ("x1", "x2", "x1sq")
    assert toggled(("x1", "x2"), "x1") == ("x2",)
    assert toggled(("x2",), "x2") == ("x2",)  # a network needs an input
    with pytest.raises(ValueError, match="'cosx1'"):
        toggled(("x1",), "cosx1")


def test_points_must_be_two_dimensional():
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        feature_matrix(np.zeros((3, 3)))


def test_a_coordinate_beyond_float32_becomes_inf_without_a_warning():
    # (pytest runs with warnings as errors) training on it then stops as a divergence, and says so
    F = feature_matrix(np.array([[0.0, 3.4028235677973366e38]]), ("x1", "x2"), np.float32)
    assert np.isinf(F[0, 1])
    assert np.isinf(feature_matrix(np.array([[1e300, 0.0]]), ("x1sq",), np.float64)[0, 0])
