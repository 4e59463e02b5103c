"""The loss landscape: a slice of the real training loss, centred on the current weights."""

import numpy as np
import pytest

from playground.data import make_preset
from playground.nn import FusedNetwork
from playground.training import TrainConfig, Trainer
from playground.training.landscape import (
    MAX_TRAJECTORY,
    Trajectory,
    compute_landscape,
    contours,
    filter_normalized_direction,
    flatten,
)


def _trained(dtype="float64", epochs=40, n=200):
    config = TrainConfig(hidden=(5, 4), activation="tanh", learning_rate=0.05, dtype=dtype)
    trainer = Trainer(make_preset("moons", n, 0.1, seed=0), config, eval_every=0)
    trajectory = Trajectory()
    for _ in range(epochs):
        trajectory.record(trainer.epoch, trainer.net.blocks())
        trainer.step()
    return trainer, trajectory


@pytest.mark.parametrize("dtype,rel", [("float64", 1e-12), ("float32", 1e-6)])
def test_the_centre_is_the_current_training_loss(dtype, rel):
    trainer, _ = _trained(dtype)
    land = compute_landscape(trainer.net, trainer.X_train, trainer.Y_train, resolution=41)
    assert land.losses.shape == (41, 41) and land.n_points == trainer.n_train
    assert land.centre_loss == pytest.approx(trainer.evaluate().train_loss, rel=rel)
    assert land.coordinates(trainer.net.blocks()) == (0.0, 0.0)
    assert np.all(np.isfinite(land.losses)) and land.losses.min() <= land.centre_loss


