"""The tracking commands as a user types them: costs, results and the report, and the bad
input they may type (one sentence, exit 2, nothing written)."""

from __future__ import annotations

import datetime as dt
import json

import click
import pytest
from factories import tracked_campaign

from planner.cli.main import main
from planner.domain.models import Cost, Result
from planner.store import Store

# A result's breakdown, none of it given.
BLANK = (
    '"of": null, "variant": null, "activity": null, "segment": null, '
    '"influencer": null, "channel": null'
)


@pytest.fixture
def cid(db_path) -> int:
    with Store.open(db_path) as store:
        return store.create_campaign(tracked_campaign())


@pytest.fixture
def cli(tracking_cli):
    return tracking_cli


def counts(db_path) -> tuple[int, int]:
    with Store.open(db_path) as store:
        return (
            store.db.execute("SELECT COUNT(*) FROM costs").fetchone()[0],
            store.db.execute("SELECT COUNT(*) FROM results").fetchone()[0],
        )


def test_every_tracking_command_has_help(runner):
    for group in ("costs", "results"):
        command = main.get_command(click.Context(main), group)
        assert isinstance(command, click.Group)
        for name in command.list_commands(click.Context(command)):
            result = runner.invoke(main, [group, name, "--help"])
            assert result.exit_code == 0 and "Usage:" in result.output, (group, name)
            assert command.get_command(click.Context(command), name).help
    assert runner.invoke(main, ["report", "--help"]).exit_code == 0


def test_costs_add_and_list(cli, cid, db_path):
    out = cli(
        "costs", "add", str(cid), "--date", "2027-03-05", "--amount", "1,250.50",
        "--activity", "reminder EMAIL", "--vendor", "Mailer Ltd", "--note", "March send",
    )  # fmt: skip
    assert out.stdout == "1\n"
    assert "Recorded cost 1: USD 1,250.50 on 2027-03-05." in out.stderr
    cli("costs", "add", str(cid), "--date", "2027-03", "--amount", "$80", "--channel", "SMS")
    listed = cli("costs", "list", str(cid)).output.splitlines()
    assert listed[0].split() == ["ID", "DATE", "AMOUNT", "CHANNEL", "ACTIVITY", "VENDOR", "NOTE"]
    assert "USD 1,250.50" in listed[1] and "Reminder email" in listed[1]
    assert "Mailer Ltd" in listed[1] and "Email" in listed[1]  # the activity's channel
    assert "2027-03-01..2027-03-31" in listed[2] and "USD 80.00" in listed[2]
    rows = json.loads(cli("costs", "list", str(cid), "--json").output)
    assert rows[0] == {
        "id": 1,
        "date": "2027-03-05",
        "period_start": None,
        "amount_minor": 125050,
        "currency": "USD",
        "channel": "email",
        "vendor": "Mailer Ltd",
        "activity": "Reminder email",
        "note": "March send",
    }
    assert rows[1]["period_start"] == "2027-03-01" and rows[1]["amount_minor"] == 8000


def test_costs_list_when_empty(cli, cid):
    assert "No costs recorded" in cli("costs", "list", str(cid)).output
    assert json.loads(cli("costs", "list", str(cid), "--json").output) == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--date", "2027-02-30", "--amount", "10"], "'2027-02-30' is not a day of the calendar"),
        (["--date", "next week", "--amount", "10"], "is not a date"),
        (["--date", "2027-03-01", "--amount", "-10"], "is negative"),
        (["--date", "2027-03-01", "--amount", "ten"], "is not an amount"),
        (["--date", "2027-03-01", "--amount", "1.0055"], "more than 2 decimal places"),
        (["--date", "2027-03-01", "--amount", "1.005"], "could be read as 1.005 (the dot as a"),
        (["--date", "2027-03-01", "--amount", " "], "--amount needs an amount"),
        (["--date", "2027-03-01", "--amount", "EUR 10"], "keeps its money in USD"),
        (["--date", "2027-03-01", "--amount", "£10"], "is in GBP"),
        (["--date", "2027-03-01", "--amount", "10", "--channel", "radio"], "not a channel"),
        (["--date", "2027-03-01", "--amount", "10", "--activity", "Radio"], "no activity"),
        (["--date", "2027-03-01", "--amount", "99999999999999"], "more than the planner can hold"),
    ],
)
def test_costs_add_refuses_bad_input_and_writes_nothing(cli, cid, db_path, args, words):
    out = cli("costs", "add", str(cid), *args, code=2)
    assert words in out.stderr
    assert out.stderr.startswith("Error: ") and out.stderr.count("\n") == 1
    assert "Traceback" not in out.output
    assert counts(db_path) == (0, 0)


