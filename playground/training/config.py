"""Training settings, and which of them can change without resetting the network."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace

from ..data.features import DEFAULT_FEATURES, canonical_features, feature_problems
from ..nn import ACTIVATIONS, INITIALISERS, OPTIMIZERS


@dataclass(frozen=True)
class Range:
    """A closed interval of allowed values; NaN and infinities never lie in one."""

    low: float
    high: float

    def __contains__(self, value) -> bool:
        try:
            v = float(value)
        except (TypeError, ValueError, OverflowError):
            return False
        return math.isfinite(v) and self.low <= v <= self.high

    def describe(self) -> str:
        return f"{self.low:g}..{self.high:g}"


@dataclass(frozen=True)
class Limits:
    """The one table of limits: the config, the layer parser, the session reader, the widgets and the CLI
    all read it, so they can never disagree about what is allowed."""

    learning_rate: Range = Range(1e-5, 10.0)
    hidden_layers: Range = Range(0, 10)
    neurons: Range = Range(1, 256)
    test_ratio: Range = Range(0.0, 0.9)
    batch_size: Range = Range(0, 100_000)  # 0 means the full batch
    max_epochs: Range = Range(0, 10_000_000)  # 0 means no limit
    seed: Range = Range(0, 2**31 - 1)
    momentum: Range = Range(0.0, 0.999)
    regularization: Range = Range(0.0, 10.0)
    points: Range = Range(0, 1_000_000)  # points in a dataset (file or session)
    preset_points: Range = Range(10, 5_000)  # points a preset generates
    noise: Range = Range(0.0, 0.5)  # a preset's noise


LIMITS = Limits()
MAX_HIDDEN_LAYERS = int(LIMITS.hidden_layers.high)
MAX_NEURONS = int(LIMITS.neurons.high)

# Changing one of these rebuilds the network from its seed; the rest apply to the running network.
RESET_FIELDS = frozenset({"hidden", "activation", "init", "seed", "dtype", "features"})


@dataclass(frozen=True)
class TrainConfig:
    hidden: tuple[int, ...] = (8, 8)
    activation: str = "tanh"
    init: str = "xavier"
    optimizer: str = "adam"
    learning_rate: float = 0.03
    momentum: float = 0.9
    batch_size: int = 0  # 0 means the full batch
    l1: float = 0.0
    l2: float = 0.0
    test_ratio: float = 0.5
    seed: int = 0
    max_epochs: int = 0  # 0 means no limit
    dtype: str = "float32"
    # The network's inputs, computed from each point (``data.features``): a non-empty subset of
    # x1 x2 x1sq x2sq x1x2 sinx1 sinx2, kept in that order (the first layer's rows follow it).
    features: tuple[str, ...] = DEFAULT_FEATURES

    def __post_init__(self):
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))
        object.__setattr__(self, "features", canonical_features(self.features))

    def problems(self) -> list[str]:
        """What is wrong with these settings, one phrase each (empty if nothing)."""
        out = []
        if len(self.hidden) not in LIMITS.hidden_layers:
            out.append(f"at most {MAX_HIDDEN_LAYERS} hidden layers, not {len(self.hidden)}")
        for size in self.hidden:
            if size not in LIMITS.neurons:
                out.append(f"a layer has 1 to {MAX_NEURONS} neurons, not {size}")
        if self.activation not in ACTIVATIONS:
            out.append(f"unknown activation {self.activation!r}")
        if self.init not in INITIALISERS:
            out.append(f"unknown initialiser {self.init!r}")
        if self.optimizer not in OPTIMIZERS:
            out.append(f"unknown optimizer {self.optimizer!r}")
        for name in ("learning_rate", "momentum", "batch_size", "test_ratio", "seed", "max_epochs"):
            value, allowed = getattr(self, name), getattr(LIMITS, name)
            if value not in allowed:
                out.append(f"{name.replace('_', ' ')} must lie in {allowed.describe()}, not {value!r}")
        for name in ("l1", "l2"):
            value = getattr(self, name)
            if value not in LIMITS.regularization:
                out.append(f"{name} rate must lie in {LIMITS.regularization.describe()}, not {value!r}")
        if self.dtype not in ("float32", "float64"):
            out.append(f"dtype must be float32 or float64, not {self.dtype!r}")
        out.extend(feature_problems(self.features))
        return out

    def with_changes(self, **changes) -> TrainConfig:
        return replace(self, **changes)

    def needs_reset(self, other: TrainConfig) -> bool:
        return any(getattr(self, f) != getattr(other, f) for f in RESET_FIELDS)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["hidden"] = list(self.hidden)
        d["features"] = list(self.features)
        return d

    @classmethod
    def from_dict(cls, data: dict) -> TrainConfig:
        """Settings from a saved document. Raises ValueError naming the field for anything that is not
        exactly the right kind of value within ``LIMITS`` (a 2.5 seed is refused, not truncated)."""
        if not isinstance(data, dict):
            raise ValueError(f"settings should be a mapping, not {type(data).__name__}")
        known = {f.name: f.type for f in fields(cls)}
        kwargs: dict = {}
        for key, value in data.items():
            if key not in known:
                continue
            kind = known[key]
            if key == "hidden":
                if not isinstance(value, (list, tuple)) or not all(_is_int(v) for v in value):
                    raise ValueError("hidden should be a list of whole numbers")
                value = tuple(int(v) for v in value)
            elif key == "features":
                if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                    raise ValueError('features should be a list of names, e.g. ["x1", "x2"]')
                value = tuple(value)
            elif kind in ("int", int):
                if not _is_int(value):
                    raise ValueError(f"{key} should be a whole number, not {value!r}")
            elif kind in ("float", float):
                if not (_is_int(value) or isinstance(value, float)):
                    raise ValueError(f"{key} should be a number, not {value!r}")
                value = float(value)
            elif not isinstance(value, str):
                raise ValueError(f"{key} should be a name, not {value!r}")
            kwargs[key] = value
        return cls(**kwargs)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_hidden_layers(text: str) -> tuple[int, ...]:
    """Parse "8, 8" into (8, 8); an empty text means no hidden layer. Raises ValueError saying why."""
    text = text.strip()
    if not text:
        return ()
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    sizes = []
    for position, part in enumerate(parts, start=1):
        if not part:
            raise ValueError(f"layer {position} is empty (two commas in a row?)")
        try:
            size = int(part)
        except ValueError:
            raise ValueError(f"layer {position}: {part!r} is not a whole number") from None
        if size not in LIMITS.neurons:
            raise ValueError(f"layer {position}: {size} neurons; a layer has 1 to {MAX_NEURONS}")
        sizes.append(size)
    if len(sizes) not in LIMITS.hidden_layers:
        raise ValueError(f"{len(sizes)} layers; at most {MAX_HIDDEN_LAYERS} hidden layers")
    return tuple(sizes)


def format_hidden_layers(hidden) -> str:
    return ", ".join(str(h) for h in hidden)


SETTING_NAMES = {  # TrainConfig field -> how the window names it
    "hidden": "hidden layers",
    "activation": "activation",
    "init": "initialiser",
    "seed": "seed",
    "dtype": "precision",
    "features": "input features",
    "learning_rate": "learning rate",
    "optimizer": "optimizer",
    "momentum": "momentum",
    "batch_size": "batch size",
    "l1": "L1 rate",
    "l2": "L2 rate",
    "test_ratio": "test split",
    "max_epochs": "epoch limit",
}


def applied_text(config: TrainConfig, changed) -> str:
    """What a change of settings that keeps the weights does, e.g. "Learning rate 0.1: the running network
    goes on with it"; "" if a field in ``changed`` resets the weights (the training process says so then)."""
    if RESET_FIELDS & set(changed):
        return ""
    values = [(name, getattr(config, field)) for field, name in SETTING_NAMES.items() if field in changed]
    if not values:
        return ""
    shown = ", ".join(f"{name} {value:g}" if isinstance(value, float) else f"{name} {value}" for name, value in values)
    return f"{shown[0].upper()}{shown[1:]}: the network keeps its weights and goes on with it."
