"""The campaign brief in every format: every starter renders, the output parses, user text stays
literal, user templates stay in the sandbox, and every export is recorded."""

from __future__ import annotations

import datetime as dt
import io
import re
import sqlite3
from pathlib import Path

import html5lib
import pytest
from factories import full_campaign
from markdown_it import MarkdownIt
from pypdf import PdfReader

from planner.briefs import (
    SECTIONS,
    html_to_pdf,
    render_html,
    render_markdown,
    render_text,
)
from planner.briefs.facts import budget_by_activity, budget_by_channel, timeline
from planner.domain.errors import PlannerError
from planner.domain.models import (
    Activity,
    BudgetLine,
    Campaign,
    Claim,
    Measure,
    MeasureCategory,
    MessageVariant,
    Review,
    Segment,
)
from planner.plan.guide import Step, check_step
from planner.plan.starters import campaign_from_starter, list_starters
from planner.store import Store

TODAY = dt.date(2027, 2, 1)
STARTERS = [s.id for s in list_starters()]
PLAN_SECTIONS = [title for key, title in SECTIONS.items() if key not in ("tracking", "lessons")]


def starter(starter_id: str) -> Campaign:
    """The starter as a campaign, its brief in English (the starter for Italy would otherwise
    be briefed in Italian: test_brief_language shows it)."""
    campaign = campaign_from_starter(starter_id, start=dt.date(2027, 3, 1))
    campaign.version = 4
    campaign.language = "en"
    return campaign


# Reading the output back ------------------------------------------------------------------


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Each table of a Markdown text as rows of cell texts, parsed as CommonMark + tables."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    tables: list[list[list[str]]] = []
    for n, token in enumerate(tokens):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append([])
        elif token.type in ("th_open", "td_open"):
            tables[-1][-1].append(tokens[n + 1].content)
    return tables


