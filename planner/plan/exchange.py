"""The campaign as a versioned JSON document: export, import, and the starters' file format."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from planner.domain.errors import PlannerError, describe_validation_error
from planner.domain.models import Campaign
from planner.store.dbfiles import refuse_database

FORMAT = "healthcare-campaign-planner/campaign"
FORMAT_VERSION = 1


def to_document(campaign: Campaign, **extra: Any) -> dict[str, Any]:
    """The campaign as a JSON-ready dict: ``format``, ``format_version``, then ``campaign``."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        **extra,
        "campaign": campaign.model_dump(mode="json"),
    }


def dumps(campaign: Campaign, **extra: Any) -> str:
    return json.dumps(to_document(campaign, **extra), indent=2, ensure_ascii=False) + "\n"


def dump_chunks(
    campaign: Campaign, entries: dict[str, Iterable[BaseModel]], **extra: Any
) -> Iterator[str]:
    """The text ``dumps`` writes, a piece at a time, for a ``campaign`` read without its costs
    and results: ``entries`` gives them (``{"costs": ..., "results": ...}``, in the order the
    document lists them), and each is written as it is read, so that a campaign with a million
    costs is exported with the memory of one with none."""
    return streamed_lists(dumps(campaign, **extra), entries, depth=2)


def streamed_lists(
    text: str, lists: dict[str, Iterable[BaseModel]], *, depth: int
) -> Iterator[str]:
    """``text``, JSON indented by two spaces in which each list named in ``lists`` is empty
    (``"costs": []``) at ``depth`` levels of keys, with the models of each list written in
    instead, one at a time, exactly as ``json.dumps(..., indent=2)`` writes a list. (A string
    in the JSON cannot hold the marker: its line breaks are written as ``\\n``.)"""
    pad = " " * (2 * depth)
    for name, items in lists.items():
        head, found, text = text.partition(f'\n{pad}"{name}": []')
        if not found:
            raise ValueError(f"no empty list {name!r} at depth {depth}")
        yield head + f'\n{pad}"{name}": ['
        inner, first = "\n" + pad + "  ", True
        for item in items:
            yield ("" if first else ",") + inner + _indented(item.model_dump(mode="json"), inner)
            first = False
        yield "]" if first else f"\n{pad}]"
    yield text


_SCALAR = json.JSONEncoder(ensure_ascii=False).encode  # one value, by the C encoder


def _indented(item: dict[str, Any], inner: str) -> str:
    """``json.dumps(item, indent=2)`` with its lines after the first starting with ``inner``:
    a cost or a result holds only plain values, which are written by the C encoder (with an
    indent, json writes everything in Python, at twice the time)."""
    if not item or any(isinstance(v, (dict, list)) for v in item.values()):
        return json.dumps(item, indent=2, ensure_ascii=False).replace("\n", inner)
    pad = inner + "  "
    fields = ",".join(f"{pad}{_SCALAR(key)}: {_SCALAR(value)}" for key, value in item.items())
    return "{" + fields + inner + "}"


def from_document(data: Any, source: str = "The file") -> Campaign:
    """Validate a document and return its campaign, or raise a one-sentence PlannerError."""
    if not isinstance(data, dict) or "campaign" not in data:
        raise PlannerError(
            f"{source} is not a campaign export: it has no 'campaign' section. "
            "Use a file written by 'planner export'."
        )
    if data.get("format", FORMAT) != FORMAT:
        raise PlannerError(f"{source} is a '{data.get('format')}' file, not a campaign export.")
    version = data.get("format_version", FORMAT_VERSION)
    if not isinstance(version, int) or version < 1:
        raise PlannerError(f"{source} has an unreadable format_version ({version!r}).")
    if version > FORMAT_VERSION:
        raise PlannerError(
            f"{source} was written by a newer planner (format version {version}); "
            f"this one reads up to version {FORMAT_VERSION}. Upgrade the planner to import it."
        )
    try:
        return Campaign.model_validate(data["campaign"])
    except ValidationError as exc:
        raise PlannerError(
            describe_validation_error(exc, f"{source} has an invalid campaign")
        ) from None


def loads(text: str, source: str = "The file") -> Campaign:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlannerError(
            f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    except (ValueError, RecursionError):
        raise PlannerError(
            f"{source} holds numbers or nesting too large to be a campaign export."
        ) from None
    return from_document(data, source)


def read_file(path: Path) -> Campaign:
    source = f"'{path}'"
    refuse_database(path, "choose a campaign file that 'planner export' wrote.")
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PlannerError(f"There is no file {source}.") from None
    except IsADirectoryError:
        raise PlannerError(f"{source} is a folder, not a campaign file.") from None
    except UnicodeDecodeError:
        raise PlannerError(
            f"{source} is not a text file; expected a campaign export in JSON."
        ) from None
    except OSError as exc:
        raise PlannerError(f"{source} cannot be read: {exc.strerror}.") from None
    return loads(text, source)
