"""Pick a measure from the KPI library shipped with the planner."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from planner.domain.models import MeasureCategory
from planner.plan.kpis import Kpi
from screens.styles import css


class KpiDialog(ModalScreen[Kpi | None]):
    """Pick a measure from the KPI library shipped with the planner."""

    CSS_PATH = css("dialogs.tcss")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, kpis: Sequence[Kpi]) -> None:
        super().__init__()
        self.kpis = list(kpis)

    def compose(self) -> ComposeResult:
        entries: list[Option | None] = []
        for category in MeasureCategory:
            group = [(n, k) for n, k in enumerate(self.kpis) if k.category is category]
            if not group:
                continue
            if entries:
                entries.append(None)
            entries.append(Option(Text(category.label.upper(), style="bold"), disabled=True))
            for n, kpi in group:
                entries.append(
                    Option(Text.assemble(kpi.name, "\n", (f"  {kpi.unit}", "dim")), id=str(n))
                )
        with Vertical(classes="dialog wide"):
            yield Label("Add a measure from the KPI library", classes="title")
            yield OptionList(*entries, id="kpis")
            yield Static(
                "Enter adds it; you then fill in the baseline and the target. Escape cancels.",
                classes="hint",
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self.kpis[int(event.option.id)])