def markdown_html(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


def parse_html(text: str):
    """The document parsed by html5lib in strict mode: a parse error fails the test."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(text)


def element_text(element) -> str:
    return "".join(element.itertext())


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# Every starter, every format ---------------------------------------------------------------


@pytest.mark.parametrize("starter_id", STARTERS)
def test_every_starter_in_markdown_has_every_section_and_whole_tables(starter_id):
    campaign = starter(starter_id)
    text = render_markdown(campaign, today=TODAY)
    assert text.startswith(f"# Campaign brief: {campaign.name}\n")
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == PLAN_SECTIONS
    tables = markdown_tables(text)
    assert len(tables) >= 12
    for table in tables:
        width = len(table[0])
        assert width >= 2
        assert all(len(row) == width for row in table), table
    # Every table of the HTML brief is a table of the Markdown one: the same sections.
    html = render_html(campaign, today=TODAY)
    assert html.count('<table class="grid') == len(tables)
    # the activity table lists every activity
    activity_table = next(t for t in tables if t[0][0] == "Activity" and t[0][1] == "Channel")
    assert [row[0] for row in activity_table[1:]] == [a.name for a in campaign.activities]


@pytest.mark.parametrize("starter_id", STARTERS)
def test_every_starter_in_html_parses_and_links_its_contents(starter_id):
    campaign = starter(starter_id)
    doc = parse_html(render_html(campaign, today=TODAY))
    assert element_text(doc.find(".//title")) == f"Campaign brief: {campaign.name}"
    assert element_text(doc.find(".//h1")) == campaign.name
    ids = {el.get("id"): element_text(el) for el in doc.iter() if el.get("id")}
    for key, title in SECTIONS.items():
        if key not in ("tracking", "lessons"):
            assert ids[key] == title
    links = [a.get("href") for a in doc.find(".//nav").iter("a")]
    assert links == [f"#{key}" for key in SECTIONS if key not in ("tracking", "lessons")]
    # self-contained: styles inline, nothing to fetch, no scripts
    assert doc.find(".//style") is not None
    assert not [el for el in doc.iter() if el.get("src")]
    assert doc.find(".//script") is None and doc.find(".//link") is None


@pytest.mark.parametrize("starter_id", STARTERS)
def test_every_starter_in_pdf_has_every_section(starter_id):
    campaign = starter(starter_id)
    data = html_to_pdf(render_html(campaign, today=TODAY))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 3
    assert reader.metadata.title == f"Campaign brief: {campaign.name}"
    first = reader.pages[0].extract_text()
    assert campaign.name in first and "Contents" in first
    text = " ".join(pdf_text(data).split())
    for title in PLAN_SECTIONS:
        assert title in text
    assert "Page 2 of" in text


# Content -----------------------------------------------------------------------------------


def test_an_empty_campaign_says_what_each_section_is_missing():
    text = render_markdown(Campaign(name="Blank"), today=TODAY)
    assert re.findall(r"^## (.+)$", text, flags=re.M) == PLAN_SECTIONS
    for missing in (
        "No objective yet",
        "No audience segments yet",
        "No influencers yet",
        "No message variants yet",
        "Not planned yet (Marketing mix step)",
        "No activities yet",
        "No measures yet",
        "No budget yet",
        "Not reviewed yet",
        "Sign-off outstanding",
    ):
        assert missing in text
    html = render_html(Campaign(name="Blank"), today=TODAY)
    assert html.count('class="missing"') >= 8


def test_the_cover_and_summary_carry_the_campaign_facts(campaign):
    campaign.version = 12
    text = render_markdown(campaign, today=TODAY)
    for fact in (
        "- **Practice:** Riverside Family Medicine",
        "- **Prepared by:** Ana Ruiz, practice manager",
        "- **Date:** 1 Feb 2027",
        "- **Status:** Draft",
        "- **Campaign version:** 12",
        "- **Campaign dates:** 1 Mar 2027 to 30 Jun 2027",
        "**Primary measure.** Screening rate: from 42% to 55% (increase)",
        "**Budget.** EUR 550,00 in 2 budget lines; EUR 150,00 planned across 2 activities.",
    ):
        assert fact in text


def test_messages_show_reading_grade_claims_and_disclaimers(campaign):
    # The segment reads Italian ("it", "en"): its variant is read on the Gulpease scale and the
    # target grade 7 becomes Gulpease 67 (between 80 at grade 5 and 60 at grade 8).
    campaign.messages[1].body = (
        "La vaccinazione antinfluenzale stagionale è raccomandata ai soggetti con patologie "
        "croniche cardiovascolari e respiratorie."
    )
    text = render_markdown(campaign, today=TODAY)
    assert "### For every segment" in text
    assert "### For Adults 50-74 (target reading grade 7)" in text
    assert (
        "**Adults A · variant A** · reading level: Gulpease 33 (hard for readers with "
        "high-school education) · harder than the target, Gulpease 67 or more (about grade 7)"
    ) in text
    # The core message has no segment: English, and the brief says it was assumed.
    assert re.search(
        r"\*\*Core\*\* · reading level: Flesch-Kincaid grade \d+\.\d; English assumed", text
    )
    assert "| Screening lowers the risk of late diagnosis. | Guideline | Ministero" in text
    assert "> Talk to your doctor about what suits you." in text


def test_timeline_and_journey_coverage(campaign):
    text = render_markdown(campaign, today=TODAY)
    tables = markdown_tables(text)
    timeline_table = next(t for t in tables if t[0][:2] == ["Activity", "Mar 2027"])
    assert timeline_table[0] == ["Activity", "Mar 2027", "Apr 2027", "May 2027", "Jun 2027"]
    assert timeline_table[1] == ["Reminder email", "■", "", "", ""]
    # undated, it runs for the campaign and says so
    assert timeline_table[2] == ["Doctor briefing (campaign dates)", "■", "■", "■", "■"]
    coverage = next(t for t in tables if t[0][0] == "Journey stage")
    assert coverage[0] == ["Journey stage", "Email", "Physician liaison", "Total"]
    assert coverage[1] == ["Awareness", "1", "–", "1"]
    assert coverage[3] == ["Choice", "–", "–", "gap"]
    assert "**Journey gaps.** Nothing is planned for choice, care experience" in text


def test_a_long_campaign_is_shown_by_quarter_and_undated_work_is_listed():
    campaign = Campaign(
        name="Long",
        start_date=dt.date(2027, 1, 1),
        end_date=dt.date(2028, 12, 31),
        activities=[
            Activity(
                name="Year one",
                channel="email",
                journey_stage="awareness",
                start_date=dt.date(2027, 2, 1),
                end_date=dt.date(2027, 12, 31),
            ),
        ],
    )
    found = timeline(campaign)
    assert found.unit == "quarter"
    assert [p.label for p in found.periods][:2] == ["Q1 2027", "Q2 2027"]
    assert len(found.periods) == 8
    assert found.rows[0].active == [True] * 4 + [False] * 4
    undated = Campaign(
        name="Undated",
        activities=[Activity(name="Someday", channel="email", journey_stage="awareness")],
    )
    assert [a.name for a in timeline(undated).unscheduled] == ["Someday"]
    assert "**Not yet scheduled:** Someday." in render_markdown(undated, today=TODAY)


def test_budget_by_channel_and_by_activity(campaign):
    by_channel = {
        row.label: (row.budget_minor, row.planned_minor) for row in budget_by_channel(campaign)
    }
    # the briefing lunch names no channel: it counts under its activity's channel
    assert by_channel == {"Email": (15000, 15000), "Physician liaison": (40000, 0)}
    by_activity = {
        row.label: (row.budget_minor, row.planned_minor) for row in budget_by_activity(campaign)
    }
    assert by_activity == {
        "Reminder email": (0, 15000),
        "Doctor briefing": (40000, 0),
        "Not tied to an activity": (15000, 0),
    }
    text = render_markdown(campaign, today=TODAY)
    assert "| **Total** | **EUR 550,00** | **EUR 150,00** |" in text


def test_reviews_show_status_and_who_signed_off(campaign):
    text = render_markdown(campaign, today=TODAY)
    assert "| Medical | Approved | Dr Bianchi |" in text
    assert "| Legal | Not reviewed yet |" in text
    assert "**Sign-off outstanding:** legal, regulatory, privacy reviews." in text
    for kind in ("legal", "regulatory", "privacy"):
        campaign.reviews.append(
            Review(
                kind=kind,
                decision="approved",
                reviewer="Avv. Neri",
                date=TODAY,
                message_version=campaign.message_version,
            )
        )
    campaign = Campaign.model_validate(campaign.model_dump())
    text = render_markdown(campaign, today=TODAY)
    assert (
        "**Signed off** by Dr Bianchi (medical), Avv. Neri (legal, 1 Feb 2027), "
        "Avv. Neri (regulatory, 1 Feb 2027), Avv. Neri (privacy, 1 Feb 2027)."
    ) in text
    # a message changes after the sign-offs: the brief says they are withdrawn
    campaign.message_version += 1
    text = render_markdown(campaign, today=TODAY)
    assert "| Legal | Withdrawn: a message changed after it | Avv. Neri |" in text
    assert "**Compliance review.** Checked against the rules of Italy, European Union" in text


def test_tracking_appears_once_costs_or_results_exist(store, campaign):
    campaign_id = store.create_campaign(campaign)
    plan_only, tracking = store.tracking_data(campaign_id)
    text = render_markdown(plan_only, tracking=tracking, today=TODAY)
    assert "## Tracking to date" in text
    assert "**Spent.** EUR 120,50 of EUR 550,00 (21,9%) in 1 cost, on 2 Mar 2027" in text
    assert "| Email | EUR 150,00 | EUR 120,50 | EUR 29,50 |" in text
    # 44.5 is 2.5 of the 13 points from 42 to 55
    assert "| Screening rate | 42% | 44,5% | 31 Mar 2027 | 55% | 19,2% | On track | 1 |" in text
    assert "| No-show rate | 12% | – | No results yet | 8% | – | No results yet | 0 |" in text
    html = render_html(plan_only, tracking=tracking, today=TODAY)
    assert 'href="#tracking"' in html
    without = render_markdown(Campaign(name="Plan only"), tracking=None, today=TODAY)
    assert "Tracking to date" not in without


# User text is data, never markup ----------------------------------------------------------

HOSTILE = "<script>alert(1)</script> {{ 7*7 }} | pipe"


def hostile_campaign() -> Campaign:
    campaign = full_campaign(HOSTILE)
    campaign.practice = "Dr <b>Bold</b> & Co {% if true %}yes{% endif %}"
    campaign.objective = (
        "Line one | cell\n# not a heading\n1. not a list\n**not bold** [x](http://a)"
    )
    campaign.segments[0] = Segment(
        **{**campaign.segments[0].model_dump(), "description": "a\n\n| x | y |\n|---|---|"}
    )
    campaign.messages[0] = MessageVariant(
        **{
            **campaign.messages[0].model_dump(exclude={"claims"}),
            "body": "<img src=x onerror=alert(2)>\n> quoted?",
            "claims": [Claim(text="Cuts risk | by 50%\nsecond line", evidence_reference="{{ c }}")],
        }
    )
    return Campaign.model_validate(campaign.model_dump())


def test_hostile_text_stays_literal_in_markdown():
    campaign = hostile_campaign()
    text = render_markdown(campaign, today=TODAY)
    html = markdown_html(text)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "49" not in text and "{{ 7*7 }}" in html and "yes{% endif %}" in html
    assert re.findall(r"^## (.+)$", text, flags=re.M) == PLAN_SECTIONS  # no heading added
    assert "<ol" not in html and '<a href="http://a"' not in html
    for table in markdown_tables(text):
        assert all(len(row) == len(table[0]) for row in table), table
    claim_table = next(t for t in markdown_tables(text) if t[0][0] == "Claim")
    assert claim_table[1][0] == "Cuts risk | by 50% second line"
    assert claim_table[1][2] == "{{ c }}"


def test_hostile_text_stays_literal_in_html():
    campaign = hostile_campaign()
    doc = parse_html(render_html(campaign, today=TODAY))
    assert doc.find(".//script") is None and doc.find(".//img") is None
    assert element_text(doc.find(".//h1")) == HOSTILE
    assert element_text(doc.find(".//title")) == f"Campaign brief: {HOSTILE}"
    body = element_text(doc.find(".//main"))
    assert "Dr <b>Bold</b> & Co {% if true %}yes{% endif %}" in body
    assert "<img src=x onerror=alert(2)>" in body
    assert "49" not in body


def test_hostile_text_stays_literal_in_pdf():
    text = pdf_text(html_to_pdf(render_html(hostile_campaign(), today=TODAY)))
    assert "<script>alert(1)</script> {{ 7*7 }} | pipe" in text
    assert "<img src=x onerror=alert(2)>" in text


def test_a_long_plan_in_pdf_keeps_amounts_whole_and_each_total_once():
    """Forty mailings: the activity and budget tables run over several pages. Each amount
    stays on one line ("EUR 150,00", never "EUR" above "150,00"), and a table's total row is
    printed once, at its end, not again on every page the table crosses."""
    campaign = full_campaign()
    first = campaign.activities[0]
    waves = [
        first.model_copy(update={"name": f"Mailing wave {i:02d} to patients due for review"})
        for i in range(1, 41)
    ]
    lines = [
        BudgetLine(name=f"Line {i}", amount_minor=150_000, activity=w.name, channel=w.channel)
        for i, w in enumerate(waves)
    ]
    campaign = campaign.model_copy(
        update={"activities": [*campaign.activities, *waves], "budget": [*campaign.budget, *lines]}
    )
    data = html_to_pdf(render_html(campaign, today=TODAY))
    text = pdf_text(data)
    assert len(PdfReader(io.BytesIO(data)).pages) > 10
    planned = campaign.activities[-1].planned_cost_minor / 100
    amount = f"EUR {planned:.2f}".replace(".", ",")
    assert text.count(amount) >= 40
    assert not re.search(r"EUR\s*\n\s*[\d.]+,\d\d", text), "an amount broken after its currency"
    # two tables with a total: the budget by channel (one page) and by activity (three)
    assert len(re.findall(r"^Total EUR ", text, flags=re.M)) == 2


@pytest.mark.parametrize("mailings", [0, 12])
def test_no_pdf_page_ends_on_a_heading(mailings):
    """A heading is kept with its first lines: the last line of every page's body (above the
    running foot) is never a section's or a sub-section's heading, however long the plan
    before it runs. (With headings allowed to end a page, these lengths of the activity plan
    each leave one at a page's foot: Measures, and Review and sign-off.)"""
    campaign = full_campaign()
    first = campaign.activities[0]
    waves = [first.model_copy(update={"name": f"Mailing wave {i:02d}"}) for i in range(mailings)]
    campaign = campaign.model_copy(update={"activities": [*campaign.activities, *waves]})
    html = render_html(campaign, today=TODAY)
    doc = parse_html(html)
    headings = {element_text(h).strip() for tag in ("h2", "h3", "h4") for h in doc.iter(tag)}
    assert "Executive summary" in headings and len(headings) > 15
    pages = PdfReader(io.BytesIO(html_to_pdf(html))).pages
    for number, page in enumerate(pages[1:], start=2):  # the cover ends on its contents
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        assert lines[-1].endswith(f"Page {number} of {len(pages)}")  # the running foot
        last = re.sub(r"^\d+\.\s*", "", lines[-2])  # a section's number is the style's
        assert last not in headings, f"page {number} ends on the heading {lines[-2]!r}"


# Templates: the consultant's own, in the sandbox ------------------------------------------


def test_a_template_folder_replaces_only_the_files_it_holds(tmp_path, campaign):
    (tmp_path / "brief.css").write_text("main.brief { font-family: 'Acme Sans'; }\n")
    html = render_html(campaign, template_dir=tmp_path, today=TODAY)
    assert "font-family: 'Acme Sans'" in html and "--accent" not in html
    assert 'id="summary"' in html  # the sections still come from the standard set
    (tmp_path / "body.j2").write_text('{{ f.title("Proposal by Acme", c.name) }}\n')
    assert render_markdown(campaign, template_dir=tmp_path, today=TODAY) == (
        "# Proposal by Acme: Spring screening drive\n\n"
    )


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("{{ c.__class__.__mro__[1].__subclasses__() }}", 2, "may not use"),
        ("{{ c.segments.append(1) }}", 2, "may not use"),
        ("{{ money.__globals__ }}", 2, "may not use"),
        # pydantic's own methods could unpickle code or read files: out of reach
        ('{{ c.parse_raw("x", proto="pickle", allow_pickle=True) }}', 2, "may not use"),
        ('{{ c.segments[0].parse_file("/etc/passwd") }}', 2, "may not use"),
        ("{{ c.model_validate_json('{}') }}", 2, "may not use"),
        ("{{ nothing.here }}", 2, "does not exist"),
    ],
)
def test_a_template_cannot_reach_python_internals(tmp_path, campaign, source, line, words):
    template = tmp_path / "brief.md.j2"
    template.write_text(f"# Brief\n{source}\n")
    with pytest.raises(PlannerError) as caught:
        render_text(campaign, "md", template_dir=tmp_path, today=TODAY)
    message = str(caught.value)
    assert str(template) in message and f"line {line}" in message and words in message


