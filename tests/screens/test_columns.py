"""Table cells cut to their column so that rows which differ look different at any width."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from screens.widgets.columns import Column, cut, distinct_cuts, distinct_rows, lay_out

FLU = [
    "★ Flu vaccination coverage, patients aged 65 and over",
    "Flu vaccination coverage, patients aged 60 to 64",
    "Flu vaccination coverage, adults 18-59 with chronic conditions",
    "Booking within 14 days of the SMS invitation",
]


def test_names_that_start_alike_show_where_they_differ():
    assert distinct_cuts(FLU, 20) == [
        "★ Flu va…65 and over",
        "Flu va…aged 60 to 64",
        "Flu va…adults 18-59…",
        "Booking within 14 d…",  # nothing else starts so: cut at its end as usual
    ]
    sms = ["Activity 'SMS invitation - version A'", "Activity 'SMS invitation - version B'"]
    assert distinct_cuts(sms, 25) == ["Activity 'SMS…version A'", "Activity 'SMS…version B'"]


def test_every_width_keeps_different_names_different_and_within_the_column():
    for width in range(8, 70):
        shown = distinct_cuts(FLU, width)
        assert len(set(shown)) == len(FLU), width
        assert all(len(text) <= width for text in shown), width
    assert distinct_cuts(["Same name here", "Same name here"], 8) == ["Same na…"] * 2
    assert distinct_cuts(["Short", "Shorter"], 20) == ["Short", "Shorter"]


def test_rows_keep_their_styles_and_numbers_are_left_alone():
    columns = [
        Column("Measure", lambda m: Text(m, style="bold")),
        Column("Length", lambda m: str(len(m)), 6, right=True),
    ]
    rows = distinct_rows([20, 6], columns, FLU)
    # the table cuts the others at their end, as it draws them
    assert [cut(row[0].plain, 20) for row in rows] == distinct_cuts(FLU, 20)
    assert all(str(row[0].get_style_at_offset(Console(), 0)) == "bold" for row in rows)
    assert [row[1].plain for row in rows] == [str(len(m)) for m in FLU]


def test_a_table_may_keep_room_for_its_first_column():
    columns = [
        Column("Sev", str, 7),
        Column("Where", str, weight=3, least=28),
        Column("Rule", str, weight=2),
        Column("Matched", str, optional=True),
        Column("State", str, 11),
    ]
    assert [c.label for c, _ in lay_out(columns, 80)] == ["Sev", "Where", "Rule", "State"]
    assert [c.label for c, _ in lay_out(columns, 110)] == [
        "Sev",
        "Where",
        "Rule",
        "Matched",
        "State",
    ]
