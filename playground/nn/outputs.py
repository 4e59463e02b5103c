"""Output layers paired with their losses (Nielsen's cost classes: ``loss`` and ``delta`` side by side).

Each output pairs an activation with the loss whose gradient w.r.t. the logits ``Z`` collapses to

    dLoss/dZ = (A - Y) / n

which is why these pairs are used together: no division by ``A`` or ``1 - A`` (the seed article's
``dA = -(Y/A - (1-Y)/(1-A))`` is infinite for a saturated unit). Losses are computed from the logits, never
as ``log(A)``, so they stay finite for logits as large as +-1e4.

Shapes: ``Z`` and ``A`` are ``(n, n_out)``; targets ``Y`` are encoded to the same shape by ``encode``.
"""

from __future__ import annotations

import numpy as np

_LOG2 = float(np.log(2.0))


def _not_negative(loss: float) -> float:
    """Cross-entropy is >= 0 term by term; float32 rounding of a near-zero total may dip below, and
    "-0.0000" reads as a bug. NaN and inf pass through untouched: they mean divergence."""
    return 0.0 if loss < 0.0 else loss


class Output:
    name: str = ""
    _ws = None  # per-(n, dtype) buffers and constants of the fused training path, where a subclass has one
    is_classifier = True

    def check_units(self, n_out: int) -> None:
        pass

    def encode(self, y: np.ndarray, n_out: int, dtype) -> np.ndarray:
        """Turn user-facing targets ``y`` into an array shaped like the network's output."""
        raise NotImplementedError

    def activate(self, Z: np.ndarray) -> np.ndarray:
        """Apply the output activation to ``Z`` in place and return it."""
        raise NotImplementedError

    def loss(self, Z: np.ndarray, Y: np.ndarray) -> float:
        """Mean loss over the n rows, from the logits ``Z`` (not modified)."""
        raise NotImplementedError

    # Feature-major forms, used by the training pass: ``Zt`` and ``Yt`` are ``(n_out, n)``.
    def activate_t(self, Zt: np.ndarray) -> np.ndarray:
        return self.activate(Zt)

    def loss_t(self, Zt: np.ndarray, Yt: np.ndarray) -> float:
        return self.loss(Zt.T, Yt.T)

    def loss_and_delta_t(self, Zt: np.ndarray, Yt: np.ndarray):
        """Loss and dLoss/dZ = (A - Y) / n in the feature-major layout; may overwrite ``Zt``."""
        loss = self.loss_t(Zt, Yt)
        dZt = self.activate_t(Zt)
        dZt -= Yt
        dZt *= 1.0 / Zt.shape[1]
        return loss, dZt


class SigmoidBCE(Output):
    """One sigmoid unit with binary cross-entropy; ``y`` holds 0/1 labels of shape ``(n,)``."""

    name = "sigmoid"

    def check_units(self, n_out):
        if n_out != 1:
            raise ValueError(f"a sigmoid output has 1 unit, not {n_out}")

    def encode(self, y, n_out, dtype):
        y = y if isinstance(y, np.ndarray) else np.asarray(y)
        return y.astype(dtype).reshape(-1, 1)

    def activate(self, Z):
        Z *= 0.5
        np.tanh(Z, out=Z)
        Z += 1.0
        Z *= 0.5
        return Z

    def loss(self, Z, Y):
        # -[y log s(z) + (1-y) log(1-s(z))] = softplus(z) - y z, and
        # softplus(z) = max(z, 0) + log1p(exp(-|z|)): exp of a non-positive number cannot overflow.
        total = np.abs(Z)
        np.negative(total, out=total)
        np.exp(total, out=total)
        np.log1p(total, out=total)
        total += np.maximum(Z, 0.0)
        # Each term is >= 0; float32 rounding of the difference may not be, and "-0.0000" reads as a bug.
        return _not_negative(float((total.sum(dtype=np.float64) - np.vdot(Y, Z)) / Z.size))  # one unit: size n

    def loss_and_delta_t(self, Zt, Yt):
        # The same loss and gradient as above with fewer passes over the data, sharing t = tanh(z/2):
        #   softplus(z) - y z = max(z, 0) - y z + log 2 - log1p(|t|)      (|t| <= 1: stable)
        #   (a - y) / n = (t / 2 + 1/2 - y) / n
        # At n = 500 an allocation or a scalar conversion costs as much as the arithmetic, so every step
        # writes into a cached buffer with cached constants, and the one reduction is a BLAS dot.
        ws = self._ws
        if ws is None or ws[0] != (Zt.shape[1], Zt.dtype):
            ws = self._workspace(Zt.shape[1], Zt.dtype)
        u, scratch, ones, zero, half, half_over_n, one_over_n = ws[1]
        np.maximum(Zt, zero, out=u)
        np.multiply(Yt, Zt, out=scratch)
        u -= scratch
        Zt *= half
        t = np.tanh(Zt, out=Zt)
        np.abs(t, out=scratch)
        np.log1p(scratch, out=scratch)
        u -= scratch
        loss = float(np.dot(u[0], ones)) / Zt.shape[1] + _LOG2
        if loss < 0.0:  # as _not_negative, inline on the hot path
            loss = 0.0
        t *= half_over_n
        np.multiply(Yt, one_over_n, out=scratch)
        t -= scratch
        t += half_over_n
        return loss, t

    def _workspace(self, n: int, dtype):
        ws = self._ws
        if ws is None or ws[0] != (n, dtype):
            kind = dtype.type
            buffers = (np.empty((1, n), dtype), np.empty((1, n), dtype), np.ones(n, dtype))
            consts = (kind(0.0), kind(0.5), kind(0.5 / n), kind(1.0 / n))
            ws = self._ws = ((n, dtype), buffers + consts)
        return ws


