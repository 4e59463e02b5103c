"""Training: settings, the training generator, decision surfaces. Pure Python + NumPy, no Qt."""

from .config import TrainConfig, format_hidden_layers, parse_hidden_layers
from .trainer import EpochResult, Metrics, Trainer, output_for, train_headless

__all__ = [
    "EpochResult",
    "Metrics",
    "TrainConfig",
    "Trainer",
    "format_hidden_layers",
    "output_for",
    "parse_hidden_layers",
    "train_headless",
]
