"""Tabs out of sight compute nothing: they note that something changed and catch up when shown.

Several tabs share one settings store, so a drag in one would otherwise recompute and
repaint every other tab on every frame. A tab routes its stores' changes through
``settings_changed``; the window calls ``set_active`` as tabs come and go. What a tab
recomputes when shown comes from the current settings, so it is never stale.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from lossdesk.settings import SettingsStore, changed_fields

#: "everything may have changed" (a tab's first refresh, or catching up when shown)
EVERYTHING = frozenset({"*"})


class RefreshWhenShown:
    """Mixin: ``refresh(changed)`` runs now when the tab is shown, or once when it is next shown.

    ``changed`` is a set of names (settings fields, optionally prefixed by ``follow``);
    it only lets a tab skip work: ``refresh`` must be correct with ``EVERYTHING``.
    """

    active = True
    _pending: frozenset = frozenset()

    def refresh(self, changed: frozenset = EVERYTHING) -> None:  # pragma: no cover - supplied by the tab
        raise NotImplementedError

    def follow(self, store: SettingsStore, prefix: str = "") -> None:
        """Refresh on every change of ``store``; field names get ``prefix`` (e.g. "regression.")."""
        # a partial of a bound method: the store holds the tab weakly, so a closed tab goes
        store.changed.connect(partial(self._store_changed, prefix))

    def _store_changed(self, prefix: str, new: Any, old: Any) -> None:
        self.settings_changed(frozenset(prefix + name for name in changed_fields(old, new)))

    def settings_changed(self, changed: frozenset = EVERYTHING) -> None:
        if self.active:
            self.refresh(changed)
        else:
            self._pending = self._pending | changed

    _state_changed = settings_changed  # the name the tabs used before the settings stores

    def set_active(self, active: bool) -> None:
        self.active = bool(active)
        if self.active and self._pending:
            changed, self._pending = self._pending, frozenset()
            self.refresh(changed)
