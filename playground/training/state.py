"""The playground's settings in one place: *the* ``TrainConfig`` and a ``ViewState``. Pure Python, no Qt.

Every widget shows these and asks for changes; none keeps a copy. Whatever can be derived from them (which
points are test points, which output layer the data calls for) is computed on demand, never stored twice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from ..data import MAX_CLASSES, Dataset
from .config import LIMITS, TrainConfig

DEFAULT_BOUNDS = (-6.0, 6.0, -6.0, 6.0)
MIN_SPAN, MAX_SPAN = 1e-3, 1e4  # the narrowest and widest view the canvas may show
MAX_CENTRE = 1e5  # how far from the origin a view's centre may lie
VALUE_RANGE = (-1.0, 1.0)  # the values a drawn point may take in a regression (TensorFlow Playground's)


def sane_bounds(bounds) -> bool:
    """True for a finite view ``(x0, x1, y0, y1)`` of a size and place the canvas can draw."""
    try:
        x0, x1, y0, y1 = (float(v) for v in bounds)
    except (TypeError, ValueError, OverflowError):
        return False
    if not all(math.isfinite(v) for v in (x0, x1, y0, y1)):
        return False
    spans_ok = all(MIN_SPAN <= hi - lo <= MAX_SPAN for lo, hi in ((x0, x1), (y0, y1)))
    centres_ok = all(abs(lo + hi) / 2 <= MAX_CENTRE for lo, hi in ((x0, x1), (y0, y1)))
    return spans_ok and centres_ok


@dataclass(frozen=True)
class ViewState:
    """How the user looks at the data: the canvas's view and the drawing and display choices."""

    bounds: tuple[float, float, float, float] = DEFAULT_BOUNDS
    current_class: int = 0
    current_value: float = 0.5  # the value new points take when the data are values (a regression)
    eraser: bool = False
    trace_tool: bool = False  # a left click traces one training step on the point (Step through)
    show_test: bool = True
    discretize: bool = False
    log_scale: bool = False

    def __post_init__(self):
        if not sane_bounds(self.bounds):
            raise ValueError(f"view bounds {self.bounds!r} are not a finite, bounded view")
        if not (isinstance(self.current_class, int) and 0 <= self.current_class < MAX_CLASSES):
            raise ValueError(f"current class must lie in 0..{MAX_CLASSES - 1}, not {self.current_class!r}")
        lo, hi = VALUE_RANGE
        if not (isinstance(self.current_value, (int, float)) and lo <= self.current_value <= hi):
            raise ValueError(f"current value must lie in {lo:g}..{hi:g}, not {self.current_value!r}")
        object.__setattr__(self, "current_value", float(self.current_value))
        object.__setattr__(self, "bounds", tuple(float(v) for v in self.bounds))

    def with_changes(self, **changes) -> ViewState:
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return {
            "view": list(self.bounds),
            "current_class": self.current_class,
            "current_value": self.current_value,
            "eraser": self.eraser,
            "trace_tool": self.trace_tool,
            "show_test": self.show_test,
            "discretize": self.discretize,
            "log_scale": self.log_scale,
        }

    @classmethod
    def from_dict(cls, d: dict) -> ViewState:
        """The view saved in a session. A field of the wrong kind raises ValueError naming it; a view that is
        not finite and bounded (a canvas zoomed out to 1e38) is ignored: the default view is used instead."""
        if not isinstance(d, dict):
            raise ValueError(f"the view should be a mapping, not {type(d).__name__}")
        kwargs: dict = {}
        bounds = d.get("view")
        if bounds is not None and isinstance(bounds, list) and len(bounds) == 4 and sane_bounds(bounds):
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in bounds):
                kwargs["bounds"] = tuple(float(v) for v in bounds)
        if "current_class" in d:
            k = d["current_class"]
            if not isinstance(k, int) or isinstance(k, bool) or not 0 <= k < MAX_CLASSES:
                raise ValueError(f"current_class should be a class 0..{MAX_CLASSES - 1}, not {k!r}")
            kwargs["current_class"] = k
        if "current_value" in d:
            v = d["current_value"]
            lo, hi = VALUE_RANGE
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not lo <= v <= hi:
                raise ValueError(f"current_value should be a number in {lo:g}..{hi:g}, not {v!r}")
            kwargs["current_value"] = float(v)
        for key in ("eraser", "trace_tool", "show_test", "discretize", "log_scale"):
            if key in d:
                if not isinstance(d[key], bool):
                    raise ValueError(f"{key} should be true or false, not {d[key]!r}")
                kwargs[key] = d[key]
        return cls(**kwargs)


class PlaygroundState:
    """The one owner of the settings: ``config`` and ``view``. Changing them goes through ``set_config`` and
    ``set_view``, which report whether anything changed (the Qt wrapper turns that into signals)."""

    def __init__(self, config: TrainConfig | None = None, view: ViewState | None = None):
        self.config = config or TrainConfig()
        self.view = view or ViewState()

    def set_config(self, config: TrainConfig) -> bool:
        if config == self.config:
            return False
        self.config = config
        return True

    def set_view(self, view: ViewState) -> bool:
        if view == self.view:
            return False
        self.view = view
        return True

    def test_mask(self, dataset: Dataset) -> np.ndarray:
        """Which points of ``dataset`` are test points under the current split (derived, never stored)."""
        return dataset.test_mask(self.config.test_ratio, self.config.seed)

    def next_seed(self) -> TrainConfig:
        """The settings with the next seed; past the largest seed it wraps round to 0."""
        seed = self.config.seed + 1
        return self.config.with_changes(seed=0 if seed > LIMITS.seed.high else seed)
