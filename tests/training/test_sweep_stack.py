"""Stacked sweeps: the same runs as one after another, trained together, shown growing in the Runs panel."""

import numpy as np
import pytest

from playground.data import make_preset
from playground.training import TrainConfig, Trainer
from playground.training.commands import Play, Sweep
from playground.training.frame import FrameBuilder
from playground.training.live import LiveRun
from playground.training.sweep_stack import StackedSweep, StackedTrainer, stackable

BASE = TrainConfig(hidden=(6, 5), activation="tanh", optimizer="adam", learning_rate=0.03, batch_size=40)


@pytest.mark.parametrize("dtype,rtol", [("float64", 1e-12), ("float32", 1e-5)])
def test_a_stacked_learning_rate_sweep_equals_the_runs_one_by_one(dtype, rtol):
    """Mini-batches in the shared order, the same split, Adam state per run: epoch by epoch the same losses
    as separate Trainers (float64 to 1e-12 relative; float32 to 1e-5: other summation orders' rounding)."""
    ds = make_preset("spiral3", 150, 0.1, seed=0)
    configs = [
        BASE.with_changes(learning_rate=lr, dtype=dtype, l2=l2) for lr, l2 in ((0.01, 0), (0.03, 0.01), (0.1, 0))
    ]
    stack = StackedTrainer(ds, configs)
    singles = [Trainer(ds, c, eval_every=0) for c in configs]
    for _ in range(12):
        losses = stack.step()
        np.testing.assert_allclose(losses, [t.step().train_loss for t in singles], rtol=rtol)
    for k, (single, metrics) in enumerate(zip(singles, stack.evaluate())):
        expected = single.evaluate()
        assert metrics.test_loss == pytest.approx(expected.test_loss, rel=rtol * 10)
        assert metrics.train_accuracy == pytest.approx(expected.train_accuracy, abs=0.01)
        for a, b in zip(single.net.blocks(), stack.network_blocks(k)):
            np.testing.assert_allclose(b, a, rtol=rtol * 10, atol=rtol)


def test_what_can_stack():
    assert stackable([BASE, BASE.with_changes(learning_rate=0.1, seed=3, init="he", l1=0.01, l2=0.1)])
    assert not stackable([BASE])  # one run: nothing to stack
    assert not stackable([BASE, BASE.with_changes(activation="relu")])
    assert not stackable([BASE, BASE.with_changes(batch_size=10)])
    with pytest.raises(ValueError, match="differ in more than"):
        StackedTrainer(make_preset("xor", 20, 0.0), [BASE, BASE.with_changes(hidden=(3,))])


def test_a_diverging_run_stops_counting_and_the_others_go_on():
    ds = make_preset("xor", 100, 0.0, seed=0)
    configs = [BASE.with_changes(optimizer="sgd", learning_rate=lr, dtype="float64") for lr in (0.1, 10.0)]
    sweep = StackedSweep(ds, [("calm", configs[0]), ("wild", configs[1])], 5)
    stack = sweep.trainer
    sweep.advance()
    stack.net.blocks()[0][1, 0, 0] = np.nan  # network 1 goes wrong in its second epoch
    sweep.advance()
    assert stack.diverged_at == [0, 2] and not sweep.done
    sweep.advance()
    metrics = stack.evaluate()
    assert np.isfinite(metrics[0].train_loss) and np.isnan(metrics[1].train_loss)
    calm, wild = sweep.records()
    assert calm.label == "calm" and calm.curve_epochs.tolist() == [1, 2, 3] and calm.epochs == 3
    assert wild.label == "wild (diverged)" and wild.curve_epochs.tolist() == [1] and wild.epochs == 2


def test_a_stackable_sweep_trains_together_and_fills_the_runs_panel_live(monkeypatch):
    monkeypatch.setattr("playground.training.live.LIVE_RUNS_INTERVAL", 0.0)  # every epoch, for the test
    live = LiveRun(make_preset("xor", 120, 0.0, seed=0), BASE)
    builder = FrameBuilder()
    runs = tuple((f"lr {lr}", BASE.with_changes(learning_rate=lr)) for lr in (0.003, 0.03, 0.3))
    live.handle(Sweep(runs, 20))
    live.advance()
    assert "together" in live.notice
    shown = builder.build(live).runs
    assert [r.label for r in shown] == ["lr 0.003 (training…)", "lr 0.03 (training…)", "lr 0.3 (training…)"]
    assert all(r.epochs == 1 and r.curve_epochs.tolist() == [1] for r in shown)
    for _ in range(9):
        live.advance()
    grown = builder.build(live).runs
    assert [r.uid for r in grown] == [r.uid for r in shown]  # the same runs, grown: all curves together
    assert all(r.epochs == 10 and len(r.curve_epochs) == 10 for r in grown)
    while live.sweeping:
        live.advance()
    final = builder.build(live).runs
    assert [r.label for r in final] == ["lr 0.003", "lr 0.03", "lr 0.3"]
    assert [r.uid for r in final] == [r.uid for r in shown] and all(r.epochs == 20 for r in final)
    assert final[2].train_loss < final[0].train_loss  # lr 0.3 learns faster than lr 0.003 in 20 epochs
    live.handle(Sweep(tuple((f"seed {s}", BASE.with_changes(seed=s)) for s in (0, 1)), 5))
    live.advance()
    assert "split and batch order of seed 0" in live.notice  # a seed sweep varies the weights only
    while live.sweeping:
        live.advance()
    live.handle(Sweep(runs, 1000))
    for _ in range(3):
        live.advance()
    live.handle(Play())  # the user's own training stops the sweep; its runs are kept
    assert [r.label for r in live.runs[-3:]] == [f"{label} (stopped)" for label, _ in runs]
    assert all(r.epochs == 3 for r in live.runs[-3:])
