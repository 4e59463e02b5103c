"""Training settings, and which of them can change without resetting the network."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from ..nn import ACTIVATIONS, INITIALISERS, OPTIMIZERS

MAX_HIDDEN_LAYERS = 10
MAX_NEURONS = 256
MIN_LR, MAX_LR = 1e-5, 10.0

# Changing one of these rebuilds the network from its seed; the rest apply to the running network.
RESET_FIELDS = frozenset({"hidden", "activation", "init", "seed", "dtype"})


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

    def __post_init__(self):
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))

    def problems(self) -> list[str]:
        out = []
        if len(self.hidden) > MAX_HIDDEN_LAYERS:
            out.append(f"at most {MAX_HIDDEN_LAYERS} hidden layers, not {len(self.hidden)}")
        for size in self.hidden:
            if not 1 <= size <= MAX_NEURONS:
                out.append(f"a layer has 1 to {MAX_NEURONS} neurons, not {size}")
        if self.activation not in ACTIVATIONS:
            out.append(f"unknown activation {self.activation!r}")
        if self.init not in INITIALISERS:
            out.append(f"unknown initialiser {self.init!r}")
        if self.optimizer not in OPTIMIZERS:
            out.append(f"unknown optimizer {self.optimizer!r}")
        if not MIN_LR <= self.learning_rate <= 100.0:
            out.append(f"learning rate must lie in {MIN_LR:g}..100, not {self.learning_rate:g}")
        if not 0.0 <= self.momentum < 1.0:
            out.append(f"momentum must lie in [0, 1), not {self.momentum:g}")
        if self.batch_size < 0:
            out.append("batch size must be 0 (full batch) or positive")
        if self.l1 < 0 or self.l2 < 0:
            out.append("regularisation rates cannot be negative")
        if not 0.0 <= self.test_ratio <= 0.9:
            out.append(f"test ratio must lie in 0..0.9, not {self.test_ratio:g}")
        if self.max_epochs < 0:
            out.append("the epoch limit cannot be negative")
        if self.dtype not in ("float32", "float64"):
            out.append(f"dtype must be float32 or float64, not {self.dtype!r}")
        return out

    def with_changes(self, **changes) -> TrainConfig:
        return replace(self, **changes)

    def needs_reset(self, other: TrainConfig) -> bool:
        return any(getattr(self, f) != getattr(other, f) for f in RESET_FIELDS)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["hidden"] = list(self.hidden)
        return d

    @classmethod
    def from_dict(cls, data: dict) -> TrainConfig:
        known = {f.name: f.type for f in fields(cls)}
        kwargs = {}
        for key, value in data.items():
            if key not in known:
                continue
            if key == "hidden":
                value = tuple(int(v) for v in value)
            elif known[key] in ("int", int):
                value = int(value)
            elif known[key] in ("float", float):
                value = float(value)
            elif known[key] in ("str", str):
                value = str(value)
            kwargs[key] = value
        return cls(**kwargs)


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
        if not 1 <= size <= MAX_NEURONS:
            raise ValueError(f"layer {position}: {size} neurons; a layer has 1 to {MAX_NEURONS}")
        sizes.append(size)
    if len(sizes) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"{len(sizes)} layers; at most {MAX_HIDDEN_LAYERS} hidden layers")
    return tuple(sizes)


def format_hidden_layers(hidden) -> str:
    return ", ".join(str(h) for h in hidden)
