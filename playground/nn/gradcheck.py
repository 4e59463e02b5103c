"""A reusable finite-difference gradient checker (in the spirit of autograd's ``check_grads``).

Central differences, ``(L(p + h) - L(p - h)) / 2h``, in float64, for every single parameter. The
relative error between the analytic and numerical gradient is
``|a - b| / max(|a| + |b|, tiny)`` taken over the whole gradient vector.
"""

from __future__ import annotations

import numpy as np


def numerical_gradients(net, X, y, eps: float = 1e-6):
    """Finite-difference gradients of ``net.loss(X, y)`` for every weight and bias."""
    if net.dtype != np.float64:
        raise ValueError("gradient checks need a float64 network (float32 rounding swamps the check)")
    grads = []
    for p in net.parameters():
        g = np.zeros_like(p)
        flat_p, flat_g = p.reshape(-1), g.reshape(-1)
        for j in range(flat_p.size):
            old = flat_p[j]
            flat_p[j] = old + eps
            plus = net.loss(X, y)
            flat_p[j] = old - eps
            minus = net.loss(X, y)
            flat_p[j] = old
            flat_g[j] = (plus - minus) / (2 * eps)
        grads.append(g)
    n = net.n_layers
    return grads[:n], grads[n:]


def check_gradients(net, X, y, eps: float = 1e-6) -> float:
    """Relative error between backprop's and the numerical gradients (0 is perfect; < 1e-6 is good)."""
    _, dW, db = net.loss_and_gradients(X, y)
    nW, nb = numerical_gradients(net, X, y, eps)
    analytic = np.concatenate([g.ravel() for g in [*dW, *db]])
    numeric = np.concatenate([g.ravel() for g in [*nW, *nb]])
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return float(np.linalg.norm(analytic - numeric) / max(scale, 1e-300))
