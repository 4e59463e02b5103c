"""A long epoch can be abandoned: ``Trainer.should_stop`` is looked at between batches and between chunks
of a big full batch, and chunking does not change the step."""

import numpy as np
import pytest

from playground.data import make_preset
from playground.training import TrainConfig, Trainer
from playground.training import trainer as trainer_module
from playground.training.trainer import TrainingStopped


def test_a_big_full_batch_in_chunks_is_the_same_step(monkeypatch):
    ds = make_preset("spiral", 3000, 0.1, seed=0)
    config = TrainConfig(hidden=(16, 16), dtype="float64")
    whole = Trainer(ds, config)
    whole.step()
    monkeypatch.setattr(trainer_module, "MIN_CHUNK_ROWS", 100)
    monkeypatch.setattr(trainer_module, "CHUNK_WORK", 1)  # every chunk 100 rows
    chunked = Trainer(ds, config)
    chunked.step()
    for a, b in zip(whole.net.blocks(), chunked.net.blocks(), strict=True):
        assert np.allclose(a, b, rtol=1e-9, atol=1e-12)
    assert whole.evaluate().train_loss == pytest.approx(chunked.evaluate().train_loss, rel=1e-12)


def test_should_stop_abandons_a_full_batch_epoch_before_any_update(monkeypatch):
    monkeypatch.setattr(trainer_module, "MIN_CHUNK_ROWS", 100)
    monkeypatch.setattr(trainer_module, "CHUNK_WORK", 1)
    t = Trainer(make_preset("moons", 2000, 0.1, seed=0), TrainConfig(hidden=(8,)))
    before = [b.copy() for b in t.net.blocks()]
    calls = []
    t.should_stop = lambda: calls.append(1) or len(calls) > 2
    with pytest.raises(TrainingStopped):
        t.step()
    assert t.epoch == 0 and all(np.array_equal(a, b) for a, b in zip(before, t.net.blocks(), strict=True))
    with pytest.raises(TrainingStopped):
        t.evaluate()


def test_should_stop_is_looked_at_between_mini_batches():
    t = Trainer(make_preset("moons", 500, 0.1, seed=0), TrainConfig(hidden=(8,), batch_size=10))
    calls = []
    t.should_stop = lambda: calls.append(1) or len(calls) > 5
    with pytest.raises(TrainingStopped):
        t.step()
    assert len(calls) == 6 and t.epoch == 0
    t.should_stop = None
    assert t.step().epoch == 1
