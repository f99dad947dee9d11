"""The library of measures shipped in ``data/kpis.json``: common KPIs a practice can pick from."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from planner.domain.errors import PlannerError
from planner.domain.models import Cadence, Direction, Measure, MeasureCategory
from planner.domain.resources import data_dir

FORMAT = "healthcare-campaign-planner/kpis"


@dataclass(frozen=True)
class Kpi:
    name: str
    category: MeasureCategory
    unit: str
    direction: Direction
    data_source: str
    cadence: Cadence
    description: str
    revenue: bool = False  # its results are the campaign's revenue (the ROI's)

    def measure(self, *, primary: bool = False) -> Measure:
        """A measure of this kind, for the user to add a baseline and a target to."""
        return Measure(
            name=self.name,
            category=self.category,
            unit=self.unit,
            direction=self.direction,
            data_source=self.data_source,
            cadence=self.cadence,
            primary=primary,
            revenue=self.revenue,
        )


@functools.cache
def kpi_library() -> tuple[Kpi, ...]:
    path = data_dir() / "kpis.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError("not a KPI library")
        return tuple(
            Kpi(
                name=k["name"],
                category=MeasureCategory(k["category"]),
                unit=k["unit"],
                direction=Direction(k["direction"]),
                data_source=k["data_source"],
                cadence=Cadence(k["cadence"]),
                description=k["description"],
                revenue=bool(k.get("revenue", False)),
            )
            for k in data["kpis"]
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PlannerError(
            f"The KPI library '{path}' cannot be read ({exc}); reinstall the planner."
        ) from None
