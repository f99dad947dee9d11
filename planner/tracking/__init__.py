"""What a campaign has spent and achieved against its plan: the figures of the tracking screen,
the report, the portfolio and the brief, worked out here once.

The store adds up the costs and results in SQL (``TrackingData``); this module turns those sums
and the plan into figures. The formulas are written out in the README ("Tracking: the
formulas"); in short:

- spent is the sum of every recorded cost, each counted once; the budget is the sum of the
  budget lines; variance = spent - budget, and remaining = budget - spent;
- burn rate = spent / days from the start (the campaign's, else the first cost's) to today or
  the end, whichever comes first; projected spend = spent + burn rate x days left to the end;
- progress = (latest - baseline) / (target - baseline) x 100, which is right for measures that
  should go down as well as up; the baseline is the plan's, else the last result before the
  start, else the first result; a measure is on track when its progress is at least the share
  of the campaign's days gone by (or it has reached its target);
- cost per result = spent / the results of a measure that counts things (appointments,
  referrals, clicks, leads) recorded since the start; ROI = (revenue - spent) / spent.

The figures are worked out in these modules, and the names the screens, the command line and
the briefs use are imported from here:

- ``progress``: where a measure stands (``Standing``, ``measure_progress``);
- ``budget``: money by channel and by activity (``MoneyRow``);
- ``figures``: one campaign's figures on a day (``report``, ``TrackingReport``), pace, warnings;
- ``campaign_list``: the portfolio, one line a campaign for the home screen (``portfolio``);
- ``dates``: costs and results dated after today;
- ``wording``: the report in words and JSON; ``charts``: the charts' axes and sparklines.

Which results add up (``results_add_up``) is decided in ``planner.domain.measures``: the import
pipeline asks it too.
"""

from __future__ import annotations

from planner.domain.measures import is_revenue, results_add_up

# The names callers import, from the modules that work them out.
from planner.tracking.budget import (
    MoneyRow,
    budget_by_activity,
    budget_by_channel,
    pct_of,
)
from planner.tracking.campaign_list import PortfolioLine, portfolio
from planner.tracking.dates import (
    ask_future_cost,
    refuse_future_cost,
    refuse_future_result,
    starts_after,
    uncounted_sentence,
)
from planner.tracking.figures import TrackingReport, report
from planner.tracking.progress import MeasureProgress, Standing
from planner.tracking.wording import (
    entry_json,
    report_json,
    report_lines,
    result_for,
    show_pct,
    show_value,
)

__all__ = [
    "MeasureProgress",
    "MoneyRow",
    "PortfolioLine",
    "Standing",
    "TrackingReport",
    "ask_future_cost",
    "budget_by_activity",
    "budget_by_channel",
    "entry_json",
    "is_revenue",
    "pct_of",
    "portfolio",
    "refuse_future_cost",
    "refuse_future_result",
    "report",
    "report_json",
    "report_lines",
    "result_for",
    "results_add_up",
    "show_pct",
    "show_value",
    "starts_after",
    "uncounted_sentence",
]
