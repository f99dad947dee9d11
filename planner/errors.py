"""Errors a user can cause. Each carries one sentence that says what happened and what to do."""

from __future__ import annotations

from pydantic import ValidationError


class PlannerError(Exception):
    """A problem the user can fix; ``str(error)`` is the sentence to show them."""


class NotFoundError(PlannerError):
    pass


class StaleWriteError(PlannerError):
    """The campaign changed since it was read; the write was refused, nothing was applied."""


class DatabaseError(PlannerError):
    pass


def describe_validation_error(exc: ValidationError, what: str = "") -> str:
    """One sentence naming the first invalid field and why, e.g.

    ``segments 1 > age_min: Input should be less than or equal to 120.``
    """
    errors = exc.errors(include_url=False)
    if not errors:  # pragma: no cover - pydantic always reports at least one
        return f"{what or 'The data'} is not valid."
    first = errors[0]
    parts = []
    for loc in first.get("loc", ()):
        parts.append(f"{loc + 1}" if isinstance(loc, int) else str(loc))
    where = " > ".join(parts)
    message = first.get("msg", "is not valid")
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    message = message[0].upper() + message[1:] if message else message
    more = (
        f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
        if len(errors) > 1
        else ""
    )
    prefix = f"{what}: " if what else ""
    if where:
        return f"{prefix}{where}: {message.rstrip('.')}{more}."
    return f"{prefix}{message.rstrip('.')}{more}."
