"""How hard a message is to read, as a US school grade (Flesch-Kincaid).

The counts come from textstat 0.7.8, which finds syllables in the CMU Pronouncing Dictionary
and falls back to hyphenation rules; it works offline. Health-literacy guidance asks for
patient material at about grade 6 to 8, so each segment carries a target grade and a message
variant is checked against it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Words a grade can be trusted for; below this a grade swings wildly with one long word.
MIN_WORDS = 10

_WORD = re.compile(r"[A-Za-z]")


@functools.cache
def _textstat():  # imported on first use: loading the dictionary takes a moment
    import textstat

    return textstat


@dataclass(frozen=True)
class Reading:
    words: int
    sentences: int
    syllables: int
    grade: float | None  # None when the text is too short to grade

    @property
    def described(self) -> str:
        if self.grade is None:
            return "too short to grade" if self.words else "no text"
        return f"grade {self.grade:.1f}"


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
    ts = _textstat()
    words = ts.lexicon_count(text) if _WORD.search(text) else 0
    if words == 0:
        return Reading(0, 0, 0, None)
    sentences = max(1, ts.sentence_count(text))
    syllables = ts.syllable_count(text)
    if words < MIN_WORDS:
        return Reading(words, sentences, syllables, None)
    grade = 0.39 * words / sentences + 11.8 * syllables / words - 15.59
    return Reading(words, sentences, syllables, round(max(grade, 0.0), 1))


def warm_up() -> None:
    """Load the pronouncing dictionary now (it takes about a second the first time)."""
    flesch_kincaid("Warm up the dictionary with a sentence of more than ten words in it.")
