"""A trained network as a runnable Python script: NumPy-only, or PyTorch (``--torch``).

The script carries the weights (written out as numbers, or base64 for big matrices), the input features and
the output function, and never imports ``playground``: it is what a user hands to a notebook or a server.

- NumPy: ``predict(X)`` maps raw ``(n, 2)`` points to what the playground's network returns (sigmoid or
  softmax probabilities, or values for a linear output), ``predict_class(X)`` to class indices; run as a
  script it prints a summary, and given a CSV of points it writes their predictions as CSV.
- PyTorch: ``build_model()`` returns a ``torch.nn.Sequential`` holding the same weights that gives the same
  outputs (its last module is the sigmoid/softmax; ``build_model(probabilities=False)`` gives the logits
  for fine-tuning with ``BCEWithLogitsLoss``/``CrossEntropyLoss``).

Layer ``i`` computes ``Z = A_prev @ W_i + b_i`` with ``W_i`` of shape ``(fan_in, fan_out)``, as everywhere in
the playground; PyTorch's ``nn.Linear`` keeps the transpose, which ``build_model`` writes.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import __version__
from ..training.config import TrainConfig
from ..training.trainer import TrainState
from .atomic import atomic_write

LITERAL_LIMIT = 4096  # an array of more numbers is embedded as base64 (a 256x256 layer as text would be 1.5 MB)
WRAP = 100  # characters per line of embedded numbers

# The input features a script can compute from a raw point (x1, x2): NumPy and PyTorch spellings.
FEATURES = {
    "x1": ("x1", "x1"),
    "x2": ("x2", "x2"),
    "x1sq": ("x1 ** 2", "x1 ** 2"),
    "x2sq": ("x2 ** 2", "x2 ** 2"),
    "x1x2": ("x1 * x2", "x1 * x2"),
    "sinx1": ("np.sin(x1)", "torch.sin(x1)"),
    "sinx2": ("np.sin(x2)", "torch.sin(x2)"),
}

# Hidden activations: (NumPy expression of Z, PyTorch module, what it is).
ACTIVATIONS = {
    "sigmoid": ("0.5 * (1.0 + np.tanh(0.5 * Z))", "nn.Sigmoid()", "the logistic sigmoid 1 / (1 + e^-z)"),
    "tanh": ("np.tanh(Z)", "nn.Tanh()", "the hyperbolic tangent"),
    "relu": ("np.maximum(Z, 0.0)", "nn.ReLU()", "max(z, 0)"),
    "leaky_relu": ("np.maximum(Z, 0.01 * Z)", "nn.LeakyReLU(0.01)", "max(z, 0.01 z)"),
    "linear": ("Z", "nn.Identity()", "the identity"),
}

# Outputs: what ``predict`` returns.
OUTPUTS = {
    "sigmoid": "one sigmoid unit: the probability of class 1, shape (n, 1)",
    "softmax": "softmax over {k} classes: one probability per class, shape (n, {k})",
    "linear": "linear: the predicted values, shape (n, {k})",
}


@dataclass(frozen=True)
class ExportedModel:
    """What a script needs: float64 weights ``(fan_in, fan_out)`` and biases ``(fan_out,)`` per layer, the
    hidden activation, the output function, the input features and the epochs trained."""

    weights: tuple
    biases: tuple
    activation: str
    output: str
    epoch: int = 0
    features: tuple[str, ...] = ("x1", "x2")

    def __post_init__(self):
        if not self.weights or len(self.weights) != len(self.biases):
            raise ValueError("a network needs as many bias vectors as weight matrices, and at least one")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"cannot export the activation {self.activation!r}")
        if self.output not in OUTPUTS:
            raise ValueError(f"cannot export the output {self.output!r}")
        unknown = [f for f in self.features if f not in FEATURES]
        if unknown:
            raise ValueError(f"cannot export the input feature {unknown[0]!r}")
        sizes = self.layer_sizes
        if sizes[0] != len(self.features):
            raise ValueError(f"the first layer takes {sizes[0]} inputs, but there are {len(self.features)} features")
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            if np.shape(W) != (sizes[i], sizes[i + 1]) or np.shape(b) != (sizes[i + 1],):
                raise ValueError(f"layer {i}: weights {np.shape(W)} and biases {np.shape(b)} do not fit together")
            if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
                raise ValueError(f"layer {i} holds NaN or infinite values")

    @classmethod
    def from_state(cls, state: TrainState, config: TrainConfig, output: str) -> ExportedModel:
        """The network in ``state``, trained with ``config``; ``output`` is the network's output function
        (``Trainer.net.output_name``, or ``output_for(n_classes)[0]``)."""
        return cls(
            tuple(np.asarray(W, dtype=np.float64) for W in state.weights),
            tuple(np.asarray(b, dtype=np.float64) for b in state.biases),
            config.activation,
            output,
            int(state.epoch),
            tuple(config.features),
        )

    @property
    def layer_sizes(self) -> list[int]:
        return [int(np.shape(self.weights[0])[0]), *[int(np.shape(b)[0]) for b in self.biases]]

    def describe(self) -> str:
        """e.g. "A 2-8-8-1 network (tanh hidden units; output: one sigmoid unit), trained 300 epochs"."""
        sizes = self.layer_sizes
        hidden = f"{self.activation} hidden units; " if len(sizes) > 2 else ""
        output = OUTPUTS[self.output].format(k=sizes[-1]).split(":")[0]
        return f"A {'-'.join(map(str, sizes))} network ({hidden}output: {output}), trained {self.epoch:,} epochs"


# -- embedding numbers -------------------------------------------------------------------------------


def _numbers(values) -> list[str]:
    return [repr(float(v)) for v in values]  # repr of a float reads back as exactly that float


def _wrapped(items: list[str], indent: str) -> str:
    """``items`` joined with ", ", wrapped into lines of at most ``WRAP`` characters."""
    lines, line = [], ""
    for item in items:
        piece = item if not line else f"{line}, {item}"
        if line and len(indent) + len(piece) + 1 > WRAP:
            lines.append(line + ",")
            line = item
        else:
            line = piece
    lines.append(line)
    return "\n".join(indent + text for text in lines)


def _literal(a: np.ndarray, indent: str) -> str:
    """A nested list literal of ``a`` (1-D or 2-D): a short row on one line, a long one wrapped."""
    if a.ndim == 1:
        return _row(_numbers(a), indent)
    rows = [f"{indent}    {_row(_numbers(row), indent + '    ')}," for row in a]
    return "[\n" + "\n".join(rows) + f"\n{indent}]"


def _row(items: list[str], indent: str) -> str:
    one_line = "[" + ", ".join(items) + "]"
    if len(indent) + len(one_line) + 12 <= WRAP:
        return one_line
    return "[\n" + _wrapped(items, indent + "    ") + f"\n{indent}]"


def _base64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f8").tobytes()).decode("ascii")


def _embedded(arrays, kind: str, torch: bool) -> str:
    """The ``WEIGHTS``/``BIASES`` list: one entry per layer, each with a comment naming its shape."""
    parts = []
    for i, a in enumerate(arrays):
        a = np.asarray(a, dtype=np.float64)
        shape = "x".join(map(str, a.shape))
        comment = f"    # layer {i + 1}: {kind} {shape}"
        if a.size > LITERAL_LIMIT:
            data = _base64(a)
            chunks = "\n".join(f'        "{data[s : s + WRAP - 10]}"' for s in range(0, len(data), WRAP - 10))
            parts.append(f"{comment}, little-endian float64, base64\n    _decode({list(a.shape)}, (\n{chunks}\n    )),")
        elif torch:
            parts.append(f"{comment}\n    {_literal(a, '    ')},")
        else:
            parts.append(f"{comment}\n    np.array({_literal(a, '    ')}),")
    return "[\n" + "\n".join(parts) + "\n]"


def _needs_decode(model: ExportedModel) -> bool:
    return any(np.size(a) > LITERAL_LIMIT for a in (*model.weights, *model.biases))


def _feature_lines(model: ExportedModel, torch: bool) -> str:
    column = 1 if torch else 0
    return ", ".join(FEATURES[f][column] for f in model.features)


# -- the NumPy script ----------------------------------------------------------------------------------

NUMPY_TEMPLATE = '''\
#!/usr/bin/env python3
"""A trained neural network, exported from the neural-network playground (nn-playground @VERSION@).
@DESCRIPTION@.

