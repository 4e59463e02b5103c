"""The training loop without Qt or processes: what it does with commands that arrive just before Stop."""

from playground.data import make_preset
from playground.training import TrainConfig, Trainer
from playground.training.commands import Load, RequestState
from playground.training.loop import TrainingLoop
from playground.training.state import DEFAULT_BOUNDS


def test_a_session_opened_just_before_stop_is_the_final_state():
    ds, config = make_preset("xor", 60, 0.0, seed=0), TrainConfig(hidden=(3,))
    trained = Trainer(ds, config)
    for _ in range(50):
        trained.step()
    out = []
    loop = TrainingLoop(ds, config, DEFAULT_BOUNDS, lambda kind, payload: out.append(kind))
    loop.send(Load(ds, config, trained.state(), {}, ()))
    loop.send(RequestState("save", "x.json"))
    loop.stop()  # before the loop ever ran: Load and the request are still queued
    loop.run()
    assert loop.live.trainer.epoch == 50  # the session was applied, not lost with the stop
    assert [r.purpose for r in loop.pending_requests()] == ["save"]  # answered by the caller, from that state
