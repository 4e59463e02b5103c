"""A fully connected feed-forward network in NumPy: forward pass, loss and backpropagation.

Conventions (see DESIGN.md): batch-first, row-major. ``X`` is ``(n, fan_in)``, layer ``i`` computes
``Z = A_prev @ W[i] + b[i]`` with ``W[i]`` of shape ``(fan_in, fan_out)`` and ``b[i]`` of ``(fan_out,)``.

Backpropagation computes *every* gradient from the weights used in the forward pass, and only returns
them; updating is the optimizer's job, afterwards. (The seed article updated ``W[l]`` and then
propagated the error through the already-updated ``W[l]``, which is not the gradient of anything.)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .activations import get_activation
from .init import get_initialiser
from .outputs import get_output

MAX_LAYERS = 64


class _Parameters(list):
    """A list of parameter arrays that tells its network when an entry is rebound (``net.weights[i] = W``),
    so the fast path need not re-check every array on every call."""

    __slots__ = ("_on_change",)

    def __init__(self, items, on_change):
        super().__init__(items)
        self._on_change = on_change

    def __setitem__(self, index, value):
        super().__setitem__(index, value)
        self._on_change()


class Network:
    """``Network([2, 8, 8, 1], activation="sigmoid", output="sigmoid", init="xavier", seed=0)``.

    ``weights[i]`` and ``biases[i]`` are the parameters themselves: changing them in place changes the
    network. ``dtype`` (float64 by default, for gradient checks) may be ``np.float32`` for speed.
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activation: str = "sigmoid",
        output: str = "sigmoid",
        init: str = "xavier",
        seed: int | np.random.Generator | None = 0,
        dtype=np.float64,
    ):
        sizes = [int(s) for s in layer_sizes]
        if len(sizes) < 2:
            raise ValueError("a network needs at least an input and an output layer")
        if len(sizes) > MAX_LAYERS or any(s < 1 for s in sizes):
            raise ValueError(f"layer sizes must be positive integers, got {list(layer_sizes)}")
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, not {self.dtype}")
        self.layer_sizes = sizes
        self.activation_name = activation
        self.output_name = output
        self.init_name = init
        self.activation = get_activation(activation, self.dtype)
        self.head = get_output(output)
        self.head.check_units(sizes[-1])
        init_fn = get_initialiser(init)
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        self.weights = [
            init_fn(fan_in, fan_out, rng).astype(self.dtype) for fan_in, fan_out in zip(sizes[:-1], sizes[1:])
        ]
        self.biases = [np.zeros(fan_out, dtype=self.dtype) for fan_out in sizes[1:]]
        self._blocks: list[np.ndarray] = []
        self._workspace: tuple[int, list[np.ndarray]] | None = None
        self._sync_blocks()

    @property
    def weights(self) -> list[np.ndarray]:
        return self._weights

    @weights.setter
    def weights(self, arrays) -> None:
        self._weights = _Parameters(arrays, self._mark_stale)
        self._stale = True

    @property
    def biases(self) -> list[np.ndarray]:
        return self._biases

    @biases.setter
    def biases(self, arrays) -> None:
        self._biases = _Parameters(arrays, self._mark_stale)
        self._stale = True

    def _mark_stale(self) -> None:
        self._stale = True

    def _sync_blocks(self) -> list[np.ndarray]:
        """Keep each layer's ``W`` and ``b`` as views into one ``(fan_in + 1, fan_out)`` block ``[W; b]``.

        With a row of ones under every layer's input, ``Z.T = block.T @ [A_prev.T; 1]`` adds the bias
        inside the matrix product, and ``[A_prev.T; 1] @ dZ.T`` yields ``dW`` and ``db`` in one product:
        two fewer NumPy calls per layer, which at playground sizes is most of the cost. If a caller has
        rebound ``weights[i]`` or ``biases[i]`` to a new array, the block is rebuilt from it.
        """
        if not self._stale:
            return self._blocks
        self._stale = False
        blocks = self._blocks
        if len(blocks) != len(self.weights):
            blocks = self._blocks = [None] * len(self.weights)
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            blk = blocks[i]
            if blk is not None and W.base is blk and b.base is blk:
                continue
            blk = np.empty((W.shape[0] + 1, W.shape[1]), dtype=self.dtype)
            blk[:-1] = W
            blk[-1] = b
            blocks[i] = blk
            list.__setitem__(self._weights, i, blk[:-1])
            list.__setitem__(self._biases, i, blk[-1])
        return blocks

    def _buffers(self, n: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Per-layer input buffers ``[A_i.T; 1]`` of shape ``(size_i + 1, n)`` and scratch buffers of
        ``(size_i, n)`` (for the activation's slope), reused across calls with the same ``n``."""
        if self._workspace is None or self._workspace[0] != n:
            bufs = []
            for size in self.layer_sizes[:-1]:
                buf = np.empty((size + 1, n), dtype=self.dtype)
                buf[-1] = 1.0
                bufs.append(buf)
            scratch = [np.empty((size, n), dtype=self.dtype) for size in self.layer_sizes[:-1]]
            self._workspace = (n, (bufs, scratch))
        return self._workspace[1]

    # -- description -----------------------------------------------------------------------------

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + 1)."""
        return len(self.weights)

    def parameters(self) -> list[np.ndarray]:
        """Weights then biases, in one list (the order optimizers and gradients use)."""
        return [*self.weights, *self.biases]

    def copy(self) -> Network:
        clone = object.__new__(Network)
        clone.__dict__.update(self.__dict__)
        clone._blocks = []
        clone.weights = [W.copy() for W in self.weights]
        clone.biases = [b.copy() for b in self.biases]
        clone._workspace = None
        clone._sync_blocks()
        return clone

    def encode_targets(self, y) -> np.ndarray:
        return self.head.encode(y, self.layer_sizes[-1], self.dtype)

    def _as_input(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=self.dtype)
        if X.ndim != 2 or X.shape[1] != self.layer_sizes[0]:
            raise ValueError(f"X must have shape (n, {self.layer_sizes[0]}), got {X.shape}")
        return X

    # -- forward ---------------------------------------------------------------------------------

    def forward_layers(self, X) -> list[np.ndarray]:
        """Activations of every layer: ``[X, A_1, ..., A_L]``, ``A_i`` of shape ``(n, layer_sizes[i])``."""
        A = self._as_input(X)
        activations = [A]
        last = self.n_layers - 1
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            Z = A @ W
            Z += b
            A = self.head.activate(Z) if i == last else self.activation.forward(Z)
            activations.append(A)
        return activations

    def forward(self, X) -> np.ndarray:
        """``(n, 2) -> (n, n_out)``: sigmoid or softmax probabilities, or linear values."""
        return self.forward_layers(X)[-1]

    def predict(self, X) -> np.ndarray:
        """Class index per row for classifiers, ``(n,)`` int64."""
        A = self.forward(X)
        if A.shape[1] == 1:
            return (A[:, 0] >= 0.5).astype(np.int64)
        return A.argmax(axis=1)

    def loss(self, X, y) -> float:
        """Mean data loss over the rows of ``X`` (no regularisation)."""
        Z = self._logits(self._as_input(X))
        return self.head.loss(Z, self.encode_targets(y))

    def _logits(self, X: np.ndarray) -> np.ndarray:
        A = X
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            Z = A @ W
            Z += b
            A = self.activation.forward(Z)
        Z = A @ self.weights[-1]
        Z += self.biases[-1]
        return Z

    # -- backward --------------------------------------------------------------------------------

    def loss_and_gradients(self, X, y):
        """Mean data loss over the n rows and its gradients, without changing the network.

        Returns ``(loss, dweights, dbiases)`` with ``dweights[i].shape == weights[i].shape`` and
        ``dbiases[i].shape == biases[i].shape``. No regularisation term is included.
        """
        loss, dblocks = self.loss_and_block_gradients(self._as_input(X), self.encode_targets(y))
        return loss, [d[:-1] for d in dblocks], [d[-1] for d in dblocks]

    def loss_and_gradients_encoded(self, X: np.ndarray, Y: np.ndarray):
        """As ``loss_and_gradients`` for inputs already of ``dtype`` and targets from ``encode_targets``."""
        loss, dblocks = self.loss_and_block_gradients(X, Y)
        return loss, [d[:-1] for d in dblocks], [d[-1] for d in dblocks]

    def blocks(self) -> list[np.ndarray]:
        """The parameters as one ``[W; b]`` array per layer, shape ``(fan_in + 1, fan_out)``: views that
        ``weights[i]`` and ``biases[i]`` share, so updating a block updates both (one operation, not two)."""
        return self._sync_blocks()

    def loss_and_block_gradients(self, X: np.ndarray, Y: np.ndarray):
        """Loss and ``[dW; db]`` per layer, matching ``blocks()``. ``X`` of ``dtype``, ``Y`` encoded.

        The training loop calls this with arrays prepared once, so no conversion runs per step.

        Internally the pass runs feature-major, one column per sample, on ``[A.T; 1]`` buffers (see
        ``_sync_blocks``): at these sizes the time goes into per-call overhead rather than arithmetic,
        and contiguous rows make NumPy's element-wise kernels fastest. Not safe to call on one network
        from two threads at once (the buffers are shared); the trainer owns its network.
        """
        blocks = self._sync_blocks() if self._stale else self._blocks
        act, head = self.activation, self.head
        ws = self._workspace
        bufs, scratch = ws[1] if ws is not None and ws[0] == X.shape[0] else self._buffers(X.shape[0])
        last = len(blocks) - 1
        # Forward, keeping every layer's activation: backward needs them (and only them).
        bufs[0][:-1] = X.T
        # np.dot rather than matmul/@: the same BLAS call with less dispatch overhead for 2-D arrays.
        dot, forward = np.dot, act.forward
        for i in range(last):
            out = bufs[i + 1][:-1]
            dot(blocks[i].T, bufs[i], out=out)
            forward(out)
        Zt = dot(blocks[last].T, bufs[last])
        loss, dZt = head.loss_and_delta_t(Zt, Y.T)  # dLoss/dZ = (A - Y) / n for every output
        # Backward: [dW; db] = [A_prev^T; 1] dZ, dA_prev = dZ W^T, dZ_prev = dA_prev * f'(A_prev).
        dblocks: list = [None] * (last + 1)
        for i in range(last, -1, -1):
            dblocks[i] = dot(bufs[i], dZt.T)
            if i:
                W = blocks[i][:-1]
                dA_t = W * dZt if W.shape[1] == 1 else dot(W, dZt)  # an outer product is faster broadcast
                dZt = act.backward(dA_t, bufs[i][:-1], scratch[i])
        return loss, dblocks
