"""Session files: the dataset, every setting, the trained weights, the optimizer's state, the epoch and the
loss history, as one JSON document. Data only: no pickle, no eval; every field is checked on the way in.

Layout (``format`` and ``version`` first)::

    {"format": "nn-playground-session", "version": 1,
     "dataset": {"x": [...], "y": [...], "label": [...]},
     "config": {"hidden": [8, 8], "activation": "tanh", ..., "seed": 0},
     "state": {"epoch": 120, "layer_sizes": [2, 8, 8, 1],
               "weights": [ARRAY, ...], "biases": [ARRAY, ...],
               "optimizer": {"m": [ARRAY, ...], "v": [...], "t": 120}, "rng": {...}},
     "history": {"train": {"epoch": [...], "loss": [...]}, "test": {...}},
     "extra": {...}}

where ``ARRAY`` is ``{"shape": [r, c], "float64le": "<base64 of little-endian float64, row-major>"}``.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass, field

import numpy as np

from ..data.csvfile import atomic_write, read_bytes_limited
from ..data.dataset import Dataset, DatasetError
from .config import MAX_HIDDEN_LAYERS, MAX_NEURONS, TrainConfig
from .trainer import TrainState, output_for

FORMAT = "nn-playground-session"
VERSION = 1
MAX_FILE_BYTES = 512 * 2**20
MAX_POINTS = 1_000_000
MAX_HISTORY = 200_000
MAX_ARRAY = (MAX_NEURONS + 1) * MAX_NEURONS


class SessionError(ValueError):
    """A session file that cannot be opened; the message says which file and what is wrong."""


@dataclass
class Session:
    dataset: Dataset
    config: TrainConfig
    state: TrainState | None = None  # None: a fresh network from the config's seed
    history: dict = field(default_factory=dict)  # name -> (epochs int64 array, values float64 array)
    extra: dict = field(default_factory=dict)  # small UI settings (view, current class, ...)


# -- writing -------------------------------------------------------------------------------------


def _array(a) -> dict:
    a = np.ascontiguousarray(a, dtype="<f8")
    return {"shape": list(a.shape), "float64le": base64.b64encode(a.tobytes()).decode("ascii")}


def _finite_list(values) -> list:
    return [float(v) if math.isfinite(v) else None for v in np.asarray(values, dtype=np.float64).tolist()]


def session_to_dict(s: Session) -> dict:
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "dataset": {"x": s.dataset.X[:, 0].tolist(), "y": s.dataset.X[:, 1].tolist(), "label": s.dataset.y.tolist()},
        "config": s.config.to_dict(),
        "history": {
            name: {"epoch": np.asarray(e, dtype=np.int64).tolist(), "loss": _finite_list(v)}
            for name, (e, v) in s.history.items()
        },
        "extra": s.extra,
    }
    if s.state is not None:
        st = s.state
        optimizer = {}
        for key, value in (st.optimizer or {}).items():
            if isinstance(value, list):
                optimizer[key] = [_array(a) for a in value]
            elif value is None or isinstance(value, int):
                optimizer[key] = value
        doc["state"] = {
            "epoch": int(st.epoch),
            "layer_sizes": [2, *[int(W.shape[1]) for W in st.weights]],
            "weights": [_array(W) for W in st.weights],
            "biases": [_array(b) for b in st.biases],
            "optimizer": optimizer,
            "rng": _jsonable_rng(st.rng_state),
        }
    return doc


def _jsonable_rng(state):
    if not isinstance(state, dict):
        return None
    return json.loads(json.dumps(state, default=int))


def dumps(s: Session) -> str:
    return json.dumps(session_to_dict(s), allow_nan=False, separators=(",", ":"))


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
        raise SessionError(f"{name}: not a session file ({exc})") from None
    try:
        return _from_doc(doc)
    except (SessionError, DatasetError, ValueError, TypeError, KeyError, OverflowError) as exc:
        raise SessionError(f"{name}: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return str(exc)


def _reject_constant(token):
    raise ValueError(f"{token} is not allowed in a session file")


def _expect(value, kind, what):
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise SessionError(f"{what} should be {names}, not {type(value).__name__}")
    return value


def _from_doc(doc) -> Session:
    _expect(doc, dict, "the document")
    if doc.get("format") != FORMAT:
        raise SessionError(f"not a playground session (format is {doc.get('format')!r}, expected {FORMAT!r})")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SessionError("the version field is missing or not a whole number")
    if version > VERSION:
        raise SessionError(f"made by a newer playground (version {version}; this one reads up to {VERSION})")
    if version < 1:
        raise SessionError(f"unknown version {version}")
    dataset = _dataset(_expect(doc["dataset"], dict, "dataset"))
    config = _config(_expect(doc["config"], dict, "config"))
    state = _state(doc.get("state"), dataset, config)
    history = _history(doc.get("history", {}))
    extra = doc.get("extra", {})
    if not isinstance(extra, dict):
        extra = {}
    return Session(dataset, config, state, history, extra)


def _numbers(values, what: str, limit: int) -> np.ndarray:
    _expect(values, list, what)
    if len(values) > limit:
        raise SessionError(f"{what} has {len(values):,} entries; at most {limit:,}")
    for v in values:
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            raise SessionError(f"{what} holds {type(v).__name__} values; expected numbers")
    return np.array(values, dtype=np.float64)


def _dataset(d: dict) -> Dataset:
    x = _numbers(d["x"], "dataset.x", MAX_POINTS)
    y = _numbers(d["y"], "dataset.y", MAX_POINTS)
    labels = _numbers(d["label"], "dataset.label", MAX_POINTS)
    if not (len(x) == len(y) == len(labels)):
        raise SessionError("dataset.x, dataset.y and dataset.label differ in length")
    return Dataset(np.column_stack([x, y]).reshape(-1, 2), labels)


def _config(d: dict) -> TrainConfig:
    hidden = d.get("hidden", [])
    _expect(hidden, list, "config.hidden")
    if len(hidden) > MAX_HIDDEN_LAYERS:
        raise SessionError(f"config.hidden has {len(hidden)} layers; at most {MAX_HIDDEN_LAYERS}")
    for v in hidden:
        _expect(v, int, "a hidden layer size")
    for key, value in d.items():
        if key != "hidden" and not isinstance(value, (int, float, str)):
            raise SessionError(f"config.{key} should be a number or a name, not {type(value).__name__}")
    try:
        return TrainConfig.from_dict(d)
    except (TypeError, ValueError) as exc:
        raise SessionError(f"config: {exc}") from None


def _decode_array(d, what: str) -> np.ndarray:
    _expect(d, dict, what)
    shape = _expect(d["shape"], list, f"{what}.shape")
    if not 1 <= len(shape) <= 2 or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in shape):
        raise SessionError(f"{what}.shape {shape} is not a valid shape")
    size = int(np.prod(shape))
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


def _state(d, dataset: Dataset, config: TrainConfig) -> TrainState | None:
    if d is None:
        return None
    _expect(d, dict, "state")
    epoch = _expect(d["epoch"], int, "state.epoch")
    if epoch < 0:
        raise SessionError("state.epoch is negative")
    expected = [2, *config.hidden, output_for(dataset.n_classes)[1]]
    sizes = _expect(d["layer_sizes"], list, "state.layer_sizes")
    if sizes != expected:
        raise SessionError(f"state.layer_sizes {sizes} do not match the settings and data (expected {expected})")
    weights = [_decode_array(w, f"state.weights[{i}]") for i, w in enumerate(_expect(d["weights"], list, "weights"))]
    biases = [_decode_array(b, f"state.biases[{i}]") for i, b in enumerate(_expect(d["biases"], list, "biases"))]
    n = len(expected) - 1
    if len(weights) != n or len(biases) != n:
        raise SessionError(f"the network has {n} layers but the file holds {len(weights)} weight arrays")
    for i in range(n):
        if weights[i].shape != (expected[i], expected[i + 1]) or biases[i].shape != (expected[i + 1],):
            raise SessionError(
                f"layer {i}: weights {weights[i].shape} / biases {biases[i].shape} do not match "
                f"the declared layers {expected}"
            )
    optimizer = {}
    opt = d.get("optimizer") or {}
    _expect(opt, dict, "state.optimizer")
    shapes = [w.shape for w in weights] + [b.shape for b in biases]
    for key, value in opt.items():
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            optimizer[key] = value
        elif isinstance(value, list):
            arrays = [_decode_array(a, f"state.optimizer.{key}[{i}]") for i, a in enumerate(value)]
            if [a.shape for a in arrays] != shapes:
                raise SessionError(f"state.optimizer.{key} does not match the network's parameters")
            optimizer[key] = arrays
        else:
            raise SessionError(f"state.optimizer.{key} has an unexpected type")
    rng = d.get("rng")
    if rng is not None:
        _expect(rng, dict, "state.rng")
        try:
            np.random.default_rng(0).bit_generator.state = rng
        except (TypeError, ValueError, KeyError):
            rng = None  # not a valid generator state: shuffling restarts from the seed
    return TrainState(epoch, weights, biases, optimizer, rng)


def _history(d) -> dict:
    _expect(d, dict, "history")
    out = {}
    for name, series in d.items():
        _expect(series, dict, f"history.{name}")
        epochs = _expect(series["epoch"], list, f"history.{name}.epoch")
        losses = _expect(series["loss"], list, f"history.{name}.loss")
        if len(epochs) != len(losses):
            raise SessionError(f"history.{name}: epoch and loss differ in length")
        if len(epochs) > MAX_HISTORY:
            raise SessionError(f"history.{name} has {len(epochs):,} points; at most {MAX_HISTORY:,}")
        for e in epochs:
            _expect(e, int, f"an epoch in history.{name}")
        for v in losses:
            if v is not None and (not isinstance(v, (int, float)) or isinstance(v, bool)):
                raise SessionError(f"history.{name}.loss holds {type(v).__name__} values")
        values = np.array([math.nan if v is None else v for v in losses], dtype=np.float64)
        out[str(name)] = (np.array(epochs, dtype=np.int64), values)
    return out
