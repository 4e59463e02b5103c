"""Session files: the dataset, every setting, the trained weights, the optimizer's state, the epoch, the
loss history, the view and the finished runs, as one JSON document. Data only: no pickle, no eval.

This module is the one place that writes and reads the format. Reading is all or nothing: every value is
checked (types, the one table of ``LIMITS``, finite numbers, sizes) before a ``Session`` is returned, so a
caller never applies half a file. ``SessionError`` names the file and the field.

Layout (version 2; ``format`` and ``version`` first)::

    {"format": "nn-playground-session", "version": 2,
     "dataset": {"x": [...], "y": [...], "label": [...]},     (classes; for values: "value": [...])
     "config": {"hidden": [8, 8], "activation": "tanh", ..., "seed": 0},
     "state": {"epoch": 120, "layer_sizes": [2, 8, 8, 1],
               "weights": [ARRAY, ...], "biases": [ARRAY, ...],
               "optimizer": {"m": [ARRAY, ...], "v": [...], "t": 120}, "rng": {...},
               "checkpoints": [{"epoch": 16, "blocks": [ARRAY, ...]}, ...]},
     "history": {"train": {"epoch": [...], "loss": [...]}, "test": {...}},
     "extra": {"view": [x0, x1, y0, y1], "current_class": 0, "eraser": false, "show_test": true,
               "discretize": false, "log_scale": false, "runs": [RUN, ...]}}

where ``ARRAY`` is ``{"shape": [r, c], "float64le": "<base64 of little-endian float64, row-major>"}`` and
``RUN`` is ``RunRecord.to_dict()``. The view fields are ``ViewState.to_dict()``; they sit under ``extra``
because version 1 files already keep them there. Version 2 adds the problem type: a regression's dataset
holds ``value`` (float values) instead of ``label``; ``config.features`` names the network's inputs
(absent: x1, x2). Version 1 files (labels, no features) still open. ``state.checkpoints`` (optional;
older files have none) are the weights kept along the run for Rewind, each layer's ``[W; b]`` block,
epochs rising.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import time
from dataclasses import dataclass, field

import numpy as np

from ..data.dataset import MAX_CLASSES, Dataset, DatasetError
from ..training.checkpoints import Checkpoint
from ..training.commands import Load
from ..training.config import LIMITS, MAX_NEURONS, TrainConfig
from ..training.runs import MAX_CURVE, RunRecord
from ..training.state import ViewState
from ..training.trainer import TrainState, output_for_data
from .atomic import atomic_write, quote, read_bytes_limited

FORMAT = "nn-playground-session"
VERSION = 2
MAX_FILE_BYTES = 512 * 2**20
MAX_HISTORY = 200_000  # points per loss-history series
MAX_RUNS = 200  # finished runs kept in a session (the runs panel keeps as many)
MAX_CHECKPOINTS = 1_000  # snapshots of the weights along a run (a session keeps a few MB of them)
MAX_EPOCH = 10**12  # far beyond any real run, far below int64 overflow
MAX_STEP = 2**53  # an optimizer's step counter
MAX_ARRAY = (MAX_NEURONS + 1) * MAX_NEURONS
VIEW_KEYS = frozenset(ViewState().to_dict())


class SessionError(ValueError):
    """A session file that cannot be opened; the message says which file and what is wrong."""


@dataclass
class Session:
    dataset: Dataset
    config: TrainConfig
    state: TrainState | None = None  # None: a fresh network from the config's seed
    history: dict = field(default_factory=dict)  # name -> (epochs int64 array, values float64 array)
    view: ViewState | None = None  # None: the file says nothing about the view (e.g. made by the CLI)
    runs: list[RunRecord] = field(default_factory=list)  # finished runs, oldest first
    checkpoints: tuple = ()  # weights kept along the run (training.checkpoints.Checkpoint), oldest first

    def as_load(self) -> Load:
        """The one command that brings this session back in the training process."""
        return Load(self.dataset, self.config, self.state, self.history, tuple(self.runs), tuple(self.checkpoints))


# -- writing -------------------------------------------------------------------------------------


def _array(a) -> dict:
    a = np.ascontiguousarray(a, dtype="<f8")
    return {"shape": list(a.shape), "float64le": base64.b64encode(a.tobytes()).decode("ascii")}


def _finite_list(values) -> list:
    return [float(v) if math.isfinite(v) else None for v in np.asarray(values, dtype=np.float64).tolist()]


def session_to_dict(s: Session) -> dict:
    extra: dict = {}
    if s.view is not None:
        extra.update(s.view.to_dict())
    if s.runs:
        extra["runs"] = [r.to_dict() for r in s.runs[-MAX_RUNS:]]
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "dataset": {
            "x": s.dataset.X[:, 0].tolist(),
            "y": s.dataset.X[:, 1].tolist(),
            ("value" if s.dataset.is_regression else "label"): s.dataset.y.tolist(),
        },
        "config": s.config.to_dict(),
        "history": {
            name: {"epoch": np.asarray(e, dtype=np.int64).tolist(), "loss": _finite_list(v)}
            for name, (e, v) in s.history.items()
        },
        "extra": extra,
    }
    if s.state is not None:
        st = s.state
        optimizer: dict = {}
        for key, value in (st.optimizer or {}).items():
            if isinstance(value, list):
                optimizer[key] = [_array(a) for a in value]
            elif value is None or isinstance(value, int):
                optimizer[key] = value
        state: dict = {
            "epoch": int(st.epoch),
            "layer_sizes": [int(st.weights[0].shape[0]), *[int(W.shape[1]) for W in st.weights]],
            "weights": [_array(W) for W in st.weights],
            "biases": [_array(b) for b in st.biases],
            "optimizer": optimizer,
            "rng": _jsonable_rng(st.rng_state),
        }
        if s.checkpoints:  # each [W; b] block per layer, as the network keeps them
            state["checkpoints"] = [
                {"epoch": int(c.epoch), "blocks": [_array(b) for b in c.blocks]} for c in s.checkpoints
            ]
        doc["state"] = state
    return doc


def _jsonable_rng(state):
    if not isinstance(state, dict):
        return None
    return json.loads(json.dumps(state, default=int))


ENCODE_CHUNK = 20_000  # numbers encoded per call: json.dumps holds the GIL for the whole of one call


def dumps(s: Session) -> str:
    """The session as compact JSON. The dataset's columns, the bulk of a big session, are encoded a chunk at a
    time with a pause between chunks: one ``json.dumps`` of a million points holds the GIL for seconds, and
    the window (saving on a background thread) would freeze that long."""
    doc = session_to_dict(s)
    columns = doc["dataset"]
    doc["dataset"] = {}
    text = json.dumps(doc, allow_nan=False, separators=(",", ":"))
    dataset = ",".join(f'"{name}":[{_encode_numbers(values)}]' for name, values in columns.items())
    # Keys are ours and strings are escaped, so this placeholder occurs once: as the dataset's key.
    return text.replace('"dataset":{}', '"dataset":{' + dataset + "}", 1)


def _encode_numbers(values: list) -> str:
    parts = []
    for start in range(0, len(values), ENCODE_CHUNK):
        parts.append(json.dumps(values[start : start + ENCODE_CHUNK], allow_nan=False, separators=(",", ":"))[1:-1])
        time.sleep(0)  # let other threads (the GUI) run between chunks
    return ",".join(p for p in parts if p)


def save_session(s: Session, path) -> None:
    atomic_write(path, dumps(s).encode("utf-8"))


# -- reading -------------------------------------------------------------------------------------


def load_session(path) -> Session:
    return loads(read_bytes_limited(path, MAX_FILE_BYTES, SessionError), str(path))


def loads(raw: bytes | str, name: str = "<session>") -> Session:
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise SessionError(f"{name}: not a session file (not UTF-8 text)") from None
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise SessionError(f"{name}, line {exc.lineno}: not valid JSON ({exc.msg})") from None
    except (RecursionError, ValueError) as exc:
        raise SessionError(f"{name}: not a session file ({quote(str(exc), 200, marks=False)})") from None
    try:
        return _from_doc(doc)
    except (SessionError, DatasetError, ValueError, TypeError, KeyError, OverflowError, RecursionError) as exc:
        raise SessionError(f"{name}: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {quote(exc.args[0])}"
    return quote(str(exc), 300, marks=False)


def _reject_constant(token):
    raise ValueError(f"{token} is not allowed in a session file")


def _expect(value, kind, what):
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise SessionError(f"{what} should be {names}, not {type(value).__name__}")
    return value


def _whole(value, what: str, high: int) -> int:
    """A whole number in ``0..high`` (JSON ``3.0`` or ``true`` are not)."""
    _expect(value, int, what)
    if not 0 <= value <= high:
        raise SessionError(f"{what} must lie in 0..{high:,}, not {quote(value, 40, marks=False)}")
    return value


def _refuse_non_finite(doc: dict, skip: set) -> None:
    """JSON ``1e999`` parses to ``inf``: refuse any such number, naming where it is. ``skip`` lists the
    fields checked elsewhere: the big number lists (in bulk, with NumPy) and the view (an unusable view is
    replaced by the default one, see ``_view``)."""
    stack: list = [(doc, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, float):
            if not math.isfinite(value):
                raise SessionError(f"{where} is not a finite number")
        elif isinstance(value, dict):
            for key, item in value.items():
                key = quote(key, 40, marks=False)
                child = f"{where}.{key}" if where else key
                if child not in skip:
                    stack.append((item, child))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{i}]") for i, item in enumerate(value))


def _from_doc(doc) -> Session:
    _expect(doc, dict, "the document")
    fmt = doc.get("format")
    if fmt != FORMAT:
        shown = quote(fmt) if isinstance(fmt, str) else type(fmt).__name__
        raise SessionError(f"not a playground session (format is {shown}, expected {FORMAT!r})")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SessionError("the version field is missing or not a whole number")
    if version > VERSION:
        raise SessionError(
            f"made by a newer playground (version {quote(version, 20, marks=False)}; this one reads up to {VERSION})"
        )
    if version < 1:
        raise SessionError(f"unknown version {quote(version, 20, marks=False)}")
    _refuse_non_finite(doc, {"dataset.x", "dataset.y", "dataset.label", "dataset.value", "history", "extra.view"})
    dataset = _dataset(_expect(doc["dataset"], dict, "dataset"))
    config = _config(_expect(doc["config"], dict, "config"))
    state = _state(doc.get("state"), dataset, config)
    history = _history(doc.get("history", {}))
    extra = _expect(doc.get("extra", {}), dict, "extra")
    kept = _checkpoints(doc["state"].get("checkpoints", []), state) if state is not None else ()
    return Session(dataset, config, state, history, _view(extra), _runs(extra.get("runs", [])), kept)


def _checkpoints(entries, state: TrainState) -> tuple:
    """The weights kept along the run: at most ``MAX_CHECKPOINTS``, epochs rising to at most the state's,
    each block shaped as the network's ``[W; b]``."""
    _expect(entries, list, "state.checkpoints")
    if len(entries) > MAX_CHECKPOINTS:
        raise SessionError(f"state.checkpoints holds {len(entries):,} snapshots; at most {MAX_CHECKPOINTS}")
    shapes = [(W.shape[0] + 1, W.shape[1]) for W in state.weights]
    out: list[Checkpoint] = []
    for i, entry in enumerate(entries):
        what = f"state.checkpoints[{i}]"
        _expect(entry, dict, what)
        epoch = _whole(entry.get("epoch"), f"{what}.epoch", MAX_EPOCH)
        if epoch > state.epoch or (out and epoch <= out[-1].epoch):
            raise SessionError(f"{what}.epoch {epoch} is not after the one before and at most the run's {state.epoch}")
        blocks = _arrays(entry.get("blocks"), f"{what}.blocks", len(shapes))
        if [b.shape for b in blocks] != shapes:
            raise SessionError(f"{what}.blocks do not match the network's layers")
        out.append(Checkpoint(epoch, tuple(blocks)))
    return tuple(out)


