"""Taking the experiment elsewhere, the window's side: File → Export → Python script (NumPy or PyTorch) and
Edit → Copy settings / Paste settings. The script text and the settings text are made by pure modules
(``files.code_export``, ``training.settings_text``); this only asks the training thread for the weights,
talks to the clipboard and applies pasted settings through the one state model."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from ..files import ExportedModel, describe_os_error, export_script, quote
from ..training.commands import RequestState
from ..training.settings_text import PresetChoice, SettingsTextError, SharedSettings, format_settings, parse_settings
from ..training.trainer import output_for_data

SCRIPT_PURPOSES = {"export-script": False, "export-torch": True}  # RequestState purpose -> PyTorch?


class ShareActions(QObject):
    def __init__(self, thread, state, model, presets, data_panel, notify, problem, parent=None):
        """``presets`` loads a preset (``PresetActions``); ``data_panel`` shows its points and noise;
        ``notify(text)`` and ``problem(text)`` tell the user."""
        super().__init__(parent)
        self.thread = thread
        self.state = state
        self.model = model
        self.presets = presets
        self.data_panel = data_panel
        self.notify = notify
        self.problem = problem
        self.window = parent
        self._noise: dict[str, float] = {}  # the noise each preset was last loaded with
        thread.stateReady.connect(self.on_state)
        data_panel.presetRequested.connect(self._preset_loaded)

    @classmethod
    def for_window(cls, w) -> ShareActions:
        return cls(w.thread, w.state, w.model, w.presets, w.data_panel, w.notify, w.show_problem, w)

    # -- settings text -------------------------------------------------------------------------

    def preset_choice(self) -> PresetChoice | None:
        """The preset the points are, as generated (None for custom points)."""
        ds = self.model.dataset
        name = self.presets.loaded_name(ds)
        if name is None:
            return None
        return PresetChoice(name, len(ds), self._noise.get(name, 0.0))

    def settings_text(self) -> str:
        return format_settings(self.state.config, self.preset_choice())

    def copy_settings(self) -> None:
        text = self.settings_text()
        QGuiApplication.clipboard().setText(text)
        self.notify(f"Copied the settings (no data): {text}")

    def paste_settings(self) -> None:
        self.apply_text(QGuiApplication.clipboard().text())

    def apply_text(self, text: str) -> bool:
        """Apply a settings text; on a problem say what is wrong and change nothing."""
        try:
            shared = parse_settings(text)
        except SettingsTextError as exc:
            self.problem(f"Could not use the settings: {quote(str(exc), 300, marks=False)}. Nothing was changed.")
            return False
        self.apply(shared)
        return True

    def apply(self, shared: SharedSettings) -> None:
        """The settings, then the preset (generated with the new seed) as a new run."""
        self.state.set_config(shared.config)
        preset = shared.preset
        if preset is not None:
            self.data_panel.points.setValue(preset.points)
            self.data_panel.noise.setValue(preset.noise)
            self._noise[preset.name] = preset.noise
            self.presets.load(preset.name, preset.points, preset.noise)
        loaded = f" and loaded the {preset.name} preset" if preset is not None else ""
        self.notify(f"Applied the shared settings{loaded}.")

    @Slot(str, int, float)
    def _preset_loaded(self, name: str, points: int, noise: float) -> None:
        self._noise[name] = noise

    # -- scripts -------------------------------------------------------------------------------

    def export_script_dialog(self, torch: bool = False) -> None:
        title = "Export PyTorch script" if torch else "Export Python script"
        name = "model_torch.py" if torch else "model.py"
        path, _ = QFileDialog.getSaveFileName(self.window, title, name, "Python scripts (*.py)")
        if path:
            self.request_script(path, torch)

    def request_script(self, path, torch: bool = False) -> None:
        """Ask the training thread for the weights; ``on_state`` writes the script."""
        request = RequestState("export-torch" if torch else "export-script", str(path))
        if self.thread.alive:
            self.thread.send(request)
        else:  # the window closed while the dialog was open
            final = self.thread.final_state()
            if final is None:
                self.problem(f"Nothing was written to {path}: training had stopped unexpectedly.")
            else:
                self.write_script(str(path), final, torch)

    @Slot(object)
    def on_state(self, saved) -> None:
        if saved.purpose in SCRIPT_PURPOSES:
            self.write_script(saved.path, saved, SCRIPT_PURPOSES[saved.purpose])

    def write_script(self, path: str, saved, torch: bool) -> None:
        try:
            output = output_for_data(saved.dataset)[0]
            export_script(path, ExportedModel.from_state(saved.state, saved.config, output), torch=torch)
        except OSError as exc:
            self.problem(f"Could not export the script to {path}: {describe_os_error(exc)}")
            return
        except ValueError as exc:  # a network no script can express (never expected): say so
            self.problem(f"Could not export the script to {path}: {quote(str(exc), 200, marks=False)}")
            return
        use = "build_model() gives a torch.nn.Module" if torch else "predict(X) needs only NumPy"
        self.notify(f"Exported {path}: {use}")
