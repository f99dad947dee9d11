"""``planner new NAME --from STARTER --practice P --address A --phone N --website W`` (issue
28): a starter made the consultant's client's, with no trace of the starter's sample practice
(its name, address, phone numbers or website) in the plan or in any format of its brief."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from planner.plan.starters import list_starters

CLIENT = {
    "--practice": "Alder Street Clinic",
    "--address": "12 Alder Street, Leeds LS1 4AB",
    "--phone": "0113 496 0999",
    "--website": "alderstreet.example",
}
SHIPPED = [s for s in list_starters() if not s.own]


def sample_traces(starter, *, places: bool = True) -> list[str]:
    """What names the sample practice in the starter's file: its name, every address, phone
    number and website its texts give, its people and its places (the file's own record of
    them)."""
    data = json.loads(starter.path.read_text(encoding="utf-8"))
    sample = dict(data["starter"].get("sample", {}))
    people = sample.pop("people", {})
    where = sample.pop("places", {})
    return [data["campaign"]["practice"], *sample.values(), *people, *(where if places else [])]


@pytest.mark.parametrize("starter", SHIPPED, ids=[s.id for s in SHIPPED])
def test_a_starter_made_the_client_s_leaves_nothing_of_the_sample_practice(tracking_cli, starter):
    traces = sample_traces(starter)
    assert len(traces) >= 2  # every shipped starter gives a phone number at least
    default = tracking_cli("new", "Sample", "--from", starter.id).output.split()[0]
    as_shipped = tracking_cli("brief", default, "--language", "en").output
    # without details, the sample's stay
    assert all(trace in as_shipped for trace in sample_traces(starter, places=False))

    args = [a for pair in CLIENT.items() for a in pair]
    made = tracking_cli("new", "For Alder", "--from", starter.id, *args).output.split()[0]
    shown = tracking_cli("show", made, "--json").output
    for kind in ("md", "html"):
        brief = tracking_cli("brief", made, "--format", kind).output
        for text in (brief, shown):
            for trace in traces:
                assert trace not in text, (kind, trace)
        assert "Alder Street Clinic" in brief and "0113 496 0999" in brief


def test_the_client_s_pdf_brief_names_the_client(tracking_cli, tmp_path):
    flu = next(s for s in SHIPPED if s.id == "flu-vaccination")
    args = [a for pair in CLIENT.items() for a in pair]
    made = tracking_cli("new", "Flu at Alder", "--from", flu.id, *args).output.split()[0]
    pdf = tmp_path / "brief.pdf"
    tracking_cli("brief", made, "-o", str(pdf))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    text = " ".join(text.split())
    for trace in sample_traces(flu):
        assert trace not in text, trace
    assert "12 Alder Street, Leeds LS1 4AB" in text and "0113 496 0999" in text


def test_details_without_a_starter_are_refused(tracking_cli):
    said = tracking_cli("new", "Blank", "--phone", "0113 496 0999", code=2).output
    assert "--phone fill a starter's texts; use them with --from STARTER" in said
