"""The "Step through" panel through real widgets: Alt+click traces a point, the numbers are ``trace_step``'s,
Next walks every stage, and "Take this step" moves the weights by exactly -lr * dW."""

import numpy as np
from PySide6.QtCore import Qt
from ui_helpers import click, drag, live_trainer

from playground.data import make_preset
from playground.nn import trace_step
from playground.training import TrainConfig
from playground.ui import MainWindow
from playground.ui.network_view import FADED, NEGATIVE, POSITIVE
from playground.ui.step_through import stage_marks, stage_names


def _window(qtbot):
    ds = make_preset("xor", 200, 0.0, seed=0)
    w = MainWindow(ds, TrainConfig(hidden=(4,), learning_rate=0.3))
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitUntil(lambda: w.presenter.drawn is not None, timeout=5000)
    return w


def _paused_trace(w):
    """The newest drawn frame is paused and carries a trace, for the weights the panel shows."""
    f = w.presenter.drawn
    return f is not None and not f.status.running and f.trace is not None and w.insight.step.trace is f.trace


def test_alt_click_traces_a_point_and_the_panel_walks_and_takes_the_step(qtbot):
    w = _window(qtbot)
    try:
        ds = w.dataset
        i = int(np.argmin(np.hypot(ds.X[:, 0] - 1.0, ds.X[:, 1] - 1.0)))
        x, y = float(ds.X[i, 0]), float(ds.X[i, 1])
        n_points = len(ds.y)
        click(w, x + 0.01, y, modifier=Qt.KeyboardModifier.AltModifier)
        panel = w.insight.step
        assert w.insight.docks["step"].isVisible()
        qtbot.waitUntil(lambda: _paused_trace(w), timeout=5000)
        assert len(w.dataset.y) == n_points  # Alt+click traces, it adds nothing
        shown = panel.trace
        assert shown.point == (x, y) and shown.label == int(ds.y[i]) and not shown.guessed
        net = live_trainer(qtbot, w).net
        want = trace_step(net, np.array([x, y], dtype=net.dtype), int(ds.y[i]))
        assert shown.trace.loss == want.loss
        for got, exp in zip(shown.trace.dweights, want.dweights):
            np.testing.assert_array_equal(got, exp)

        # Next walks every stage: forward 1..L, the loss, backward L..1, the update.
        names = stage_names(2)
        assert [panel.stages.item(k).text() for k in range(panel.stages.count())] == names
        panel.stages.setCurrentRow(0)
        assert "Forward, layer 1" in panel.current_text() and not panel.previous.isEnabled()
        seen = [panel.current_text()]
        while panel.next.isEnabled():
            panel.next.click()
            seen.append(panel.current_text())
        assert len(seen) == len(names) and panel.stages.currentRow() == len(names) - 1
        assert f"loss = {want.loss:.6g}" in seen[names.index("Loss")]
        out = names.index("Forward, layer 2 (output)")
        assert f"= {float(want.output[0]):.4g}" in seen[out]
        assert f"{float(want.deltas[-1][0]):.4g}" in seen[names.index("Backward, layer 2 (output)")]
        assert "Update" in seen[-1]

        # Paused: take the step shown; the weights move by exactly -lr * dW.
        assert panel.take.isEnabled()
        lr = w.config.learning_rate
        before = [W.copy() for W in net.weights] + [b.copy() for b in net.biases]
        panel.take.click()
        qtbot.waitUntil(lambda: _paused_trace(w) and w.insight.step.trace is not shown, timeout=5000)
        stepped = live_trainer(qtbot, w).net
        after = list(stepped.weights) + list(stepped.biases)
        for new, old, d in zip(after, before, shown.trace.dweights + shown.trace.dbiases):
            np.testing.assert_array_equal(new, old - lr * d)
        assert w.insight.step.trace.trace.loss < shown.trace.loss  # a small step downhill on this point

        # Training: the button is off.
        w.start_training()
        qtbot.waitUntil(lambda: not panel.take.isEnabled(), timeout=5000)
        w.pause_training()
    finally:
        w.shutdown()


def test_alt_click_on_an_empty_spot_traces_towards_the_predicted_class(qtbot):
    w = _window(qtbot)
    try:
        click(w, 0.0, 5.5, modifier=Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: _paused_trace(w), timeout=5000)
        shown = w.insight.step.trace
        assert shown.guessed and np.allclose(shown.point, (0.0, 5.5), atol=0.05)
        net = live_trainer(qtbot, w).net
        x = np.array(shown.point, dtype=net.dtype)
        assert shown.label == int(net.head.predict(net.logits(x[None]))[0])
        w.insight.step.stages.setCurrentRow(2)
        assert "no label" in w.insight.step.current_text()
    finally:
        w.shutdown()


