"""Weight initialisers. Each returns ``W`` of shape ``(fan_in, fan_out)``; biases always start at zero.

- ``xavier`` (Glorot): N(0, 1/fan_in). Keeps the variance of ``Z = X @ W`` close to that of ``X`` when the
  inputs have unit variance, which is what the seed article meant. (Its code scaled by ``1/fan_out``
  instead, which only agrees when layers have equal width.)
- ``he``: N(0, 2/fan_in). ReLU zeroes half its inputs on average; the factor 2 restores the variance.
- ``seed``: the article's exact scheme, N(0, 1/fan_out), kept for comparison.
"""

from __future__ import annotations

import numpy as np


def xavier(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(1.0 / fan_in)


def he(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)


def seed_article(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(1.0 / fan_out)


INITIALISERS = {"xavier": xavier, "he": he, "seed": seed_article}


def get_initialiser(name: str):
    try:
        return INITIALISERS[name]
    except KeyError:
        raise ValueError(f"unknown initialiser {name!r}; choose one of {', '.join(INITIALISERS)}") from None
