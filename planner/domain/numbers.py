"""Numbers as people write them: read and shown in the campaign's number style.

A campaign writes its numbers one way, its *number style*: a locale such as ``en_US``
(``1,234.50``) or ``it_IT`` (``1.234,50``), chosen in the Overview or worked out from the
campaign's jurisdictions and currency. Every number, amount and percentage a user types for
the campaign (in a form, at the command line) is read by that style with Babel's strict
parsing, and shown back the same way.

A value that the style reads one way but that is the usual way of writing another number
(``12.000`` in a ``1,234.50`` campaign: twelve, or twelve thousand?) is refused with a
sentence giving both readings and how to type each; the planner never saves a guess.

Each reader raises ``ValueError`` whose text can be shown as is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import (
    NumberFormatError,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)

# The style of a campaign that has none of its own and nothing to work one out from, and of
# callers that pass none (how the planner read numbers before styles existed), and the style
# its jurisdictions and currency give: in planner.domain.styles, which the campaign list uses
# without loading Babel.
from planner.domain import styles as _styles
from planner.domain.money import exponent, shown, split_currency
from planner.domain.rates import is_percent_unit
from planner.domain.styles import PLAIN, default_style, style_of  # noqa: F401 (theirs, read here too)

# The styles the Overview offers (any other locale Babel knows can be set from the CLI).
OFFERED = ("en_US", "en_GB", "it_IT", "de_DE", "es_ES", "fr_FR")

# The two usual ways of writing numbers, tried on a value the campaign's style cannot read to
# say what it may have meant.
_CONVENTIONS = ("en_US", "de_DE")

# Spaces that people type for a style that groups thousands with a (narrow, no-break) space.
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
_MINUS = "\u2212"


# Styles ----------------------------------------------------------------------------------------


def normalise_style(value: str) -> str:
    """A style as the planner stores it (``it-it`` -> ``it_IT``); ``ValueError`` with a
    sentence for a locale Babel does not know."""
    text = value.strip().replace("-", "_")
    try:
        return str(Locale.parse(text))
    except (UnknownLocaleError, ValueError, TypeError):
        offered = ", ".join(OFFERED)
        raise ValueError(
            f"'{shown(value)}' is not a number style; use a locale such as {offered}"
        ) from None


@functools.lru_cache(maxsize=64)
def _symbols(style: str) -> tuple[str, str]:
    """(thousands separator, decimal separator) of a style, in Latin digits."""
    locale = Locale.parse(style)
    return get_group_symbol(locale), get_decimal_symbol(locale)


def example(style: str) -> str:
    """How the style writes one thousand two hundred thirty-four and a half: ``1.234,50``."""
    return _format(Decimal("1234.50"), style, 2)


def style_label(style: str) -> str:
    """``1.234,50 (Italian, Italy)``: what a user picks a style by."""
    return f"{example(style)} – {Locale.parse(style).get_display_name('en')}"


def style_choices() -> list[tuple[str, str]]:
    return [(style_label(style), style) for style in OFFERED]


# Showing numbers -----------------------------------------------------------------------------


def _pattern(style: str, places: int) -> str:
    """The style's own number pattern with exactly ``places`` decimals (``#,##0.00``)."""
    pattern = Locale.parse(style).decimal_formats[None].pattern.split(";")[0]
    return re.sub(r"\.[0#]*", "." + "0" * places if places else "", pattern, count=1)


def _format(value: Decimal, style: str, places: int | None) -> str:
    if places is None:
        text = format_decimal(value, locale=style, decimal_quantization=False)
    else:
        text = format_decimal(value, format=_pattern(style, places), locale=style)
    text = text.replace(_MINUS, "-")
    if _ambiguous_shape(text, style):
        text += "0"  # 12.125 -> 12.1250: read back as written, never as twelve thousand
    return text


def format_number(value: float | int | Decimal | None, style: str | None = None) -> str:
    """A number as the style writes it, every digit it holds (``12.000`` for twelve thousand
    in Italian, ``1,234.5678`` in the US); blank for none."""
    if value is None:
        return ""
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    return _format(number, style or PLAIN, None)


def format_rounded(
    value: float | int | Decimal | None, style: str | None = None, places: int = 2
) -> str:
    """A figure rounded to at most ``places`` decimals, without trailing zeros, as the style
    writes it (``63,5`` and ``12.000`` in Italian, ``1,234.57`` in the US); ``–`` for none.
    For figures worked out or shown in a report, not for values typed back."""
    if value is None:
        return "–"
    style = style or PLAIN
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    number = round(number, places) + 0  # + 0: no "-0" for a small negative figure
    pattern = _pattern(style, 0) + ("." + "#" * places if places else "")
    return format_decimal(number, format=pattern, locale=style).replace(_MINUS, "-")


def format_money(
    amount_minor: int, currency: str, style: str | None = None, *, code: bool = False
) -> str:
    """Integer minor units as the style writes the amount: ``1.234,50`` (``EUR 1.234,50``
    with ``code``)."""
    return _styles.format_money(amount_minor, currency, style, code=code)


