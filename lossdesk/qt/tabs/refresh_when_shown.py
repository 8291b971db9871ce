"""Tabs out of sight do not redraw: they note what changed and catch up when shown.

Several tabs share one data set, so a drag in one would otherwise refit and repaint
every other tab on every frame.
"""

from __future__ import annotations


class RefreshWhenShown:
    """Mixin: route ``state.changed`` through ``_state_changed``; the window calls ``set_active``."""

    active = True
    _pending: frozenset = frozenset()

    def refresh(self, aspects: frozenset) -> None:  # pragma: no cover - supplied by the tab
        raise NotImplementedError

    def _state_changed(self, aspects: frozenset) -> None:
        if self.active:
            self.refresh(aspects)
        else:
            self._pending = self._pending | aspects

    def set_active(self, active: bool) -> None:
        self.active = active
        if active and self._pending:
            aspects, self._pending = self._pending, frozenset()
            self.refresh(aspects)
