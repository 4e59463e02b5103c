"""Code export: each script runs in a clean Python process (no PYTHONPATH to the repository, ``playground``
made unimportable) and gives the outputs of the network it was made from."""

import ast
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from playground.data import make_preset, save_csv
from playground.files import ExportedModel, code_export, numpy_script, torch_script
from playground.nn import Network

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]

# (layer sizes, activation, output): every activation, every output, no hidden layer, and a layer big
# enough (70 x 70 = 4,900 numbers) to be embedded as base64.
CASES = [
    *[([2, 6, 5, 1], act, "sigmoid") for act in ACTIVATIONS],
    *[([2, 7, 3], act, "softmax") for act in ACTIVATIONS],
    ([2, 4, 2], "tanh", "linear"),
    ([2, 1], "sigmoid", "sigmoid"),
    ([2, 70, 70, 4], "relu", "softmax"),
]


def _network(case, seed):
    sizes, activation, output = case
    net = Network(sizes, activation=activation, output=output, seed=seed)
    rng = np.random.default_rng(seed)
    for b in net.biases:
        b[...] = rng.normal(0, 0.5, b.shape)  # fresh biases are zero: make them count
    return net


def _model(net, epoch=7):
    return ExportedModel(tuple(net.weights), tuple(net.biases), net.activation_name, net.output_name, epoch)


def _clean_env():
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}


# Runs in the clean process: imports each script, saves its outputs, then runs the first one as a program
# (summary, a CSV with a header, a CSV without one, a bad CSV) and reports what it printed.
DRIVER = r"""
import contextlib, importlib, io, json, runpy, sys
sys.modules["playground"] = None  # a script that imports playground fails here
import numpy as np
X = np.load("X.npy")
report = {}
for name in sys.argv[1:]:
    module = importlib.import_module(name)
    np.save(name + "_out.npy", module.predict(X))
    if hasattr(module, "predict_class"):
        np.save(name + "_class.npy", module.predict_class(X))
def program(*argv):
    sys.argv = ["model_0.py", *argv]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            runpy.run_path("model_0.py", run_name="__main__")
            code = 0
        except SystemExit as exc:
            code = exc.code
    return [code, out.getvalue(), err.getvalue()]
report["summary"] = program()
report["csv"] = program("points.csv", "predictions.csv")
report["stdout"] = program("bare.csv")
report["bad"] = program("bad.csv")
report["imported"] = sorted(m for m in sys.modules if m.split(".")[0] == "playground" and sys.modules[m])
print(json.dumps(report))
"""


def _run_driver(tmp_path, names):
    out = subprocess.run(
        [sys.executable, "-E", "-c", DRIVER, *names],
        cwd=tmp_path,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_numpy_scripts_run_alone_and_predict_like_the_network(tmp_path):
    rng = np.random.default_rng(0)
    X = np.vstack([rng.uniform(-6, 6, (60, 2)), [[0.0, 0.0], [300.0, -400.0], [-1e3, 1e3]]])
    np.save(tmp_path / "X.npy", X)
    ds = make_preset("circle", 30, 0.0, seed=0)
    save_csv(ds, tmp_path / "points.csv")
    (tmp_path / "bare.csv").write_text("1.5,2\n-3,4e-1\n", encoding="utf-8")
    (tmp_path / "bad.csv").write_text("x,y\n1,2\n3,oops\n", encoding="utf-8")
    nets = [_network(case, seed) for seed, case in enumerate(CASES)]
    names = []
    for i, net in enumerate(nets):
        text = numpy_script(_model(net), f"model_{i}.py")
        imports = {n.names[0].name for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Import)}
        assert imports <= {"csv", "sys", "numpy", "base64"}, imports
        (tmp_path / f"model_{i}.py").write_text(text, encoding="utf-8")
        names.append(f"model_{i}")
    assert "_decode(" in (tmp_path / f"model_{len(CASES) - 1}.py").read_text()  # the base64 path is covered

    report = _run_driver(tmp_path, names)

    assert report["imported"] == []
    for i, net in enumerate(nets):
        got = np.load(tmp_path / f"model_{i}_out.npy")
        np.testing.assert_allclose(got, net.forward(X), rtol=1e-12, atol=1e-12, err_msg=str(CASES[i]))
        if net.output_name != "linear":
            np.testing.assert_array_equal(np.load(tmp_path / f"model_{i}_class.npy"), net.predict(X))
    code, out, _ = report["summary"]
    assert code == 0 and "2-6-5-1 network" in out and "trained 7 epochs" in out
    code, _, err = report["csv"]
    assert code == 0 and "wrote 30 predictions" in err
    lines = (tmp_path / "predictions.csv").read_text().splitlines()
    assert lines[0] == "x,y,class,p_class1" and len(lines) == 31
    rows = np.array([[float(v) for v in line.split(",")] for line in lines[1:]])
    np.testing.assert_array_equal(rows[:, :2], ds.X)
    np.testing.assert_allclose(rows[:, 3], nets[0].forward(ds.X)[:, 0], rtol=1e-12, atol=1e-12)
    code, out, _ = report["stdout"]
    assert code == 0 and out.splitlines()[1].startswith("1.5,2.0,")
    code, _, err = report["bad"]
    assert code == 2 and "bad.csv, line 3" in err


