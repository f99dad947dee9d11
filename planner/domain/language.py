"""The language a brief is written in: the planner's own words (headings, labels, the sentences
it writes around the plan, dates) in the campaign's language, from gettext message catalogues.

The catalogues are ``data/locale/<language>/LC_MESSAGES/brief.po`` (the translations, edited
by a translator) and the ``brief.mo`` compiled from each (what is read here); another language
is another catalogue, not a code change (``python -m planner.briefs.catalog`` gathers the
words to translate and compiles the catalogues).

Code marks its words with ``_("...")`` (and ``ngettext`` for a count's noun); they are English
unless a brief is being written in another language (``speaking``), so the screens and the
command line, which stay in English, are unchanged. The campaign's words are its own and are
never translated.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from planner.domain.resources import data_dir

# The languages a brief can be written in: code -> its name in that language.
LANGUAGES = {"en": "English", "it": "Italiano"}
ENGLISH = "en"
DOMAIN = "brief"  # the catalogues' name: brief.po, brief.mo

_NAMES = {
    "en": "en",
    "english": "en",
    "inglese": "en",
    "it": "it",
    "italian": "it",
    "italiano": "it",
}

_speaking: ContextVar[str] = ContextVar("speaking", default=ENGLISH)


def locale_dir() -> str:
    return str(data_dir() / "locale")


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of ``language`` (English needs none: its words are the messages)."""
    if language == ENGLISH:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, locale_dir(), languages=[language])


def normalise_language(value: str) -> str:
    """``value`` as a language code a brief can be written in: "it", "Italian", "it_IT" and
    "italiano" are all "it"; a ValueError in a sentence for one it cannot be written in."""
    text = value.strip().casefold().replace("-", "_")
    code = _NAMES.get(text) or _NAMES.get(text.split("_")[0])
    if code is None:
        names = ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
        raise ValueError(f"A brief cannot be written in '{value}' yet; the languages are {names}")
    return code


def language_of(campaign: object) -> str:
    """The language of the campaign's brief: its own; else the one of the number style it
    chose (it_IT: Italian), if a brief can be written in it; else Italian for a campaign in
    Italy; else English. (A euro campaign elsewhere writes 1.234,50 by default, but its brief
    is not for that in Italian.)"""
    chosen = getattr(campaign, "language", None)
    if chosen:
        return str(chosen)
    style = getattr(campaign, "number_style", None)
    if style:
        code = str(style).split("_")[0].casefold()
        return code if code in LANGUAGES else ENGLISH
    places = {str(getattr(j, "value", j)) for j in getattr(campaign, "jurisdictions", ())}
    return "it" if "IT" in places else ENGLISH


def current() -> str:
    """The language being written in now."""
    return _speaking.get()


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Write in ``language`` until the block ends (in this thread or task only)."""
    token = _speaking.set(language if language in LANGUAGES else ENGLISH)
    try:
        yield
    finally:
        _speaking.reset(token)


def _(message: str, /, **values: object) -> str:
    """``message`` in the language being written in, its ``%(name)s`` filled from ``values``."""
    text = translations(_speaking.get()).gettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, /, **values: object) -> str:
    """The singular or plural message for ``n`` (``%(num)s`` is ``n`` unless given)."""
    text = translations(_speaking.get()).ngettext(singular, plural, n)
    return text % {"num": n, **values}


def N_(message: str) -> str:
    """Marks ``message`` to be translated where it is shown, not where it is written."""
    return message


# Dates ---------------------------------------------------------------------------------------

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def format_day(value: dt.date) -> str:
    """A date as the language writes it: ``5 Mar 2027``, ``5 mar 2027``."""
    language = _speaking.get()
    if language == ENGLISH:
        return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    return _babel_date(value, "d MMM y", language)


def written_day(value: str) -> str:
    """An ISO date in a sentence: as it is in English (the command line's ``2027-03-02``), as
    the language writes it in another (``2 mar 2027``)."""
    if _speaking.get() == ENGLISH:
        return value
    return format_day(dt.date.fromisoformat(value[:10]))


def format_month(value: dt.date) -> str:
    """A month as the language writes it: ``Mar 2027``, ``mar 2027``."""
    language = _speaking.get()
    if language == ENGLISH:
        return f"{_MONTHS[value.month - 1]} {value.year}"
    return _babel_date(value, "MMM y", language)


@functools.lru_cache(maxsize=4096)
def _babel_date(value: dt.date, pattern: str, language: str) -> str:
    """Babel's date in ``pattern`` (kept: a long plan writes the same days over and over)."""
    from babel.dates import format_date

    return format_date(value, pattern, locale=language)
