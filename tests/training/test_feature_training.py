"""Input features through the engine: training, the boundary, neuron maps, hidden space, the trace, sweeps,
settings and resets. Without Qt; each test takes milliseconds."""

import numpy as np
import pytest

from playground.data import make_preset
from playground.data.features import FEATURE_NAMES, feature_matrix
from playground.nn import trace_step
from playground.training import TrainConfig, Trainer
from playground.training.commands import Apply, Pause, Play, SetTrace, Step, Sweep, Views
from playground.training.frame import FrameBuilder
from playground.training.insight import feature_maps, hidden_space, neuron_maps
from playground.training.live import LiveRun
from playground.training.surface import evaluate_surface, grid
from playground.training.trainer import train_headless

SQUARES = ("x1sq", "x2sq")


def test_with_squares_and_no_hidden_layer_the_circle_is_learned_and_from_x1_x2_alone_it_cannot_be():
    circle = make_preset("circle", 500, 0.0, seed=0)
    solved = train_headless(circle, TrainConfig(hidden=(), features=SQUARES, learning_rate=0.1), 300)
    plain = train_headless(circle, TrainConfig(hidden=(), features=("x1", "x2"), learning_rate=0.1), 300)
    assert solved.trainer.net.layer_sizes == [2, 1]
    assert solved.summary["test_accuracy"] >= 0.95
    # A single linear boundary through the plane cannot enclose the inner class: at best it guesses.
    assert plain.summary["test_accuracy"] < 0.8


def test_the_network_takes_one_input_per_feature_and_trains_on_their_values():
    ds = make_preset("xor", 100, 0.0, seed=0)
    trainer = Trainer(ds, TrainConfig(hidden=(3,), features=("x2", "x1x2", "sinx1")))
    assert trainer.net.layer_sizes == [3, 3, 1]
    mask = trainer.test_mask
    expected = feature_matrix(ds.X[~mask], ("x2", "x1x2", "sinx1"), trainer.net.dtype)
    np.testing.assert_array_equal(trainer.X_train, expected)
    np.testing.assert_array_equal(
        trainer.inputs(ds.X[:3]), feature_matrix(ds.X[:3], ("x2", "x1x2", "sinx1")).astype(np.float32)
    )


def test_config_keeps_features_in_order_refuses_bad_ones_and_reads_old_settings():
    assert TrainConfig(features=("x2sq", "x1")).features == ("x1", "x2sq")
    assert TrainConfig(features=("x2sq", "x1")) == TrainConfig(features=("x1", "x2sq"))
    for bad, named in [((), "at least one"), (("x1", "cosx"), "'cosx'"), (("x1", "x1"), "named twice")]:
        with pytest.raises(ValueError, match=named):
            TrainConfig(features=bad)
    config = TrainConfig(features=SQUARES)
    assert TrainConfig.from_dict(config.to_dict()) == config
    assert config.to_dict()["features"] == ["x1sq", "x2sq"]
    old = config.to_dict()
    del old["features"]  # settings saved before features existed
    assert TrainConfig.from_dict(old).features == ("x1", "x2")
    with pytest.raises(ValueError, match="features should be a list of names"):
        TrainConfig.from_dict({"features": "x1,x2"})
    assert TrainConfig().needs_reset(TrainConfig(features=("x1",)))


def test_surface_maps_and_hidden_space_feed_the_network_the_features():
    config = TrainConfig(hidden=(3,), features=("x1", "x1sq", "sinx2"), dtype="float64")
    trainer = Trainer(make_preset("circle", 60, 0.0, seed=0), config)
    net, bounds = trainer.net, (-3.0, 2.0, -1.0, 4.0)
    inputs = feature_matrix(grid(bounds, 8), config.features)
    surface = evaluate_surface(net, bounds, 8, config.features)
    np.testing.assert_allclose(surface.values.ravel(), net.forward(inputs)[:, 0], rtol=1e-6)
    maps = neuron_maps(net, bounds, 8, features=config.features)
    np.testing.assert_allclose(maps[0].reshape(3, -1).T, net.forward_layers(inputs)[1], rtol=1e-6)
    X = np.array([[0.5, -1.0], [2.0, 3.0]])
    _, points = hidden_space(net, 1, 0, 2, bounds, X, features=config.features)
    np.testing.assert_allclose(points, net.forward_layers(feature_matrix(X, config.features))[1][:, [0, 2]])


def test_feature_maps_show_each_feature_over_the_view_with_zero_at_the_middle():
    maps = feature_maps((-2.0, 2.0, -2.0, 2.0), 4)
    assert maps.shape == (len(FEATURE_NAMES), 4, 4) and maps.dtype == np.float32
    x1, x1sq = maps[FEATURE_NAMES.index("x1")], maps[FEATURE_NAMES.index("x1sq")]
    assert np.all(np.diff(x1, axis=1) > 0) and np.allclose(x1.mean(), 0.5)  # grows left to right, odd
    assert np.all(x1sq >= 0.5) and x1sq.max() == 1.0  # never negative


def _live(features=SQUARES):
    live = LiveRun(make_preset("circle", 200, 0.0, seed=0), TrainConfig(hidden=(4,), features=features))
    live.handle(Play())
    for _ in range(5):
        live.advance()
    live.handle(Pause())
    return live


def test_a_change_of_features_resets_the_weights_and_says_so():
    live = _live(("x1", "x2"))
    run, epoch = live.run_id, live.trainer.epoch
    assert epoch == 5
    live.handle(Apply(live.trainer.config.with_changes(features=("x1", "x2", "x1sq"))))
    assert live.trainer.epoch == 0 and live.run_id == run + 1
    assert live.trainer.net.layer_sizes[0] == 3
    notice = live.take_notice()
    assert "input features changed" in notice and "x₁²" in notice and "reset" in notice
    frame = FrameBuilder().build(live)
    assert frame.status.layer_sizes[0] == 3 and frame.status.config.features == ("x1", "x2", "x1sq")


def test_the_network_frame_and_the_trace_carry_the_features():
    live = _live()
    live.handle(Views(network=True, trace=True))
    live.handle(SetTrace((1.5, -2.0), 1))
    frame = FrameBuilder().build(live)
    assert frame.network.features == SQUARES and frame.network.input_maps.shape[0] == len(FEATURE_NAMES)
    assert frame.network.layer_sizes[0] == 2
    trace = frame.trace
    assert trace.features == SQUARES
    np.testing.assert_allclose(trace.trace.activations[0], [1.5**2, 2.0**2])
    expected = trace_step(live.trainer.net, feature_matrix(np.array([[1.5, -2.0]]), SQUARES)[0], 1)
    np.testing.assert_array_equal(trace.trace.dweights[0], expected.dweights[0])


def test_a_stacked_sweep_trains_on_the_features():
    live = _live()
    base = live.trainer.config
    configs = [base.with_changes(learning_rate=lr) for lr in (0.01, 0.1)]
    live.handle(Sweep(tuple((f"lr {c.learning_rate}", c) for c in configs), epochs=3))
    for _ in range(50):
        if not live.sweeping:
            break
        live.advance()
    assert not live.sweeping
    runs = live.take_runs()
    swept = [r for r in runs if r.label.startswith("lr ")]
    assert len(swept) == 2 and all(r.config.features == SQUARES and r.epochs == 3 for r in swept)
    live.handle(Step())
    live.advance()
    assert live.trainer.net.layer_sizes[0] == 2
