"""Reporting views, the read-only role, and the Grafana provisioning that uses them:
every panel's SQL runs as the role, and the role can do nothing else."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from service.cli import cli
from service.db import sqlalchemy_url
from service.migrate import upgrade
from service.models import Category, Status
from service.services import procurements
from service.services.reporting import VIEWS
from tests.conftest import ROOT, Databases

GRAFANA = ROOT / "grafana"
DASHBOARDS = sorted((GRAFANA / "dashboards").glob("*.json"))


def _panels() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in DASHBOARDS:
        for panel in json.loads(path.read_text(encoding="utf-8"))["panels"]:
            for target in panel["targets"]:
                found.append((f"{path.stem}/{panel['title']}", target))
    return found


def test_provisioning_points_grafana_at_the_reporting_role() -> None:
    sources = yaml.safe_load((GRAFANA / "provisioning/datasources/reporting.yaml").read_text())
    (source,) = sources["datasources"]
    assert (source["type"], source["user"]) == ("grafana-postgresql-datasource", "reporting")
    assert source["secureJsonData"]["password"] == "${REPORTING_PASSWORD}"
    providers = yaml.safe_load((GRAFANA / "provisioning/dashboards/procurement.yaml").read_text())
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    grafana = compose["services"]["grafana"]
    assert grafana["profiles"] == ["dashboards"]
    mounted = {v.split(":")[1] for v in grafana["volumes"]}
    assert providers["providers"][0]["options"]["path"] in mounted
    assert DASHBOARDS
    titles = {title.split("/", 1)[1] for title, _ in _panels()}
    for wanted in ("buyer", "seller", "status", "category", "over time"):
        assert any(wanted in t for t in titles), wanted
    for _, target in _panels():
        assert target["datasource"]["uid"] == source["uid"]
        assert target["rawSql"].strip()


@pytest.fixture(scope="module")
def reporting(databases: Databases) -> Iterator[tuple[str, str]]:
    """A migrated database with a few records, and the URL of a reporting role on it."""
    url = databases.create()
    admin = create_engine(sqlalchemy_url(url))
    upgrade(admin)
    with Session(admin) as session, session.begin():
        for i, (buyer, seller, status, year) in enumerate(
            [
                ("Poland", "South Korea", "contracted", 2022),
                ("Estonia", "United States", "delivered", 2022),
                ("Poland", "United States", "approved", 2024),
            ]
        ):
            procurements.create(
                session,
                {
                    "buyer": buyer,
                    "seller": seller,
                    "system": f"S{i}",
                    "category": Category.ARTILLERY,
                    "status": Status(status),
                    "quantity_min": 1,
                    "quantity_max": 2,
                    "announced_on": date(year, 5, 1),
                },
            )
    role = f"reporting_{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(12)
    result = CliRunner().invoke(
        cli,
        ["reporting-role", "--name", role],
        env={"DATABASE_URL": url, "REPORTING_PASSWORD": password, "MIGRATE_ON_START": "false"},
    )
    assert result.exit_code == 0, result.output
    assert f"created role {role}" in result.output
    role_url = make_url(url).set(username=role, password=password).render_as_string(False)
    yield url, role_url
    with admin.begin() as conn:
        conn.execute(text(f'DROP OWNED BY "{role}"'))
        conn.execute(text(f'DROP ROLE "{role}"'))
    admin.dispose()


@pytest.mark.parametrize(("title", "target"), _panels(), ids=[t for t, _ in _panels()])
def test_every_panel_query_runs_as_the_reporting_role(
    reporting: tuple[str, str], title: str, target: dict[str, Any]
) -> None:
    engine = create_engine(sqlalchemy_url(reporting[1]))
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(target["rawSql"])).mappings().all()
    finally:
        engine.dispose()
    assert rows, title
    if target["format"] == "time_series":
        assert "time" in rows[0]


def test_views_give_the_same_totals_as_the_table(reporting: tuple[str, str]) -> None:
    engine = create_engine(sqlalchemy_url(reporting[1]))
    try:
        with engine.connect() as conn:
            for view in VIEWS:
                conn.execute(text(f"SELECT * FROM reporting.{view}")).all()
            years = dict(
                conn.execute(text("SELECT year, deals FROM reporting.totals_by_year")).all()
            )
            buyers = conn.execute(
                text("SELECT party, deals FROM reporting.totals_by_party WHERE role = 'buyer'")
            ).all()
    finally:
        engine.dispose()
    assert years == {2022: 2, 2024: 1}
    assert dict(buyers) == {"Poland": 2, "Estonia": 1}


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM public.procurement",
        "SELECT * FROM public.article",
        "SELECT * FROM public.alembic_version",
        "INSERT INTO reporting.deals (id) VALUES (gen_random_uuid())",
        "DELETE FROM public.procurement",
        "UPDATE public.procurement SET buyer = 'x'",
        "CREATE TABLE public.sneaky (x int)",
        "CREATE TABLE reporting.sneaky (x int)",
        "CREATE VIEW reporting.sneaky AS SELECT 1",
    ],
)
def test_the_reporting_role_can_do_nothing_else(reporting: tuple[str, str], statement: str) -> None:
    engine = create_engine(sqlalchemy_url(reporting[1]))
    try:
        with engine.connect() as conn, pytest.raises(DBAPIError) as error:
            conn.execute(text(statement))
    finally:
        engine.dispose()
    assert type(error.value.orig).__name__ in {"InsufficientPrivilege", "ReadOnlySqlTransaction"}


def test_reporting_role_needs_a_password() -> None:
    result = CliRunner().invoke(cli, ["reporting-role"], env={"REPORTING_PASSWORD": ""})
    assert result.exit_code == 2
    assert "REPORTING_PASSWORD" in result.output
