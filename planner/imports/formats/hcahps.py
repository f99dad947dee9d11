"""The CMS HCAHPS patient survey file: a hospital's survey results, one row per measure.

The ``HCAHPS Measure ID`` column names each row's figure, and the id says which column holds
its value (a percentage, a linear mean or a star rating). The file holds every hospital's
rows: the user keeps theirs with a filter on its Facility ID; the facility's own columns
(its address and telephone) are not taken for a patient's.
"""

from __future__ import annotations

from planner.imports.formats.format import Format, Metric


def _hcahps_value(measure_id: str) -> tuple[str, ...]:
    measure_id = measure_id.strip().upper()
    if measure_id.endswith("STAR_RATING"):
        return ("Patient Survey Star Rating",)
    if measure_id.endswith("LINEAR_SCORE"):
        return ("HCAHPS Linear Mean Value",)
    return ("HCAHPS Answer Percent", "HCAHPS Linear Mean Value", "Patient Survey Star Rating")


HCAHPS = Format(
    key="hcahps",
    title="CMS HCAHPS patient survey file",
    vendor="CMS Hospital Compare",
    has_costs=False,
    signature=(("HCAHPS Measure ID",),),
    defaults={"date": ("End Date",), "start": ("Start Date",)},
    day_first=False,
    metric_column="HCAHPS Measure ID",
    value_column=_hcahps_value,
    facility_columns=(
        "Facility ID",
        "Facility Name",
        "Address",
        "City/Town",
        "City",
        "State",
        "ZIP Code",
        "County/Parish",
        "County Name",
        "Telephone Number",
    ),
    metrics=(
        Metric(
            "H_STAR_RATING", ("hcahps star rating", "summary star rating", "hospital star rating")
        ),
        Metric(
            "H_HSP_RATING_9_10",
            ("overall hospital rating", "rating 9 or 10", "rate the hospital 9 or 10"),
        ),
        Metric("H_RECMND_DY", ("definitely recommend", "recommend the hospital")),
        Metric("H_HSP_RATING_STAR_RATING", ("overall rating stars",)),
        Metric("H_RECMND_STAR_RATING"),
        Metric("H_COMP_1_STAR_RATING", ("nurse communication",)),
        Metric("H_COMP_2_STAR_RATING", ("doctor communication",)),
        Metric("H_CLEAN_STAR_RATING", ("cleanliness",)),
        Metric("H_QUIET_STAR_RATING", ("quietness",)),
    ),
)
