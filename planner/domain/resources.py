"""Where the shipped templates and data are, from a checkout and from an installed wheel.

In a checkout they are the top-level ``templates/`` and ``data/`` folders beside ``planner/``.
A wheel carries them inside the package as ``planner/_shipped/templates`` and
``planner/_shipped/data`` (see ``[tool.hatch.build.targets.wheel.force-include]``).
"""

from __future__ import annotations

from pathlib import Path

APP_NAME = "healthcare-campaign-planner"  # its folders: data, cache
_PACKAGE = Path(__file__).resolve().parent.parent  # planner/


def _shipped(name: str) -> Path:
    installed = _PACKAGE / "_shipped" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def templates_dir() -> Path:
    return _shipped("templates")


def data_dir() -> Path:
    return _shipped("data")


def cache_dir() -> Path:
    """The user's cache folder for the planner (``~/.cache/healthcare-campaign-planner`` on
    Linux, or under ``$XDG_CACHE_HOME``): what it keeps there it can always make again."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
