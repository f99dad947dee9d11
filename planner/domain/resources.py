"""Where the shipped templates and data are, from a checkout and from an installed wheel.

In a checkout they are the top-level ``templates/`` and ``data/`` folders beside ``planner/``.
A wheel carries them inside the package as ``planner/_shipped/templates`` and
``planner/_shipped/data`` (see ``[tool.hatch.build.targets.wheel.force-include]``).
"""

from __future__ import annotations

from pathlib import Path

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
