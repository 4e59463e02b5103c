"""Rewind: weights kept at log-spaced epochs and in a ring of recent ones; "branch from here" starts a run there."""

import numpy as np
import pytest

from playground.data import make_preset
from playground.training import TrainConfig
from playground.training.checkpoints import PER_OCTAVE, RING, Checkpoints, is_log_epoch, ring_stride
from playground.training.commands import BranchFrom, Pause, Play, ShowMoment
from playground.training.live import LiveRun


def test_log_spaced_epochs_cover_a_long_run_with_few_snapshots():
    kept = [e for e in range(1, 100_001) if is_log_epoch(e)]
    assert kept[:10] == [1, 2, 3, 4, 5, 6, 7, 8, 10, 11]
    assert 55 <= len(kept) <= 70  # four per doubling over seventeen doublings
    ratios = np.array(kept[10:]) / np.array(kept[9:-1])
    assert np.all(ratios < 2 ** (1.5 / PER_OCTAVE))  # no gaps: each within a fraction of an octave


def _recorded(last: int):
    """A store that recorded epochs 0..last of a one-block network whose weight [0, 0] is the epoch."""
    store = Checkpoints()
    block = np.zeros((9, 8), np.float32)
    for epoch in range(0, last + 1):
        block[0, 0] = epoch
        store.record(epoch, [block])
    return store, block


def test_the_store_stays_bounded_and_finds_the_latest_snapshot_before_an_epoch():
    store, block = _recorded(3000)
    assert len(store.recent) == RING and store.recent[-1].epoch == 3000
    assert len(store.log) < 50 and store.log[0].epoch == 0
    assert store.nbytes <= (len(store.log) + RING) * block.nbytes
    hit = store.at(1000)
    assert 1000 / 2 ** (1 / PER_OCTAVE) <= hit.epoch <= 1000  # within a quarter octave before
    assert hit.blocks[0][0, 0] == hit.epoch  # a copy of that epoch's weights, not a view of today's
    stride = ring_stride(3000)
    assert stride == 8 and store.at(2990).epoch == 2984  # recent: every 8th epoch by now, the last 512 kept
    assert [c.epoch for c in store.recent] == list(range(3000 - 8 * (RING - 1), 3001, 8))
    assert [ring_stride(e) for e in (0, 1, 255, 511, 512, 1024, 2048)] == [1, 1, 1, 1, 2, 4, 8]
    assert store.at(-1) is None
    big = Checkpoints(max_bytes=2**20)  # a megabyte for snapshots of a quarter
    wide = np.zeros((257, 64), np.float32)
    for epoch in range(200):
        big.record(epoch, [wide] * 4)
    assert 0 < big.nbytes <= 2**20 and len(big.recent) >= 1


def test_branch_from_here_starts_a_new_run_from_the_kept_weights():
    config = TrainConfig(hidden=(4,), optimizer="sgd", learning_rate=0.3)
    live = LiveRun(make_preset("xor", 150, 0.0, seed=0), config)
    live.handle(Play())
    losses = {}
    for _ in range(50):
        live.advance()
        losses[live.trainer.epoch] = live.pending_losses[-1]
    live.handle(Pause())
    live.handle(BranchFrom(20))
    assert "Branched from epoch 20" in live.notice
    assert live.runs[-1].epochs == 50  # the old run is kept
    assert live.trainer.epoch == 20
    assert live.history["train"].data()[0].tolist() == list(range(1, 21))  # its curve, up to the branch
    live.handle(Play())
    live.advance()
    # Full batch and plain SGD: from the same weights, epoch 21 repeats the old run's epoch 21 exactly.
    assert live.pending_losses[-1] == pytest.approx(losses[21], rel=1e-6)
    live.handle(BranchFrom(-5))
    assert "No weights are kept" in live.notice


def test_showing_an_earlier_moment_puts_those_weights_in_every_frame_and_training_comes_back_to_now():
    from playground.training.commands import SetBounds, Step
    from playground.training.frame import FrameBuilder

    live = LiveRun(make_preset("xor", 150, 0.0, seed=0), TrainConfig(hidden=(4,), learning_rate=0.1))
    builder = FrameBuilder()
    live.handle(Play())
    for _ in range(40):
        live.advance()
    live.handle(Pause())
    now = [b.copy() for b in live.trainer.net.blocks()]
    early = builder.build(live).surface.values.copy()
    live.handle(ShowMoment(6))
    assert live.showing_past and live.trainer.epoch == 6 and "Showing epoch 6" in live.notice
    np.testing.assert_array_equal(live.trainer.net.blocks()[0], live.checkpoints.at(6).blocks[0])
    frame = builder.build(live)
    assert frame.status.epoch == 6 and not np.array_equal(frame.surface.values, early)  # the boundary then
    assert live.saved_state("save").state.epoch == 40  # a save keeps the present
    live.handle(SetBounds((-2.0, 2.0, -2.0, 2.0)))  # looking around does not leave the moment
    assert live.showing_past
    live.handle(Step())  # training does: from the present
    assert not live.showing_past and live.trainer.epoch == 40
    assert all(np.array_equal(a, b) for a, b in zip(now, live.trainer.net.blocks()))
    live.advance()
    assert live.trainer.epoch == 41
    present = [b.copy() for b in live.trainer.net.blocks()]
    live.handle(ShowMoment(10))
    live.handle(ShowMoment(3))  # scrubbing from one moment to another keeps the present aside
    live.handle(ShowMoment(None))
    assert not live.showing_past and live.trainer.epoch == 41
    assert live.notice == "Back to now: epoch 41."  # not the last "Showing epoch 3 ..." any more
    assert all(np.array_equal(a, b) for a, b in zip(present, live.trainer.net.blocks()))


