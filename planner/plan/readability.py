"""How hard a message is to read, on the scale made for its language.

English gets the Flesch-Kincaid grade (a US school grade), Italian the Gulpease index and
Spanish Fernández-Huerta's readability (both 0-100, higher is easier). Each segment names its
languages in its own words ("Italian", "italiano", "it"...); the first one the planner can grade
is used, and a segment that names none is read as English, saying so. A language the planner
cannot grade is said to be so, never guessed at.

The English counts come from textstat 0.7.8, which finds syllables in the CMU Pronouncing
Dictionary and falls back to hyphenation rules (the dictionary's counts are read from a table
kept in the cache folder: ``planner.plan.syllables``). The Italian and Spanish counts are
worked out here (letters, words and sentences; Spanish syllables from the spelling).
Everything works offline. Health-literacy guidance asks for patient material at about grade 6
to 8, so each segment carries a target US grade, read on each scale through its published
bands.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planner.domain.language import N_, _, current
from planner.plan.syllables import count as count_syllables

# Words a reading can be trusted for; below this a score swings wildly with one long word.
MIN_WORDS = 10

_WORD = re.compile(r"[^\W_]")  # a letter or a digit, in any alphabet

ENGLISH, ITALIAN, SPANISH = "en", "it", "es"

# What a segment may write for each language it speaks, folded (lower case, no accents), and
# only the part before any bracket or region: "Spanish (Latin American)", "es-MX" and
# "Español" all read as Spanish.
_LANGUAGE_NAMES = {
    ENGLISH: {"en", "eng", "english", "inglese", "ingles", "anglais", "englisch"},
    ITALIAN: {"it", "ita", "italian", "italiano", "italien", "italienisch"},
    SPANISH: {"es", "spa", "spanish", "espanol", "castellano", "spagnolo", "espagnol"},
}
_LANGUAGE_OF = {name: code for code, names in _LANGUAGE_NAMES.items() for name in names}
LANGUAGE_LABEL = {ENGLISH: N_("English"), ITALIAN: N_("Italian"), SPANISH: N_("Spanish")}

NOT_GRADED = N_("reading level not graded: the planner grades English, Italian and Spanish")


@functools.cache
def _textstat():  # imported on first use: loading the dictionary takes a moment
    import textstat

    return textstat


# The English counts ---------------------------------------------------------------------------
#
# Counting an English text's syllables needs the pronouncing dictionary, which took about a
# second and 90 MB to load (its table of syllables, kept in the cache folder after the first
# time, takes 0.07 s and 15 MB: ``planner.plan.syllables``). So the counts (words, sentences,
# syllables) are kept by the hash of the text: the planner stores them when a message is saved
# (``planner.plan.readings``) and hands them back here before a brief or a review, and the
# table is read only for a text whose counts are not known. The hash names the counter too:
# another textstat counts anew.

Counts = tuple[int, int, int]  # words, sentences, syllables

_COUNTER = "textstat 0.7.8"
_known: dict[str, Counts] = {}  # by text hash: handed back from the store or counted here
_counted: set[str] = set()  # the hashes counted in this process, not yet kept
# Where counts stored before are looked up (by hash) before a text is counted: the open
# database's, in a command (``planner.cli.common.open_store`` consults it).
_sources: list[Callable[[list[str]], dict[str, Counts]]] = []


def text_hash(text: str) -> str:
    """The key of a text's English counts: a hash of the counter and the text."""
    import hashlib

    return hashlib.sha256(f"{_COUNTER}\n{text}".encode()).hexdigest()[:32]


def consult(source: Callable[[list[str]], dict[str, Counts]]) -> Callable[[], None]:
    """Look counts up with ``source`` (hashes to the counts it has) before counting a text
    anew; returns the function that stops it. A source that fails is skipped."""

    def safe(hashes: list[str]) -> dict[str, Counts]:
        try:
            return source(hashes)
        except Exception:  # a closed or busy database: the text is counted instead
            return {}

    _sources.append(safe)
    return lambda: _sources.remove(safe)


def counted() -> dict[str, Counts]:
    """The counts worked out in this process and not yet marked as kept (see ``kept``)."""
    return {h: _known[h] for h in _counted}


