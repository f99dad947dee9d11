"""A compliance rule and where its phrases match a text.

``Rule`` is one rule as read from a pack (what it applies to, its phrases and their context,
why it matters, its citation and fix); ``RuleSet`` is every rule read, by id and by
jurisdiction. ``match_text`` finds where a rule's phrases match, with the context around them
(the same sentence, words close by, words that must or must not be in the message).
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from planner.compliance.lexicons import (
    Lexicons,
    Opening,
    compile_phrases,
    fold,
    is_word,
    openings,
)
from planner.compliance.reading import readable
from planner.domain.errors import PlannerError
from planner.domain.models import Channel, Jurisdiction, Offering
from planner.domain.records import Labeled


class Severity(Labeled):
    BLOCK = "block"  # must be fixed before the campaign can be approved
    REVIEW = "review"  # a person must look, and may accept it with a reason
    CONFIRM = "confirm"  # a checklist item to tick

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    @property
    def decision(self) -> str | None:
        """What a person records to settle a finding of this severity (a block is fixed)."""
        return {"review": "accepted", "confirm": "confirmed"}.get(self.value)


TARGETS = ("message", "claim", "testimonial", "activity", "campaign")
# Jurisdictions whose packs also apply: Italy is in the European Union.
_ALSO = {"IT": ("EU",)}


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    pack: str
    jurisdiction: str  # US, IT, UK, EU, or "any" (platform, social and general rules)
    severity: Severity
    applies_to: tuple[str, ...]
    why: str
    citation: str
    fix: str
    words: tuple[str, ...] = ()  # the phrases that raise it
    near: tuple[str, ...] = ()  # ...only with one of these in the same sentence, close by
    within: int = 6  # words between a phrase and its context
    near_scope: str = "sentence"  # where the context is looked for: sentence or text
    unless: tuple[str, ...] = ()  # ...and none of these in the scope below
    unless_scope: str = "sentence"  # sentence or message (the whole variant)
    also: tuple[str, ...] = ()  # ...and one of these somewhere in the message
    required: tuple[str, ...] = ()  # raised when none of these is in the message
    unless_evidence: bool = False  # quiet when the claim (or a claim of the variant) has evidence
    once: bool = False  # one finding per text, however many phrases match
    check: str = ""  # a named condition the campaign's data must meet (see CHECKS)
    channels: frozenset[Channel] = frozenset()  # empty: every channel
    fields: tuple[str, ...] = ()  # of a message: headline, body... (empty: every field)
    offerings: frozenset[Offering] = frozenset()  # empty: every kind of offering
    family: str = ""  # the concern it belongs to (superlatives, incentives...), across packs
    position: str = "anywhere"  # or "opener": a subject line or a text's first sentence
    lexicons: Lexicons | None = field(default=None, compare=False, repr=False)

    def _re(self, phrases: tuple[str, ...]) -> re.Pattern[str] | None:
        return compile_phrases(phrases, self.lexicons)

    @functools.cached_property
    def words_re(self) -> re.Pattern[str] | None:
        return self._re(self.words)

    @functools.cached_property
    def near_re(self) -> re.Pattern[str] | None:
        return self._re(self.near)

    @functools.cached_property
    def unless_re(self) -> re.Pattern[str] | None:
        return self._re(self.unless)

    @functools.cached_property
    def also_re(self) -> re.Pattern[str] | None:
        return self._re(self.also)

    @functools.cached_property
    def required_re(self) -> re.Pattern[str] | None:
        return self._re(self.required)

    @functools.cached_property
    def payers_re(self) -> re.Pattern[str] | None:
        """Medicare and Medicaid named in a text (for the checks that need them)."""
        if self.lexicons is None or "payers" not in self.lexicons:
            return None
        return self._re(("@payers",))

    @functools.cached_property
    def openings(self) -> tuple[Opening, ...] | None:
        """Literal pieces, one of which every match of the rule's phrases holds (None: it
        cannot be told)."""
        return openings(self.words, self.lexicons)

    @functools.cached_property
    def near_openings(self) -> tuple[Opening, ...] | None:
        return openings(self.near, self.lexicons) if self.near else None

    @functools.cached_property
    def also_openings(self) -> tuple[Opening, ...] | None:
        return openings(self.also, self.lexicons) if self.also else None

    def cannot_match(self, text: str, scope: str = "") -> bool:
        """Whether the rule cannot match in ``text`` (part of the message ``scope``): none of
        its phrases is in it, or none of those it needs close by (``near``) or in the message
        (``also``); told without compiling its patterns (once compiled, a pattern itself is
        quicker to ask)."""
        return (
            _absent(self, "words_re", self.openings, text)
            or (bool(self.near) and _absent(self, "near_re", self.near_openings, text))
            or (bool(self.also) and _absent(self, "also_re", self.also_openings, scope or text))
        )

    def compile(self) -> None:
        """Compile every pattern now, so that a bad one is found when the pack is read."""
        for name in ("words_re", "near_re", "unless_re", "also_re", "required_re"):
            getattr(self, name)


@dataclass(frozen=True)
class RuleSet:
    """Every rule of the packs read, by id."""

    rules: tuple[Rule, ...]
    packs: tuple[tuple[str, str, str], ...]  # (pack id, title, file)
    lexicons: Lexicons = field(default_factory=Lexicons)

    def get(self, rule_id: str) -> Rule | None:
        return self._by_id.get(rule_id.strip().upper())

    @functools.cached_property
    def _by_id(self) -> dict[str, Rule]:
        return {rule.id.upper(): rule for rule in self.rules}

    def for_jurisdictions(self, jurisdictions: Iterable[str]) -> list[Rule]:
        wanted = {"any"}
        for code in jurisdictions:
            wanted.add(code)
            wanted.update(_ALSO.get(code, ()))
        return [rule for rule in self.rules if rule.jurisdiction in wanted]


def jurisdiction_codes(values: Iterable[str]) -> list[str]:
    """Jurisdiction codes as typed (us, IT...), checked."""
    codes = []
    for value in values:
        code = value.strip().upper()
        if code == "GB":
            code = "UK"
        if code not in {j.value for j in Jurisdiction}:
            known = ", ".join(j.value for j in Jurisdiction)
            raise PlannerError(f"'{value}' is not a jurisdiction; choose from {known}.")
        codes.append(code)
    return codes


# Where a rule's phrases match
_ENDS = re.compile(r"[.!?;:]+(?=\s|$)|\n")
# a word: its letters, and an apostrophe, a hyphen, a soft hyphen or a joiner between them
WORD = re.compile(r"\w+(?:['’\-\u2011\u00ad\u200b\u200c\u200d\u2060]+\w+)*")
# The words a full stop shortens rather than ends a sentence with: titles, "approx.", "vs.",
# and dotted initials (U.S., e.g., EE. UU.).
_ABBREVIATION = re.compile(
    r"(?<![\w.])(?:dr|mr|mrs|ms|st|prof|vs|approx|sr|sra|dra|dott|ee|uu|(?:[a-z]\.)+[a-z])$",
    re.IGNORECASE,
)


def sentence_ends(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """Where sentences end in text[start:end]: at a full stop, a question or exclamation mark,
    a semicolon or a colon before a space, and at the end of a line, unless the sentence goes
    on on the next (the line ends with a comma, or the next starts with a small letter: a
    line broken to fit a screen)."""
    for m in _ENDS.finditer(text, start, len(text) if end is None else end):
        if m.group() == "." and _ABBREVIATION.search(text, max(0, m.start() - 16), m.start()):
            continue  # "Dr. Lee", "U.S. adults", "EE. UU.": no sentence ends there
        if m.group() == "\n":
            before, after = m.start() - 1, m.end()
            while before >= 0 and text[before] in " \t\r":
                before -= 1
            while after < len(text) and text[after] in " \t":
                after += 1
            if (before >= 0 and text[before] == ",") or text[after : after + 1].islower():
                continue
        yield m


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence holding text[start:end]."""
    left = 0
    for m in sentence_ends(text, 0, start):
        left = m.end()
    after = next(sentence_ends(text, end), None)
    return left, (after.start() if after else len(text))


