"""The value new points take when the data are values (a regression): a slider with the value's colour.

It shows ``ViewState.current_value`` and asks for changes (``valueRequested``); it keeps no copy. The wheel
turned while painting on the canvas changes the same value (``DrawTool.wheeled``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from ..training.palette import binary_lut, value_shade
from ..training.state import VALUE_RANGE

STEPS = 100  # slider positions per unit of value: 0.01 apart


class ValueControl(QWidget):
    valueRequested = Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._lut = binary_lut()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("drawValue")
        lo, hi = VALUE_RANGE
        self.slider.setRange(int(lo * STEPS), int(hi * STEPS))
        self.slider.setSingleStep(5)
        self.slider.setPageStep(25)
        self.slider.setToolTip(
            "The value a left click or stroke gives new points (a right click: its opposite). "
            "Turn the mouse wheel while painting to change it."
        )
        self.label = QLabel()
        self.label.setObjectName("drawValueLabel")
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance("value −0.00") + 26)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        self.slider.valueChanged.connect(lambda v: self.valueRequested.emit(v / STEPS))
        self.show_value(0.5)

    @property
    def value(self) -> float:
        return self.slider.value() / STEPS

    def show_value(self, value: float) -> None:
        """Show ``value`` without echoing it back as a request."""
        position = int(round(value * STEPS))
        if self.slider.value() != position:
            self.slider.blockSignals(True)
            self.slider.setValue(position)
            self.slider.blockSignals(False)
        r, g, b = (int(c) for c in self._lut[int(value_shade(value, 1.0) * 255)])
        self.label.setText(f"value {value:+.2f}".replace("-", "−"))
        self.label.setStyleSheet(f"QLabel {{ border-left: 14px solid rgb({r},{g},{b}); padding-left: 4px; }}")