def kept(hashes: Iterable[str]) -> None:
    """Mark counts as stored, so that ``counted`` no longer offers them."""
    _counted.difference_update(hashes)


@functools.cache
def _settle_dictionary() -> None:
    """Once the pronouncing dictionary is loaded: its hundreds of thousands of objects live as
    long as the process, so they are moved out of the cycle collector's reach (``gc.freeze``),
    which would otherwise walk them all at every full collection, pausing the screen."""
    import gc

    gc.freeze()


def english_counts(text: str) -> Counts:
    """Words, sentences and syllables of ``text`` as the Flesch-Kincaid grade counts them:
    known ones when the text was counted before, else counted now (loading the dictionary)."""
    if not _WORD.search(text):
        return (0, 0, 0)
    key = text_hash(text)
    found = _known.get(key)
    for source in reversed(_sources if found is None else []):
        found = source([key]).get(key)
        if found is not None:
            _known[key] = found
            break
    if found is None:
        ts = _textstat()
        words = ts.lexicon_count(text)
        found = (0, 0, 0)
        if words:
            syllables = count_syllables(text)  # from the table of syllables kept
            if syllables is None:  # no table: textstat's own count, from the whole dictionary
                syllables = ts.syllable_count(text)
                _settle_dictionary()
            found = (words, max(1, ts.sentence_count(text)), syllables)
        _known[key] = found
        _counted.add(key)
    return found


# The language --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Language:
    """The language a variant is read in: ``code`` is None when the planner cannot grade it;
    ``assumed`` when the segment names no language (or there is no segment) and English is
    used, as it always was."""

    code: str | None
    named: str = ""  # what the segment wrote, for a language that cannot be graded
    assumed: bool = False
    instead_of: str = ""  # the segment's language, when the text is written in another

    @property
    def note(self) -> str:
        """A few words to show beside a reading whose language was not the segment's."""
        if self.instead_of == "not given":
            return _(
                "the text reads as %(language)s; no language given",
                language=_(LANGUAGE_LABEL[self.code or ENGLISH]),
            )
        if self.instead_of:
            label = _(LANGUAGE_LABEL[self.code]) if self.code else self.named
            return _(
                "the text reads as %(language)s, the segment's language is %(segment)s",
                language=label,
                segment=self.instead_of,
            )
        return _("English assumed: no language given") if self.assumed else ""


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def language_code(name: str) -> str | None:
    """``en``, ``it`` or ``es`` for a language written as a segment might write it, else None."""
    head = re.split(r"[(\[/,;_-]", _fold(name), maxsplit=1)[0].strip()
    return _LANGUAGE_OF.get(head)


def segment_language(languages: list[str] | None) -> Language:
    """The language to grade a segment's messages in: the first of ``languages`` the planner
    can grade; English, assumed, when none is given."""
    given = [name.strip() for name in languages or [] if name and name.strip()]
    if not given:
        return Language(ENGLISH, assumed=True)
    for name in given:
        code = language_code(name)
        if code is not None:
            return Language(code)
    return Language(None, named=given[0])


# Short words that show which of the three languages a text is written in; none is a word in
# the other two.
_FUNCTION_WORDS = {
    ENGLISH: frozenset(
        re.findall(
            r"\S+",
            "the and you your of is are with for this that we our can will be have it at on or not",
        )
    ),
    ITALIAN: frozenset(
        re.findall(
            r"\S+",
            "il gli della delle degli di che per non sono è alla nel nella ai dei ci anche più "
            "vostro tuo tua",
        )
    ),
    SPANISH: frozenset(
        re.findall(
            r"\S+",
            "el los las que para es son por sus y está más usted nuestro nuestra pero como hoy",
        )
    ),
}


def text_language(text: str) -> str | None:
    """``en``, ``it`` or ``es`` when the text is plainly written in that language (at least
    three of its short function words, and twice as many as of either other language); None
    when it is too short to tell or in another language."""
    words = [w.strip(".,;:!?¿¡()\"'“”«»").casefold() for w in text.split()]
    hits = {code: sum(w in names for w in words) for code, names in _FUNCTION_WORDS.items()}
    best = max(hits, key=hits.__getitem__)
    others = max(n for code, n in hits.items() if code != best)
    return best if hits[best] >= 3 and hits[best] >= 2 * others else None