def test_costs_add_to_an_unknown_campaign(cli, cid, db_path):
    out = cli("costs", "add", "99", "--date", "2027-03-01", "--amount", "10", code=2)
    assert "There is no campaign 99" in out.stderr
    assert counts(db_path) == (0, 0)


def test_costs_delete(cli, cid, db_path):
    cli("costs", "add", str(cid), "--date", "2027-03-05", "--amount", "10", "--channel", "sms")
    assert "Deleted cost 1." in cli("costs", "delete", str(cid), "1").output
    assert "There is no cost 1" in cli("costs", "delete", str(cid), "1", code=2).stderr
    assert counts(db_path) == (0, 0)


def test_show_counts_the_costs_and_results_it_does_not_read(cli, cid, db_path):
    for day in ("2027-03-05", "2027-03-06", "2027-03-07"):
        cli("costs", "add", str(cid), "--date", day, "--amount", "10", "--channel", "sms")
    cli("costs", "delete", str(cid), "2")
    cli("results", "add", str(cid), "--measure", "Revenue", "--date", "2027-03", "--value", "9")
    assert "  2 costs, 1 result, 0 reviews" in cli("show", str(cid)).output.splitlines()
    with Store.open(db_path) as store:
        assert store.count_entries(cid) == counts(db_path) == (2, 1)


@pytest.mark.parametrize("tracked", [True, False])
def test_export_and_show_json_write_the_costs_and_results_as_read_whole(
    cli, cid, db_path, tmp_path, tracked
):
    """export and show --json write the costs and results as they read them, a batch at a
    time (a campaign with a million costs in the memory of one with none), oldest first: the
    text is the one the whole campaign read into memory gives, byte for byte."""
    from planner.plan.campaigns import campaign_json
    from planner.plan.exchange import dumps

    if tracked:  # recorded out of date order, with a note of lines, quotes and accents
        note = 'a\n"b" \\ perché 🙂'
        for day, amount in (("2027-03-09", "10"), ("2027-03-02", "2,500.75")):
            cli("costs", "add", str(cid), "--date", day, "--amount", amount, "--note", note)
        cli("results", "add", str(cid), "--measure", "Revenue", "--date", "2027-03", "--value", "9")
    with Store.open(db_path) as store:
        whole = store.get_campaign(cid)
    assert len(whole.costs) == (2 if tracked else 0)
    # written oldest first, as costs list and results list show them (same dates: as recorded)
    whole = whole.model_copy(
        update={
            "costs": sorted(whole.costs, key=lambda c: c.date),
            "results": sorted(whole.results, key=lambda r: r.date),
        }
    )
    assert cli("export", str(cid)).output == dumps(whole)
    cli("export", str(cid), "-o", str(tmp_path / "c.json"))
    assert (tmp_path / "c.json").read_text(encoding="utf-8") == dumps(whole)
    shown = json.dumps(campaign_json(whole), indent=2, ensure_ascii=False) + "\n"
    assert cli("show", str(cid), "--json").output == shown


def test_results_add_and_list(cli, cid, db_path):
    out = cli(
        "results", "add", str(cid), "--measure", "no-show RATE", "--date", "2027-03-30",
        "--value", "10.5%", "--source", "Booking system",
    )  # fmt: skip
    assert out.stdout == "1\n"
    cli("results", "add", str(cid), "--measure", "Revenue", "--date", "2027-03", "--value", "1,500")
    listed = cli("results", "list", str(cid)).output.splitlines()
    assert listed[2].split()[:3] == ["2", "2027-03-01..2027-03-31", "Revenue"]
    assert "No-show rate" in listed[1] and "10.5" in listed[1] and "Booking system" in listed[1]
    only = json.loads(cli("results", "list", str(cid), "--measure", "revenue", "--json").output)
    assert only == [
        {
            "id": 2,
            "measure": "Revenue",
            "date": "2027-03-31",
            "period_start": "2027-03-01",
            "value": 1500.0,
            "source": "",
            "note": "",
            **dict.fromkeys(("of", "variant", "activity", "segment", "influencer", "channel")),
        }
    ]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--measure", "Leads", "--date", "2027-03-01", "--value", "3"], "no measure called"),
        (["--measure", "Revenue", "--date", "2027-13", "--value", "3"], "is not a month"),
        (["--measure", "Revenue", "--date", "2027-03-01", "--value", "lots"], "not a number"),
        (["--measure", "Revenue", "--date", "2027-03-01", "--value", ""], "--value needs"),
        (["--measure", "Revenue", "--date", "2027-03-09..2027-03-01", "--value", "1"], "ends"),
    ],
)
def test_results_add_refuses_bad_input_and_writes_nothing(cli, cid, db_path, args, words):
    out = cli("results", "add", str(cid), *args, code=2)
    assert words in out.stderr and "Traceback" not in out.output
    assert counts(db_path) == (0, 0)


