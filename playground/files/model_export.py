"""A trained network as a NumPy ``.npz`` archive, readable with ``np.load`` alone.

Contents: ``weights_0 .. weights_{L-1}`` (``(fan_in, fan_out)`` float64), ``biases_0 .. biases_{L-1}``
(``(fan_out,)`` float64), and ``architecture``: a 0-d string array holding JSON with ``layer_sizes``,
``activation``, ``output`` ("sigmoid": one unit, P(class 1); "softmax": one unit per class), ``epoch`` and
the ``convention`` ``Z = A_prev @ weights_i + biases_i``. A prediction is the hidden activation after every
layer but the last, then the output function.
"""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np

from ..training.config import TrainConfig
from ..training.trainer import TrainState, output_for
from .atomic import atomic_write

CONVENTION = "Z = A_prev @ weights_i + biases_i, A_prev of shape (n, fan_in)"


def output_kind(n_out: int) -> str:
    """The output function of a network with ``n_out`` output units, decided by ``output_for`` (the one
    rule: one sigmoid unit for two classes, softmax units for more)."""
    kind, units = output_for(2 if n_out == 1 else n_out)
    if units != n_out:
        raise ValueError(f"no classifier output has {n_out} units")
    return kind


def npz_bytes(weights, biases, activation: str, epoch: int, output: str | None = None) -> bytes:
    """The archive's bytes. ``output`` defaults to what the last layer's size calls for."""
    if len(weights) != len(biases) or not weights:
        raise ValueError("a network needs as many bias vectors as weight matrices, and at least one")
    arrays: dict[str, Any] = {}
    for i, (W, b) in enumerate(zip(weights, biases)):
        arrays[f"weights_{i}"] = np.asarray(W, dtype=np.float64)
        arrays[f"biases_{i}"] = np.asarray(b, dtype=np.float64)
    layer_sizes = [int(arrays["weights_0"].shape[0]), *[int(np.shape(b)[0]) for b in biases]]
    architecture = {
        "layer_sizes": layer_sizes,
        "activation": activation,
        "output": output or output_kind(layer_sizes[-1]),
        "epoch": int(epoch),
        "convention": CONVENTION,
    }
    arrays["architecture"] = np.array(json.dumps(architecture))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def export_npz(path, state: TrainState, config: TrainConfig, output: str | None = None) -> None:
    """Write the network in ``state`` (trained with ``config``) to ``path`` atomically. Raises OSError."""
    atomic_write(path, npz_bytes(state.weights, state.biases, config.activation, state.epoch, output))
