import numpy as np
import pytest
from nn_cases import GRID, targets

from playground.nn import FusedNetwork, Network, check_gradients
from playground.nn.gradcheck import numerical_gradients

# The contract tests run on both: the reference network and the fused kernel must honour the same promises.
BOTH = pytest.mark.parametrize("cls", [Network, FusedNetwork], ids=["reference", "fused"])


@pytest.mark.parametrize("activation,output,hidden", GRID)
def test_backprop_matches_finite_differences(activation, output, hidden):
    name, n_out = output
    rng = np.random.default_rng(1)
    net = Network([2, *hidden, n_out], activation=activation, output=name, seed=3)
    # Move the biases off zero so ReLU kinks are not sat on exactly.
    for b in net.biases:
        b += rng.normal(scale=0.1, size=b.shape)
    X = rng.normal(size=(7, 2))
    y = targets(name, 7, n_out, rng)
    assert check_gradients(net, X, y) < 1e-6


def test_checker_catches_a_wrong_gradient():
    net = Network([2, 3, 1], activation="tanh", seed=0)
    X = np.random.default_rng(0).normal(size=(5, 2))
    y = np.array([0, 1, 1, 0, 1])
    _, dW, db = net.loss_and_gradients(X, y)
    nW, _ = numerical_gradients(net, X, y)
    assert np.allclose(dW[0], nW[0], atol=1e-8)
    dW[0][0, 0] += 1e-3  # a real bug of this size must be visible to the same comparison
    assert not np.allclose(dW[0], nW[0], atol=1e-8)


@BOTH
def test_gradients_use_weights_of_the_forward_pass(cls):
    """Computing gradients must not change the network (the seed updated W mid-backprop)."""
    net = cls([2, 4, 4, 1], seed=0)
    before = [W.copy() for W in net.weights]
    X = np.random.default_rng(0).normal(size=(10, 2))
    net.loss_and_gradients(X, np.arange(10) % 2)
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights))


@BOTH
def test_shapes_and_contract(cls):
    net = cls([2, 8, 8, 1], activation="sigmoid", output="sigmoid", init="xavier", seed=0)
    assert [W.shape for W in net.weights] == [(2, 8), (8, 8), (8, 1)]
    assert [b.shape for b in net.biases] == [(8,), (8,), (1,)]
    X = np.zeros((4, 2))
    assert net.forward(X).shape == (4, 1)
    loss, dW, db = net.loss_and_gradients(X, np.array([0, 1, 0, 1]))
    assert isinstance(loss, float)
    assert [g.shape for g in dW] == [W.shape for W in net.weights]
    assert [g.shape for g in db] == [b.shape for b in net.biases]


@BOTH
def test_mutating_parameters_in_place_changes_the_network(cls):
    net = cls([2, 3, 1], seed=0)
    X = np.ones((2, 2))
    before = net.forward(X).copy()
    net.weights[1][:] = 0.0
    net.biases[1][:] = 2.0
    after = net.forward(X)
    assert np.allclose(after, 1 / (1 + np.exp(-2.0)))
    assert not np.allclose(before, after)


@BOTH
def test_float32_network(cls):
    net = cls([2, 8, 8, 1], seed=0, dtype=np.float32)
    assert all(W.dtype == np.float32 for W in net.weights)
    X = np.random.default_rng(0).normal(size=(20, 2)).astype(np.float32)
    loss, dW, db = net.loss_and_gradients(X, np.arange(20) % 2)
    ref = Network([2, 8, 8, 1], seed=0)
    loss64, dW64, _ = ref.loss_and_gradients(X.astype(np.float64), np.arange(20) % 2)
    assert dW[0].dtype == np.float32
    assert abs(loss - loss64) < 1e-5
    assert np.allclose(dW[0], dW64[0], atol=1e-5)


@pytest.mark.parametrize("output,n_out", [("sigmoid", 1), ("softmax", 4), ("linear", 1)])
@pytest.mark.parametrize("scale", [1e4, -1e4])
@BOTH
def test_extreme_logits_stay_finite_without_warnings(cls, output, n_out, scale):
    # pytest runs with warnings as errors, so an overflow warning fails this test.
    net = cls([2, n_out], activation="linear", output=output, seed=0)
    net.weights[0][:] = 0.0
    net.weights[0][:, 0] = scale  # the first unit's logit is +-2e4, -1e4 or 0
    X = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]])
    # Labels chosen so that the +2e4 logit is confidently wrong.
    y = {"sigmoid": np.array([0, 1, 0]), "softmax": np.array([1, 0, 0]), "linear": np.zeros(3)}[output]
    if scale < 0:
        y = y[[1, 0, 2]]
    loss, dW, db = net.loss_and_gradients(X, y)
    assert np.isfinite(loss)
    assert all(np.all(np.isfinite(g)) for g in [*dW, *db])
    assert np.all(np.isfinite(net.forward(X)))
    if output != "linear":
        assert loss > 1000  # confidently wrong on some rows: a large, finite loss, not inf


@BOTH
def test_saturated_sigmoid_output_loss_is_exact(cls):
    net = cls([2, 1], activation="linear", output="sigmoid", seed=0)
    net.weights[0][:] = [[50.0], [0.0]]
    X = np.array([[1.0, 0.0]])
    # logit 50 with label 0: loss = softplus(50) = 50 + log1p(e^-50)
    assert net.loss(X, np.array([0])) == pytest.approx(50.0, rel=1e-12)
    assert net.loss(X, np.array([1])) == pytest.approx(np.log1p(np.exp(-50.0)), rel=1e-6)
    # The training pass computes the loss its own way (the fused kernel has a sigmoid-BCE of its own).
    assert net.loss_and_gradients(X, np.array([0]))[0] == pytest.approx(50.0, rel=1e-12)
    assert net.loss_and_gradients(X, np.array([1]))[0] == pytest.approx(0.0, abs=1e-15)


@BOTH
def test_seed_is_explicit_and_reproducible(cls):
    a = cls([2, 5, 1], seed=7)
    b = cls([2, 5, 1], seed=7)
    c = cls([2, 5, 1], seed=8)
    assert np.array_equal(a.weights[0], b.weights[0])
    assert not np.array_equal(a.weights[0], c.weights[0])
    rng = np.random.default_rng(7)
    d = cls([2, 5, 1], seed=rng)
    assert d.weights[0].shape == (2, 5)


@BOTH
def test_bad_arguments_are_rejected_with_a_reason(cls):
    with pytest.raises(ValueError, match="activation"):
        cls([2, 3, 1], activation="swish")
    with pytest.raises(ValueError, match="1 unit"):
        cls([2, 3, 2], output="sigmoid")
    with pytest.raises(ValueError, match="positive"):
        cls([2, 0, 1])
    with pytest.raises(ValueError, match="shape"):
        cls([2, 3, 1]).forward(np.zeros((3, 3)))
