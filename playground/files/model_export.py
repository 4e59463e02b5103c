"""A trained network as a NumPy ``.npz`` archive, readable with ``np.load`` alone.

Contents: ``weights_0 .. weights_{L-1}`` (``(fan_in, fan_out)`` float64), ``biases_0 .. biases_{L-1}``
(``(fan_out,)`` float64), and ``architecture``: a 0-d string array holding JSON with ``layer_sizes``,
``activation``, ``output`` ("sigmoid": one unit, P(class 1); "softmax": one unit per class), ``epoch``,
``features`` (the network's inputs, computed from a point (x1, x2): names from ``x1 x2 x1sq x2sq x1x2
sinx1 sinx2``, one per row of ``weights_0``, in order; ``x1sq`` is x1², ``x1x2`` is x1 * x2, ``sinx1`` is
sin(x1)) and the ``convention`` ``Z = A_prev @ weights_i + biases_i``. A prediction takes the features of
the points as ``A_0``, then the hidden activation after every layer but the last, then the output function.
"""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np

from ..data.features import DEFAULT_FEATURES, canonical_features
from ..training.config import TrainConfig
from ..training.trainer import TrainState, output_for
from .atomic import atomic_write

CONVENTION = "Z = A_prev @ weights_i + biases_i, A_prev of shape (n, fan_in); A_0 = the input features"


def output_kind(n_out: int) -> str:
    """The output function of a network with ``n_out`` output units, decided by ``output_for`` (the one
    rule: one sigmoid unit for two classes, softmax units for more)."""
    kind, units = output_for(2 if n_out == 1 else n_out)
    if units != n_out:
        raise ValueError(f"no classifier output has {n_out} units")
    return kind


def npz_bytes(
    weights, biases, activation: str, epoch: int, output: str | None = None, features=DEFAULT_FEATURES
) -> bytes:
    """The archive's bytes. ``output`` defaults to what the last layer's size calls for; ``features`` are the
    network's inputs (as many as ``weights[0]`` has rows)."""
    if len(weights) != len(biases) or not weights:
        raise ValueError("a network needs as many bias vectors as weight matrices, and at least one")
    features = canonical_features(features)
    fan_in = np.shape(weights[0])[0]
    if fan_in != len(features):
        raise ValueError(f"the first layer takes {fan_in} inputs, but there are {len(features)} features")
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
        "features": list(features),
        "convention": CONVENTION,
    }
    arrays["architecture"] = np.array(json.dumps(architecture))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def export_npz(path, state: TrainState, config: TrainConfig, output: str | None = None) -> None:
    """Write the network in ``state`` (trained with ``config``) to ``path`` atomically. Raises OSError."""
    atomic_write(path, npz_bytes(state.weights, state.biases, config.activation, state.epoch, output, config.features))