def test_a_template_syntax_error_names_the_file_and_line(tmp_path, campaign):
    (tmp_path / "body.j2").write_text("ok\n\n{% if %}\n")
    with pytest.raises(PlannerError, match=r"body\.j2 has an error on line 3"):
        render_html(campaign, template_dir=tmp_path, today=TODAY)


def test_a_template_linked_to_a_file_outside_its_folder_is_refused(tmp_path, campaign):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:the password file")
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "evil.j2").symlink_to(secret)
    (folder / "brief.md.j2").write_text("# Brief\n{% include 'evil.j2' %}\n")
    with pytest.raises(PlannerError) as caught:
        render_markdown(campaign, template_dir=folder, today=TODAY)
    assert str(caught.value) == (
        f"The brief template evil.j2 (asked for by {folder / 'brief.md.j2'}, line 2) is a link "
        f"to a file outside the template folder '{folder}'; copy the file into the folder "
        "instead of linking to it."
    )
    # The same for a template the planner asks for itself, and for a link to /etc/passwd.
    (folder / "brief.md.j2").unlink()
    (folder / "brief.md.j2").symlink_to("/etc/passwd")
    with pytest.raises(PlannerError, match=r"^The brief template brief\.md\.j2 is a link to a"):
        render_markdown(campaign, template_dir=folder, today=TODAY)