def test_a_quadratic_bowl_gives_its_ellipses():
    """No hidden layer, a linear output, targets fitted exactly: the loss is 1/2 delta^T H delta with
    H = [X, 1]^T [X, 1] / n about the minimum. Along d1 = w1 and d2 = w2 (X's columns centred, uncorrelated,
    of variances 4 and 1) the contours are ellipses a^2 4 + b^2 = 2c, twice as wide along b as along a."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((400, 2))
    X -= X.mean(axis=0)
    X = X @ np.linalg.inv(np.linalg.cholesky(np.cov(X.T, bias=True))).T  # whitened exactly
    X *= [2.0, 1.0]
    net = FusedNetwork([2, 1], activation="linear", output="linear")
    w_star = np.array([[0.5], [-1.0], [0.25]])  # [W; b]
    net.blocks()[0][...] = w_star
    Y = (X @ w_star[:2] + w_star[2]).reshape(-1, 1)
    d1, d2 = np.array([1.0, 0, 0]), np.array([0, 1.0, 0])
    land = compute_landscape(net, X, Y, resolution=41, span=2.0, directions=(d1, d2))
    A, B = np.meshgrid(land.alphas, land.betas)
    np.testing.assert_allclose(land.losses, 0.5 * (4 * A**2 + B**2), rtol=1e-9, atol=1e-12)
    assert land.centre_loss == pytest.approx(0.0, abs=1e-20)
    rings = 0
    for level, segments in contours(land, count=6):
        a, b = segments[:, 0], segments[:, 1]
        assert len(segments) >= 8
        # Linear interpolation of a quadratic between grid points h = 0.1 apart is off by at most f'' h^2 / 8:
        # 4 * 0.01 / 8 = 0.005 along a.
        np.testing.assert_allclose(0.5 * (4 * a**2 + b**2), level, rtol=0.02, atol=0.006)
        if np.sqrt(level / 2) > 0.3 and np.sqrt(2 * level) < 1.8:  # a whole ring, several cells across
            assert np.ptp(b) == pytest.approx(2 * np.ptp(a), rel=0.05)  # twice as wide along b
            rings += 1
    assert rings >= 2


def test_random_directions_are_filter_normalised():
    trainer, _ = _trained()
    blocks = trainer.net.blocks()
    d = filter_normalized_direction(blocks, np.random.default_rng(3))
    start = 0
    for block in blocks:
        part = d[start : start + block.size].reshape(block.shape)
        start += block.size
        np.testing.assert_allclose(np.linalg.norm(part[:-1], axis=0), np.linalg.norm(block[:-1], axis=0))
        assert not part[-1].any()  # biases are not moved


def test_pca_directions_span_the_path_and_a_point_of_the_plane_round_trips():
    trainer, trajectory = _trained()
    path = trajectory.array(trainer.net.blocks())
    land = compute_landscape(trainer.net, trainer.X_train, trainer.Y_train, method="pca", trajectory=path)
    assert land.method == "pca" and land.note == ""
    coords = land.project(path)
    # The first two principal directions carry most of the path: projecting loses little of it.
    moves = path - land.theta
    kept = np.linalg.norm(coords @ np.stack([land.d1, land.d2]), axis=1)
    assert np.sum(kept**2) >= 0.9 * np.sum(moves**2)
    assert np.abs(coords[:, 0]).max() < land.alphas[-1] and np.abs(coords[:, 1]).max() < land.betas[-1]
    shapes = [b.shape for b in trainer.net.blocks()]
    blocks = land.point_blocks(0.3, -0.2, shapes, np.float64)
    assert land.coordinates(blocks) == pytest.approx((0.3, -0.2))
    # Too short a path for a plane: random directions, and the landscape says so.
    fallback = compute_landscape(trainer.net, trainer.X_train, trainer.Y_train, method="pca", trajectory=path[:1])
    assert fallback.method == "random" and "random" in fallback.note


def test_the_trajectory_stays_bounded_and_covers_the_whole_run():
    trajectory = Trajectory()
    block = np.zeros((3, 2))
    for epoch in range(10_000):
        block[0, 0] = epoch
        trajectory.record(epoch, [block])
    assert len(trajectory.epochs) < MAX_TRAJECTORY and trajectory.epochs[0] == 0
    assert trajectory.epochs[-1] > 9_000
    assert trajectory.array().shape == (len(trajectory.epochs), 6)
    assert flatten([block])[0] == 9_999


def test_bad_method_is_named():
    trainer, _ = _trained(epochs=1)
    with pytest.raises(ValueError, match="unknown landscape method 'hessian'"):
        compute_landscape(trainer.net, trainer.X_train, trainer.Y_train, method="hessian")


def test_the_live_run_computes_tracks_and_jumps_through_commands():
    import pickle

    from playground.training.commands import ComputeLandscape, JumpInLandscape, Pause, Play, Reset, ShowLandscape
    from playground.training.frame import FrameBuilder
    from playground.training.live import LiveRun

    live = LiveRun(make_preset("moons", 150, 0.1, seed=0), TrainConfig(hidden=(4,), learning_rate=0.1))
    builder = FrameBuilder()
    assert builder.build(live).landscape is None  # the panel is closed: nothing computed, nothing sent
    live.handle(ShowLandscape(True))
    first = builder.build(live).landscape
    assert first.uid > 0 and first.losses.shape == (41, 41)
    assert first.centre_loss == pytest.approx(live.trainer.evaluate().train_loss, rel=1e-5)
    live.handle(Play())
    for _ in range(30):
        live.advance()
    live.handle(Pause())
    live.handle(ComputeLandscape("pca"))
    frame = builder.build(live)
    pickle.loads(pickle.dumps(frame))  # frames cross a process boundary
    land = frame.landscape
    assert land.method == "pca" and land.uid > first.uid and len(land.path) >= 20
    assert land.path[-1] == pytest.approx([0.0, 0.0], abs=1e-9)  # the current weights are the centre
    i, j = 30, 8  # jump to a grid point: the loss there is the map's
    live.handle(JumpInLandscape(land.uid, float(land.alphas[i]), float(land.betas[j])))
    assert "Jumped" in live.notice
    assert live.trainer.evaluate().train_loss == pytest.approx(float(land.losses[j, i]), rel=1e-5)
    before = [b.copy() for b in live.trainer.net.blocks()]
    live.handle(JumpInLandscape(first.uid, 0.5, 0.5))  # a landscape that is gone: nothing happens
    assert all(np.array_equal(a, b) for a, b in zip(before, live.trainer.net.blocks()))
    live.handle(Reset(seed=3))
    renewed = builder.build(live).landscape
    assert renewed.uid > land.uid and len(renewed.path) == 1  # a new run, a new landscape around its weights
    live.handle(ShowLandscape(False))
    assert builder.build(live).landscape is None


def test_big_data_and_big_networks_stay_within_the_budget_and_say_so(monkeypatch):
    from playground.training.landscape import MIN_RESOLUTION, WORK_BUDGET, plan

    assert plan(500, 113, 41) == (41, 500)  # S1: every point, the full grid
    res, points = plan(100_000, 113, 41)
    assert res == 41 and points < 100_000 and res**2 * 113 * points <= WORK_BUDGET
    res, points = plan(100_000, 650_000, 41)  # ten layers of 256
    assert res == MIN_RESOLUTION and res**2 * 650_000 * points <= 3 * WORK_BUDGET
    trainer, _ = _trained(epochs=1, n=3000)
    land = compute_landscape(trainer.net, trainer.X_train[:1], trainer.Y_train[:1], resolution=5)
    assert land.losses.shape == (5, 5) and land.note == ""
    monkeypatch.setattr("playground.training.landscape.WORK_BUDGET", 1e6)
    land = compute_landscape(trainer.net, trainer.X_train, trainer.Y_train, resolution=41)
    assert land.n_points < trainer.n_train and f"of the {trainer.n_train:,} training points" in land.note


def test_each_batch_of_grid_networks_is_small_enough_for_a_stop_to_be_heard_soon(monkeypatch):
    """The stop is looked at between batches of grid networks: a big network's batch of 400 grid points (a
    quarter of its landscape, about half a second) kept a closing window waiting. No batch may hold more than
    CHUNK_MACS multiply-adds."""
    from playground.nn import StackedNetwork
    from playground.training import landscape

    trainer = Trainer(make_preset("spiral", 300, 0.1, seed=0), TrainConfig(hidden=(64,) * 6), eval_every=0)
    sizes = []
    original = StackedNetwork.from_blocks.__func__

    def recording(cls, layer_sizes, activation, output, blocks):
        sizes.append(blocks[0].shape[0])
        return original(cls, layer_sizes, activation, output, blocks)

    monkeypatch.setattr(StackedNetwork, "from_blocks", classmethod(recording))
    land = compute_landscape(trainer.net, trainer.X_train, trainer.Y_train, resolution=41)
    n_params = sum(b.size for b in trainer.net.blocks())
    assert sum(sizes) == land.losses.size and len(sizes) > 1
    assert max(sizes) * land.n_points * n_params <= landscape.CHUNK_MACS
