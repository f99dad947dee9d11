"""The Brief screen driven by key presses: a live preview, export to a chosen file, the
history of exports, and a consultant's own templates."""

from __future__ import annotations

import datetime as dt

import docx
import pytest
from helpers import until
from rich.console import Console
from textual.widgets import DataTable, Input, MarkdownViewer, Static, TabbedContent

from planner.domain.models import BriefFormat, Cost
from planner.plan.campaigns import new_campaign
from planner.store import Store
from screens.app import make_app
from screens.brief import BriefScreen
from screens.dialogs import ConfirmDialog, ExportDialog, TemplatesDialog
from screens.widgets.brief_preview import BriefBulletList, BriefTable

TODAY = dt.date(2027, 1, 15)
SIZE = (100, 32)


def _flu(db_path) -> None:
    with Store.open(db_path) as store:
        new_campaign(store, name="Flu 2027", starter="flu-vaccination", start=dt.date(2027, 9, 1))


async def open_brief(pilot) -> None:
    await pilot.press("enter", "ctrl+o")  # the campaign, then its brief
    await settle(pilot)
    assert isinstance(pilot.app.screen, BriefScreen)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def preview(app) -> str:
    return app.screen.query_one("#preview", MarkdownViewer).document.source


def status(app) -> str:
    return str(app.screen.query_one("#brief-status", Static).render())