def test_a_linked_folder_or_dot_dot_cannot_lead_out_of_the_template_folder(tmp_path, campaign):
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "root").symlink_to("/")
    (folder / "brief.md.j2").write_text("{% include 'root/etc/passwd' %}")
    with pytest.raises(PlannerError) as caught:
        render_markdown(campaign, template_dir=folder, today=TODAY)
    assert "is reached through a link to a folder outside the template folder" in str(caught.value)
    assert str(caught.value).startswith("The brief template root/etc/passwd (asked for by")
    (tmp_path / "outside.j2").write_text("from outside the folder")
    (folder / "brief.md.j2").write_text("{% include '../outside.j2' %}")
    with pytest.raises(PlannerError) as caught:
        render_markdown(campaign, template_dir=folder, today=TODAY)
    assert "The brief template ../outside.j2 (asked for by" in str(caught.value)
    assert "goes up out of the template folder with '..'" in str(caught.value)


def test_links_inside_the_template_folder_and_a_linked_folder_work(tmp_path, campaign):
    real = tmp_path / "Clients" / "acme-templates"
    (real / "styles").mkdir(parents=True)
    (real / "styles" / "acme.css").write_text("main.brief { font-family: 'Acme Sans'; }\n")
    (real / "brief.css").symlink_to("styles/acme.css")  # a link that stays inside
    folder = tmp_path / "templates"
    folder.symlink_to(real)  # the folder itself may be a link
    html = render_html(campaign, template_dir=folder, today=TODAY)
    assert "font-family: 'Acme Sans'" in html and 'id="summary"' in html