def _numbers(values, what: str, limit: int) -> np.ndarray:
    _expect(values, list, what)
    if len(values) > limit:
        raise SessionError(f"{what} has {len(values):,} entries; at most {limit:,}")
    for v in values:
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            raise SessionError(f"{what} holds {type(v).__name__} values; expected numbers")
    try:
        a = np.array(values, dtype=np.float64)
    except OverflowError:
        raise SessionError(f"{what} holds a number too large") from None
    if not np.all(np.isfinite(a)):
        raise SessionError(f"{what}[{int(np.flatnonzero(~np.isfinite(a))[0])}] is not a finite number")
    return a


def _dataset(d: dict) -> Dataset:
    limit = int(LIMITS.points.high)
    x = _numbers(d["x"], "dataset.x", limit)
    y = _numbers(d["y"], "dataset.y", limit)
    if "value" in d:  # values: a regression (version 2)
        if "label" in d:
            raise SessionError("dataset has both label and value: one or the other")
        values = _numbers(d["value"], "dataset.value", limit)
        if not (len(x) == len(y) == len(values)):
            raise SessionError("dataset.x, dataset.y and dataset.value differ in length")
        try:
            return Dataset(np.column_stack([x, y]).reshape(-1, 2), values, regression=True)
        except DatasetError as exc:
            raise SessionError(f"dataset: {exc}") from None
    labels = _numbers(d["label"], "dataset.label", limit)
    if not (len(x) == len(y) == len(labels)):
        raise SessionError("dataset.x, dataset.y and dataset.label differ in length")
    bad = (labels < 0) | (labels >= MAX_CLASSES) | (labels != np.round(labels))
    if bad.any():
        raise SessionError(f"dataset.label[{int(np.flatnonzero(bad)[0])}]: labels must lie in 0..{MAX_CLASSES - 1}")
    try:
        return Dataset(np.column_stack([x, y]).reshape(-1, 2), labels.astype(np.int64))
    except DatasetError as exc:
        raise SessionError(f"dataset: {exc}") from None


