"""Issue 27: the Influencers step lists each influencer's referrals since the start against
today's, once a result names an influencer."""

from __future__ import annotations

import datetime as dt

from factories import referrals_recorded
from helpers import until

from screens.app import make_app
from screens.workspace import CampaignWorkspace

TODAY = dt.date(2027, 3, 31)


async def test_the_influencers_step_lists_each_influencers_referrals(db_path):
    referrals_recorded(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        workspace = pilot.app.screen
        assert isinstance(workspace, CampaignWorkspace)
        await pilot.press("3")
        await pilot.pause()
        await until(pilot, lambda: workspace.current_pane().table.row_count == 3)
        rows = [[str(c).strip() for c in workspace.current_pane().table.get_row_at(n)]
                for n in range(3)]  # fmt: skip
        assert rows[0][0] == "Dr Rossi" and rows[0][-1] == "2 → 5 a month ↑"
        assert rows[1][-1] == "5 → 4 a month ↓"
        assert rows[2][-1] == "? → 0 a month"
