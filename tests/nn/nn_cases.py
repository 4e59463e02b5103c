"""The grid of networks the engine tests run over, and targets for them."""

import itertools

from playground.nn import ACTIVATIONS

OUTPUTS = [("sigmoid", 1), ("softmax", 3), ("linear", 2)]
DEPTHS = [(), (5,), (4, 3), (3, 4, 3)]
GRID = [(a, o, h) for a, o, h in itertools.product(ACTIVATIONS, OUTPUTS, DEPTHS)]


def targets(output, n, n_out, rng):
    if output == "sigmoid":
        return rng.integers(0, 2, n)
    if output == "softmax":
        return rng.integers(0, n_out, n)
    return rng.normal(size=(n, n_out))