@pytest.mark.long
async def test_the_preview_follows_changes_made_elsewhere(db_path):
    _flu(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_brief(pilot)
        # the starter for Italy: the practice's brief is in Italian
        assert preview(app).startswith("# Brief della campagna: Flu 2027")
        assert status(app) == "Version 1 · Standard templates"
        with Store.open(db_path) as other:  # another window, or the command line
            other.update_campaign(1, {"objective": "Vaccinate 80% of over-65s"}, expected_version=1)
        await until(pilot, lambda: "Vaccinate 80% of over-65s" in preview(app))
        await until(pilot, lambda: status(app) == "Version 2 · Standard templates")
        with Store.open(db_path) as other:  # a cost: the brief's tracking section appears
            other.add_entry(1, Cost(date="2027-09-10", amount_minor=4200, channel="sms"))
        await until(pilot, lambda: "## Monitoraggio a oggi" in preview(app))


async def test_a_shows_the_client_s_brief_and_exports_it(db_path, tmp_path, monkeypatch):
    """a: the preview becomes the client's brief (prepared for the practice, without the
    internal review or the version counter), and e exports that one, named for the client."""
    monkeypatch.chdir(tmp_path)  # where the export is offered
    _flu(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_brief(pilot)
        assert "Versione della campagna" in preview(app) and "Revisione e approvazione" in preview(
            app
        )
        await pilot.press("a")
        await settle(pilot)
        shown = preview(app)
        assert "**Preparato per:** Medicina di Gruppo Borgo Trento" in shown
        assert "Versione della campagna" not in shown and "Revisione e approvazione" not in shown
        assert status(app) == "For the client · Version 1 · Standard templates"
        await pilot.press("e")
        await pilot.pause()
        field = app.screen.query_one("#path", Input)
        assert field.value == str(tmp_path / "flu-2027-brief-v1-client.md")
        await pilot.press("enter")
        await settle(pilot)
        written = (tmp_path / "flu-2027-brief-v1-client.md").read_text()
        assert "Preparato per" in written and "Versione della campagna" not in written
        await pilot.press("a")  # the team's again
        await settle(pilot)
        assert "Versione della campagna" in preview(app)
        assert status(app).startswith("Version 1 · Standard templates")


async def test_export_asks_for_a_file_then_shows_it_and_keeps_the_history(db_path, tmp_path):
    _flu(db_path)
    target = tmp_path / "flu.html"
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_brief(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        field = app.screen.query_one("#path", Input)
        assert field.value.endswith("flu-2027-brief-v1.md")
        field.value = str(target)  # the extension chooses the format
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BriefScreen)
        assert target.read_text().startswith("<!DOCTYPE html>")
        assert status(app).endswith(f"Exported HTML to {target}")
        # the same file again: the planner asks before replacing it
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#path", Input).value == str(
            tmp_path / "flu-2027-brief-v1.html"
        )
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "history-tab"
        table = app.screen.query_one("#history", DataTable)
        assert table.row_count == 2
        row = table.get_row_at(0)
        assert row[1:] == ["HTML", "1", str(target), "unchanged"]
    with Store.open(db_path) as store:
        assert [r.path for r in store.list_renders(1)] == [str(target), str(target)]


async def test_export_from_a_read_only_database_saves_the_file_and_says_it_is_not_recorded(
    tmp_path,
):
    from helpers import read_only

    db_path = tmp_path / "shared" / "planner.db"
    db_path.parent.mkdir()
    _flu(db_path)
    target = tmp_path / "flu.md"
    with read_only(db_path):
        app = make_app(db_path, today=TODAY)
        async with app.run_test(size=SIZE) as pilot:
            await open_brief(pilot)
            await pilot.press("e")
            await pilot.pause()
            app.screen.query_one("#path", Input).value = str(target)
            await pilot.press("enter")
            await settle(pilot)
            assert target.read_text().startswith("# Brief della campagna: Flu 2027")
            assert list(app._notifications)[-1].message == (
                f"Saved the Markdown brief to {target}. This export is not in the campaign's "
                f"brief history, because the database '{db_path}' is read-only."
            )
            await pilot.press("h")
            await pilot.pause()
            assert app.screen.query_one("#history", DataTable).row_count == 0
        app.store.close()


async def test_export_explains_a_folder_that_does_not_exist(db_path, tmp_path):
    _flu(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_brief(pilot)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(tmp_path / "nope" / "brief.pdf")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        problem = str(app.screen.query_one("#problem", Static).render())
        assert problem == f"The folder '{tmp_path / 'nope'}' does not exist."
        await pilot.press("escape")
        assert isinstance(app.screen, BriefScreen)


async def test_templates_folder_brands_the_preview(db_path, tmp_path):
    _flu(db_path)
    folder = tmp_path / "brand"
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_brief(pilot)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, TemplatesDialog)
        app.screen.query_one("#folder", Input).value = str(folder)
        await pilot.click("#copy")
        await settle(pilot)
        assert isinstance(app.screen, BriefScreen)
        assert (folder / "body.j2").is_file()
        assert status(app) == f"Version 1 · Templates: {folder}"
        body = folder / "body.j2"
        body.write_text(body.read_text().replace('"Campaign brief"', '"Proposal by Acme"'))
        await until(pilot, lambda: preview(app).startswith("# Proposal by Acme: Flu 2027"))
        body.write_text("{% if %}")  # a mistake while editing: the screen says where
        await until(pilot, lambda: "body.j2 has an error on line 1" in status(app))
    with Store.open(db_path) as store:
        assert store.get_setting("brief.template_dir") == str(folder)


async def test_a_runaway_template_stops_the_preview_with_a_sentence(db_path, tmp_path, monkeypatch):
    import planner.briefs.render

    monkeypatch.setattr(planner.briefs.render, "RENDER_SECONDS", 1)
    _flu(db_path)
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "body.j2").write_text(
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}\n"
    )
    with Store.open(db_path) as store:
        store.set_setting("brief.template_dir", str(folder))
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_brief(pilot)  # waits for the preview's rendering to end
        assert status(app).startswith(
            f"The brief template {folder / 'body.j2'} took longer than 1 second and was stopped"
        )
        (folder / "body.j2").write_text("# Fixed\n")  # the preview follows the fix
        await until(pilot, lambda: preview(app).startswith("# Fixed"))


