"""The planner's modal dialogs, one a module; ``base`` holds what the form dialogs share.

Every name below is importable from ``screens.dialogs``. A dialog's module loads when its name
is first asked for, not with the package: importing them all at once made opening the first
campaign about a quarter of a second slower (the brief's export, the file picker and the
sign-offs loaded with the workspace).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from screens.dialogs.base import FormDialog, validation_problem
    from screens.dialogs.claim import ClaimDialog
    from screens.dialogs.confirm import ConfirmDialog, leave_unsaved, offer_reload
    from screens.dialogs.entry import EntryDialog
    from screens.dialogs.export import ExportDialog
    from screens.dialogs.file_picker import FilePicker
    from screens.dialogs.kpi import KpiDialog
    from screens.dialogs.new_campaign import NewCampaignDialog, NewCampaignRequest
    from screens.dialogs.practice import PracticeDialog
    from screens.dialogs.practice_details import PracticeDetailsDialog
    from screens.dialogs.reason import ReasonDialog
    from screens.dialogs.sign_off import SignOffDialog
    from screens.dialogs.starter import StarterDialog
    from screens.dialogs.templates import TemplatesDialog
    from screens.dialogs.testimonial import TestimonialDialog

# Each name and the module it is in.
MODULES = {
    "ClaimDialog": "claim",
    "ConfirmDialog": "confirm",
    "EntryDialog": "entry",
    "ExportDialog": "export",
    "FilePicker": "file_picker",
    "FormDialog": "base",
    "KpiDialog": "kpi",
    "NewCampaignDialog": "new_campaign",
    "NewCampaignRequest": "new_campaign",
    "PracticeDialog": "practice",
    "PracticeDetailsDialog": "practice_details",
    "ReasonDialog": "reason",
    "SignOffDialog": "sign_off",
    "StarterDialog": "starter",
    "TemplatesDialog": "templates",
    "TestimonialDialog": "testimonial",
    "leave_unsaved": "confirm",
    "offer_reload": "confirm",
    "validation_problem": "base",
}

__all__ = [
    "ClaimDialog",
    "ConfirmDialog",
    "EntryDialog",
    "ExportDialog",
    "FilePicker",
    "FormDialog",
    "KpiDialog",
    "NewCampaignDialog",
    "NewCampaignRequest",
    "PracticeDetailsDialog",
    "PracticeDialog",
    "ReasonDialog",
    "SignOffDialog",
    "StarterDialog",
    "TemplatesDialog",
    "TestimonialDialog",
    "leave_unsaved",
    "offer_reload",
    "validation_problem",
]


def __getattr__(name: str) -> Any:
    """Load the module of a dialog the first time its name is asked for (PEP 562)."""
    module = MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
