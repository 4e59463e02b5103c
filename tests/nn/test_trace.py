"""trace_step: one sample's forward and backward pass, number by number, against the reference engine."""

import numpy as np
import pytest
from nn_cases import GRID, targets

from playground.nn import FusedNetwork, Network, trace_step


def _net(cls, activation, output, hidden, n_out, seed=3):
    net = cls([2, *hidden, n_out], activation=activation, output=output, seed=seed)
    rng = np.random.default_rng(7)
    for b in net.biases:
        b += rng.normal(scale=0.1, size=b.shape)  # off zero, so ReLU kinks are not sat on
    return net


def _loss_from(net, layer, z, target):
    """The loss of one sample as a function of the pre-activation ``z`` of layer ``layer`` (0-based)."""
    for W, b in zip(net.weights[layer + 1 :], net.biases[layer + 1 :]):
        z = net.activation.forward(z[None].copy())[0] @ W + b
    return net.head.loss(z[None], target[None])


@pytest.mark.parametrize("activation,output,hidden", GRID)
def test_trace_matches_loss_and_gradients_and_finite_differences(activation, output, hidden):
    name, n_out = output
    net = _net(Network, activation, name, hidden, n_out)
    rng = np.random.default_rng(1)
    x = rng.normal(size=2)
    y = targets(name, 1, n_out, rng)[0]
    before = [p.copy() for p in net.parameters()]
    t = trace_step(net, x, y)
    assert all(np.array_equal(p, q) for p, q in zip(before, net.parameters()))  # nothing changed

    sizes = [2, *hidden, n_out]
    assert [a.shape for a in t.activations] == [(s,) for s in sizes]
    assert [z.shape for z in t.preactivations] == [(s,) for s in sizes[1:]]
    assert [d.shape for d in t.deltas] == [(s,) for s in sizes[1:]]
    np.testing.assert_array_equal(t.activations[0], x)
    for a, A in zip(t.activations, net.forward_layers(x[None])):
        np.testing.assert_allclose(a, A[0], rtol=1e-12, atol=1e-14)

    loss, dW, db = net.loss_and_gradients(x[None], np.asarray(y)[None])
    assert t.loss == pytest.approx(loss, rel=1e-12, abs=1e-14)
    for got, want in zip([*t.dweights, *t.dbiases], [*dW, *db]):
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-13)

    # Each delta is dL/dz: perturb one pre-activation, run the rest of the network, compare.
    eps = 1e-6
    for layer, (z, delta) in enumerate(zip(t.preactivations, t.deltas)):
        numeric = np.empty_like(z)
        for j in range(z.size):
            plus, minus = z.copy(), z.copy()
            plus[j] += eps
            minus[j] -= eps
            numeric[j] = (_loss_from(net, layer, plus, t.target) - _loss_from(net, layer, minus, t.target)) / (2 * eps)
        np.testing.assert_allclose(delta, numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("output,n_out", [("sigmoid", 1), ("softmax", 3), ("linear", 2)])
def test_trace_of_the_fused_kernel_equals_the_reference(output, n_out):
    ref = _net(Network, "tanh", output, (4, 3), n_out)
    fused = _net(FusedNetwork, "tanh", output, (4, 3), n_out)
    rng = np.random.default_rng(2)
    x = rng.normal(size=2)
    y = targets(output, 1, n_out, rng)[0]
    a, b = trace_step(ref, x, y), trace_step(fused, x, y)
    assert a.loss == pytest.approx(b.loss, rel=1e-12)
    for field in ("activations", "preactivations", "deltas", "dweights", "dbiases"):
        for u, v in zip(getattr(a, field), getattr(b, field)):
            np.testing.assert_allclose(u, v, rtol=1e-12, atol=1e-14)
    _, dW, db = fused.loss_and_gradients(x[None], np.asarray(y)[None])
    for got, want in zip([*b.dweights, *b.dbiases], [*dW, *db]):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-13)


def test_trace_refuses_a_wrong_input_shape():
    with pytest.raises(ValueError, match="x must have shape"):
        trace_step(Network([2, 3, 1]), np.zeros(3), 1)