def _config(d: dict) -> TrainConfig:
    """``TrainConfig.from_dict`` decides what is valid (it checks ``LIMITS``); on a refusal each field is
    tried alone, so the message can name the one that is wrong."""
    try:
        return TrainConfig.from_dict(d)
    except (TypeError, ValueError) as exc:
        reason = str(exc)
    for key, value in d.items():
        try:
            TrainConfig.from_dict({key: value})
        except (TypeError, ValueError) as exc:
            raise SessionError(f"config.{quote(key, 40, marks=False)}: {quote(str(exc), 200, marks=False)}") from None
    raise SessionError(f"config: {quote(reason, 300, marks=False)}")


def _decode_array(d, what: str) -> np.ndarray:
    _expect(d, dict, what)
    shape = _expect(d["shape"], list, f"{what}.shape")
    if not 1 <= len(shape) <= 2 or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in shape):
        raise SessionError(f"{what}.shape {quote(shape, 60, marks=False)} is not a valid shape")
    size = math.prod(shape)
    if size > MAX_ARRAY:
        raise SessionError(f"{what} declares {size:,} numbers; at most {MAX_ARRAY:,}")
    data = _expect(d["float64le"], str, f"{what}.float64le")
    if len(data) > (size * 8 * 4) // 3 + 8:
        raise SessionError(f"{what} holds more data than its shape {shape}")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise SessionError(f"{what}: the data is not valid base64") from None
    if len(raw) != size * 8:
        raise SessionError(f"{what}: {len(raw)} bytes of data for shape {shape} (expected {size * 8})")
    a = np.frombuffer(raw, dtype="<f8").astype(np.float64).reshape(shape)
    if not np.all(np.isfinite(a)):
        raise SessionError(f"{what} contains NaN or infinite values")
    return a


