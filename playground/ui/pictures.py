"""PNG pictures of plots at a chosen width, through pyqtgraph's exporter, as bytes (written atomically)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice


def plot_png(plot_widget, width: int) -> bytes:
    from pyqtgraph.exporters import ImageExporter  # only when exporting: not on the start-up path

    exporter = ImageExporter(plot_widget.getPlotItem())
    exporter.parameters()["width"] = int(width)
    image = exporter.export(toBytes=True)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("the picture could not be encoded as PNG")
    buffer.close()
    return bytes(data.data())
