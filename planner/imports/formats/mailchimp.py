"""Mailchimp's campaign export: an email campaign's figures (opens, clicks), no costs.

Each row is one email sent, dated by its ``Send Date``.
"""

from __future__ import annotations

from planner.domain.models import Channel
from planner.imports.formats.format import Format, Metric

MAILCHIMP = Format(
    key="mailchimp",
    title="Mailchimp campaign export",
    vendor="Mailchimp",
    channel=Channel.EMAIL,
    has_costs=False,
    signature=(("Send Date",), ("Open Rate", "Unique Opens"), ("Title", "Subject")),
    defaults={"date": ("Send Date",)},
    metrics=(
        Metric("Open Rate", ("open rate",)),
        Metric("Click Rate", ("click rate", "email click-through rate")),
        Metric("Unique Opens", ("unique opens", "email opens")),
        Metric("Unique Clicks", ("unique clicks", "email clicks")),
        Metric("Total Recipients", ("recipients", "emails sent")),
        Metric("Successful Deliveries", ("deliveries", "emails delivered")),
        Metric("Total Opens"),
        Metric("Total Clicks"),
        Metric("Unsubscribes", ("unsubscribes",)),
        Metric("Total Bounces", ("bounces",)),
        Metric("Hard Bounces"),
        Metric("Soft Bounces"),
        Metric("Abuse Complaints"),
        Metric("Times Forwarded"),
    ),
    source_column="Title",
)
