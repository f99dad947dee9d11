"""The campaign workspace: one pane per planning step, a sidebar that shows which steps are
done, and (for a new campaign) a guided path with Next and Back.

Every edit goes through the campaign's ``CampaignEditor``, which saves it in one transaction and
refuses it if another window saved first. The panes are rebuilt from the saved campaign after
each change, so what the screen shows is what the file holds.

The screen is in ``screen``; the panes of the steps in ``step`` (the base and the overview),
``lists`` (the steps made of a list of items) and ``mix`` (the seven Ps); the table columns of
each kind of item in ``kinds``; the item editors in ``editor`` and what each form edits in
``targets``.
"""

from screens.workspace.screen import CampaignWorkspace

__all__ = ["CampaignWorkspace"]
