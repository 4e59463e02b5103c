"""Regression in the engine: values choose a linear output with mean squared error; the figures are RMSE and
R²; the gradients (with input features) match finite differences. Without Qt; milliseconds each."""

import math

import numpy as np
import pytest

from playground.data import Dataset, make_preset
from playground.data.features import FEATURE_NAMES, feature_matrix
from playground.nn import FusedNetwork, Network, check_gradients
from playground.training import TrainConfig, Trainer, output_for_data
from playground.training.commands import Pause, Play, SetData, Sweep, Views
from playground.training.frame import FrameBuilder
from playground.training.live import LiveRun
from playground.training.trainer import regression_figures, train_headless


@pytest.mark.parametrize("features", [("x1", "x2"), FEATURE_NAMES, ("x1sq", "sinx2")])
def test_mse_gradients_match_finite_differences_through_the_features(features):
    X = feature_matrix(np.random.default_rng(0).uniform(-3, 3, (7, 2)), features)
    values = np.random.default_rng(1).normal(size=7)
    net = Network([len(features), 5, 3, 1], activation="tanh", output="linear", seed=2)
    assert check_gradients(net, X, values) < 1e-6


def test_the_fused_kernel_gives_the_references_mse_gradients_on_features():
    X = feature_matrix(np.random.default_rng(0).uniform(-3, 3, (9, 2)), FEATURE_NAMES)
    values = np.random.default_rng(1).normal(size=9)
    ref = Network([7, 4, 1], activation="relu", output="linear", seed=3)
    fused = FusedNetwork([7, 4, 1], activation="relu", output="linear", seed=3)
    loss, dW, db = ref.loss_and_gradients(X, values)
    floss, dblocks = fused.loss_and_block_gradients(X, fused.encode_targets(values))
    assert floss == pytest.approx(loss, rel=1e-12)
    for W, b, block in zip(dW, db, dblocks):
        np.testing.assert_allclose(block[:-1], W, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(block[-1], b, rtol=1e-10, atol=1e-12)


def test_values_choose_one_linear_unit_and_classes_keep_theirs():
    assert output_for_data(make_preset("plane", 50)) == ("linear", 1)
    assert output_for_data(make_preset("xor", 50)) == ("sigmoid", 1)
    assert output_for_data(make_preset("blobs", 50)) == ("softmax", 3)
    trainer = Trainer(make_preset("multigauss", 60), TrainConfig(hidden=(4,)))
    assert trainer.net.output_name == "linear" and trainer.net.layer_sizes == [2, 4, 1] and trainer.is_regression


def test_rmse_and_r2_are_the_textbook_ones():
    ds = make_preset("multigauss", 300, 0.1, seed=4)
    trainer = Trainer(ds, TrainConfig(hidden=(6,), dtype="float64"))
    for _ in range(30):
        trainer.step()
    m = trainer.evaluate()
    assert math.isnan(m.train_accuracy) and math.isnan(m.test_accuracy) and m.is_regression
    for X, y, rmse, r2 in ((trainer.X_train, trainer.y_train, m.train_rmse, m.train_r2),
                           (trainer.X_test, trainer.y_test, m.test_rmse, m.test_r2)):  # fmt: skip
        predicted = trainer.net.forward(X)[:, 0]
        residual = np.sum((y - predicted) ** 2)
        assert rmse == pytest.approx(math.sqrt(residual / len(y)), rel=1e-9)
        assert r2 == pytest.approx(1 - residual / np.sum((y - y.mean()) ** 2), rel=1e-9)
    assert regression_figures(0.5, np.ones(4))[1] != regression_figures(0.5, np.ones(4))[1]  # no variance: NaN
    classes = Trainer(make_preset("xor", 60), TrainConfig(hidden=(3,))).evaluate()
    assert not classes.is_regression and math.isnan(classes.test_r2)


def test_the_plane_and_multigauss_are_learned():
    plane = train_headless(make_preset("plane", 300, 0.0), TrainConfig(hidden=()), 200)
    assert plane.summary["test_r2"] > 0.99 and "test_accuracy" not in plane.summary
    bumps = train_headless(make_preset("multigauss", 500, 0.0), TrainConfig(hidden=(8, 8)), 500)
    assert bumps.summary["test_r2"] >= 0.7 and bumps.summary["test_rmse"] < 0.2


def test_new_data_of_the_other_kind_resets_the_output_and_says_so():
    live = LiveRun(make_preset("xor", 100), TrainConfig(hidden=(3,)))
    live.handle(Play())
    live.advance()
    live.handle(Pause())
    live.handle(SetData(make_preset("plane", 100)))
    assert live.trainer.net.output_name == "linear" and live.trainer.epoch == 0
    assert "values (a regression)" in live.take_notice()
    live.handle(SetData(Dataset(np.zeros((1, 2)), [0.25], regression=True)))
    assert live.trainer.net.output_name == "linear" and live.take_notice() == ""


def test_a_stacked_sweep_of_a_regression_reports_rmse_and_r2():
    ds = make_preset("plane", 120)
    base = TrainConfig(hidden=(3,))
    live = LiveRun(ds, base)
    live.handle(Sweep(tuple((f"lr {lr}", base.with_changes(learning_rate=lr)) for lr in (0.01, 0.05)), 5))
    for _ in range(50):
        if not live.sweeping:
            break
        live.advance()
    runs = [r for r in live.take_runs() if r.label.startswith("lr ")]
    assert len(runs) == 2 and all(math.isnan(r.test_accuracy) and math.isfinite(r.test_loss) for r in runs)


def test_frames_of_a_regression_shade_values_and_colour_the_hidden_space_by_sign():
    ds = make_preset("plane", 80)
    live = LiveRun(ds, TrainConfig(hidden=(3,)))
    live.handle(Views(network=True, hidden=(1, 0, 1)))
    frame = FrameBuilder().build(live)
    assert frame.network.output == "linear" and frame.confusion is None
    np.testing.assert_array_equal(frame.hidden.labels, (ds.y > 0).astype(np.int64))
    s = frame.surface
    assert s.contour is None and s.rgba is None and s.values.min() >= 0 and s.values.max() <= 1