def _arrays(values, what: str, count: int) -> list[np.ndarray]:
    _expect(values, list, what)
    if len(values) != count:  # checked before decoding, so 300,000 arrays cost nothing
        raise SessionError(f"{what} holds {len(values):,} arrays; the network has {count}")
    return [_decode_array(a, f"{what}[{i}]") for i, a in enumerate(values)]


def _state(d, dataset: Dataset, config: TrainConfig) -> TrainState | None:
    if d is None:
        return None
    _expect(d, dict, "state")
    epoch = _whole(d["epoch"], "state.epoch", MAX_EPOCH)
    expected = [len(config.features), *config.hidden, output_for_data(dataset)[1]]
    sizes = _expect(d["layer_sizes"], list, "state.layer_sizes")
    if sizes != expected:
        raise SessionError(
            f"state.layer_sizes {quote(sizes, 60, marks=False)} do not match the settings and data "
            f"(expected {expected})"
        )
    n = len(expected) - 1
    weights = _arrays(d["weights"], "state.weights", n)
    biases = _arrays(d["biases"], "state.biases", n)
    for i in range(n):
        if weights[i].shape != (expected[i], expected[i + 1]) or biases[i].shape != (expected[i + 1],):
            raise SessionError(
                f"layer {i}: weights {weights[i].shape} / biases {biases[i].shape} do not match "
                f"the declared layers {expected}"
            )
    optimizer: dict = {}
    opt = d.get("optimizer") or {}
    _expect(opt, dict, "state.optimizer")
    shapes = [w.shape for w in weights] + [b.shape for b in biases]
    for key, value in opt.items():
        what = f"state.optimizer.{quote(key, 40, marks=False)}"
        if value is None:
            optimizer[key] = value
        elif isinstance(value, int) and not isinstance(value, bool):
            optimizer[key] = _whole(value, what, MAX_STEP)
        elif isinstance(value, list):
            arrays = _arrays(value, what, len(shapes))
            if [a.shape for a in arrays] != shapes:
                raise SessionError(f"{what} does not match the network's parameters")
            optimizer[key] = arrays
        else:
            raise SessionError(f"{what} has an unexpected type")
    rng = d.get("rng")
    if rng is not None:
        _expect(rng, dict, "state.rng")
        try:
            np.random.default_rng(0).bit_generator.state = rng
        except (TypeError, ValueError, KeyError, OverflowError):
            rng = None  # not a valid generator state: shuffling restarts from the seed
    return TrainState(epoch, weights, biases, optimizer, rng)