def message_language(text: str, languages: list[str] | None) -> Language:
    """The language to grade a message in: its segment's (see segment_language), unless the
    text is plainly written in another language the planner grades (a segment that reads
    Italian, sent a text in English), which is then used and said."""
    language = segment_language(languages)
    written = text_language(text)
    if written in (None, language.code) or (language.assumed and written == ENGLISH):
        return language
    if language.assumed:
        return Language(written, instead_of="not given")
    said = LANGUAGE_LABEL[language.code] if language.code else language.named
    return Language(written, instead_of=said)


# Counting ------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return [w for w in text.split() if _WORD.search(w)]


def _sentences(text: str, ends: str) -> int:
    """Runs of sentence-ending marks, and a last sentence without one."""
    stops = re.findall(f"[{re.escape(ends)}]+", text)
    tail = re.split(f"[{re.escape(ends)}]+", text)[-1]
    return max(1, len(stops) + (1 if _WORD.search(tail) else 0))


_VOWELS = "aeiouáéíóúü"
_STRONG = "aeoáéó"  # with an accented i or u, these never join their neighbour in one syllable


def spanish_syllables(word: str) -> int:
    """The syllables of a Spanish word, from its spelling: one for each vowel or group of
    vowels read together. Vowels join (a diphthong) unless both are strong (a, e, o) or one is
    an accented í or ú; the u of que, qui, gue and gui is silent; a y after a vowel at the end
    of a word (hoy, muy) joins it. Hyphenation dictionaries (pyphen's, which textstat uses)
    never split off a first or last single vowel, so they count "agua", "día" and "ahora" one
    short; this is why Spanish syllables are counted here."""
    w = unicodedata.normalize("NFC", word.casefold())
    w = re.sub(r"(?<=[qg])u(?=[eiéí])", "", w)  # que, qui, gue, gui: the u is not read
    w = re.sub(r"(?<=[" + _VOWELS + r"])y$", "i", w)  # hoy, muy, rey
    if w == "y":
        return 1
    count, previous = 0, ""
    for c in w:
        if c not in _VOWELS:
            previous = ""
            continue
        joins = previous and not (
            (previous in _STRONG and c in _STRONG) or c in "íú" or previous in "íú"
        )
        if not joins:
            count += 1
        previous = c
    return max(1, count) if _WORD.search(w) else 0


# Readings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    name: str
    higher_is_easier: bool
    # The lowest score (or highest grade) that reads as easy as each US school grade, from
    # the scale's published bands: (grade, score) pairs, grades in order.
    anchors: tuple[tuple[int, float], ...] = ()

    def target(self, grade: int) -> float:
        """The score a text must reach (at least, or at most for a grade scale) to be read by
        someone with ``grade`` years of US schooling."""
        if not self.higher_is_easier:
            return float(grade)
        points = self.anchors
        if grade <= points[0][0]:
            return points[0][1]
        for (g0, s0), (g1, s1) in itertools.pairwise(points):
            if grade <= g1:
                return s0 + (s1 - s0) * (grade - g0) / (g1 - g0)
        return points[-1][1]


FLESCH_KINCAID = Scale(N_("Flesch-Kincaid grade"), higher_is_easier=False)

# Gulpease's bands (Lucisano and Piemontese, 1988): under 80 is hard for readers who finished
# primary school (licenza elementare, 5 years), under 60 for middle school (licenza media, 8
# years), under 40 for high school (diploma, taken here as US grade 12). A target grade is read
# on a straight line between those points: grade 5 or below needs 80, grade 6 about 73, grade 7
# about 67, grade 8 60, grade 10 50, grade 12 and above 40.
GULPEASE = Scale("Gulpease", higher_is_easier=True, anchors=((5, 80), (8, 60), (12, 40)))

# Fernández-Huerta's bands (as tabled by legible.es): 90-100 very easy (4th grade), 80-90 easy
# (5th), 70-80 fairly easy (6th), 60-70 standard (7th or 8th), 50-60 fairly difficult
# (pre-university, taken as grade 12), 30-50 difficult (first university courses, grade 14),
# 0-30 very difficult (university specialists, grade 16). Each grade needs the lower end of its
# band; grades between the tabled ones are read on a straight line (grade 10 needs 55).
FERNANDEZ_HUERTA = Scale(
    "Fernández-Huerta",
    higher_is_easier=True,
    anchors=((4, 90), (5, 80), (6, 70), (7, 60), (8, 60), (12, 50), (14, 30), (16, 0)),
)

