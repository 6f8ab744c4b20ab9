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
    lines = current.output.splitlines()
    assert lines[0].split()[-1] == lines[1].split()[-1]


def test_seed_is_idempotent(databases: Databases) -> None:
    url = databases.create()
    first = _run(url, "seed")
    assert first.exit_code == 0, first.output
    assert "1 created" in first.output
    second = _run(url, "seed")
    assert second.exit_code == 0, second.output
    assert "1 unchanged" in second.output
    engine = create_engine(sqlalchemy_url(url))
    with engine.connect() as connection:
        rows = connection.execute(select(Procurement.__table__)).mappings().all()
    engine.dispose()
    assert len(rows) == 1
    row = rows[0]
    assert (row["buyer"], row["seller"], row["manufacturer"], row["system"]) == (
        "Belgium",
        "Poland",
        "Mesko",
        "Piorun",
    )
    assert (row["category"], row["status"]) == ("air-defence", "intent")
    assert (row["quantity_min"], row["quantity_max"], row["version"]) == (200, 300, 1)


def test_seed_refuses_an_unmigrated_database_when_told_not_to_migrate(
    databases: Databases,
) -> None:
    url = databases.create()
    result = _run(url, "seed", MIGRATE_ON_START="false")
    assert result.exit_code != 0
    assert "python -m service db upgrade" in result.output


def test_seed_reports_a_broken_seed_file(databases: Databases, tmp_path: Path) -> None:
    (tmp_path / "records.json").write_text(json.dumps({"records": [{"buyer": "Atlantis"}]}))
    result = _run(databases.create(), "seed", "--seeds-dir", str(tmp_path))
    assert result.exit_code != 0


def test_bad_configuration_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["db", "current"], env={"WORKERS": "zero"})
    assert result.exit_code == 2
    assert "WORKERS" in result.output


def test_openapi_write_to_stdout() -> None:
    result = CliRunner().invoke(cli, ["openapi", "write", "-"])
    assert result.exit_code == 0
    assert result.output == (ROOT / "openapi.yaml").read_text(encoding="utf-8")
