"""The registry of item kinds agrees with the models, the store's schema and the plan's steps,
so that a kind added there is stored, listed and edited everywhere."""

from __future__ import annotations

import typing

from planner.domain import registry
from planner.domain.models import Campaign, Item, Segment
from planner.plan.guide import Step


def test_each_kind_is_listed_on_the_campaign_under_its_list_field():
    fields = Campaign.model_fields
    for kind in registry.kinds():
        annotation = fields[kind.list_field].annotation
        assert typing.get_args(annotation) == (kind.model,), kind.list_field


def test_each_kind_has_its_table_and_each_link_its_column(store):
    tables = set(store.db.table_names())
    for kind in registry.kinds():
        assert kind.table in tables
        columns = {c.name for c in store.db[kind.table].columns}
        for link in kind.links:
            assert link.field in kind.model.model_fields
            if link.column is not None:
                assert link.column in columns, (kind.table, link.column)


def test_the_plan_kinds_are_one_a_step_and_their_forms_edit_model_fields(campaign):
    assert len(registry.plan_kinds()) == sum(1 for _ in Step) - 2  # the overview and the 7Ps
    for kind in registry.plan_kinds():
        assert kind.form and kind.form[0].name == "name"
        for field in kind.form:
            assert field.name in kind.model.model_fields, (kind.noun, field.name)
            if field.kind in ("choice", "choices") and not field.choices:
                linked = any(link.field == field.name for link in kind.links)
                assert linked or kind.enumeration(field.name) is not None, field.name
        new = kind.new
        assert new is not None
        item = new(f"New {kind.noun}", campaign)
        assert isinstance(item, Item) and type(item) is kind.model


def test_each_plan_kind_names_its_step_in_the_order_of_the_steps():
    steps = [Step(kind.step) for kind in registry.plan_kinds()]
    assert steps == [Step.AUDIENCE, Step.INFLUENCERS, Step.MESSAGE, Step.ACTIVITIES,
                     Step.MEASURES, Step.BUDGET]
    assert all(not kind.step for kind in registry.kinds() if not kind.in_plan)


def test_labels_and_help_come_from_the_models():
    segment = registry.kind(Segment)
    assert segment.label("age_min") == "Youngest age"  # its title
    assert segment.label("health_need") == "Health need"  # its name in words
    assert segment.help("estimated_size") == "Typed, or worked out from the three above."
    assert segment.help("location") == ""