def test_a_template_that_is_a_named_pipe_is_refused_without_waiting(tmp_path, campaign):
    import os

    os.mkfifo(tmp_path / "body.j2")  # reading it would wait forever for a writer
    with pytest.raises(PlannerError, match=r"The brief template body\.j2 .* is not a regular file"):
        render_markdown(campaign, template_dir=tmp_path, today=TODAY)


RUNAWAY = "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}\n"


@pytest.mark.parametrize(
    "source",
    [
        RUNAWAY,  # writes nothing: only the loops themselves can be stopped
        "{% set s = 'ab' * 99999 %}\n"
        "{% for a in s %}{% for b in s %}{{ b }}{% endfor %}{% endfor %}",
        "{% macro m() %}{% for j in range(99999) %}{% endfor %}{% endmacro %}\n"
        "{% for i in range(99999) %}{{ m() }}{% endfor %}",
    ],
)
def test_a_template_that_runs_too_long_is_stopped(tmp_path, campaign, monkeypatch, source):
    import planner.briefs.render

    monkeypatch.setattr(planner.briefs.render, "RENDER_SECONDS", 1)
    (tmp_path / "body.j2").write_text(source)
    with pytest.raises(PlannerError) as caught:
        render_markdown(campaign, template_dir=tmp_path, today=TODAY)
    assert str(caught.value).startswith(
        f"The brief template {tmp_path / 'body.j2'} took longer than 1 second and was stopped "
        "at line "
    )
    assert "look for a loop that runs far more often" in str(caught.value)


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("{{ 'x' * 10000000 }}", "repeating 1 characters or items 10,000,000 times"),
        ("{{ [1, 2] * 999999 }}", "more than 1,000,000"),
        ("{{ 9 ** 99999999 }}", "9 ** 99999999 is too large a number"),
        ("{{ 'x'|center(5000000000) }}", "center(5,000,000,000) makes a value wider than"),
        ("{{ 'x'|indent(5000000000) }}", "indent(5,000,000,000) makes a value wider than"),
        ("{{ '%0999999999d'|format(1) }}", "a width or precision of 999,999,999"),
        ("{{ '%0999999999d' % 1 }}", "a width or precision of 999,999,999"),
        ("{{ '%*d' % (999999999, 1) }}", "a width or precision of 999,999,999"),
        ("{{ '{:>999999999}'.format('a') }}", "a width or precision of 999,999,999"),
        ("{{ '{:>{}}'.format('a', 999999999) }}", "a width or precision of 999,999,999"),
    ],
)
def test_a_template_cannot_make_a_value_too_large_for_a_brief(tmp_path, campaign, source, words):
    (tmp_path / "body.j2").write_text(source)
    with pytest.raises(PlannerError) as caught:
        render_markdown(campaign, template_dir=tmp_path, today=TODAY)
    assert "body.j2 failed on line 1: it makes a value too large for a brief" in str(caught.value)
    assert words in str(caught.value)
    small = (
        "{{ ('ab' * 3)|length }} {{ 2 ** 10 }} {{ ([0] * 2)|length }} "
        "{{ 'x'|center(5)|length }} {{ '%5.1f' % 3.14 }} {{ '{:>4}'.format('ab') }}"
    )
    (tmp_path / "body.j2").write_text(small)
    assert render_markdown(campaign, template_dir=tmp_path, today=TODAY) == (
        "6 1024 2 5   3.1   ab"
    )


# The command line --------------------------------------------------------------------------


@pytest.fixture
def cli(runner, db_path):
    def run(*args: str, code: int = 0):
        result = runner.invoke(main_command(), ["--db", str(db_path), *args])
        assert result.exit_code == code, result.output + str(result.exception)
        return result

    return run


