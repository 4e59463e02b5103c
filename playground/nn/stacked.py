"""K networks of one shape at once: the fused kernel's layout with a leading network axis.

At playground sizes a NumPy call costs about a microsecond of overhead and almost no arithmetic, so K
networks of the same shape, stacked along a leading axis, cost barely more than one. A learning-rate sweep
trains stacked, in lock-step; the loss landscape evaluates a whole grid of weight vectors as one stack.

Layout (as ``fused.py``, plus the network axis ``k``):

- layer ``i``'s parameters: one block ``(K, fan_in + 1, fan_out)``, network ``k``'s ``[W; b]`` in
  ``blocks[i][k]``;
- the pass runs feature-major on layer inputs ``[A.T; 1]`` of shape ``(K, fan_in + 1, n)`` (the first
  layer's input, the data, is shared: ``(fan_in + 1, n)``), so ``Z.T = block.T @ [A.T; 1]`` is one
  batched ``np.matmul`` per layer for all K networks, and ``[dW; db] = [A.T; 1] @ dZ`` another;
- every network sees the same samples (the same mini-batch order); per network: its initial weights
  (initialiser and seed), learning rate, L1 / L2 rates and optimizer state.

``tests/nn/test_stacked.py`` checks the losses and gradients against K separate ``Network`` calls for every
activation x output, and stacked training against K ``FusedNetwork`` trainings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .activations import get_activation
from .network import Network
from .optimizers import adam_update, momentum_update, sgd_update
from .outputs import get_output

_LOG2 = float(np.log(2.0))


def _per_network(value, k: int, name: str) -> list:
    """One value per network: a scalar is repeated, a sequence must have K entries."""
    if isinstance(value, (str, int, float, np.integer, np.floating)) or value is None:
        return [value] * k
    values = list(value)
    if len(values) != k:
        raise ValueError(f"{name}: {len(values)} values for {k} networks")
    return values


class StackedNetwork:
    """``StackedNetwork([2, 8, 8, 1], "sigmoid", "sigmoid", inits="xavier", seeds=[0, 1, 2])``: K = 3 networks.

    Network ``k`` starts with exactly the parameters of ``Network(layer_sizes, activation, output,
    inits[k], seeds[k], dtype)``. ``inits`` may be one name for all.
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activation: str = "sigmoid",
        output: str = "sigmoid",
        inits: str | Sequence[str] = "xavier",
        seeds: Sequence[int] = (0,),
        dtype=np.float64,
    ):
        seeds = list(seeds)
        if not seeds:
            raise ValueError("a stack needs at least one network (one seed)")
        inits = _per_network(inits, len(seeds), "inits")
        nets = [Network(layer_sizes, activation, output, init, seed, dtype) for init, seed in zip(inits, seeds)]
        blocks = [
            np.stack([np.vstack((net.weights[i], net.biases[i])) for net in nets]) for i in range(nets[0].n_layers)
        ]
        self._setup(nets[0].layer_sizes, activation, output, blocks)

    @classmethod
    def from_blocks(
        cls, layer_sizes: Sequence[int], activation: str, output: str, blocks: Sequence[np.ndarray]
    ) -> StackedNetwork:
        """A stack on these ``(K, fan_in + 1, fan_out)`` blocks (used as they are, not copied)."""
        self = cls.__new__(cls)
        sizes = [int(s) for s in layer_sizes]
        blocks = list(blocks)
        if len(blocks) != len(sizes) - 1:
            raise ValueError(f"{len(blocks)} blocks for {len(sizes) - 1} layers")
        for i, block in enumerate(blocks):
            want = (sizes[i] + 1, sizes[i + 1])
            if block.ndim != 3 or block.shape[1:] != want or block.shape[0] != blocks[0].shape[0]:
                raise ValueError(f"block {i} has shape {block.shape}, the stack needs (K, {want[0]}, {want[1]})")
            if block.dtype != blocks[0].dtype or block.dtype not in (np.float32, np.float64):
                raise ValueError(f"block {i} is {block.dtype}; all blocks must be float32 or all float64")
        self._setup(sizes, activation, output, blocks)
        return self

    def _setup(self, sizes: list[int], activation: str, output: str, blocks: list[np.ndarray]) -> None:
        self.layer_sizes = sizes
        self.dtype = blocks[0].dtype
        self.activation_name = activation
        self.output_name = output
        self.activation = get_activation(activation, self.dtype)
        self.head = get_output(output)
        self.head.check_units(sizes[-1])
        self._blocks = tuple(blocks)
        self._workspace: _Workspace | None = None
        # The sigmoid as 1 / (1 + e^-z) here: e^x costs about half of tanh on CPUs without AVX-512, and K
        # networks make the transcendental functions most of the work. Same function, rounding aside.
        self._hidden_forward = _sigmoid_from_exp if activation == "sigmoid" else self.activation.forward

    # -- parameters ------------------------------------------------------------------------------

    @property
    def K(self) -> int:  # noqa: N802 - the name of the stacking axis in the maths
        """The number of networks in the stack."""
        return self._blocks[0].shape[0]

    @property
    def n_layers(self) -> int:
        return len(self._blocks)

    def blocks(self) -> tuple[np.ndarray, ...]:
        """The parameters: one ``(K, fan_in + 1, fan_out)`` array per layer (in-place changes count)."""
        return self._blocks

    def network(self, k: int) -> Network:
        """Network ``k`` as a reference ``Network`` with copies of its parameters."""
        net = Network(self.layer_sizes, self.activation_name, self.output_name, seed=0, dtype=self.dtype)
        net.weights[:] = [b[k, :-1].copy() for b in self._blocks]
        net.biases[:] = [b[k, -1].copy() for b in self._blocks]
        return net

    def encode_targets(self, y) -> np.ndarray:
        """User-facing targets as ``(n, n_out)`` (shared by all K networks)."""
        return self.head.encode(y, self.layer_sizes[-1], self.dtype)

    # -- forward -----------------------------------------------------------------------------------

    def logits_t(self, X: np.ndarray) -> np.ndarray:
        """The last layer's ``Z.T`` for every network, ``(K, n_out, n)``, from ``X`` ``(n, n_inputs)``."""
        blocks = self._blocks
        X = np.asarray(X, dtype=self.dtype)
        # The first layer's input is shared: [X, 1] @ every block at once.
        A = np.matmul(blocks[0][:, :-1].transpose(0, 2, 1), X.T)
        A += blocks[0][:, -1, :, None]
        for block in blocks[1:]:
            self._hidden_forward(A)
            Z = np.matmul(block[:, :-1].transpose(0, 2, 1), A)
            Z += block[:, -1, :, None]
            A = Z
        return A

    def logits(self, X) -> np.ndarray:
        """``(K, n, n_out)``: each network's logits, row-major as ``Network.logits``."""
        return self.logits_t(X).transpose(0, 2, 1)

    def forward(self, X) -> np.ndarray:
        """``(K, n, n_out)``: each network's output (probabilities or values)."""
        Z = np.ascontiguousarray(self.logits(X))
        return np.stack([self.head.activate(z) for z in Z]) if len(Z) else Z

    def losses(self, X, Y: np.ndarray) -> np.ndarray:
        """Each network's mean data loss on ``X`` with encoded targets ``Y`` (``encode_targets``): ``(K,)``
        float64. No gradients, no workspace: the loss landscape calls it with thousands of networks."""
        return self.losses_from_logits_t(self.logits_t(X), Y)

    def losses_from_logits_t(self, Zt: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """``(K,)`` mean losses from ``logits_t`` (overwritten) and encoded targets ``Y`` ``(n, n_out)``."""
        losses, _ = _loss_and_delta(self.output_name, Zt, np.asarray(Y, self.dtype).T, want_delta=False)
        return losses

    # -- training pass ---------------------------------------------------------------------------

    def loss_and_gradients(self, X, y) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
        """As ``Network.loss_and_gradients`` for every network: ``losses`` ``(K,)``, ``dweights[i]``
        ``(K, fan_in, fan_out)``, ``dbiases[i]`` ``(K, fan_out)``."""
        X = np.asarray(X, dtype=self.dtype)
        losses, dblocks = self.loss_and_block_gradients(X, self.encode_targets(y))
        return losses, [d[:, :-1] for d in dblocks], [d[:, -1] for d in dblocks]

    def loss_and_block_gradients(self, X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """Losses ``(K,)`` and ``[dW; db]`` per layer, ``(K, fan_in + 1, fan_out)``, matching ``blocks()``.
        ``X`` ``(n, n_inputs)`` of ``dtype``, ``Y`` from ``encode_targets``. The gradients are new arrays."""
        blocks, act = self._blocks, self.activation
        n, K, last = X.shape[0], self.K, len(blocks) - 1
        ws = self._workspace
        if ws is None or ws.n != n or ws.K != K:
            ws = self._workspace = _Workspace(self.layer_sizes, K, n, self.dtype)
        acts, scratch, dA = ws.acts, ws.scratch, ws.dA
        X1 = acts[0]
        X1[:-1] = X.T
        forward, one = self._hidden_forward, self.dtype.type(1.0)
        # Forward, keeping every layer's input [A.T; 1]. The first layer's input (the data) is shared, so the
        # whole stack is one product there: (K * fan_out, fan_in + 1) @ [X.T; 1].
        for i in range(last):
            block, out = blocks[i], acts[i + 1]
            fan_out = block.shape[2]
            if i == 0:
                flat = block.transpose(1, 0, 2).reshape(block.shape[1], K * fan_out)
                np.dot(flat.T, X1, out=ws.first.reshape(K * fan_out, n))
                out[:, :-1] = ws.first
            else:
                np.matmul(block.transpose(0, 2, 1), acts[i], out=out[:, :-1])
            # The activation runs over the whole buffer, row of ones included (contiguous: several times
            # faster for the transcendental functions), and the ones are put back.
            forward(out)
            out[:, -1] = one
        Zt = np.matmul(blocks[last].transpose(0, 2, 1), acts[last])
        losses, dZt = _loss_and_delta(self.output_name, Zt, Y.T, want_delta=True)
        # Backward: [dW; db] = [A_prev.T; 1] @ dZ; dZ_prev.T = (W @ dZ.T) * f'(A_prev.T), per network.
        dblocks: list = [None] * (last + 1)
        for i in range(last, -1, -1):
            block = blocks[i]
            fan_out = block.shape[2]
            if i == 0:  # again one product for the stack: [X.T; 1] @ dZ of every network side by side
                flat = np.dot(X1, dZt.reshape(K * fan_out, n).T)
                dblocks[0] = flat.reshape(-1, K, fan_out).transpose(1, 0, 2).copy()
                break
            dblocks[i] = np.matmul(acts[i], dZt.transpose(0, 2, 1))
            W = block[:, :-1]
            # One output unit: W @ dZ.T is an outer product, which broadcasting computes faster.
            if fan_out == 1:
                np.multiply(W, dZt, out=dA[i])
            else:
                np.matmul(W, dZt, out=dA[i])
            dZt = act.backward(dA[i], acts[i][:, :-1], scratch[i])
        return losses, dblocks


def _sigmoid_from_exp(Z: np.ndarray) -> np.ndarray:
    """sigma(z) = 1 / (1 + e^-z), in place on ``Z`` (returned). e^-z overflows to inf for z < -88 (float32),
    and 1 / inf = 0 is the right limit."""
    one = Z.dtype.type(1.0)
    np.negative(Z, out=Z)
    with np.errstate(over="ignore"):
        np.exp(Z, out=Z)
    Z += one
    np.reciprocal(Z, out=Z)
    return Z


class _Workspace:
    """The arrays one training pass writes into, reused while K and the batch size ``n`` stay the same: at
    these sizes a fresh 100 kB temporary costs more than the arithmetic done in it."""

    __slots__ = ("K", "n", "acts", "first", "scratch", "dA")

    def __init__(self, layer_sizes: Sequence[int], K: int, n: int, dtype: np.dtype):  # noqa: N803
        self.K, self.n = K, n
        # acts[i] = [A_i.T; 1]: acts[0] = [X.T; 1], shared by the stack; the others (K, units + 1, n).
        self.acts = [np.ones((layer_sizes[0] + 1, n), dtype)]
        self.acts += [np.ones((K, size + 1, n), dtype) for size in layer_sizes[1:-1]]
        self.first = np.empty((K, layer_sizes[1], n), dtype)  # the first layer's product, contiguous
        # scratch[i] and dA[i]: shaped like hidden layer i's A.T, (K, units, n) (index 0, the data, is unused).
        self.scratch = [np.empty(0, dtype)] + [np.empty((K, size, n), dtype) for size in layer_sizes[1:-1]]
        self.dA = [np.empty(0, dtype)] + [np.empty((K, size, n), dtype) for size in layer_sizes[1:-1]]


def _loss_and_delta(output: str, Zt: np.ndarray, Yt: np.ndarray, want_delta: bool):
    """Per-network mean loss ``(K,)`` (float64) and dLoss/dZ.T ``(K, n_out, n)`` from logits ``Zt``
    ``(K, n_out, n)`` and shared targets ``Yt`` ``(n_out, n)``: the losses of ``outputs.py``, with the network
    axis kept. Overwrites ``Zt``. Cross-entropies below 0 (float32 rounding) read 0; NaN passes through."""
    n = Zt.shape[2]
    kind = Zt.dtype.type
    if n == 0:
        return np.full(Zt.shape[0], np.nan), (np.zeros_like(Zt) if want_delta else None)
    if output == "sigmoid":
        # softplus(z) - y z = max(z, 0) - y z + log 2 - log(1 + |t|), t = tanh(z/2); sigmoid(z) = (1 + t) / 2.
        # (log(1 + |t|) rather than log1p: 5x faster here, and off by an ulp of 1 at most, as |t| <= 1.)
        u = np.maximum(Zt, kind(0.0))
        u -= np.multiply(Yt, Zt)
        Zt *= kind(0.5)
        t = np.tanh(Zt, out=Zt)
        a = np.abs(t)
        a += kind(1.0)
        u -= np.log(a, out=a)
        # Sums as products with ones (a BLAS dot each), far quicker than reductions over small axes.
        losses = np.matmul(u.reshape(u.shape[0], n), np.ones(n, u.dtype)).astype(np.float64) / n + _LOG2
        delta = None
        if want_delta:
            t *= kind(0.5 / n)
            t -= Yt * kind(1.0 / n)
            t += kind(0.5 / n)
            delta = t
    elif output == "softmax":
        Zt -= Zt.max(axis=1, keepdims=True)
        e = np.exp(Zt)
        s = e.sum(axis=1, keepdims=True)
        per_sample = np.log(s[:, 0]).sum(axis=1, dtype=np.float64)
        losses = (per_sample - np.einsum("kcn,cn->k", Zt, Yt, dtype=np.float64)) / n
        delta = None
        if want_delta:
            e /= s
            e -= Yt
            e *= kind(1.0 / n)
            delta = e
    elif output == "linear":
        Zt -= Yt
        losses = 0.5 * np.einsum("kcn,kcn->k", Zt, Zt, dtype=np.float64) / n
        delta = None
        if want_delta:
            Zt *= kind(1.0 / n)
            delta = Zt
        return losses, delta
    else:
        raise ValueError(f"unknown output {output!r}")
    losses[losses < 0.0] = 0.0
    return losses, delta


# -- per-network optimizers and regularisation -------------------------------------------------------


def _column(values, k: int, dtype) -> np.ndarray:
    """K per-network numbers as a ``(K, 1, 1)`` array that broadcasts over a block."""
    return np.asarray(_per_network(values, k, "values"), dtype=dtype).reshape(k, 1, 1)


class StackedOptimizer:
    """``optimizers.py``'s SGD, momentum and Adam for a stack: per-network learning rates
    (``learning_rates``, ``(K,)``), the same update order and rounding as K separate optimizers.

    ``step(blocks, dblocks)`` updates the ``(K, ...)`` blocks in place; the gradients are only read."""

    def __init__(self, name: str, learning_rates, momentum: float = 0.9, beta1=0.9, beta2=0.999, eps=1e-8):
        if name not in ("sgd", "momentum", "adam"):
            raise ValueError(f"unknown optimizer {name!r}; choose one of sgd, momentum, adam")
        self.name = name
        self.learning_rates = np.asarray(learning_rates, dtype=np.float64).reshape(-1)
        self.beta = float(momentum)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.t = 0
        self.velocity: list[np.ndarray] | None = None
        self.m: list[np.ndarray] | None = None
        self.v: list[np.ndarray] | None = None
        self._lr_cache: tuple | None = None

    def _lr_column(self, K: int, dtype) -> np.ndarray:  # noqa: N803
        """The learning rates as ``(K, 1, 1)`` of the blocks' dtype (``lr * g`` with a Python float is computed
        in that dtype too), cached until the rates change."""
        key = (K, dtype, self.learning_rates.tobytes())
        if self._lr_cache is None or self._lr_cache[0] != key:
            self._lr_cache = (key, _column(self.learning_rates, K, dtype))
        return self._lr_cache[1]

    def step(self, blocks: Sequence[np.ndarray], dblocks: Sequence[np.ndarray]) -> None:
        K, dtype = blocks[0].shape[0], blocks[0].dtype
        if self.name == "sgd":
            sgd_update(blocks, dblocks, self._lr_column(K, dtype))
        elif self.name == "momentum":
            if self.velocity is None:
                self.velocity = [np.zeros_like(p) for p in blocks]
            momentum_update(blocks, dblocks, self.velocity, self._lr_column(K, dtype), self.beta)
        else:
            self._adam(blocks, dblocks)

    def _adam(self, blocks, dblocks) -> None:
        if self.m is None or self.v is None:
            self.m = [np.zeros_like(p) for p in blocks]
            self.v = [np.zeros_like(p) for p in blocks]
            self.t = 0
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        # Per network as ``Adam.step``: lr * sqrt(1 - b2^t) / (1 - b1^t), in float64 like its NumPy scalar.
        step_size = (self.learning_rates * np.sqrt(1.0 - b2**self.t) / (1.0 - b1**self.t)).reshape(-1, 1, 1)
        eps = self.eps * np.sqrt(1.0 - b2**self.t)
        adam_update(blocks, dblocks, self.m, self.v, step_size, eps, b1, b2)


def add_stacked_regularization(blocks, dblocks, l1, l2) -> None:
    """Per network ``k``: ``dW += l1[k] sign(W) + l2[k] W`` on the weight rows (never the biases), in place."""
    K, dtype = blocks[0].shape[0], blocks[0].dtype
    l1 = np.asarray(_per_network(l1, K, "l1"), dtype=np.float64)
    l2 = np.asarray(_per_network(l2, K, "l2"), dtype=np.float64)
    if not (l1.any() or l2.any()):
        return
    c1, c2 = _column(l1, K, dtype), _column(l2, K, dtype)
    for W, dW in zip(blocks, dblocks):
        if l2.any():
            dW[:, :-1] += c2 * W[:, :-1]
        if l1.any():
            dW[:, :-1] += c1 * np.sign(W[:, :-1])
