"""Class colours: Okabe & Ito's colour-blind-safe palette (8 colours), class 0 first."""

from __future__ import annotations

import numpy as np

CLASS_COLORS = [
    (0, 114, 178),  # blue
    (230, 159, 0),  # orange
    (0, 158, 115),  # bluish green
    (204, 121, 167),  # reddish purple
    (86, 180, 233),  # sky blue
    (213, 94, 0),  # vermillion
    (240, 228, 66),  # yellow
    (90, 90, 90),  # grey
]
CLASS_NAMES = ["blue", "orange", "green", "purple", "sky", "vermillion", "yellow", "grey"]


def binary_lut(n: int = 256) -> np.ndarray:
    """A diverging lookup table: class 0's colour at 0, white at 0.5, class 1's colour at 1."""
    a = np.array(CLASS_COLORS[0], dtype=float)
    b = np.array(CLASS_COLORS[1], dtype=float)
    white = np.array([255.0, 255.0, 255.0])
    t = np.linspace(0, 1, n)[:, None]
    low = white + (a - white) * np.clip(1 - 2 * t, 0, 1) * 0.75
    high = white + (b - white) * np.clip(2 * t - 1, 0, 1) * 0.75
    lut = np.where(t < 0.5, low, high)
    return lut.astype(np.uint8)


def class_image(classes: np.ndarray, confidence: np.ndarray, n_classes: int) -> np.ndarray:
    """RGBA ``(h, w, 4)`` uint8: each cell in its class colour, faded towards white by low confidence."""
    colors = np.array(CLASS_COLORS, dtype=np.float32)[classes]
    floor = 1.0 / max(n_classes, 2)
    strength = np.clip((confidence - floor) / (1 - floor), 0, 1)[..., None] * 0.75
    rgb = 255 + (colors - 255) * strength
    out = np.empty((*classes.shape, 4), dtype=np.uint8)
    out[..., :3] = rgb
    out[..., 3] = 255
    return out


def value_scale(values: np.ndarray) -> float:
    """The half-width of the colour scale for values (a regression): the largest magnitude in the data, at
    least 1, so TensorFlow Playground's -1..1 sets fill the scale and bigger values still fit. Value ``v``
    is shown at ``0.5 + 0.5 * v / scale`` of the diverging map (``binary_lut``): 0 white, negative blue,
    positive orange."""
    values = np.asarray(values, dtype=np.float64)
    biggest = float(np.max(np.abs(values))) if values.size else 0.0
    return max(biggest, 1.0) if np.isfinite(biggest) else 1.0


def value_shade(values: np.ndarray, scale: float) -> np.ndarray:
    """Values mapped to 0..1 for the diverging map (clipped at +-scale), float32."""
    return np.clip(0.5 + 0.5 * np.asarray(values, dtype=np.float64) / scale, 0.0, 1.0).astype(np.float32)
