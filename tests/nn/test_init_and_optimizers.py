import numpy as np
import pytest

from playground.nn import Network, make_optimizer
from playground.nn.init import he, seed_article, xavier
from playground.nn.regularization import add_regularization_gradients, regularization_penalty


def test_xavier_scales_by_fan_in_and_seed_scheme_by_fan_out():
    rng = np.random.default_rng(0)
    W = xavier(400, 10, rng)
    assert W.shape == (400, 10)
    assert W.std() == pytest.approx(np.sqrt(1 / 400), rel=0.05)
    assert seed_article(400, 10, np.random.default_rng(0)).std() == pytest.approx(np.sqrt(1 / 10), rel=0.05)
    assert he(400, 10, np.random.default_rng(0)).std() == pytest.approx(np.sqrt(2 / 400), rel=0.05)


def test_biases_start_at_zero_for_every_initialiser():
    for init in ("xavier", "he", "seed"):
        net = Network([2, 6, 1], init=init, seed=0)
        assert all(np.all(b == 0) for b in net.biases)


def _quadratic_descent(name, lr, steps=300):
    """Minimise 1/2 ||p - 3||^2 from 0; gradient p - 3."""
    p = np.zeros(4)
    opt = make_optimizer(name, lr)
    for _ in range(steps):
        opt.step([p], [p - 3.0])
    return p


@pytest.mark.parametrize("name,lr", [("sgd", 0.1), ("momentum", 0.05), ("adam", 0.1)])
def test_optimizers_reach_the_minimum(name, lr):
    assert np.allclose(_quadratic_descent(name, lr), 3.0, atol=1e-2)


def test_sgd_step_is_exact():
    p = np.array([1.0, 2.0])
    make_optimizer("sgd", 0.5).step([p], [np.array([2.0, -2.0])])
    assert np.array_equal(p, [0.0, 3.0])


def test_adam_first_step_has_learning_rate_size():
    p = np.zeros(3)
    make_optimizer("adam", 0.01).step([p], [np.array([5.0, -0.001, 100.0])])
    assert np.allclose(np.abs(p), 0.01, rtol=1e-3)


def test_learning_rate_changes_keep_state():
    opt = make_optimizer("momentum", 0.1)
    p = np.zeros(2)
    opt.step([p], [np.ones(2)])
    velocity = opt.velocity[0].copy()
    opt.learning_rate = 0.01
    opt.step([p], [np.ones(2)])
    assert np.allclose(opt.velocity[0], 0.9 * velocity - 0.01)


def test_regularisation_penalises_weights_only():
    W = [np.array([[1.0, -2.0]])]
    assert regularization_penalty(W, l1=0.1, l2=0.0) == pytest.approx(0.3)
    assert regularization_penalty(W, l1=0.0, l2=1.0) == pytest.approx(2.5)
    g = [np.zeros((1, 2))]
    add_regularization_gradients(W, g, l1=0.1, l2=1.0)
    assert np.allclose(g[0], [[1.1, -2.1]])


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_optimizers_leave_the_gradients_alone(name):
    p = np.array([1.0, -2.0])
    g = np.array([0.5, 3.0])
    make_optimizer(name, 0.1).step([p], [g])
    assert np.array_equal(g, [0.5, 3.0])
    assert not np.array_equal(p, [1.0, -2.0])
