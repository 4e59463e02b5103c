"""The stacked engine against K separate networks: same losses, gradients and training, network by network."""

import numpy as np
import pytest
from nn_cases import GRID, targets

from playground.nn import FusedNetwork, Network, StackedNetwork, StackedOptimizer, make_optimizer
from playground.nn.regularization import add_block_regularization
from playground.nn.stacked import add_stacked_regularization

SEEDS = [3, 4, 5]


def _close(a, b, rtol=1e-10):
    np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-13)


@pytest.mark.parametrize("activation,output,hidden", GRID)
def test_stacked_gradients_equal_separate_networks(activation, output, hidden):
    name, n_out = output
    sizes = [2, *hidden, n_out]
    stack = StackedNetwork(sizes, activation, name, inits=["xavier", "he", "seed"], seeds=SEEDS)
    rng = np.random.default_rng(1)
    for block in stack.blocks():
        block[:, -1] += rng.normal(scale=0.1, size=block[:, -1].shape)  # biases off zero, each network its own
    for k, seed in enumerate(SEEDS):  # network k starts as Network(..., init, seed) would
        fresh = Network(sizes, activation, name, ["xavier", "he", "seed"][k], seed)
        for W, block in zip(fresh.weights, stack.blocks()):
            assert np.array_equal(W, block[k, :-1])
    for n in (9, 4):  # the workspace follows a change of batch size
        X = rng.normal(size=(n, 2))
        y = targets(name, n, n_out, rng)
        losses, dW, db = stack.loss_and_gradients(X, y)
        assert losses.shape == (len(SEEDS),)
        forward = stack.forward(X)
        for k in range(len(SEEDS)):
            net = stack.network(k)
            loss, dW_k, db_k = net.loss_and_gradients(X, y)
            assert losses[k] == pytest.approx(loss, rel=1e-10, abs=1e-13)
            for a, b in zip([*dW_k, *db_k], [*(d[k] for d in dW), *(d[k] for d in db)]):
                assert a.shape == b.shape
                _close(b, a)
            _close(forward[k], net.forward(X))
        _close(stack.losses(X, stack.encode_targets(y)), losses)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-11), (np.float32, 2e-5)])
def test_stacked_training_equals_separate_trainings(optimizer, dtype, rtol):
    """K seeds, each its own learning rate and L1/L2 rates, mini-batches in one shared order: every epoch's
    losses and the final weights match K FusedNetworks trained one by one (float64: to 1e-11 relative;
    float32: to 2e-5, a few ulps of rounding from other summation orders, grown over the epochs)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2)).astype(dtype)
    y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    sizes, lrs, l1s, l2s = [2, 6, 5, 1], [0.3, 0.1, 0.03], [1e-3, 0.0, 0.0], [0.0, 0.0, 1e-2]
    if optimizer == "adam":  # steps of lr whatever the gradient: large ones turn rounding into chaos
        lrs = [lr / 10 for lr in lrs]
    stack = StackedNetwork(sizes, "tanh", "sigmoid", seeds=SEEDS, dtype=dtype)
    singles = [FusedNetwork(sizes, "tanh", "sigmoid", seed=s, dtype=dtype) for s in SEEDS]
    s_opt = StackedOptimizer(optimizer, lrs, momentum=0.8)
    opts = [make_optimizer(optimizer, lr, **({"beta": 0.8} if optimizer == "momentum" else {})) for lr in lrs]
    Y = stack.encode_targets(y)
    order_rng = np.random.default_rng(7)
    for _epoch in range(15):
        order = order_rng.permutation(len(X))
        totals, single_totals = np.zeros(3), np.zeros(3)
        for start in range(0, len(X), 16):
            batch = order[start : start + 16]
            losses, dblocks = stack.loss_and_block_gradients(X[batch], Y[batch])
            add_stacked_regularization(stack.blocks(), dblocks, l1s, l2s)
            s_opt.step(stack.blocks(), dblocks)
            totals += losses * len(batch)
            for k, net in enumerate(singles):
                loss, d = net.loss_and_block_gradients(X[batch], Y[batch])
                add_block_regularization(list(net.blocks()), d, l1s[k], l2s[k])
                opts[k].step(net.blocks(), d)
                single_totals[k] += loss * len(batch)
        np.testing.assert_allclose(totals, single_totals, rtol=rtol)
    for k, net in enumerate(singles):
        for a, b in zip(net.blocks(), stack.blocks()):
            np.testing.assert_allclose(b[k], a, rtol=rtol * 10, atol=rtol)


def test_from_blocks_checks_shapes_and_names_the_block():
    good = StackedNetwork([2, 3, 1], "relu", "sigmoid", seeds=[0, 1]).blocks()
    StackedNetwork.from_blocks([2, 3, 1], "relu", "sigmoid", good)
    with pytest.raises(ValueError, match="block 1 has shape"):
        StackedNetwork.from_blocks([2, 3, 1], "relu", "sigmoid", [good[0], good[1][:, :2]])
    with pytest.raises(ValueError, match="3 values for 2 networks"):
        StackedNetwork([2, 3, 1], inits=["he", "he", "he"], seeds=[0, 1])


def test_extreme_logits_stay_finite_and_quiet():
    """A saturated sigmoid stack (e^-z overflows inside) gives finite losses and no warnings."""
    stack = StackedNetwork([2, 4, 1], "sigmoid", "sigmoid", seeds=[0, 1], dtype=np.float32)
    for block in stack.blocks():
        block *= 1e4
    X = np.array([[1.0, -1.0], [-2.0, 3.0]], np.float32)
    losses, dblocks = stack.loss_and_block_gradients(X, stack.encode_targets([0, 1]))
    assert np.all(np.isfinite(losses)) and all(np.all(np.isfinite(d)) for d in dblocks)
