"""The "Step through" panel's data, without Qt: the frame's trace and "take this step"."""

import numpy as np
import pytest

from playground.data import make_preset
from playground.nn import trace_step
from playground.training import TrainConfig
from playground.training.commands import Pause, Play, SetTrace, TakeTraceStep, Views
from playground.training.frame import FrameBuilder
from playground.training.live import LiveRun
from playground.training.trainer import TrainingStopped


def _live(epochs=5):
    live = LiveRun(make_preset("xor", 200, 0.0, seed=0), TrainConfig(hidden=(4, 3), learning_rate=0.3))
    live.handle(Play())
    for _ in range(epochs):
        live.advance()
    live.handle(Pause())
    return live


def _same(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


def test_the_frame_carries_the_trace_of_the_live_network_only_when_the_panel_is_open():
    live = _live()
    ds = live.trainer.dataset
    point, label = tuple(ds.X[7]), int(ds.y[7])
    live.handle(SetTrace(point, label))
    assert FrameBuilder().build(live).trace is None  # the panel is closed
    live.handle(Views(trace=True))
    frame = FrameBuilder().build(live).trace
    assert frame is not None and frame.label == label and not frame.guessed
    want = trace_step(live.trainer.net, np.array(point, dtype=live.trainer.net.dtype), label)
    got = frame.trace
    assert got.loss == want.loss
    for name in ("activations", "preactivations", "deltas", "slopes", "dweights", "dbiases"):
        _same(getattr(got, name), getattr(want, name))
    _same(frame.weights, live.trainer.net.weights)
    live.handle(SetTrace(None, None))
    assert FrameBuilder().build(live).trace is None


def test_a_spot_without_a_label_is_traced_towards_the_predicted_class():
    live = _live()
    live.handle(Views(trace=True))
    live.handle(SetTrace((0.3, -0.2), None))
    frame = FrameBuilder().build(live).trace
    net = live.trainer.net
    x = np.array([0.3, -0.2], dtype=net.dtype)
    predicted = int(net.head.predict(net.logits(x[None]))[0])
    assert frame.guessed and frame.label == predicted
    assert frame.trace.loss == trace_step(net, x, predicted).loss


def test_take_trace_step_moves_the_weights_by_exactly_minus_lr_times_the_shown_gradient():
    live = _live()
    live.handle(Views(trace=True))
    ds = live.trainer.dataset
    live.handle(SetTrace(tuple(ds.X[3]), int(ds.y[3])))
    shown = FrameBuilder().build(live).trace
    before_w = [W.copy() for W in live.trainer.net.weights]
    before_b = [b.copy() for b in live.trainer.net.biases]
    epoch = live.trainer.epoch
    live.handle(TakeTraceStep())
    lr = live.trainer.config.learning_rate
    for W, W0, dW in zip(live.trainer.net.weights, before_w, shown.trace.dweights):
        np.testing.assert_array_equal(W, W0 - lr * dW)
        assert np.any(dW != 0)
    for b, b0, db in zip(live.trainer.net.biases, before_b, shown.trace.dbiases):
        np.testing.assert_array_equal(b, b0 - lr * db)
    assert live.trainer.epoch == epoch
    # The next frame shows the new weights (and so the new boundary) and the new step.
    after = FrameBuilder().build(live)
    _same(after.trace.weights, live.trainer.net.weights)
    assert after.surface is not None


def test_take_trace_step_does_nothing_while_training_or_without_a_point():
    live = _live()
    before = [W.copy() for W in live.trainer.net.weights]
    live.handle(TakeTraceStep())  # no point
    _same(live.trainer.net.weights, before)
    live.handle(SetTrace((0.1, 0.1), None))
    live.handle(Play())
    live.handle(TakeTraceStep())  # training
    _same(live.trainer.net.weights, before)


def _blocks(trainer):
    return [b.copy() for b in trainer.net.blocks()]


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("batch_size", [0, 37])
def test_next_step_is_exactly_the_change_training_makes_next(optimizer, batch_size):
    from playground.training import Trainer
    from playground.training.trainer import TrainingStopped

    config = TrainConfig(hidden=(4,), optimizer=optimizer, learning_rate=0.05, batch_size=batch_size, l2=0.01)
    trainer = Trainer(make_preset("xor", 120, 0.1, seed=3), config)
    for _ in range(3):  # some optimizer state (velocity, moments) and a moved shuffle generator
        trainer.step()
    before = _blocks(trainer)
    preview, rows = trainer.next_step()
    assert rows == (batch_size or trainer.n_train)
    _same(_blocks(trainer), before)  # previewing changes nothing ...
    twin = Trainer(trainer.dataset, config, state=trainer.state())
    twin.step()
    reference = Trainer(trainer.dataset, config, state=trainer.state())
    trainer.step()
    _same(_blocks(trainer), _blocks(twin))  # ... not even the shuffle or the optimizer's state
    # Stop the reference after its first batch: what that step changed is the preview, to the last bit.
    calls = []
    reference.should_stop = lambda: calls.append(1) or len(calls) > 1
    try:
        reference.step()
    except TrainingStopped:
        pass
    after = _blocks(reference)
    _same(preview, [a - b for a, b in zip(after, before)])


def test_a_traced_label_of_the_other_kind_is_not_used_after_the_data_change_between_classes_and_values():
    from playground.training.commands import SetData

    live = LiveRun(make_preset("plane", 80, 0.0, seed=0), TrainConfig(hidden=(3,)))
    live.handle(SetTrace((1.0, 1.0), 0.737))  # a point of value 0.737
    _, label, guessed = live.trace()
    assert label == 0.737 and not guessed
    live.handle(SetData(make_preset("xor", 80, 0.0, seed=0)))  # now classes: 0.737 is no class
    _, label, guessed = live.trace()
    assert guessed and label in (0, 1) and isinstance(label, int)
    live.handle(SetTrace((1.0, 1.0), 1))
    live.handle(SetData(make_preset("plane", 80, 0.0, seed=0)))  # and back: class 1 is no value
    _, label, guessed = live.trace()
    assert guessed and isinstance(label, float)


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_showing_a_past_moment_previews_the_first_step_a_branch_from_there_would_take(optimizer):
    """The present optimizer state (Adam's moments, momentum's velocity) belongs to now, not to the epoch shown:
    the preview is what "Branch from here" would do first (fresh state), bit for bit."""
    from playground.training.commands import BranchFrom, ShowMoment

    live = LiveRun(
        make_preset("xor", 200, 0.0, seed=0),
        TrainConfig(hidden=(4, 3), learning_rate=0.05, optimizer=optimizer, batch_size=32),
    )
    live.handle(Play())
    for _ in range(30):
        live.advance()
    live.handle(Pause())
    live.handle(Views(trace=True))
    live.handle(SetTrace((0.2, -0.3), 1))
    live.handle(ShowMoment(1))
    assert live.showing_past
    shown = FrameBuilder().build(live).trace
    assert shown is not None and shown.batch_step is not None and shown.batch_fresh
    live.handle(BranchFrom(1))
    before = _blocks(live.trainer)
    calls = []
    live.trainer.should_stop = lambda: calls.append(1) or len(calls) > 1  # stop after the first batch
    with pytest.raises(TrainingStopped):
        live.trainer.step()
    _same(shown.batch_step, [a - b for a, b in zip(_blocks(live.trainer), before)])
