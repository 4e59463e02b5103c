"""Run records carry a regression's RMSE (the Runs panel shows it where a classification shows accuracy);
sessions saved before they did still open."""

import math

import numpy as np

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