def main_command():
    from planner.cli.main import main

    return main


def test_cli_exports_each_format_and_records_it(cli, tmp_path, db_path):
    cli("new", "Flu 2027", "--from", "flu-vaccination")
    cli("set", "1", "language", "en")
    md, html, pdf = tmp_path / "b.md", tmp_path / "b.html", tmp_path / "b.pdf"
    assert "Wrote the Markdown brief" in cli("brief", "1", "-o", str(md)).output
    cli("brief", "1", "-o", str(html))  # the format comes from the extension
    cli("brief", "1", "--format", "pdf", "-o", str(pdf))
    assert md.read_text().startswith("# Campaign brief: Flu 2027")
    parse_html(html.read_text())
    assert pdf.read_bytes().startswith(b"%PDF-")
    with Store.open(db_path) as store:
        renders = store.list_renders(1)
        assert [r.format.value for r in renders] == ["pdf", "html", "md"]
        assert {r.campaign_version for r in renders} == {2}
        assert store.campaign_version(1) == 2  # history is not a change to the plan
    listing = cli("briefs", "1").output
    assert str(pdf) in listing and "unchanged" in listing
    html.write_text("edited by hand")
    md.unlink()
    listing = cli("briefs", "1").output.splitlines()
    assert any(str(html) in line and "changed since" in line for line in listing)
    assert any(str(md) in line and "file missing" in line for line in listing)


def test_cli_refuses_to_overwrite_without_force(cli, tmp_path):
    cli("new", "Flu 2027", "--from", "flu-vaccination")
    out = tmp_path / "brief.md"
    out.write_text("the brief we sent")
    result = cli("brief", "1", "-o", str(out), code=2)
    assert "already exists; pass --force" in result.output
    assert out.read_text() == "the brief we sent"
    cli("brief", "1", "-o", str(out), "--force")
    assert out.read_text().startswith("# Brief della campagna: Flu 2027")  # Italy's: Italian
    assert "No briefs exported" not in cli("briefs", "1").output


def test_cli_brief_to_standard_output_is_recorded_too(cli):
    cli("new", "Flu 2027")
    assert cli("brief", "1", "--format", "html").output.startswith("<!DOCTYPE html>")
    assert "(standard output)" in cli("briefs", "1").output
    assert cli("brief", "1", "--format", "pdf").stdout_bytes.startswith(b"%PDF-")


def test_cli_briefs_says_when_the_plan_moved_on(cli, db_path, tmp_path):
    cli("new", "Flu 2027")
    assert "No briefs exported for campaign 1 yet" in cli("briefs", "1").output
    cli("brief", "1", "-o", str(tmp_path / "a.md"))
    with Store.open(db_path) as store:
        store.update_campaign(1, {"objective": "More jabs"}, expected_version=None)
    assert "The campaign is at version 2 now; the latest brief was rendered from version 1." in (
        cli("briefs", "1").output
    )


def test_cli_templates_are_copied_then_used(cli, tmp_path):
    cli("new", "Flu 2027")
    folder = tmp_path / "brand"
    assert "Copied 6 template files" in cli("templates", str(folder)).output
    assert "already has" in cli("templates", str(folder), code=2).output
    body = folder / "body.j2"
    body.write_text(body.read_text().replace('"Campaign brief"', '"Proposal"'))
    out = cli("brief", "1", "--template-dir", str(folder)).output
    assert out.startswith("# Proposal: Flu 2027")
    missing = cli("brief", "1", "--template-dir", str(tmp_path / "nope"), code=2).output
    assert "does not exist" in missing and "planner templates" in missing
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (
        "holds none of the brief's templates"
        in cli("brief", "1", "--template-dir", str(empty), code=2).output
    )


def test_cli_explains_a_bad_template_in_one_sentence(cli, tmp_path):
    cli("new", "Flu 2027")
    (tmp_path / "brief.md.j2").write_text("{{ c.__class__ }}")
    result = cli("brief", "1", "--template-dir", str(tmp_path), code=2)
    assert "Traceback" not in result.output
    assert "brief.md.j2 failed on line 1" in result.output


def test_cli_stops_a_runaway_template_and_writes_nothing(cli, tmp_path, monkeypatch):
    import planner.briefs.render

    monkeypatch.setattr(planner.briefs.render, "RENDER_SECONDS", 1)
    cli("new", "Flu 2027")
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "body.j2").write_text(RUNAWAY)
    out = tmp_path / "brief.md"
    result = cli("brief", "1", "--template-dir", str(folder), "-o", str(out), code=2)
    assert result.output.startswith(
        f"Error: The brief template {folder / 'body.j2'} took longer than 1 second and was "
        "stopped at line 1;"
    )
    assert not out.exists() and "No briefs exported" in cli("briefs", "1").output


def test_without_weasyprint_the_pdf_error_says_how_to_get_it(cli, tmp_path, monkeypatch):
    import sys

    cli("new", "Flu 2027")
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it were not installed
    result = cli("brief", "1", "-o", str(tmp_path / "b.pdf"), code=2)
    assert "pip install 'healthcare-campaign-planner[pdf]'" in result.output
    assert not (tmp_path / "b.pdf").exists()
    cli("brief", "1", "-o", str(tmp_path / "b.html"))  # the other formats still work


