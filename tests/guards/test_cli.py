"""The command line: migrations, idempotent seeding, refusing an old schema."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import create_engine, select

from service.cli import cli
from service.db import sqlalchemy_url
from service.models import Procurement
from tests.conftest import ROOT, Databases


def _run(url: str, *args: str, **env: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), env={"DATABASE_URL": url, **env})


def test_db_upgrade_then_current(databases: Databases) -> None:
    url = databases.create()
    result = _run(url, "db", "upgrade")
    assert result.exit_code == 0, result.output
    current = _run(url, "db", "current")
    assert current.exit_code == 0
    lines = {line.split(":")[0]: line for line in current.output.splitlines()}
    assert lines["database"].split()[-1] == lines["code"].split()[-1]


def test_seed_extracts_articles_idempotently(databases: Databases) -> None:
    url = databases.create()
    first = _run(url, "seed")
    assert first.exit_code == 0, first.output
    assert "created" in first.output and "updated" not in first.output
    engine = create_engine(sqlalchemy_url(url))
    with engine.connect() as connection:
        rows = connection.execute(select(Procurement.__table__)).mappings().all()
    second = _run(url, "seed")
    assert second.exit_code == 0, second.output
    assert "created" not in second.output and "updated" not in second.output
    assert f"{len(rows)} unchanged" in second.output
    with engine.connect() as connection:
        again = connection.execute(select(Procurement.__table__)).mappings().all()
    engine.dispose()
    assert len(again) == len(rows) >= 30
    assert {r["version"] for r in again} == {1}
    piorun = [r for r in rows if r["system"] == "Piorun" and r["buyer"] == "Belgium"]
    assert len(piorun) == 1
    row = piorun[0]
    assert (row["seller"], row["manufacturer"], row["category"], row["status"]) == (
        "Poland",
        "Mesko",
        "air-defence",
        "intent",
    )
    assert (row["quantity_min"], row["quantity_max"]) == (200, 300)
    assert row["sources"][0]["excerpt"].endswith("between 200 and 300 Piorun systems.")
    assert not [r for r in rows if r["system"] == "F-35A" and r["buyer"] == "Belgium"]
    # The first page of the list (newest first, 50 rows) opens with the founding deal.
    newest = sorted(rows, key=lambda r: (r["created_at"], r["id"]), reverse=True)[:50]
    assert (newest[0]["buyer"], newest[0]["system"]) == ("Belgium", "Piorun")


def test_seed_refuses_an_unmigrated_database_when_told_not_to_migrate(
    databases: Databases,
) -> None:
    url = databases.create()
    result = _run(url, "seed", MIGRATE_ON_START="false")
    assert result.exit_code != 0
    assert "python -m service db upgrade" in result.output


def test_seed_reports_a_missing_articles_folder(databases: Databases, tmp_path: Path) -> None:
    result = _run(databases.create(), "seed", "--seeds-dir", str(tmp_path))
    assert result.exit_code != 0
    assert "no articles folder" in result.output


def test_extract_prints_one_json_line_per_file_and_reports_unreadable_ones(
    tmp_path: Path,
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Deal\nLatvia signed a contract for six HIMARS launchers.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("Nothing to see.", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00")
    result = CliRunner().invoke(
        cli, ["extract", str(good), str(tmp_path / "missing.txt"), str(binary), str(empty)]
    )
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["file"] for line in lines] == [
        str(good),
        str(tmp_path / "missing.txt"),
        str(binary),
        str(empty),
    ]
    assert lines[0]["records"][0]["system"] == "HIMARS"
    assert lines[0]["records"][0]["quantity_max"] == 6
    assert "error" in lines[1] and "error" in lines[2]
    assert lines[3]["records"] == []
    assert not any("truncated_at" in line for line in lines)  # only said when it happens


def test_extract_says_where_a_very_long_file_stopped(tmp_path: Path) -> None:
    long = tmp_path / "long.txt"
    sentence = "Chile signed a contract for {n} K9 Thunder howitzers in statement {n}. "
    text = "News\n" + "".join(sentence.format(n=n) for n in range(2, 400))
    long.write_text(text, encoding="utf-8")
    (line,) = CliRunner().invoke(cli, ["extract", str(long)]).output.splitlines()
    assert text[json.loads(line)["truncated_at"] :].startswith("Chile signed a contract for")


def test_extract_table_is_for_people(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Deal\nLatvia signed a contract for six HIMARS launchers.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", "--format", "table", str(good)])
    assert result.exit_code == 0
    assert "Latvia <- United States  HIMARS (artillery)  qty 6  contracted" in result.output


def test_extract_eval_scores_a_gold_folder(tmp_path: Path) -> None:
    (tmp_path / "01-a.txt").write_text("Deal\nLatvia signed a contract for six HIMARS launchers.")
    gold = {
        "published": None,
        "records": [
            {
                "buyer": "Latvia",
                "seller": "US",
                "system": "M142 HIMARS",
                "system_aliases": ["HIMARS"],
                "manufacturer": None,
                "category": "artillery",
                "quantity_min": 6,
                "quantity_max": 6,
                "status": "contracted",
            },
            {
                "buyer": "Latvia",
                "seller": "United States",
                "system": "GMLRS",
                "manufacturer": None,
                "category": "missile",
                "quantity_min": None,
                "quantity_max": None,
                "status": "contracted",
            },
        ],
    }
    (tmp_path / "01-a.json").write_text(json.dumps(gold))
    result = CliRunner().invoke(cli, ["extract-eval", str(tmp_path)])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last == "F1=0.667 precision=1.000 recall=0.500 status_acc=1.000 qty_acc=1.000"


def test_bad_configuration_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["db", "current"], env={"WORKERS": "zero"})
    assert result.exit_code == 2
    assert "WORKERS" in result.output


def test_openapi_write_to_stdout() -> None:
    result = CliRunner().invoke(cli, ["openapi", "write", "-"])
    assert result.exit_code == 0
    assert result.output == (ROOT / "openapi.yaml").read_text(encoding="utf-8")


DATA = ROOT / "tests" / "data"


def test_import_reports_rejected_rows_and_reimports_unchanged(
    databases: Databases, tmp_path: Path
) -> None:
    url = databases.create()
    report = tmp_path / "rejected.ndjson"
    deals = str(DATA / "sipri_deals.csv")
    first = _run(url, "import", deals, "--report", str(report))
    assert first.exit_code == 0, first.output
    assert "12 created, 0 updated, 0 unchanged, 5 rejected" in first.output
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [item["line"] for item in lines] == [26, 27, 28, 29, 30]
    assert all(item["file"] == deals and item["raw"] and item["errors"] for item in lines)
    second = _run(url, "import", deals, "--report", str(report))
    assert "0 created, 0 updated, 12 unchanged, 5 rejected" in second.output


def test_import_dry_run_and_atomic_write_nothing(databases: Databases, tmp_path: Path) -> None:
    url = databases.create()
    report = str(tmp_path / "r.ndjson")
    deals = str(DATA / "sipri_deals.csv")
    dry = _run(url, "import", "--dry-run", deals, "--report", report)
    assert dry.exit_code == 0
    assert "nothing written" in dry.output
    atomic = _run(url, "import", "--atomic", deals, "--report", report)
    assert atomic.exit_code == 1
    assert "nothing written" in atomic.output
    engine = create_engine(sqlalchemy_url(url))
    with engine.connect() as connection:
        assert connection.execute(select(Procurement.__table__)).first() is None
    engine.dispose()
    ok = _run(
        url,
        "import",
        "--atomic",
        str(DATA / "sipri_deliveries.csv"),
        "--format",
        "sipri-deliveries",
        "--report",
        report,
    )
    assert ok.exit_code == 1  # two rows of that file are rejected too


def test_import_of_a_missing_or_unknown_file_fails_clearly(
    databases: Databases, tmp_path: Path
) -> None:
    url = databases.create()
    odd = tmp_path / "odd.csv"
    odd.write_text("colour,size\nred,2\n")
    result = _run(url, "import", str(tmp_path / "missing.csv"), str(odd))
    assert result.exit_code == 1
    assert "cannot read" in result.output
    assert "Unknown columns: colour, size" in result.output


def test_extract_eval_accepts_the_golds_seller_aliases_and_accents(tmp_path: Path) -> None:
    # As the field's scorer does: a gold record may list other acceptable sellers
    # (a co-developed system), and system names compare without accents.
    (tmp_path / "01-a.txt").write_text(
        "Deal\nSpain signed a contract for 12 Hürjet trainers from Turkish Aerospace."
    )
    gold = {
        "published": None,
        "records": [
            {
                "buyer": "Spain",
                "seller": "Spain",
                "seller_aliases": ["Turkey"],
                "system": "Hurjet",
                "manufacturer": None,
                "category": "aircraft",
                "quantity_min": 12,
                "quantity_max": 12,
                "status": "contracted",
            }
        ],
    }
    (tmp_path / "01-a.json").write_text(json.dumps(gold))
    result = CliRunner().invoke(cli, ["extract-eval", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith("F1=1.000 ")
