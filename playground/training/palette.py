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
