"""Hidden-layer activations, each with its derivative beside it.

Every derivative is written in terms of the activation's *output* ``A`` (not its input ``Z``), so the
backward pass needs only the activations the forward pass already kept. That works because each of these
functions is monotonic and its slope is a function of its value:

    sigmoid'(z) = a (1 - a)      tanh'(z) = 1 - a^2
    relu'(z)    = [a > 0]        leaky_relu'(z) = 1 if a > 0 else alpha      linear'(z) = 1

``forward(Z)`` may overwrite ``Z`` (it returns the array it wrote into): the callers own their buffers.
"""

from __future__ import annotations

import numpy as np

LEAKY_ALPHA = 0.01


class Activation:
    """Constants are kept as NumPy scalars of the network's dtype: mixing a Python float into a float32
    operation costs a type resolution on every call, which shows at these array sizes."""

    name: str = ""

    def __init__(self, dtype=np.float64):
        self.dtype = np.dtype(dtype)
        self.one = self.dtype.type(1.0)
        self.half = self.dtype.type(0.5)
        self.zero = self.dtype.type(0.0)

    def forward(self, Z: np.ndarray) -> np.ndarray:
        """Apply the activation to ``Z`` in place and return it."""
        raise NotImplementedError

    def backward(self, dA: np.ndarray, A: np.ndarray, scratch: np.ndarray | None = None) -> np.ndarray:
        """Turn ``dA`` (gradient of the loss w.r.t. the output) into ``dZ`` in place and return it.
        ``scratch``, if given, is a buffer shaped like ``A`` that may be overwritten."""
        raise NotImplementedError

    def __call__(self, Z: np.ndarray) -> np.ndarray:
        return self.forward(np.array(Z, dtype=self.dtype, copy=True))


class Sigmoid(Activation):
    """sigma(z) = 1 / (1 + e^-z), computed as (1 + tanh(z/2)) / 2: the same function, but it cannot
    overflow for large |z| (exp(1e4) would), and float32 tanh has a fast vector kernel."""

    name = "sigmoid"

    def forward(self, Z):
        half = self.half
        Z *= half
        np.tanh(Z, out=Z)
        Z += self.one
        Z *= half
        return Z

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