def test_results_list_of_an_unknown_measure(cli, cid):
    assert (
        "no measure called 'Leads'"
        in cli("results", "list", str(cid), "--measure", "Leads", code=2).stderr
    )


def test_report_json_has_the_documented_figures(cli, cid, db_path):
    with Store.open(db_path) as store:
        store.add_entry(cid, Cost(date="2027-03-05", amount_minor=30000, activity="Reminder email"))
        store.add_entry(cid, Cost(date="2027-03-10", amount_minor=30000, channel="print_mail"))
        for day, value in (("2027-03-15", 10), ("2027-03-28", 20)):
            store.add_entry(cid, Result(measure="New-patient appointments", date=day, value=value))
        store.add_entry(cid, Result(measure="No-show rate", date="2027-03-28", value=10))
        store.add_entry(cid, Result(measure="Revenue", date="2027-03-28", value=900))
    data = json.loads(cli("report", str(cid), "--json").output)
    assert data["currency"] == "USD"
    assert (data["budget_minor"], data["spent_minor"], data["remaining_minor"]) == (
        150000,
        60000,
        90000,
    )
    assert data["by_channel"] == [
        {"channel": "email", "budget_minor": 100000, "planned_minor": 80000, "spent_minor": 30000},
        {
            "channel": "print_mail",
            "budget_minor": 50000,
            "planned_minor": 40000,
            "spent_minor": 30000,
        },
    ]
    assert data["burn_per_day_minor"] == 2000 and data["projected_minor"] == 120000
    measures = {m["name"]: m for m in data["measures"]}
    assert set(measures["No-show rate"]) >= {
        "name",
        "unit",
        "direction",
        "baseline",
        "target",
        "latest",
        "progress_pct",
        "on_track",
    }
    assert measures["No-show rate"]["progress_pct"] == 50.0
    assert measures["No-show rate"]["on_track"] is True
    assert measures["New-patient appointments"]["latest"] == 20
    assert measures["New-patient appointments"]["on_track"] is False
    assert measures["Satisfaction"]["on_track"] is None
    assert data["cost_per_result"] == [
        {
            "measure": "New-patient appointments",
            "unit": "appointments",
            "results": 30.0,
            "cost_minor": 60000,
            "per_result_minor": 2000,
        }
    ]
    assert data["revenue"] == {"measure": "Revenue", "revenue_minor": 90000}
    assert data["roi"] == 0.5


def test_report_roi_is_null_without_a_revenue_measure(cli, db_path):
    with Store.open(db_path) as store:
        plain = tracked_campaign()
        campaign_id = store.create_campaign(plain.model_copy(update={"measures": []}))
    data = json.loads(cli("report", str(campaign_id), "--json").output)
    assert data["roi"] is None and data["revenue"] is None and data["measures"] == []
    assert data["spent_minor"] == 0 and data["cost_per_result"] == []


def test_report_in_words(cli, cid, db_path):
    with Store.open(db_path) as store:
        store.add_entry(cid, Cost(date="2027-03-05", amount_minor=160000, channel="email"))
        store.add_entry(cid, Result(measure="No-show rate", date="2027-03-28", value=11))
    text = cli("report", str(cid)).output
    assert "Spent USD 1,600.00 of a budget of USD 1,500.00 (107%) in 1 cost." in text
    assert "Over budget by USD 100.00." in text
    assert "No-show rate: 12% -> 11% -> 8%, 25%, behind" in text
    assert "Warnings: over budget." in text


