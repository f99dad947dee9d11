"""``planner brief ID --format docx`` (issue 28): the brief as a Word document a client can edit,
read back with python-docx: real headings (Title, Heading 1 and 2, which Word's navigation pane
and table of contents use), real tables, the practice's name, the client's brief free of the
internal review, and each export recorded as the other formats are."""

from __future__ import annotations

import io
import json
import re

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from planner.briefs import render_html
from planner.briefs.docx import html_to_docx
from planner.briefs.render import SECTIONS
from planner.plan.starters import campaign_from_starter, list_starters
from planner.store import Store

PLAN_SECTIONS = [title for key, title in SECTIONS.items() if key not in ("tracking", "lessons")]


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def styled(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("starter_id", [s.id for s in list_starters()])
def test_every_starter_in_word_has_its_sections_as_headings_and_its_tables(starter_id):
    campaign = campaign_from_starter(starter_id, practice="Alder Street Clinic")
    html = render_html(campaign, language="en")
    document = read(html_to_docx(html))
    assert styled(document, "Title") == [campaign.name]
    assert styled(document, "Heading 1") == ["Contents", *PLAN_SECTIONS]
    segments = [s.name for s in campaign.segments]
    assert set(segments) <= set(styled(document, "Heading 2"))  # each segment's own part
    assert len(document.tables) == html.count("<table")
    text = all_text(document)
    assert "Alder Street Clinic" in text
    # every table's first row is its header, repeated on each page the table runs over
    grid = document.tables[1]
    assert grid.rows[0]._tr.trPr is not None and "tblHeader" in grid.rows[0]._tr.trPr.xml
    assert document.core_properties.title == f"Campaign brief: {campaign.name}"


def test_numbers_are_right_aligned_and_the_total_row_comes_last():
    campaign = campaign_from_starter("flu-vaccination")
    document = read(html_to_docx(render_html(campaign, language="en")))
    budget = next(t for t in document.tables if t.rows[0].cells[0].text == "Channel")
    assert [c.text for c in budget.rows[0].cells] == ["Channel", "Budget", "Planned in activities"]
    amount = budget.rows[1].cells[-1].paragraphs[0]
    assert re.search(r"\d", amount.text) and amount.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert budget.rows[-1].cells[0].text.startswith("Total")
    assert sum(row.cells[0].text.startswith("Total") for row in budget.rows) == 1


def test_a_page_is_a4_outside_the_us_and_letter_for_a_us_campaign():
    italy = read(html_to_docx(render_html(campaign_from_starter("flu-vaccination"))))
    us = read(html_to_docx(render_html(campaign_from_starter("diabetes-education"))))
    assert round(italy.sections[0].page_width.mm) == 210
    assert round(us.sections[0].page_width.inches, 1) == 8.5


def test_html_a_template_folder_writes_by_hand_still_makes_a_document():
    """A consultant's own templates may write any HTML: unclosed elements, spans across
    columns, an image from elsewhere, loose text; the document keeps every word."""
    html = (
        "<html><head><title>Mine</title><style>p{}</style></head><body>"
        "<h1>Own brief<h2>Part one</h2><p>Loose <b>bold</b> and <i>italic<br>on two lines"
        "<table><tr><th colspan=2>Both</th></tr><tr><td>a<td>b</tr></table>"
        "<img src='https://example.com/logo.png'>text after the image"
        "<ul><li>one<ul><li>inner</li></ul></li><li>two</ul></body></html>"
    )
    document = read(html_to_docx(html))
    text = all_text(document)
    for words in ("Own brief", "Part one", "bold", "italic", "on two lines", "Both", "inner"):
        assert words in text, words
    assert "text after the image" in text
    assert "p{}" not in text
    assert styled(document, "List Bullet 2") == ["inner"]


def test_the_cli_writes_word_records_it_and_the_client_s_leaves_out_the_review(
    tracking_cli, db_path, tmp_path
):
    tracking_cli("new", "Flu 2027", "--from", "flu-vaccination", "--practice", "Alder Street")
    team, client = tmp_path / "team.docx", tmp_path / "client.docx"
    said = tracking_cli("brief", "1", "-o", str(team)).output  # the format from the extension
    assert "Wrote the Word brief of campaign 1" in said
    tracking_cli("brief", "1", "--format", "docx", "--audience", "client", "-o", str(client))
    internal, theirs = all_text(read(team.read_bytes())), all_text(read(client.read_bytes()))
    # the starter for Italy: its briefs are in Italian
    assert "Versione della campagna" in internal and "Revisione e approvazione" in internal
    assert "Versione della campagna" not in theirs and "Revisione e approvazione" not in theirs
    assert "Alder Street" in theirs and "Preparato per" in theirs
    listed = json.loads(tracking_cli("briefs", "1", "--json").output)
    assert [(r["format"], r["audience"]) for r in listed] == [
        ("docx", "client"),
        ("docx", "internal"),
    ]
    with Store.open(db_path) as store:
        assert {r.format.value for r in store.list_renders(1)} == {"docx"}


def test_a_database_from_before_word_briefs_keeps_its_exports_and_records_word_ones(
    tracking_cli, db_path, tmp_path
):
    """The format's check is written anew in an upgrade (schema 0022): every export recorded
    before it is kept as it was, and a Word export is recorded after it."""
    import sqlite3

    from factories import as_released

    as_released(db_path, "0021_brief_audience")
    with sqlite3.connect(db_path) as db:
        db.execute(
            "INSERT INTO campaigns (id, name, currency, created_at, updated_at) VALUES "
            "(1, 'Flu 2026', 'EUR', '2026-10-01T09:00:00+00:00', '2026-10-01T09:00:00+00:00')"
        )
        db.execute(
            "INSERT INTO brief_renders (campaign_id, rendered_at, format, campaign_version, "
            "sha256, size, path, audience) VALUES (1, '2026-11-02T09:30:00+00:00', 'pdf', 1, "
            "'ab12', 2048, '/briefs/flu.pdf', 'client')"
        )
    db.close()
    tracking_cli("brief", "1", "-o", str(tmp_path / "flu.docx"))
    listed = json.loads(tracking_cli("briefs", "1", "--json").output)
    assert [(r["format"], r["audience"], r["path"]) for r in listed] == [
        ("docx", "internal", str(tmp_path / "flu.docx")),
        ("pdf", "client", "/briefs/flu.pdf"),
    ]