def babel_money(amount_minor: int, currency: str, style: str | None = None) -> str:
    """``format_money`` by Babel's locale data, in any style (``planner.domain.styles`` writes the
    usual ones the same way without it)."""
    places = exponent(currency)
    text = _format(Decimal(int(amount_minor)).scaleb(-places), style or PLAIN, places)
    if places == 3 and _ambiguous_shape(text[:-1], style or PLAIN):
        text = text[:-1]  # three decimals are the currency's own: not ambiguous
    return text


# Reading numbers -----------------------------------------------------------------------------


def _ambiguous_shape(text: str, style: str) -> re.Match[str] | None:
    """``12.000`` in a style with a decimal point: three digits after the decimal separator,
    and no thousands separator, as the other usual style writes twelve thousand."""
    point = _symbols(style)[1]
    if point not in ".,":
        return None
    return re.fullmatch(rf"([+-]?)([1-9]\d{{0,2}}){re.escape(point)}(\d{{3}})", text)


def _cleaned(text: str, style: str) -> str:
    """What was typed with its minus sign and the spaces or apostrophes of a style that groups
    thousands with them made the style's own."""
    group, _ = _symbols(style)
    cleaned = text.strip().replace(_MINUS, "-")
    if _SPACES.match(group):
        cleaned = _SPACES.sub(group, cleaned)
    elif group in "'’":
        cleaned = cleaned.replace("'", group).replace("’", group)
    return cleaned


def _strict(text: str, style: str) -> Decimal:
    """The number ``text`` is in ``style``, by Babel's strict parsing (which refuses thousands
    separators in the wrong places); only digits, the style's two separators and a sign."""
    group, point = _symbols(style)
    allowed = rf"[+-]?[\d{re.escape(group + point)}]*\d[\d{re.escape(group + point)}]*"
    if not re.fullmatch(allowed, text):
        raise NumberFormatError(f"{text!r} is not a valid decimal number")
    return parse_decimal(text, style, strict=True)


def _readings(text: str, style: str) -> list[Decimal]:
    """What ``text`` is in the usual styles other than ``style``."""
    found: list[Decimal] = []
    for other in _CONVENTIONS:
        if _symbols(other) == _symbols(style):
            continue
        try:
            value = _strict(_cleaned(text, other), other)
        except NumberFormatError:
            continue
        if value not in found:
            found.append(value)
    return found


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def read_decimal(
    text: str,
    style: str | None = None,
    *,
    what: str = "number",
    show: Callable[[Decimal, str], str] | None = None,
    ambiguous_ok: bool = False,
) -> Decimal | None:
    """The number typed in ``text`` in ``style``; None when blank. ``what`` names it in a
    refusal ("number", "amount"); ``show`` writes a suggested value in the style."""
    style = style or PLAIN
    typed = shown(text)
    cleaned = _cleaned(text, style)
    if not cleaned:
        return None
    write = show or (lambda value, s: format_number(value, s))
    try:
        value = _strict(cleaned, style)
    except NumberFormatError as exc:
        readings = [write(v, style) for v in _readings(cleaned, style)]
        suggestions = readings or list(getattr(exc, "suggestions", None) or [])
        if suggestions:
            which = "" if len(suggestions) == 1 else ", whichever you mean"
            raise ValueError(
                f"'{typed}' is not how this campaign writes numbers (like {example(style)}); "
                f"type {_or(list(dict.fromkeys(suggestions)))}{which}."
            ) from None
        sample = "120" + _symbols(style)[1] + "50"
        if what == "amount":
            raise ValueError(
                f"'{typed}' is not an amount; type a number such as {sample}."
            ) from None
        raise ValueError(
            f"'{typed}' is not a {what}; type digits such as 12 or 3{_symbols(style)[1]}5."
        ) from None
    shape = _ambiguous_shape(cleaned, style)
    if shape and not ambiguous_ok:
        raise ValueError(ambiguity(typed, shape, style))
    return value


def ambiguity(typed: str, shape: re.Match[str], style: str, *, in_file: bool = False) -> str:
    """The sentence refusing ``12.000`` in a ``1,234.50`` style: both readings and how to
    write each (typed in the planner, or corrected ``in_file``)."""
    point = _symbols(style)[1]
    sign, whole, fraction = shape.groups()
    as_decimal = Decimal(f"{sign}{whole}.{fraction}").normalize()
    as_thousands = Decimal(f"{sign}{whole}{fraction}")
    mark = {".": "dot", ",": "comma"}[point]
    kind = {".": "point", ",": "comma"}[point]
    first, second = format_number(as_decimal, style), format_number(as_thousands, style)
    readings = (
        f"'{typed}' could be read as {format(as_decimal, 'f').replace('.', point)} (the {mark} "
        f"as a decimal {kind}) or as {as_thousands} (the {mark} separating thousands)"
    )
    if in_file:
        return (
            f"{readings}, and nothing in the file shows which; write it {first} or {second} in "
            "the file."
        )
    return (
        f"{readings}; this campaign writes numbers like {example(style)}, so type {first} for "
        f"the first or {second} for the second."
    )


