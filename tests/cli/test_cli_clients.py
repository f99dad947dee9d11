"""A consultant's clients (issue 28): ``planner client PRACTICE`` keeps a practice's details once
(address, phone, website, who prepares its briefs, a colour and a logo) and every brief of its
campaigns shows them; ``planner clients`` rolls up each practice's campaigns."""

from __future__ import annotations

import io
import json
import struct
import zlib

import docx
import pytest

from planner.store import Store


def png(width: int = 4, height: int = 2) -> bytes:
    """A small valid PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x1f\x6f\x8b" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def two_practices(tracking_cli) -> None:
    """Campaign 1 and 2 for Alder Street Clinic (written two ways), 3 for another practice."""
    tracking_cli(
        "new", "Flu 2027", "--from", "flu-vaccination", "--practice", "Alder Street Clinic"
    )
    tracking_cli("new", "Diabetes 2027", "--from", "diabetes-education", "--practice",
                 "alder  street clinic")  # fmt: skip
    tracking_cli("new", "Screening", "--from", "breast-screening", "--practice", "Riverside")


def test_a_client_s_details_are_kept_once_and_every_brief_shows_them(
    tracking_cli, two_practices, tmp_path
):
    logo = tmp_path / "logo.png"
    logo.write_bytes(png())
    said = tracking_cli(
        "client", "ALDER STREET CLINIC", "--address", "12 Alder Street, Leeds",
        "--phone", "0113 496 0000", "--colour", "#8B1F4A", "--logo", str(logo),
        "--prepared-by", "Rossi Consulting",
    ).output  # fmt: skip
    assert "Kept the details of Alder Street Clinic" in said  # as its campaigns write it
    kept = json.loads(tracking_cli("client", "alder street clinic", "--json").output)
    assert kept == {
        "name": "Alder Street Clinic",
        "address": "12 Alder Street, Leeds",
        "phone": "0113 496 0000",
        "website": "",
        "prepared_by": "Rossi Consulting",
        "colour": "#8b1f4a",
        "logo": {"type": "image/png", "bytes": len(png())},
    }
    for campaign in ("1", "2"):  # both campaigns of the practice, however they spell it
        for audience in ("internal", "client"):
            md = tracking_cli("brief", campaign, "--audience", audience, "--language", "en").output
            assert "**Address:** 12 Alder Street, Leeds" in md
            assert "**Phone:** 0113 496 0000" in md
    other = tracking_cli("brief", "3").output
    assert "12 Alder Street" not in other and "**Address:**" not in other

    html = tracking_cli("brief", "1", "--format", "html", "--audience", "client").output
    assert '<img class="logo" src="data:image/png;base64,' in html
    assert ":root { --accent: #8b1f4a;" in html
    word = tmp_path / "flu.docx"
    tracking_cli("brief", "1", "-o", str(word), "--audience", "client")
    document = docx.Document(io.BytesIO(word.read_bytes()))
    assert len(document.inline_shapes) == 1  # the logo
    assert str(document.styles["Heading 1"].font.color.rgb) == "8B1F4A"  # its colour


def test_a_campaign_s_own_prepared_by_comes_before_the_client_s(tracking_cli, two_practices):
    tracking_cli("client", "Riverside", "--prepared-by", "Rossi Consulting")
    tracking_cli("set", "3", "prepared_by", "")
    assert "**Prepared by:** Rossi Consulting" in tracking_cli("brief", "3").output
    tracking_cli("set", "3", "prepared_by", "Dr Chen")
    assert "**Prepared by:** Dr Chen" in tracking_cli("brief", "3").output


def test_clients_roll_up_each_practice_s_campaigns(tracking_cli, two_practices, db_path):
    tracking_cli("archive", "2")
    tracking_cli(
        "costs", "add", "3", "--amount", "5000", "--channel", "email", "--date", "2027-03-01"
    )
    tracking_cli("client", "Nobody Yet Clinic", "--phone", "0113 000 0000")
    rolled = {c["name"]: c for c in json.loads(tracking_cli("clients", "--json").output)}
    assert list(rolled) == ["Alder Street Clinic", "Nobody Yet Clinic", "Riverside"]
    alder = rolled["Alder Street Clinic"]
    with Store.open(db_path) as store:
        flu, diabetes = store.get_campaign(1), store.get_campaign(2)
    assert (alder["campaigns"], alder["archived"]) == (2, 1)
    assert alder["budget_minor"] == {
        "EUR": sum(b.amount_minor for b in flu.budget),
        "USD": sum(b.amount_minor for b in diabetes.budget),
    }
    assert rolled["Riverside"]["spent_minor"] == {"GBP": 500_000}  # over its GBP 4,500 budget
    assert (rolled["Riverside"]["attention"], alder["attention"]) == (1, 0)
    assert rolled["Nobody Yet Clinic"] == {
        "name": "Nobody Yet Clinic",
        "campaigns": 0,
        "archived": 0,
        "budget_minor": {},
        "spent_minor": {},
        "details": True,
        "attention": 0,
    }
    table = tracking_cli("clients").output
    assert "Alder Street Clinic" in table and "Details" in table


def test_what_a_client_cannot_keep_is_said(tracking_cli, two_practices, tmp_path):
    text = tmp_path / "logo.png"
    text.write_text("not a picture")
    said = tracking_cli("client", "Riverside", "--logo", str(text), code=2).output
    assert "is not a PNG or JPEG image" in said
    said = tracking_cli("client", "Riverside", "--logo", str(tmp_path / "none.png"), code=2)
    assert "There is no file" in said.output
    big = tmp_path / "big.png"
    big.write_bytes(png() + b"\0" * 600_000)
    assert "keeps the briefs light" in tracking_cli("client", "Riverside", "--logo", str(big),
                                                    code=2).output  # fmt: skip
    said = tracking_cli("client", "Riverside", "--colour", "red", code=2).output
    assert "'red' is not a colour; give it as a hex code such as #1f6f8b." in said
    said = tracking_cli("client", "Riverside", code=2).output
    assert "No details are kept for 'Riverside' yet" in said
    said = tracking_cli("client", "Riverside", "--name", "", code=2).output
    assert "A practice needs a name" in said
    assert json.loads(tracking_cli("clients", "--json").output)[-1]["details"] is False


def test_a_new_campaign_for_a_client_takes_its_kept_details(tracking_cli, db_path):
    tracking_cli(
        "client", "Alder Street Clinic", "--address", "12 Alder Street, Leeds",
        "--phone", "0113 496 0000", "--prepared-by", "Rossi Consulting",
    )  # fmt: skip
    tracking_cli("new", "Flu", "--from", "flu-vaccination", "--practice", "alder street clinic")
    tracking_cli("new", "Flu 2", "--from", "flu-vaccination", "--practice", "Alder Street Clinic",
                 "--phone", "0113 496 9999")  # fmt: skip
    with Store.open(db_path) as store:
        kept, given = store.get_campaign(1), store.get_campaign(2)
    assert kept.practice == "Alder Street Clinic"  # as the client is kept, not as typed
    texts = kept.model_dump_json()
    assert "12 Alder Street, Leeds" in texts and "0113 496 0000" in texts
    assert "Via Mameli" not in texts and "045 555 0123" not in texts  # nothing of the sample
    assert kept.prepared_by == "Rossi Consulting"
    assert "0113 496 9999" in given.model_dump_json()  # what is typed comes first
    assert "0113 496 0000" not in given.model_dump_json()


def test_details_given_to_a_new_campaign_are_kept_as_the_client_s(tracking_cli):
    """`planner new --practice P --address ... --phone ...` for a practice with no details kept
    keeps them as its (said), for its next campaign; details kept already stay as they are."""
    out = tracking_cli("new", "Flu", "--from", "flu-vaccination", "--practice",
                       "Studio Medico Rossi", "--address", "Via Roma 1, 20121 Milano",
                       "--phone", "02 555 1234")  # fmt: skip
    assert "Kept the details given as Studio Medico Rossi's" in out.stderr
    kept = json.loads(tracking_cli("client", "studio medico rossi", "--json").stdout)
    assert (kept["address"], kept["phone"]) == ("Via Roma 1, 20121 Milano", "02 555 1234")
    tracking_cli("new", "Flu 2", "--from", "flu-vaccination", "--practice", "Studio Medico Rossi")
    with_kept = tracking_cli("show", "2", "--json").stdout
    assert "Via Roma 1, 20121 Milano" in with_kept and "[your address]" not in with_kept
    again = tracking_cli("new", "Flu 3", "--from", "flu-vaccination", "--practice",
                         "Studio Medico Rossi", "--phone", "02 555 9999")  # fmt: skip
    assert "Kept the details" not in again.stderr
    kept = json.loads(tracking_cli("client", "Studio Medico Rossi", "--json").stdout)
    assert kept["phone"] == "02 555 1234"