def test_each_stage_marks_its_neurons_and_links_in_the_network_view_beside_the_panel(qtbot):
    w = _window(qtbot)
    try:
        ds = w.dataset
        x, y = float(ds.X[0, 0]), float(ds.X[0, 1])
        click(w, x, y, modifier=Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: _paused_trace(w), timeout=5000)
        docks, view, panel = w.insight.docks, w.insight.network, w.insight.step
        # Side by side, not behind each other in one tab group.
        assert docks["network"] not in w.tabifiedDockWidgets(docks["step"])
        assert not docks["network"].visibleRegion().isEmpty() and not docks["step"].visibleRegion().isEmpty()
        qtbot.waitUntil(lambda: view.node_items() != {}, timeout=5000)
        t = panel.trace
        for row, name in enumerate(stage_names(2)):
            panel.stages.setCurrentRow(row)
            marks = view.marks
            assert marks == stage_marks(t, row)
            assert set(view.marked_neurons()) == set(marks.neurons)
            for key, (value, _) in view.marked_neurons().items():
                assert value == marks.neurons[key]
            for key, link in view.link_items().items():
                colour = link.pen().color()
                if key in marks.links:
                    assert colour == (POSITIVE if marks.links[key] >= 0 else NEGATIVE), (name, key)
                else:
                    assert colour == FADED, (name, key)
        # What the stages mark, in the trace's numbers.
        s = t.trace
        panel.stages.setCurrentRow(names_index := stage_names(2).index("Backward, layer 1"))
        assert view.marks.neurons == {(1, j): float(d) for j, d in enumerate(s.deltas[0])}
        assert view.marks.links[(0, 1, 2)] == float(s.dweights[0][1, 2])
        panel.stages.setCurrentRow(names_index - 1)  # backward, output layer
        assert view.marks.neurons == {(2, 0): float(s.deltas[1][0])}
        panel.stages.setCurrentRow(0)  # forward, layer 1: each incoming term w·a
        assert view.marks.links[(0, 1, 3)] == float(t.weights[0][1, 3] * s.activations[0][1])
        # The update stage sets training's next step beside the point's: the same numbers the trainer gives.
        panel.stages.setCurrentRow(len(stage_names(2)) - 1)
        trainer = live_trainer(qtbot, w)
        preview, rows = trainer.next_step()
        assert t.batch_rows == rows == trainer.n_train  # the full batch, by default
        for got, want in zip(t.batch_step, preview):
            np.testing.assert_array_equal(got, want)
        text = panel.current_text()
        assert f"next batch of {rows:,} points" in text
        W, step = t.weights[1], preview[1]
        assert f"next batch: {W[0, 0]:.4g} + " in text and f"= {W[0, 0] + step[0, 0]:.4g}" in text
        # Closing the panel gives the network view back its plain colours.
        docks["step"].close()
        assert view.marks is None and view.marked_neurons() == {}
        assert all(link.pen().color() != FADED for link in view.link_items().values())
    finally:
        w.shutdown()


def test_the_trace_tool_traces_with_a_plain_click_and_draws_nothing(qtbot):
    w = _window(qtbot)
    try:
        tool, eraser = w.data_panel.trace_tool, w.data_panel.eraser
        eraser.click()
        assert w.state.view.eraser
        tool.click()  # one tool at a time
        assert w.state.view.trace_tool and not w.state.view.eraser and not eraser.isChecked()
        ds = w.dataset
        x, y = float(ds.X[5, 0]), float(ds.X[5, 1])
        click(w, x, y)
        drag(w, [(x, y), (x + 0.5, y + 0.5), (x + 1.0, y + 1.0)])
        qtbot.waitUntil(lambda: _paused_trace(w) and w.insight.step.trace.point == (x, y), timeout=5000)
        assert w.dataset == ds  # nothing added, nothing erased, nothing painted
        assert w.insight.step.trace.label == int(ds.y[5])
        tool.click()
        click(w, 0.0, 5.5)
        assert len(w.dataset) == len(ds) + 1  # a plain click adds a point again
    finally:
        w.shutdown()
