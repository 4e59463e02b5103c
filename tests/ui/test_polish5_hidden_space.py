"""The Hidden space panel's layer box shows its whole text in a laptop-narrow dock ("1 (4 neurc" was cut)."""

from ui_helpers import shown

from playground.ui.insight_views import HiddenSpaceView


def test_the_layer_box_is_wide_enough_for_its_text_in_a_narrow_panel(qtbot):
    view = shown(qtbot, HiddenSpaceView(), 240, 400)
    view.set_layers([2, 4, 12, 1])
    qtbot.wait(10)
    for k in range(view.layer.count()):
        view.layer.setCurrentIndex(k)
        text = view.layer.currentText()
        room = view.layer.width() - view.layer.iconSize().width()  # the arrow's side, roughly
        assert view.layer.fontMetrics().horizontalAdvance(text) < room, (text, view.layer.width())
