"""Starter campaigns: those shipped in ``data/starters/``, complete examples a practice
adapts, and a user's own, kept from their campaigns (``planner starters save``) in the user's
data folder."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.domain import clock
from planner.domain.errors import NotFoundError, PlannerError
from planner.domain.models import Campaign
from planner.domain.resources import APP_NAME, data_dir
from planner.domain.words import practice_key
from planner.plan.exchange import from_document


@dataclass(frozen=True)
class Starter:
    id: str
    title: str
    summary: str
    path: Path
    seasonal: bool = False
    own: bool = False  # kept by the user from a campaign of theirs, not shipped

    def load(
        self,
        start: dt.date | None = None,
        practice: str | None = None,
        details: Mapping[str, str | None] | None = None,
    ) -> Campaign:
        """The starter's campaign, starting on ``start`` (else on the date written in its file),
        with every date moved and every placeholder in its texts filled to match: the texts name
        ``practice`` (else the sample practice its file names) and give its ``details``
        (address, phone, website; else the sample practice's, from the file's ``sample``). The
        practice field itself is left as written; :func:`campaign_from_starter` sets it, where
        a name too long for it is refused as the new campaign's mistake rather than the
        starter's."""
        data = json.loads(self.path.read_text(encoding="utf-8"))
        campaign = data.get("campaign") if isinstance(data, dict) else None
        written = _written_start(campaign)
        sample = data.get("starter", {}).get("sample", {}) if isinstance(data, dict) else {}
        another = False
        if isinstance(campaign, dict):
            own = str(campaign.get("practice") or "")
            if (practice or "").strip() and practice_key(practice or "") != practice_key(own):
                # another practice: the sample practice's people are not its people, nor its
                # figures its figures, nor its address, phone and website its own
                another = True
                campaign = without_people(campaign, sample.get("people") or {})
                campaign = without_places(campaign, sample.get("places") or {})
                campaign = without_sample_figures(campaign)
                campaign["prepared_by"] = ""  # not the sample's staff: the client's, if kept
            practice = (practice or "").strip() or own
        given = {k: (v or "").strip() for k, v in (details or {}).items()}
        filled = {
            k: given.get(k) or (f"[your {k}]" if another else str(sample.get(k) or ""))
            for k in DETAILS
        }
        if written is not None:
            move = date_mover(written, start or written)
            try:
                data["campaign"] = fill_texts(campaign, move, move(written), practice, filled)
            except OverflowError:
                raise _too_late(start or written) from None
        elif isinstance(campaign, dict):  # a plan without dates (one kept by the user, say)
            data["campaign"] = fill_texts(
                campaign, lambda day: day, start or clock.today(), practice, filled
            )
        loaded = from_document(data, f"The starter '{self.id}'")
        return shift_dates(loaded, start) if start is not None else loaded

    def details(self) -> dict[str, str]:
        """The practice's details its texts give (address, phone, website, in that order),
        each with the sample practice's value that stands in until the user gives theirs."""
        text = self.path.read_text(encoding="utf-8")
        try:
            data = json.loads(text)
        except ValueError:
            return {}
        sample = data.get("starter", {}).get("sample", {}) if isinstance(data, dict) else {}
        sample = sample if isinstance(sample, dict) else {}
        return {k: str(sample.get(k) or "") for k in DETAILS if "{" + k + "}" in text}


def _written_start(campaign: object) -> dt.date | None:
    """The start date as the starter's file gives it, or None."""
    if not isinstance(campaign, dict):
        return None
    try:
        return dt.date.fromisoformat(str(campaign.get("start_date")))
    except ValueError:
        return None


def starters_dir() -> Path:
    return data_dir() / "starters"


