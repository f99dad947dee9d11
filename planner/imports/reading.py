"""Reading the whole file as an import would: ``entries`` yields the costs (as rows to write)
or the results, counted into a ``Preview`` as they are read; ``preview`` reads it all and
writes nothing."""

from __future__ import annotations

from collections.abc import Iterator

from planner.domain.models import CostRow, ImportKind, Result
from planner.domain.numbers import style_of
from planner.imports.costs import costs
from planner.imports.matching import Plan
from planner.imports.results import results
from planner.imports.rows import Progress, data_rows
from planner.imports.tally import Preview


def preview(plan: Plan, on_progress: Progress | None = None) -> Preview:
    """Read the whole file as an import would, writing nothing."""
    plan.check()
    tally = Preview(plan.kind, plan.campaign.currency, style_of(plan.campaign))
    for _ in entries(plan, tally, on_progress):
        pass
    return tally


def entries(
    plan: Plan, tally: Preview, on_progress: Progress | None = None
) -> Iterator[CostRow] | Iterator[Result]:
    """The costs (as rows to write) or results the file holds, counted into ``tally`` as they
    are read. Rows that cannot be read are left out and noted; a file-wide problem (patient
    data, another currency) raises ``ImportRefused``."""
    rows = data_rows(plan, tally, on_progress)
    if plan.kind is ImportKind.COSTS:
        return costs(plan, tally, rows)
    return _counted(tally, results(plan, tally, rows))


def _counted(tally: Preview, found: Iterator[Result]) -> Iterator[Result]:
    for result in found:
        tally.count_result(result)
        yield result
