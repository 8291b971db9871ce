"""What the regression and classification tabs do alike with their data set."""

from __future__ import annotations

from lossdesk.model import PRESETS, Dataset
from lossdesk.qt.controls.float_slider import signals_blocked


class DataTabActions:
    """Mixin for a tab with ``state``, ``descent``, ``refit_views`` and ``show_message``."""

    def load_preset(self, name: str, noise: float | None = None) -> None:
        self.descent.set_playing(False)
        self.state.load_preset(name, noise)
        self.state.reset_run()
        self.refit_views()

    def load_data(self, data: Dataset, text: str) -> None:
        self.descent.set_playing(False)
        self.state.set_data(data, text, origin=(None, None))
        self.state.reset_run()
        self.refit_views()

    def remove_selected(self) -> None:
        row = self.state.selected
        if row is None:
            self.show_message("Select a point first: click it in the plot or the table.", "warning")
            return
        try:
            self.state.remove_point(row)
        except ValueError as exc:
            self.show_message(str(exc), "warning")
            return
        self.state.select(None)

    def _noise_changed(self, noise: float, live: bool) -> None:
        self.state.regenerate_preset(self.state.preset or self.preset_name(), noise, live)

    def show_origin(self) -> None:
        """The preset menu and the noise slider show where the current points came from."""
        preset, noise = self.state.origin
        combo, slider = self.preset_controls()
        with signals_blocked(combo):
            if preset is not None:
                combo.setCurrentText(preset)
        if preset is not None:
            slider.set_value(PRESETS[preset].default_noise if noise is None else noise)
