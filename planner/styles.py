"""The number style a campaign has when it chose none, without loading Babel: the campaign
list works it out for every row, and the planner starts without the locale data."""

from __future__ import annotations

from collections.abc import Iterable

PLAIN = "en_US"


def default_style(jurisdictions: Iterable[object], currency: str) -> str:
    """The style a campaign has when it chose none: Italy or the euro write ``1.234,50``,
    the United Kingdom or the pound ``1,234.50`` as in Britain, anything else as in the US."""
    places = {str(getattr(j, "value", j)) for j in jurisdictions}
    if "IT" in places or currency == "EUR":
        return "it_IT"
    if "US" in places or currency == "USD":
        return "en_US"
    if "UK" in places or currency == "GBP":
        return "en_GB"
    return PLAIN
