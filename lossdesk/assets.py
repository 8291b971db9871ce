"""Files shipped with lossdesk (icons, example data), found in the installed package.

In a wheel they live in ``lossdesk/resources``; in a source checkout, in the top-level
``resources/`` folder beside the package.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """The path of a shipped file, e.g. ``resource_path("icons", "lossdesk.svg")``."""
    packaged = resources.files("lossdesk").joinpath("resources", *parts)
    if packaged.is_file() or packaged.is_dir():
        return Path(str(packaged))
    source = Path(__file__).resolve().parent.parent / "resources"
    return source.joinpath(*parts)


def is_packaged() -> bool:
    """True when the resources come from the installed package, not a checkout."""
    return resources.files("lossdesk").joinpath("resources").is_dir()
