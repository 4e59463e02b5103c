"""The fused training kernel: the network of ``network.py``, laid out for speed.

``network.py`` is the definition: read it to learn what is computed. This file computes the same loss and
gradients faster, and ``tests/nn/test_fused.py`` checks that it does (same seed: same outputs, loss,
gradients, and the same weights after training steps). The trainer uses it.

At playground sizes (hundreds of rows, a few dozen units) the time goes into the fixed cost of each NumPy
call rather than into arithmetic, so the kernel makes fewer calls. What it sacrifices for that:

- **The layout of the definition.** Each layer's parameters live in one block ``[W; b]`` of shape
  ``(fan_in + 1, fan_out)``, and the pass runs feature-major, one *column* per sample, on layer inputs
  ``[A.T; 1]`` that carry a row of ones. Then ``Z.T = block.T @ [A.T; 1]`` adds the bias inside the
  product, and ``[A.T; 1] @ dZ`` yields ``dW`` and ``db`` in one product: two fewer calls per layer,
  and no column sums (slow in NumPy for narrow row-major arrays).
- **Allocation-free, hence not re-entrant.** The layer inputs and scratch arrays are allocated once per
  batch size and reused; one network must not run two passes at once from two threads (the trainer owns
  its network).
- **Rebinding parameters.** ``weights[i]`` and ``biases[i]`` are views of the blocks, so mutating them in
  place changes the network, as DESIGN promises. They are handed out as tuples from read-only
  properties: ``net.weights[0] = W`` raises ``TypeError`` instead of silently detaching an array that the
  kernel would never read.
- **One loss written twice.** The seed's setting, a sigmoid unit with binary cross-entropy, has its own
  loss-and-delta (``_sigmoid_bce_loss_and_delta``) that shares ``tanh(z/2)`` between the two. The other
  outputs use their own ``loss``/``activate``/``delta`` from ``outputs.py`` on transposed views.

Everything except the training pass (``forward``, ``forward_layers``, ``logits``, ``loss``, ``predict``)
is the reference network's own code, run on views of the blocks: one forward pass, in one place.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .network import Network

_LOG2 = float(np.log(2.0))


class _SigmoidBCEWorkspace:
    """Buffers and constants of ``_sigmoid_bce_loss_and_delta`` for batches of ``n`` samples.

    At n = 500 an allocation, or converting a Python float to the array's dtype, costs as much as the
    arithmetic, so every step writes into these buffers with these constants."""

    __slots__ = ("u", "scratch", "ones", "zero", "half", "half_over_n", "one_over_n")

    def __init__(self, n: int, dtype: np.dtype):
        kind = dtype.type
        self.u = np.empty((1, n), dtype)  # the per-sample loss
        self.scratch = np.empty((1, n), dtype)
        self.ones = np.ones(n, dtype)  # sum(u) as a BLAS dot with ones
        self.zero, self.half = kind(0.0), kind(0.5)
        self.half_over_n, self.one_over_n = kind(0.5 / n), kind(1.0 / n)


def _sigmoid_bce_loss_and_delta(Zt: np.ndarray, Yt: np.ndarray, ws: _SigmoidBCEWorkspace) -> tuple[float, np.ndarray]:
    """Binary cross-entropy of one sigmoid unit and dLoss/dZ, feature-major: ``Zt``, ``Yt`` are ``(1, n)``.

    The loss and gradient of ``SigmoidBCE.loss`` and ``delta(activate(Z), Y)`` with fewer passes over the
    data, sharing ``t = tanh(z/2)`` (``sigmoid(z) = (1 + t) / 2``):

        softplus(z) - y z = max(z, 0) - y z + log 2 - log1p(|t|)      (|t| <= 1: stable)
        (sigmoid(z) - y) / n = (t / 2 + 1/2 - y) / n

    Overwrites ``Zt``, which becomes the returned ``dZ.T``.
    """
    u, scratch = ws.u, ws.scratch
    np.maximum(Zt, ws.zero, out=u)
    np.multiply(Yt, Zt, out=scratch)
    u -= scratch
    Zt *= ws.half
    t = np.tanh(Zt, out=Zt)
    np.abs(t, out=scratch)
    np.log1p(scratch, out=scratch)
    u -= scratch
    loss = float(np.dot(u[0], ws.ones)) / Zt.shape[1] + _LOG2
    if loss < 0.0:  # as outputs.not_negative: float32 rounding of a near-zero loss
        loss = 0.0
    t *= ws.half_over_n
    np.multiply(Yt, ws.one_over_n, out=scratch)
    t -= scratch
    t += ws.half_over_n
    return loss, t


class _Workspace:
    """The arrays one pass over a batch of ``n`` samples writes into, reused while ``n`` stays the same."""

    __slots__ = ("n", "inputs", "scratch", "bce")

    def __init__(self, layer_sizes: Sequence[int], n: int, dtype: np.dtype, output_name: str):
        self.n = n
        # inputs[i] is layer i's input [A_i.T; 1], (layer_sizes[i] + 1, n); its last row stays 1.
        self.inputs = []
        for size in layer_sizes[:-1]:
            buf = np.empty((size + 1, n), dtype=dtype)
            buf[-1] = 1.0
            self.inputs.append(buf)
        # scratch[i] is shaped like A_i.T, for the activation's slope (index 0, the input, is never used).
        self.scratch = [np.empty((size, n), dtype=dtype) for size in layer_sizes[:-1]]
        self.bce = _SigmoidBCEWorkspace(n, dtype) if output_name == "sigmoid" else None


class FusedNetwork:
    """``FusedNetwork([2, 8, 8, 1], activation="sigmoid", output="sigmoid", init="xavier", seed=0)``.

    The same constructor as ``Network``, and the same initial parameters for the same seed (bit for bit).
    ``weights`` and ``biases`` are tuples of views into the ``[W; b]`` blocks: in-place changes count,
    rebinding is refused (see the module docstring).
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
        # The definition checks the arguments and draws the initial parameters; they then move into blocks,
        # and the reference network keeps views of them, so its forward pass runs on the same numbers.
        reference = Network(layer_sizes, activation, output, init, seed, dtype)
        self._blocks = tuple(np.vstack((W, b)) for W, b in zip(reference.weights, reference.biases))
        reference.weights[:] = [block[:-1] for block in self._blocks]
        reference.biases[:] = [block[-1] for block in self._blocks]
        self._reference = reference
        self._weights = tuple(reference.weights)
        self._biases = tuple(reference.biases)
        self.layer_sizes = reference.layer_sizes
        self.dtype = reference.dtype
        self.activation_name = reference.activation_name
        self.output_name = reference.output_name
        self.init_name = reference.init_name
        self.activation = reference.activation
        self.head = reference.head
        self._workspace: _Workspace | None = None

    # -- parameters ------------------------------------------------------------------------------

    @property
    def weights(self) -> tuple[np.ndarray, ...]:
        """``weights[i]``, ``(layer_sizes[i], layer_sizes[i+1])``: a view of block ``i``'s first rows."""
        return self._weights

    @property
    def biases(self) -> tuple[np.ndarray, ...]:
        """``biases[i]``, ``(layer_sizes[i+1],)``: a view of block ``i``'s last row."""
        return self._biases

    def blocks(self) -> tuple[np.ndarray, ...]:
        """The parameters as one ``[W; b]`` array per layer, ``(fan_in + 1, fan_out)``, shared with
        ``weights[i]`` and ``biases[i]``: an optimizer updates a layer in one operation, not two."""
        return self._blocks

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + 1)."""
        return len(self._blocks)

    def parameters(self) -> list[np.ndarray]:
        """Weights then biases, in one list (the order optimizers and gradients use)."""
        return [*self._weights, *self._biases]

    def encode_targets(self, y) -> np.ndarray:
        """User-facing targets ``y`` as an array shaped like the output, ``(n, n_out)``."""
        return self._reference.encode_targets(y)

    # -- forward: the reference network's code, on the same parameters ----------------------------

    def forward_layers(self, X) -> list[np.ndarray]:
        """``[A_0 = X, A_1, ..., A_L]``, row-major; see ``Network.forward_layers``."""
        return self._reference.forward_layers(X)

    def forward(self, X) -> np.ndarray:
        """``(n, n_inputs) -> (n, n_out)``; see ``Network.forward``."""
        return self._reference.forward(X)

    def logits(self, X) -> np.ndarray:
        """``Z`` of the last layer, ``(n, n_out)``; see ``Network.logits``."""
        return self._reference.logits(X)

    def predict(self, X) -> np.ndarray:
        return self._reference.predict(X)

    def loss(self, X, y) -> float:
        return self._reference.loss(X, y)

    # -- training pass ---------------------------------------------------------------------------

    def loss_and_gradients(self, X, y) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
        """As ``Network.loss_and_gradients``: ``(loss, dweights, dbiases)``, row-major shapes."""
        X = self._reference._as_input(X)
        loss, dblocks = self.loss_and_block_gradients(X, self.encode_targets(y))
        return loss, [d[:-1] for d in dblocks], [d[-1] for d in dblocks]

    def loss_and_block_gradients(self, X: np.ndarray, Y: np.ndarray) -> tuple[float, list[np.ndarray]]:
        """Loss and ``[dW; db]`` per layer, matching ``blocks()``. ``X`` is ``(n, n_inputs)`` of ``dtype``,
        ``Y`` comes from ``encode_targets``; the training loop prepares both once, so nothing is converted
        per step. The returned arrays are new: the caller may keep or modify them."""
        blocks, act = self._blocks, self.activation
        ws = self._workspace
        if ws is None or ws.n != X.shape[0]:
            ws = self._workspace = _Workspace(self.layer_sizes, X.shape[0], self.dtype, self.output_name)
        inputs, scratch = ws.inputs, ws.scratch
        last = len(blocks) - 1
        # Forward, keeping every layer's input [A_i.T; 1]: backward needs them, and only them. Each layer
        # writes its activation straight into the next layer's input buffer.
        # np.dot rather than @: the same BLAS call with less dispatch overhead for 2-D arrays.
        inputs[0][:-1] = X.T
        for i in range(last):
            out = inputs[i + 1][:-1]
            np.dot(blocks[i].T, inputs[i], out=out)
            act.forward(out)
        Zt = np.dot(blocks[last].T, inputs[last])
        if ws.bce is not None:
            loss, dZt = _sigmoid_bce_loss_and_delta(Zt, Y.T, ws.bce)
        else:  # the definition's own loss and delta, on row-major views
            Z = Zt.T
            loss = self.head.loss(Z, Y)
            dZt = self.head.delta(self.head.activate(Z), Y).T
        # Backward: [dW; db] = [A_prev.T; 1] @ dZ; dZ_prev.T = (W @ dZ.T) * f'(A_prev.T).
        dblocks: list = [None] * (last + 1)
        for i in range(last, -1, -1):
            dblocks[i] = np.dot(inputs[i], dZt.T)
            if i:
                W = blocks[i][:-1]
                # One output unit makes W @ dZ.T an outer product, which broadcasting computes faster.
                dA_t = W * dZt if W.shape[1] == 1 else np.dot(W, dZt)
                dZt = act.backward(dA_t, inputs[i][:-1], scratch[i])
        return loss, dblocks
