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

from .activations import sigmoid


def softmax(Z: np.ndarray) -> np.ndarray:
    """Softmax over each row of ``Z`` (``(n, k)``), in place (returned): ``exp(z_j) / sum_i exp(z_i)``.

    The largest logit of each row is shifted to 0 first, which changes nothing but keeps ``exp`` from
    overflowing."""
    Z -= Z.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
    return Z


def log_sum_exp(Z: np.ndarray) -> np.ndarray:
    """``log(sum_j exp(z_j))`` of each row of ``Z`` (``(n, k)`` -> ``(n,)``), with the row maximum shifted
    out so ``exp`` cannot overflow. ``Z`` is not modified."""
    m = Z.max(axis=1, keepdims=True)
    return np.log(np.exp(Z - m).sum(axis=1)) + m[:, 0]


def softplus(Z: np.ndarray) -> np.ndarray:
    """``log(1 + e^z)`` elementwise, as ``max(z, 0) + log1p(exp(-|z|))``: exp of a non-positive number
    cannot overflow. ``Z`` is not modified."""
    out = np.abs(Z)
    np.negative(out, out=out)
    np.exp(out, out=out)
    np.log1p(out, out=out)
    out += np.maximum(Z, 0.0)
    return out


def not_negative(loss: float) -> float:
    """Cross-entropy is >= 0 term by term; float32 rounding of a near-zero total may dip below, and
    "-0.0000" reads as a bug. NaN and inf pass through untouched: they mean divergence."""
    return 0.0 if loss < 0.0 else loss


class Output:
    """An output activation and its loss. ``Z`` are the last layer's logits, ``(n, n_out)``."""

    name: str = ""

    def check_units(self, n_out: int) -> None:
        pass

    def describe(self, n_out: int) -> str:
        """A short description for people, e.g. "softmax over 3 classes, cross-entropy"."""
        raise NotImplementedError

    def encode(self, y: np.ndarray, n_out: int, dtype) -> np.ndarray:
        """Turn user-facing targets ``y`` into an array shaped like the network's output, ``(n, n_out)``."""
        raise NotImplementedError

    def activate(self, Z: np.ndarray) -> np.ndarray:
        """Apply the output activation to ``Z`` in place and return it: ``A``, ``(n, n_out)``."""
        raise NotImplementedError

    def loss(self, Z: np.ndarray, Y: np.ndarray) -> float:
        """Mean loss over the n rows, from the logits ``Z`` (not modified) and encoded targets ``Y``."""
        raise NotImplementedError

    def delta(self, A: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """dLoss/dZ = (A - Y) / n, ``(n, n_out)``, from the output ``A = activate(Z)`` (see the module
        docstring: the same formula for every pair)."""
        dZ = A - Y
        dZ *= A.dtype.type(1.0 / A.shape[0])
        return dZ

    def predict(self, Z: np.ndarray) -> np.ndarray:
        """From the logits ``Z``: the class index per row, ``(n,)`` int64 (values for a linear output)."""
        raise NotImplementedError


class SigmoidBCE(Output):
    """One sigmoid unit with binary cross-entropy; ``y`` holds 0/1 labels of shape ``(n,)``."""

    name = "sigmoid"

    def check_units(self, n_out):
        if n_out != 1:
            raise ValueError(f"a sigmoid output has 1 unit, not {n_out}")

    def describe(self, n_out):
        return "sigmoid unit, binary cross-entropy"

    def encode(self, y, n_out, dtype):
        y = y if isinstance(y, np.ndarray) else np.asarray(y)
        return y.astype(dtype).reshape(-1, 1)

    def activate(self, Z):
        return sigmoid(Z)

    def loss(self, Z, Y):
        # -[y log s(z) + (1-y) log(1-s(z))] = softplus(z) - y z
        total = softplus(Z).sum(dtype=np.float64) - np.vdot(Y, Z)
        return not_negative(float(total / Z.shape[0]))

    def predict(self, Z):
        return (Z[:, 0] >= 0).astype(np.int64)  # sigma(z) >= 1/2 exactly when z >= 0


class SoftmaxCE(Output):
    """k softmax units with categorical cross-entropy; ``y`` holds class indices of shape ``(n,)``."""

    name = "softmax"

    def check_units(self, n_out):
        if n_out < 2:
            raise ValueError(f"a softmax output needs at least 2 units, not {n_out}")

    def describe(self, n_out):
        return f"softmax over {n_out} classes, cross-entropy"

    def encode(self, y, n_out, dtype):
        y = np.asarray(y, dtype=np.int64).reshape(-1)
        if y.size and (y.min() < 0 or y.max() >= n_out):
            raise ValueError(f"class labels must lie in 0..{n_out - 1}")
        Y = np.zeros((y.shape[0], n_out), dtype=dtype)
        Y[np.arange(y.shape[0]), y] = 1.0
        return Y

    def activate(self, Z):
        return softmax(Z)

    def loss(self, Z, Y):
        # -sum_j y_j log softmax(z)_j = logsumexp(z) - sum_j y_j z_j  (each row of Y sums to 1). Both terms
        # are unchanged by shifting a row; with its maximum shifted to 0 they stay small, so a confident
        # row costs no float32 precision (logits of 1e4 would leave only 3 significant digits otherwise).
        shifted = Z - Z.max(axis=1, keepdims=True)
        total = log_sum_exp(shifted).sum(dtype=np.float64) - np.vdot(Y, shifted)
        return not_negative(float(total / Z.shape[0]))

    def predict(self, Z):
        return Z.argmax(axis=1)  # softmax is monotonic: the largest logit has the largest probability


class LinearMSE(Output):
    """Linear units with squared error: loss = (1/n) sum_i 1/2 ||a_i - y_i||^2.

    The 1/2 (Nielsen's quadratic cost) makes the gradient exactly (A - Y) / n, like the other pairs.
    ``y`` is float, ``(n,)`` for one unit or ``(n, n_out)``.
    """

    name = "linear"

    def describe(self, n_out):
        return "linear, mean squared error" if n_out == 1 else f"linear over {n_out} outputs, mean squared error"

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

    def predict(self, Z):
        """The values themselves: ``(n,)`` for one unit (the shape of ``y``), else ``(n, n_out)``."""
        return Z[:, 0] if Z.shape[1] == 1 else Z


OUTPUTS: dict[str, type[Output]] = {cls.name: cls for cls in (SigmoidBCE, SoftmaxCE, LinearMSE)}


def get_output(name: str) -> Output:
    try:
        return OUTPUTS[name]()
    except KeyError:
        raise ValueError(f"unknown output {name!r}; choose one of {', '.join(OUTPUTS)}") from None
