"""ISO 4217 currencies and conversion between typed amounts and integer minor units.

Money is never a float in the planner: a user types ``120.50`` in major units, the planner
stores ``12050`` minor units with the campaign's currency, and shows it back as ``120.50``.
"""

from __future__ import annotations

import re

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


def shown(text: object) -> str:
    """What a user typed, as an error sentence quotes it: on one line, spaces evened out."""
    return " ".join(str(text).split())


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


def format_minor(amount_minor: int, currency: str, *, symbol: bool = True) -> str:
    """Show integer minor units in major units with grouped thousands: ``EUR 1,250.50``."""
    digits = exponent(currency)
    sign = "-" if amount_minor < 0 else ""
    whole, frac = divmod(abs(int(amount_minor)), 10**digits)
    text = f"{whole:,}"
    if digits:
        text += f".{frac:0{digits}d}"
    return f"{sign}{currency} {text}" if symbol else f"{sign}{text}"