def own_starters_dir() -> Path:
    """Where a user's own starters are kept: ``starters`` in the planner's data folder
    (``~/.local/share/healthcare-campaign-planner`` on Linux, or under ``$XDG_DATA_HOME``)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "starters"


def list_starters() -> list[Starter]:
    """The shipped starters, then the user's own (a file that cannot be read is left out)."""
    found = []
    folder = own_starters_dir()
    own = sorted(folder.glob("*.json")) if folder.is_dir() else []
    for path, mine in [
        *((p, False) for p in sorted(starters_dir().glob("*.json"))),
        *((p, True) for p in own),
    ]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            meta = data.get("starter", {}) if isinstance(data, dict) else {}
        except (OSError, ValueError):
            if mine:
                continue
            raise
        found.append(
            Starter(
                id=path.stem,
                title=str(meta.get("title", path.stem)),
                summary=str(meta.get("summary", "")),
                path=path,
                seasonal=bool(meta.get("seasonal", False)),
                own=mine,
            )
        )
    return found


STARTER_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


def save_starter(
    campaign: Campaign,
    slug: str,
    *,
    title: str,
    summary: str = "",
    force: bool = False,
    details: Mapping[str, str | None] | None = None,
) -> Path:
    """Keep ``campaign``'s plan as a starter of the user's own, called ``slug``: without its
    costs, results, sign-offs or decisions on findings, and with its practice's name in its
    texts written as the ``{practice}`` placeholder, and its ``details`` (the address, phone
    and website its texts give) as ``{address}``, ``{phone}`` and ``{website}``, so that a
    campaign made from it for another practice names that one and gives its details. Returns
    the file written."""
    from planner.plan.exchange import to_document
    from planner.store.output import write_file

    if not STARTER_ID.fullmatch(slug):
        raise PlannerError(
            f"'{slug}' cannot name a starter: use small letters, digits and hyphens (up to 40), "
            "starting with a letter or digit, such as 'flu-2027'."
        )
    if any(s.id == slug and not s.own for s in list_starters()):
        raise PlannerError(f"'{slug}' is a starter the planner ships; choose another name.")
    title = " ".join(title.split())
    if not title:
        raise PlannerError("A starter needs a title (--title), to be told from the others.")
    plan = campaign.model_copy(
        update={
            "costs": [],
            "results": [],
            "reviews": [],
            "disabled_rules": [],
            "finding_decisions": [],
        }
    )
    data = plan.model_dump(mode="json", exclude={"id", "version", "archived"})
    practice = (campaign.practice or "").strip()
    if practice:
        data = _placeholder(data, practice, "practice")
        data["practice"] = practice  # the sample practice, as the shipped starters name theirs
    sample = {}
    for key, value in (details or {}).items():
        value = (value or "").strip()
        if key in DETAILS and value:
            written = json.dumps(data, ensure_ascii=False)
            if value not in written:
                raise PlannerError(
                    f"The campaign's texts do not give '{value}' (--{key}); nothing was kept. "
                    f"Give the {key} as the texts write it."
                )
            data = _placeholder(data, value, key)
            sample[key] = value
    document = to_document(Campaign.model_validate(plan.model_dump()))
    document["starter"] = {"title": title, "summary": " ".join(summary.split())}
    if sample:
        document["starter"]["sample"] = sample
    document["campaign"] = data
    # the starter's metadata before its campaign, as in the shipped files
    ordered = {k: document[k] for k in ("format", "format_version", "starter", "campaign")}
    path = own_starters_dir() / f"{slug}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"
    return write_file(path, text, force=force)


def _placeholder(value: Any, written: str, name: str) -> Any:
    """Every text in ``value`` with ``written`` written as the placeholder ``{name}``."""
    if isinstance(value, str):
        return value.replace(written, "{" + name + "}")
    if isinstance(value, list):
        return [_placeholder(item, written, name) for item in value]
    if isinstance(value, dict):
        return {key: _placeholder(item, written, name) for key, item in value.items()}
    return value


def unused_details(starter_id: str, details: Mapping[str, str | None] | None) -> list[str]:
    """The details given that the starter's texts have no place for (its file gives no
    address, say): said to the user rather than dropped in silence."""
    given = [k for k, v in (details or {}).items() if k in DETAILS and (v or "").strip()]
    if not given:
        return []
    used = get_starter(starter_id).details()
    return [k for k in given if k not in used]


