"""The live run's state machine, driven without Qt: each test runs in milliseconds."""

import math

import numpy as np

from playground.data import Dataset, make_preset
from playground.training import TrainConfig, Trainer
from playground.training.commands import (
    Apply,
    CancelSweep,
    Load,
    NewRun,
    Pause,
    Play,
    Reset,
    SetData,
    SetWeight,
    Step,
    Sweep,
)
from playground.training.frame import FrameBuilder
from playground.training.live import LiveRun


def _live(config=None, n=200, preset="xor"):
    return LiveRun(make_preset(preset, n, 0.0, seed=0), config or TrainConfig(hidden=(4,)))


def _train(live, epochs):
    live.handle(Play())
    for _ in range(epochs):
        live.advance()
    live.handle(Pause())


def test_play_step_pause():
    live = _live()
    assert not live.busy
    live.handle(Step())
    assert live.advance() and live.trainer.epoch == 1 and not live.busy
    _train(live, 10)
    assert live.trainer.epoch == 11 and not live.running


def test_steps_asked_for_before_the_first_is_trained_all_count():
    """Three Step clicks queued before the training process gets to them (quick clicks, a held Ctrl+.) are three
    epochs, and Train N while steps are pending adds N; each Step used to replace the one pending."""
    live = _live()
    for _ in range(3):
        live.handle(Step())
    live.handle(Step(5))
    while live.advance():
        pass
    assert live.trainer.epoch == 8 and not live.busy


def test_the_split_follows_the_seed_after_new_seed_and_reset():
    """Bug: after New seed the trainer kept training and scoring on the old seed's split."""
    live = _live()
    ds = live.trainer.dataset
    live.handle(Apply(live.trainer.config.with_changes(seed=1)))
    assert np.array_equal(live.trainer.test_mask, ds.test_mask(0.5, 1))
    live.handle(Reset(seed=2))
    assert np.array_equal(live.trainer.test_mask, ds.test_mask(0.5, 2))
    # Adding a point keeps every old point on its side.
    before = live.trainer.test_mask.copy()
    live.handle(SetData(Dataset(np.vstack([ds.X, [[0.3, 0.3]]]), np.append(ds.y, 1))))
    assert np.array_equal(live.trainer.test_mask[:-1], before)


def test_a_resumed_session_scores_the_same_split():
    config = TrainConfig(hidden=(4,), seed=7)
    live = _live(config)
    _train(live, 20)
    saved = live.saved_state("save")
    again = Trainer(saved.dataset, saved.config, eval_every=0, state=saved.state)
    a, b = live.trainer.evaluate(), again.evaluate()
    assert (a.train_loss, a.test_loss) == (b.train_loss, b.test_loss)


def test_a_run_is_recorded_once_with_the_settings_it_trained_with():
    """Bug: the Runs table listed the learning rate a run started with, not the one it trained with."""
    live = _live(TrainConfig(hidden=(4,), learning_rate=0.003))
    _train(live, 5)
    live.handle(Apply(live.trainer.config.with_changes(learning_rate=0.3)))
    _train(live, 5)
    live.handle(Reset())
    assert len(live.runs) == 1
    run = live.runs[0]
    assert run.config.learning_rate == 0.3 and run.epochs == 10
    assert "learning rate" in run.label
    live.handle(Reset())  # a run that never trained is not recorded
    assert len(live.runs) == 1


def test_divergence_pauses_explains_and_play_continues_from_the_last_good_weights():
    live = _live(TrainConfig(hidden=(4,), activation="linear", optimizer="sgd", learning_rate=10.0))
    live.handle(Play())
    for _ in range(50):
        live.advance()
        if live.diverged:
            break
    assert live.diverged and not live.running
    assert "rolled back" in live.alert and "learning rate" in live.alert
    weights = [W.copy() for W in live.trainer.net.weights]
    assert all(np.all(np.isfinite(W)) for W in weights)
    live.handle(Apply(live.trainer.config.with_changes(learning_rate=0.01)))
    live.handle(Play())
    assert live.running and not live.diverged and live.alert == ""
    run = live.run_id
    _train(live, 30)
    assert live.run_id == run and math.isfinite(live.trainer.evaluate().train_loss)


def test_a_late_spike_is_not_divergence_but_a_lasting_one_is():
    from playground.training.divergence import WINDOW, Divergence, DivergenceWatch

    blocks = [np.ones((3, 2))]
    watch = DivergenceWatch()
    verdicts = [watch.check(e, 0.05, blocks) for e in range(1, 200)]
    verdicts += [watch.check(e, 5.0, blocks) for e in range(200, 210)]  # an Adam spike
    verdicts += [watch.check(e, 0.05, blocks) for e in range(210, 600)]
    assert not any(isinstance(v, Divergence) for v in verdicts)
    verdicts = [watch.check(e, 5.0, blocks) for e in range(600, 600 + 2 * WINDOW + 1)]
    assert any(isinstance(v, Divergence) and v.kind == "exploded" for v in verdicts)