SCALES = {ENGLISH: FLESCH_KINCAID, ITALIAN: GULPEASE, SPANISH: FERNANDEZ_HUERTA}

_GULPEASE_MEANING = (
    (80, N_("easy for readers with primary-school education")),
    (60, N_("hard for readers with primary-school education")),
    (40, N_("hard for readers with middle-school education")),
    (0, N_("hard for readers with high-school education")),
)
_FERNANDEZ_HUERTA_MEANING = (
    (90, N_("very easy")),
    (80, N_("easy")),
    (70, N_("fairly easy")),
    (60, N_("standard")),
    (50, N_("fairly difficult")),
    (30, N_("difficult")),
    (0, N_("very difficult")),
)


@dataclass(frozen=True)
class Reading:
    words: int
    sentences: int
    syllables: int  # letters, for Gulpease (which measures words in letters)
    grade: float | None  # the score on ``scale``; None when the text is too short to grade
    scale: Scale | None = FLESCH_KINCAID  # None: a language the planner cannot grade
    language: Language = Language(ENGLISH)

    @property
    def score(self) -> float | None:
        return self.grade

    @property
    def meaning(self) -> str:
        """What the score means on its scale, in words ('' for a grade, which says it)."""
        bands = {GULPEASE: _GULPEASE_MEANING, FERNANDEZ_HUERTA: _FERNANDEZ_HUERTA_MEANING}
        if self.grade is None or self.scale not in bands:
            return ""
        return _(next(words for low, words in bands[self.scale] if round(self.grade) >= low))

    @property
    def short(self) -> str:
        """The score alone, as shown in a list: '7.4', '54', '–' when there is none."""
        if self.grade is None:
            return "–"
        if self.scale is not FLESCH_KINCAID:
            return f"{self.grade:.0f}"
        # a brief in Italian writes its decimals with a comma (7,4)
        return f"{self.grade:.1f}".replace(".", "," if current() == "it" else ".")

    @property
    def figure(self) -> str:
        """The scale's name and the score: 'Gulpease 54', 'Flesch-Kincaid grade 7.4'."""
        return f"{_(self.scale.name)} {self.short}" if self.scale else ""

    @property
    def described(self) -> str:
        """The reading in words: its scale, score and meaning, and the language when it was
        assumed; or why there is none."""
        if self.scale is None:
            return _(NOT_GRADED)
        if self.grade is None:
            text = _("too short to grade") if self.words else _("no text")
        else:
            text = self.figure + (f" ({self.meaning})" if self.meaning else "")
        return f"{text}; {self.language.note}" if self.language.note else text

    def harder_than(self, grade: int | None) -> bool:
        """Whether the text reads harder than a reader with ``grade`` years of school can be
        expected to manage. A text with no score is never harder."""
        if grade is None or self.grade is None or self.scale is None:
            return False
        target = self.scale.target(grade)
        if self.scale.higher_is_easier:
            return round(self.grade) < round(target)
        return self.grade > target

    def target_words(self, grade: int) -> str:
        """The target grade read on this reading's scale: 'grade 8', '60 (about grade 8)'."""
        if self.scale is None or not self.scale.higher_is_easier:
            return _("grade %(grade)s", grade=grade)
        return _(
            "%(score)s (about grade %(grade)s)",
            score=round(self.scale.target(grade)),
            grade=grade,
        )

    def target_figure(self, grade: int) -> str:
        """The target with its scale's name: 'Gulpease 60 or more (about grade 8)', 'grade 8'."""
        if self.scale is None or not self.scale.higher_is_easier:
            return _("grade %(grade)s", grade=grade)
        return _(
            "%(scale)s %(score)s or more (about grade %(grade)s)",
            scale=_(self.scale.name),
            score=round(self.scale.target(grade)),
            grade=grade,
        )


def _as_sentence(text: str) -> str:
    text = text.strip()
    if text and text[-1] not in ".!?":
        text += "."
    return text


