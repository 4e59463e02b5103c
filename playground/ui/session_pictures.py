"""Pictures of a saved session without a window (``playground export SESSION.json OUT.png``): the canvas (points
and decision surface, in the session's view) and the loss plot, drawn offscreen by the window's own widgets
and written as File → Export → Picture writes them: ``OUT.png`` and ``OUT-loss.png``."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..files import Session, atomic_write
from ..training.palette import class_image
from ..training.state import ViewState, sane_bounds
from ..training.surface import evaluate_surface, level_segments

CANVAS_SIZE = (900, 800)  # widget sizes: the pictures keep their proportions, scaled to the width asked for
LOSS_SIZE = (900, 450)
RESOLUTION = 200  # surface cells per side


def write_pictures(session: Session, trainer, path, width: int) -> list[str]:
    """Draw ``session`` (its network: ``trainer.net``) and write the two PNGs; returns their paths. Raises
    OSError. Needs no display: without a Qt platform chosen, the offscreen one is used."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from .canvas import Canvas
    from .loss_plot import LossPlot
    from .pictures import plot_png

    app = QApplication.instance() or QApplication(["playground"])
    pg.setConfigOptions(antialias=True)
    view = session.view or ViewState()
    ds, config = session.dataset, session.config
    canvas = Canvas()
    canvas.resize(*CANVAS_SIZE)
    canvas.show_bounds(view.bounds)
    app.processEvents()  # the view takes its size: it may show more than the bounds asked for
    shown = canvas.visible_bounds()
    bounds = shown if sane_bounds(shown) else view.bounds
    canvas.set_points(ds.X, ds.y, ds.test_mask(config.test_ratio, config.seed), view.show_test)
    surface = evaluate_surface(trainer.net, bounds, RESOLUTION, trainer.config.features)
    if surface.classes is None:
        contour = level_segments(surface.values, surface.bounds, 0.5)
        canvas.set_surface(surface.bounds, surface.values, None, contour, view.discretize)
    else:
        rgba = class_image(surface.classes, surface.values, trainer.net.layer_sizes[-1])
        canvas.set_surface(surface.bounds, None, rgba, None, view.discretize)
    loss = LossPlot()
    loss.resize(*LOSS_SIZE)
    loss.set_log(view.log_scale)
    loss.set_history({name: (np.asarray(e), np.asarray(v)) for name, (e, v) in session.history.items()})
    loss.redraw()
    app.processEvents()
    path = Path(path)
    targets = [(canvas, path), (loss, path.with_name(path.stem + "-loss" + path.suffix))]
    written = []
    try:
        for widget, target in targets:
            atomic_write(target, plot_png(widget, width))
            written.append(str(target))
    finally:
        for widget, _ in targets:
            widget.deleteLater()
        app.processEvents()
    return written
