"""Slow motion and "Train N epochs" in the live run, without Qt."""

import time

from playground.data import make_preset
from playground.training import TrainConfig
from playground.training.commands import Pause, Play, SetSpeed, Step
from playground.training.live import LiveRun


def _live():
    return LiveRun(make_preset("xor", 100, 0.0, seed=0), TrainConfig(hidden=(4,)))


def test_train_n_epochs_trains_exactly_n_and_pause_stops_it():
    live = _live()
    live.handle(Step(25))
    while live.busy:
        live.advance()
    assert live.trainer.epoch == 25 and not live.running
    live.handle(Step(1000))
    for _ in range(10):
        live.advance()
    live.handle(Pause())
    assert not live.busy and live.trainer.epoch == 35


def test_slow_motion_paces_epochs_and_full_speed_does_not():
    live = _live()
    live.handle(SetSpeed(20.0))
    live.handle(Play())
    start = time.perf_counter()
    while time.perf_counter() - start < 0.5:
        if not live.advance():
            time.sleep(min(live.wait_time(), 0.01))
    assert 8 <= live.trainer.epoch <= 13  # 20 epochs a second for half a second
    assert 0 <= live.wait_time() <= 0.05
    live.handle(SetSpeed(None))
    before = live.trainer.epoch
    for _ in range(200):
        assert live.advance()
    assert live.trainer.epoch == before + 200 and live.wait_time() == 0.0
