"""A patient's or endorser's words in a message variant, and what the rules ask about them."""

from __future__ import annotations

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Select, TextArea

from planner.domain.models import Connection, Testimonial
from planner.plan.typed import options
from screens.dialogs.base import FormDialog, problem_and_buttons, validation_problem
from screens.styles import css
from screens.widgets.forms import FieldInput


class TestimonialDialog(FormDialog[Testimonial | None]):
    """A patient's or endorser's words, and what the rules ask about them."""

    CSS_PATH = css("dialogs.tcss", "forms.tcss")

    def __init__(self, quote: Testimonial | None = None) -> None:
        super().__init__()
        self.quote = quote

    def compose(self) -> ComposeResult:
        quote = self.quote or Testimonial.model_construct(
            text="",
            endorser="",
            consent_on_file=False,
            connection=Connection.NONE,
            connection_disclosed=False,
            typicality="",
        )
        with Vertical(classes="dialog wide"):
            yield Label("Edit testimonial" if self.quote else "New testimonial", classes="title")
            yield Label("Their words")
            yield TextArea(quote.text, id="quote-text", compact=True, soft_wrap=True)
            yield Label("Who said it")
            yield FieldInput(quote.endorser, id="quote-endorser")
            yield Checkbox(
                "Signed authorization on file",
                quote.consent_on_file,
                id="quote-consent",
                compact=True,
            )
            yield Label("Their connection to the practice")
            yield Select(
                options(Connection),
                value=quote.connection,
                allow_blank=False,
                id="quote-connection",
                compact=True,
            )
            yield Checkbox(
                "The message says how they are connected",
                quote.connection_disclosed,
                id="quote-disclosed",
                compact=True,
            )
            yield Label("What patients generally achieve (said in the message)")
            yield FieldInput(quote.typicality, id="quote-typicality")
            yield from problem_and_buttons()

    def on_mount(self) -> None:
        self.query_one("#quote-text", TextArea).focus()

    def submit(self) -> None:
        try:
            quote = Testimonial(
                text=self.query_one("#quote-text", TextArea).text,
                endorser=self.query_one("#quote-endorser", Input).value,
                consent_on_file=self.query_one("#quote-consent", Checkbox).value,
                connection=self.query_one("#quote-connection", Select).value,
                connection_disclosed=self.query_one("#quote-disclosed", Checkbox).value,
                typicality=self.query_one("#quote-typicality", Input).value,
            )
        except ValidationError as exc:
            labels = {"text": "Their words", "endorser": "Who said it"}
            self.refuse(validation_problem(exc, labels, "The testimonial"))
            return
        self.dismiss(quote)