def reading_text(*parts: str) -> str:
    """Join a headline, body and call to action into one text, each part its own sentence."""
    return " ".join(_as_sentence(p) for p in parts if p and p.strip())


def flesch_kincaid(text: str) -> Reading:
    """Words, sentences, syllables and the Flesch-Kincaid grade of ``text``:
    0.39 x words per sentence + 11.8 x syllables per word - 15.59."""
    words, sentences, syllables = english_counts(text)
    if words == 0:
        return Reading(0, 0, 0, None)
    if words < MIN_WORDS:
        return Reading(words, sentences, syllables, None)
    grade = 0.39 * words / sentences + 11.8 * syllables / words - 15.59
    return Reading(words, sentences, syllables, round(max(grade, 0.0), 1))


def gulpease(text: str) -> Reading:
    """Words, sentences, letters and the Gulpease index of Italian ``text``:
    89 + (300 x sentences - 10 x letters) / words, kept within 0-100.

    Computed here rather than by textstat 0.7.8, whose gulpease_index counts punctuation marks
    as letters (and a lone mark as a word) and drops sentences of one or two words. Letters are
    the letters and digits of each word; sentences end at '.', '!' or '?'."""
    found = _words(text)
    if not found:
        return Reading(0, 0, 0, None, GULPEASE, Language(ITALIAN))
    letters = sum(1 for w in found for c in w if _WORD.match(c))
    sentences = _sentences(text, ".!?")
    words = len(found)
    if words < MIN_WORDS:
        return Reading(words, sentences, letters, None, GULPEASE, Language(ITALIAN))
    score = 89 + (300 * sentences - 10 * letters) / words
    return Reading(
        words, sentences, letters, round(min(max(score, 0.0), 100.0), 1), GULPEASE,
        Language(ITALIAN),
    )  # fmt: skip


def fernandez_huerta(text: str) -> Reading:
    """Words, sentences, syllables and Fernández-Huerta's readability of Spanish ``text``:
    206.84 - 60 x syllables per word - 1.02 x words per sentence, kept within 0-100.

    The formula as Fernández Huerta printed it (1959) reads "206.84 - 0.60 P - 1.02 F" with F
    the sentences per 100 words, which would make short sentences read harder; Gwillim Law
    (2011) showed F must be the words per sentence, as in Flesch's formula it adapts, and
    legible.es and textstat 0.7.8 use that correction, as does this function. textstat's own
    fernandez_huerta is not used: its syllables come from hyphenation patterns, which count
    "agua" or "día" as one syllable (see spanish_syllables), and it drops sentences of one
    or two words ("¡Llame hoy!"). Sentences end at '.', '!', '?' or ';' (Fernández Huerta
    counted the semicolon as an end)."""
    found = _words(text)
    if not found:
        return Reading(0, 0, 0, None, FERNANDEZ_HUERTA, Language(SPANISH))
    syllables = sum(spanish_syllables(w) for w in found)
    sentences = _sentences(text, ".!?;")
    words = len(found)
    if words < MIN_WORDS:
        return Reading(words, sentences, syllables, None, FERNANDEZ_HUERTA, Language(SPANISH))
    score = 206.84 - 60 * syllables / words - 1.02 * words / sentences
    return Reading(
        words, sentences, syllables, round(min(max(score, 0.0), 100.0), 1), FERNANDEZ_HUERTA,
        Language(SPANISH),
    )  # fmt: skip


def read(text: str, language: Language) -> Reading:
    """The reading of ``text`` on its language's scale, or a reading that says the language
    cannot be graded."""
    if language.code is None:
        words = len(_words(text))
        return Reading(words, _sentences(text, ".!?") if words else 0, 0, None, None, language)
    reader = {ENGLISH: flesch_kincaid, ITALIAN: gulpease, SPANISH: fernandez_huerta}
    reading = reader[language.code](text)
    return Reading(
        reading.words, reading.sentences, reading.syllables, reading.grade, reading.scale,
        language,
    )  # fmt: skip


def warm_up() -> None:
    """Load the table of syllables now (a second the very first time, when it is made from
    the pronouncing dictionary; a fourteenth of that once kept)."""
    flesch_kincaid("Warm up the dictionary with a sentence of more than ten words in it.")
