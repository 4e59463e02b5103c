"""The fused kernel against the reference network: same seed, same numbers."""

import numpy as np
import pytest
from nn_cases import GRID, targets

from playground.nn import FusedNetwork, Network, make_optimizer


def _pair(activation, output, hidden, n_out, dtype=np.float64):
    sizes = [2, *hidden, n_out]
    ref = Network(sizes, activation=activation, output=output, seed=3, dtype=dtype)
    fused = FusedNetwork(sizes, activation=activation, output=output, seed=3, dtype=dtype)
    return ref, fused


def _close(a, b, rtol=1e-10):
    # atol covers entries that are sums cancelling to ~0, where the two summation orders differ by ulps.
    np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-13)


@pytest.mark.parametrize("activation,output,hidden", GRID)
def test_fused_matches_reference(activation, output, hidden):
    name, n_out = output
    ref, fused = _pair(activation, name, hidden, n_out)
    for a, b in zip(ref.parameters(), fused.parameters()):
        assert np.array_equal(a, b)  # the same initial parameters, bit for bit
    rng = np.random.default_rng(1)
    for a, b in zip(ref.biases, fused.biases):
        a += rng.normal(scale=0.1, size=a.shape)  # off zero, and the same change to both
        b[:] = a
    # Two batch sizes: the kernel's workspace must follow a change of n.
    for n in (9, 4):
        X = rng.normal(size=(n, 2))
        y = targets(name, n, n_out, rng)
        _close(fused.forward(X), ref.forward(X))
        for A, B in zip(fused.forward_layers(X), ref.forward_layers(X)):
            _close(A, B)
        _close(fused.logits(X), ref.logits(X))
        loss_r, dW_r, db_r = ref.loss_and_gradients(X, y)
        loss_f, dW_f, db_f = fused.loss_and_gradients(X, y)
        assert loss_f == pytest.approx(loss_r, rel=1e-10, abs=1e-13)
        for a, b in zip([*dW_f, *db_f], [*dW_r, *db_r]):
            assert a.shape == b.shape
            _close(a, b)
    # A few optimizer steps on each, the fused one through its blocks as the trainer does: same weights.
    opt_r, opt_f = make_optimizer("momentum", 0.1), make_optimizer("momentum", 0.1)
    for _ in range(5):
        _, dW, db = ref.loss_and_gradients(X, y)
        opt_r.step(ref.parameters(), [*dW, *db])
        _, dblocks = fused.loss_and_block_gradients(X, fused.encode_targets(y))
        opt_f.step(fused.blocks(), dblocks)
    for a, b in zip(fused.parameters(), ref.parameters()):
        _close(a, b)


@pytest.mark.parametrize("output,n_out", [("sigmoid", 1), ("softmax", 3), ("linear", 2)])
def test_fused_matches_reference_in_float32(output, n_out):
    ref, fused = _pair("tanh", output, (8, 8), n_out, dtype=np.float32)
    rng = np.random.default_rng(2)
    X = rng.normal(size=(50, 2)).astype(np.float32)
    y = targets(output, 50, n_out, rng)
    loss_r, dW_r, db_r = ref.loss_and_gradients(X, y)
    loss_f, dW_f, db_f = fused.loss_and_gradients(X, y)
    assert all(g.dtype == np.float32 for g in [*dW_f, *db_f])
    assert loss_f == pytest.approx(loss_r, rel=1e-5)
    for a, b in zip([*dW_f, *db_f], [*dW_r, *db_r]):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_mutating_fused_weights_in_place_changes_its_output_and_gradients():
    ref, fused = _pair("tanh", "softmax", (4,), 3)
    X = np.random.default_rng(0).normal(size=(6, 2))
    y = np.array([0, 1, 2, 0, 1, 2])
    before = fused.forward(X).copy()
    loss_before = fused.loss_and_gradients(X, y)[0]
    for net in (ref, fused):
        net.weights[0][0, :] += 1.0
        net.biases[1][:] = [0.5, -0.5, 0.0]
    assert not np.allclose(fused.forward(X), before)
    _close(fused.forward(X), ref.forward(X))
    # The kernel reads the blocks, so it sees the change too.
    loss, dW, db = fused.loss_and_gradients(X, y)
    loss_r, dW_r, db_r = ref.loss_and_gradients(X, y)
    assert loss != pytest.approx(loss_before)
    assert loss == pytest.approx(loss_r, rel=1e-10)
    _close(dW[0], dW_r[0])


def test_fused_parameters_are_views_of_the_blocks():
    fused = FusedNetwork([2, 5, 3, 1], seed=0)
    for W, b, block in zip(fused.weights, fused.biases, fused.blocks()):
        assert block.shape == (W.shape[0] + 1, W.shape[1])
        assert np.shares_memory(W, block) and np.shares_memory(b, block)
        block[-1] = 7.0  # updating a block (as the optimizer does) updates the bias
        assert np.all(b == 7.0)


def test_rebinding_fused_parameters_is_refused():
    fused = FusedNetwork([2, 3, 1], seed=0)
    with pytest.raises(TypeError):
        fused.weights[0] = np.zeros((2, 3))  # type: ignore[index]
    with pytest.raises(TypeError):
        fused.biases[0] = np.zeros(3)  # type: ignore[index]
    with pytest.raises(AttributeError):
        fused.weights = [np.zeros((2, 3)), np.zeros((3, 1))]  # type: ignore[misc]


def test_fused_describes_itself_like_the_reference():
    ref, fused = _pair("relu", "softmax", (4,), 3)
    for attr in ("layer_sizes", "n_layers", "dtype", "activation_name", "output_name", "init_name"):
        assert getattr(fused, attr) == getattr(ref, attr)
    assert fused.head.name == "softmax"
    y = np.array([2, 0, 1])
    np.testing.assert_array_equal(fused.encode_targets(y), ref.encode_targets(y))
    X = np.random.default_rng(0).normal(size=(3, 2))
    np.testing.assert_array_equal(fused.predict(X), ref.predict(X))
