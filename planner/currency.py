"""ISO 4217 currencies and conversion between typed amounts and integer minor units.

Money is never a float in the planner: a user types ``120.50`` in major units, the planner
stores ``12050`` minor units with the campaign's currency, and shows it back as ``120.50``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Active ISO 4217 codes and the number of digits after the decimal point (their exponent).
_THREE = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"}
# fmt: off
_ZERO = {
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
    "VND", "VUV", "XAF", "XOF", "XPF",
}
_FOUR = {"CLF", "UYW"}
_TWO = {
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF",
    "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR",
    "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF",
    "IDR", "ILS", "INR", "IRR", "JMD", "KES", "KGS", "KHR", "KPW", "KYD", "KZT", "LAK", "LBP",
    "LKR", "LRD", "LSL", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "PAB", "PEN", "PGK",
    "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD",
    "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TOP",
    "TRY", "TTD", "TWD", "TZS", "UAH", "USD", "UYU", "UZS", "VES", "WST", "XCD", "XCG", "YER",
    "ZAR", "ZMW", "ZWG",
}

# fmt: on

EXPONENTS: dict[str, int] = {
    **{code: 2 for code in _TWO},
    **{code: 0 for code in _ZERO},
    **{code: 3 for code in _THREE},
    **{code: 4 for code in _FOUR},
}

CURRENCIES: frozenset[str] = frozenset(EXPONENTS)

_AMOUNT = re.compile(r"^\d+(\.\d+)?$")
# Commas that group thousands: 1,250 and 12,500,000.50; not 1,5 nor 12,50.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def shown(text: object) -> str:
    """What a user typed, as an error sentence quotes it: on one line, spaces evened out."""
    return " ".join(str(text).split())


def without_grouping(number: str, typed: str) -> str:
    """``number`` without the commas that group its thousands (and underscores). A comma that
    does not group thousands, such as the decimal comma of ``1,5``, is refused rather than
    read as 15."""
    number = number.strip().replace("_", "")
    if "," in number and not _GROUPED.match(number):
        raise ValueError(
            f"'{shown(typed)}' has a comma that does not separate thousands; write 1.5 for "
            "one and a half, or 1,500 for fifteen hundred."
        )
    return number.replace(",", "")


# Symbols a user may type with an amount, and the currencies each can stand for.
_DOLLARS = ("USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "TWD", "BSD", "BBD", "JMD", "TTD")
SYMBOLS: dict[str, tuple[str, ...]] = {
    "US$": ("USD",),
    "C$": ("CAD",),
    "A$": ("AUD",),
    "$": _DOLLARS,
    "€": ("EUR",),
    "£": ("GBP",),
    "¥": ("JPY", "CNY"),
    "₹": ("INR",),
    "₩": ("KRW",),
    "₽": ("RUB",),
    "₺": ("TRY",),
    "₪": ("ILS",),
    "₦": ("NGN",),
    "₱": ("PHP",),
    "R$": ("BRL",),
    "Fr.": ("CHF",),
    "kr": ("SEK", "NOK", "DKK", "ISK"),
    "zł": ("PLN",),
}
_SYMBOLS_LONGEST_FIRST = sorted(SYMBOLS, key=len, reverse=True)
_CODE = re.compile(r"^([A-Za-z]{3})\s*(.*)$|^(.*?)\s*([A-Za-z]{3})$", re.DOTALL)


def split_currency(text: str) -> tuple[str, str | None, tuple[str, ...]]:
    """An amount as typed, without a currency code or symbol before or after it: the number,
    what was written (``"EUR"``, ``"€"``, or None), and the currencies that can mean."""
    text = text.strip()
    if text[:1].isdigit() and text[-1:].isdigit():  # the usual case: a bare number
        return text, None, ()
    for symbol in _SYMBOLS_LONGEST_FIRST:
        if text.startswith(symbol):
            return text[len(symbol) :].strip(), symbol, SYMBOLS[symbol]
        if text.endswith(symbol):
            return text[: -len(symbol)].strip(), symbol, SYMBOLS[symbol]
    match = _CODE.match(text)
    if match:
        code = (match.group(1) or match.group(4)).upper()
        number = match.group(2) if match.group(1) else match.group(3)
        if is_currency(code):
            return number.strip(), code, (code,)
    return text, None, ()


def is_currency(code: str) -> bool:
    return code in CURRENCIES


def exponent(currency: str) -> int:
    return EXPONENTS.get(currency, 2)


def parse_amount(text: str, currency: str) -> int:
    """Turn an amount typed in major units (``"1,250.50"``) into integer minor units.

    A currency code or symbol may come before or after the number (``EUR 120``, ``€120``,
    ``120 EUR``); an amount in another currency than ``currency`` is refused, since the
    planner never converts between currencies. Raises ``ValueError`` with a sentence a user
    can act on.
    """
    number, written, means = split_currency(str(text))
    if written is not None and currency not in means:
        what = f"in {means[0]}" if len(means) == 1 else f"in {written}"
        raise ValueError(
            f"'{shown(text)}' is {what}, but this campaign keeps its money in "
            f"{currency}; enter the amount in {currency} (the planner does not convert "
            "currencies)."
        )
    cleaned = without_grouping(number, str(text))
    if cleaned.startswith("-"):
        raise ValueError(f"'{shown(text)}' is negative; amounts must be zero or more.")
    if not _AMOUNT.match(cleaned):
        raise ValueError(f"'{shown(text)}' is not an amount; type a number such as 120.50.")
    digits = exponent(currency)
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise ValueError(f"'{shown(text)}' is not an amount.") from exc
    minor = value.scaleb(digits)
    if minor != minor.to_integral_value():
        raise ValueError(
            f"'{shown(text)}' has more than {digits} decimal places, too many for {currency}."
        )
    return int(minor)


def format_minor(amount_minor: int, currency: str, *, symbol: bool = True) -> str:
    """Show integer minor units in major units with grouped thousands: ``EUR 1,250.50``."""
    digits = exponent(currency)
    sign = "-" if amount_minor < 0 else ""
    whole, frac = divmod(abs(int(amount_minor)), 10**digits)
    text = f"{whole:,}"
    if digits:
        text += f".{frac:0{digits}d}"
    return f"{sign}{currency} {text}" if symbol else f"{sign}{text}"
