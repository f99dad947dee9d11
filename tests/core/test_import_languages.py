"""Imports in the user's language: Italian and Spanish channel names are read as the planner's
channels, and a channel still unknown stops a command-line import until it is mapped
(--map-channel, kept in the saved mapping) or its rows are left out (--skip-unreadable)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import import_campaign

from planner.cli.main import main
from planner.domain.models import Channel, Cost, ImportOptions
from planner.imports import ImportRefused, SkipsMoney, plan_import, preview, run_import
from planner.imports.channels import read_channel
from planner.store import Store

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports"
ITALIAN = FIXTURES / "costs_it_canali.csv"  # Stampa holds 72% of its money; Radio is unknown
SPANISH = FIXTURES / "costs_es_canales.csv"  # Vallas (billboards) is unknown


def euro_campaign():
    return import_campaign(
        currency="EUR", start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 12, 31)
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "planner.db"
    with Store.open(path) as store:
        store.create_campaign(euro_campaign())
    return path


def run(db: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), *map(str, args)])


def costs(db: Path) -> list[Cost]:
    with Store.open(db) as store:
        return list(store.iter_entries(1, Cost))


@pytest.mark.parametrize(
    ("written", "channel"),
    [
        ("Stampa", Channel.PRINT_MAIL),
        ("Posta", Channel.PRINT_MAIL),
        ("Volantini", Channel.PRINT_MAIL),
        ("Folletos", Channel.PRINT_MAIL),
        ("Televisita", Channel.TELEHEALTH),
        ("Social", Channel.SOCIAL_MEDIA),
        ("Redes sociales", Channel.SOCIAL_MEDIA),
        ("Ricerca a pagamento", Channel.SEARCH_ADS),
        ("ANUNCIOS DE BÚSQUEDA", Channel.SEARCH_ADS),
        ("anuncios de busqueda", Channel.SEARCH_ADS),
        ("Posta elettronica", Channel.EMAIL),
        ("Correo electrónico", Channel.EMAIL),
        ("Messaggi", Channel.SMS),
        ("Eventi", Channel.EVENTS),
        ("Eventos", Channel.EVENTS),
        ("Sito web", Channel.WEBSITE),
        ("Página web", Channel.WEBSITE),
        ("Ufficio stampa", Channel.PR),
        ("Relaciones públicas", Channel.PR),
        ("Print and direct mail", Channel.PRINT_MAIL),
    ],
)
def test_italian_and_spanish_channel_names_are_the_planners_channels(written, channel):
    assert read_channel(written) is channel


@pytest.mark.parametrize("written", ["Radio", "Televisione", "TV", "Vallas", "Affissioni"])
def test_channels_the_planner_has_not_are_not_guessed(written):
    with pytest.raises(ValueError, match="is not a channel"):
        read_channel(written)


@pytest.mark.parametrize(
    ("path", "columns", "channels"),
    [
        (
            ITALIAN,
            ["Data", "Importo", "Canale", "Fornitore", "Descrizione"],
            ["print_mail", "website", "social_media", "sms", "events"],
        ),
        (
            SPANISH,
            ["Fecha", "Importe", "Canal", "Proveedor", "Concepto"],
            ["social_media", "search_ads", "email", "print_mail", "events"],
        ),
    ],
)
def test_italian_and_spanish_files_are_read_without_a_mapping(tmp_path, path, columns, channels):
    with Store.open(tmp_path / "planner.db") as store:
        campaign = store.get_campaign(store.create_campaign(euro_campaign()), tracking=False)
    planned = plan_import(path, campaign, ImportOptions(kind="costs"))
    assert [source for _, source in planned.describe_fields()] == columns
    seen = preview(planned)
    assert [c.channel.value for c in seen.sample] == channels
    assert list(seen.unknown_channels.values()) in (
        [["Radio", 1, 90000]],
        [["Vallas", 1, 340000]],
    )


def test_an_unknown_channel_stops_the_import_with_its_rows_and_money(db):
    result = run(db, "import", "costs", 1, SPANISH)
    assert result.exit_code == 2, result.output
    assert (
        "Error: 1 row holding EUR 3.400,00 (42% of the money in the file) cannot be read; the "
        "planner does not know the channel 'Vallas' (1 row, EUR 3.400,00); nothing was "
        "written. Say which channel each is with --map-channel 'Vallas=CHANNEL', CHANNEL being "
        "one of: email, sms, social_media" in " ".join(result.stderr.split())
    )
    assert "or leave these rows out with --skip-unreadable." in " ".join(result.stderr.split())
    assert "Cannot read" not in result.stderr  # said once, in the sentence
    assert "Traceback" not in result.output
    assert costs(db) == []
    assert "No file has been imported" in run(db, "imports", 1).output


def test_skip_unreadable_imports_the_rest(db):
    result = run(db, "import", "costs", 1, SPANISH, "--skip-unreadable")
    assert result.exit_code == 0, result.output
    assert "Cannot read line 7, Canal 'Vallas': 'Vallas' is not a channel" in result.stderr
    assert "Import 1: 5 costs totalling EUR 4.600,00 from 6 rows" in result.stdout
    assert sum(c.amount_minor for c in costs(db)) == 460000


def test_map_channel_imports_every_row_and_is_kept_for_the_next_file(db, tmp_path):
    result = run(
        db, "import", "costs", 1, ITALIAN, "--map-channel", "radio=other",
        "--save-mapping", "Contabilità",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "channel 'radio' <- other" in result.stdout
    assert "Import 1: 6 costs totalling EUR 10.000,00 from 6 rows" in result.stdout
    assert [c.channel.value for c in costs(db)][-2:] == ["other", "events"]
    assert "channel radio=other" in run(db, "import", "mappings").output

    october = tmp_path / "ottobre.csv"
    october.write_text(
        "Data;Descrizione;Canale;Fornitore;Importo\n"
        "05/10/2026;Spot;RADIO;Radio Città;€ 300,00\n"
        "12/10/2026;Manifesti;Televisione;Rai Pubblicità;€ 1.200,00\n",
        encoding="utf-8",
    )
    asked = run(db, "import", "costs", 1, october, "--mapping", "contabilità")
    assert asked.exit_code == 2
    assert "the channel 'Televisione' (1 row, EUR 1.200,00)" in asked.stderr
    assert "'RADIO'" not in asked.stderr  # mapped by the saved mapping, in any case

    mapped = run(
        db, "import", "costs", 1, october, "--mapping", "Contabilità",
        "--map-channel", "Televisione=other",
    )  # fmt: skip
    assert mapped.exit_code == 0, mapped.output
    assert "Saved the channels in the mapping 'Contabilità' for the next file." in mapped.stdout
    with Store.open(db) as store:
        assert store.get_mapping("Contabilità").channels == {
            "radio": "other",
            "Televisione": "other",
        }
    assert sum(c.amount_minor for c in costs(db)) == 1_000_000 + 150_000


def test_a_dry_run_says_the_import_would_stop(db):
    result = run(db, "import", "costs", 1, ITALIAN, "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        "Note: 1 row holding EUR 900,00 (9% of the money in the file) cannot be read; the "
        "planner does not know the channel 'Radio' (1 row, EUR 900,00)." in result.stdout
    )
    assert "--map-channel 'Radio=CHANNEL'" in result.stdout
    assert costs(db) == []


def test_rows_holding_money_with_a_bad_date_stop_the_import_too(tmp_path):
    with Store.open(tmp_path / "planner.db") as store:
        campaign_id = store.create_campaign(euro_campaign())
        campaign = store.get_campaign(campaign_id, tracking=False)
        path = tmp_path / "costs.csv"
        path.write_text("Date,Amount,Channel\n2026-09-31,500.00,email\n2026-09-30,20.00,email\n")
        planned = plan_import(path, campaign, ImportOptions(kind="costs"))
        with pytest.raises(SkipsMoney, match=r"^1 row holding EUR 500,00 \(96% of the money"):
            run_import(store, planned, campaign_id)
        assert store.list_imports(campaign_id) == []
        _, seen = run_import(store, planned, campaign_id, skip_unreadable=True)
        assert seen.entries == 1 and seen.problem_rows == 1


def test_a_mapped_channel_can_leave_its_rows_out(tmp_path):
    with Store.open(tmp_path / "planner.db") as store:
        campaign_id = store.create_campaign(euro_campaign())
        campaign = store.get_campaign(campaign_id, tracking=False)
        planned = plan_import(
            ITALIAN, campaign, ImportOptions(kind="costs", channels={"Radio": ""})
        )
        record, seen = run_import(store, planned, campaign_id)
        assert record.entries == 5 and seen.problem_rows == 0
        assert "1 row of 'Radio' left out as you chose" in seen.summary()
        assert planned.resolved_options().channels == {}  # a choice to leave out is not kept


def test_a_channel_mapped_to_no_channel_is_one_sentence(tmp_path):
    with Store.open(tmp_path / "planner.db") as store:
        campaign = store.get_campaign(store.create_campaign(euro_campaign()), tracking=False)
    with pytest.raises(ImportRefused, match="'telly' is not a channel to read 'Radio' as; the"):
        plan_import(ITALIAN, campaign, ImportOptions(kind="costs", channels={"Radio": "telly"}))
