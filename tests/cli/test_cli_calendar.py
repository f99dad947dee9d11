"""``planner calendar [--from D] [--to D] [--practice P] [--ics FILE]`` (issue 28): the
activities of every campaign by month, the weeks when campaigns overlap, and an iCalendar file
that calendars import, read back here with the icalendar library."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from icalendar import Calendar

from planner.domain.models import Activity, Campaign
from planner.store import Store


def _activity(name: str, start: str | None, end: str | None, channel="email", owner="Ana"):
    return Activity(
        name=name,
        channel=channel,
        journey_stage="awareness",
        start_date=start,
        end_date=end,
        owner=owner,
    )


@pytest.fixture
def campaigns(db_path) -> dict[str, int]:
    """Flu (Alder Street Clinic) and Diabetes (Elm Surgery) overlap in the week of 4 October
    2027; an archived and a trashed campaign have activities then too; one activity has no
    dates."""
    made = {}
    with Store.open(db_path) as store:
        for name, practice, activities in [
            (
                "Flu 2027",
                "Alder Street Clinic",
                [
                    _activity(
                        "Flu letters", "2027-09-20", "2027-10-08", "print_mail", "Front desk"
                    ),
                    _activity("Flu texts", "2027-10-05", None, "sms"),
                    _activity("Undated posters", None, None, "print_mail"),
                ],
            ),
            (
                "Diabetes",
                "Elm Surgery",
                [_activity("Diabetes evening, with Q&A", "2027-10-07", "2027-10-07", "events")],
            ),
            ("Old", "Elm Surgery", [_activity("Old mailing", "2027-10-04", "2027-10-04")]),
            ("Binned", "Elm Surgery", [_activity("Binned mailing", "2027-10-04", "2027-10-04")]),
        ]:
            campaign = Campaign(name=name, practice=practice, currency="USD", activities=activities)
            made[name] = store.create_campaign(campaign)
        store.set_archived(made["Old"], True)
        store.delete_campaign(made["Binned"])
    return made


def test_the_calendar_by_month_with_the_weeks_campaigns_overlap(tracking_cli, campaigns):
    out = tracking_cli("calendar").output
    assert out.index("September 2027") < out.index("October 2027")
    september = out[out.index("September 2027") : out.index("October 2027")]
    assert "20 Sep 2027 to 8 Oct 2027  Flu letters" in september
    assert "Alder Street Clinic" in september and "Front desk" in september
    october = out[out.index("October 2027") :]
    assert "5 Oct 2027 " in october and "Flu texts" in october  # one date: that day
    assert "Diabetes evening, with Q&A" in october
    assert "Flu letters" in october  # a month shows what runs in it, not only what begins
    # two practices' campaigns in one week: no overlap (they share no patients or staff)
    assert "overlap" not in out
    assert "1 activity has no dates yet" in out
    for hidden in ("Old mailing", "Binned mailing"):  # archived, and in the trash
        assert hidden not in out
    everything = tracking_cli("calendar", "--all").output
    assert "Old mailing" in everything and "Binned mailing" not in everything
    # the archived campaign and Diabetes are Elm Surgery's: they overlap that week
    assert (
        "week of 4 Oct 2027: 4 activities; Diabetes and Old overlap (one practice's)" in everything
    )


def test_the_calendar_of_one_practice_and_of_a_time(tracking_cli, campaigns):
    rows = json.loads(tracking_cli("calendar", "--practice", "elm  SURGERY", "--json").output)
    assert rows == [
        {
            "campaign_id": campaigns["Diabetes"],
            "campaign": "Diabetes",
            "practice": "Elm Surgery",
            "activity_id": rows[0]["activity_id"],
            "activity": "Diabetes evening, with Q&A",
            "channel": "events",
            "owner": "Ana",
            "start_date": "2027-10-07",
            "end_date": "2027-10-07",
        }
    ]
    window = json.loads(
        tracking_cli("calendar", "--from", "2027-10-06", "--to", "2027-10-31", "--json").output
    )
    assert [r["activity"] for r in window] == ["Flu letters", "Diabetes evening, with Q&A"]
    said = tracking_cli("calendar", "--from", "2027-10-31", "--to", "2027-10-01", code=2)
    assert "is before --from" in said.output
    said = tracking_cli("calendar", "--practice", "Nobody").output
    assert said.startswith("No activities with dates of the practice 'Nobody'. Practices")
    assert "Alder Street Clinic; Elm Surgery" in said


def test_the_ics_file_holds_each_activity_as_an_all_day_event(tracking_cli, campaigns, tmp_path):
    path = tmp_path / "campaigns.ics"
    said = tracking_cli("calendar", "--ics", str(path)).output
    assert said.startswith(f"Wrote 3 activities to {path}")
    calendar = Calendar.from_ical(path.read_bytes())
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == [
        "Diabetes evening, with Q&A (Diabetes)",
        "Flu letters (Flu 2027)",
        "Flu texts (Flu 2027)",
    ]
    letters = events["Flu letters (Flu 2027)"]
    assert letters.decoded("DTSTART") == dt.date(2027, 9, 20)
    assert letters.decoded("DTEND") == dt.date(2027, 10, 9)  # the day after its last
    description = str(letters["DESCRIPTION"])
    assert "Campaign: Flu 2027" in description and "Practice: Alder Street Clinic" in description
    assert "Channel: Print and direct mail" in description and "Owner: Front desk" in description
    texts = events["Flu texts (Flu 2027)"]
    assert texts.decoded("DTEND") - texts.decoded("DTSTART") == dt.timedelta(days=1)
    assert len({str(e["UID"]) for e in events.values()}) == 3
    # the file is not replaced without --force
    assert "--force" in tracking_cli("calendar", "--ics", str(path), code=2).output
    tracking_cli("calendar", "--ics", str(path), "--practice", "Elm Surgery", "--force")
    assert len(Calendar.from_ical(path.read_bytes()).walk("VEVENT")) == 1