def test_an_interrupted_export_leaves_the_old_file_whole(cli, tmp_path, monkeypatch):
    import os

    cli("new", "Flu 2027")
    out = tmp_path / "brief.html"
    out.write_text("the brief we sent")

    def power_cut(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", power_cut)
    runner_result = cli("brief", "1", "-o", str(out), "--force", code=1)
    assert isinstance(runner_result.exception, KeyboardInterrupt) or "Aborted" in (
        runner_result.output
    )
    assert out.read_text() == "the brief we sent"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert "No briefs exported" in cli("briefs", "1").output


class CommitFails:
    """The store's connection, except that the commit of the first write that runs ``after``
    fails as on a full disk: the moment after a brief is renamed into place."""

    def __init__(self, conn, after: str) -> None:
        self.conn, self.after, self.armed, self.failed = conn, after, False, False

    def __getattr__(self, name):
        return getattr(self.conn, name)

    def execute(self, sql, *args):
        if sql.startswith(self.after) and not self.failed:
            self.armed = True
        elif sql == "COMMIT" and self.armed:
            self.armed, self.failed = False, True
            self.conn.execute("ROLLBACK")
            raise sqlite3.OperationalError("database or disk is full")
        return self.conn.execute(sql, *args)


@pytest.mark.parametrize("existing", [True, False])
def test_a_failed_record_takes_the_file_back(store, tmp_path, existing):
    from planner.briefs import export_brief, export_history, render_brief
    from planner.domain.errors import DatabaseError
    from planner.domain.models import BriefFormat

    campaign_id = store.create_campaign(full_campaign())
    out = tmp_path / "out" / "brief.md"
    out.parent.mkdir()
    if existing:
        out.write_text("the brief we sent")
    brief = render_brief(store, campaign_id, BriefFormat.MD, today=TODAY)
    store.conn = CommitFails(store.conn, after="UPDATE brief_renders SET pending = 0")
    with pytest.raises(DatabaseError, match="The disk is full, so nothing was saved"):
        export_brief(store, brief, out, force=True)
    if existing:
        assert out.read_text() == "the brief we sent"
    assert sorted(p.name for p in out.parent.iterdir()) == (["brief.md"] if existing else [])
    assert export_history(store, campaign_id) == []
    assert store.conn.execute("SELECT COUNT(*) FROM brief_renders").fetchone() == (0,)
    export_brief(store, brief, out, force=True)  # the next try works
    assert out.read_bytes() == brief.content
    assert [r.path for r in export_history(store, campaign_id)] == [str(out)]


def test_an_export_settled_away_by_a_reader_midway_is_recorded_when_done(store, tmp_path):
    from planner.briefs.export import _record, export_history, render_brief
    from planner.domain.models import BriefFormat

    campaign_id = store.create_campaign(full_campaign())
    out = tmp_path / "brief.md"
    brief = render_brief(store, campaign_id, BriefFormat.MD, today=TODAY)
    record = _record(brief, out)
    under_way = store.begin_render(record)
    # Another window reads the history now: the file is not there yet, so it is not exported.
    assert export_history(store, campaign_id) == []
    record.id = store.finish_render(under_way, record, place=lambda: out.write_bytes(brief.content))
    assert [(r.id, r.path) for r in export_history(store, campaign_id)] == [(record.id, str(out))]


def test_the_default_file_name_is_safe(campaign):
    from planner.briefs import default_file_name
    from planner.domain.models import BriefFormat

    campaign.name = "Flu / 2027: <Verona>"
    campaign.version = 3
    assert default_file_name(campaign, BriefFormat.PDF) == "flu-2027-verona-brief-v3.pdf"


def test_paths(tmp_path: Path):
    from planner.briefs import format_for_path
    from planner.domain.models import BriefFormat

    assert format_for_path(tmp_path / "x.HTM") is BriefFormat.HTML
    assert format_for_path(tmp_path / "x.markdown") is BriefFormat.MD
    assert format_for_path(tmp_path / "x.txt") is None


def test_the_review_recorded_last_is_the_one_that_counts(campaign):
    campaign.reviews = [
        Review(kind="medical", decision="rejected", reviewer="Dr Rossi", date=TODAY),
        Review(kind="medical", decision="approved", reviewer="Dr Rossi"),  # no date
    ]
    text = render_markdown(campaign, today=TODAY)
    assert "| Medical | Approved | Dr Rossi |" in text


def test_cli_paths_that_cannot_be_used_are_sentences(cli, tmp_path):
    cli("new", "Flu 2027")
    result = cli("brief", "1", "-o", "~nosuchuser-xyz/b.md", code=2)
    assert "home folder that does not exist" in result.output
    assert "home folder" in cli("templates", "~nosuchuser-xyz/t", code=2).output
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert "is a file" in cli("brief", "1", "--template-dir", str(a_file), code=2).output


def test_influencer_map_and_measures_carry_their_details(campaign):
    text = render_markdown(campaign, today=TODAY)
    assert (
        "| Family doctors | Primary-care physician | Adults 50-74, Carers | ●●●●● 5/5 | – | – |"
    ) in text
    assert (
        "| Screening rate (primary) | Clinical outcome | 42% | 55% | % | Increase | "
        "Practice records | Monthly |"
    ) in text


def test_a_measure_in_percent_keeps_its_percent_sign_in_the_campaigns_number_style():
    campaign = Campaign(
        name="Vaccinazione antinfluenzale",
        currency="EUR",
        jurisdictions=["IT"],
        measures=[
            Measure(
                name="Copertura vaccinale over 65",
                category=MeasureCategory.CLINICAL_OUTCOME,
                unit="% degli over 65",
                baseline=58,
                target=63.5,
                primary=True,
            ),
            Measure(name="Visits", category=MeasureCategory.ACQUISITION, baseline=1200),
        ],
    )
    text = render_markdown(campaign, today=TODAY)
    rows = {row[0]: row for table in markdown_tables(text) for row in table}
    # an Italian practice's brief: in Italian
    assert rows["Copertura vaccinale over 65 (principale)"][2:4] == ["58%", "63,5%"]
    assert rows["Visits"][2] == "1.200"  # no unit: a number, as the Italians write it


def test_the_html_brief_prints_with_page_breaks_and_page_numbers(campaign):
    html = render_html(campaign, today=TODAY)
    assert "@media print" in html and ".page-break { break-after: page; }" in html
    assert '"Page" " " counter(page) " " "of" " " counter(pages)' in html
    assert "size: A4;" in html  # Italy and the EU: A4; a US-only campaign prints on letter
    campaign.jurisdictions = ["US"]  # type: ignore[list-item]
    assert "size: letter;" in render_html(campaign, today=TODAY)


def _big_numbers(campaign: Campaign, style: str | None) -> Campaign:
    """The fixture with amounts over a thousand and a baseline with a decimal."""
    campaign.number_style = style
    campaign.budget[0].amount_minor = 123450  # 1234.50
    campaign.measures[0].target = 70
    campaign.measures[0].baseline = 63.5
    return campaign


@pytest.mark.parametrize("render", [render_markdown, render_html])
def test_a_euro_brief_writes_numbers_as_italians_do(campaign, render):
    text = render(_big_numbers(campaign, None), today=TODAY)  # IT and EUR: 1.234,50
    assert "EUR 1.234,50" in text  # the email tool's budget line
    assert "EUR 1.634,50" in text  # the total budget
    assert "Screening rate: from 63,5% to 70%" in text
    assert "12.000 people × 60% eligible × 50% reachable" in text
    assert "1,234.50" not in text and "1.634.50" not in text


@pytest.mark.parametrize("render", [render_markdown, render_html])
def test_a_us_style_brief_writes_numbers_as_americans_do(campaign, render):
    text = render(_big_numbers(campaign, "en_US"), today=TODAY)
    assert "EUR 1,234.50" in text and "EUR 1,634.50" in text
    assert "Screening rate: from 63.5% to 70%" in text
    assert "12,000 people × 60% eligible × 50% reachable" in text
    assert "1.234,50" not in text


def test_a_segments_population_shows_until_its_size_can_be_worked_out():
    campaign = Campaign(
        name="Vaccinazione antinfluenzale",
        currency="EUR",
        jurisdictions=["IT"],
        segments=[
            Segment(name="Over 65", population=12000),
            Segment(name="Caregivers", population=3000, eligible_pct=50),
            Segment(name="Sized", population=1000, eligible_pct=50, reachable_pct=40),
        ],
    )
    text = render_markdown(campaign, today=TODAY)
    rows = {row[0]: row for table in markdown_tables(text) for row in table}
    # an Italian practice's brief: in Italian
    assert rows["Over 65"][6] == "12.000 (popolazione)"
    assert rows["Sized"][6] == "200"
    assert (
        "Popolazione 12.000; dimensione stimata – (indicare le quote di persone idonee e "
        "raggiungibili per calcolarla)"
    ) in text
    assert (
        "Popolazione 3.000; dimensione stimata – (indicare la quota di persone raggiungibili per "
        "calcolarla)"
    ) in text
    assert "1.000 persone × 50% idonee × 40% raggiungibili" in text


def test_the_brief_and_the_guide_agree_on_whether_a_primary_measure_is_chosen():
    measures = [
        Measure(name="Copertura over 65", category=MeasureCategory.CLINICAL_OUTCOME, unit="%"),
        Measure(name="Visits", category=MeasureCategory.ACQUISITION),
    ]
    unmarked = Campaign(name="Vaccinazioni", measures=measures)
    text = render_markdown(unmarked, today=TODAY)
    assert "**Primary measure.** Copertura over 65: to – (increase; no baseline yet)" in text
    assert "No measure is marked as the primary one yet (Measures step); the first is shown." in (
        text
    )
    assert any("Mark one measure as the primary" in p for p in _measure_problems(unmarked))

    marked = unmarked.model_copy(
        update={"measures": [measures[0], measures[1].model_copy(update={"primary": True})]}
    )
    text = render_markdown(marked, today=TODAY)
    assert "**Primary measure.** Visits: to – (increase; no baseline yet)" in text
    assert "No measure is marked as the primary one" not in text
    assert not any("primary" in p for p in _measure_problems(marked))


def _measure_problems(campaign: Campaign) -> list[str]:
    return check_step(campaign, Step.MEASURES).problems
