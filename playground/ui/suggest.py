"""Settings the app suggests for each preset: what reliably learns it quickly (measured, see
benchmarks/bench_window.py). A user's own drawing gets a general-purpose default."""

from __future__ import annotations

from ..training import TrainConfig

SUGGESTIONS: dict[str, dict] = {
    "circle": {"hidden": (8, 8), "activation": "tanh", "optimizer": "adam", "learning_rate": 0.03, "batch_size": 0},
    "xor": {"hidden": (8, 8), "activation": "tanh", "optimizer": "adam", "learning_rate": 0.03, "batch_size": 0},
    "gaussian": {"hidden": (4,), "activation": "tanh", "optimizer": "adam", "learning_rate": 0.03, "batch_size": 0},
    "spiral": {"hidden": (32, 32), "activation": "tanh", "optimizer": "adam", "learning_rate": 0.03, "batch_size": 0},
    "moons": {"hidden": (16, 16), "activation": "tanh", "optimizer": "adam", "learning_rate": 0.03, "batch_size": 0},
    "blobs": {"hidden": (8,), "activation": "tanh", "optimizer": "adam", "learning_rate": 0.03, "batch_size": 0},
    "spiral3": {"hidden": (32, 32), "activation": "tanh", "optimizer": "adam", "learning_rate": 0.03, "batch_size": 0},
    "checkerboard": {
        "hidden": (32, 32, 16),
        "activation": "relu",
        "init": "he",
        "optimizer": "adam",
        "learning_rate": 0.01,
        "batch_size": 0,
    },
    "rings": {"hidden": (16, 16), "activation": "tanh", "optimizer": "adam", "learning_rate": 0.03, "batch_size": 0},
}
GENERAL = {"hidden": (16, 16), "activation": "tanh", "optimizer": "adam", "learning_rate": 0.03, "batch_size": 0}


def suggested_config(preset: str | None, base: TrainConfig) -> TrainConfig:
    """``base`` with the suggested network and optimiser for ``preset`` (its seed, split and limits kept)."""
    changes = dict(SUGGESTIONS.get(preset or "", GENERAL))
    changes.setdefault("init", "xavier")
    return base.with_changes(**changes)
