"""A Google Analytics 4 report: a website's figures (sessions, users, key events), no costs.

Its rates are written as fractions (0.0118 for 1.18%); a report without a date on each row
covers the days its ``# Start date:`` and ``# End date:`` comments say.
"""

from __future__ import annotations

from planner.domain.models import Channel
from planner.imports.formats.format import Format, Metric

GA4 = Format(
    key="ga4",
    title="Google Analytics 4 report",
    vendor="Google Analytics",
    channel=Channel.WEBSITE,
    has_costs=False,
    signature=(
        ("Sessions", "Active users", "New users", "Total users", "Views"),
        (
            "Key events",
            "Conversions",
            "Engagement rate",
            "Average engagement time per session",
            "Average engagement time",
            "Event count",
            "Total revenue",
            "Engaged sessions",
            "Bounce rate",
        ),
    ),
    # A report by "Session manual ad content" (the links' utm_content) attributes each row to
    # the activity whose tracking link carries it (``planner links``).
    defaults={
        "date": ("Date",),
        "content": (
            "Session manual ad content",
            "Manual ad content",
            "First user manual ad content",
            "utm_content",
        ),
    },
    metrics=(
        Metric("Sessions", ("sessions", "website visits", "site visits")),
        Metric("Active users", ("active users", "website visitors", "website users")),
        Metric("New users", ("new users", "new visitors")),
        Metric("Total users"),
        Metric("Views", ("page views", "pageviews")),
        Metric("Key events", ("key events", "website conversions")),
        Metric("Conversions", ("website conversions",)),
        Metric("Engaged sessions", ("engaged sessions",)),
        Metric("Session key event rate", ("key event rate",), fraction=True),
        Metric("Session conversion rate", (), fraction=True),
        Metric("Engagement rate", ("engagement rate",), fraction=True),
        Metric("Bounce rate", ("bounce rate",), fraction=True),
        Metric("Average engagement time per session", ("engagement time",)),
        Metric("Event count"),
        Metric("Total revenue"),
    ),
)
