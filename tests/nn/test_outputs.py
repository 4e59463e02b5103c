import numpy as np
import pytest

from playground.nn.activations import sigmoid
from playground.nn.outputs import get_output, log_sum_exp, softmax


def test_output_predicts_from_logits():
    Z1 = np.array([[-0.5], [0.0], [2.0]])
    np.testing.assert_array_equal(get_output("sigmoid").predict(Z1), [0, 1, 1])
    assert get_output("sigmoid").predict(Z1).dtype == np.int64
    Z3 = np.array([[0.1, 3.0, -1.0], [5.0, 0.0, 4.9]])
    np.testing.assert_array_equal(get_output("softmax").predict(Z3), [1, 0])
    np.testing.assert_array_equal(get_output("linear").predict(Z1), [-0.5, 0.0, 2.0])  # values, shaped like y
    np.testing.assert_array_equal(get_output("linear").predict(Z3), Z3)


def test_output_describes_itself():
    assert get_output("sigmoid").describe(1) == "sigmoid unit, binary cross-entropy"
    assert get_output("softmax").describe(3) == "softmax over 3 classes, cross-entropy"
    assert get_output("linear").describe(1) == "linear, mean squared error"


def test_delta_is_a_minus_y_over_n():
    A = np.array([[0.2, 0.8], [0.6, 0.4]])
    Y = np.array([[0.0, 1.0], [1.0, 0.0]])
    for name in ("softmax", "linear"):
        np.testing.assert_allclose(get_output(name).delta(A, Y), (A - Y) / 2)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_stable_helpers_match_the_textbook_formulas_and_survive_extremes(dtype):
    Z = np.array([[-3.0, 0.0, 2.5], [1.0, 1.0, -7.0]], dtype=dtype)
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(sigmoid(Z.copy()), 1 / (1 + np.exp(-Z)), rtol=rtol)
    np.testing.assert_allclose(softmax(Z.copy()), np.exp(Z) / np.exp(Z).sum(1, keepdims=True), rtol=rtol)
    np.testing.assert_allclose(log_sum_exp(Z), np.log(np.exp(Z).sum(1)), rtol=rtol)
    big = np.array([[1e4, -1e4, 0.0]], dtype=dtype)  # exp would overflow: warnings are errors here
    np.testing.assert_allclose(sigmoid(big.copy()), [[1.0, 0.0, 0.5]])
    np.testing.assert_allclose(softmax(big.copy()), [[1.0, 0.0, 0.0]])
    np.testing.assert_allclose(log_sum_exp(big), [1e4])
