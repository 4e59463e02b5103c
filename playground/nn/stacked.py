"""K networks of one shape at once: the fused kernel's layout with a leading network axis.

At playground sizes a NumPy call costs microseconds of overhead, so K networks of the same shape, stacked
along a leading axis, share those calls: a learning-rate sweep trains stacked, in lock-step (8 networks of
2-8-8-1 on 500 points: about 2.2 times faster than one after another; ``benchmarks/bench_sweep.py``), and the
loss landscape evaluates a whole grid of weight vectors as one stack. The arithmetic is not shared: each
network's own e^x and products remain, and at a full batch of 500 they are most of the stacked time.

Layout (as ``fused.py``, plus the network axis ``k``):

- layer ``i``'s parameters: one block ``(K, fan_in + 1, fan_out)``, network ``k``'s ``[W; b]`` in
  ``blocks[i][k]``;
- the pass runs feature-major: hidden layer ``i``'s output is ``A.T``, ``(K, units, n)``, so ``Z.T = W.T @ A.T
  + b`` is one batched ``np.matmul`` per layer for all K networks, ``dW = A.T @ dZ`` another and ``db`` a
  product with ones. The first layer's input, the data, is shared: ``[X.T; 1]`` ``(fan_in + 1, n)``, and that
  layer is a single product for the whole stack, forward and backward;
- the gradients are written into arrays the network keeps (``loss_and_block_gradients``);
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
        return losses, [d[:, :-1].copy() for d in dblocks], [d[:, -1].copy() for d in dblocks]

    def loss_and_block_gradients(self, X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """Losses ``(K,)`` and ``[dW; db]`` per layer, ``(K, fan_in + 1, fan_out)``, matching ``blocks()``.
        ``X`` ``(n, n_inputs)`` of ``dtype``, ``Y`` from ``encode_targets``. The gradients live in the
        network's workspace: the next pass overwrites them (an optimizer step reads them before that)."""
        blocks, act = self._blocks, self.activation
        n, K, last = X.shape[0], self.K, len(blocks) - 1
        ws = self._workspace
        if ws is None or ws.n != n or ws.K != K:
            ws = self._workspace = _Workspace(self.layer_sizes, K, n, self.dtype)
        H, dH, scratch, grads = ws.H, ws.dH, ws.scratch, ws.grads
        X1 = ws.X1
        X1[:-1] = X.T
        # The sigmoid's forward pass computes 1 / (1 + e^-z) on -z, which comes out of the products directly
        # when they use -W and -b: one pass over the layer fewer (see ``_sigmoid_of_negated``).
        sigmoid = self.activation_name == "sigmoid"
        # Forward; H[i] is hidden layer i's output A.T, (K, units, n) (H[0] unused: the input is X1, shared).
        for i in range(last):
            block, out = blocks[i], H[i + 1]
            fan_out = block.shape[2]
            if i == 0:  # the data is shared: one product for the stack, (K * fan_out, fan_in + 1) @ [X.T; 1]
                stacked = block.transpose(1, 0, 2)  # (fan_in + 1, K, fan_out), copied contiguous (it is small)
                first = np.negative(stacked, order="C") if sigmoid else np.ascontiguousarray(stacked)
                np.dot(first.reshape(block.shape[1], K * fan_out).T, X1, out=out.reshape(K * fan_out, n))
            else:
                W, b = block[:, :-1], block[:, -1, :, None]
                if sigmoid:
                    np.matmul(np.negative(W).transpose(0, 2, 1), H[i], out=out)
                    out -= b
                else:
                    np.matmul(W.transpose(0, 2, 1), H[i], out=out)
                    out += b
            if sigmoid:
                _sigmoid_of_negated(out)
            else:
                act.forward(out)
        block = blocks[last]
        if last == 0:  # no hidden layer: the output layer reads the data
            Zt = np.matmul(block.transpose(0, 2, 1), X1)
        else:
            Zt = np.matmul(block[:, :-1].transpose(0, 2, 1), H[last])
            Zt += block[:, -1, :, None]
        losses, dZt = _loss_and_delta(self.output_name, Zt, Y.T, want_delta=True, ones=ws.ones)
        # Backward: dW = A_prev.T @ dZ, db = dZ summed over the samples (a product with ones), and
        # dZ_prev.T = (W @ dZ.T) * f'(A_prev.T), per network.
        ones = ws.ones
        for i in range(last, 0, -1):
            block, grad = blocks[i], grads[i]
            np.matmul(H[i], dZt.transpose(0, 2, 1), out=grad[:, :-1])
            np.matmul(dZt, ones, out=grad[:, -1])
            W = block[:, :-1]
            if block.shape[2] == 1:  # one output unit: W @ dZ.T is an outer product, faster by broadcasting
                np.multiply(W, dZt, out=dH[i])
            else:
                np.matmul(W, dZt, out=dH[i])
            dZt = act.backward(dH[i], H[i], scratch[i])
        # The first layer: again one product for the stack, [X.T; 1] @ dZ of every network side by side.
        fan_out = blocks[0].shape[2]
        flat = np.dot(X1, dZt.reshape(K * fan_out, n).T)
        grads[0][...] = flat.reshape(-1, K, fan_out).transpose(1, 0, 2)
        return losses, list(grads)


