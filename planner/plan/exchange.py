"""The campaign as a versioned JSON document: export, import, and the starters' file format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

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
