"""One training step on one sample, with every intermediate number kept: what the "Step through" panel shows.

``trace_step(net, x, y)`` is backpropagation written out for a single sample, vector by vector, so each
number a person sees can be named. With ``L`` weight layers, ``a0 = x`` and, for layer ``l = 1 .. L``,

    forward     z_l = a_{l-1} @ W_l + b_l          (z_l[j] = sum_i a_{l-1}[i] * W_l[i, j] + b_l[j])
                a_l = f(z_l)                       (the hidden activation; the output's own for l = L)
    loss        L = loss(z_L, y)                   (binary / categorical cross-entropy, or 1/2 squared error)
    backward    delta_L = a_L - y                  (dL/dz_L for every output and loss pair, see outputs.py)
                delta_l = (W_{l+1} @ delta_{l+1}) * f'(z_l)        for l = L-1 .. 1
    gradients   dL/dW_l = outer(a_{l-1}, delta_l)  (dL/dW_l[i, j] = a_{l-1}[i] * delta_l[j])
                dL/db_l = delta_l

``W_l`` here is ``net.weights[l - 1]`` (row-major, ``(fan_in, fan_out)``), and ``y`` is the target encoded
like the output (a 0/1 for a sigmoid unit, one-hot for softmax, the values for a linear output). One SGD step
on this sample alone would be ``W_l -= learning_rate * dL/dW_l`` and ``b_l -= learning_rate * dL/db_l``.

The numbers are those of ``net.loss_and_gradients(x[None], [y])``; the tests check it. The function reads
only ``weights``, ``biases``, ``activation`` and ``head``, so it traces a ``Network`` and a ``FusedNetwork``
alike, and it never changes the network.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class StepTrace:
    """Every number of one forward and backward pass on one sample.

    ``activations``: ``[a0 = the input, a1, ..., aL]``, each ``(units,)``; ``aL`` is the output.
    ``preactivations``: ``[z1, ..., zL]``. ``deltas``: ``[dL/dz1, ..., dL/dzL]``. ``slopes``:
    ``[f'(z1), ..., f'(z_{L-1})]``, the hidden activation's slope that scales each backward step.
    ``dweights[i]`` and ``dbiases[i]`` are shaped like ``weights[i]`` and ``biases[i]``. ``target`` is
    ``y`` encoded like the output, ``(n_out,)``; ``loss`` is this sample's loss.
    """

    activations: list[np.ndarray]
    preactivations: list[np.ndarray]
    deltas: list[np.ndarray]
    slopes: list[np.ndarray]
    dweights: list[np.ndarray]
    dbiases: list[np.ndarray]
    target: np.ndarray
    loss: float

    @property
    def output(self) -> np.ndarray:
        """``aL``: the probabilities (sigmoid, softmax) or values (linear) the network gives this sample."""
        return self.activations[-1]


def trace_step(net, x, y) -> StepTrace:
    """Trace one sample through ``net`` (a ``Network`` or ``FusedNetwork``): see the module docstring.

    ``x`` has shape ``(n_inputs,)``; ``y`` is a class label (sigmoid or softmax output) or a value, or a
    vector of ``n_out`` values (linear output). Returns a ``StepTrace``; the network is not changed.
    """
    dtype = net.weights[0].dtype
    a = np.array(x, dtype=dtype).reshape(-1)
    if a.shape[0] != net.weights[0].shape[0]:
        raise ValueError(f"x must have shape ({net.weights[0].shape[0]},), got {np.shape(x)}")
    # The target as a row shaped like the output: (1, n_out); a one-sample batch for the head's formulas.
    Y = net.head.encode(np.asarray(y)[None], net.weights[-1].shape[1], dtype)
    last = len(net.weights) - 1

    # Forward: z_l = a_{l-1} @ W_l + b_l, a_l = f(z_l).
    activations = [a]
    preactivations = []
    for i, (W, b) in enumerate(zip(net.weights, net.biases)):
        z = activations[-1] @ W + b
        preactivations.append(z)
        f = net.head.activate if i == last else net.activation.forward
        activations.append(f(z[None].copy())[0])  # both work in place on a batch: give them a copy

    # The loss, from the logits z_L (finite even for a saturated output), and delta_L = a_L - y.
    loss = float(net.head.loss(preactivations[-1][None], Y))
    delta = net.head.delta(activations[-1][None].copy(), Y)[0]

    # Backward: delta_l = (W_{l+1} @ delta_{l+1}) * f'(z_l); the slope f'(z_l) is written from a_l.
    deltas = [delta]
    slopes: list[np.ndarray] = []
    for i in range(last, 0, -1):
        a_prev = activations[i][None]
        slope = net.activation.backward(np.ones_like(a_prev), a_prev)[0]  # 1 * f'(z): the slope itself
        slopes.insert(0, slope)
        deltas.insert(0, (net.weights[i] @ deltas[0]) * slope)

    # Gradients: dL/dW_l = outer(a_{l-1}, delta_l), dL/db_l = delta_l.
    dweights = [np.outer(a_prev, d) for a_prev, d in zip(activations[:-1], deltas)]
    dbiases = [d.copy() for d in deltas]
    return StepTrace(activations, preactivations, deltas, slopes, dweights, dbiases, Y[0], loss)
