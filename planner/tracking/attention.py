"""How many campaigns of the list need attention (a warning: over budget, behind target,
ending soon...): the count the home screen's caption gives.

It takes the figures of every campaign, which at 20,000 campaigns is most of a second of work.
The home screen has it counted here in a process of its own, run as

    python -m planner.tracking.attention DATABASE --today YYYY-MM-DD [--archived] [--practice P]

which prints ``{"attention": N, "campaigns": M}``: on another core, and without holding the
interpreter the screen draws with (a thread would). A problem with the database is one
sentence on standard error, with exit status 2.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

from planner.domain.errors import PlannerError
from planner.domain.words import practice_key
from planner.store import Store
from planner.tracking.campaign_list import portfolio

CHUNK = 500  # campaigns whose figures are read in one query


def needing_attention(
    store: Store, *, archived: bool, today: dt.date, practice: str | None = None
) -> tuple[int, int]:
    """How many of the list's campaigns (with the archived ones when ``archived``; only
    ``practice``'s when given) have a warning, never counting an archived one; and how many
    campaigns the list holds."""
    summaries = store.list_campaigns(include_archived=archived, practice=practice)
    return sum(_flagged(store, summaries, today).values()), len(summaries)


def attention_by_practice(store: Store, *, today: dt.date) -> dict[str, int]:
    """How many campaigns of each practice (by ``practice_key``) have a warning, in one pass
    over the list (``planner clients``), however many practices there are."""
    return _flagged(store, store.list_campaigns(), today)


def _flagged(store: Store, summaries: list, today: dt.date) -> Counter[str]:
    """The campaigns of ``summaries`` with a warning, archived ones not counted, by practice."""
    flagged: Counter[str] = Counter()
    for start in range(0, len(summaries), CHUNK):
        rows = store.portfolio_of(summaries[start : start + CHUNK], today=today)
        for line in portfolio(rows, today):
            if line.flags and not line.summary.archived:
                flagged[practice_key(line.summary.practice)] += 1
    return flagged


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m planner.tracking.attention")
    parser.add_argument("database", type=Path)
    parser.add_argument("--today", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--archived", action="store_true")
    parser.add_argument("--practice")
    parser.add_argument("--by-practice", action="store_true", help="each practice's count")
    args = parser.parse_args(argv)
    try:
        with Store.open_reader(args.database) as store:
            if args.by_practice:
                print(json.dumps({"by_practice": attention_by_practice(store, today=args.today)}))
                return 0
            counted = needing_attention(
                store, archived=args.archived, today=args.today, practice=args.practice
            )
    except PlannerError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(json.dumps({"attention": counted[0], "campaigns": counted[1]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
