"""The brief in the campaign's language: an Italian practice's brief has the planner's own words
(headings, labels, sentences, dates and numbers) in Italian, from the message catalogues, in
every format; the campaign's own words are left as they are."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import docx
import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner
from factories import full_campaign
from pypdf import PdfReader

from planner.briefs.catalog import problems
from planner.briefs.render import render_html, render_markdown
from planner.cli.main import main
from planner.domain.language import language_of, locale_dir, speaking
from planner.domain.models import Campaign
from planner.store import Store

TODAY = dt.date(2027, 3, 31)

ITALIAN_SECTIONS = [
    "Sintesi",
    "Pubblico",
    "Mappa degli influencer",
    "Messaggi",
    "Marketing mix (7P)",
    "Piano delle attività",
    "Indicatori",
    "Budget",
    "Revisione e approvazione",
    "Monitoraggio a oggi",
    "Lezioni apprese e maturità",
]


def italian(campaign: Campaign | None = None) -> Campaign:
    """The test practice in Verona, its brief's language not chosen: Italian, for Italy."""
    campaign = campaign or full_campaign()
    campaign.language = None
    return campaign


@pytest.fixture
def tracked(store):
    """The Verona practice's campaign with its costs and results, as the store reads it."""
    campaign_id = store.create_campaign(italian())
    return store.tracking_data(campaign_id, today=TODAY)


def catalogue():
    with open(f"{locale_dir()}/it/LC_MESSAGES/brief.po", "rb") as po:
        return read_po(po, locale="it")


# Which language ---------------------------------------------------------------------------------


def test_the_language_is_the_campaign_s_else_italy_s_else_english():
    assert language_of(Campaign(name="x", jurisdictions=["IT"])) == "it"
    assert language_of(Campaign(name="x", jurisdictions=["IT"], language="en")) == "en"
    assert language_of(Campaign(name="x", jurisdictions=["US"], number_style="it_IT")) == "it"
    assert language_of(Campaign(name="x", jurisdictions=["IT"], number_style="en_US")) == "en"
    # a euro practice elsewhere writes 1.234,50 but is not briefed in Italian for that
    assert language_of(Campaign(name="x", currency="EUR", jurisdictions=["EU"])) == "en"
    assert language_of(Campaign(name="x", number_style="de_DE")) == "en"  # no German yet
    assert Campaign(name="x", language=" Italiano ").language == "it"
    assert Campaign(name="x", language="it-IT").language == "it"
    assert Campaign(name="x", language="auto").language is None
    with pytest.raises(ValueError, match=r"cannot be written in 'de' yet; the languages are en"):
        Campaign(name="x", language="de")


# Every word translated --------------------------------------------------------------------------


def test_every_word_of_the_brief_has_its_italian_and_the_catalogue_is_compiled():
    assert problems("it") == []


def test_each_translation_keeps_the_placeholders_of_its_message():
    for message in catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)s", ids[-1]))
        for text in strings:
            found = set(re.findall(r"%\(\w+\)s", text))
            # a singular may say "un" for its count, as "1 budget line" is "una voce"
            assert found == wanted or (len(ids) > 1 and found <= wanted), (ids[0], text)
            text % dict.fromkeys((name[2:-2] for name in wanted), "x") if wanted else None


# The brief in Italian ---------------------------------------------------------------------------


def test_an_italian_practice_s_brief_is_in_italian(tracked):
    campaign, tracking = tracked
    text = render_markdown(campaign, tracking=tracking, today=TODAY)
    assert text.startswith("# Brief della campagna: Spring screening drive\n")
    assert re.findall(r"^## (.+)$", text, flags=re.M) == ITALIAN_SECTIONS
    assert "- **Studio:** Riverside Family Medicine" in text  # the campaign's words stay
    assert "- **Date della campagna:** 1 mar 2027 – 30 giu 2027" in text  # dates in Italian
    assert "- **Giurisdizioni:** Italia, Unione europea" in text  # options' labels
    assert "**Budget.** EUR 550,00 in 2 voci di budget" in text  # numbers and plurals
    assert "| Reminder email | Email | Consapevolezza | 1 mar 2027 – 15 mar 2027 |" in text
    assert "12.000 persone × 60% idonee × 50% raggiungibili" in text
    assert "| Screening rate | 42% | 44,5% | 31 mar 2027 | 55% | 19,2% | In ritardo |" in text
    assert "**Speso.** EUR 120,50 su EUR 550,00 (21,9%) in 1 costo" in text
    assert "| Chiusura del ciclo |" in text  # the maturity's sentences too
    assert text.rstrip().endswith(
        "*Preparato con Healthcare Campaign Planner il 31 mar 2027 a partire dalla versione 1 "
        "della campagna.*"
    )


def test_nothing_of_the_planner_s_english_is_left_in_the_italian_brief(tracked):
    """Every sentence of the catalogue that Italian writes otherwise is missing from the
    Italian brief (the campaign's own words are English, and do not use them)."""
    campaign, tracking = tracked
    texts = [
        render_markdown(campaign, tracking=tracking, today=TODAY),
        render_markdown(campaign, tracking=tracking, today=TODAY, audience="client"),
    ]
    english = [
        message.id
        for message in catalogue()
        if isinstance(message.id, str)
        and len(message.id.split()) >= 3
        and "%" not in message.id
        and message.string != message.id
    ]
    assert len(english) > 100
    for text in texts:
        left = [words for words in english if words in text]
        assert left == []
    # and in English, they are there
    english_brief = render_markdown(campaign, tracking=tracking, today=TODAY, language="en")
    assert english_brief.startswith("# Campaign brief: Spring screening drive")
    assert "Sintesi" not in english_brief and "## Executive summary" in english_brief


