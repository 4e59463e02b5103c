"""L1 and L2 penalties on the weights (never the biases: a bias does not make a model more complex).

Penalty: ``l1 * sum|W| + l2 / 2 * sum W^2`` over all weight matrices; its gradient, added to the data
gradient: ``l1 * sign(W) + l2 * W``.
"""

from __future__ import annotations

import numpy as np


def regularization_penalty(weights: list[np.ndarray], l1: float = 0.0, l2: float = 0.0) -> float:
    total = 0.0
    for W in weights:
        if l1:
            total += l1 * float(np.abs(W).sum())
        if l2:
            total += 0.5 * l2 * float(np.vdot(W, W))
    return total


def add_regularization_gradients(
    weights: list[np.ndarray], dweights: list[np.ndarray], l1: float = 0.0, l2: float = 0.0
) -> None:
    """Add the penalty's gradient to ``dweights`` in place."""
    if not (l1 or l2):
        return
    for W, dW in zip(weights, dweights):
        if l2:
            dW += l2 * W
        if l1:
            dW += l1 * np.sign(W)


def add_block_regularization(blocks: list[np.ndarray], dblocks: list[np.ndarray], l1: float = 0.0, l2: float = 0.0):
    """As ``add_regularization_gradients`` for ``[W; b]`` blocks: only the weight rows are penalised."""
    if not (l1 or l2):
        return
    add_regularization_gradients([b[:-1] for b in blocks], [d[:-1] for d in dblocks], l1, l2)