def test_oscillation_is_told_once_and_training_goes_on():
    from playground.training.divergence import WINDOW, DivergenceWatch, Oscillation

    watch = DivergenceWatch()
    blocks = [np.ones((3, 2))]
    verdicts = [watch.check(e, 2.0 if e % 2 else 1.0, blocks) for e in range(1, 4 * WINDOW)]
    found = [v for v in verdicts if v is not None]
    assert len(found) == 1 and isinstance(found[0], Oscillation) and found[0].low == 1.0


def test_epoch_limit_stops_with_a_notice():
    live = _live(TrainConfig(hidden=(4,), max_epochs=7))
    _train(live, 20)
    assert live.trainer.epoch == 7 and "epoch limit" in live.notice


def test_set_weight_changes_the_network_and_ignores_nonsense():
    live = _live()
    live.handle(SetWeight(0, 1, 2, 2.5))
    assert live.trainer.net.weights[0][1, 2] == 2.5
    live.handle(SetWeight(0, 99, 2, 1.0))  # out of range: ignored
    live.handle(SetWeight(0, 1, 2, math.inf))  # not finite: ignored
    assert live.trainer.net.weights[0][1, 2] == 2.5


def test_a_sweep_records_each_run_and_any_command_cancels_it():
    live = _live()
    base = live.trainer.config
    live.handle(Sweep((("a", base), ("b", base.with_changes(learning_rate=0.1))), 30))
    while live.sweeping:
        live.advance()
    assert [r.label for r in live.runs] == ["a", "b"] and all(r.epochs == 30 for r in live.runs)
    live.handle(Sweep((("c", base), ("d", base.with_changes(activation="relu"))), 1000))  # one after another
    for _ in range(25):
        live.advance()
    live.handle(Play())  # the user's own training wins
    assert not live.sweeping and live.runs[-1].label == "c (stopped)" and live.running
    live.handle(Sweep((("e", base),), 1000))
    live.handle(CancelSweep())
    assert not live.sweeping and "stopped" in live.notice
    live.handle(Sweep((("f", base),), 1000))
    live.advance()
    live.handle(Pause())  # the Train button shows "Pause" while a sweep runs
    assert not live.sweeping and live.runs[-1].label == "f (stopped)"


def test_new_run_and_load_replace_the_trainer_and_the_curves():
    live = _live()
    _train(live, 10)
    builder = FrameBuilder()
    builder.build(live)
    assert len(live.history["train"]) == 10
    live.handle(NewRun(Dataset(), live.trainer.config))
    frame = builder.build(live)
    assert live.trainer.epoch == 0 and frame.status.metrics is None
    assert frame.losses.history is not None and frame.losses.history["train"][0].size == 0
    assert len(live.runs) == 1  # the old run was kept
    live.handle(Play())
    live.advance()
    assert not live.running and "no training points" in live.notice.lower()
    history = {"train": (np.arange(1, 4), np.array([0.7, 0.6, 0.5]))}
    live.handle(Load(make_preset("circle", 100, 0.0), TrainConfig(), None, history, ()))
    frame = builder.build(live)
    assert frame.status.restored and frame.losses.history["train"][1].tolist() == [0.7, 0.6, 0.5]
    assert live.runs == []


def test_frames_carry_the_runs_only_when_they_changed():
    live = _live()
    builder = FrameBuilder()
    _train(live, 3)
    live.handle(Reset())
    assert len(builder.build(live).runs) == 1
    assert builder.build(live).runs is None


def test_delete_runs_forgets_exactly_those():
    from playground.training.commands import DeleteRuns

    live = _live()
    for _ in range(3):
        _train(live, 2)
        live.handle(Reset())
    first, second, third = live.runs
    live.runs_changed = False
    live.handle(DeleteRuns((second,)))
    assert live.runs == [first, third] and live.runs_changed


def test_a_reset_says_which_settings_changed():
    from playground.training.commands import Apply

    config = TrainConfig(hidden=(4,))
    live = LiveRun(make_preset("xor", 60, 0.0, seed=0), config)
    live.handle(Apply(config.with_changes(hidden=(4, 4, 2), activation="relu")))
    assert live.notice.startswith("The hidden layers, activation changed: the weights were reset")