def test_a_session_keeps_a_bounded_spread_of_snapshots_and_restores_them_onto_the_same_network():
    store, block = _recorded(3000)
    everything = store.for_saving()
    assert [c.epoch for c in everything] == store.epochs()  # small: all of it
    few = store.for_saving(max_bytes=10 * block.nbytes)
    epochs = [c.epoch for c in few]
    assert len(few) == 10 and epochs[0] == 0 and epochs[-1] == 3000 and epochs == sorted(epochs)
    assert [c.blocks[0][0, 0] for c in few] == epochs  # each snapshot still holds its own epoch's weights
    assert [c.epoch for c in store.for_saving(max_bytes=block.nbytes)] == [3000]
    assert store.for_saving(max_bytes=block.nbytes - 1) == ()  # a snapshot bigger than the budget: none
    again = Checkpoints()
    again.restore(few, [np.zeros((9, 8), np.float32)])
    assert again.epochs() == epochs and again.at(2000).epoch == max(e for e in epochs if e <= 2000)
    other_shape = Checkpoints()
    other_shape.restore(few, [np.zeros((3, 8), np.float32)])
    assert other_shape.epochs() == []  # another network's weights are left out


def test_reopening_and_saving_again_and_again_never_grows_the_saved_timeline():
    from playground.training.checkpoints import SAVE_COUNT

    block = np.zeros((9, 8), np.float32)
    saved: tuple = ()
    epoch = 0
    for _ in range(40):  # open the session, train 2,000 epochs, save: forty times
        store = Checkpoints()
        store.restore(saved, [block])
        for _ in range(2000):
            epoch += 1
            block[0, 0] = epoch
            store.record(epoch, [block])
        saved = store.for_saving()
        assert len(saved) <= SAVE_COUNT and len(store.log) <= 200
    epochs = [c.epoch for c in saved]
    assert epochs == sorted(epochs) and epochs[0] == 1 and epoch - epochs[-1] < ring_stride(epoch)  # all the run


def test_a_non_finite_snapshot_is_not_kept():
    store = Checkpoints()
    store.record(1, [np.ones((3, 2), np.float32)])
    store.record(2, [np.full((3, 2), np.nan, np.float32)])
    assert store.epochs() == [1]


def test_a_frame_says_whether_it_shows_an_earlier_moment_and_which_request_it_answers():
    """The window's timeline tells a frame made before its Rewind request was handled (the running present's,
    still on its way) from one made after, by the request number the frames echo."""
    from playground.training.frame import FrameBuilder

    live = LiveRun(make_preset("xor", 80, 0.0, seed=0), TrainConfig(hidden=(3,)))
    live.handle(Play())
    for _ in range(12):
        live.advance()
    before = FrameBuilder().build(live).status
    assert (before.showing_past, before.present_epoch, before.moment_asked) == (False, 12, 0)
    live.handle(ShowMoment(4, ask=7))
    past = FrameBuilder().build(live).status
    assert past.showing_past and past.epoch == 4 and past.present_epoch == 12 and past.moment_asked == 7
    live.handle(ShowMoment(None, ask=8))
    now = FrameBuilder().build(live).status
    assert not now.showing_past and now.epoch == now.present_epoch == 12 and now.moment_asked == 8


def test_a_branch_says_that_momentum_or_adam_start_afresh():
    """Checkpoints keep weights only: a branched Adam run starts with fresh moments, and its first steps can jump
    (a user saw the loss leap right after branching); the notice says so, and says nothing for plain SGD."""
    for optimizer, said in (("adam", True), ("sgd", False)):
        live = LiveRun(make_preset("xor", 80, 0.0, seed=0), TrainConfig(hidden=(3,), optimizer=optimizer))
        live.handle(Play())
        for _ in range(10):
            live.advance()
        live.handle(Pause())
        live.handle(BranchFrom(4))
        assert ("fresh adam state" in live.notice) == said, live.notice