def get_starter(starter_id: str) -> Starter:
    for starter in list_starters():
        if starter.id == starter_id:
            return starter
    known = ", ".join(s.id for s in list_starters())
    raise NotFoundError(
        f"There is no starter called '{starter_id}'. Run 'planner starters' to see them: {known}."
    )


def next_month_start(today: dt.date | None = None) -> dt.date:
    today = today or clock.today()
    return dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)


def next_season_start(season_start: dt.date, today: dt.date | None = None) -> dt.date:
    """The same day and month as ``season_start``, in the first year not before today."""
    today = today or clock.today()
    for year in (today.year, today.year + 1):
        try:
            candidate = season_start.replace(year=year)
        except ValueError:  # 29 February
            candidate = dt.date(year, 3, 1)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


# ---------------------------------------------------------------------------------------------
# Moving a plan in time: its dates, and the dates, years and seasons its texts mention


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _months_later(value: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later; a month's last day stays its last day."""
    year, month = divmod(value.month - 1 + months, 12)
    year += value.year
    month += 1
    if not 1 <= year <= 9999:
        raise OverflowError(year)
    last = _last_day(year, month)
    day = last if value.day == _last_day(value.year, value.month) else min(value.day, last)
    return dt.date(year, month, day)


def date_mover(old_start: dt.date, new_start: dt.date) -> Callable[[dt.date], dt.date]:
    """Moves the dates of a plan that started on ``old_start`` so that it starts on
    ``new_start``: by whole calendar months, then by the days between the two starts' days of
    the month. A plan running 1 March to 31 October moved to 1 January runs to 31 August
    (moving by a count of days would end it on 2 September), and a date in its texts such as
    "19 October" moves exactly as the activity it describes."""
    months = (new_start.year - old_start.year) * 12 + new_start.month - old_start.month
    anchor = _months_later(old_start, months)

    def move(value: dt.date) -> dt.date:
        return _months_later(value, months) + (new_start - anchor)

    return move


def season_of(start: dt.date) -> int:
    """The first year of the winter season a plan starting on ``start`` belongs to: a plan
    starting from July on is for that year's autumn and winter, an earlier one for the
    season that began the year before."""
    return start.year if start.month >= 7 else start.year - 1


# What a practice is reached at, which starters write as placeholders: ``--address``,
# ``--phone`` and ``--website`` of planner new fill them, else the sample practice's do.
DETAILS = ("address", "phone", "website")
_PLACEHOLDER = re.compile(
    r"\{(?:(?P<what>year|season)(?P<offset>[+-]\d{1,2})?"
    r"|(?P<date>\d{4}-\d{2}-\d{2}):(?P<format>[^{}]+)"
    r"|(?P<practice>practice)|(?P<detail>address|phone|website))\}"
)


def fill_text(
    text: str,
    move: Callable[[dt.date], dt.date],
    start: dt.date,
    practice: str | None = None,
    details: Mapping[str, str] | None = None,
) -> str:
    """A starter's text with its placeholders filled for a plan starting on ``start``, run by
    ``practice``.

    ``{year}`` is the start's year and ``{year-1}`` the year before; ``{season}`` is the
    season the plan is for, as "2027-2028", and ``{season-1}`` the one before; a date written
    in the starter's own timeline with a strftime format, ``{2026-10-19:%-d %B}``, is moved
    as the plan's dates are and written in that format ("19 October"). ``{practice}`` is the
    practice's name (left as it is when ``practice`` is None); the starters use it only in
    long texts, so that any name that fits the practice field fits every text it goes in.
    ``{address}``, ``{phone}`` and ``{website}`` are the practice's ``details`` (left as they
    are when not given).
    """

    def filled(match: re.Match[str]) -> str:
        if match["practice"]:
            return match[0] if practice is None else practice
        if match["detail"]:
            return (details or {}).get(match["detail"]) or match[0]
        if match["date"]:
            when = move(dt.date.fromisoformat(match["date"]))
            return when.strftime(match["format"].replace("%-d", str(when.day)))
        offset = int(match["offset"] or 0)
        if match["what"] == "year":
            return str(start.year + offset)
        first = season_of(start) + offset
        return f"{first}-{first + 1}"

    return _PLACEHOLDER.sub(filled, text)


def without_people(value: Any, people: Mapping[str, str]) -> Any:
    """Every string inside ``value`` without the sample practice's people (``people``: each
    name and its role): "Group coordinator - Dott.ssa Chiara Bellini" becomes "Group
    coordinator", and a name in a sentence "[the group coordinator's name]", to fill in."""
    if isinstance(value, str):
        for name, role in people.items():
            value = re.sub(rf"\s+-\s+{re.escape(name)}\b", "", value)
            value = value.replace(name, f"[the {role}'s name]")
        return value
    if isinstance(value, list):
        return [without_people(item, people) for item in value]
    if isinstance(value, dict):
        return {key: without_people(item, people) for key, item in value.items()}
    return value


# A figure of the sample practice's own outcomes, as its claims write it: "78%", "12 days",
# "2 business days" (never a year, nor a placeholder's offset such as {year-1}).
_FIGURE = re.compile(r"(?<![\w{.,+-])(\d+(?:[.,]\d+)?)(%|\s(?:business\s)?days?\b)")
_SAMPLE_SIZE = re.compile(r"\bn\s?=\s?\d[\d,.]*")
YOUR_FIGURE = "[your figure]"


def without_sample_figures(campaign: dict[str, Any]) -> dict[str, Any]:
    """The starter's plan without the sample practice's own figures, for another practice:
    each figure of its outcome data (what its claims backed by outcome data say: "78% finished",
    "seen within 2 business days") becomes ``[your figure]%`` wherever the plan writes it (the
    claims, the messages, the objective, the 7Ps), the sample sizes of those claims' evidence
    ``n=[your figure]``; the measures' baselines (where the sample practice stood) and the
    segments' populations and sizes (its patients) are left to give."""
    figures: set[str] = set()
    for message in campaign.get("messages") or []:
        for claim in message.get("claims") or []:
            if claim.get("evidence_kind") == "outcome_data":
                figures.update(m[0] for m in _FIGURE.finditer(str(claim.get("text") or "")))
                reference = str(claim.get("evidence_reference") or "")
                claim["evidence_reference"] = _SAMPLE_SIZE.sub(f"n={YOUR_FIGURE}", reference)
    if figures:
        # the longest first: "12 days" is replaced before a "2 days" it holds could be
        alternatives = "|".join(re.escape(f) for f in sorted(figures, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w{{.,+-])(?:{alternatives})(?![\w%])")

        def mark(match: re.Match[str]) -> str:
            figure = _FIGURE.fullmatch(match[0])
            return YOUR_FIGURE + figure[2] if figure else YOUR_FIGURE

        campaign = _replaced(campaign, lambda text: pattern.sub(mark, text))
        # a span of days said again without its unit: "urgent referrals were seen within 2."
        spans = {m[1] for f in figures if (m := _FIGURE.fullmatch(f)) and "day" in m[2]}
        if spans:
            bare = "|".join(re.escape(n) for n in sorted(spans, key=len, reverse=True))
            within = re.compile(rf"\bwithin (?:{bare})(?=[.,;:])")
            campaign = _replaced(campaign, lambda text: within.sub(f"within {YOUR_FIGURE}", text))
    for measure in campaign.get("measures") or []:
        baseline = measure.get("baseline")
        if isinstance(baseline, (int, float)):
            # where the objective says where the practice starts from: "from about 99 to 125"
            figure = f"{baseline:g}"
            for field in ("objective", "desired_behaviour"):
                campaign[field] = re.sub(
                    rf"\bfrom (about |around )?{re.escape(figure)}(?![\d.,])",
                    lambda m: f"from {m[1] or ''}{YOUR_FIGURE}",
                    str(campaign.get(field) or ""),
                )
        measure["baseline"] = None
    for segment in campaign.get("segments") or []:
        segment["population"] = None
        segment["estimated_size"] = None
    return campaign


def _replaced(value: Any, change: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_replaced(item, change) for item in value]
    if isinstance(value, dict):
        return {key: _replaced(item, change) for key, item in value.items()}
    return value


def without_places(campaign: dict[str, Any], places: Mapping[str, str]) -> dict[str, Any]:
    """The starter's plan without the sample practice's places, for another practice: each
    of ``places`` (its town, districts, sites, local health authority) becomes what it is to
    be filled with (``[your town]``), and each segment's area ``[your area]``."""
    for segment in campaign.get("segments") or []:
        if str(segment.get("location") or "").strip():
            segment["location"] = "[your area]"
    if not places:
        return campaign
    names = sorted(places, key=len, reverse=True)  # "Regione del Veneto" before "Veneto"
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")
    return _replaced(campaign, lambda text: pattern.sub(lambda m: places[m[0]], text))


def fill_texts(
    value: Any,
    move: Callable[[dt.date], dt.date],
    start: dt.date,
    practice: str | None = None,
    details: Mapping[str, str] | None = None,
) -> Any:
    """Every string inside ``value`` (a starter's campaign as read from JSON) filled."""
    if isinstance(value, str):
        return fill_text(value, move, start, practice, details)
    if isinstance(value, list):
        return [fill_texts(item, move, start, practice, details) for item in value]
    if isinstance(value, dict):
        return {
            key: fill_texts(item, move, start, practice, details) for key, item in value.items()
        }
    return value


def shift_dates(campaign: Campaign, start: dt.date) -> Campaign:
    """The same campaign with every date moved so that it starts on ``start``."""
    if campaign.start_date is None:
        return campaign.model_copy(update={"start_date": start})
    move = date_mover(campaign.start_date, start)
    data = campaign.model_dump(mode="python")

    def moved(value):
        return move(value) if isinstance(value, dt.date) else value

    try:
        for key in ("start_date", "end_date"):
            data[key] = moved(data[key])
        for group, fields in (
            ("activities", ("start_date", "end_date")),
            ("costs", ("date",)),
            ("results", ("date",)),
            ("reviews", ("date",)),
        ):
            for row in data[group]:
                for key in fields:
                    row[key] = moved(row[key])
    except OverflowError:
        raise _too_late(start) from None
    return Campaign.model_validate(data)


def _too_late(start: dt.date) -> PlannerError:
    return PlannerError(
        f"Starting on {start} would move the plan's dates past the year 9999; choose an "
        "earlier start date."
    )


def default_start(starter: Starter, today: dt.date | None = None) -> dt.date:
    """Where a campaign from ``starter`` starts unless told: a seasonal starter's next season
    (the same day and month as its file), any other starter's next month."""
    written = starter.load().start_date
    if starter.seasonal and written is not None:
        return next_season_start(written, today)
    return next_month_start(today)


def campaign_from_starter(
    starter_id: str,
    *,
    name: str | None = None,
    start: dt.date | None = None,
    practice: str | None = None,
    details: Mapping[str, str | None] | None = None,
) -> Campaign:
    """A new campaign from a starter, starting on ``start``: by default a seasonal starter's
    next season (same day and month as written) and any other starter's next month. Its texts
    name ``practice`` wherever they name the practice, and give its ``details`` (address,
    phone, website) wherever they give the practice's; without them, the starter's sample
    practice's stay."""
    starter = get_starter(starter_id)
    campaign = starter.load(start or default_start(starter), practice, details)
    if name:
        campaign = campaign.model_copy(update={"name": name})
    if practice and practice.strip():
        campaign = campaign.model_copy(update={"practice": practice})
    return Campaign.model_validate(campaign.model_dump())
