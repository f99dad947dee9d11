"""Exporting a brief: rendered from the store, written to a file or standard output, and recorded
in the campaign's brief history together with the file (both or neither).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from planner.briefs.render import render_document, render_markdown
from planner.briefs.templates import check_template_dir, saved_template_dir
from planner.compliance import RuleSet
from planner.compliance.approval import rules_of
from planner.domain import clock
from planner.domain.errors import PlannerError
from planner.domain.models import BriefFormat, BriefRender, Campaign
from planner.domain.records import Client
from planner.store import Store, TrackingData
from planner.store.dbfiles import database_in_use
from planner.store.output import StagedFile, stage_file


@dataclass(frozen=True)
class RenderedBrief:
    campaign_id: int
    campaign_version: int
    format: BriefFormat
    content: bytes
    template_dir: Path | None
    audience: str = "internal"  # or "client": see planner.briefs.render.AUDIENCES

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def render_brief(
    store: Store,
    campaign_id: int,
    fmt: BriefFormat,
    *,
    template_dir: Path | None = None,
    today: dt.date | None = None,
    audience: str = "internal",
    language: str | None = None,
) -> RenderedBrief:
    """Render a stored campaign's brief; ``template_dir`` None uses the saved choice, and
    ``language`` None the campaign's (``planner.domain.language.language_of``)."""
    source = load_brief(store, campaign_id, template_dir=template_dir, today=today)
    return source.render(fmt, today=today, audience=audience, language=language)


@dataclass(frozen=True)
class BriefSource:
    """Everything a brief is rendered from, read from the store in one go: rendering can then
    run in another thread, away from the store's connection."""

    campaign: Campaign
    tracking: TrackingData
    template_dir: Path | None
    client: Client | None = None  # its practice's details (planner client)
    # the rules its review is made with: the shipped packs and the user's (``rules_of``), as
    # the review on screen and ``planner lint``; None: the shipped packs; an error: they could
    # not be read, which the brief says
    rules: RuleSet | PlannerError | None = None

    def render(
        self,
        fmt: BriefFormat,
        *,
        today: dt.date | None = None,
        audience: str = "internal",
        language: str | None = None,
    ) -> RenderedBrief:
        content = render_document(
            self.campaign,
            fmt,
            tracking=self.tracking,
            template_dir=self.template_dir,
            today=today,
            audience=audience,
            client=self.client,
            language=language,
            rules=self.rules,
        )
        c = self.campaign
        assert c.id is not None
        return RenderedBrief(c.id, c.version, fmt, content, self.template_dir, audience)

    def markdown(
        self,
        *,
        today: dt.date | None = None,
        audience: str = "internal",
        language: str | None = None,
    ) -> str:
        return render_markdown(
            self.campaign,
            tracking=self.tracking,
            template_dir=self.template_dir,
            today=today,
            audience=audience,
            client=self.client,
            language=language,
            rules=self.rules,
        )


def load_brief(
    store: Store,
    campaign_id: int,
    *,
    template_dir: Path | None = None,
    today: dt.date | None = None,
) -> BriefSource:
    """The campaign and its tracking figures as of ``today`` (``planner.domain.clock``'s, if not
    given), ready to render."""
    folder = check_template_dir(template_dir) if template_dir else saved_template_dir(store)
    campaign, tracking = store.tracking_data(campaign_id, today=today or clock.today())
    rules: RuleSet | PlannerError
    try:
        rules = rules_of(store)
    except PlannerError as error:  # the brief says its rules could not be read
        rules = error
    return BriefSource(campaign, tracking, folder, store.get_client(campaign.practice), rules)


@dataclass(frozen=True)
class Export:
    """What an export did: where the brief went (None: standard output) and its record in the
    campaign's history, or, when it has none, the sentence that says why (``unrecorded``)."""

    path: Path | None
    record: BriefRender | None
    unrecorded: str = ""


def export_brief(store: Store, brief: RenderedBrief, path: Path, *, force: bool = False) -> Export:
    """Write the brief to ``path`` and record the export, together (see ``export_staged``).
    An existing file is replaced only with ``force``."""
    return export_staged(store, brief, stage_file(path, brief.content, force=force))


