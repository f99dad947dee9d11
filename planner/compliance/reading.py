"""How a text is read: as people write it, not letter for letter.

The rules are matched against a text as it reads, not as its characters are stored: "perché"
typed with its accent, without it ("perche'"), or as "e" and a combining accent; "world‑class"
with a non-breaking hyphen; "Nine 👉 in ten" with a sign between the words; "15 per cent";
shorthand typed on a phone ("ur results r ready"). ``readable`` gives that reading, and where
each of its characters came from in the text, so that a finding still quotes and marks what
the text says. Phrases lose their accents the same way (``unaccented``, used by ``lexicons``),
so that "perché" in a rule matches "perche'" in a text and the other way round.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

# Signs that carry no letter: dropped (a soft hyphen, zero-width spaces and joiners, the
# variation selectors that follow an emoji, a byte-order mark).
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff\ufe0e\ufe0f")
_HYPHENS = frozenset("\u2010\u2011")  # the hyphen and the non-breaking hyphen: "-"
_KEPT_SIGNS = frozenset("⭐★☆🌟")  # stars, which rules look for; other pictures are spaces
# Shorthand typed on phones, read as the words it stands for: "ur results r ready" is "your
# results are ready", "nn serve" is "non serve", "mejor q la cirugía" is "mejor que la
# cirugía". Only shorthand that stands for one word in every language the rules read, and only
# where it cannot be something else: in capitals it is read only if texters write it so ("UR",
# "APPT", "WKND"; "NS" is normal saline, "BC" board certified, "Room B4" a room, "Q:" a
# question); a lone "u" or "r" only in small letters, never after or before a number (units of
# a toxin, insulin U 300) nor before a full stop (an initial: "Dr R. Lee"), and "u" not before
# a word starting with "o" or "ho", where it is the Spanish "or" ("diabetes u obesidad"); a
# lone "x" reads as the Italian "per" only before a word, never in "2 x 1".
SHORTHAND = {
    # English
    "ur": "your",
    "u": "you",
    "r": "are",
    "b4": "before",
    "2day": "today",
    "2morrow": "tomorrow",
    "tmrw": "tomorrow",
    "thru": "through",
    "pls": "please",
    "plz": "please",
    "appt": "appointment",
    "appts": "appointments",
    "wk": "week",
    "wks": "weeks",
    "wknd": "weekend",
    "wkend": "weekend",
    "gr8": "great",
    "w/": "with",  # and a space: "w/Botox" is "with Botox"
    "w/o": "without",
    "bc": "because",
    "cuz": "because",
    "ppl": "people",
    "dept": "department",
    "szn": "season",
    "tho": "though",
    # Italian
    "nn": "non",
    "ke": "che",
    "cmq": "comunque",
    "pz": "pazienti",
    "ns": "nostri",
    "tt": "tutti",
    "xke": "perché",
    "xché": "perché",
    "xchè": "perché",
    "xche": "perché",
    "perke": "perché",
    "sn": "sono",
    "qlc": "qualche",
    "cn": "con",
    "dv": "devi",
    "prox": "prossimo",
    # Spanish
    "q": "que",
    "xq": "porque",
    "pq": "porque",
    "tmb": "también",
    "pa'": "para",
    "pa’": "para",
    "pa´": "para",
    "pa`": "para",
}
# shorthand that texters also type in capitals
_IN_CAPITALS = frozenset(
    [
        "ur",
        "appt",
        "appts",
        "wk",
        "wks",
        "wknd",
        "wkend",
        "pls",
        "plz",
        "thru",
        "2day",
        "2morrow",
        "tmrw",
        "gr8",
        "cmq",
        "xke",
        "xq",
        "perke",
    ]
)
_SHORT = "|".join(
    re.escape(k)
    for k in sorted(SHORTHAND, key=lambda k: (-len(k), k))
    if k not in ("u", "r", "w/", "w/o")
)
_MARKS = "\u0300-\u036f"  # accents stored apart from their letters belong to the word
# A number with its percentage in words ("15 per cent", "15 percento", "15 por ciento") reads as
# "15%"; a vowel with an apostrophe for its accent ("perche'", "E' garantito") as the vowel.
_WORDED = re.compile(
    r"(?<=\d)[ \u00a0]?(?:per[ \u00a0]?cent(?:o)?|percent|por[ \u00a0]?ciento)(?!\w)"
    rf"|(?<![\w'’/&.{_MARKS}-])(?:{_SHORT})(?![\w'’/&{_MARKS}-]|\.\w)"
    rf"|(?<![\w'’/&.{_MARKS}-])w/o?(?=\s*[^\W\d_])"
    rf"|(?<![\w'’/&.{_MARKS}-])(?<!\d\s)(?<!\d\s\s)(?-i:[ru])(?![\w'’/&.{_MARKS}-]|\s*\d)"
    r"(?!\s+h?o)"
    rf"|(?<![\w'’/&.{_MARKS}-])(?<!\d\s)(?<!\d\s\s)x(?=\s+[^\W\d_])"
    r"|(?<=[aeiou])['’`´](?!\w)"
    r"|(?<=#)(?-i:[A-Z]?[a-z]+(?:[A-Z][a-z]+)+)",
    re.IGNORECASE,
)
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")  # characters that each read as themselves
# A hashtag of words joined with capitals ("#NoMoreInhalers", "#BestDentistInTown") reads as its
# words; one in small letters throughout cannot be told apart and is read as one word.
_CAMEL = re.compile(r"[A-Z]?[a-z]+(?:[A-Z][a-z]+)+")


def _worded(found: str) -> str | None:
    """What a match of ``_WORDED`` reads as; None: what it says (shorthand in capitals that
    stands for something else)."""
    short = found.lower()
    if short == "x":
        return "per"
    if short in SHORTHAND:
        if found.isupper() and short not in _IN_CAPITALS:
            return None
        words = unaccented(SHORTHAND[short])  # read as the rules' phrases are: "perche"
        return words + " " if short.endswith("/") or short == "w/o" else words
    return "%" if found[-1:].isalpha() else ""


@functools.lru_cache(maxsize=4096)
def _letter(ch: str) -> str:
    """What a character reads as: a letter without its accent, a sign as a space, an invisible
    one as nothing."""
    if ch in _INVISIBLE or unicodedata.combining(ch):
        return ""
    if ch in _HYPHENS:
        return "-"
    if ch in _KEPT_SIGNS:
        return ch
    kind = unicodedata.category(ch)
    if kind in ("So", "Sk", "Co", "Cn"):
        return " "  # an emoji or a picture between words is read as a space between them
    parts = unicodedata.normalize("NFD", ch)
    if len(parts) > 1 and all(unicodedata.combining(c) for c in parts[1:]):
        return parts[0]
    return ch


def unaccented(phrase: str) -> str:
    """A rule's phrase as texts are read (``readable``): its letters without their accents."""
    if phrase.isascii():
        return phrase
    return "".join(
        ch if ch.isascii() or not (got := _letter(ch)) or got == " " else got for ch in phrase
    )