It needs only NumPy. From Python:

    import numpy as np
    from @MODULE@ import predict
    predict(np.array([[1.0, -2.0], [0.5, 3.0]]))   # raw (x, y) points, shape (n, 2)

``predict`` returns @RETURNS@.@CLASS_NOTE@

As a program:

    python @FILE@
        prints a short summary
    python @FILE@ points.csv [out.csv]
        predicts the points of a CSV file (its columns x and y, or the first two columns if it has no
        header) and writes them with their predictions as CSV, to out.csv or to standard output

Layer i computes Z = A @ WEIGHTS[i] + BIASES[i], A being the previous layer's output of shape (n, fan_in)
(the first layer's A: the input features of the points); every layer but the last applies the hidden
activation, the last one the output function.
"""

import csv
import sys
@IMPORT_BASE64@
import numpy as np

LAYER_SIZES = @LAYER_SIZES@
FEATURES = @FEATURES@  # the network's inputs, computed from a raw point (x1, x2)
ACTIVATION = "@ACTIVATION@"  # the hidden units' activation: @ACTIVATION_MEANING@
OUTPUT = "@OUTPUT@"  # @OUTPUT_MEANING@
EPOCHS_TRAINED = @EPOCH@
PREDICTION_COLUMNS = @PREDICTION_COLUMNS@  # what a CSV of predictions holds after x and y
@DECODE@
WEIGHTS = @WEIGHTS@

BIASES = @BIASES@


def input_features(X):
    """The network's inputs from raw points: (n, 2) -> (n, @N_FEATURES@), one column per name in FEATURES."""
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([@FEATURE_COLUMNS@])


def hidden_activation(Z):
    """@ACTIVATION_MEANING@, applied after every layer but the last."""
    return @ACTIVATION_CODE@


def logits(X):
    """The last layer's Z for raw points X of shape (n, 2): shape (n, @N_OUT@), before the output function."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X should have shape (n, 2): one row (x, y) per point, not {X.shape}")
    A = input_features(X)
    for W, b in zip(WEIGHTS[:-1], BIASES[:-1]):
        A = hidden_activation(A @ W + b)
    return A @ WEIGHTS[-1] + BIASES[-1]


@PREDICT@


def read_points(path):
    """The points of a CSV file, (n, 2): the columns named x and y (as the playground saves datasets), or
    the first two columns of a file without a header."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [(number, row) for number, row in enumerate(csv.reader(f), start=1) if any(c.strip() for c in row)]
    if not rows:
        raise ValueError(f"{path}: no points")
    header = [c.strip().lower() for c in rows[0][1]]
    columns = (0, 1)
    if not all(_is_number(c) for c in header[:2]):
        if "x" not in header or "y" not in header:
            raise ValueError(f"{path}, line {rows[0][0]}: the header names no x and y columns")
        columns = (header.index("x"), header.index("y"))
        rows = rows[1:]
    points = []
    for number, row in rows:
        try:
            point = [float(row[c]) for c in columns]
        except (IndexError, ValueError):
            where = f"{path}, line {number}"
            raise ValueError(f"{where}: expected numbers in columns {columns[0] + 1} and {columns[1] + 1}") from None
        if not all(np.isfinite(point)):
            raise ValueError(f"{path}, line {number}: not a finite number")
        points.append(point)
    return np.array(points, dtype=np.float64).reshape(-1, 2)


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def write_predictions(X, out):
    """X's points and their predictions as CSV on the text stream ``out``."""
    writer = csv.writer(out, lineterminator="\\n")
    writer.writerow(["x", "y", *PREDICTION_COLUMNS])
@WRITE_ROWS@


def summary():
    return "\\n".join([
        "@SUMMARY@",
        f"Inputs: {', '.join(FEATURES)} from a point (x1, x2) = (x, y). Output: {OUTPUT}.",
        f"predict([[0, 0]]) = {predict([[0.0, 0.0]]).tolist()}",
        "Usage: python " + sys.argv[0] + " [points.csv [out.csv]]",
    ])


def main(argv):
    if not argv:
        print(summary())
        return 0
    if len(argv) > 2 or argv[0] in ("-h", "--help"):
        print("usage: python " + sys.argv[0] + " [points.csv [out.csv]]", file=sys.stderr)
        return 2
    try:
        X = read_points(argv[0])
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        print(f"{sys.argv[0]}: error: {exc}", file=sys.stderr)
        return 2
    if len(argv) == 1:
        write_predictions(X, sys.stdout)
        return 0
    try:
        with open(argv[1], "w", newline="", encoding="utf-8") as out:
            write_predictions(X, out)
    except OSError as exc:
        print(f"{sys.argv[0]}: error: cannot write {argv[1]}: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(X)} predictions to {argv[1]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
'''

NUMPY_DECODE = '''

def _decode(shape, chunks):
    """A float64 array from base64 text (little-endian, row-major)."""
    return np.frombuffer(base64.b64decode("".join(chunks)), dtype="<f8").astype(np.float64).reshape(shape)

'''

PREDICT = {
    "sigmoid": '''\
def predict(X):
    """P(class 1) for each point of X (n, 2): shape (n, 1). The sigmoid is written as (1 + tanh(z/2)) / 2,
    which equals 1 / (1 + e^-z) but cannot overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * logits(X)))


def predict_class(X):
    """The predicted class (0 or 1) of each point: shape (n,). P >= 1/2 exactly when the logit is >= 0."""
    return (logits(X)[:, 0] >= 0).astype(np.int64)''',
    "softmax": '''\
def predict(X):
    """The probability of each class for each point of X (n, 2): shape (n, @N_OUT@), rows summing to 1."""
    Z = logits(X)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))  # shifting by the row's maximum cannot overflow
    return E / E.sum(axis=1, keepdims=True)


def predict_class(X):
    """The predicted class of each point: shape (n,), the largest probability's index."""
    return logits(X).argmax(axis=1)''',
    "linear": '''\
def predict(X):
    """The predicted values for the points of X (n, 2): shape (n, @N_OUT@)."""
    return logits(X)''',
}

WRITE_ROWS = {
    True: """\
    for point, k, p in zip(X, predict_class(X), predict(X)):
        writer.writerow([repr(float(v)) for v in point] + [int(k)] + [repr(float(v)) for v in p])""",
    False: """\
    for point, p in zip(X, predict(X)):
        writer.writerow([repr(float(v)) for v in point] + [repr(float(v)) for v in p])""",
}


def _prediction_columns(model: ExportedModel) -> list[str]:
    k = model.layer_sizes[-1]
    if model.output == "sigmoid":
        return ["class", "p_class1"]
    if model.output == "softmax":
        return ["class", *[f"p_class{c}" for c in range(k)]]
    return ["value"] if k == 1 else [f"value{c}" for c in range(k)]


def _fill(template: str, values: dict) -> str:
    for key, value in values.items():
        template = template.replace(f"@{key}@", value)
    left = re.search(r"@[A-Z_0-9]+@", template)
    assert left is None, f"the template's {left.group(0)} was not filled in"
    return template


def _common(model: ExportedModel, name: str, torch: bool) -> dict:
    """The template values both scripts share; ``torch`` picks how the weights and features are written."""
    sizes = model.layer_sizes
    path = Path(name)
    return {
        "VERSION": __version__,
        "DESCRIPTION": model.describe(),
        "MODULE": path.stem if path.stem.isidentifier() else "model",
        "FILE": path.name,
        "LAYER_SIZES": repr(sizes),
        "FEATURES": json.dumps(list(model.features)),
        "N_FEATURES": str(len(model.features)),
        "N_OUT": str(sizes[-1]),
        "ACTIVATION": model.activation,
        "ACTIVATION_MEANING": ACTIVATIONS[model.activation][2],
        "OUTPUT": model.output,
        "OUTPUT_MEANING": OUTPUTS[model.output].format(k=sizes[-1]),
        "EPOCH": str(model.epoch),
        "SUMMARY": model.describe() + ".",
        "RETURNS": OUTPUTS[model.output].format(k=sizes[-1]),
        "WEIGHTS": _embedded(model.weights, "weights", torch=torch),
        "BIASES": _embedded(model.biases, "biases", torch=torch),
        "FEATURE_COLUMNS": _feature_lines(model, torch=torch),
    }


def numpy_script(model: ExportedModel, name: str = "model.py") -> str:
    """The NumPy-only script's text; ``name`` is the file name its usage notes show."""
    values = _common(model, name, torch=False)
    predict = PREDICT[model.output].replace("@N_OUT@", values["N_OUT"])
    values.update(
        {
            "CLASS_NOTE": ""
            if model.output == "linear"
            else "\n``predict_class(X)`` gives the class indices, shape (n,).",
            "IMPORT_BASE64": "import base64\n" if _needs_decode(model) else "",
            "DECODE": NUMPY_DECODE if _needs_decode(model) else "\n",
            "ACTIVATION_CODE": ACTIVATIONS[model.activation][0],
            "PREDICT": predict,
            "PREDICTION_COLUMNS": json.dumps(_prediction_columns(model)),
            "WRITE_ROWS": WRITE_ROWS[model.output != "linear"],
        }
    )
    return _fill(NUMPY_TEMPLATE, values)


# -- the PyTorch script --------------------------------------------------------------------------------

TORCH_TEMPLATE = '''\
#!/usr/bin/env python3
"""A trained neural network as a PyTorch module, exported from the neural-network playground
(nn-playground @VERSION@).
@DESCRIPTION@.

    from @MODULE@ import build_model
    model = build_model()                 # torch.nn.Sequential, float64, the trained weights loaded
    model(torch.tensor([[1.0, -2.0]], dtype=torch.float64))   # raw (x, y) points, shape (n, 2)

The model returns @RETURNS@.

To fine-tune, train the logits: ``build_model(probabilities=False)`` leaves out the last @OUTPUT@ module;
use it with @LOSS@.
``build_model(dtype=torch.float32)`` gives a float32 model.

Layer i computes Z = A @ WEIGHTS[i] + BIASES[i] (WEIGHTS[i] of shape (fan_in, fan_out), as the playground
keeps them); nn.Linear keeps the transpose, which build_model writes into it.
"""

@IMPORT_BASE64@import torch
from torch import nn

LAYER_SIZES = @LAYER_SIZES@
FEATURES = @FEATURES@  # the network's inputs, computed from a raw point (x1, x2)
ACTIVATION = "@ACTIVATION@"  # the hidden units' activation: @ACTIVATION_MEANING@
OUTPUT = "@OUTPUT@"  # @OUTPUT_MEANING@
EPOCHS_TRAINED = @EPOCH@
@DECODE@
WEIGHTS = @WEIGHTS@

BIASES = @BIASES@


class InputFeatures(nn.Module):
    """The network's inputs from raw points: (n, 2) -> (n, @N_FEATURES@), one column per name in FEATURES."""

    def forward(self, X):
        x1, x2 = X[:, 0], X[:, 1]
        return torch.stack([@FEATURE_COLUMNS@], dim=1)


def build_model(probabilities=True, dtype=torch.float64):
    """The trained network as ``nn.Sequential``: input features, then per layer an ``nn.Linear`` (and the
    hidden activation after every layer but the last), then the output function unless ``probabilities``
    is False."""
    layers = [InputFeatures()]
    for i, (W, b) in enumerate(zip(WEIGHTS, BIASES)):
        # In dtype before the weights go in (nn.Linear starts in float32, which would round float64 weights).
        linear = nn.Linear(LAYER_SIZES[i], LAYER_SIZES[i + 1]).to(dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.as_tensor(W, dtype=dtype).T)  # nn.Linear keeps (fan_out, fan_in)
            linear.bias.copy_(torch.as_tensor(b, dtype=dtype))
        layers.append(linear)
        if i < len(WEIGHTS) - 1:
            layers.append(@ACTIVATION_MODULE@)
    if probabilities:
        layers.extend(@OUTPUT_MODULES@)
    return nn.Sequential(*layers)


if __name__ == "__main__":
    model = build_model()
    print("@SUMMARY@")
    print(model)
    with torch.no_grad():
        print("model([[0, 0]]) =", model(torch.zeros((1, 2), dtype=torch.float64)).tolist())
'''

TORCH_DECODE = '''

def _decode(shape, chunks):
    """A float64 tensor from base64 text (little-endian, row-major)."""
    data = bytearray(base64.b64decode("".join(chunks)))
    return torch.frombuffer(data, dtype=torch.float64).reshape(shape).clone()

'''

TORCH_OUTPUT = {  # (modules appended for probabilities, the loss to fine-tune the logits with)
    "sigmoid": ("[nn.Sigmoid()]", "nn.BCEWithLogitsLoss() and float targets of shape (n, 1)"),
    "softmax": ("[nn.Softmax(dim=1)]", "nn.CrossEntropyLoss() and class indices of shape (n,)"),
    "linear": ("[]", "nn.MSELoss() (the playground minimised half of it: the same minimum)"),
}


def torch_script(model: ExportedModel, name: str = "model.py") -> str:
    """The PyTorch script's text (``import torch`` at the top; it does not need NumPy)."""
    values = _common(model, name, torch=True)
    modules, loss = TORCH_OUTPUT[model.output]
    values.update(
        {
            "LOSS": loss,
            "IMPORT_BASE64": "import base64\n\n" if _needs_decode(model) else "",
            "DECODE": TORCH_DECODE if _needs_decode(model) else "\n",
            "ACTIVATION_MODULE": ACTIVATIONS[model.activation][1],
            "OUTPUT_MODULES": modules,
        }
    )
    return _fill(TORCH_TEMPLATE, values)


def script_text(model: ExportedModel, name: str = "model.py", torch: bool = False) -> str:
    return torch_script(model, name) if torch else numpy_script(model, name)


def export_script(path, model: ExportedModel, torch: bool = False) -> None:
    """Write the script for ``model`` to ``path`` atomically. Raises OSError."""
    atomic_write(path, script_text(model, Path(path).name, torch).encode("utf-8"))