def _user_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _user_strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _user_strings(item)]
    return []


def test_no_english_word_of_the_planner_s_is_left_in_the_client_s_italian_brief(tracked):
    """The client's brief without the campaign's own words (English here) has no English
    left: a word written outside the catalogues would show here."""
    campaign, tracking = tracked
    text = render_markdown(campaign, tracking=tracking, today=TODAY, audience="client")
    for own in sorted(_user_strings(campaign.model_dump(mode="json")), key=len, reverse=True):
        for line in own.splitlines():
            if len(line.strip()) > 2:
                text = text.replace(line.strip(), " ")
    words = set(re.findall(r"[a-z]+", text.lower()))
    english = {"the", "and", "of", "to", "with", "yet", "from", "by", "not", "is", "are", "per"}
    assert words & english == {"per"}  # Italian's own "per" (for) only


def test_the_html_brief_says_it_is_italian_and_numbers_its_pages_in_italian(tracked):
    campaign, tracking = tracked
    html = render_html(campaign, tracking=tracking, today=TODAY)
    assert '<html lang="it">' in html
    assert "<title>Brief della campagna: Spring screening drive</title>" in html
    assert '<h2 id="toc-title">Indice</h2>' in html
    assert '"Pagina" " " counter(page) " " "di" " " counter(pages)' in html


def test_the_italian_pdf_and_word_briefs_are_in_italian(store, tracked):
    from planner.briefs import render_brief
    from planner.domain.models import BriefFormat

    campaign, _ = tracked
    pdf = render_brief(store, campaign.id, BriefFormat.PDF, today=TODAY).content
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert "Indice" in pages[0] and "Sintesi" in pages[0]
    assert "Pagina 2 di" in " ".join(pages[1].split())
    word = render_brief(store, campaign.id, BriefFormat.DOCX, today=TODAY).content
    document = docx.Document(io.BytesIO(word))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Indice", *ITALIAN_SECTIONS]
    footer = document.sections[0].footer.paragraphs[0].text
    assert "Pagina" in footer and " di " in footer
    assert document.core_properties.language == "it-IT"


def test_the_campaign_s_text_stays_literal_in_the_italian_sentences():
    campaign = italian(full_campaign("<script>alert(1)</script> {{ 7*7 }}"))
    campaign.measures[0].name = "<b>Tasso</b> | %(amount)s"
    html = render_html(campaign, today=TODAY)
    assert "<script>alert(1)</script>" not in html and "<b>Tasso</b>" not in html
    assert "&lt;b&gt;Tasso&lt;/b&gt; | %(amount)s: da 42% a 55%" in html
    md = render_markdown(campaign, today=TODAY)
    assert "\\<b\\>Tasso\\</b\\> \\| %(amount)s: da 42% a 55%" in md


def test_writing_a_brief_in_italian_leaves_the_rest_of_the_planner_in_english(tracked):
    campaign, tracking = tracked
    render_markdown(campaign, tracking=tracking, today=TODAY)
    assert campaign.segments[1].age_range == "all ages"  # as the screens show it
    with speaking("it"):
        assert campaign.segments[1].age_range == "tutte le età"
    us = render_markdown(Campaign(name="x", jurisdictions=["US"]), today=TODAY)
    assert us.startswith("# Campaign brief: x") and "## Executive summary" in us


# The command line ------------------------------------------------------------------------------


def run(db, *args, code=0):
    result = CliRunner().invoke(main, ["--db", str(db), *map(str, args)])
    assert result.exit_code == code, result.output
    return result.output


def test_the_language_is_set_shown_and_chosen_for_one_brief(db_path):
    with Store.open(db_path) as store:
        us = store.create_campaign(Campaign(name="Walk-ins", jurisdictions=["US"]))
    assert run(db_path, "brief", us).startswith("# Campaign brief: Walk-ins")
    assert run(db_path, "brief", us, "--language", "it").startswith(
        "# Brief della campagna: Walk-ins"
    )
    refused = run(db_path, "brief", us, "--language", "klingon", code=2)
    assert "A brief cannot be written in 'klingon' yet; the languages are en (English), it" in (
        refused
    )
    run(db_path, "set", us, "language", "Italiano")
    assert json.loads(run(db_path, "show", us, "--json"))["language"] == "it"
    assert run(db_path, "brief", us).startswith("# Brief della campagna: Walk-ins")
    assert run(db_path, "brief", us, "--language", "en").startswith("# Campaign brief")
    said = run(db_path, "set", us, "language", "de", code=2)
    assert "cannot be written in 'de' yet" in said
    run(db_path, "set", us, "language", "")  # back to the practice's
    assert json.loads(run(db_path, "show", us, "--json"))["language"] is None
    assert run(db_path, "brief", us).startswith("# Campaign brief: Walk-ins")
