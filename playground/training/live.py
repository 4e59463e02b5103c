"""The live run: what the window's training thread drives, as a plain object tested without Qt.

``LiveRun`` owns the trainer, whether it is running, paused or diverged, the run id, the run's loss curves
and the record of every finished run (live runs and sweep runs alike, from this one place). The Qt worker
only feeds it commands (``handle``), calls ``advance`` between them and sends the frames it builds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..data import Dataset
from ..data.features import feature_label
from ..nn import StepTrace, trace_step
from .checkpoints import Checkpoints
from .commands import (
    Apply,
    BranchFrom,
    CancelSweep,
    ComputeLandscape,
    DeleteRuns,
    JumpInLandscape,
    Load,
    NewRun,
    Pause,
    Play,
    Reset,
    SetBounds,
    SetData,
    SetSpeed,
    SetTrace,
    SetWeight,
    ShowLandscape,
    ShowMoment,
    Step,
    Sweep,
    TakeTraceStep,
    Views,
)
from .config import SETTING_NAMES, TrainConfig
from .history import LossHistory
from .landscape import LandscapeTracker
from .runs import MAX_RUNS, RunRecord, thin_curve
from .state import DEFAULT_BOUNDS
from .sweep_stack import StackedSweep, stackable
from .trainer import StepStats, Trainer, TrainState, output_for_data

NO_POINTS = "There are no training points yet: draw some, or pick a preset."


def reset_notice(old: TrainConfig, new: TrainConfig) -> str:
    """Why the weights were reset, naming what changed (for input features, which ones now)."""
    if old.features != new.features:
        shown = ", ".join(feature_label(f) for f in new.features)
        return f"The input features changed (now {shown}): the first layer changed, so the weights were reset."
    changed = [name for field, name in SETTING_NAMES.items() if getattr(old, field) != getattr(new, field)]
    what = ", ".join(changed) if changed else "network"
    return f"The {what} changed: the weights were reset (a new run; the last one is kept in Runs)."


@dataclass
class SavedState:
    """What a save needs from the training thread: copies, safe to hand across threads."""

    purpose: str
    path: str
    state: TrainState
    dataset: Dataset
    config: TrainConfig
    history: dict  # name -> (epochs, values)
    runs: list
    checkpoints: tuple = ()  # weights kept along the run (``Checkpoints.for_saving``), oldest first


@dataclass
class _SweepJob:
    runs: list  # [(label, config), ...] still to train
    epochs: int
    total: int
    trainer: Trainer | None = None
    label: str = ""
    started: float = 0.0
    curve: tuple = field(default_factory=lambda: ([], []))
    stack: StackedSweep | None = None  # all runs at once, when they differ only in what a stack can vary
    live: tuple = ()  # the stacked runs' records so far, for the Runs panel
    shown_at: float = 0.0


LIVE_RUNS_INTERVAL = 0.25  # seconds between the Runs panel's updates of a stacked sweep's growing runs


class LiveRun:
    def __init__(
        self,
        dataset: Dataset,
        config: TrainConfig,
        state: TrainState | None = None,
        bounds: tuple = DEFAULT_BOUNDS,
    ):
        self.trainer = Trainer(dataset, config, eval_every=0, state=state)
        self.bounds = tuple(bounds)
        self.views = Views()
        self.run_id = 0
        self.running = False
        self.diverged = False
        self.step_requested = False
        self.steps_left = 0  # epochs still to train after this one ("Train N epochs")
        self.speed: float | None = None  # epochs per second, or None: full speed
        self._next_epoch_at = 0.0  # with a speed, when the next epoch may start (perf_counter)
        self.notice = ""  # a one-off message for the next frame
        self.alert = ""  # why the run stopped (divergence): shown until the next run or Train
        self.history = {"train": LossHistory(), "test": LossHistory()}  # this run's curves: the owner
        self.history_changed = True  # the next frame carries the whole curve (new run, restored session)
        self.pending_epochs: list[int] = []
        self.pending_losses: list[float] = []
        self.runs: list[RunRecord] = []  # every finished run, oldest first
        self.runs_changed = False
        self.restored = state is not None
        self.stats: StepStats | None = None  # the last recorded (or probed) step
        self._seconds = 0.0  # time spent training this run
        self._started = 0.0  # when the current stretch of running began
        self._config_at_start = config
        self._sweep: _SweepJob | None = None
        self.landscape = LandscapeTracker()  # the Loss landscape panel's: the weights' path, the landscape
        self.checkpoints = Checkpoints()  # weights to go back to ("branch from here")
        self.checkpoints.record(self.trainer.epoch, self.trainer.net.blocks())
        self._now: tuple[int, list] | None = None  # (epoch, blocks) of the present while an earlier moment shows
        self.moment_asked = 0  # the last ShowMoment's ``ask``
        self.trace_point: tuple[float, float] | None = None  # the "Step through" panel's point
        self.trace_label: float | None = None  # its class or value (a data point), or None: a spot of the plane

    # -- what the frame and the worker read ------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while there is training to do (the worker then polls commands instead of waiting)."""
        return self.running or self.step_requested or self._sweep is not None

    @property
    def sweeping(self) -> bool:
        return self._sweep is not None

    def saved_state(self, purpose: str, path: str = "") -> SavedState:
        t = self.trainer
        history = {name: tuple(a.copy() for a in h.data()) for name, h in self.history.items()}
        state = t.state()
        if self._now is not None:  # an earlier moment is shown: what is saved is the present
            state.epoch = self._now[0]
            state.weights = [b[:-1].copy() for b in self._now[1]]
            state.biases = [b[-1].copy() for b in self._now[1]]
        kept = self.checkpoints.for_saving()
        return SavedState(purpose, path, state, t.dataset, t.config, history, list(self.runs), kept)

    # -- what a frame takes: each is handed out once ----------------------------------------------

    def take_curves(self, metrics) -> tuple:
        """Record the epochs trained since the last frame, and the test loss ``metrics`` measured now, in this
        run's curves. Returns ``(epochs, train_losses, test_epoch, test_loss, history)``: ``history`` is the
        whole curve (name -> (epochs, values)) when the window must start its plot afresh, else None."""
        epochs = np.array(self.pending_epochs, dtype=np.int64)
        losses = np.array(self.pending_losses, dtype=np.float64)
        self.pending_epochs.clear()
        self.pending_losses.clear()
        test_epoch, test_loss = None, float("nan")
        epoch = self.trainer.epoch
        if metrics is not None and np.isfinite(metrics.test_loss) and epoch > 0:
            test_epoch, test_loss = epoch, metrics.test_loss
            last = self.history["test"].data()[0]
            if not last.size or last[-1] < epoch:
                self.history["test"].extend([epoch], [test_loss])
        self.history["train"].extend(epochs, losses)
        history = None
        if self.history_changed:
            history = {name: tuple(a.copy() for a in h.data()) for name, h in self.history.items()}
            self.history_changed = False
        return epochs, losses, test_epoch, test_loss, history

    def take_notice(self) -> str:
        notice, self.notice = self.notice, ""
        return notice

    def take_restored(self) -> bool:
        restored, self.restored = self.restored, False
        return restored

    def take_runs(self) -> tuple | None:
        """Every kept run, if the list changed since it was last taken; else None."""
        if not self.runs_changed:
            return None
        self.runs_changed = False
        job = self._sweep
        return tuple(self.runs) + (job.live if job is not None else ())

    # -- commands --------------------------------------------------------------------------------

    def handle(self, cmd) -> None:
        """Apply one command (see ``commands``). Sweep-interrupting commands cancel a running sweep."""
        if self._now is not None and not isinstance(cmd, ShowMoment | Views | SetBounds | ShowLandscape):
            self._back_to_now()  # whatever trains or changes the run starts from the present
        match cmd:
            case Play():
                self._cancel_sweep()
                if self.trainer.n_train == 0:
                    self.notice = NO_POINTS
                    return
                self.running = True
                self.diverged = False
                self.alert = ""
                self._started = time.perf_counter()
            case Pause():  # the Train button reads "Pause" during a sweep too: it stops the sweep
                self._cancel_sweep()
                self._stop_clock()
                self.running = False
                self.step_requested = False
                self.steps_left = 0
            case Step(epochs=epochs):
                # Steps asked for while others wait (quick clicks, a held key) add up; after running, start anew.
                pending = 1 + self.steps_left if self.step_requested and not self.running else 0
                self._cancel_sweep()
                self._stop_clock()
                self.running = False
                self.step_requested = True
                self.steps_left = pending + max(int(epochs), 1) - 1
                self.diverged = False
                self.alert = ""
            case SetData(dataset=ds):
                self._cancel_sweep()
                old = output_for_data(self.trainer.dataset)
                if output_for_data(ds) != old:
                    self._finish_run()
                    self.trainer.set_dataset(ds)
                    what = "values (a regression)" if ds.is_regression else f"{ds.n_classes} classes"
                    self._new_run(f"The data now has {what}, so the output layer changed and the weights were reset.")
                else:
                    self.trainer.set_dataset(ds)
            case Apply(config=config):
                self._cancel_sweep()
                if self.trainer.config.needs_reset(config):
                    notice = reset_notice(self.trainer.config, config)
                    self._finish_run()
                    self.trainer.apply(config)
                    self._new_run(notice)
                else:
                    self.trainer.apply(config)
            case Reset(seed=seed):
                self._cancel_sweep()
                self._finish_run()
                self.trainer.reset(seed)
                self._new_run("")
            case NewRun(dataset=ds, config=config):
                self._cancel_sweep()
                self._finish_run()
                self.trainer = Trainer(ds, config, eval_every=0)
                self._new_run("")
            case Load(dataset=ds, config=config, state=state, history=history, runs=runs, checkpoints=kept):
                self._cancel_sweep()
                self._finish_run()
                self.trainer = Trainer(ds, config, eval_every=0, state=state)
                self._new_run("")
                for name, (epochs, values) in history.items():
                    if name in self.history:
                        self.history[name].extend(epochs, values)
                self.set_runs(list(runs))
                if kept:  # the session's timeline, so Rewind reaches back before the save
                    self.checkpoints.restore(kept, self.trainer.net.blocks())
                    self.checkpoints.record(self.trainer.epoch, self.trainer.net.blocks())
                self.restored = True
            case SetSpeed(epochs_per_second=speed):
                self.speed = float(speed) if speed is not None and speed > 0 else None
                self._next_epoch_at = 0.0
            case SetBounds(bounds=bounds):
                self.bounds = tuple(bounds)
            case Views():
                self.views = cmd
            case SetTrace(point=point, label=label):
                self.trace_point = None if point is None else (float(point[0]), float(point[1]))
                self.trace_label = (
                    None if label is None else (float(label) if self.trainer.is_regression else int(label))
                )
            case TakeTraceStep():
                self.take_trace_step()
            case SetWeight(layer=layer, row=row, col=col, value=value):
                self.trainer.set_weight(layer, row, col, value)
                self.stats = None
            case Sweep(runs=runs, epochs=epochs):
                self._cancel_sweep()
                self._stop_clock()
                self.running = False
                self._sweep = _SweepJob(list(runs), epochs, len(runs))
            case CancelSweep():
                self._cancel_sweep()
            case DeleteRuns(runs=gone):
                doomed = {r.uid for r in gone}  # by uid: records reach the window as copies
                self.set_runs([r for r in self.runs if r.uid not in doomed])
            case ShowLandscape(open=is_open):
                self.landscape.open = bool(is_open)
                if is_open and not self.landscape.fits(self.trainer):
                    self.notice = self.landscape.compute(self.trainer) or self.notice
            case ComputeLandscape(method=method, seed=seed):
                self.notice = self.landscape.compute(self.trainer, method, seed) or self.notice
            case ShowMoment(epoch=epoch, ask=ask):
                self.moment_asked = ask
                if epoch is None:
                    if self._now is not None:  # the "Showing epoch ..." notice is over
                        self.notice = f"Back to now: epoch {self._now[0]:,}."
                    self._back_to_now()
                else:
                    self.show_moment(int(epoch))
            case BranchFrom(epoch=epoch):
                self._cancel_sweep()
                self.branch_from(int(epoch))
            case JumpInLandscape(uid=uid, alpha=alpha, beta=beta):
                if self.landscape.jump(self.trainer, uid, alpha, beta):
                    self.stats = None
                    self.notice = f"Jumped to ({alpha:.3g}, {beta:.3g}) on the loss landscape: train from here."
            case _:
                raise TypeError(f"not a live-run command: {cmd!r}")

    def halt(self) -> None:
        """Stop everything after an internal error, keeping the data, settings and weights."""
        self._stop_clock()
        self.running = False
        self.step_requested = False
        self.steps_left = 0
        self._sweep = None

    def set_runs(self, runs: list[RunRecord]) -> None:
        self.runs = list(runs)[-MAX_RUNS:]
        self.runs_changed = True

    # -- training --------------------------------------------------------------------------------

    def advance(self, record: bool = False) -> bool:
        """Train one epoch of the live run (if running or a step was asked for) or of the sweep.
        ``record``: keep the step's layer statistics for the insight panels. True if an epoch was trained."""
        if self._sweep is not None:
            return self._advance_sweep()
        if not (self.running or self.step_requested):
            return False
        if self.wait_time() > 0:
            return False  # slow motion: not yet
        if self.speed is not None:
            # on schedule, with no burst to catch up after a pause or a slow epoch
            self._next_epoch_at = max(self._next_epoch_at, time.perf_counter()) + 1.0 / self.speed
        self.step_requested = self.steps_left > 0
        self.steps_left = max(self.steps_left - 1, 0)
        trainer = self.trainer
        limit = trainer.config.max_epochs
        if limit and trainer.epoch >= limit:
            self._stop_clock()
            self.running = False
            self.step_requested, self.steps_left = False, 0
            self.notice = f"Reached the epoch limit ({limit:,}). Raise it or set 'no limit' to go on."
            return False
        result = trainer.step(record=record)
        self.landscape.record(trainer)
        self.checkpoints.record(trainer.epoch, trainer.net.blocks())
        if result.stats is not None:
            self.stats = result.stats
        if trainer.n_train == 0:
            self._stop_clock()
            self.running = False
            self.step_requested, self.steps_left = False, 0
            self.notice = NO_POINTS
            return False
        self.pending_epochs.append(result.epoch)
        self.pending_losses.append(result.train_loss)
        if result.diverged:
            self._stop_clock()
            self.running = False
            self.step_requested, self.steps_left = False, 0
            self.diverged = True
            self.alert = result.message
            self.stats = None
        elif result.message:
            self.notice = result.message
        return True

    def wait_time(self) -> float:
        """Seconds until the next epoch may be trained at the chosen speed (0: now, or full speed)."""
        if self.speed is None or self._sweep is not None:
            return 0.0
        return max(self._next_epoch_at - time.perf_counter(), 0.0)

    def insight_stats(self) -> StepStats | None:
        """Layer statistics for the current epoch: the recorded step's, or a probe of the current weights."""
        if self.stats is None or self.stats.epoch != self.trainer.epoch:
            self.stats = self.trainer.probe()
        return self.stats

    # -- one step on one point (the "Step through" panel) ----------------------------------------------

    def trace(self) -> tuple[StepTrace, float, bool] | None:
        """The step of the live network on the traced point: ``(trace, target class, guessed)``, None when no
        point is traced. ``guessed``: the point has no label (or one this output cannot take), so the target is
        the class the network itself predicts there."""
        if self.trace_point is None:
            return None
        net = self.trainer.net
        x = self.trainer.inputs(np.array([self.trace_point]))[0]  # the network's input: the point's features
        label, guessed = self.trace_label, False
        # A label of the other kind was picked before the data changed between classes and values: none now.
        if net.output_name == "linear":  # a regression: the target is the point's value, or the prediction
            if label is None or isinstance(label, int):
                with np.errstate(all="ignore"):
                    label, guessed = float(net.forward(x[None])[0, 0]), True
            with np.errstate(all="ignore"):
                return trace_step(net, x, float(label)), label, guessed
        n_classes = max(int(net.layer_sizes[-1]), 2)
        if label is None or isinstance(label, float) or not 0 <= label < n_classes:
            with np.errstate(all="ignore"):
                label, guessed = int(net.head.predict(net.logits(x[None]))[0]), True
        with np.errstate(all="ignore"):
            return trace_step(net, x, label), label, guessed

    def take_trace_step(self) -> bool:
        """Paused: apply exactly the step ``trace()`` shows, ``W -= lr * dW``, ``b -= lr * db``, through the
        network's weight views. The optimizer's state is untouched. False if nothing was changed."""
        traced = None if self.busy else self.trace()
        if traced is None:
            return False
        step, lr = traced[0], self.trainer.config.learning_rate
        net = self.trainer.net
        for W, b, dW, db in zip(net.weights, net.biases, step.dweights, step.dbiases, strict=True):
            W -= lr * dW
            b -= lr * db
        self.trainer.watch.restart()
        self.stats = None
        return True

    # -- runs ------------------------------------------------------------------------------------

    def _stop_clock(self) -> None:
        if self.running:
            self._seconds += time.perf_counter() - self._started

    def _new_run(self, notice: str) -> None:
        self.run_id += 1
        self.running = False
        self.diverged = False
        self.step_requested = False
        self.steps_left = 0
        self.alert = ""
        self.notice = notice
        self.restored = False
        self.stats = None
        self.pending_epochs.clear()
        self.pending_losses.clear()
        for h in self.history.values():
            h.clear()
        self.history_changed = True
        self._seconds = 0.0
        self._config_at_start = self.trainer.config
        self.landscape.clear()
        self.checkpoints.clear()
        self.checkpoints.record(self.trainer.epoch, self.trainer.net.blocks())

    def show_moment(self, epoch: int) -> bool:
        """Put the weights kept at ``epoch`` (or the nearest kept epoch before it) in the network, keeping the
        present aside, so every panel shows that moment. Stops training. False (and a notice) if none is kept."""
        kept = self.checkpoints.at(epoch)
        if kept is None:
            self.notice = f"No weights are kept from epoch {epoch:,} or before."
            return False
        self._cancel_sweep()
        self._stop_clock()
        self.running, self.step_requested, self.steps_left = False, False, 0
        trainer = self.trainer
        blocks = trainer.net.blocks()
        if self._now is None:
            self._now = (trainer.epoch, [b.copy() for b in blocks])
        for block, saved in zip(blocks, kept.blocks, strict=True):
            block[...] = saved
        trainer.epoch = kept.epoch
        self.stats = None
        self.notice = f"Showing epoch {kept.epoch:,}. Train goes on from epoch {self._now[0]:,}; branch to start here."
        return True

    def _back_to_now(self) -> None:
        if self._now is None:
            return
        epoch, blocks = self._now
        self._now = None
        for block, saved in zip(self.trainer.net.blocks(), blocks, strict=True):
            block[...] = saved
        self.trainer.epoch = epoch
        self.trainer.watch.restart()
        self.stats = None

    @property
    def present_epoch(self) -> int:
        """The run's latest epoch, also while an earlier one is shown."""
        return self._now[0] if self._now is not None else self.trainer.epoch

    @property
    def showing_past(self) -> bool:
        """True while an earlier moment is shown (``ShowMoment``)."""
        return self._now is not None

    def branch_from(self, epoch: int) -> bool:
        """A new run from the weights kept at ``epoch`` (or the nearest kept epoch before it), its loss curves
        (train and test) the old ones up to there; the old run goes to Runs. False (and a notice) when nothing
        is kept."""
        kept = self.checkpoints.at(epoch)
        if kept is None:
            self.notice = f"No weights are kept from epoch {epoch:,} or before."
            return False
        old = self.trainer
        epochs, losses = self.history["train"].data()
        if self.pending_epochs:
            epochs = np.concatenate([epochs, self.pending_epochs])
            losses = np.concatenate([losses, self.pending_losses])
        before = epochs <= kept.epoch
        test_epochs, test_losses = self.history["test"].data()
        test_before = test_epochs <= kept.epoch
        self._finish_run()
        state = TrainState(kept.epoch, [b[:-1].copy() for b in kept.blocks], [b[-1].copy() for b in kept.blocks], {})
        self.trainer = Trainer(old.dataset, old.config, eval_every=0, state=state)
        optimizer = self.trainer.config.optimizer  # checkpoints keep weights only: momentum or Adam starts afresh
        fresh = "" if optimizer == "sgd" else f", with a fresh {optimizer} state (its first steps may jump)"
        self._new_run(
            f"Branched from epoch {kept.epoch:,}: a new run from those weights{fresh} (the old one is in Runs)."
        )
        self.history["train"].extend(epochs[before], losses[before])
        self.history["test"].extend(test_epochs[test_before], test_losses[test_before])
        return True

    def _finish_run(self) -> None:
        """Record the run that is ending (if it trained at all) with the settings it trained with."""
        self._stop_clock()
        self.running = False
        trainer = self.trainer
        if trainer.epoch == 0 or trainer.n_train == 0:
            return
        m = trainer.evaluate()
        epochs, losses = self.history["train"].data()
        if self.pending_epochs:
            epochs = np.concatenate([epochs, self.pending_epochs])
            losses = np.concatenate([losses, self.pending_losses])
        curve_epochs, curve_losses = thin_curve(epochs, losses)
        changed = _changed_fields(self._config_at_start, trainer.config)
        label = f"changed mid-run: {', '.join(changed)}" if changed else ""
        if self.diverged:
            label = "diverged" + (f"; {label}" if label else "")
        record = RunRecord(
            trainer.config,
            trainer.epoch,
            self._seconds,
            m.train_loss,
            m.test_loss,
            m.train_accuracy,
            m.test_accuracy,
            curve_epochs,
            curve_losses,
            label,
            train_rmse=m.train_rmse,
            test_rmse=m.test_rmse,
            output=trainer.net.output_name,
        )
        self._add_run(record)

    def _add_run(self, record: RunRecord) -> None:
        self.runs.append(record)
        del self.runs[:-MAX_RUNS]
        self.runs_changed = True

    # -- sweeps ----------------------------------------------------------------------------------

    def _advance_sweep(self) -> bool:
        job = self._sweep
        assert job is not None
        if job.stack is None and job.trainer is None and len(job.runs) == job.total > 1:
            if stackable([config for _, config in job.runs]):
                job.stack = StackedSweep(self.trainer.dataset, job.runs, job.epochs)
                job.runs = []
                self.notice = job.stack.notice
        if job.stack is not None:
            return self._advance_stacked_sweep(job)
        if job.trainer is None:
            if not job.runs:
                self._sweep = None
                self.notice = f"Sweep finished: {job.total} runs are in the Runs panel."
                return False
            job.label, config = job.runs.pop(0)
            job.trainer = Trainer(self.trainer.dataset, config, eval_every=0)
            job.started = time.perf_counter()
            job.curve = ([], [])
            self.notice = f"Sweep: run {job.total - len(job.runs)} of {job.total} ({job.label})…"
        trainer = job.trainer
        result = trainer.step()
        job.curve[0].append(result.epoch)
        job.curve[1].append(result.train_loss)
        if trainer.epoch >= job.epochs or result.diverged or trainer.n_train == 0:
            self._record_sweep_run(job, "diverged" if result.diverged else "")
        return True

    def _record_sweep_run(self, job: _SweepJob, note: str) -> None:
        trainer = job.trainer
        assert trainer is not None
        m = trainer.evaluate()
        ce, cv = thin_curve(*job.curve)
        label = f"{job.label} ({note})" if note else job.label
        seconds = time.perf_counter() - job.started
        self._add_run(
            RunRecord(
                trainer.config,
                trainer.epoch,
                seconds,
                m.train_loss,
                m.test_loss,
                m.train_accuracy,
                m.test_accuracy,
                ce,
                cv,
                label,
                train_rmse=m.train_rmse,
                test_rmse=m.test_rmse,
                output=trainer.net.output_name,
            )
        )
        job.trainer = None

    def _advance_stacked_sweep(self, job: _SweepJob) -> bool:
        stack = job.stack
        assert stack is not None
        stack.trainer.should_stop = self.trainer.should_stop
        stack.advance()
        if stack.done:
            self._sweep = None
            for record in stack.records():
                self._add_run(record)
            self.notice = f"Sweep finished: {job.total} runs are in the Runs panel."
        elif time.perf_counter() - job.shown_at >= LIVE_RUNS_INTERVAL:
            job.shown_at = time.perf_counter()
            job.live = tuple(stack.records("training…"))
            self.runs_changed = True
        return True

    def _cancel_sweep(self) -> None:
        job = self._sweep
        if job is None:
            return
        if job.stack is not None:
            self._sweep = None
            if job.stack.trainer.epoch > 0:
                for record in job.stack.records("stopped"):
                    self._add_run(record)
            else:
                self.runs_changed = True  # the live records go
            self.notice = "Sweep stopped."
            return
        if job.trainer is not None and job.trainer.epoch > 0:
            self._record_sweep_run(job, "stopped")
        self._sweep = None
        self.notice = "Sweep stopped."


def _changed_fields(before: TrainConfig, after: TrainConfig) -> list[str]:
    a, b = before.to_dict(), after.to_dict()
    return [key.replace("_", " ") for key in a if a[key] != b[key]]