def export_staged(store: Store, brief: RenderedBrief, staged: StagedFile) -> Export:
    """Put a brief written beside its place into place, and record the export: both or
    neither. The export is recorded first as under way, which takes the write lock, so a busy
    database refuses it before the file is put in place; then one transaction marks the record
    done and renames the file into place, and if that transaction fails the file is taken back.
    A process killed in between leaves a record under way, which ``export_history`` settles.
    A read-only database cannot record the export: the file is written, and ``unrecorded``
    says so."""
    record = _record(brief, staged.path)
    if store.read_only:
        staged.commit()
        return Export(staged.path, None, _read_only_note(store))
    try:
        under_way = store.begin_render(record)
    except BaseException:
        staged.undo()
        raise
    try:
        record.id = store.finish_render(under_way, record, place=staged.place, undo=staged.undo)
    except BaseException:
        staged.undo()
        with contextlib.suppress(PlannerError):  # if not, the next read of the history does
            store.drop_render(under_way)
        raise
    staged.keep()
    return Export(staged.path, record)


def export_to_stream(store: Store, brief: RenderedBrief, write: Callable[[bytes], None]) -> Export:
    """Hand the brief to ``write`` (standard output) and record the export. It is recorded
    first as under way, so a busy database refuses it before anything is written, and
    completed after. A read-only database cannot record it: the brief is written all the same
    and ``unrecorded`` says why it has no record, as it does if the record cannot be completed
    once the brief is out."""
    record = _record(brief, None)
    if store.read_only:
        write(brief.content)
        return Export(None, None, _read_only_note(store))
    under_way = store.begin_render(record)
    try:
        write(brief.content)
    except BaseException:
        with contextlib.suppress(PlannerError):
            store.drop_render(under_way)
        raise
    try:
        record.id = store.finish_render(under_way, record)
    except PlannerError as exc:
        return Export(None, None, f"This export could not be added to the brief history. {exc}")
    return Export(None, record)


def _read_only_note(store: Store) -> str:
    return (
        "This export is not in the campaign's brief history, because the database "
        f"'{store.path}' is read-only."
    )


def _record(brief: RenderedBrief, written: Path | None) -> BriefRender:
    """The history record of an export (``written`` None: standard output)."""
    return BriefRender(
        campaign_id=brief.campaign_id,
        rendered_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        format=brief.format,
        campaign_version=brief.campaign_version,
        sha256=brief.sha256,
        size=len(brief.content),
        audience=brief.audience,
        path=None if written is None else str(written),
        template_dir=None if brief.template_dir is None else str(brief.template_dir),
    )


def export_history(store: Store, campaign_id: int) -> list[BriefRender]:
    """The campaign's exported briefs, newest first. An export whose process was killed
    before it was done counts if its file holds exactly what was exported (the file was put
    in place), and is dropped otherwise."""
    return store.list_renders(campaign_id, settle=_in_place)


def _in_place(render: BriefRender) -> bool:
    return render.path is not None and file_state(render) == "unchanged"


def file_state(render: BriefRender) -> str:
    """Whether the exported file is still as it was exported."""
    if render.path is None:
        return "standard output"
    path = Path(render.path)
    if database_in_use(path) is not None:
        return "changed since (it is the planner's database)"
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "file missing"
    except OSError:
        return "file unreadable"
    return "unchanged" if digest == render.sha256 else "changed since"


def format_for_path(path: Path) -> BriefFormat | None:
    """The format a file name asks for by its extension, if any."""
    suffix = path.suffix.lower()
    return {
        ".md": BriefFormat.MD,
        ".markdown": BriefFormat.MD,
        ".html": BriefFormat.HTML,
        ".htm": BriefFormat.HTML,
        ".pdf": BriefFormat.PDF,
        ".docx": BriefFormat.DOCX,
    }.get(suffix)


def default_file_name(campaign: Campaign, fmt: BriefFormat, audience: str = "internal") -> str:
    """``<campaign-name>-brief-v<version>.<ext>`` (``-client`` before the extension for the
    client's brief), safe on every file system."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", campaign.name).strip("-").lower()[:60] or "campaign"
    client = "-client" if audience == "client" else ""
    return f"{slug}-brief-v{campaign.version}{client}{fmt.suffix}"