@pytest.mark.long
async def test_the_export_dialog_is_driven_by_the_keyboard(db_path, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)  # where the first export is offered
    _flu(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_brief(pilot)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path = dialog.query_one("#path", Input)
        assert dialog.focused is dialog.query_one("#format")  # focus starts on the format
        assert path.value == str(out / "flu-2027-brief-v1.md")
        await pilot.press("down")  # an arrow key chooses the format, the extension follows
        assert dialog.fmt is BriefFormat.HTML
        assert path.value == str(out / "flu-2027-brief-v1.html")
        await pilot.press("up")
        assert dialog.fmt is BriefFormat.MD
        assert path.value == str(out / "flu-2027-brief-v1.md")
        await pilot.press("right", "tab")  # HTML, then the path: kept whole, cursor at its end
        assert dialog.focused is path
        assert path.selection.is_empty and path.cursor_position == len(path.value)
        await pilot.press(*["left"] * len(".html"), "space", "x")  # Space types a space
        assert path.value == str(out / "flu-2027-brief-v1 x.html")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BriefScreen)
        assert (out / "flu-2027-brief-v1 x.html").read_text().startswith("<!DOCTYPE html>")
        await pilot.press("e")  # Escape cancels: nothing is written
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert sorted(p.name for p in out.iterdir()) == ["flu-2027-brief-v1 x.html"]
        await pilot.press("e")  # Enter on the format exports
        await pilot.pause()
        assert app.screen.fmt is BriefFormat.HTML  # the format used last
        await pilot.press("up", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BriefScreen)
        assert (out / "flu-2027-brief-v1.md").read_text().startswith("# Brief della campagna")
        await pilot.press("e")  # Word, the last of the formats: a document to edit
        await pilot.pause()
        await pilot.press("down", "down", "down")
        assert app.screen.fmt is BriefFormat.DOCX
        assert app.screen.query_one("#path", Input).value.endswith("flu-2027-brief-v1.docx")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BriefScreen)
    document = docx.Document(out / "flu-2027-brief-v1.docx")
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["Flu 2027"]


async def test_the_preview_scrolls_from_the_keys_as_the_brief_opens(db_path):
    _flu(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_brief(pilot)
        viewer = app.screen.query_one("#preview", MarkdownViewer)
        assert app.focused is viewer.document  # shown by the bar down the preview's left
        assert viewer.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert viewer.scroll_y > 0
        await pilot.press("home")
        await pilot.press("down", "down")
        await pilot.pause()
        assert viewer.scroll_y == 2


async def test_the_preview_draws_each_table_and_list_whole(db_path):
    """Tables and bullet lists are drawn one widget each (the brief opens in about half the
    time): every cell of every table and every item of every list is on the screen, in bold
    where the brief says so."""
    _flu(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_brief(pilot)
        console = Console(width=96, record=True, color_system=None)
        tables = app.screen.query(BriefTable)
        assert len(tables) >= 5
        source = preview(app)
        for table in tables:
            console.print(table.query_one(Static).content)
        drawn = " ".join(console.export_text().split())
        for line in source.splitlines():
            if line.startswith("| ") and not line.startswith("| -"):
                for cell in line.strip("| ").split(" | "):  # its words: a cell may wrap
                    assert all(word in drawn for word in cell.replace("**", "").split()), cell
        lists = app.screen.query(BriefBulletList)
        first = lists.first().query_one(Static).content
        console.print(first)
        assert "• Studio: Medicina di Gruppo Borgo Trento • Area clinica:" in " ".join(
            console.export_text().split()
        )
        practice = next(c for c in first.columns[1].cells if c.plain.startswith("Studio"))
        assert practice.get_style_at_offset(console, 0).bold


async def test_the_preview_draws_under_an_ansi_theme_and_its_lists_and_tables_copy(db_path):
    """The terminal's own colours (the ANSI themes of Ctrl+P) draw the preview too, and what is
    selected in it, lists and tables included, is what is copied."""
    _flu(db_path)
    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "ansi-dark"
        await pilot.pause()
        await open_brief(pilot)
        assert app.screen.query(BriefTable) and app.screen.query(BriefBulletList)
        app.screen.text_select_all()
        await pilot.pause()
        copied = " ".join(app.screen.get_selected_text().split())
        assert "• Studio: Medicina di Gruppo Borgo Trento" in copied
        assert "Segmento" in copied and "Patients aged 65 and over" in copied
