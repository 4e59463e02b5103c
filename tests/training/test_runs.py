"""Run records carry a regression's RMSE (the Runs panel shows it where a classification shows accuracy);
sessions saved before they did still open."""

import math

import numpy as np
import pytest

from playground.data import make_preset
from playground.training import TrainConfig
from playground.training.commands import Pause, Play, Reset, Sweep
from playground.training.live import LiveRun
from playground.training.runs import RunRecord


def _trained_runs(preset: str) -> list[RunRecord]:
    """A run ended by Reset, a one-run sweep (trained alone) and a two-run sweep (trained stacked)."""
    config = TrainConfig(hidden=(4,))
    live = LiveRun(make_preset(preset, 120, 0.0, seed=0), config)
    live.handle(Play())
    for _ in range(5):
        live.advance()
    live.handle(Pause())
    live.handle(Reset())
    for runs in ((("alone", config),), (("a", config), ("b", config.with_changes(learning_rate=0.1)))):
        live.handle(Sweep(runs, 5))
        while live.sweeping:
            live.advance()
    assert len(live.runs) == 4
    return live.runs


def test_every_kind_of_finished_run_records_a_regressions_rmse_and_none_for_classes():
    for run in _trained_runs("plane"):
        assert run.regression and run.train_rmse > 0 and run.test_rmse > 0
        assert math.isclose(run.train_rmse, math.sqrt(2 * run.train_loss), rel_tol=1e-5)  # the loss is MSE / 2
        assert math.isnan(run.train_accuracy)
    for run in _trained_runs("xor"):
        assert not run.regression and math.isnan(run.train_rmse) and 0 <= run.train_accuracy <= 1


def test_the_rmse_is_saved_and_a_record_saved_without_it_still_reads():
    run = RunRecord(
        TrainConfig(),
        10,
        0.5,
        0.02,
        0.03,
        math.nan,
        math.nan,
        np.arange(3),
        np.ones(3),
        "r",
        train_rmse=0.2,
        test_rmse=0.25,
    )
    again = RunRecord.from_dict(run.to_dict())
    assert (again.train_rmse, again.test_rmse) == (0.2, 0.25) and again.regression
    old = run.to_dict()
    del old["train_rmse"], old["test_rmse"]  # as sessions were written before
    before = RunRecord.from_dict(old)
    assert math.isnan(before.train_rmse) and math.isnan(before.test_rmse) and not before.regression


def test_a_diverged_regression_run_is_still_a_regression_and_the_kind_is_saved():
    """A diverged run has no RMSE (NaN), so the kind cannot be guessed from it: it is recorded, and saved."""
    from playground.training.sweep_stack import StackedSweep

    config = TrainConfig(hidden=(4,), optimizer="sgd", learning_rate=0.01, dtype="float64")
    sweep = StackedSweep(make_preset("plane", 80, 0.0, seed=0), [("calm", config), ("wild", config)], 3)
    sweep.advance()
    sweep.trainer.net.blocks()[0][1, 0, 0] = np.nan  # the second run goes wrong
    sweep.advance()
    calm, wild = sweep.records()
    assert "diverged" in wild.label and math.isnan(wild.train_rmse)
    assert calm.regression and wild.regression and wild.loss_scale == calm.loss_scale
    assert RunRecord.from_dict(wild.to_dict()).regression
    live = LiveRun(make_preset("xor", 60, 0.0, seed=0), TrainConfig(hidden=(3,)))
    live.handle(Play())
    live.advance()
    live.handle(Pause())
    live.handle(Reset())
    (classes,) = live.runs
    assert not classes.regression and not RunRecord.from_dict(classes.to_dict()).regression
    bad = dict(classes.to_dict(), output="banana")
    with pytest.raises(ValueError, match="output must be sigmoid, softmax or linear"):
        RunRecord.from_dict(bad)