class SoftmaxCE(Output):
    """k softmax units with categorical cross-entropy; ``y`` holds class indices of shape ``(n,)``."""

    name = "softmax"

    def check_units(self, n_out):
        if n_out < 2:
            raise ValueError(f"a softmax output needs at least 2 units, not {n_out}")

    def encode(self, y, n_out, dtype):
        y = np.asarray(y, dtype=np.int64).reshape(-1)
        if y.size and (y.min() < 0 or y.max() >= n_out):
            raise ValueError(f"class labels must lie in 0..{n_out - 1}")
        Y = np.zeros((y.shape[0], n_out), dtype=dtype)
        Y[np.arange(y.shape[0]), y] = 1.0
        return Y

    def activate(self, Z):
        Z -= Z.max(axis=1, keepdims=True)  # shift so the largest logit is 0: exp cannot overflow
        np.exp(Z, out=Z)
        Z /= Z.sum(axis=1, keepdims=True)
        return Z

    def loss(self, Z, Y):
        # -sum_j y_j log softmax(z)_j = logsumexp(z) - sum_j y_j z_j, with the max shifted out.
        m = Z.max(axis=1, keepdims=True)
        shifted = Z - m
        lse = np.log(np.exp(shifted).sum(axis=1))
        return float(np.mean(lse - (Y * shifted).sum(axis=1), dtype=np.float64))

    def activate_t(self, Zt):
        Zt -= Zt.max(axis=0)
        np.exp(Zt, out=Zt)
        Zt /= Zt.sum(axis=0)
        return Zt

    def loss_t(self, Zt, Yt):
        shifted = Zt - Zt.max(axis=0)
        lse = np.log(np.exp(shifted).sum(axis=0))
        return float((lse.sum(dtype=np.float64) - np.vdot(Yt, shifted)) / Zt.shape[1])


class LinearMSE(Output):
    """Linear units with squared error: loss = (1/n) sum_i 1/2 ||a_i - y_i||^2.

    The 1/2 (Nielsen's quadratic cost) makes the gradient exactly (A - Y) / n, like the other pairs.
    ``y`` is float, ``(n,)`` for one unit or ``(n, n_out)``.
    """

    name = "linear"
    is_classifier = False

    def encode(self, y, n_out, dtype):
        Y = np.asarray(y, dtype=dtype)
        if Y.ndim == 1:
            Y = Y.reshape(-1, 1)
        if Y.shape[1] != n_out:
            raise ValueError(f"targets have {Y.shape[1]} columns but the network has {n_out} outputs")
        return Y

    def activate(self, Z):
        return Z

    def loss(self, Z, Y):
        diff = Z - Y
        return float(0.5 * np.vdot(diff, diff) / Z.shape[0])


OUTPUTS: dict[str, type[Output]] = {cls.name: cls for cls in (SigmoidBCE, SoftmaxCE, LinearMSE)}


def get_output(name: str) -> Output:
    try:
        return OUTPUTS[name]()
    except KeyError:
        raise ValueError(f"unknown output {name!r}; choose one of {', '.join(OUTPUTS)}") from None
