"""Reading grades: the Flesch-Kincaid figures a message variant shows."""

from __future__ import annotations

import pytest

from planner.readability import MIN_WORDS, flesch_kincaid, reading_text


def test_published_example_platypus():
    # The example in the Flesch-Kincaid article: 13 words, 24 syllables, one sentence, 11.3.
    reading = flesch_kincaid(
        "The Australian platypus is seemingly a hybrid of a mammal and reptilian creature."
    )
    assert (reading.words, reading.sentences, reading.syllables) == (13, 1, 24)
    assert reading.grade == 11.3


def test_hand_counted_plain_text():
    # 14 words in 2 sentences; every word has one syllable but "clinic" and "open" (two):
    # 16 syllables, so 0.39 x 7 + 11.8 x 16 / 14 - 15.59 = 0.63.
    text = "The clinic is open late. Call us now and we will book you in."
    reading = flesch_kincaid(text)
    assert (reading.words, reading.sentences, reading.syllables) == (14, 2, 16)
    assert reading.grade == pytest.approx(0.39 * 7 + 11.8 * 16 / 14 - 15.59, abs=0.05)
    assert reading.grade == 0.6


def test_longer_words_and_sentences_read_harder():
    plain = flesch_kincaid("Get your flu shot. It is free for you. It takes five minutes here.")
    dense = flesch_kincaid(
        "Annual influenza immunisation substantially reduces hospitalisation among "
        "individuals with cardiovascular comorbidities."
    )
    assert plain.grade is not None and dense.grade is not None
    assert dense.grade > plain.grade + 8


def test_short_text_is_not_graded():
    reading = flesch_kincaid("Book today.")
    assert reading.grade is None
    assert reading.words < MIN_WORDS
    assert reading.described == "too short to grade"
    assert flesch_kincaid("").described == "no text"
    assert flesch_kincaid("   ...   ").words == 0


def test_parts_become_sentences():
    assert reading_text("Your screening is due", "", "Book online") == (
        "Your screening is due. Book online."
    )
    joined = flesch_kincaid(reading_text("A headline without a stop", "Body text here."))
    assert joined.sentences == 2