def test_a_euro_campaigns_report_writes_numbers_as_italians_do(cli, db_path):
    with Store.open(db_path) as store:
        euro = tracked_campaign()
        euro.currency, euro.jurisdictions = "EUR", ["IT"]  # type: ignore[list-item]
        campaign_id = store.create_campaign(euro)
        store.add_entry(campaign_id, Cost(date="2027-03-05", amount_minor=123450, channel="email"))
        store.add_entry(campaign_id, Cost(date="2027-03-06", amount_minor=42000, channel="sms"))
        store.add_entry(campaign_id, Result(measure="No-show rate", date="2027-03-28", value=10.5))
    text = cli("report", str(campaign_id)).output
    assert "Spent EUR 1.654,50 of a budget of EUR 1.500,00 (110%) in 2 costs." in text
    assert "Over budget by EUR 154,50." in text
    assert "No-show rate: 12% -> 10,5% -> 8%, 38%, behind" in text
    assert "  Email: EUR 1.000,00, EUR 1.234,50, EUR -234,50" in text
    assert "  SMS: no budget line, EUR 420,00, EUR -420,00" in text
    assert "  SMS: EUR 420,00 spent, no budget line." in text
    assert "Revenue: – -> – -> 20.000, –, no results yet" in text  # twenty thousand
    assert "1,234.50" not in text and "1,654.50" not in text
    data = json.loads(cli("report", str(campaign_id), "--json").output)
    assert data["spent_minor"] == 165450  # the JSON keeps plain numbers


def test_costs_and_results_list_json_are_the_same_bytes_oldest_first(cli, db_path):
    """costs list --json and results list --json write each entry as they read it, a
    thousand at a time in one read transaction: the text is the one the planner always
    printed, oldest first (entries of one day in the order they were recorded)."""
    with Store.open(db_path) as store:
        cid = store.create_campaign(tracked_campaign())
        note, who = 'a\n"b" perché 🙂', "Print & Co"
        for day, minor, activity in (
            ("2027-03-09", 1000, "Flyers"),
            ("2027-03-02", 250075, None),
            ("2027-03-09", 5, "Reminder email"),
        ):
            day = dt.date.fromisoformat(day)
            cost = Cost(date=day, amount_minor=minor, activity=activity, note=note, vendor=who)
            store.add_entry(cid, cost)
        period = {"period_start": dt.date(2027, 3, 1), "channel": "email"}
        store.add_entry(cid, Cost(date=dt.date(2027, 3, 5), amount_minor=7, **period))
        for day, value, measure in (
            ("2027-03-20", 9.5, "No-show rate"),
            ("2027-03-03", 12, "New-patient appointments"),
            ("2027-03-20", 1e-7, "New-patient appointments"),
        ):
            day = dt.date.fromisoformat(day)
            store.add_entry(cid, Result(date=day, value=value, measure=measure, source="EHR"))
    assert cli("costs", "list", str(cid), "--json").output == (
        "[\n"
        '  {"id": 2, "date": "2027-03-02", "period_start": null, '
        '"amount_minor": 250075, "channel": null, "vendor": "Print & Co", '
        '"activity": null, "note": "a\\n\\"b\\" perché 🙂", "currency": "USD"},\n'
        '  {"id": 4, "date": "2027-03-05", "period_start": "2027-03-01", '
        '"amount_minor": 7, "channel": "email", "vendor": "", "activity": null, '
        '"note": "", "currency": "USD"},\n'
        '  {"id": 1, "date": "2027-03-09", "period_start": null, "amount_minor": 1000, '
        '"channel": "print_mail", "vendor": "Print & Co", "activity": "Flyers", '
        '"note": "a\\n\\"b\\" perché 🙂", "currency": "USD"},\n'
        '  {"id": 3, "date": "2027-03-09", "period_start": null, "amount_minor": 5, '
        '"channel": "email", "vendor": "Print & Co", "activity": "Reminder email", '
        '"note": "a\\n\\"b\\" perché 🙂", "currency": "USD"}\n'
        "]\n"
    )
    assert cli("results", "list", str(cid), "--json").output == (
        "[\n"
        '  {"id": 2, "date": "2027-03-03", "period_start": null, '
        '"measure": "New-patient appointments", "value": 12.0, "source": "EHR", '
        f'"note": "", {BLANK}}},\n'
        '  {"id": 1, "date": "2027-03-20", "period_start": null, '
        f'"measure": "No-show rate", "value": 9.5, "source": "EHR", "note": "", {BLANK}}},\n'
        '  {"id": 3, "date": "2027-03-20", "period_start": null, '
        '"measure": "New-patient appointments", "value": 1e-07, "source": "EHR", '
        f'"note": "", {BLANK}}}\n'
        "]\n"
    )
    assert cli("results", "list", str(cid), "--json", "--measure", "no-show rate").output == (
        "[\n"
        '  {"id": 1, "date": "2027-03-20", "period_start": null, '
        f'"measure": "No-show rate", "value": 9.5, "source": "EHR", "note": "", {BLANK}}}\n'
        "]\n"
    )
