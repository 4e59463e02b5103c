"""The settings as a short text to share (a course handout, a chat message): every ``TrainConfig`` field and
the preset the data came from, never the data itself. Like TensorFlow Playground's URL, without weights.

    pg1,preset=spiral:500:0.1,hidden=16-16,act=tanh,init=xavier,opt=adam,lr=0.03,momentum=0.9,batch=0,
    l1=0.0,l2=0.0,test=0.5,seed=0,epochs=0,dtype=float32,features=x1-x2

(one line). ``pg1`` names the format and its version. Then ``key=value`` items separated by commas, in any
order: ``hidden`` lists the hidden layer sizes joined by ``-`` (``none`` for no hidden layer), ``features``
the input features joined by ``-`` (``x1-x2-x1sq``), ``preset`` is ``name[:points[:noise]]``. A key left out
takes the default value (a text from before features existed means x1, x2), so the same text always means
the same settings; a key may also be written as the ``TrainConfig`` field's own name (``learning_rate=0.03``).
The text needs no quoting in a shell. Every value is checked against the one table of limits, and a refusal
names the item that is wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from ..data.presets import ALL_PRESETS as PRESETS
from .config import LIMITS, TrainConfig

PREFIX = "pg"
VERSION = 1
DEFAULT_POINTS = 500
DEFAULT_NOISE = 0.0

# TrainConfig field -> its short key in the text. A field missing here is written under its own name.
KEYS = {
    "hidden": "hidden",
    "activation": "act",
    "init": "init",
    "optimizer": "opt",
    "learning_rate": "lr",
    "momentum": "momentum",
    "batch_size": "batch",
    "l1": "l1",
    "l2": "l2",
    "test_ratio": "test",
    "seed": "seed",
    "max_epochs": "epochs",
    "dtype": "dtype",
    "features": "features",
}


class SettingsTextError(ValueError):
    """Settings text that cannot be used; the message names the part that is wrong."""


@dataclass(frozen=True)
class PresetChoice:
    """A preset as the data panel loads it: the seed comes from the settings."""

    name: str
    points: int = DEFAULT_POINTS
    noise: float = DEFAULT_NOISE


@dataclass(frozen=True)
class SharedSettings:
    config: TrainConfig
    preset: PresetChoice | None = None


def format_settings(config: TrainConfig, preset: PresetChoice | None = None) -> str:
    """The text for ``config`` (and the preset, if the data is one as generated)."""
    items = [f"{PREFIX}{VERSION}"]
    if preset is not None:
        items.append(f"preset={preset.name}:{preset.points}:{float(preset.noise)!r}")
    for f in fields(TrainConfig):
        items.append(f"{KEYS.get(f.name, f.name)}={_format_value(getattr(config, f.name))}")
    return ",".join(items)


def _format_value(value) -> str:
    if isinstance(value, tuple):
        return "-".join(str(v) for v in value) if value else "none"
    if isinstance(value, float):
        return repr(value)  # reads back as exactly this float
    return str(value)


def parse_settings(text: str) -> SharedSettings:
    """The settings in ``text``. Raises ``SettingsTextError`` naming the part that is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise SettingsTextError("the settings text is empty")
    items = [item.strip() for item in text.strip().split(",")]
    head = items[0]
    if not head.startswith(PREFIX):
        raise SettingsTextError(f"settings text should start with {PREFIX}{VERSION} (its format), not {_shown(head)}")
    version = head[len(PREFIX) :]
    if not version.isdigit():
        raise SettingsTextError(f"settings text should start with {PREFIX}{VERSION} (its format), not {_shown(head)}")
    if int(version) != VERSION:
        raise SettingsTextError(f"settings of version {int(version)}; this playground reads version {VERSION}")
    by_key = {KEYS.get(f.name, f.name): f for f in fields(TrainConfig)}
    by_key.update({f.name: f for f in fields(TrainConfig)})
    changes: dict = {}
    preset = None
    seen: set[str] = set()
    for item in items[1:]:
        if not item:
            continue  # a trailing comma, or two in a row
        key, eq, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not eq:
            raise SettingsTextError(f"{_shown(item)} is not key=value")
        field = by_key.get(key)
        name = field.name if field is not None else key
        if name in seen:
            raise SettingsTextError(f"{_shown(key)} is given twice")
        seen.add(name)
        if key == "preset":
            preset = _preset(value, item)
        elif field is None:
            known = ", ".join(["preset", *(KEYS.get(f.name, f.name) for f in fields(TrainConfig))])
            raise SettingsTextError(f"unknown setting {_shown(key)} (known: {known})")
        else:
            changes[field.name] = _value(field, value, item)
    try:
        config = TrainConfig(**changes)
    except ValueError as exc:
        raise SettingsTextError(str(exc)) from None
    return SharedSettings(config, preset)


def _shown(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _value(field, text: str, item: str):
    """``text`` as the kind of value ``field`` holds; checked against the limits by ``TrainConfig`` itself,
    tried alone here so the message names this item."""
    kind = str(field.type)
    value: object
    try:
        if field.name == "hidden":
            value = _hidden(text)
        elif field.name == "features":
            value = tuple(text.split("-")) if text else ()
        elif kind in ("int", str(int)):
            value = _whole(text)
        elif kind in ("float", str(float)):
            value = _number(text)
        else:
            value = text
        TrainConfig(**{field.name: value})  # type: ignore[arg-type]
    except ValueError as exc:
        raise SettingsTextError(f"{_shown(item)}: {exc}") from None
    return value


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{_shown(text)} is not a whole number") from None


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{_shown(text)} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{_shown(text)} is not a finite number")
    return value


def _hidden(text: str) -> tuple[int, ...]:
    if text.lower() in ("", "none"):
        return ()
    sizes = []
    for position, part in enumerate(text.split("-"), start=1):
        try:
            sizes.append(int(part))
        except ValueError:
            raise ValueError(f"layer {position}: {_shown(part)} is not a whole number") from None
    return tuple(sizes)


def _preset(value: str, item: str) -> PresetChoice | None:
    name, _, rest = value.partition(":")
    if name == "custom":
        return None
    if name not in PRESETS:
        raise SettingsTextError(f"{_shown(item)}: unknown preset {_shown(name)} (presets: {', '.join(PRESETS)})")
    points_text, _, noise_text = rest.partition(":")
    try:
        points = _whole(points_text) if points_text else DEFAULT_POINTS
        noise = _number(noise_text) if noise_text else DEFAULT_NOISE
    except ValueError as exc:
        raise SettingsTextError(f"{_shown(item)}: {exc}") from None
    if points not in LIMITS.preset_points:
        allowed = LIMITS.preset_points
        raise SettingsTextError(f"{_shown(item)}: a preset has {int(allowed.low)}..{int(allowed.high)} points")
    if noise not in LIMITS.noise:
        raise SettingsTextError(f"{_shown(item)}: noise must lie in {LIMITS.noise.describe()}")
    return PresetChoice(name, points, noise)
