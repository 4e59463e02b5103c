"""What the window asks of a live run: one frozen dataclass per kind of request.

The Qt worker carries them from the GUI thread to the training thread through a queue; ``LiveRun.handle``
applies them between two epochs. Nothing here knows about Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..data import Dataset
from .config import TrainConfig
from .trainer import TrainState


@dataclass(frozen=True)
class Play:
    pass


@dataclass(frozen=True)
class Pause:
    pass


@dataclass(frozen=True)
class Step:
    """Train ``epochs`` epochs (one by default), then stop; Pause stops early."""

    epochs: int = 1


@dataclass(frozen=True)
class SetSpeed:
    """Train at most ``epochs_per_second`` epochs a second (slow motion, to watch the boundary move);
    None trains at full speed."""

    epochs_per_second: float | None = None


@dataclass(frozen=True)
class SetData:
    dataset: Dataset


@dataclass(frozen=True)
class Apply:
    config: TrainConfig


@dataclass(frozen=True)
class Reset:
    seed: int | None = None


@dataclass(frozen=True)
class NewRun:
    """Start a new run on new data and settings at once (File → New, a preset): the old run is finished."""

    dataset: Dataset
    config: TrainConfig


@dataclass(frozen=True)
class Load:
    """Replace everything with a saved session: data, settings, weights and the loss history."""

    dataset: Dataset
    config: TrainConfig
    state: TrainState | None
    history: dict  # name -> (epochs, values), the curve to continue
    runs: tuple = ()  # the session's finished runs (RunRecord), replacing the current ones
    checkpoints: tuple = ()  # the session's kept weights (checkpoints.Checkpoint), to rewind to


@dataclass(frozen=True)
class SetBounds:
    bounds: tuple[float, float, float, float]


@dataclass(frozen=True)
class Views:
    """What the open insight panels need in each frame (nothing, when they are closed)."""

    network: bool = False  # neuron maps, weights and gradients
    health: bool = False  # per-layer statistics
    hidden: tuple[int, int, int] | None = None  # (layer, i, j) for the hidden-space view
    focus: tuple[int, int] | None = None  # (layer, neuron): show this neuron's map on the canvas
    confusion: bool = False  # every point's predicted class and the train and test confusion matrices
    trace: bool = False  # one step on the traced point (``SetTrace``), number by number


@dataclass(frozen=True)
class SetTrace:
    """Trace this point (a data point with its ``label``: a class, or a value for a regression; or a spot of the
    plane: ``label`` None, the network's own prediction is the target then) in the "Step through" panel;
    ``point`` None stops tracing."""

    point: tuple[float, float] | None
    label: int | float | None = None


@dataclass(frozen=True)
class TakeTraceStep:
    """When paused: apply the SGD step of the traced point alone, ``W -= lr * dW`` and ``b -= lr * db``."""


@dataclass(frozen=True)
class SetWeight:
    layer: int
    row: int  # row fan_in is the bias
    col: int
    value: float


@dataclass(frozen=True)
class Sweep:
    runs: tuple  # ((label, TrainConfig), ...)
    epochs: int


@dataclass(frozen=True)
class CancelSweep:
    pass


@dataclass(frozen=True)
class DeleteRuns:
    """Forget these finished runs (``RunRecord`` objects, matched by their ``uid``)."""

    runs: tuple


@dataclass(frozen=True)
class ShowLandscape:
    """The Loss landscape panel opened (``open``) or closed: while open, frames carry the landscape and the
    optimizer's path on it (and a landscape is computed if there is none for this run)."""

    open: bool


@dataclass(frozen=True)
class ComputeLandscape:
    """Compute the loss landscape around the current weights: ``method`` "random" (filter-normalised random
    directions from ``seed``) or "pca" (the principal directions of the weights' path so far)."""

    method: str = "random"
    seed: int = 0


@dataclass(frozen=True)
class JumpInLandscape:
    """Set the weights to the point ``(alpha, beta)`` of landscape ``uid`` (ignored when that landscape is no
    longer the current one); the optimizer's state starts afresh there."""

    uid: int
    alpha: float
    beta: float


@dataclass(frozen=True)
class BranchFrom:
    """Start a new run from the weights kept at ``epoch`` (or the nearest kept epoch before it); the current
    run is finished and kept in Runs. The optimizer's state starts afresh."""

    epoch: int


@dataclass(frozen=True)
class ShowMoment:
    """Show the run as it was at ``epoch`` (the nearest kept epoch at or before it): every panel draws those
    weights until ``ShowMoment(None)`` or any command that trains or changes the run, which comes back to now.
    ``ask`` numbers the window's requests; frames echo the last one handled (``Status.moment_asked``), so the
    window can tell a frame sent before its request was handled from one sent after."""

    epoch: int | None
    ask: int = 0


@dataclass(frozen=True)
class RequestState:
    """Ask for the trainer's state (weights, optimizer, history) to save or export it."""

    purpose: Literal["save", "autosave", "export-model", "export-script", "export-torch"]
    path: str = ""


@dataclass(frozen=True)
class Stop:
    pass


Command = (
    Play
    | Pause
    | Step
    | SetSpeed
    | SetData
    | Apply
    | Reset
    | NewRun
    | Load
    | SetBounds
    | Views
    | SetTrace
    | TakeTraceStep
    | SetWeight
    | Sweep
    | CancelSweep
    | DeleteRuns
    | ShowLandscape
    | ComputeLandscape
    | JumpInLandscape
    | BranchFrom
    | ShowMoment
    | RequestState
    | Stop
)
