"""Dockerfile and compose file: linted, valid, and in agreement with the code's settings."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from dockerfile_parse import DockerfileParser

from service.config import Settings
from tests.conftest import ROOT

BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert path, f"{name} is not installed: pip install -e '.[dev]'"
    return path


@pytest.fixture(scope="module")
def dockerfile() -> DockerfileParser:
    return DockerfileParser(path=str(ROOT / "Dockerfile"))


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def _instructions(df: DockerfileParser, name: str) -> list[str]:
    return [i["value"] for i in df.structure if i["instruction"] == name]


def test_hadolint_passes() -> None:
    result = subprocess.run(
        [_tool("hadolint"), "--failure-threshold", "warning", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_config_is_valid() -> None:
    result = subprocess.run(
        [_tool("docker-compose"), "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_has_no_syntax_line_or_heredoc() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert not re.search(r"^#\s*syntax=", text, re.M)
    assert "<<" not in text


def test_final_stage_runs_as_non_root_with_pinned_base(dockerfile: DockerfileParser) -> None:
    stages = _instructions(dockerfile, "FROM")
    assert len(stages) >= 2, "multi-stage build expected"
    for stage in stages:
        image = stage.split()[0]
        assert ":" in image
        assert not image.endswith(":latest")
    users = _instructions(dockerfile, "USER")
    assert users
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_ports_agree_between_dockerfile_compose_and_code(
    dockerfile: DockerfileParser, compose: dict[str, Any]
) -> None:
    exposed = {int(p.split("/")[0]) for v in _instructions(dockerfile, "EXPOSE") for p in v.split()}
    bind = dockerfile.envs.get("BIND")
    assert bind, "the image sets BIND"
    port = int(bind.rsplit(":", 1)[1])
    assert port in exposed
    healthcheck = " ".join(_instructions(dockerfile, "HEALTHCHECK"))
    assert f":{port}/health/ready" in healthcheck
    api = compose["services"]["api"]
    targets = {int(str(p).rsplit(":", 1)[-1]) for p in api["ports"]}
    assert port in targets
    assert f":{port}/health/ready" in " ".join(api["healthcheck"]["test"])


def test_compose_environment_names_are_settings(compose: dict[str, Any]) -> None:
    env_names = set(compose["services"]["api"]["environment"])
    source = (ROOT / "service" / "config.py").read_text()
    for name in env_names:
        assert f'"{name}"' in source, f"{name} is not read by service/config.py"
    example = (ROOT / ".env.example").read_text()
    for name in re.findall(r'get\("([A-Z_]+)"', source):
        assert f"{name}=" in example, f"{name} missing from .env.example"
    assert Settings.from_env({}).bind.endswith(":8000")


def test_compose_database_url_matches_db_service(compose: dict[str, Any]) -> None:
    api, db = compose["services"]["api"], compose["services"]["db"]
    url = api["environment"]["DATABASE_URL"]
    match = re.fullmatch(r"postgresql://(\w+):(\w+)@db:5432/(\w+)", url)
    assert match, url
    env = db["environment"]
    assert match.groups() == (env["POSTGRES_USER"], env["POSTGRES_PASSWORD"], env["POSTGRES_DB"])
    assert api["depends_on"]["db"]["condition"] == "service_healthy"
    assert "healthcheck" in db
    volumes = {v.split(":")[0] for v in db["volumes"]}
    assert volumes <= set(compose.get("volumes", {}))


def test_image_installs_the_lock_file(dockerfile: DockerfileParser) -> None:
    runs = " ".join(_instructions(dockerfile, "RUN"))
    assert "requirements.lock" in runs
    copies = " ".join(_instructions(dockerfile, "COPY"))
    assert "requirements.lock" in copies