def decimal_point(style: str) -> str:
    """The decimal separator of a style as a file reader takes it: ``"."`` or ``","``."""
    point = _symbols(style)[1]
    return point if point in ".," else "."


def ambiguous_in_file(text: str, style: str) -> str | None:
    """The refusal of a file's value such as ``12.000`` read in the campaign's ``style``
    because nothing in the file showed how it writes numbers; None for a value that can be
    read only one way."""
    number, _, _ = split_currency(text.strip())
    number = number.strip().rstrip("%").strip().lstrip("(").rstrip(")")
    shape = _ambiguous_shape(number, style)
    return ambiguity(shown(text), shape, style, in_file=True) if shape else None


def format_figure(value: float | int | None, unit: str = "", style: str | None = None) -> str:
    """A measure's figure as ``format_rounded`` writes it, with ``%`` when its unit is a
    percentage (``58%``, ``63,5%`` in Italian; ``120`` for visits); ``–`` for none."""
    if value is None:
        return "–"
    text = format_rounded(value, style)
    return f"{text}%" if is_percent_unit(unit) else text


def parse_number(text: str, style: str | None = None, *, percent: bool = False) -> float | None:
    """A number such as ``12``, ``-3.5`` or ``1,200`` in the style (blank means none). With
    ``percent`` (the figure's unit is a percentage) a trailing ``%`` is accepted."""
    number = text.strip()
    if number.endswith("%"):
        if not percent:
            raise ValueError(
                f"'{shown(text)}' has a % sign, but this figure is not a percentage; type "
                "the number alone."
            )
        number = number[:-1]
    value = read_decimal(number, style)
    if value is None:
        return None
    if abs(value) > Decimal("1e15"):
        raise ValueError(f"'{shown(text)}' is too large.")
    return float(value)


def parse_int(text: str, style: str | None = None) -> int | None:
    """A whole number such as ``2,400`` (``2.400`` in Italian); blank means none."""
    value = read_decimal(text, style)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise ValueError(f"'{shown(text)}' is not a whole number.")
    if abs(value) > Decimal("1e15"):
        raise ValueError(f"'{shown(text)}' is too large.")
    return int(value)


def parse_percent(text: str, style: str | None = None) -> float | None:
    """A percentage such as ``85``, ``85%`` or ``63,5 %`` (blank means none)."""
    value = parse_number(text, style, percent=True)
    if value is not None and not 0 <= value <= 100:
        raise ValueError(f"'{shown(text)}' is not a percentage between 0 and 100.")
    return value


_PERIOD = re.compile(
    r"^(.*?)\s*(?:(?:a|an|per|each|every|/)\s*(month|season|\w+)|(monthly))\s*\.?$",
    re.IGNORECASE,
)


def parse_per_period(text: str, style: str | None = None) -> int | None:
    """A count a month or a season: ``5``, ``5 a month``, ``20 per season``, ``5/month``."""
    match = _PERIOD.match(text.strip())
    if match and match[1]:
        period = (match[2] or match[3] or "").casefold()
        if period not in ("month", "season", "monthly"):
            raise ValueError(
                f"'{shown(text)}' is not a month or a season; type how many a month (or a "
                "season, for a seasonal service), e.g. 5 or 5 a month."
            )
        text = match[1]
    return parse_int(text, style)


def parse_amount(text: str, currency: str, style: str | None = None) -> int:
    """An amount typed in major units (``1.234,50`` in Italian, ``1,234.50`` in the US) as
    integer minor units. A currency code or symbol may come before or after the number
    (``€ 99,90``, ``EUR 99,90``, ``99,90 €``); an amount in another currency is refused, since
    the planner never converts, and so is a negative amount."""
    style = style or PLAIN
    number, written, means = split_currency(str(text))
    if written is not None and currency not in means:
        what = f"in {means[0]}" if len(means) == 1 else f"in {written}"
        raise ValueError(
            f"'{shown(text)}' is {what}, but this campaign keeps its money in "
            f"{currency}; enter the amount in {currency} (the planner does not convert "
            "currencies)."
        )
    if not number.strip():
        sample = "120" + _symbols(style)[1] + "50"
        raise ValueError(f"'{shown(text)}' is not an amount; type a number such as {sample}.")
    places = exponent(currency)
    value = read_decimal(
        number,
        style,
        what="amount",
        show=lambda v, s: _format(v, s, places if _decimals(v) <= places else None),
        ambiguous_ok=places == 3,  # BHD 12.500: three decimals are the currency's own
    )
    assert value is not None
    if value < 0:
        raise ValueError(f"'{shown(text)}' is negative; amounts must be zero or more.")
    minor = value.scaleb(places)
    if minor != minor.to_integral_value():
        raise ValueError(
            f"'{shown(text)}' has more than {places} decimal places, too many for {currency}."
        )
    return int(minor)


def format_amounts(by_currency: dict[str, int]) -> str:
    """Sums in several currencies, each as its currency is usually written: ``EUR 5.970,00,
    USD 1,200.00`` ("–" for none)."""
    pairs = sorted(by_currency.items())
    written = [format_money(v, k, _styles.default_style([], k), code=True) for k, v in pairs]
    return ", ".join(written) or "–"
