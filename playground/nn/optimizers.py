"""Optimizers: they turn gradients into in-place parameter updates.

``step(params, grads)`` takes matching lists of arrays; it updates ``params`` in place and only reads
``grads`` (the caller's gradient arrays are left as they were). The learning rate (and the other
settings) are plain attributes, so a running session can change them between steps without losing the
optimizer's state (momentum velocity, Adam's moments).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class Optimizer:
    name = ""

    def __init__(self, learning_rate: float):
        self.learning_rate = float(learning_rate)

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Update each of ``params`` in place from the gradient of the same index (not modified)."""
        raise NotImplementedError

    # Slots hold per-parameter state (lists of arrays shaped like the parameters); scalars are counters.
    slots: tuple[str, ...] = ()
    scalars: tuple[str, ...] = ()

    def get_state(self) -> dict:
        """A copy of the optimizer's state: ``{name: [arrays] or None, counter: int}``."""
        state: dict[str, object] = {}
        for name in self.slots:
            arrays = getattr(self, name)
            state[name] = None if arrays is None else [a.copy() for a in arrays]
        for name in self.scalars:
            state[name] = int(getattr(self, name))
        return state

    def set_state(self, state: dict, dtype=None) -> None:
        for name in self.slots:
            arrays = state.get(name)
            setattr(self, name, None if arrays is None else [np.array(a, dtype=dtype, copy=True) for a in arrays])
        for name in self.scalars:
            setattr(self, name, int(state.get(name, 0)))


# The updates themselves, in place. ``lr`` and ``step_size`` are numbers, or arrays that broadcast against each
# parameter (``nn.stacked``: one learning rate per network of a stack); the arithmetic is the same either way.


def sgd_update(params, grads, lr) -> None:
    for p, g in zip(params, grads):
        p -= lr * g


def momentum_update(params, grads, velocity, lr, beta: float) -> None:
    """``v = beta v - lr g``, ``p += v``."""
    for p, g, v in zip(params, grads, velocity):
        v *= beta
        v -= lr * g
        p += v


def adam_update(params, grads, m, v, step_size, eps, b1: float, b2: float) -> None:
    """The moments' update and ``p -= step_size * m / (sqrt(v) + eps)``, with both bias corrections folded
    into ``step_size`` and ``eps`` by the caller."""
    for p, g, m_, v_ in zip(params, grads, m, v):
        m_ *= b1
        m_ += (1.0 - b1) * g
        g_squared = np.square(g)
        g_squared *= 1.0 - b2
        v_ *= b2
        v_ += g_squared
        denom = np.sqrt(v_)
        denom += eps
        np.divide(m_, denom, out=denom)
        denom *= step_size
        p -= denom


class SGD(Optimizer):
    """Plain gradient descent: ``p -= lr * g`` (the seed article's update)."""

    name = "sgd"

    def step(self, params, grads):
        sgd_update(params, grads, self.learning_rate)


class Momentum(Optimizer):
    """Heavy-ball momentum: ``v = beta v - lr g``, ``p += v``."""

    name = "momentum"
    slots = ("velocity",)

    def __init__(self, learning_rate: float, beta: float = 0.9):
        super().__init__(learning_rate)
        self.beta = float(beta)
        self.velocity: list[np.ndarray] | None = None

    def step(self, params, grads):
        if self.velocity is None or any(v.shape != p.shape for v, p in zip(self.velocity, params)):
            self.velocity = [np.zeros_like(p) for p in params]
        momentum_update(params, grads, self.velocity, self.learning_rate, self.beta)


class Adam(Optimizer):
    """Adam (Kingma & Ba): per-parameter steps from bias-corrected first and second moments."""

    name = "adam"
    slots = ("m", "v")
    scalars = ("t",)

    def __init__(self, learning_rate: float, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(learning_rate)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.t = 0
        self.m: list[np.ndarray] | None = None
        self.v: list[np.ndarray] | None = None

    def step(self, params, grads):
        if self.m is None or self.v is None or any(m.shape != p.shape for m, p in zip(self.m, params)):
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
            self.t = 0
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        # Fold both bias corrections into the step size: lr * sqrt(1 - b2^t) / (1 - b1^t).
        step_size = self.learning_rate * np.sqrt(1.0 - b2**self.t) / (1.0 - b1**self.t)
        eps = self.eps * np.sqrt(1.0 - b2**self.t)
        adam_update(params, grads, self.m, self.v, step_size, eps, b1, b2)


OPTIMIZERS: dict[str, type[Optimizer]] = {cls.name: cls for cls in (SGD, Momentum, Adam)}


def make_optimizer(name: str, learning_rate: float, **settings) -> Optimizer:
    try:
        cls = OPTIMIZERS[name]
    except KeyError:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}") from None
    return cls(learning_rate, **settings)
