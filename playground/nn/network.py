"""The reference network: a fully connected feed-forward network in NumPy, written to be read.

This is the definition of what the playground computes. ``fused.py`` holds a faster kernel for training,
and the tests check it against this file.

Conventions (see DESIGN.md): batch-first, row-major. ``X`` is ``(n, layer_sizes[0])``, one sample per row.
Layer ``i`` (0-based, ``L = n_layers`` of them) computes

    Z = A_i @ weights[i] + biases[i]        A_i: (n, fan_in)   weights[i]: (fan_in, fan_out)
    A_{i+1} = f(Z)                          biases[i]: (fan_out,), added to every row

with ``A_0 = X``, ``f`` the hidden activation, and the output's activation (sigmoid, softmax or none)
for the last layer.

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


class Network:
    """``Network([2, 8, 8, 1], activation="sigmoid", output="sigmoid", init="xavier", seed=0)``.

    ``weights[i]`` (``(layer_sizes[i], layer_sizes[i+1])``) and ``biases[i]`` (``(layer_sizes[i+1],)``)
    are the parameters themselves, in plain lists: changing them in place changes the network. ``dtype``
    (float64 by default, for gradient checks) may be ``np.float32`` for speed.
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
        self.head = get_output(output)  # the output activation paired with its loss
        self.head.check_units(sizes[-1])
        init_fn = get_initialiser(init)
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        self.weights: list[np.ndarray] = [
            init_fn(fan_in, fan_out, rng).astype(self.dtype) for fan_in, fan_out in zip(sizes[:-1], sizes[1:])
        ]
        self.biases: list[np.ndarray] = [np.zeros(fan_out, dtype=self.dtype) for fan_out in sizes[1:]]

    # -- description -----------------------------------------------------------------------------

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + 1)."""
        return len(self.weights)

    def parameters(self) -> list[np.ndarray]:
        """Weights then biases, in one list (the order optimizers and gradients use)."""
        return [*self.weights, *self.biases]

    def encode_targets(self, y) -> np.ndarray:
        """User-facing targets ``y`` (labels, or values) as an array shaped like the output, ``(n, n_out)``."""
        return self.head.encode(y, self.layer_sizes[-1], self.dtype)

    def _as_input(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=self.dtype)
        if X.ndim != 2 or X.shape[1] != self.layer_sizes[0]:
            raise ValueError(f"X must have shape (n, {self.layer_sizes[0]}), got {X.shape}")
        return X

    # -- forward ---------------------------------------------------------------------------------

    def _hidden_activations(self, X) -> list[np.ndarray]:
        """``[A_0 = X, A_1, ..., A_{L-1}]``: the input and every hidden layer's activation, ``(n, size)``."""
        activations = [self._as_input(X)]
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            Z = activations[-1] @ W
            Z += b  # in place: for a 200x200 grid, a second (n, fan_out) array costs as much as the sum
            activations.append(self.activation.forward(Z))
        return activations

    def _output_logits(self, A_prev: np.ndarray) -> np.ndarray:
        """``Z_L = A_{L-1} @ weights[-1] + biases[-1]``, ``(n, n_out)``."""
        Z = A_prev @ self.weights[-1]
        Z += self.biases[-1]
        return Z

    def logits(self, X) -> np.ndarray:
        """``Z`` of the last layer, before the output activation: ``(n, n_out)``."""
        return self._output_logits(self._hidden_activations(X)[-1])

    def forward_layers(self, X) -> list[np.ndarray]:
        """Activations of every layer, ``[A_0 = X, A_1, ..., A_L]``, ``A_i`` of shape ``(n, layer_sizes[i])``;
        ``A_L`` is the output (probabilities, or values for a linear output)."""
        activations = self._hidden_activations(X)
        activations.append(self.head.activate(self._output_logits(activations[-1])))
        return activations

    def forward(self, X) -> np.ndarray:
        """``(n, n_inputs) -> (n, n_out)``: sigmoid or softmax probabilities, or linear values."""
        return self.forward_layers(X)[-1]

    def predict(self, X) -> np.ndarray:
        """Class index per row, ``(n,)`` int64 (for a linear output: the values, see ``Output.predict``)."""
        return self.head.predict(self.logits(X))

    def loss(self, X, y) -> float:
        """Mean data loss over the rows of ``X`` (no regularisation)."""
        return self.head.loss(self.logits(X), self.encode_targets(y))

    # -- backward --------------------------------------------------------------------------------

    def loss_and_gradients(self, X, y) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
        """Mean data loss over the n rows of ``X`` and its gradients, without changing the network.

        Returns ``(loss, dweights, dbiases)`` with ``dweights[i].shape == weights[i].shape`` and
        ``dbiases[i].shape == biases[i].shape``. No regularisation term is included.

        Backpropagation (Nielsen's ``backprop``, one row per sample): ``dZ`` is dLoss/dZ of a layer,
        ``(n, fan_out)``. For the last layer it is ``(A_L - Y) / n`` (see outputs.py); then, going back,
        ``dW = A_prev.T @ dZ`` sums each sample's outer product, ``db`` sums ``dZ`` over the samples, and
        ``dZ @ W.T`` carries the error to the layer below, where ``f'`` of that layer's activation scales it.
        """
        Y = self.encode_targets(y)
        activations = self._hidden_activations(X)  # A_0 .. A_{L-1}: backward needs them, and only them
        Z = self._output_logits(activations[-1])
        loss = self.head.loss(Z, Y)  # from the logits, so a saturated output still gives a finite loss
        dZ = self.head.delta(self.head.activate(Z), Y)  # dLoss/dZ_L = (A_L - Y) / n
        dweights: list[np.ndarray] = []
        dbiases: list[np.ndarray] = []
        for i in reversed(range(self.n_layers)):
            A_prev = activations[i]  # the input of layer i
            dweights.insert(0, A_prev.T @ dZ)  # (fan_in, fan_out)
            dbiases.insert(0, dZ.sum(axis=0))  # (fan_out,)
            if i > 0:
                dZ = self.activation.backward(dZ @ self.weights[i].T, A_prev)  # (dZ W^T) * f'(A_prev)
        return loss, dweights, dbiases
