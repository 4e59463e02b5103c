"""Hidden-layer activations, each with its derivative beside it.

Every derivative is written in terms of the activation's *output* ``A`` (not its input ``Z``), so the
backward pass needs only the activations the forward pass already kept. That works because each of these
functions is monotonic and its slope is a function of its value:

    sigmoid'(z) = a (1 - a)      tanh'(z) = 1 - a^2
    relu'(z)    = [a > 0]        leaky_relu'(z) = 1 if a > 0 else alpha      linear'(z) = 1

``forward(Z)`` may overwrite ``Z`` (it returns the array it wrote into): the callers own their buffers.
Shapes: ``Z``, ``A``, ``dA`` and ``dZ`` all have one shape, ``(n, units)`` in the reference network.
"""

from __future__ import annotations

import numpy as np

LEAKY_ALPHA = 0.01


def sigmoid(Z: np.ndarray) -> np.ndarray:
    """sigma(z) = 1 / (1 + e^-z), in place on ``Z`` (returned), any shape.

    Computed as (1 + tanh(z/2)) / 2: the same function, but it cannot overflow for large |z| (exp(1e4)
    would), and float32 tanh has a fast vector kernel. The one definition of the sigmoid: the hidden
    activation and the sigmoid output both use it.
    """
    half, one = Z.dtype.type(0.5), Z.dtype.type(1.0)
    Z *= half
    np.tanh(Z, out=Z)
    Z += one
    Z *= half
    return Z


class Activation:
    """``forward(Z)`` and its derivative ``backward(dA, A)``, side by side."""

    name: str = ""

    def __init__(self, dtype=np.float64):
        self.dtype = np.dtype(dtype)
        # Constants as NumPy scalars of the network's dtype: a Python float in a float32 operation costs a
        # type resolution on every call, which shows at these array sizes.
        self.one = self.dtype.type(1.0)
        self.zero = self.dtype.type(0.0)

    def forward(self, Z: np.ndarray) -> np.ndarray:
        """Apply the activation to ``Z`` in place and return it."""
        raise NotImplementedError

    def backward(self, dA: np.ndarray, A: np.ndarray, scratch: np.ndarray | None = None) -> np.ndarray:
        """``dZ = dA * f'(A)``: turn ``dA`` (gradient of the loss w.r.t. the output ``A``) into ``dZ`` in
        place and return it. ``scratch``, if given, is a buffer shaped like ``A`` that may be overwritten."""
        raise NotImplementedError


class Sigmoid(Activation):
    """sigma(z) = 1 / (1 + e^-z) (see ``sigmoid``); sigma'(z) = a (1 - a)."""

    name = "sigmoid"

    def forward(self, Z):
        return sigmoid(Z)

    def backward(self, dA, A, scratch=None):
        one_minus = np.subtract(self.one, A, out=scratch)
        dA *= A
        dA *= one_minus
        return dA


class Tanh(Activation):
    name = "tanh"

    def forward(self, Z):
        return np.tanh(Z, out=Z)

    def backward(self, dA, A, scratch=None):
        slope = np.multiply(A, A, out=scratch)
        np.subtract(self.one, slope, out=slope)
        dA *= slope
        return dA


class ReLU(Activation):
    name = "relu"

    def forward(self, Z):
        return np.maximum(Z, self.zero, out=Z)

    def backward(self, dA, A, scratch=None):
        dA *= self.zero < A
        return dA


class LeakyReLU(Activation):
    """max(z, alpha z) with alpha = 0.01: negative inputs keep a small slope, so a unit cannot die."""

    name = "leaky_relu"

    def __init__(self, dtype=np.float64, alpha: float = LEAKY_ALPHA):
        super().__init__(dtype)
        self.alpha = self.dtype.type(alpha)

    def forward(self, Z):
        return np.maximum(Z, self.alpha * Z, out=Z)

    def backward(self, dA, A, scratch=None):
        dA *= np.where(A > 0, self.one, self.alpha)
        return dA


class Linear(Activation):
    name = "linear"

    def forward(self, Z):
        return Z

    def backward(self, dA, A, scratch=None):
        return dA


ACTIVATIONS: dict[str, type[Activation]] = {cls.name: cls for cls in (Sigmoid, Tanh, ReLU, LeakyReLU, Linear)}


def get_activation(name: str, dtype=np.float64) -> Activation:
    try:
        return ACTIVATIONS[name](dtype)
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}") from None