def words_between(text: str, a: int, b: int) -> int:
    """How many words text[a:b] holds."""
    return len(WORD.findall(text, a, b)) if a < b else 0


def _near(rule: Rule, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The context phrase closest to the match, in its sentence and within the rule's reach."""
    assert rule.near_re is not None
    if rule.near_scope == "text":
        left, right = 0, len(text)
    else:
        left, right = sentence_bounds(text, start, end)
    best: tuple[int, int, int] | None = None
    for m in rule.near_re.finditer(text, left, right):
        if m.start() < end and m.end() > start:
            continue  # the same words
        gap = words_between(text, m.end(), start) if m.end() <= start else 0
        if m.start() >= end:
            gap = words_between(text, end, m.start())
        if gap <= rule.within and (best is None or gap < best[0]):
            best = (gap, m.start(), m.end())
    return None if best is None else (best[1], best[2])


@functools.lru_cache(maxsize=4)
def _folded(text: str) -> str:
    return fold(text)  # the review asks every rule of the same text in turn


# Texts a pattern is passed over for by its openings before it is simply compiled: looking
# for a few hundred openings costs more, text after text, than the compiled pattern does, so
# a review of many texts (a large campaign, the planner kept open) compiles what it asks of
# often, and a brief or a lint of a small campaign compiles almost nothing.
_PASSED_OVER = 64


def _absent(rule: Rule, pattern: str, found: tuple[Opening, ...] | None, text: str) -> bool:
    """Whether none of ``found`` (the openings of the rule's ``pattern``) is in ``text``."""
    if pattern in rule.__dict__ or found is None:
        return False
    asked = rule.__dict__.setdefault("_asked", {})
    asked[pattern] = asked.get(pattern, 0) + 1
    if asked[pattern] > _PASSED_OVER:
        getattr(rule, pattern)  # compiled now, and asked from now on
        return False
    return not holds_an_opening(found, _folded(text))


def holds_an_opening(found: tuple[Opening, ...], folded: str) -> bool:
    """Whether a folded text holds one of ``found``, looking only for the openings that can
    begin where one of its words begins (a lexicon gives a rule hundreds of openings, a
    sentence has a few dozen words)."""
    by_start, anywhere = _by_start(found)
    return any(opening.within(folded) for opening in anywhere) or any(
        opening.within(folded) for head in _word_heads(folded) for opening in by_start.get(head, ())
    )


# Each rule's openings indexed, by the identity of its tuple of openings (hashing the tuple
# would read every opening at every look); the tuple is kept with its index.
_INDEXED: dict[int, tuple[tuple[Opening, ...], dict[str, list[Opening]], list[Opening]]] = {}


def _by_start(found: tuple[Opening, ...]) -> tuple[dict[str, list[Opening]], list[Opening]]:
    """A rule's openings that start a word, by their first two characters (one, for an
    opening of one), and those that may begin inside a word."""
    known = _INDEXED.get(id(found))
    if known is not None and known[0] is found:
        return known[1], known[2]
    by_start: dict[str, list[Opening]] = {}
    anywhere: list[Opening] = []
    for opening in found:
        if opening.starts and opening.text:
            by_start.setdefault(opening.text[:2], []).append(opening)
        else:
            anywhere.append(opening)
    _INDEXED[id(found)] = (found, by_start, anywhere)
    return by_start, anywhere


@functools.lru_cache(maxsize=4)
def _word_heads(folded: str) -> frozenset[str]:
    """The first one and two characters at every place a word can begin in a folded text
    (its start, and after any character that is not a letter, digit or underscore), where
    an opening that starts a word can be (``Opening.within``)."""
    heads: set[str] = set()
    for i in range(len(folded)):
        if i == 0 or not is_word(folded[i - 1]):
            heads.add(folded[i : i + 1])
            heads.add(folded[i : i + 2])
    return frozenset(heads)


def match_text(rule: Rule, text: str, scope: str = "") -> Iterator[tuple[int, int]]:
    """Where the rule's phrases match in ``text``, with their context; ``scope`` is the whole
    message the text is part of (for ``also`` and message-wide ``unless``). The text is read
    as people write it (``readable``: accents, signs between words, "per cent"); what is
    found is where it is in the text."""
    if not text:
        return
    reading = readable(text)
    for start, end in _found(rule, reading.text, readable(scope).text if scope else ""):
        yield reading.span(start, end)


# Where each rule was found in the texts reviewed last, by the text as read and the message it
# is part of (``scope``): the workspace reviews the whole campaign again after an edit, in which
# every text but the one edited reads as before, and a text typed another way (without its
# accents, with a non-breaking space) often reads as the same words. What a rule finds depends
# on nothing else, so each rule is asked of such a text once. At most _FOUND_KEPT texts and
# _FOUND_CHARS characters of them are kept (about a kilobyte a text), the least recently asked
# of forgotten first. A rule is known by a number of its own, given as it is first asked and
# never given to another rule (rules read anew, from a changed pack, are asked anew).
_FOUND: OrderedDict[tuple[str, str], dict[int, tuple[tuple[int, int], ...]]] = OrderedDict()
_FOUND_KEPT = 8192
_FOUND_CHARS = 4_000_000
_FOUND_LOCK = threading.Lock()
_found_chars = 0
_numbers = itertools.count()


def forget_found() -> None:
    """Forget where the rules were found, so that each is asked again."""
    global _found_chars
    with _FOUND_LOCK:
        _FOUND.clear()
        _found_chars = 0


def _found(rule: Rule, text: str, scope: str) -> tuple[tuple[int, int], ...]:
    """``_matches`` of a text as read, kept (see above)."""
    global _found_chars
    number = rule.__dict__.get("_number")
    key = (text, scope)
    with _FOUND_LOCK:
        if number is None:
            number = rule.__dict__.setdefault("_number", next(_numbers))
        by_rule = _FOUND.get(key)
        if by_rule is None:
            by_rule = _FOUND[key] = {}
            _found_chars += len(text) + len(scope)
            while len(_FOUND) > _FOUND_KEPT or (_found_chars > _FOUND_CHARS and len(_FOUND) > 1):
                (old, old_scope), _ = _FOUND.popitem(last=False)
                _found_chars -= len(old) + len(old_scope)
        else:
            _FOUND.move_to_end(key)
        kept = by_rule.get(number)
    if kept is not None:
        return kept
    spans = tuple(_matches(rule, text, scope))
    with _FOUND_LOCK:
        by_rule[number] = spans
    return spans


def search(pattern: re.Pattern[str] | None, text: str) -> bool:
    """Whether a rule's pattern is in the text, read as the rules read it."""
    return pattern is not None and pattern.search(readable(text).text) is not None


def _matches(rule: Rule, text: str, scope: str) -> Iterator[tuple[int, int]]:
    if rule.cannot_match(text, scope) or rule.words_re is None:
        return
    scope = scope or text
    checked_scope = False  # the message-wide conditions, looked at once a phrase matches
    taken: list[tuple[int, int]] = []
    for m in rule.words_re.finditer(text):
        if not checked_scope:
            if rule.also_re is not None and not rule.also_re.search(scope):
                return
            if rule.unless_scope == "message" and rule.unless_re and rule.unless_re.search(scope):
                return
            checked_scope = True
        start, end = m.span()
        if start == end:
            continue
        if rule.near_re is not None:
            other = _near(rule, text, start, end)
            if other is None:
                continue
            start, end = min(start, other[0]), max(end, other[1])
        if rule.unless_re is not None and rule.unless_scope == "sentence":
            left, right = sentence_bounds(text, start, end)
            if rule.unless_re.search(text, left, right):
                continue
        if any(start < b and end > a for a, b in taken):
            continue
        taken.append((start, end))
        yield start, end
        if rule.once:
            return