def _history(d) -> dict:
    _expect(d, dict, "history")
    out = {}
    for name, series in d.items():
        what = f"history.{quote(name, 40, marks=False)}"
        _expect(series, dict, what)
        epochs = _expect(series["epoch"], list, f"{what}.epoch")
        losses = _expect(series["loss"], list, f"{what}.loss")
        if len(epochs) != len(losses):
            raise SessionError(f"{what}: epoch and loss differ in length")
        if len(epochs) > MAX_HISTORY:
            raise SessionError(f"{what} has {len(epochs):,} points; at most {MAX_HISTORY:,}")
        for e in epochs:
            _whole(e, f"an epoch in {what}", MAX_EPOCH)
        for v in losses:
            if v is not None and (not isinstance(v, (int, float)) or isinstance(v, bool)):
                raise SessionError(f"{what}.loss holds {type(v).__name__} values")
        values = np.array([math.nan if v is None else v for v in losses], dtype=np.float64)
        if np.isinf(values).any():  # a gap is saved as null (NaN); 1e999 is not a loss
            raise SessionError(f"{what}.loss[{int(np.flatnonzero(np.isinf(values))[0])}] is not a finite number")
        out[str(name)] = (np.array(epochs, dtype=np.int64), values)
    return out


def _view(extra: dict) -> ViewState | None:
    """The view fields under ``extra``; None when there are none. A view that is not finite and bounded is
    replaced by the default (``ViewState.from_dict``); a field of the wrong kind refuses the file."""
    fields = {k: v for k, v in extra.items() if k in VIEW_KEYS}
    if not fields:
        return None
    try:
        return ViewState.from_dict(fields)
    except (TypeError, ValueError) as exc:
        raise SessionError(f"extra.{quote(str(exc), 200, marks=False)}") from None


def _runs(entries) -> list[RunRecord]:
    _expect(entries, list, "extra.runs")
    if len(entries) > MAX_RUNS:
        raise SessionError(f"extra.runs holds {len(entries):,} runs; at most {MAX_RUNS}")
    return [_run(entry, f"extra.runs[{i}]") for i, entry in enumerate(entries)]


def _run(entry, what: str) -> RunRecord:
    """One finished run: its shape is checked here, its values by ``RunRecord.from_dict``."""
    _expect(entry, dict, what)
    _whole(entry.get("epochs"), f"{what}.epochs", MAX_EPOCH)
    curve = _expect(entry.get("curve", {}), dict, f"{what}.curve")
    epochs = _expect(curve.get("epoch", []), list, f"{what}.curve.epoch")
    losses = _expect(curve.get("loss", []), list, f"{what}.curve.loss")
    if len(epochs) > 2 * MAX_CURVE or len(losses) > 2 * MAX_CURVE:
        raise SessionError(f"{what}.curve holds more than {2 * MAX_CURVE} points")
    for e in epochs:
        _whole(e, f"an epoch in {what}.curve", MAX_EPOCH)
    _expect(entry.get("label", ""), str, f"{what}.label")
    try:
        return RunRecord.from_dict(entry)
    except (TypeError, ValueError, KeyError, OverflowError) as exc:
        reason = f"missing field {quote(exc.args[0])}" if isinstance(exc, KeyError) else str(exc)
        raise SessionError(f"{what}: {quote(reason, 200, marks=False)}") from None
