"""Hostile files opened in the real window: a clear message or a valid result, quickly, and the session
in the window untouched when the file is refused."""

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.data import make_preset
from playground.ui import MainWindow

pytestmark = pytest.mark.slow

PREFIXES = [b"", b"x,y,label\n", b'{"format": "nn-playground-session", "version": 1, ']


@st.composite
def hostile(draw):
    kind = draw(st.sampled_from(["noise", "csv", "json", "nested", "shape", "unicode"]))
    if kind == "noise":
        return ".json", draw(st.sampled_from(PREFIXES)) + draw(st.binary(max_size=400))
    if kind == "csv":
        rows = draw(
            st.lists(
                st.tuples(st.one_of(st.floats(), st.text(max_size=4)), st.floats(), st.integers(-3, 12)), max_size=30
            )
        )
        return ".csv", ("x,y,label\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows)).encode()
    if kind == "json":
        value = draw(
            st.recursive(
                st.none() | st.integers() | st.floats() | st.text(max_size=6),
                lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=6), c, max_size=4),
                max_leaves=25,
            )
        )
        return ".json", json.dumps({"format": "nn-playground-session", "version": 1, "dataset": value}).encode()
    if kind == "nested":
        depth = draw(st.integers(1000, 200_000))
        return ".json", b"[" * depth + b"]" * depth
    if kind == "shape":
        n = draw(st.integers(10**6, 10**12))
        doc = {
            "format": "nn-playground-session",
            "version": 1,
            "dataset": {"x": [0], "y": [0], "label": [0]},
            "config": {"hidden": [8]},
            "state": {
                "epoch": 1,
                "layer_sizes": [2, 8, 1],
                "weights": [{"shape": [n, n], "float64le": ""}] * 2,
                "biases": [{"shape": [8], "float64le": ""}] * 2,
            },
        }
        return ".json", json.dumps(doc).encode()
    text = draw(st.text(min_size=1, max_size=200))
    return draw(st.sampled_from([".csv", ".json"])), text.encode("utf-8", "surrogatepass")


def test_hostile_files_in_the_window(qtbot, tmp_path):
    w = MainWindow(make_preset("moons", 80, 0.1))
    qtbot.addWidget(w)
    w.show()
    original = w.dataset
    counter = iter(range(10**6))

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case=hostile())
    def check(case):
        suffix, payload = case
        path = tmp_path / f"f{next(counter)}{suffix}"
        path.write_bytes(payload)
        before = w.dataset
        start = time.perf_counter()
        opened = w.open_path(path)
        assert time.perf_counter() - start < 5.0
        if not opened:
            assert w.dataset == before
            assert path.name in w.notices.problem_text
        else:
            w.model.undo()  # put the original back for the next case

    check()
    assert w.dataset == original
    w.shutdown()
