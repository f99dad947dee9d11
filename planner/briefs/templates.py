"""A consultant's own brief templates: the folder chosen for every brief (checked, with a sentence
when it cannot be used), and a copy of the standard templates to brand.
"""

from __future__ import annotations

from pathlib import Path

from planner.domain.errors import PlannerError
from planner.domain.resources import templates_dir
from planner.store import Store
from planner.store.output import user_path, write_file

TEMPLATE_DIR_SETTING = "brief.template_dir"
TEMPLATE_FILES = (
    "brief.md.j2",
    "brief.html.j2",
    "body.j2",
    "blocks.md.j2",
    "blocks.html.j2",
    "brief.css",
)


def check_template_dir(path: Path) -> Path:
    """A consultant's template folder, checked: it exists and holds at least one template."""
    path = user_path(path)
    if path.exists() and not path.is_dir():
        raise PlannerError(f"'{path}' is a file; --template-dir needs a folder of templates.")
    if not path.is_dir():
        raise PlannerError(
            f"The template folder '{path}' does not exist; create it with "
            f"'planner templates {path}', which copies the standard templates into it."
        )
    if not any((path / name).is_file() for name in TEMPLATE_FILES):
        raise PlannerError(
            f"The folder '{path}' holds none of the brief's templates "
            f"({', '.join(TEMPLATE_FILES)}); copy the standard ones into it with "
            f"'planner templates {path}' and change them there."
        )
    return path.resolve()


def saved_template_dir(store: Store) -> Path | None:
    """The template folder chosen in the planner (None: the standard templates)."""
    value = store.get_setting(TEMPLATE_DIR_SETTING)
    if not value:
        return None
    path = Path(value)
    if not path.is_dir():
        raise PlannerError(
            f"The brief template folder '{path}' chosen in the planner no longer exists; "
            "choose another one in the Brief screen (T), or pass --template-dir."
        )
    return path


def save_template_dir(store: Store, path: Path | None) -> Path | None:
    """Choose the template folder for every brief (None: back to the standard templates)."""
    checked = None if path is None else check_template_dir(path)
    store.set_setting(TEMPLATE_DIR_SETTING, None if checked is None else str(checked))
    return checked


def copy_templates(target: Path, *, force: bool = False) -> list[Path]:
    """Copy the standard templates into ``target`` (created if need be) to be branded."""
    target = user_path(target)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlannerError(f"The folder '{target}' cannot be created: {exc.strerror}.") from None
    existing = [name for name in TEMPLATE_FILES if (target / name).exists()]
    if existing and not force:
        raise PlannerError(
            f"'{target}' already has {', '.join(existing)}; pass --force to replace them."
        )
    copied = []
    for name in TEMPLATE_FILES:
        data = (templates_dir() / name).read_bytes()
        copied.append(write_file(target / name, data, force=True))
    return copied
