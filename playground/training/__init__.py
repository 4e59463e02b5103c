"""Training: settings and limits, the app state, the training generator, the live run, frames, runs,
divergence, decision surfaces. Pure Python + NumPy, no Qt."""

from .config import LIMITS, TrainConfig, applied_text, format_hidden_layers, parse_hidden_layers
from .trainer import EpochResult, HeadlessRun, Metrics, Trainer, TrainState, output_for, output_for_data, train_headless

__all__ = [
    "LIMITS",
    "EpochResult",
    "HeadlessRun",
    "Metrics",
    "TrainConfig",
    "TrainState",
    "Trainer",
    "applied_text",
    "format_hidden_layers",
    "output_for",
    "output_for_data",
    "parse_hidden_layers",
    "train_headless",
]
