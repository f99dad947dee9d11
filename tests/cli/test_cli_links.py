"""``planner links``: each activity's tracking link as a user asks for it, in a table or in
JSON, and the mistakes a user may make (one sentence, exit 2)."""

from __future__ import annotations

import json

import pytest
from factories import full_campaign

from planner.cli.main import main
from planner.store import Store


@pytest.fixture
def cli(runner, db_path):
    with Store.open(db_path) as store:
        store.create_campaign(full_campaign())

    def run(*args: str, code: int = 0):
        result = runner.invoke(main, ["--db", str(db_path), *args])
        assert result.exit_code == code, result.output
        return result

    return run


def test_links_as_json_name_every_activity_with_its_tags(cli):
    data = json.loads(
        cli("links", "1", "--base-url", "https://riverside.example/book", "--json").stdout
    )
    assert data["campaign_id"] == 1
    names = [a.name for a in full_campaign().activities]
    assert [link["activity"] for link in data["links"]] == names
    for link in data["links"]:
        assert set(link) == {
            "activity",
            "url",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "utm_content",
        }
        assert link["url"].startswith("https://riverside.example/book?utm_source=")
        assert f"utm_content={link['utm_content']}" in link["url"]
        assert link["utm_campaign"] == "spring-screening-drive"


def test_links_as_a_table(cli):
    out = cli("links", "1", "--base-url", "https://riverside.example/").stdout.splitlines()
    assert out[0].split() == ["ACTIVITY", "LINK"]
    assert len(out) == 1 + len(full_campaign().activities)
    assert all("utm_medium=" in line for line in out[1:])


def test_a_bad_base_url_or_campaign_is_told_in_a_sentence(cli):
    said = cli("links", "1", "--base-url", "riverside.example", code=2).output
    assert "'riverside.example' is not a web address" in said and "Traceback" not in said
    said = cli("links", "7", "--base-url", "https://riverside.example", code=2).output
    assert "7" in said and "Traceback" not in said
    said = cli("links", "1", code=2).output
    assert "--base-url" in said


def test_the_landing_page_is_kept_with_the_campaign_and_used_by_default(cli, db_path):
    said = cli("links", "1", code=2).output
    assert "Campaign 1 has no landing page: give the page the links lead to with --base-url" in said
    with Store.open(db_path) as store:
        version = store.get_campaign(1).version
        with pytest.raises(Exception, match="'riverside' is not a web address"):
            store.update_campaign(1, {"landing_page": "riverside"}, expected_version=version)
        store.update_campaign(
            1, {"landing_page": " https://riverside.example/book "}, expected_version=version
        )
        assert store.get_campaign(1).landing_page == "https://riverside.example/book"
    data = json.loads(cli("links", "1", "--json").stdout)
    assert data["links"][0]["url"].startswith("https://riverside.example/book?utm_source=")
    other = json.loads(cli("links", "1", "--base-url", "https://other.example/", "--json").stdout)
    assert other["links"][0]["url"].startswith("https://other.example/?utm_source=")
    brief = cli("brief", "1").stdout
    section = brief[brief.index("### Tracking links") :]
    first = data["links"][0]
    assert f"| {first['activity']} | " in section
    assert first["url"].replace("_", "\\_") in section  # Markdown keeps the underscores