def _sigmoid_of_negated(U: np.ndarray) -> np.ndarray:
    """sigma(z) = 1 / (1 + e^u) from ``U`` = -z, in place (returned). e^u overflows to inf for u > 88
    (float32), and 1 / inf = 0 is the right limit."""
    with np.errstate(over="ignore"):
        np.exp(U, out=U)
    U += U.dtype.type(1.0)
    np.reciprocal(U, out=U)
    return U


def _sigmoid_from_exp(Z: np.ndarray) -> np.ndarray:
    """sigma(z) = 1 / (1 + e^-z), in place on ``Z`` (returned)."""
    np.negative(Z, out=Z)
    return _sigmoid_of_negated(Z)


class _Workspace:
    """The arrays one training pass writes into, reused while K and the batch size ``n`` stay the same: at
    these sizes a fresh 100 kB temporary costs more than the arithmetic done in it."""

    __slots__ = ("K", "n", "X1", "H", "dH", "scratch", "ones", "grads")

    def __init__(self, layer_sizes: Sequence[int], K: int, n: int, dtype: np.dtype):  # noqa: N803
        self.K, self.n = K, n
        self.X1 = np.ones((layer_sizes[0] + 1, n), dtype)  # [X.T; 1], shared by the stack
        # H[i], dH[i], scratch[i]: hidden layer i's A.T and its gradient, (K, units, n); index 0 unused.
        hidden = layer_sizes[1:-1]
        self.H = [np.empty(0, dtype)] + [np.empty((K, size, n), dtype) for size in hidden]
        self.dH = [np.empty(0, dtype)] + [np.empty((K, size, n), dtype) for size in hidden]
        self.scratch = [np.empty(0, dtype)] + [np.empty((K, size, n), dtype) for size in hidden]
        self.ones = np.ones(n, dtype)
        self.grads = [
            np.empty((K, fan_in + 1, fan_out), dtype) for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:])
        ]


def _loss_and_delta(output: str, Zt: np.ndarray, Yt: np.ndarray, want_delta: bool, ones: np.ndarray | None = None):
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
        # Sums as products with ones (a BLAS dot each), far quicker than reductions over small axes.
        K = Zt.shape[0]
        if ones is None or ones.shape != (n,) or ones.dtype != Zt.dtype:
            ones = np.ones(n, Zt.dtype)
        u = np.maximum(Zt, kind(0.0))
        a = np.multiply(Yt, Zt)
        u -= a
        Zt *= kind(0.5)
        t = np.tanh(Zt, out=Zt)
        np.abs(t, out=a)
        a += kind(1.0)
        u -= np.log(a, out=a)
        losses = np.matmul(u.reshape(K, n), ones).astype(np.float64) / n + _LOG2
        delta = None
        if want_delta:  # (sigmoid(z) - y) / n = t / (2n) + (1/2 - y) / n
            t *= kind(0.5 / n)
            t += (kind(0.5) - Yt) * kind(1.0 / n)
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
    np.maximum(losses, 0.0, out=losses)  # NaN stays NaN
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
