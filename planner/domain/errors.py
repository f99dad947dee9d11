"""Errors a user can cause. Each carries one sentence that says what happened and what to do."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pydantic loads with the models, not for the campaign list
    from pydantic import ValidationError


class PlannerError(Exception):
    """A problem the user can fix; ``str(error)`` is the sentence to show them."""


class NotFoundError(PlannerError):
    pass


class StaleWriteError(PlannerError):
    """The campaign changed since it was read; the write was refused, nothing was applied."""


class DatabaseError(PlannerError):
    pass


def is_validation_error(exc: BaseException) -> bool:
    """Whether ``exc`` is pydantic's ValidationError, without loading pydantic to find out
    (if it is not loaded, nothing could have raised one)."""
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(exc, pydantic.ValidationError)


def describe_validation_error(exc: ValidationError, what: str = "") -> str:
    """One sentence naming the first invalid field and why, e.g.

    ``segments 1 > age_min: Input should be less than or equal to 120.``
    """
    return describe_errors(exc.errors(include_url=False), what)


def describe_errors(errors: list[Any], what: str = "", more: int = 0) -> str:
    """``describe_validation_error`` for pydantic's list of errors (``exc.errors()``), of
    which the first is named and ``more`` others were found elsewhere: how a campaign file's
    costs, validated one at a time as they are read, are told as the whole file's would be."""
    if not errors:  # pragma: no cover - pydantic always reports at least one
        return f"{what or 'The data'} is not valid."
    first = errors[0]
    parts = []
    for loc in first.get("loc", ()):
        parts.append(f"{loc + 1}" if isinstance(loc, int) else str(loc))
    where = " > ".join(parts)
    message = field_message(first)
    others = len(errors) - 1 + more
    more_text = f" (and {others} more problem{'s' if others > 1 else ''})" if others else ""
    prefix = f"{what}: " if what else ""
    if where:
        return f"{prefix}{where}: {message.rstrip('.')}{more_text}."
    return f"{prefix}{message.rstrip('.')}{more_text}."


def _bound(value: Any) -> Any:
    """A limit as a person writes it: 0 rather than 0.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def field_message(error: Any) -> str:
    """A pydantic error (one entry of ``ValidationError.errors()``) as a short sentence."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        message = "this is required"
    elif kind == "string_too_long":
        message = f"too long: at most {ctx.get('max_length')} characters"
    elif kind == "greater_than_equal":
        message = f"must be at least {_bound(ctx.get('ge'))}"
    elif kind == "greater_than":
        message = f"must be more than {_bound(ctx.get('gt'))}"
    elif kind == "less_than_equal":
        message = f"must be at most {_bound(ctx.get('le'))}"
    elif kind == "less_than":
        message = f"must be less than {_bound(ctx.get('lt'))}"
    elif kind == "enum":
        message = f"choose one of: {ctx.get('expected', 'the listed options')}"
    else:
        message = error.get("msg", "is not valid")
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
    return message[0].upper() + message[1:] if message else message
