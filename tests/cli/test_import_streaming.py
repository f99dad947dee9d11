"""planner import-campaign reads a campaign file's costs and results as they stream by: the
plan first, then each list from the file again, each entry checked as the whole campaign is
checked and written in the transaction that creates the campaign. What the user sees is what a
whole read gave: the same campaign, the same sentence for a bad entry, nothing half-saved."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from factories import full_campaign, tracked_campaign

from planner.cli.main import main
from planner.domain.errors import PlannerError
from planner.domain.models import Cost, Result
from planner.plan import exchange
from planner.store import Store

COSTS = 2500  # more than two batches of a thousand
RESULTS = 1200


def _tracked_file(db_path, tmp_path, runner) -> tuple[str, dict]:
    """The export of a campaign with COSTS costs and RESULTS results, and its document."""
    with Store.open(db_path) as store:
        campaign = tracked_campaign()
        notes = ['a\n"b" \\ perché 🙂', "", "Print & Co"]
        entries = [
            Cost(
                date=dt.date(2027, 3, 1) + dt.timedelta(days=i % 40),
                period_start=dt.date(2027, 3, 1) if i % 7 == 0 else None,
                amount_minor=1000 + i,
                channel="email" if i % 5 == 0 else None,
                activity=("Flyers", "reminder EMAIL", None)[i % 3],
                vendor=notes[i % 3][:10],
                note=notes[i % 3],
            )
            for i in range(COSTS)
        ] + [
            Result(
                date=dt.date(2027, 3, 1) + dt.timedelta(days=i % 50),
                measure=("New-patient appointments", "No-show rate")[i % 2],
                value=(0.1, 1e-7, 12, 1e14 + 0.5, -3.25)[i % 5],
                source="EHR",
                note=notes[i % 3],
            )
            for i in range(RESULTS)
        ]
        store.create_campaign(campaign, entries)
    path = tmp_path / "tracked.json"
    assert _run(runner, db_path, "export", "1", "-o", str(path)).exit_code == 0
    return path.read_text(encoding="utf-8"), json.loads(path.read_text(encoding="utf-8"))


def _run(runner, db_path, *args):
    return runner.invoke(main, ["--db", str(db_path), *args])


def _import_refused(runner, db_path, path) -> str:
    """The one sentence import-campaign says for ``path``, after checking it saved nothing."""
    result = _run(runner, db_path, "import-campaign", str(path))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    with Store.open(db_path) as store:
        assert store.count_campaigns() == 1  # only the one exported
        assert store.count_entries(1) == (COSTS, RESULTS)
        assert store.db.execute("SELECT COUNT(*) FROM costs").fetchone()[0] == COSTS
        assert store.totals_drift() == {"cost_days": 0, "cost_totals": 0, "result_days": 0}
    return result.output.strip().removeprefix("Error: ")


def _whole_read_says(text: str, path) -> str:
    """The sentence the whole-document reader gives for ``text`` (what import-campaign said
    before it streamed)."""
    with pytest.raises(PlannerError) as refused:
        exchange.loads(text, f"'{path}'")
    return str(refused.value)


def test_a_streamed_import_exports_again_byte_for_byte(runner, db_path, tmp_path):
    text, _ = _tracked_file(db_path, tmp_path, runner)
    assert _run(runner, db_path, "import-campaign", str(tmp_path / "tracked.json")).output == "2\n"
    again = tmp_path / "again.json"
    assert _run(runner, db_path, "export", "2", "-o", str(again)).exit_code == 0
    assert again.read_text(encoding="utf-8") == text
    with Store.open(db_path) as store:
        first, second = (store.get_campaign(cid).model_dump(mode="json") for cid in (1, 2))
    for plan in (first, second):  # written oldest first: recorded in another order
        for name in ("costs", "results"):
            plan[name].sort(key=lambda e: json.dumps(e, sort_keys=True))
    assert first == second and len(second["costs"]) == COSTS


def test_a_streamed_import_keeps_the_running_totals(runner, db_path, tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_TODAY", "2027-12-31")
    _tracked_file(db_path, tmp_path, runner)
    _run(runner, db_path, "import-campaign", str(tmp_path / "tracked.json"))
    shown = _run(runner, db_path, "show", "2").output
    assert f"{COSTS:,} costs, {RESULTS:,} results" in shown
    with Store.open(db_path) as store:
        assert store.count_entries(2) == (COSTS, RESULTS)
        assert store.totals_drift() == {"cost_days": 0, "cost_totals": 0, "result_days": 0}
        # the totals by day, channel, activity and measure are those of the exported campaign
        for query in (
            "SELECT date, channel, amount_minor, entries FROM cost_days WHERE campaign_id = ?",
            "SELECT t.channel, a.name, t.amount_minor, t.entries FROM cost_totals t "
            "LEFT JOIN activities a ON a.id = t.activity_id WHERE t.campaign_id = ?",
            "SELECT m.name, r.date, r.total, r.entries FROM result_days r "
            "JOIN measures m ON m.id = r.measure_id WHERE r.campaign_id = ?",
        ):
            exported, imported = (
                sorted(store.db.execute(query, [cid]).fetchall(), key=repr) for cid in (1, 2)
            )
            assert exported and imported == exported, query
    report = [_run(runner, db_path, "report", str(cid), "--json").output for cid in (1, 2)]
    first, second = (json.loads(r) for r in report)
    first.pop("campaign_id"), second.pop("campaign_id")
    assert first == second and first["spent_minor"] > 0


def test_the_lists_before_the_plan_import_the_same(runner, db_path, tmp_path):
    text, document = _tracked_file(db_path, tmp_path, runner)
    plan = document["campaign"]
    lists = {"results": plan.pop("results"), "costs": plan.pop("costs")}
    # the lists, then the plan; format and format_version after the campaign
    reordered = {"campaign": {**lists, **plan}, **document}
    reordered["campaign"] = {**lists, **plan}
    path = tmp_path / "edited.json"
    path.write_text("\ufeff" + json.dumps(reordered, ensure_ascii=False), encoding="utf-8")
    assert list(json.loads(path.read_text(encoding="utf-8-sig"))) == [
        "campaign", "format", "format_version",
    ]  # fmt: skip
    assert _run(runner, db_path, "import-campaign", str(path)).output == "2\n"
    assert _run(runner, db_path, "export", "2").output == text


@pytest.mark.parametrize(
    ("where", "change", "told"),
    [
        ("costs", {"amount_minor": "12.50"}, "costs > 2498 > amount_minor: "),
        ("costs", {"activity": "Billboards"}, "refers to the activity 'Billboards'"),
        ("results", {"measure": "Billboard views"}, "the measure 'Billboard views'"),
        ("results", {"date": "2027-02-30"}, "results > 1198 > date: "),
        ("costs", {"period_start": "2027-05-01", "date": "2027-04-01"}, "costs > 2498: The "),
    ],
)
def test_a_bad_entry_deep_in_a_list_saves_nothing_and_says_which(
    runner, db_path, tmp_path, where, change, told
):
    _, document = _tracked_file(db_path, tmp_path, runner)
    document["campaign"][where][-3].update(change)
    path = tmp_path / "bad.json"
    text = json.dumps(document, indent=2, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    said = _import_refused(runner, db_path, path)
    assert said == _whole_read_says(text, path)
    assert said.startswith(f"'{path}' has an invalid campaign: ") and told in said, said


def test_several_bad_entries_are_counted_as_a_whole_read_counts_them(runner, db_path, tmp_path):
    _, document = _tracked_file(db_path, tmp_path, runner)
    plan = document["campaign"]
    plan["costs"][2000]["activity"] = "Billboards"  # told only if no field is invalid
    plan["costs"][2100]["amount_minor"] = -1
    plan["costs"][2200].update(amount_minor=True, vendor="x" * 300)
    plan["results"][1100]["value"] = "lots"
    path = tmp_path / "bad.json"
    text = json.dumps(document, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    said = _import_refused(runner, db_path, path)
    assert said == _whole_read_says(text, path)
    assert "costs > 2101 > amount_minor" in said and "(and 3 more problems)" in said


def test_a_list_given_twice_is_refused(runner, db_path, tmp_path):
    text, _ = _tracked_file(db_path, tmp_path, runner)
    path = tmp_path / "twice.json"
    path.write_text(text.replace('"results": [', '"costs": [], "results": [', 1))
    said = _import_refused(runner, db_path, path)
    assert said == f"'{path}' lists the campaign's costs 2 times; keep one list."


def test_a_large_file_that_is_not_json_is_told_by_its_line(runner, db_path, tmp_path, monkeypatch):
    """A file past the size a whole read is given to (16 MB) is told by the line where the
    streaming reader stopped; numbers too large for it, as a whole read tells them."""
    text, _ = _tracked_file(db_path, tmp_path, runner)
    monkeypatch.setattr(exchange, "_READ_WHOLE_BELOW", 0)
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if '"amount_minor"' in line) + 2000
    lines[at] = lines[at].replace('": ', '" ', 1)  # a colon lost deep in the costs
    path = tmp_path / "broken.json"
    path.write_text("".join(lines), encoding="utf-8")
    said = _import_refused(runner, db_path, path)
    assert said == f"'{path}' is not valid JSON (line {at + 1}: Expecting ':' delimiter).", said
    path.write_text(text.replace('"amount_minor": 1000,', '"amount_minor": 1' + "0" * 5000 + ","))
    said = _import_refused(runner, db_path, path)
    assert said == f"'{path}' holds numbers or nesting too large to be a campaign export."
    path.write_text('{"campaign": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert "too large" in _import_refused(runner, db_path, path)


def test_a_campaign_without_costs_imports_as_before(runner, db_path, tmp_path):
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign())
    path = tmp_path / "plan.json"
    _run(runner, db_path, "export", "1", "-o", str(path))
    assert _run(runner, db_path, "import-campaign", str(path)).output == "2\n"
    again = json.loads(_run(runner, db_path, "export", "2").output)
    # the import counted its messages' reading counts: the next export carries them
    assert again.pop("text_readings")
    assert again == json.loads(path.read_text(encoding="utf-8"))
