"""The day the planner takes as today: the computer's date, or ``$PLANNER_TODAY``.

Costs and results dated after today are refused or asked about, and the tracking figures are
worked out as of today, so every face (the TUI, the command line, imports) asks this one
function. ``PLANNER_TODAY=2027-03-31`` works a campaign's figures out as of another day: to
look back at where a campaign stood, or to try a plan out before it starts.
"""

from __future__ import annotations

import datetime as dt
import os

from planner.domain.errors import PlannerError

ENV_TODAY = "PLANNER_TODAY"


def today() -> dt.date:
    """``$PLANNER_TODAY`` when it is set, else the computer's date."""
    text = os.environ.get(ENV_TODAY, "").strip()
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PlannerError(
            f"${ENV_TODAY} is '{text}', which is not a date; set it to a day such as "
            "2027-03-31, or unset it to use the computer's date."
        ) from None