class Readable(NamedTuple):
    """A text as the rules read it, and where each character of that reading came from:
    ``starts[i]`` and ``ends[i]`` bound, in the text, what the reading's i-th character stands
    for (None: the reading is the text itself)."""

    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Where ``reading[start:end]`` is in the text."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            if start < len(self.starts):
                return self.starts[start], self.starts[start]
            return (self.ends[-1], self.ends[-1]) if self.ends else (0, 0)
        return self.starts[start], self.ends[end - 1]


@functools.lru_cache(maxsize=8)
def readable(text: str) -> Readable:
    """The text as the rules read it (see above); the review asks every rule of a text in turn."""
    if text.isascii() and not _WORDED.search(text):
        return Readable(text)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    after_sign = False  # a sign was read as a space: the spacing around it is one space

    def put(piece: str, start: int, end: int) -> None:
        if not piece:  # nothing of its own: part of the character before it
            if ends:
                ends[-1] = end
            return
        for ch in piece:
            out.append(ch)
            starts.append(start)
            ends.append(end)

    def put_char(i: int) -> None:
        nonlocal after_sign
        ch = text[i]
        piece = ch if ch.isascii() else _letter(ch)
        spacing = bool(out) and out[-1].isspace()
        if piece == " " and not ch.isspace():  # a sign between words
            put("" if spacing else " ", i, i + 1)
            after_sign = True
        elif ch.isspace() and after_sign and spacing:
            put("", i, i + 1)
        else:
            put(piece, i, i + 1)
            after_sign = after_sign and not piece

    def put_ascii(a: int, b: int) -> None:
        """``put_char`` of each character of ``text[a:b]``, all ASCII (each reads as itself),
        at once: only the spacing right after a sign read as a space is left out."""
        nonlocal after_sign
        if after_sign:
            while a < b and text[a].isspace() and out and out[-1].isspace():
                ends[-1] = a + 1
                a += 1
            if a == b:
                return
            after_sign = False
        out.extend(text[a:b])
        starts.extend(range(a, b))
        ends.extend(range(a + 1, b + 1))

    def put_chars(a: int, b: int) -> None:
        for run in _ASCII_RUN.finditer(text, a, b):
            for i in range(a, run.start()):
                put_char(i)
            put_ascii(*run.span())
            a = run.end()
        for i in range(a, b):
            put_char(i)

    at = 0
    for m in _WORDED.finditer(text):
        put_chars(at, m.start())
        if _CAMEL.fullmatch(m.group()):  # a hashtag of joined words
            for i in range(m.start(), m.end()):
                if i > m.start() and text[i].isupper():
                    put(" ", i, i)  # a space between the words, standing for nothing typed
                put_char(i)
        elif (piece := _worded(m.group())) is None:
            for i in range(m.start(), m.end()):
                put_char(i)
        else:
            put(piece, m.start(), m.end())
            after_sign = False
        at = m.end()
    put_chars(at, len(text))
    reading = "".join(out)
    if reading == text:
        return Readable(text)
    return Readable(reading, tuple(starts), tuple(ends))