def test_torch_scripts_compile_for_every_case():
    for seed, case in enumerate(CASES):
        text = torch_script(_model(_network(case, seed)), "model.py")
        compile(text, "model.py", "exec")
        assert "def build_model(" in text and "import playground" not in text


TORCH_DRIVER = r"""
import importlib, sys
sys.modules["playground"] = None
import numpy as np, torch
X = torch.from_numpy(np.load("X.npy"))
for name in sys.argv[1:]:
    model = importlib.import_module(name).build_model()
    assert isinstance(model, torch.nn.Module)
    with torch.no_grad():
        np.save(name + "_out.npy", model(X).numpy())
"""


def _torch_scripts_match(tmp_path, X, driver: str, timeout: float) -> None:
    """Write every case's PyTorch script, run them with ``driver`` in a clean subprocess on ``X``, and compare
    each output with its network's."""
    np.save(tmp_path / "X.npy", X)
    nets = [_network(case, seed) for seed, case in enumerate(CASES)]
    for i, net in enumerate(nets):
        (tmp_path / f"tmodel_{i}.py").write_text(torch_script(_model(net)), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-E", "-c", driver, *[f"tmodel_{i}" for i in range(len(nets))]],
        cwd=tmp_path,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert out.returncode == 0, out.stderr
    for i, net in enumerate(nets):
        got = np.load(tmp_path / f"tmodel_{i}_out.npy")
        np.testing.assert_allclose(got, net.forward(X), rtol=1e-12, atol=1e-12, err_msg=str(CASES[i]))


def test_torch_scripts_give_the_networks_outputs(tmp_path):
    pytest.importorskip("torch")  # not a dependency: runs where torch happens to be installed
    _torch_scripts_match(tmp_path, np.random.default_rng(1).uniform(-6, 6, (50, 2)), TORCH_DRIVER, 300)


@pytest.mark.parametrize(
    "change,match",
    [
        ({"activation": "swish"}, "activation 'swish'"),
        ({"output": "hinge"}, "output 'hinge'"),
        ({"features": ("x1", "x2", "cosx1")}, "feature 'cosx1'"),
        ({"features": ("x1", "x2", "x1sq")}, "takes 2 inputs, but there are 3 features"),
        ({"biases": ()}, "as many bias vectors"),
    ],
)
def test_a_network_no_script_can_express_is_refused_with_the_reason(change, match):
    net = _network(CASES[0], 0)
    fields = {
        "weights": tuple(net.weights),
        "biases": tuple(net.biases),
        "activation": "tanh",
        "output": "sigmoid",
    }
    fields.update(change)
    with pytest.raises(ValueError, match=match):
        ExportedModel(**fields)


def test_embedded_numbers_read_back_exactly():
    a = np.array([[0.1, -1 / 3, 1e-300, 123456789.123], [np.pi, -0.0, 5e-324, 1e300]])
    literal = code_export._literal(a, "")
    np.testing.assert_array_equal(np.array(ast.literal_eval(literal)), a)


# Where torch is not installed (here), the generated code is still run: against this stand-in, a few lines
# of NumPy with the semantics of the PyTorch calls the script makes (nn.Linear keeps (fan_out, fan_in) and
# computes x @ W.T + b). Its parameters start as float32 NaN, so a weight the script forgets to copy shows,
# and so do float64 weights copied into a float32 layer.
FAKE_TORCH = r"""
import contextlib
import numpy as np

float64, float32 = np.float64, np.float32


class Tensor(np.ndarray):
    def clone(self):
        return self.copy()

    def copy_(self, other):
        other = np.asarray(other)
        assert other.shape == self.shape, (other.shape, self.shape)
        self[...] = other
        return self

    def numpy(self):
        return np.asarray(self)


def as_tensor(data, dtype=None):
    return np.array(data, dtype=dtype or float64).view(Tensor)


def from_numpy(a):
    return np.asarray(a).view(Tensor)


def zeros(shape, dtype=None):
    return np.zeros(shape, dtype=dtype or float64).view(Tensor)


def frombuffer(buffer, dtype):
    return np.frombuffer(buffer, dtype=dtype).view(Tensor)


def stack(tensors, dim=0):
    return np.stack(tensors, axis=dim).view(Tensor)


def sin(x):
    return np.sin(x)


@contextlib.contextmanager
def no_grad():
    yield


class _Module:
    def __call__(self, x):
        return self.forward(x)

    def to(self, dtype):
        return self


class _Linear(_Module):
    def __init__(self, fan_in, fan_out):  # parameters are float32 until .to(), as in PyTorch
        self.weight = np.full((fan_out, fan_in), np.nan, dtype=np.float32).view(Tensor)
        self.bias = np.full(fan_out, np.nan, dtype=np.float32).view(Tensor)

    def to(self, dtype):
        self.weight = self.weight.astype(dtype).view(Tensor)
        self.bias = self.bias.astype(dtype).view(Tensor)
        return self

    def forward(self, x):
        return x @ self.weight.T + self.bias


class _Sequential(_Module):
    def __init__(self, *layers):
        self.layers = layers

    def to(self, dtype):
        for layer in self.layers:
            layer.to(dtype)
        return self

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class _Function(_Module):
    def __init__(self, f):
        self.f = f

    def forward(self, x):
        return self.f(x)


def _softmax(z, dim):
    e = np.exp(z - z.max(axis=dim, keepdims=True))
    return e / e.sum(axis=dim, keepdims=True)


class nn:
    Module = _Module
    Linear = _Linear
    Sequential = _Sequential
    Sigmoid = staticmethod(lambda: _Function(lambda z: 1 / (1 + np.exp(-z))))
    Tanh = staticmethod(lambda: _Function(np.tanh))
    ReLU = staticmethod(lambda: _Function(lambda z: np.maximum(z, 0)))
    LeakyReLU = staticmethod(lambda slope=0.01: _Function(lambda z: np.where(z > 0, z, slope * z)))
    Identity = staticmethod(lambda: _Function(lambda z: z))
    Softmax = staticmethod(lambda dim: _Function(lambda z: _softmax(z, dim)))
"""


def test_torch_scripts_give_the_networks_outputs_with_a_numpy_stand_in_for_torch(tmp_path):
    (tmp_path / "faketorch" / "torch").mkdir(parents=True)
    (tmp_path / "faketorch" / "torch" / "__init__.py").write_text(FAKE_TORCH, encoding="utf-8")
    driver = TORCH_DRIVER.replace("import importlib, sys", "import importlib, sys\nsys.path.insert(0, 'faketorch')")
    _torch_scripts_match(tmp_path, np.random.default_rng(2).uniform(-6, 6, (40, 2)), driver, 60)
