"""The number style a campaign has when it chose none, without loading Babel: the campaign
list works it out for every row, and the planner starts without the locale data."""

from __future__ import annotations

from collections.abc import Iterable

from planner.domain.money import exponent

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


# The separators (thousands, decimal) of the usual styles whose CLDR data groups every number
# of four digits or more, so that money in them is written without loading Babel's locale data
# (the campaign list shows a budget on every row as the planner starts). Any other style, and
# every number that is not an amount of money, goes through Babel (planner.domain.numbers).
_SEPARATORS = {"en_US": (",", "."), "en_GB": (",", "."), "it_IT": (".", ","), "de_DE": (".", ",")}


def quick_money(amount_minor: int, currency: str, style: str) -> str | None:
    """An amount in minor units as ``style`` writes it (``1.234,50``), or None when the style
    is not one of the usual ones above."""
    separators = _SEPARATORS.get(style)
    if separators is None:
        return None
    group, point = separators
    places = exponent(currency)
    whole, fraction = divmod(abs(int(amount_minor)), 10**places)
    text = f"{whole:,}".replace(",", group)
    if places:
        text += f"{point}{fraction:0{places}d}"
    return f"-{text}" if amount_minor < 0 else text


def format_money(
    amount_minor: int, currency: str, style: str | None = None, *, code: bool = False
) -> str:
    """``planner.domain.numbers.format_money``, without loading Babel for the usual styles."""
    text = quick_money(amount_minor, currency, style or PLAIN)
    if text is None:
        from planner.domain.numbers import babel_money

        text = babel_money(amount_minor, currency, style)
    return f"{currency} {text}" if code else text


def style_of(campaign: object) -> str:
    """The campaign's number style: its own, or the one its jurisdictions and currency give."""
    chosen = getattr(campaign, "number_style", None)
    if chosen:
        return str(chosen)
    return default_style(getattr(campaign, "jurisdictions", ()), getattr(campaign, "currency", ""))
